"""Internships, newest first, with mentor."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from markupsafe import escape

from cv import markup
from cv.dates import format_range
from cv.fields import Details, Period, Tags
from cv.i18n import word
from cv.interop.text import markdown_link, split_top, strip_period
from cv.sections.base import (
    ResumeMap,
    SectionData,
    SectionKind,
    Trim,
    entry,
    inline_all,
    join,
    link,
    md_details,
    md_link,
    md_period,
    newest_first,
    one_line,
    strong,
)
from cv.sections.experience import WORK
from cv.views import Entry

if TYPE_CHECKING:
    from cv.interop.markdown_items import Block
    from cv.interop.reading import PageReader


class Internship(Period):
    organization: str
    url: str | None = None
    location: str | None = None
    role: str | None = None
    mentor: str | None = None
    details: Details
    tags: Tags


def view(i: Internship, _data: SectionData) -> Entry:
    heading = join(strong(markup.inline(i.role)) if i.role else None, link(i.organization, i.url))
    subtitle = join(
        markup.inline(i.location),
        escape(word("mentor") + ": ") + markup.inline(i.mentor) if i.mentor else None,
        sep="; ",
    )
    return entry(format_range(i.start, i.end), heading, subtitle, inline_all(i.details))


def markdown(items: Sequence[Internship]) -> list[str]:
    lines = []
    for i in items:
        organization = md_link(i.organization, i.url)
        text = f"{one_line(i.role)} at {organization}" if i.role else organization
        if i.location:
            text += f", {one_line(i.location)}"
        if i.mentor:
            text += f", mentored by {one_line(i.mentor)}"
        lines += [f"- {md_period(i.start, i.end)}{text}", *md_details(i.details)]
    return lines


def read_markdown(page: PageReader, heading: str, block: Block) -> None:
    """``- *2019.05 - 2019.08*, Research Intern at [Lab](url), Zürich, mentored by Dr. Z``."""
    from cv.interop.item_parts import ROLE_WORDS, advisor, dated, details, linked, location

    start, end, body = dated(block.text)
    body, mentor, _ = advisor(body, split_link=False)
    main, where = location(body)
    pieces = split_top(main, ",")
    first = pieces[0] if pieces else ""
    role = None
    at = re.match(r"^(.+?)\s+(?:at|@)\s+(.+)$", first)
    if at and (ROLE_WORDS.search(at.group(1)) or markdown_link(at.group(2))):
        role, first = at.group(1), at.group(2)
    organization, url = linked(first)
    if pieces[1:] and not where:
        where = strip_period(", ".join(pieces[1:]))
    item: dict[str, object] = {"start": start, "end": end, "organization": organization, "url": url}
    item |= {"location": where, "role": role, "mentor": mentor, "details": details(block)}
    page.add(SECTION.key, item, block, "an internship")


SECTION = SectionKind(
    key="internships",
    title="Internships",
    model=Internship,
    view=view,
    sort=lambda i: newest_first(i.start, i.end),
    markdown=markdown,
    jsonresume=ResumeMap("work", WORK, ("start", "end")),
    heading=r"internships?|实习",
    heading_rank=30,
    trims=(Trim(30, 1),),
    emoji="💻",
    read_markdown=read_markdown,
)
