"""Education: degrees, newest first, with advisor and thesis."""

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


class Education(Period):
    degree: str
    field: str | None = None
    institution: str
    url: str | None = None
    location: str | None = None
    advisor: str | None = None
    thesis: str | None = None
    details: Details
    tags: Tags


def view(e: Education, _data: SectionData) -> Entry:
    degree = join(markup.inline(e.degree), markup.inline(e.field), sep=" in ")
    details = [markup.inline(d) for d in e.details]
    if e.thesis:
        details.insert(0, Markup("Thesis: <em>{}</em>").format(markup.inline(e.thesis)))
    if e.advisor:
        details.insert(0, Markup("Advisor: ") + markup.inline(e.advisor))
    subtitle = join(link(e.institution, e.url), markup.inline(e.location))
    return entry(format_range(e.start, e.end), strong(degree), subtitle, details)


def markdown(items: Sequence[Education]) -> list[str]:
    lines = []
    for e in items:
        degree = one_line(e.degree) + (f" in {one_line(e.field)}" if e.field else "")
        text = md_parts(degree, md_link(e.institution, e.url))
        if e.location:
            text += f" · {one_line(e.location)}"
        if e.advisor:
            text += f", advised by {one_line(e.advisor)}"
        lines.append(f"- {md_period(e.start, e.end)}{text}")
        if e.thesis:
            lines.append(f"    - Thesis: *{one_line(e.thesis)}*")
        lines += md_details(e.details)
    return lines


SECTION = SectionKind(
    key="education",
    title="Educations",
    model=Education,
    view=view,
    sort=lambda e: newest_first(e.start, e.end),
    markdown=markdown,
    jsonresume=ResumeMap(
        "education",
        {
            "institution": "institution",
            "url": "url",
            "field": "area",
            "degree": "studyType",
            "start": "startDate",
            "end": "endDate",
        },
        ("start", "end"),
    ),
    heading=r"educations?|degrees?|academic background|\bstudies\b",
    heading_rank=80,
    trims=(Trim(150, 2),),
    emoji="📖",
)
