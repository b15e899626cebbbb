"""Outreach: media, press and public talks, newest first."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from markupsafe import Markup

from cv import markup
from cv.fields import AcademicDate, Details, Strict, Tags
from cv.interop.text import split_top, strip_period
from cv.sections.base import (
    ResumeMap,
    SectionData,
    SectionKind,
    Trim,
    entry,
    inline_all,
    link,
    md_date,
    md_details,
    md_link,
    md_parts,
)
from cv.views import Entry

if TYPE_CHECKING:
    from cv.interop.markdown_items import Block
    from cv.interop.reading import PageReader


class Outreach(Strict):
    date: AcademicDate
    title: str
    outlet: str | None = None
    url: str | None = None
    details: Details
    tags: Tags


def view(o: Outreach, _data: SectionData) -> Entry:
    title = Markup("<em>{}</em>").format(link(o.title, o.url))
    return entry(str(o.date), title, markup.inline(o.outlet), inline_all(o.details))


def markdown(items: Sequence[Outreach]) -> list[str]:
    return [
        line
        for o in items
        for line in (
            f"- *{md_date(o.date)}*, {md_parts(md_link(o.title, o.url), o.outlet)}",
            *md_details(o.details),
        )
    ]


def read_markdown(page: PageReader, heading: str, block: Block) -> None:
    """``- *2024.03*, [Title](url), Outlet`` (or ``"Title"``, or a sentence that links)."""
    from cv.interop.item_parts import details, linked
    from cv.interop.markdown_items import split_date_prefix, split_date_suffix

    dated = split_date_prefix(block.text) or split_date_suffix(block.text)
    if dated is None:
        page.keep(heading, block, "outreach item without a date")
        return
    body = strip_period(dated[2])
    quoted = re.match(r'^\s*["“](.+?)["”]\s*[,.]?\s*(.*)$', body)
    if quoted:
        title_text, rest = quoted.group(1), split_top(quoted.group(2), ",")
    else:
        pieces = split_top(body, ",")
        title_text, rest = (pieces[0] if pieces else ""), pieces[1:]
    title, url = linked(title_text)
    fields = {"date": dated[0], "title": title, "url": url, "outlet": ", ".join(rest)}
    page.add(SECTION.key, {**fields, "details": details(block)}, block, "an outreach item")


SECTION = SectionKind(
    key="outreach",
    title="Outreach and Media",
    model=Outreach,
    view=view,
    sort=lambda o: o.date.sort_key,
    markdown=markdown,
    jsonresume=ResumeMap(
        "projects",
        {"title": "name", "date": "startDate", "outlet": "entity", "url": "url"},
        ("date",),
        derived=lambda _o: {"type": "outreach"},
    ),
    heading=r"outreach|\bmedia\b|\bpress\b|coverage|in the news|public (?:talks|engagement)",
    heading_rank=5,
    trims=(Trim(15, 2), Trim(75, 0)),
    read_markdown=read_markdown,
)
