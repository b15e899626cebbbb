"""Students and postdocs supervised: grouped by level, current ones first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from markupsafe import Markup
from pydantic import BeforeValidator

from cv import markup
from cv.dates import format_range
from cv.fields import Details, Period, Tags
from cv.sections.base import (
    ResumeMap,
    SectionData,
    SectionKind,
    Trim,
    entry,
    link,
    md_details,
    md_link,
    md_parts,
    md_period,
    newest_first,
    strong,
)
from cv.views import Entry

LEVELS = {
    "Postdoc": "Postdoctoral Researchers",
    "PhD": "PhD Students",
    "MSc": "Master's Students",
    "BSc": "Undergraduate Students",
    "Intern": "Interns",
}
"""The levels, in the order the CV groups them, with each group's heading."""

_SPELLINGS = {
    "postdoc": "Postdoc", "postdoctoral": "Postdoc", "post-doc": "Postdoc",
    "phd": "PhD", "ph.d.": "PhD", "ph.d": "PhD", "doctoral": "PhD",
    "msc": "MSc", "ms": "MSc", "m.sc.": "MSc", "master": "MSc", "masters": "MSc",
    "bsc": "BSc", "bs": "BSc", "b.sc.": "BSc", "undergraduate": "BSc", "bachelor": "BSc",
    "intern": "Intern", "internship": "Intern",
}  # fmt: skip


def _level(value: Any) -> Any:
    if isinstance(value, str):
        return _SPELLINGS.get(value.strip().casefold(), value.strip())
    return value


def _role(value: Any) -> Any:
    if isinstance(value, str):
        folded = value.strip().casefold().replace(" ", "-")
        return {"co-advisor": "co-advisor", "coadvisor": "co-advisor", "advisor": "advisor"}.get(
            folded, value.strip()
        )
    return value


Level = Annotated[Literal["PhD", "MSc", "BSc", "Postdoc", "Intern"], BeforeValidator(_level)]
Role = Annotated[Literal["advisor", "co-advisor"], BeforeValidator(_role)]


class Student(Period):
    name: str
    level: Level
    role: Role | None = None
    thesis: str | None = None
    next: str | None = None
    url: str | None = None
    details: Details
    tags: Tags


def _sort(s: Student) -> Any:
    # reverse=True: the first level gets the highest rank; within a level, current ones first
    return (-list(LEVELS).index(s.level), newest_first(s.start, s.end))


def view(s: Student, _data: SectionData) -> Entry:
    details = []
    if s.thesis:
        details.append(Markup("Thesis: <em>{}</em>").format(markup.inline(s.thesis)))
    if s.next:
        details.append(Markup("Next: ") + markup.inline(s.next))
    details += [markup.inline(d) for d in s.details]
    subtitle = markup.inline("Co-advised" if s.role == "co-advisor" else None)
    return entry(format_range(s.start, s.end), strong(link(s.name, s.url)), subtitle, details)


def markdown(items: Sequence[Student]) -> list[str]:
    lines = []
    for s in items:
        text = md_parts(
            md_link(s.name, s.url),
            s.level,
            "co-advised" if s.role == "co-advisor" else None,
            f"thesis: *{s.thesis}*" if s.thesis else None,
            f"next: {s.next}" if s.next else None,
        )
        lines += [f"- {md_period(s.start, s.end)}{text}", *md_details(s.details)]
    return lines


SECTION = SectionKind(
    key="supervision",
    title="Students Supervised",
    model=Student,
    view=view,
    sort=_sort,
    group=lambda s: LEVELS[s.level],
    markdown=markdown,
    # JSON Resume has no students: a project of the adviser's is the closest field.
    jsonresume=ResumeMap(
        "projects",
        {
            "name": "name",
            "start": "startDate",
            "end": "endDate",
            "url": "url",
            "thesis": "description",
        },
        ("start", "end"),
        derived=lambda s: {"type": "supervision", "roles": [s.role or "advisor"]},
    ),
    heading=r"students?|supervis|mentees?|advisees?|mentoring|\bgroup members\b|\blab members\b",
    heading_rank=45,
    trims=(Trim(115, 5), Trim(135, 3)),
)
