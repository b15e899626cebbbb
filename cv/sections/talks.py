"""Invited talks, newest first, with their video and slides."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cv import markup
from cv.fields import AcademicDate, Strict, Tags
from cv.interop.text import split_top, strip_period
from cv.sections.base import (
    ResumeMap,
    SectionData,
    SectionKind,
    Trim,
    entry,
    join,
    link,
    md_date,
    md_parts,
    one_line,
    strong,
)
from cv.views import Entry, Link

if TYPE_CHECKING:
    from cv.interop.markdown_items import Block
    from cv.interop.reading import PageReader


class Talk(Strict):
    date: AcademicDate
    title: str
    event: str | None = None
    location: str | None = None
    url: str | None = None
    video: str | None = None
    slides: str | None = None
    tags: Tags


def view(t: Talk, _data: SectionData) -> Entry:
    links = tuple(
        Link(label, label.capitalize(), markup.safe_url(url))
        for label, url in (("video", t.video), ("slides", t.slides))
        if url
    )
    subtitle = join(markup.inline(t.event), markup.inline(t.location))
    return entry(str(t.date), strong(link(t.title, t.url)), subtitle, (), links)


def markdown(items: Sequence[Talk]) -> list[str]:
    lines = []
    for t in items:
        title = f"[{one_line(t.title)}]({t.url})" if t.url else f'"{one_line(t.title)}"'
        text = md_parts(title, t.event)
        if t.location:
            text += f" · {one_line(t.location)}"
        for label, url in (("video", t.video), ("slides", t.slides)):
            if url:
                text += f" \\| [\\[{label}\\]]({url})"
        lines.append(f"- *{md_date(t.date)}*, {text}")
    return lines


def read_markdown(page: PageReader, heading: str, block: Block) -> None:
    """``- *2022.05*, "Title", Event · City \\| [\\[video\\]](url) \\| [\\[slides\\]](url)``."""
    from cv.interop.item_parts import linked, location
    from cv.interop.markdown_items import split_date_prefix, split_date_suffix

    dated = split_date_prefix(block.text) or split_date_suffix(block.text)
    if dated is None:
        page.keep(heading, block, "talk without a date")
        return
    body = dated[2]
    links: dict[str, str] = {}
    labels = {"video": "video", "slides": "slides", "recording": "video", "youtube": "video"}
    labels |= {"link": "url", "pdf": "slides"}
    while True:
        found = re.search(
            r"[\s|,;\\]*\[(?:\\\[)?([^\]\\]+?)(?:\\\])?\]\(([^)\s]+)\)[\s.|\\]*$", body
        )
        if not found or found.group(1).strip().lower() not in labels:
            break
        links[labels[found.group(1).strip().lower()]] = found.group(2)
        body = body[: found.start()]
    body = strip_period(body.rstrip(" |\\"))
    quoted = re.match(r'^\s*["“](.+?)["”]\s*[,.]?\s*(.*)$', body)
    if quoted:
        title_text, rest = quoted.group(1), split_top(quoted.group(2), ",")
    else:
        pieces = split_top(body, ",")
        title_text, rest = (pieces[0] if pieces else ""), pieces[1:]
    title, url = linked(title_text)
    event, where = location(", ".join(rest[:1]))
    if len(rest) > 1:
        where = ", ".join(([where] if where else []) + rest[1:])
    item = {"date": dated[0], "title": title, "event": event, "location": where}
    item |= {"url": url or links.get("url"), "video": links.get("video")}
    page.add(SECTION.key, {**item, "slides": links.get("slides")}, block, "a talk")


SECTION = SectionKind(
    key="talks",
    title="Invited Talks",
    model=Talk,
    view=view,
    sort=lambda t: t.date.sort_key,
    markdown=markdown,
    jsonresume=ResumeMap(
        "projects",
        {"title": "name", "date": "startDate", "event": "entity", "url": "url"},
        ("date",),
        derived=lambda _talk: {"type": "talk"},
    ),
    heading=r"\btalks?\b|presentations?|keynotes?|seminars?|lectures? given|报告|讲座",
    heading_rank=40,
    trims=(Trim(20, 3), Trim(80, 0)),
    emoji="💬",
    read_markdown=read_markdown,
)
