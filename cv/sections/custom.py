"""Sections of the user's own: ``custom: {key: {title, entries}}`` with generic entries.

Each custom section is a :class:`~cv.sections.base.SectionKind` made from the record: it is
placed, limited and retitled through ``sections:`` like a built-in one, and shown, exported and
shortened the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pydantic import Field, model_validator

from cv import markup
from cv.dates import format_range
from cv.fields import AcademicDate, Details, Period, Strict, Tags, empty_list
from cv.interop.text import LINK, split_top, strip_period
from cv.sections.base import (
    ResumeMap,
    SectionData,
    SectionKind,
    Trim,
    entry,
    inline_all,
    join,
    link,
    md_date,
    md_details,
    md_link,
    md_parts,
    md_period,
    newest_first,
    strong,
)
from cv.views import Entry

if TYPE_CHECKING:
    from cv.interop.markdown_items import Block
    from cv.interop.reading import PageReader

KEY_PATTERN = r"^[a-z][a-z0-9_]*$"
"""A custom section's key: lower case, digits and underscores, as a YAML key and a CSS class."""


class CustomEntry(Period):
    """One entry of a custom section: a date or a period, and what the user writes."""

    date: AcademicDate | None = None
    title: str
    subtitle: str | None = None
    location: str | None = None
    url: str | None = None
    details: Details
    tags: Tags

    @model_validator(mode="after")
    def _date_or_period(self) -> CustomEntry:
        if self.date is not None and (self.start is not None or self.end is not None):
            raise ValueError("expected either `date:` or `start:`/`end:`, not both")
        return self


class CustomSection(Strict):
    """A section of one's own: its title and its entries, shown in the order written."""

    title: str = Field(min_length=1)
    entries: list[CustomEntry] = Field(default_factory=empty_list)
    #: Sort the entries newest first (by default they are shown as written).
    sort: bool = False


def _when(e: CustomEntry) -> str:
    return str(e.date) if e.date is not None else format_range(e.start, e.end)


def view(e: CustomEntry, _data: SectionData) -> Entry:
    subtitle = join(markup.inline(e.subtitle), markup.inline(e.location))
    return entry(_when(e), strong(link(e.title, e.url)), subtitle, inline_all(e.details))


def markdown(items: Sequence[CustomEntry]) -> list[str]:
    lines = []
    for e in items:
        when = f"*{md_date(e.date)}*, " if e.date is not None else md_period(e.start, e.end)
        text = md_parts(md_link(e.title, e.url), e.subtitle, e.location)
        lines += [f"- {when}{text}", *md_details(e.details)]
    return lines


def _sort_key(e: CustomEntry) -> Any:
    return (e.date.sort_key,) if e.date is not None else newest_first(e.start, e.end)


def _derived(e: CustomEntry) -> dict[str, Any]:
    from cv.interop.files import iso_date

    iso = iso_date(e.date.text) if e.date is not None else None
    return {"type": "custom", **({"startDate": iso} if iso else {})}


def read_markdown(page: PageReader, heading: str, block: Block) -> None:
    """A list item of a section no built-in one takes: ``- *2024*, [Title](url), more``.

    A date or a period at its start or end is its ``date`` (or ``start``/``end``); a link that
    begins the line is its title and ``url``, with what follows as the subtitle; otherwise the
    whole line is the title. Nested items are details.
    """
    from cv.interop.item_parts import dated, details, linked

    start, end, body = dated(block.text)
    when = {"start": start, "end": end} if end else {"date": start}
    body = strip_period(body)
    pieces = split_top(body, ",")
    first = LINK.fullmatch(pieces[0]) if pieces else None
    title, url = linked(pieces[0]) if first else (body, None)
    subtitle = ", ".join(pieces[1:]) if first else None
    fields = {**when, "title": title, "url": url, "subtitle": subtitle, "details": details(block)}
    page.add(page.section, fields, block, "an entry")


def custom_kind(key: str, section: CustomSection) -> SectionKind:
    """The section kind of a record's ``custom.<key>``."""
    return SectionKind(
        key=key,
        title=section.title,
        model=CustomEntry,
        view=view,
        sort=_sort_key if section.sort else None,
        markdown=markdown,
        jsonresume=ResumeMap(
            "projects",
            {
                "title": "name",
                "subtitle": "entity",
                "start": "startDate",
                "end": "endDate",
                "url": "url",
                "details": "highlights",
            },
            ("start", "end"),
            derived=_derived,
        ),
        heading="",  # an AcadHomepage heading no built-in section takes becomes a custom one
        heading_rank=100,
        trims=(Trim(65, 2), Trim(88, 0)),
        entries=lambda record: record.custom[key].entries,
        read_markdown=read_markdown,
    )
