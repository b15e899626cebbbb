"""What cv keeps between runs in the user's cache folder: templates, patterns, maps, citations.

Each is work every cold build would otherwise do again, the same each time:

- Jinja's bytecode cache: compiling the theme's templates took 0.03-0.06 s of every build
  (about 4 % of ``cv build --only cv``); a compiled template is read back while its source is
  unchanged (Jinja keeps a checksum of the source with it);
- the hyphenation patterns of a language, as pyphen parses them from its ``.dic`` file (0.07 s
  for US English, about 7 % of a build; read back in 0.006 s), and the character map of each
  font face the glyph check reads (0.01-0.1 s a face): :func:`keep` and :func:`read_kept`;
- the entries a CSL style wrote, as HTML (APA took 0.6 s for 250 entries, read back in a few
  milliseconds), by style, language and entry (:func:`cv.csl.keep_written`).

They live in ``$XDG_CACHE_HOME/academic-cv/<kind>`` (``~/.cache/...``), in a folder that must
be the user's own (made 0700, owned by them, not a link): what is read back as templates is
Python bytecode, run as the templates, and citations are HTML put in the page as written. The
key of every template includes cv's version, Jinja's and the source of the sandbox that
compiled it (:mod:`cv.sandbox` compiles templates with its own checks), so code compiled by
another program, another cv or another sandbox is never loaded; the key of every citation
includes cv's and citeproc-py's code. Data is kept in ``marshal``'s format, as Jinja keeps its
bytecode, and read back only as a bounded regular file (never through a link); what cannot be
read back is made again. A folder that cannot be made or written means no cache, never a
failed build.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import stat
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket

from cv import __version__

MAX_KEPT_BYTES = 16 * 1024 * 1024
"""The largest file of data read back (US English patterns take 0.3 MB, a CJK font's map 0.3 MB)."""


def cache_folder(kind: str = "templates") -> Path:
    """``$XDG_CACHE_HOME/academic-cv/<kind>``, else the platform's cache folder."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "academic-cv" / kind


@cache
def _salt() -> str:
    import cv.sandbox

    sandbox = Path(cv.sandbox.__file__).read_bytes()
    return f"cv {__version__} jinja {jinja2.__version__} {hashlib.sha256(sandbox).hexdigest()}"


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache with keys of this cv only, and writes that may fail quietly."""

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        key = f"{_salt()}\0{name}\0{filename or ''}"
        return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):  # a full disk: the next build compiles again
            super().dump_bytecode(bucket)


def _private(folder: Path) -> bool:
    """Whether ``folder`` is a directory of this user's that only they can read and write."""
    try:
        folder.mkdir(mode=stat.S_IRWXU, parents=True, exist_ok=True)
        found = os.lstat(folder)
    except OSError:
        return False
    if not stat.S_ISDIR(found.st_mode):
        return False  # a link, or a file
    if not hasattr(os, "getuid"):
        return True  # Windows: the folder is in the user's own profile
    shared = stat.S_IMODE(found.st_mode) & (stat.S_IRWXG | stat.S_IRWXO)
    return found.st_uid == os.getuid() and not shared


def bytecode_cache() -> TemplateCache | None:
    """The cache of compiled templates, or None when there is no private folder for it."""
    folder = cache_folder()
    return TemplateCache(str(folder), "%s.jinja") if _private(folder) else None


def _kept_path(kind: str, key: str) -> Path | None:
    folder = cache_folder(kind)
    if not _private(folder):
        return None
    salted = f"{sys.version} {key}".encode("utf-8", "surrogateescape")  # marshal's format
    return folder / f"{hashlib.sha256(salted).hexdigest()}.marshal"


def read_kept(kind: str, key: str) -> Any:
    """What :func:`keep` kept under ``key``, or None (none kept, unreadable, cut short)."""
    path = _kept_path(kind, key)
    if path is None:
        return None
    try:
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
        with os.fdopen(os.open(path, flags), "rb") as file:
            found = os.fstat(file.fileno())
            if not stat.S_ISREG(found.st_mode) or found.st_size > MAX_KEPT_BYTES:
                return None
            return marshal.loads(file.read(MAX_KEPT_BYTES + 1))
    except (OSError, EOFError, ValueError, TypeError):
        return None


def keep(kind: str, key: str, value: Any) -> None:
    """Keep ``value`` (plain data) under ``key``, whole or not at all."""
    path = _kept_path(kind, key)
    if path is None:
        return
    with contextlib.suppress(OSError, ValueError):
        data = marshal.dumps(value)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
