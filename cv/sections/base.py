"""What a section is, and the small pieces its module builds it from.

A section of the CV is one module of this package. It declares one :class:`SectionKind`: its key
and title, its entry model, how its entries sort, how an entry becomes the template's view,
whether it takes ``tags:``, how a page limit shortens it, how it is written to the homepage's
Markdown and to JSON Resume, and how the AcadHomepage importer knows its heading and reads its
items. Rendering, documents, the bio, the importers and the exporters loop over
:data:`cv.sections.registry.SECTIONS`; none of them names a section.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from pydantic import BaseModel

from cv import markup
from cv.dates import Date, range_sort_key
from cv.views import Entry, Section

if TYPE_CHECKING:
    from cv.bibliography import Publication
    from cv.scholar import Scholar


@dataclasses.dataclass(frozen=True)
class SectionData:
    """What a section is made from: the record and what was read beside it."""

    record: Any  # cv.model.Record (which imports the sections' models)
    publications: Sequence[Publication] = ()
    scholar: Scholar | None = None
    #: Whether a name is one of the owner's (set in bold among investigators and inventors).
    is_owner: Callable[[str], bool] = lambda _name: False


@dataclasses.dataclass(frozen=True)
class Trim:
    """One step of shortening a document to its page limit: this section down to ``floor``.

    Steps of every section run in ``rank`` order (lowest first), so the least important entries
    go first, whichever section they are in (see :mod:`cv.documents`).
    """

    rank: int
    floor: int


@dataclasses.dataclass(frozen=True)
class ResumeMap:
    """How a section's entries are written to a JSON Resume, and read back.

    An entry goes to the JSON Resume list ``list``; its fields named in ``fields`` become that
    list's standard fields (so every JSON Resume tool shows them), and everything else, with
    the section's key, rides along in the item's ``cv`` property (:mod:`cv.interop.jsonresume`
    reads it back: the mapping is inverted, and nothing is lost).
    """

    list: str
    #: entry field -> JSON Resume field
    fields: Mapping[str, str]
    #: fields that are dates (written as ISO dates, kept as written in ``cv``)
    dates: tuple[str, ...] = ()
    #: JSON Resume fields made from the entry for other tools only (never read back)
    derived: Callable[[Any], dict[str, Any]] | None = None


@dataclasses.dataclass(frozen=True)
class SectionKind:
    """One section of the CV, declared once, in its own module."""

    #: The key in cv.yaml, in ``sections:`` and in the template (``section.key``).
    key: str
    #: The title the CV shows when ``sections:`` gives none ("Education").
    title: str
    #: The model of one entry; ``None`` for sections that are not a list of entries.
    model: type[BaseModel] | None
    #: One entry -> what the template lays out.
    view: Callable[[Any, SectionData], Any]
    #: The entries -> the homepage's Markdown lines (``cv export acadhomepage``), as written.
    markdown: Callable[[Sequence[Any]], list[str]]
    #: Where an entry goes in a JSON Resume (and how it is read back), or None.
    jsonresume: ResumeMap | None
    #: A regular expression for the AcadHomepage headings this section takes ("Grants|Funding").
    heading: str
    #: Headings are tried in this order, lowest first ("Teaching Experience" is teaching,
    #: not experience).
    heading_rank: int = 50
    #: Reads one item of the section on an AcadHomepage page (see :mod:`cv.interop.acadhomepage`).
    read_markdown: Callable[..., None] | None = None
    #: The sort key, newest first; ``None`` keeps the order the user wrote.
    sort: Callable[[Any], Any] | None = None
    #: A group heading of an entry: the section is shown in groups, in the order they first come.
    group: Callable[[Any], str] | None = None
    #: Whether entries take ``tags:``, which documents select by.
    tagged: bool = True
    #: How a page limit shortens the section (see :class:`Trim`).
    trims: tuple[Trim, ...] = ()
    #: The AcadHomepage template's emoji for its heading, when it has one.
    emoji: str = ""
    #: Makes the whole section, for the sections that are not lists of entries (about,
    #: publications); ``None`` for the others.
    make: Callable[[SectionData, str, int | None], Section | None] | None = None
    #: The entries of the section in a record; by default the record's field of the same key.
    entries: Callable[[Any], Sequence[Any]] | None = None
    #: The homepage's heading when it is not the CV's title ("Educations"): what the
    #: AcadHomepage export writes and what an import takes for the default.
    homepage_title: str = ""
    #: How many entries the CV shows without ``sections:`` (news: the latest few); the rest
    #: stay in cv.html, folded. ``None``: all.
    limit: int | None = None
    #: How many entries a page limit may shorten; by default the entries' count, and for a
    #: section with ``make``, ``None``: it is never shortened.
    count: Callable[[SectionData], int] | None = None

    def size(self, data: SectionData) -> int | None:
        """How many entries the section has to shorten, or None when it cannot be shortened."""
        if self.count is not None:
            return self.count(data)
        return None if self.make is not None else len(self.items(data.record))

    def items(self, record: Any) -> Sequence[Any]:
        """The section's entries in ``record``, as written."""
        if self.entries is not None:
            return self.entries(record)
        return getattr(record, self.key, None) or ()

    def ordered(self, record: Any) -> list[Any]:
        """The section's entries in the order the CV shows them."""
        items = list(self.items(record))
        if self.sort is not None:
            # sorted() is stable: entries with equal dates keep the order the user wrote them in.
            items = sorted(items, key=self.sort, reverse=True)
        if self.group is not None:
            groups: dict[str, list[Any]] = {}
            for item in items:
                groups.setdefault(self.group(item), []).append(item)
            items = [item for members in groups.values() for item in members]
        return items

    def section(self, data: SectionData, title: str, limit: int | None = None) -> Section | None:
        """The section as the template gets it, or None when it has nothing to show."""
        if self.make is not None:
            return self.make(data, title, limit)
        every = self.ordered(data.record)
        items = every[:limit] if limit else every
        if not items:
            return None
        entries = tuple(self.view(item, data) for item in items)
        extra: dict[str, Any] = {}
        if not any(getattr(e, "when", "") for e in entries):
            extra["undated"] = True  # no date column: the entries take the full width
        if self.group is None:
            # What a limit leaves out stays in cv.html, folded (the PDF shows `entries` only).
            more = tuple(self.view(item, data) for item in every[len(items) :])
            if more:
                extra["more"] = more
            return Section(self.key, title, entries, extra)
        headings = tuple(self.group(item) for item in items)
        starts = tuple(i == 0 or headings[i] != headings[i - 1] for i in range(len(items)))
        groups = tuple(heading for heading, first in zip(headings, starts, strict=True) if first)
        extra |= {"groups": groups, "group_of": headings, "group_starts": starts}
        return Section(self.key, title, entries, extra)


