"""cv: one academic record in git -> a print-quality CV (PDF and HTML).

The public API: :func:`build`, :func:`check`, :func:`load`, :class:`CVError`. They are imported
on first use, so that ``cv --help`` does not pay for BibTeX, Jinja or WeasyPrint.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_API = {
    "build": ("cv.builder", "build"),
    "check": ("cv.builder", "check"),
    "BuildResult": ("cv.builder", "BuildResult"),
    "Output": ("cv.builder", "Output"),
    "load": ("cv.loader", "load_record"),
    "CVError": ("cv.errors", "CVError"),
    "Problem": ("cv.errors", "Problem"),
}

# The names of _API, written out so that linters see what the imports below re-export.
__all__ = ["build", "check", "BuildResult", "Output", "load", "CVError", "Problem", "__version__"]

if TYPE_CHECKING:
    from cv.builder import BuildResult, Output, build, check
    from cv.errors import CVError, Problem
    from cv.loader import load_record as load


def __getattr__(name: str) -> Any:
    if name not in _API:
        raise AttributeError(f"module 'cv' has no attribute {name!r}")
    module, attribute = _API[name]
    return getattr(import_module(module), attribute)
