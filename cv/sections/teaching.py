"""Teaching: courses by term, newest first."""

from __future__ import annotations

from collections.abc import Sequence

from cv import markup
from cv.fields import AcademicDate, Details, Strict, Tags
from cv.sections.base import (
    ResumeMap,
    SectionData,
    SectionKind,
    Trim,
    entry,
    inline_all,
    join,
    md_details,
    one_line,
    strong,
)
from cv.views import Entry


class Teaching(Strict):
    term: AcademicDate
    role: str | None = None
    course: str
    institution: str | None = None
    details: Details
    tags: Tags


def view(t: Teaching, _data: SectionData) -> Entry:
    subtitle = join(markup.inline(t.role), markup.inline(t.institution))
    return entry(str(t.term), strong(markup.inline(t.course)), subtitle, inline_all(t.details))


def markdown(items: Sequence[Teaching]) -> list[str]:
    """Courses under one line per role and institution, as the homepage lists them."""
    lines: list[str] = []
    group: tuple[str | None, str | None] | None = None
    for t in items:
        course = f"{t.term.text}, {one_line(t.course)}"
        if not t.role and not t.institution:
            group = None
            lines += [f"- *{t.term.text}*, {one_line(t.course)}", *md_details(t.details)]
            continue
        if (t.role, t.institution) != group:
            group = (t.role, t.institution)
            if t.role and t.institution:
                lines.append(f"- {one_line(t.role)} at {one_line(t.institution)}")
            else:
                lines.append(
                    f"- {one_line(t.role)}" if t.role else f"- At {one_line(t.institution)}"
                )
        lines += [f"    - {course}", *md_details(t.details, 2)]
    return lines


SECTION = SectionKind(
    key="teaching",
    title="Teaching",
    model=Teaching,
    view=view,
    sort=lambda t: t.term.sort_key,
    markdown=markdown,
    jsonresume=ResumeMap(
        "work",
        {
            "institution": "name",
            "role": "position",
            "course": "summary",
            "term": "startDate",
            "details": "highlights",
        },
        ("term",),
    ),
    heading=r"teaching|\bcourses?\b|\bta\b",
    heading_rank=50,
    trims=(Trim(40, 3), Trim(90, 0)),
)