# --- views ----------------------------------------------------------------------------------


def newest_first(start: Date | None, end: Date | None) -> Any:
    """The sort key of a period: current ones first, then by end, then by start."""
    return range_sort_key(start, end)


def link(text: str | None, url: str | None) -> Markup:
    """Inline Markdown text, linked to ``url`` when it has a safe one."""
    html = markup.inline(text)
    safe = markup.safe_url(url)
    if safe and html:
        return Markup('<a href="{}">{}</a>').format(safe, html)
    return html


def join(*parts: Markup | str | None, sep: str = ", ") -> Markup:
    """The parts that are not empty, joined (the parts are safe HTML already)."""
    return Markup(sep).join(p for p in parts if p)


def strong(html: Markup | str) -> Markup:
    return Markup("<strong>{}</strong>").format(html)


def inline_all(texts: Sequence[str]) -> tuple[Markup, ...]:
    return tuple(markup.inline(text) for text in texts)


def people(names: Sequence[str], data: SectionData) -> Markup:
    """Names, comma-separated, the owner's in bold."""
    return join(
        *(
            strong(markup.inline(name)) if data.is_owner(name) else markup.inline(name)
            for name in names
        )
    )


def entry(
    when: str,
    title: Markup,
    subtitle: Markup | None = None,
    details: Sequence[Markup] = (),
    links: Sequence[Any] = (),
) -> Entry:
    return Entry(when, title, subtitle or Markup(""), tuple(details), tuple(links))


# --- the homepage's Markdown ----------------------------------------------------------------


def one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def md_date(date: Date | None) -> str:
    """A date as the homepage writes it: 2024.01, or as the record wrote it."""
    if date is None:
        return ""
    if date.is_present:
        return "present"
    if re.fullmatch(r"\d{4}(?:-\d{2}){0,2}", date.text):
        return date.text.replace("-", ".")
    return date.text


def md_period(start: Date | None, end: Date | None) -> str:
    """``*2020.09 - present*, `` (or one date), as the homepage's dated lists begin."""
    if start and end:
        return f"*{md_date(start)} - {md_date(end)}*, "
    if start or end:
        return f"*{md_date(start or end)}*, "
    return ""


def md_link(text: str | None, url: str | None) -> str:
    text = one_line(text)
    return f"[{text}]({url})" if url and text else text


def md_details(details: Sequence[str], depth: int = 1) -> list[str]:
    return [f"{'    ' * depth}- {one_line(detail)}" for detail in details]


def md_parts(*parts: str | None, sep: str = ", ") -> str:
    return sep.join(one_line(part) for part in parts if part and one_line(part))
