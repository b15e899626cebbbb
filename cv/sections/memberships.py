"""Memberships of professional societies, newest first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from cv import markup
from cv.dates import format_range
from cv.fields import Period, Tags
from cv.interop.text import plain, split_top, strip_period
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

if TYPE_CHECKING:
    from cv.interop.markdown_items import Block
    from cv.interop.reading import PageReader


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


def read_markdown(page: PageReader, heading: str, block: Block) -> None:
    """``- *2015 - present*, IEEE, Senior Member``; also ``Member, ACM`` and ``IEEE Fellow``."""
    from cv.interop.item_parts import MEMBER_AFTER, MEMBER_GRADE, MEMBER_OF, dated

    start, end, body = dated(block.text)
    body = strip_period(body)
    pieces = split_top(body, ",")
    grade = None
    if len(pieces) > 1 and MEMBER_GRADE.fullmatch(plain(pieces[0])):
        grade, organization = pieces[0], ", ".join(pieces[1:])
    elif len(pieces) > 1:
        organization, grade = pieces[0], ", ".join(pieces[1:])
    else:
        found = MEMBER_OF.fullmatch(body) or MEMBER_AFTER.fullmatch(body)
        organization, grade = (found.group("org"), found.group("grade")) if found else (body, None)
    fields = {"start": start, "end": end, "organization": organization, "grade": grade}
    page.add(SECTION.key, fields, block, "a membership")


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
    read_markdown=read_markdown,
)
