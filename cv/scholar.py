"""Citation counts from a Google Scholar snapshot (AcadHomepage's ``gs_data.json``).

The snapshot is a file the user commits; a build reads it and never asks Google anything.
Its shape is the ``scholarly`` author object: totals at the top, ``updated`` as
``str(datetime.now())``, and ``publications`` keyed ``"USERID:PUBID"``, each with
``num_citations``. BibTeX entries name their paper by ``google_scholar_id = {PUBID}``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cv.errors import CVError, Problem
from cv.files import read_bounded

if TYPE_CHECKING:
    from cv.bibliography import Publication

__all__ = ["Scholar", "load_scholar", "publication_id"]


@dataclass(frozen=True)
class Scholar:
    """The totals and per-paper counts of a snapshot.

    Attributes:
        citedby: Total citations.
        hindex: The h-index.
        i10index: Papers with at least ten citations.
        updated: The day the snapshot was taken.
        citations: Citation counts by Scholar publication id (the PUBID of "USERID:PUBID").
    """

    citedby: int
    hindex: int
    i10index: int
    updated: dt.date
    citations: Mapping[str, int] = field(default_factory=dict)

    def cited_by(self, scholar_id: str) -> int | None:
        """The count of one paper, by its ``google_scholar_id`` (PUBID or USERID:PUBID)."""
        return self.citations.get(publication_id(scholar_id)) if scholar_id else None

    def by_key(self, publications: Iterable[Publication]) -> dict[str, int]:
        """Citation counts by BibTeX key, for the publications that have one in the snapshot."""
        counts = {p.key: self.cited_by(p.google_scholar_id) for p in publications}
        return {key: count for key, count in counts.items() if count is not None}

    @property
    def summary(self) -> str:
        """The line under the heading: "1,234 citations · h-index 12 · i10-index 15, as of ..."."""
        citations = f"{self.citedby:,} citation{'' if self.citedby == 1 else 's'}"
        day = f"{self.updated:%B} {self.updated.day}, {self.updated.year}"
        return f"{citations} · h-index {self.hindex} · i10-index {self.i10index}, as of {day}"


def publication_id(scholar_id: str) -> str:
    """The PUBID of ``"USERID:PUBID"`` (a bare PUBID stays as it is)."""
    return scholar_id.strip().rpartition(":")[2].strip()


_TOTALS = ("citedby", "hindex", "i10index")
MAX_BYTES = 5_000_000
"""A snapshot's largest size: a real ``gs_data.json`` is tens of KB (a few hundred papers)."""
MAX_DIGITS = 100
"""Digits a number may have: Python refuses to read ints of 4,300 digits; counts have a few."""


@dataclass(frozen=True)
class _TooLong:
    """A JSON number with more than :data:`MAX_DIGITS` digits, kept unread."""

    digits: int

    def __str__(self) -> str:
        return f"a number {self.digits:,} digits long"


def _read_int(text: str) -> int | _TooLong:
    digits = len(text.lstrip("-"))
    return int(text) if digits <= MAX_DIGITS else _TooLong(digits)


def load_scholar(path: Path) -> Scholar:
    """Read a ``gs_data.json`` snapshot.

    Args:
        path: The snapshot file.

    Returns:
        Its totals, date and per-paper counts.

    Raises:
        CVError: When the file cannot be read, is not JSON, or lacks what a snapshot has; every
            shape problem at once, each naming its key path and what was expected.
    """
    path = Path(path)
    try:
        # Never waiting (a FIFO) and never more than a snapshot could be.
        raw = read_bounded(path, MAX_BYTES, "a gs_data.json snapshot of tens of KB")
    except FileNotFoundError:
        raise CVError.at("file not found (expected a gs_data.json snapshot here)", path) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        before = raw[raw.rfind(b"\n", 0, error.start) + 1 : error.start]
        column = len(before.decode("utf-8", "replace")) + 1
        message = f"byte 0x{raw[error.start]:02x} is not UTF-8 (expected a JSON file)"
        raise CVError.at(message, path, line, column) from None
    try:
        data = json.loads(text, parse_int=_read_int)
    except json.JSONDecodeError as error:
        message = f"not JSON: {error.msg} (expected the gs_data.json of a Scholar crawler)"
        raise CVError.at(message, path, error.lineno, error.colno) from None
    except RecursionError:
        raise CVError.at("not JSON: nested too deeply (expected a gs_data.json)", path) from None
    return _Reader(path, text).scholar(data)


