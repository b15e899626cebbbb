"""Professional service: roles with the venues served, as written (no natural date order)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from pydantic import Field

from cv import markup
from cv.fields import AcademicDate, Details, Strict, Tags, empty_list
from cv.interop.text import LINK, split_top, strip_period
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

if TYPE_CHECKING:
    from cv.interop.markdown_items import Block
    from cv.interop.reading import PageReader


class VenueGroup(Strict):
    label: str
    venues: list[str]


class Service(Strict):
    role: str
    groups: list[VenueGroup] = Field(default_factory=empty_list)
    venues: list[str] = Field(default_factory=empty_list)
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


def read_markdown(page: PageReader, heading: str, block: Block) -> None:
    """``- Reviewer: NeurIPS, ICML``, or a role with venues (or ``label: venues``) nested.

    A nested item in italics is a note on the role, not a venue. Plain items under a
    subheading (``## Journal Reviewer``) are the venues of that role.
    """
    from cv.interop.item_parts import label_colon, unbold
    from cv.interop.markdown_items import split_date_prefix

    dated = split_date_prefix(block.text)
    date, text = (dated[0], dated[2]) if dated and not dated[1] else (None, block.text)
    text = strip_period(label_colon(text))
    groups: list[dict[str, Any]] = []
    venues: list[str] = []
    notes: list[str] = []
    role = unbold(text.rstrip(":"))
    labelled = split_top(text, ":") if not text.endswith(":") else []
    if not block.children and len(labelled) > 1 and len(labelled[0]) < 80:
        if not LINK.search(labelled[0]):
            role, venues = unbold(labelled[0]), split_top(": ".join(labelled[1:]), ",")
    elif not block.children and date is None and page.subheading is not None:
        entries = page.items.get(SECTION.key, [])
        group = page.group()
        if entries and entries[-1].get("role") == group and "venues" in entries[-1]:
            entries[-1]["venues"].append(text)
            return
        role, venues = group or role, [text]
    for child in block.children:
        if child.children:
            label = child.text.rstrip(":").strip()
            members = [strip_period(g.text) for g in child.walk()[1:]]
            groups.append({"label": label, "venues": members})
            continue
        emphasised = re.fullmatch(r"([*_])(?!\1)(.+)\1", child.text.strip())
        head, colon, tail = child.text.partition(":")
        if emphasised:
            notes.append(strip_period(emphasised.group(2)))
        elif colon and tail.strip() and len(head) < 60 and not LINK.search(head):
            groups.append({"label": head.strip(), "venues": split_top(strip_period(tail), ",")})
        else:
            venues.append(strip_period(child.text))
    item = {"role": role, "date": date, "groups": groups, "venues": venues, "details": notes}
    page.add(SECTION.key, item, block, "a service role")


SECTION = SectionKind(
    key="service",
    title="Professional Service",
    homepage_title="Professional Activities",
    model=Service,
    view=view,
    markdown=markdown,
    jsonresume=ResumeMap(
        "volunteer", {"role": "position", "date": "startDate"}, ("date",), derived=_highlights
    ),
    heading=r"services?\b|activities|review(?:er|ing)|committees?|volunteer|academic duties"
    r"|服务|兼职|审稿",
    heading_rank=60,
    trims=(Trim(50, 2), Trim(120, 0)),
    read_markdown=read_markdown,
)
