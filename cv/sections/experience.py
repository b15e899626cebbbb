"""Work and research experience: positions, newest first."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from markupsafe import escape

from cv import markup
from cv.dates import format_range
from cv.fields import Details, Period, Tags
from cv.i18n import word
from cv.interop.text import markdown_link, split_top
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
    md_parts,
    md_period,
    newest_first,
    one_line,
    strong,
)
from cv.views import Entry

if TYPE_CHECKING:
    from cv.interop.markdown_items import Block
    from cv.interop.reading import PageReader


class Experience(Period):
    role: str
    organization: str | None = None
    url: str | None = None
    location: str | None = None
    advisor: str | None = None
    advisor_url: str | None = None
    details: Details
    tags: Tags


def view(e: Experience, _data: SectionData) -> Entry:
    advisor = link(e.advisor, e.advisor_url)
    subtitle = join(
        join(link(e.organization, e.url), markup.inline(e.location)),
        escape(word("advised_by") + " ") + advisor if advisor else None,
        sep="; ",
    )
    return entry(
        format_range(e.start, e.end), strong(markup.inline(e.role)), subtitle, inline_all(e.details)
    )


def markdown(items: Sequence[Experience]) -> list[str]:
    lines = []
    for e in items:
        text = md_parts(e.role, md_link(e.organization, e.url))
        if e.location:
            text += f" · {one_line(e.location)}"
        if e.advisor:
            text += f", advised by {md_link(e.advisor, e.advisor_url)}"
        lines += [f"- {md_period(e.start, e.end)}{text}", *md_details(e.details)]
    return lines


def read_markdown(page: PageReader, heading: str, block: Block) -> None:
    """``- *2022.06 - 2022.10*, Research Intern, [FedML](url) · Remote, advised by [X](url)``."""
    from cv.interop.item_parts import ROLE_WORDS, advisor, dated, details, linked, location

    start, end, body = dated(block.text)
    body, who, who_url = advisor(body, split_link=True)
    main, where = location(body)
    pieces = split_top(main, ",")
    role = pieces[0] if pieces else ""
    at = re.match(r"^(.+?)\s+(?:at|@)\s+(.+)$", role)
    if len(pieces) == 1 and at and (ROLE_WORDS.search(at.group(1)) or markdown_link(at.group(2))):
        pieces = [at.group(1), at.group(2)]
        role = pieces[0]
    organization, url = linked(", ".join(pieces[1:]))
    item: dict[str, object] = {"start": start, "end": end, "role": role, "url": url}
    item |= {"organization": organization, "location": where, "advisor": who}
    item |= {"advisor_url": who_url, "details": details(block)}
    page.add(SECTION.key, item, block, "a position")


WORK = {
    "organization": "name",
    "role": "position",
    "url": "url",
    "location": "location",
    "start": "startDate",
    "end": "endDate",
    "details": "highlights",
}
"""The JSON Resume ``work`` fields of a position (internships use them too)."""

SECTION = SectionKind(
    key="experience",
    title="Experience",
    homepage_title="Work & Research Experience",
    model=Experience,
    view=view,
    sort=lambda e: newest_first(e.start, e.end),
    markdown=markdown,
    jsonresume=ResumeMap("work", WORK, ("start", "end")),
    heading=r"experiences?|employment|positions?|\bwork\b|career|appointments?|工作|经历|任职",
    heading_rank=90,
    trims=(Trim(130, 3),),
    read_markdown=read_markdown,
)
