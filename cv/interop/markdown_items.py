"""The blocks an AcadHomepage page is read into (:mod:`cv.interop.page_tree` makes them), and the
dated lines academics write (``*2019.06 - 2022.04 (now)*, ...``, ``[2024.01] ...``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from cv.interop.files import normalize_date

__all__ = ["Block", "split_date_prefix", "split_date_suffix", "find_term"]


@dataclass
class Block:
    """A list item (with nested items), a paragraph, a heading or a box of HTML.

    ``text`` is inline Markdown on one line; ``lines`` the lines the page shows it on (split at
    ``<br>`` and line breaks, each with its line). A box of HTML (a ``<div>``: a paper box, a
    card) has the blocks inside it as ``children`` and its element (read by the paper reader).
    """

    kind: str  # "item", "paragraph", "heading", "html"
    line: int
    text: str
    children: list[Block] = field(default_factory=list)
    lines: list[tuple[int, str]] = field(default_factory=list)
    level: int = 0  # a heading's level (1 for ``#``)
    element: Any = None  # the HTML element of a box (an ElementTree element)

    def walk(self) -> list[Block]:
        """This block and every block nested in it."""
        return [self, *(block for child in self.children for block in child.walk())]


# --- dates at the start or end of a line ------------------------------------------------------

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_TERM = r"(?:spring|summer|fall|autumn|winter)"
_TERM_WORD = r"(?:\s+(?:semester|term|quarter|session))?"
_DATE = (
    rf"(?:{_TERM}{_TERM_WORD},?\s+\d{{4}}(?:/\d{{2}})?"
    rf"|\d{{4}}(?:/\d{{2}})?\s+{_TERM}{_TERM_WORD}"
    rf"|{_MONTH}\s+\d{{4}}"
    rf"|\d{{1,2}}[./]\d{{4}}"
    rf"|\d{{4}}(?:[./-]\d{{1,2}}){{0,2}}"
    rf"|present|now|today|current|ongoing)"
)
_RANGE = (
    rf"(?P<start>{_DATE})(?:\s*(?:-|–|—|~|to|until)\s*(?P<end>{_DATE}))?"
    rf"(?:\s*\((?P<now>now|present|current|ongoing)\))?"
)
_WRAPPERS = (
    *(("**\\[", "\\]**"), ("\\[**", "**\\]"), ("*\\[", "\\]*"), ("\\[", "\\]")),
    *(("**[", "]**"), ("[**", "**]"), ("*[", "]*"), ("[*", "*]"), ("**(", ")**")),
    *(("[", "]"), ("**", "**"), ("*", "*"), ("_", "_"), ("`", "`"), ("(", ")"), ("", "")),
)
_PREFIXES = [
    re.compile(
        rf"\s*{re.escape(left)}\s*{_RANGE}\s*{re.escape(right)}"
        rf"(?:\s*[:,;|：]\s*|\s*[–—-]\s+|\s+|$)",
        re.I,
    )
    for left, right in _WRAPPERS
]
# ``(Sept 2023-)``: a period still running, as supervisors list their current students.
_SUFFIX = re.compile(
    rf"(?:,\s*|\s*\(\s*|\s+[–—-]\s+){_RANGE}(?P<open>\s*[-–—]\s*(?=\)))?\s*\)?\s*\.?\s*$", re.I
)


def _dates(match: re.Match[str]) -> tuple[str, str | None] | None:
    start = normalize_date(match.group("start"))
    if start is None:
        return None
    end = normalize_date(match.group("end")) if match.group("end") else None
    if match.group("end") and end is None:
        return None
    if match.group("now") or (match.groupdict().get("open") and end is None):
        end = "present"
    return start, end


def split_date_prefix(text: str) -> tuple[str, str | None, str] | None:
    """``(start, end, rest)`` when ``text`` starts with a date or a period, else None."""
    for pattern in _PREFIXES:
        match = pattern.match(text)
        if match:
            dates = _dates(match)
            if dates:
                return dates[0], dates[1], text[match.end() :].strip()
    return None


def split_date_suffix(text: str) -> tuple[str, str | None, str] | None:
    """``(start, end, rest)`` when ``text`` ends with ``, 2019 - 2022`` or ``(2019-2022)``."""
    match = _SUFFIX.search(text)
    if match:
        dates = _dates(match)
        if dates:
            return dates[0], dates[1], text[: match.start()].strip()
    return None


_TERM_ANYWHERE = re.compile(
    rf"(?:{_TERM}{_TERM_WORD},?\s+\d{{4}}(?:/\d{{2}})?|\d{{4}}(?:/\d{{2}})?\s+{_TERM}{_TERM_WORD})",
    re.I,
)


def find_term(text: str) -> tuple[str, str] | None:
    """A teaching term anywhere in the text, and the text without it."""
    match = _TERM_ANYWHERE.search(text) or re.search(
        r"(?<![\w/.])(?:19|20)\d{2}(?:/\d{2})?(?![\w/.])", text
    )
    if not match:
        return None
    term = normalize_date(match.group().replace(",", " "))
    if term is None:
        return None
    rest = (text[: match.start()] + " " + text[match.end() :]).strip()
    rest = re.sub(r"\s*,\s*\)", ")", rest)  # (Master Course, Spring 2025) -> (Master Course)
    rest = re.sub(r"\(\s*,?\s*\)", "", rest)
    rest = re.sub(r"^[\s,:;–—-]+|[\s,:;–—-]+$", "", rest)
    rest = re.sub(r"\s*,\s*,\s*", ", ", rest)
    return term, rest
