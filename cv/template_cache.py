"""Compiled templates kept between runs: Jinja's bytecode cache, in the user's cache folder.

Compiling the theme's templates took 0.03-0.06 s of every cold build (about 4 % of
``cv build --only cv``); a compiled template is kept in ``$XDG_CACHE_HOME/academic-cv/
templates`` (``~/.cache/...``) and read back while its source is unchanged (Jinja keeps a
checksum of the source with it).

What is read back is Python bytecode, run as the templates: the folder must be the user's
own (made 0700, owned by them, not a link), and the key of every entry includes cv's version,
Jinja's and the source of the sandbox that compiled it (:mod:`cv.sandbox` compiles templates
with its own checks), so code compiled by another program, another cv or another sandbox is
never loaded. A folder that cannot be made or written means no cache, never a failed build.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import sys
from functools import cache
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from cv import __version__


def cache_folder() -> Path:
    """``$XDG_CACHE_HOME/academic-cv/templates``, else the platform's cache folder."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "academic-cv" / "templates"


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
