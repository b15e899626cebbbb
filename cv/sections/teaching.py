"""Teaching: courses by term, newest first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from cv import markup
from cv.fields import AcademicDate, Details, Strict, Tags
from cv.interop.text import plain, split_top, strip_period
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

if TYPE_CHECKING:
    from cv.interop.markdown_items import Block
    from cv.interop.reading import PageReader


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


def read_markdown(page: PageReader, heading: str, block: Block) -> None:
    """``- Fall 2020, Instructor, CS101 Intro, University``, or courses under a role line.

    ``- Teaching Assistant at HKBU`` with the terms nested under it gives each nested course
    that role and institution.
    """
    from cv.interop.item_parts import COURSE_CODE, INSTITUTION, REVIEWING, TEACHING_ROLE, role_at
    from cv.interop.markdown_items import find_term, split_date_prefix

    if REVIEWING.search(block.text) or REVIEWING.search(page.subheading or ""):
        from cv.sections import service  # reviewing is service, wherever the page lists it

        page.note(block.line, f"{plain(block.text)[:50]!r} is read as service (reviewing)")
        service.read_markdown(page, heading, block)
        return
    courses: list[tuple[Block, str | None, str | None]] = [(block, None, None)]
    if any(find_term(child.text) for child in block.children) and not find_term(block.text):
        role, institution = role_at(strip_period(block.text).rstrip(":"))
        courses = [(child, role, institution) for child in block.children]
    for item, role, institution in courses:
        dated = split_date_prefix(item.text)
        found = (dated[0], dated[2]) if dated and not dated[1] else find_term(item.text)
        if found is None:
            page.keep(heading, item, "teaching item without a term or year")
            continue
        term, rest = found
        course_parts: list[str] = []
        for piece in split_top(strip_period(rest), ","):
            piece = piece.strip(" ,:;–—-")
            if not piece:
                continue
            if role is None and TEACHING_ROLE.search(piece) and len(piece) < 60:
                role = piece
            elif institution is None and INSTITUTION.search(piece) and course_parts:
                institution = piece
            else:
                course_parts.append(piece)
        course = COURSE_CODE.sub(r"\1 ", ", ".join(course_parts))
        notes = [strip_period(child.text) for child in item.walk()[1:]]
        fields = {"term": term, "role": role, "course": course, "institution": institution}
        page.add(SECTION.key, {**fields, "details": notes}, item, "a teaching term")


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
    heading=r"teaching|\bcourses?\b|\bta\b|教学|授课|课程",
    heading_rank=50,
    trims=(Trim(40, 3), Trim(90, 0)),
    read_markdown=read_markdown,
)
