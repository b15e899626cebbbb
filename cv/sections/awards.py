"""Awards and prizes, newest first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

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
    md_parts,
    strong,
)
from cv.views import Entry


class Award(Strict):
    date: AcademicDate
    title: str
    organization: str | None = None
    url: str | None = None
    details: Details
    tags: Tags


def view(a: Award, _data: SectionData) -> Entry:
    return entry(
        str(a.date),
        strong(link(a.title, a.url)),
        markup.inline(a.organization),
        inline_all(a.details),
    )


def markdown(items: Sequence[Award]) -> list[str]:
    lines = []
    for a in items:
        link_text = f" [Link]({a.url})" if a.url else ""
        text = md_parts(a.title, a.organization)
        lines += [f"- *{md_date(a.date)}*, {text}.{link_text}", *md_details(a.details)]
    return lines


def _summary(a: Award) -> dict[str, Any]:
    return {"summary": " ".join(a.details)} if a.details else {}


SECTION = SectionKind(
    key="awards",
    title="Awards and Prizes",
    model=Award,
    view=view,
    sort=lambda a: a.date.sort_key,
    markdown=markdown,
    jsonresume=ResumeMap(
        "awards",
        {"title": "title", "date": "date", "organization": "awarder"},
        ("date",),
        derived=_summary,
    ),
    heading=r"awards?|hono(?:u)?rs?|prizes?|scholarships?|fellowships?|achievements?",
    heading_rank=70,
    trims=(Trim(60, 3), Trim(110, 1)),
    emoji="🎖",
)
