"""What every importer is, and the state of reading one AcadHomepage page.

An importer is a :class:`Reader`: a function that takes the file it imports and returns an
:class:`~cv.interop.files.Imported` (the cv.yaml data, the BibTeX entries and the notices),
raising :class:`~cv.errors.CVError` only for a file it cannot read. ``cv import NAME`` calls
every importer the same way (:func:`readers`).

The AcadHomepage importer reads a page section by section; each section's items are read by the
section's own ``read_markdown(page, heading, block)`` (in :mod:`cv.sections`), which takes the
item apart and hands it to :meth:`PageReader.add`. What does not fit the section's entry model
is kept as text in ``about`` with a warning that names its line: nothing is dropped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from pydantic import ValidationError

from cv.interop.files import BibEntry, Imported, Notice
from cv.interop.item_parts import YEAR, markdown_list
from cv.interop.liquid import PageLine
from cv.interop.markdown_items import Block
from cv.interop.papers import paper_entry, paper_year
from cv.interop.text import plain

if TYPE_CHECKING:
    from cv.sections.base import SectionKind

__all__ = ["ItemReader", "PageReader", "Reader", "readers"]


class Reader(Protocol):
    """An importer: the file it reads -> the record, its BibTeX entries and its notices.

    Raises:
        CVError: When the file cannot be read (missing, not UTF-8, not the format).
    """

    def __call__(self, path: Path, /) -> Imported: ...


ItemReader = Callable[["PageReader", str, Block], None]
"""A section's ``read_markdown``: one block of the section's part of the page -> its entries."""


def readers() -> dict[str, Reader]:
    """Every importer, by the name ``cv import NAME`` gives it."""
    from cv.interop.acadhomepage import read_acadhomepage
    from cv.interop.jsonresume import read_jsonresume
    from cv.interop.rendercv import read_rendercv

    return {
        "acadhomepage": read_acadhomepage,
        "jsonresume": read_jsonresume,
        "rendercv": read_rendercv,
    }


@dataclass
class PageReader:
    """The state of reading one AcadHomepage page: what each section read, and the notices."""

    #: The sections entries may go to: the built-in ones, then the page's own (``custom:``).
    kinds: dict[str, SectionKind]
    source: str = "about.md"
    notices: list[Notice] = field(default_factory=list)
    #: Section key -> the entries read, as cv.yaml data (each valid against the section's model).
    items: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: Heading -> the Markdown lines kept as text in ``about`` under it.
    kept: dict[str, list[str]] = field(default_factory=dict)
    #: The introduction's paragraphs and the research interests (the about section's reader).
    about: list[str] = field(default_factory=list)
    interests: list[Any] = field(default_factory=list)
    #: The papers, as BibTeX entries, their keys, and the names set in bold in their author lists.
    entries: list[BibEntry] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)
    owner_names: Counter[str] = field(default_factory=Counter)
    #: The papers as read (title, url, venue, ...), in the order of :attr:`entries`.
    papers: list[dict[str, Any]] = field(default_factory=list)
    scholar_user: str = ""
    #: Where each line of the page was written (the page or a file it includes), by index.
    origins: list[PageLine] = field(default_factory=list)
    #: The section being read: its key, its heading as the page writes it, its last subheading
    #: (a ``##`` heading or a label in bold on its own line; readers take it with :meth:`group`).
    section: str = ""
    heading: str = ""
    subheading: str | None = None
    _group_line: int | None = None
    _group_used: bool = False
    _group_label: bool = False

    def warn(self, line: int | None, message: str) -> None:
        self.notices.append(self._notice(line, message, "warning"))

    def note(self, line: int | None, message: str) -> None:
        self.notices.append(self._notice(line, message, "note"))

    def _notice(self, line: int | None, message: str, level: Literal["warning", "note"]) -> Notice:
        """A notice at a line of the page as read, placed in the file it was written in."""
        if line is not None and 0 < line <= len(self.origins):
            origin = self.origins[line - 1]
            return Notice(message, origin.line, level=level, file=origin.file)
        return Notice(message, line, level=level)

    def start_group(self, text: str, line: int, *, label: bool = False) -> None:
        """A subheading (or a ``**label**`` line) begins a group of the section's items."""
        self.end_group()
        self.subheading, self._group_line, self._group_used = text, line, False
        self._group_label = label

    def group(self) -> str | None:
        """The subheading the items being read are under, which the reader keeps (a level)."""
        self._group_used = self._group_used or self.subheading is not None
        return self.subheading

    def end_group(self) -> None:
        """The group ends: a subheading no reader kept is noted, a label kept as text."""
        line = self._group_line
        if self.subheading is not None and line is not None and not self._group_used:
            if self._group_label:
                self.keep(self.heading, Block("paragraph", line, f"**{self.subheading}**"))
            else:
                why = "the CV groups the section itself"
                self.note(line, f"subheading '{self.subheading}' is not kept ({why})")
        self.subheading, self._group_line, self._group_used = None, None, False

    def add(self, section: str, item: Mapping[str, Any], block: Block, what: str) -> bool:
        """Add an entry to ``section`` when its model takes it; else keep the block as text.

        Args:
            section: The section's key.
            item: The entry's fields; empty ones are left out.
            block: The block the entry was read from (kept as text when the entry is refused).
            what: The entry as the warning names it ("a grant").

        Returns:
            Whether the entry was added.
        """
        entry = {name: value for name, value in item.items() if value not in (None, "", [])}
        model = self.kinds[section].model
        if model is not None:
            try:
                model.model_validate(entry)
            except ValidationError as error:
                detail = error.errors()[0]
                where = ".".join(str(part) for part in detail["loc"])
                self.keep(
                    self.heading, block, f"not understood as {what} ({where}: {detail['msg']})"
                )
                return False
        self.items.setdefault(section, []).append(entry)
        return True

    def keep(self, heading: str, block: Block, reason: str | None = None) -> None:
        """Keep a block as text in ``about``, under ``heading``; warn with ``reason`` if given."""
        if block.kind == "heading":
            lines = [f"- *{block.text}*"]
        elif block.kind == "item":
            lines = markdown_list(block)
        else:
            lines = [f"- {block.text}"] if block.text.strip() else []
        if not lines:
            return
        if reason:
            shown = plain(lines[0][2:])
            shown = shown if len(shown) <= 60 else shown[:57] + "..."
            self.warn(block.line, f"{reason}; kept as text in `about` under '{heading}': {shown!r}")
        self.kept.setdefault(heading, []).extend(lines)

    def add_paper(self, paper: dict[str, Any], line: int) -> None:
        """Add a paper read from a paper box or a publication line as a BibTeX entry."""
        found = YEAR.search(self.subheading or "")  # ## 2026年: the papers of that year
        if found and paper_year(paper) is None:
            paper = {**paper, "year": found.group(1)}
        entry = paper_entry(paper, self.keys)
        self.papers.append(paper)
        if "year" not in entry.fields:
            title = paper["title"][:50]
            self.warn(line, f"publication '{title}' has no year; it is listed as forthcoming")
        self.entries.append(entry)
