"""Outreach: media, press and public talks, newest first."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from cv import markup
from cv.fields import AcademicDate, Details, Strict, Tags
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
)
