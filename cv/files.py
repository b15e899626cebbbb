"""Reading an input file: a regular file, read whole but never more than a cap.

A data folder may come from a stranger, so every file a build reads is opened without blocking
(a FIFO named ``cv.yaml`` would otherwise wait forever), checked to be a regular file (not a
device, a socket or a folder) and read up to a size limit plus one byte, which tells a file at
the limit from a larger one without reading the rest.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from cv.errors import CVError


def read_bounded(path: Path, limit: int, expected: str) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Args:
        path: The file, as the user named it (messages quote it).
        limit: The most bytes a sane file of its kind holds.
        expected: What the file should be, for messages ("a .bib file").

    Raises:
        FileNotFoundError: When there is no such file (callers say what was expected there).
        CVError: Located at the file when it is not a regular file, cannot be read, or is
            larger than ``limit``.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise
    except OSError as error:
        raise CVError.at(
            f"cannot read this file: {error.strerror}; expected {expected}", path
        ) from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):  # checked before fdopen(), which refuses a folder with its own error
        os.close(descriptor)
        raise CVError.at(f"this is {_kind(mode)}, not a file; expected {expected}", path)
    with os.fdopen(descriptor, "rb") as file:
        try:
            data = file.read(limit + 1)
        except OSError as error:
            message = f"cannot read this file: {error.strerror}; expected {expected}"
            raise CVError.at(message, path) from None
    if len(data) > limit:
        message = f"larger than {format_size(limit)}; expected {expected} (is this the right file?)"
        raise CVError.at(message, path, 1, 1)
    return data


def real_path(path: Path) -> Path | None:
    """``path`` with every symbolic link resolved, or None when links loop (or it cannot be a path).

    ``Path.resolve()`` raises RuntimeError for a loop (``cv.yaml -> cv.yaml``) and ValueError for
    a NUL character, which a YAML escape (``"\\0"``) can put in a file name.
    """
    try:
        return path.resolve()
    except (RuntimeError, OSError, ValueError):
        return None


def too_long(path: Path) -> bool:
    """Whether ``path`` cannot be a file name here: a part over 255 bytes, or 4,096 in all."""
    return len(os.fsencode(path)) > 4096 or any(len(os.fsencode(p)) > 255 for p in path.parts)


def is_file(path: Path) -> bool:
    """``path.is_file()``, False instead of an error for a name the system refuses."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def not_a_file(path: Path) -> str | None:
    """What ``path`` is when it exists but is not a regular file ("a named pipe (FIFO)"), else None.

    Checked without opening it: opening a FIFO for reading waits for a writer.
    """
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None  # missing (or unreadable): the caller says what was expected there
    return None if stat.S_ISREG(mode) else _kind(mode)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def format_size(limit: int) -> str:
    """A size for messages: "50 MB", "500 KB"."""
    if limit >= 1_000_000:
        return f"{limit / 1_000_000:g} MB"
    return f"{limit / 1000:g} KB"
