"""Fixes of the installed WeasyPrint, applied once it is imported (:mod:`cv.pdf`).

Each fix says what it fixes, and tests/test_performance_paths.py checks for each that the
installed version still needs it and that it still applies; the same fix offered upstream
is a patch in bench/.

Tagging, linear in pages: pydyf's ``PDF.page_references`` is a property that builds the tuple
of every page's reference each time it is read, and WeasyPrint 70 reads it for every structure
element it tags (``pdf.page_references[page_number]`` in ``pdf/tags.py``) and for every outline
entry: the time of tagging grew with pages × elements (8.8× the time for 3.7× the pages at
103 pages). No page is added while the tags or the outlines are written, so these steps get a
view of the PDF whose page references are read once (bench/weasyprint-page-references.patch).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

PATCHED = ("add_tags", "add_outlines")
"""The functions of ``weasyprint.pdf`` that get the PDF with its page references read once."""


class PagesRead:
    """A pydyf PDF whose ``page_references`` were read once; everything else is the PDF's."""

    def __init__(self, pdf: Any) -> None:
        self._pdf = pdf
        self.page_references = pdf.page_references

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pdf, name)


def reading_pages_once(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function(pdf, ...)`` given a :class:`PagesRead` of its PDF."""

    @wraps(function)
    def patched(pdf: Any, *args: Any, **kwargs: Any) -> Any:
        return function(pdf if isinstance(pdf, PagesRead) else PagesRead(pdf), *args, **kwargs)

    patched.reads_pages_once = True  # type: ignore[attr-defined]
    return patched


def apply() -> None:
    """Apply the fixes to the imported WeasyPrint (once, however often it is called)."""
    import weasyprint.pdf as writer

    for name in PATCHED:
        function = getattr(writer, name)
        if not getattr(function, "reads_pages_once", False):
            setattr(writer, name, reading_pages_once(function))
