"""Citation counts from a Google Scholar snapshot (AcadHomepage's ``gs_data.json``).

The snapshot is a file the user commits; a build reads it and never asks Google anything.
Its shape is the ``scholarly`` author object: totals at the top, ``updated`` as
``str(datetime.now())``, and ``publications`` keyed ``"USERID:PUBID"``, each with
``num_citations``. BibTeX entries name their paper by ``google_scholar_id = {PUBID}``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cv.errors import CVError, Problem

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
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CVError.at("file not found (expected a gs_data.json snapshot here)", path) from None
    except UnicodeDecodeError as error:
        message = f"byte 0x{error.object[error.start]:02x} is not UTF-8 (expected a JSON file)"
        raise CVError.at(message, path) from None
    except OSError as error:
        raise CVError.at(f"cannot read this file: {error.strerror}", path) from None
    try:
        data = json.loads(text)
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
        self, keys: tuple[str, ...], value: Any, expected: str, *, missing: bool = False
    ) -> None:
        where = ".".join(_key(key) for key in keys) or "the file"
        if missing:
            message = f"{where} is missing (expected {expected})"
            line, column = self.locate(keys[:-1])
        else:
            message = f"{where} is {_shown(value)} (expected {expected})"
            line, column = self.locate(keys)
        self.problems.append(Problem(message, self.path, line, column))

    def locate(self, keys: tuple[str, ...]) -> tuple[int, int]:
        """Line and column of a key path, found by searching the text key after key.

        JSON parsing keeps no positions. Each key is searched after its parent's, which finds
        it in a snapshot's known nesting; a path that cannot be found points at its deepest
        found parent, or at the start of the file.
        """
        position = len(self.text) - len(self.text.lstrip())
        for key in keys:
            for spelled in dict.fromkeys((json.dumps(key, ensure_ascii=False), json.dumps(key))):
                match = re.compile(re.escape(spelled) + r"\s*:").search(self.text, position)
                if match:
                    position = match.start()
                    break
            else:
                break
        line = self.text.count("\n", 0, position) + 1
        return line, position - (self.text.rfind("\n", 0, position) + 1) + 1


def _list_key(paper: Any, index: int) -> str:
    return str(paper.get("author_pub_id", index)) if isinstance(paper, dict) else str(index)


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key) else json.dumps(key)


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."
