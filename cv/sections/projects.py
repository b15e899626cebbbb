"""Projects (from JSON Resume and RenderCV records), newest first."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pydantic import Field

from cv import markup
from cv.dates import format_range
from cv.fields import Details, Period, empty_list
from cv.sections.base import (
    ResumeMap,
    SectionData,
    SectionKind,
    entry,
    join,
    link,
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


class Project(Period):
    name: str
    url: str | None = None
    organization: str | None = None
    roles: list[str] = Field(default_factory=empty_list)
    type: str | None = None
    description: str | None = None
    details: Details
    keywords: list[str] = Field(default_factory=empty_list)


def view(p: Project, _data: SectionData) -> Entry:
    subtitle = join(
        markup.inline(p.organization), *(markup.inline(r) for r in p.roles), markup.inline(p.type)
    )
    details = [markup.inline(p.description)] if p.description else []
    details += [markup.inline(d) for d in p.details]
    if p.keywords:
        details.append(join(*(markup.inline(k) for k in p.keywords)))
    return entry(format_range(p.start, p.end), strong(link(p.name, p.url)), subtitle, details)


def markdown(items: Sequence[Project]) -> list[str]:
    lines = []
    for p in items:
        extra = md_parts(p.organization, *p.roles, p.description)
        lines += [
            f"- {md_period(p.start, p.end)}{md_link(p.name, p.url)}{': ' + extra if extra else ''}",
            *md_details(p.details),
        ]
    return lines


def read_markdown(page: PageReader, heading: str, block: Block) -> None:
    """``- *2020 - 2022*, [Name](url): what it is`` (what follows the colon is the description)."""
    from cv.interop.item_parts import dated, details, linked, split_description

    start, end, body = dated(block.text)
    bold = re.match(r"^(\*\*|__)(.+?)\1\s*", body)
    head, description = split_description(body[bold.end() :] if bold else body)
    if bold:
        head, description = bold.group(2), ": ".join(p for p in (head, description) if p) or None
    name, url = linked(head)
    fields = {"start": start, "end": end, "name": name, "url": url, "description": description}
    page.add(SECTION.key, {**fields, "details": details(block)}, block, "a project")


SECTION = SectionKind(
    key="projects",
    title="Projects",
    model=Project,
    view=view,
    sort=lambda p: newest_first(p.start, p.end),
    markdown=markdown,
    jsonresume=ResumeMap(
        "projects",
        {
            "name": "name",
            "start": "startDate",
            "end": "endDate",
            "url": "url",
            "organization": "entity",
            "roles": "roles",
            "type": "type",
            "description": "description",
            "details": "highlights",
            "keywords": "keywords",
        },
        ("start", "end"),
    ),
    heading=r"\bprojects?\b|项目|课题",
    heading_rank=85,
    tagged=False,
    read_markdown=read_markdown,
)