class _Reader:
    """Checks the shape of a parsed snapshot, collecting every problem with its place."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text
        self.problems: list[Problem] = []
        self._found: dict[tuple[str, ...], tuple[int, int]] = {}  # key path -> key, value start
        self._cursor: dict[tuple[str, ...], int] = {}  # key path -> its child located last
        self._newlines: list[int] | None = None
        # Characters the searches may scan in all: keys that are not in the text (papers of a
        # list are keyed by index) would each be searched to the end.
        self._budget = 20 * len(text) + 1_000_000

    def scholar(self, data: Any) -> Scholar:
        if not isinstance(data, dict):
            expected = "a JSON object with citedby, hindex, i10index, updated and publications"
            self.problem((), data, expected)
            raise CVError(self.problems)
        totals = {name: self.count(data, (name,)) for name in _TOTALS}
        updated = self.date(data)
        citations = self.publications(data)
        if self.problems or updated is None:
            raise CVError(self.problems)
        return Scholar(updated=updated, citations=citations, **totals)

    def count(self, data: dict[str, Any], keys: tuple[str, ...]) -> int:
        value = data.get(keys[-1])
        if isinstance(value, _TooLong):
            self.problem(keys, value, "a whole number, 0 or more", at_value=True)
            return 0
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.problem(keys, value, "a whole number, 0 or more", missing=keys[-1] not in data)
            return 0
        return value

    def date(self, data: dict[str, Any]) -> dt.date | None:
        value = data.get("updated")
        if isinstance(value, str):
            try:
                return dt.datetime.fromisoformat(value.strip()).date()
            except ValueError:
                pass
        expected = 'a date and time like "2026-11-01 08:00:00.123456"'
        self.problem(("updated",), value, expected, missing="updated" not in data)
        return None

    def publications(self, data: dict[str, Any]) -> dict[str, int]:
        value = data.get("publications", {})  # absent when the crawler skipped the papers
        if isinstance(value, list):  # scholarly's own list, before AcadHomepage keys it by id
            value = {_list_key(paper, index): paper for index, paper in enumerate(value)}
        if not isinstance(value, dict):
            self.problem(("publications",), value, 'an object keyed "USERID:PUBID"')
            return {}
        counts: dict[str, int] = {}
        for key, paper in value.items():
            keys = ("publications", key)
            if isinstance(paper, dict):
                counts[publication_id(key)] = self.count(paper, (*keys, "num_citations"))
            else:
                self.problem(keys, paper, "an object with num_citations")
        return counts

    def problem(
        self,
        keys: tuple[str, ...],
        value: Any,
        expected: str,
        *,
        missing: bool = False,
        at_value: bool = False,
    ) -> None:
        where = ".".join(_key(key) for key in keys) or "the file"
        if missing:
            message = f"{where} is missing (expected {expected})"
            line, column = self.locate(keys[:-1])
        else:
            message = f"{where} is {_shown(value)} (expected {expected})"
            line, column = self.locate(keys, at_value=at_value)
        self.problems.append(Problem(message, self.path, line, column))

    def locate(self, keys: tuple[str, ...], *, at_value: bool = False) -> tuple[int, int]:
        """Line and column of a key path (or of its value), found by searching the text.

        JSON parsing keeps no positions. Each key is searched after its parent's, which finds
        it in a snapshot's known nesting; a path that cannot be found points at its deepest
        found parent, or at the start of the file. A key is first searched after the sibling
        located last, as problems come in the file's order: thousands of bad papers are then
        located in one pass over the text, not one pass each.
        """
        position = len(self.text) - len(self.text.lstrip())
        for depth in range(len(keys)):
            path = keys[: depth + 1]
            if path not in self._found:
                key, after_sibling = keys[depth], self._cursor.get(path[:-1], position)
                found = self._search(key, after_sibling) or self._search(key, position)
                if found is None:
                    break
                self._found[path] = found
                self._cursor[path[:-1]] = found[0]
            key_at, value_at = self._found[path]
            position = value_at if at_value and path == keys else key_at
        return self._line_and_column(position)

    def _search(self, key: str, start: int) -> tuple[int, int] | None:
        """Where the first ``"key":`` at or after ``start`` and its value start, or None."""
        for spelled in dict.fromkeys((json.dumps(key, ensure_ascii=False), json.dumps(key))):
            at = start
            while self._budget > 0:  # past it, the rest is located at the parents found
                at = self.text.find(spelled, at)  # not a regex: one compiled for each key is slow
                self._budget -= (at if at >= 0 else len(self.text)) - start + 1
                if at < 0:
                    break
                colon = _COLON.match(self.text, at + len(spelled))
                if colon:
                    return at, colon.end()
                at += 1
        return None

    def _line_and_column(self, position: int) -> tuple[int, int]:
        if self._newlines is None:  # once: counting from the start for each problem is quadratic
            self._newlines = [match.start() for match in re.finditer("\n", self.text)]
        before = bisect.bisect_left(self._newlines, position)
        line_start = self._newlines[before - 1] + 1 if before else 0
        return before + 1, position - line_start + 1


_COLON = re.compile(r"\s*:\s*")


def _list_key(paper: Any, index: int) -> str:
    return str(paper.get("author_pub_id", index)) if isinstance(paper, dict) else str(index)


def _key(key: str) -> str:
    key = key if len(key) <= 40 else key[:37] + "..."  # keys are the snapshot's: any length
    return key if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key) else json.dumps(key)


def _shown(value: Any) -> str:
    if isinstance(value, _TooLong):
        return f"{value}, too long for a count"
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:37] + "..."
