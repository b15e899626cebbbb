"""Memberships of professional societies, newest first."""

from __future__ import annotations

from collections.abc import Sequence

from cv import markup
from cv.dates import format_range
from cv.fields import Period, Tags
from cv.sections.base import (
    ResumeMap,
    SectionData,
    SectionKind,
    Trim,
    entry,
    md_parts,
    md_period,
    newest_first,
    strong,
)
from cv.views import Entry


class Membership(Period):
    organization: str
    grade: str | None = None
    tags: Tags


def view(m: Membership, _data: SectionData) -> Entry:
    return entry(
        format_range(m.start, m.end), strong(markup.inline(m.organization)), markup.inline(m.grade)
    )


def markdown(items: Sequence[Membership]) -> list[str]:
    return [f"- {md_period(m.start, m.end)}{md_parts(m.organization, m.grade)}" for m in items]


SECTION = SectionKind(
    key="memberships",
    title="Professional Memberships",
    model=Membership,
    view=view,
    sort=lambda m: newest_first(m.start, m.end),
    markdown=markdown,
    # JSON Resume has no memberships: volunteering for the society is the closest field.
    jsonresume=ResumeMap(
        "volunteer",
        {
            "organization": "organization",
            "grade": "position",
            "start": "startDate",
            "end": "endDate",
        },
        ("start", "end"),
    ),
    heading=r"memberships?|professional societies|affiliations",
    heading_rank=58,
    trims=(Trim(25, 2), Trim(85, 0)),
)
