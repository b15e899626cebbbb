"""Patents, newest first, with the owner bold among the inventors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator

from cv import markup
from cv.fields import AcademicDate, Details, Names, Strict, Tags
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
    people,
    strong,
)
from cv.views import Entry

Status = Annotated[
    Literal["filed", "granted"],
    BeforeValidator(lambda value: value.strip().casefold() if isinstance(value, str) else value),
]


class Patent(Strict):
    title: str
    number: str | None = None
    office: str | None = None
    status: Status | None = None
    date: AcademicDate | None = None
    inventors: Names
    url: str | None = None
    details: Details
    tags: Tags


def _where(p: Patent) -> str:
    status = p.status.capitalize() if p.status else None
    return ", ".join(part for part in (p.office, p.number, status) if part)


def view(p: Patent, data: SectionData) -> Entry:
    details = (markup.inline(_where(p)),) if _where(p) else ()
    return entry(
        str(p.date or ""),
        strong(link(p.title, p.url)),
        people(p.inventors, data) if p.inventors else None,
        (*details, *inline_all(p.details)),
    )


def markdown(items: Sequence[Patent]) -> list[str]:
    lines = []
    for p in items:
        date = f"*{md_date(p.date)}*, " if p.date else ""
        text = md_parts(md_link(p.title, p.url), ", ".join(p.inventors), _where(p))
        lines += [f"- {date}{text}", *md_details(p.details)]
    return lines


def _derived(p: Patent) -> dict[str, Any]:
    summary = "; ".join(part for part in (_where(p), *p.details) if part)
    out: dict[str, Any] = {"summary": summary} if summary else {}
    if p.inventors:
        out["authors"] = list(p.inventors)
    return out


SECTION = SectionKind(
    key="patents",
    title="Patents",
    model=Patent,
    view=view,
    sort=lambda p: p.date.sort_key if p.date else (0, 0, 0),
    markdown=markdown,
    # JSON Resume has no patents: a publication by the patent office is the closest field.
    jsonresume=ResumeMap(
        "publications",
        {"title": "name", "office": "publisher", "date": "releaseDate", "url": "url"},
        ("date",),
        derived=_derived,
    ),
    heading=r"patents?",
    heading_rank=35,
    trims=(Trim(105, 3),),
)
