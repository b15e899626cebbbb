"""Education: degrees, newest first, with advisor and thesis."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

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

if TYPE_CHECKING:
    from cv.interop.markdown_items import Block
    from cv.interop.reading import PageReader


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
        details.insert(0, Markup("{}: <em>{}</em>").format(word("thesis"), markup.inline(e.thesis)))
    if e.advisor:
        details.insert(0, escape(word("advisor") + ": ") + markup.inline(e.advisor))
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


def read_markdown(page: PageReader, heading: str, block: Block) -> None:
    """``- *2015.09 - 2019.06*, B.Sc. in Physics, [University](url) · Paris, advised by X``.

    A nested ``Thesis: *title*`` is the thesis; other nested items are details.
    """
    from cv.interop.item_parts import DEGREE, INSTITUTION, advisor, dated, linked, location, unbold

    start, end, body = dated(block.text)
    body, who, _ = advisor(body, split_link=False)
    main, where = location(body)
    pieces = split_top(main, ",")
    degree_at = next((i for i, p in enumerate(pieces) if DEGREE.match(plain(p))), 0)
    degree = pieces.pop(degree_at) if pieces else ""
    school_at = next((i for i, p in enumerate(pieces) if INSTITUTION.search(p)), 0)
    institution_text = pieces.pop(school_at) if pieces else ""
    if pieces and not where:
        where = ", ".join(pieces)
    elif pieces:
        institution_text = ", ".join([institution_text, *pieces])
    institution, url = linked(institution_text)
    field = None
    degree = unbold(degree)  # **BA in Econometrics**: the bold is the whole degree's
    split = re.match(r"^(.+?)\s+in\s+(.+)$", degree)
    if split and DEGREE.match(plain(degree)):
        degree, field = split.group(1), split.group(2)
    thesis = None
    notes = []
    for child in block.walk()[1:]:
        found = re.match(r"^(?:\*\*|\*|_)?thesis(?:\*\*|\*|_)?\s*:\s*(.+)$", child.text, re.I)
        if found and thesis is None:
            title = found.group(1)
            thesis = strip_period(plain(title) if title.startswith(("*", "_")) else title)
        else:
            notes.append(strip_period(child.text))
    item = {"start": start, "end": end, "degree": degree, "field": field}
    item |= {"institution": institution or "", "url": url, "location": where, "advisor": who}
    item |= {"thesis": thesis, "details": notes}
    page.add(SECTION.key, item, block, "a degree")


SECTION = SectionKind(
    key="education",
    title="Education",
    homepage_title="Educations",
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
    heading=r"educations?|degrees?|academic background|\bstudies\b|教育|学历",
    heading_rank=80,
    trims=(Trim(150, 2),),
    emoji="📖",
    read_markdown=read_markdown,
)
