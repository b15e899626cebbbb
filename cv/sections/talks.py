"""Invited talks, newest first, with their video and slides."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from cv import markup
from cv.fields import AcademicDate, Strict, Tags
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
)
from cv.views import Entry, Link


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
    return entry(
        str(t.date), Markup("<em>{}</em>").format(link(t.title, t.url)), subtitle, (), links
    )


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
    heading=r"\btalks?\b|presentations?|keynotes?|seminars?|lectures? given",
    heading_rank=40,
    trims=(Trim(20, 3), Trim(80, 0)),
    emoji="💬",
)
