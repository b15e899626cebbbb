"""Professional service: roles with the venues served, as written (no natural date order)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup
from pydantic import Field

from cv import markup
from cv.fields import AcademicDate, Details, Strict, Tags
from cv.sections.base import (
    ResumeMap,
    SectionData,
    SectionKind,
    Trim,
    entry,
    join,
    md_date,
    one_line,
    strong,
)
from cv.views import Entry


class VenueGroup(Strict):
    label: str
    venues: list[str]


class Service(Strict):
    role: str
    groups: list[VenueGroup] = Field(default_factory=list)
    venues: list[str] = Field(default_factory=list)
    date: AcademicDate | None = None
    details: Details
    tags: Tags


def view(s: Service, _data: SectionData) -> Entry:
    details = [
        Markup("<em>{}:</em> {}").format(
            markup.inline(g.label), join(*(markup.inline(v) for v in g.venues))
        )
        for g in s.groups
    ]
    if s.venues:
        details.append(join(*(markup.inline(v) for v in s.venues), sep="; "))
    details += [markup.inline(d) for d in s.details]
    return entry(str(s.date or ""), strong(markup.inline(s.role)), None, details)


def markdown(items: Sequence[Service]) -> list[str]:
    lines = []
    for s in items:
        date = f"*{md_date(s.date)}*, " if s.date else ""
        children = [
            f"    - {one_line(g.label)}: {', '.join(one_line(v) for v in g.venues)}"
            for g in s.groups
        ]
        children += [f"    - {one_line(v)}" for v in s.venues]
        children += [f"    - *{one_line(detail)}*" for detail in s.details]  # a note, not a venue
        lines.append(f"- {date}{one_line(s.role)}{':' if children else ''}")
        lines += children
    return lines


def _highlights(s: Service) -> dict[str, Any]:
    highlights = (
        [f"{g.label}: {', '.join(g.venues)}" for g in s.groups] + list(s.venues) + list(s.details)
    )
    return {"highlights": highlights} if highlights else {}


SECTION = SectionKind(
    key="service",
    title="Professional Activities",
    model=Service,
    view=view,
    markdown=markdown,
    jsonresume=ResumeMap(
        "volunteer", {"role": "position", "date": "startDate"}, ("date",), derived=_highlights
    ),
    heading=r"services?\b|activities|review(?:er|ing)|committees?|volunteer|academic duties",
    heading_rank=60,
    trims=(Trim(50, 2), Trim(120, 0)),
)
