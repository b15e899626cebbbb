"""Internships, newest first, with mentor."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from cv import markup
from cv.dates import format_range
from cv.fields import Details, Period, Tags
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
        Markup("mentor: ") + markup.inline(i.mentor) if i.mentor else None,
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


SECTION = SectionKind(
    key="internships",
    title="Internships",
    model=Internship,
    view=view,
    sort=lambda i: newest_first(i.start, i.end),
    markdown=markdown,
    jsonresume=ResumeMap("work", WORK, ("start", "end")),
    heading=r"internships?",
    heading_rank=30,
    trims=(Trim(30, 1),),
    emoji="💻",
)
