"""Reading an input file: a regular file, read whole but never more than a cap.

A data folder may come from a stranger, so every file a build reads is opened without blocking
(a FIFO named ``cv.yaml`` would otherwise wait forever), checked to be a regular file (not a
device, a socket or a folder) and read up to a size limit plus one byte, which tells a file at
the limit from a larger one without reading the rest.

A name the record gives may be no name the system takes (300 characters, a NUL byte): every
look-up of such a path goes through a function here, which says why instead of raising
``OSError`` ("File name too long") or ``ValueError`` ("embedded null byte").
"""

from __future__ import annotations

import errno
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
    reason = name_problem(path)
    if reason:
        raise CVError.at(f"this name {reason}; expected {expected}", path)
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


NAME_MAX = 255
"""Bytes one part of a path may have (Linux and macOS, on their usual file systems)."""

PATH_MAX = 4096
"""Bytes a whole path may have (Linux; macOS takes 1,024, and says so when it is longer)."""

TOO_LONG = "is too long for a file name"


def too_long(path: Path) -> bool:
    """Whether ``path`` is longer than a path can be: a part over :data:`NAME_MAX` bytes, or
    :data:`PATH_MAX` in all."""
    try:
        encoded = os.fsencode(path)
    except UnicodeError:
        return False  # no name at all: name_problem() says so
    return len(encoded) > PATH_MAX or any(len(part) > NAME_MAX for part in encoded.split(b"/"))


def name_problem(path: Path) -> str | None:
    """Why ``path`` can name no file, from the name alone, as the end of a sentence ("is too
    long for a file name"); None when it could name one.

    Nothing is looked up: this is for a name that may point outside the data folder.
    """
    try:
        encoded = os.fsencode(path)
    except UnicodeError:  # a lone surrogate ("\ud800"): no file system takes it
        return "holds a character that no file name can hold"
    if b"\0" in encoded:  # a YAML escape ("\0") can put one in
        return "holds a NUL character, which no file name can hold"
    return TOO_LONG if too_long(path) else None


def lookup_problem(path: Path) -> str | None:
    """Why the system cannot look ``path`` up, as the end of a sentence ("is too long for a
    file name", "cannot be a file: Not a directory"); None when it can, whether or not
    something is there.

    Checked without opening it (a FIFO would wait). The system may refuse a name shorter than
    :data:`NAME_MAX` (a file system of shorter names): its own reason is given then.
    """
    reason = name_problem(path)
    if reason:
        return reason
    try:
        os.stat(path)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        code = getattr(error, "errno", None)
        if code == errno.ENAMETOOLONG:
            return TOO_LONG
        if code == errno.ELOOP:
            return "is a symbolic link that loops"
        return f"cannot be a file: {getattr(error, 'strerror', None) or error}"
    return None


def is_file(path: Path) -> bool:
    """``path.is_file()``, False instead of an error for a name the system refuses."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def file_size(path: Path) -> int | None:
    """The size of the file at ``path`` in bytes; None when it cannot be looked up."""
    try:
        return os.stat(path).st_size
    except (OSError, ValueError):
        return None


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
