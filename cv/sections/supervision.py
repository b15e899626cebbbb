"""Students and postdocs supervised: grouped by level, current ones first."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal

from markupsafe import Markup, escape
from pydantic import BeforeValidator

from cv import markup
from cv.dates import format_range
from cv.fields import Details, Period, Tags
from cv.i18n import word
from cv.interop.text import plain, split_top, strip_period
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

if TYPE_CHECKING:
    from cv.interop.markdown_items import Block
    from cv.interop.reading import PageReader

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
        details.append(Markup("{}: <em>{}</em>").format(word("thesis"), markup.inline(s.thesis)))
    if s.next:
        details.append(escape(word("next") + ": ") + markup.inline(s.next))
    details += [markup.inline(d) for d in s.details]
    subtitle = markup.inline(word("co_advised") if s.role == "co-advisor" else None)
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


def read_markdown(page: PageReader, heading: str, block: Block) -> None:
    """``- *2021.09 - present*, [Name](url), PhD, co-advised, thesis: *T*, next: Google``.

    The level may instead come from the subheading the student is listed under ("PhD
    Students", "Undergraduate Students"); ``(co-supervised)`` after the name is the role and
    ``(Sept 2023-)`` at the end a period still running.
    """
    from cv.interop.item_parts import ADVISING, STUDENT_NEXT, THESIS, dated, level_of, linked

    start, end, body = dated(block.text)
    pieces = split_top(strip_period(body), ",")
    head = pieces[0] if pieces else ""
    aside = re.fullmatch(r"(.+?[^\]\s])\s*[(（]([^()（）]+)[)）]", head)  # not a link's (url)
    if aside:
        head = aside.group(1)
        pieces[1:1] = split_top(aside.group(2), ",")
    name, url = linked(re.sub(r"^(\*\*|__)(.+)\1$", r"\2", head.strip()))
    fields: dict[str, Any] = {"start": start, "end": end, "name": name, "url": url}
    notes: list[str] = []
    for piece in [*pieces[1:], *(child.text for child in block.walk()[1:])]:
        text = plain(piece).strip()
        thesis = THESIS.match(piece)
        after = STUDENT_NEXT.match(text)
        advising = ADVISING.fullmatch(text)
        graduated = re.fullmatch(r"(.+?)\s*,?\s*\(?((?:19|20)\d{2})\)?", text)  # "Ph.D. 2020"
        level = level_of(piece, whole=True)
        if graduated and not level and level_of(graduated.group(1), whole=True):
            level = level_of(graduated.group(1), whole=True)
            fields["end"] = fields["end"] or graduated.group(2)
        if level and "level" not in fields:
            fields["level"] = level
        elif advising and "role" not in fields:
            fields["role"] = "co-advisor" if advising.group("co") else "advisor"
        elif thesis and "thesis" not in fields:
            fields["thesis"] = strip_period(plain(thesis.group("thesis")))
        elif after and "next" not in fields:
            fields["next"] = strip_period(after.group("next"))
        else:
            notes.append(strip_period(piece))
    if "level" not in fields and level_of(page.subheading or "", whole=False):
        fields["level"] = level_of(page.group() or "", whole=False)
    if "level" not in fields:
        fields["level"] = level_of(heading, whole=False)
    if fields["level"] is None:
        levels = ", ".join(LEVELS)
        page.keep(heading, block, f"student without a level ({levels}) in the line or subheading")
        return
    page.add(SECTION.key, {**fields, "details": notes}, block, "a student")


SECTION = SectionKind(
    key="supervision",
    title="Students Supervised",
    model=Student,
    view=view,
    sort=_sort,
    group=lambda s: word(f"level_{s.level.lower()}"),  # LEVELS' headings, in the language
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
    heading=r"students?|supervis|mentees?|advisees?|mentoring|\bgroup members\b|\blab members\b"
    r"|学生|指导",
    heading_rank=45,
    trims=(Trim(115, 5), Trim(135, 3)),
    read_markdown=read_markdown,
)
