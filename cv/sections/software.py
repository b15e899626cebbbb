"""Software and datasets: what was built and released, as written."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cv import markup
from cv.fields import Details, Strict, Tags
from cv.interop.text import split_top
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
    strong,
)
from cv.views import Entry

if TYPE_CHECKING:
    from cv.interop.markdown_items import Block
    from cv.interop.reading import PageReader


class Software(Strict):
    name: str
    url: str | None = None
    role: str | None = None
    description: str | None = None
    stats: str | None = None
    details: Details
    tags: Tags


def view(s: Software, _data: SectionData) -> Entry:
    details = [markup.inline(s.description)] if s.description else []
    details += [markup.inline(d) for d in s.details]
    subtitle = join(markup.inline(s.role), markup.inline(s.stats))
    return entry("", strong(link(s.name, s.url)), subtitle, details)


def markdown(items: Sequence[Software]) -> list[str]:
    lines = []
    for s in items:
        text = md_parts(f"**{md_link(s.name, s.url)}**", s.role, s.stats)
        if s.description:
            text += f": {' '.join(s.description.split())}"
        lines += [f"- {text}", *md_details(s.details)]
    return lines


def read_markdown(page: PageReader, heading: str, block: Block) -> None:
    """``- **[name](url)**, maintainer, 2k stars: what it does`` (role and stats optional)."""
    from cv.interop.item_parts import SOFTWARE_STATS, details, linked, split_description

    text = block.text.strip()
    bold = re.match(r"^(\*\*|__)(.+?)\1", text)
    head, rest = (bold.group(2), text[bold.end() :]) if bold else ("", text)
    rest, description = split_description(rest)
    pieces = split_top(rest, ",")
    if not bold:
        head, pieces = (pieces[0] if pieces else ""), pieces[1:]
    name, url = linked(re.sub(r"^(\*\*|__)(.+)\1$", r"\2", head.strip()))
    roles = [piece for piece in pieces if not SOFTWARE_STATS.search(piece)]
    stats = [piece for piece in pieces if SOFTWARE_STATS.search(piece)]
    fields = {"name": name, "url": url, "role": ", ".join(roles), "stats": ", ".join(stats)}
    fields |= {"description": description}
    page.add(SECTION.key, {**fields, "details": details(block)}, block, "a piece of software")


SECTION = SectionKind(
    key="software",
    title="Software and Datasets",
    model=Software,
    view=view,
    markdown=markdown,
    jsonresume=ResumeMap(
        "projects",
        {"name": "name", "url": "url", "description": "description", "details": "highlights"},
        derived=lambda s: {"type": "software", **({"roles": [s.role]} if s.role else {})},
    ),
    heading=r"software|datasets?|open[- ]source|\bcode\b|\btools\b",
    heading_rank=55,
    trims=(Trim(45, 3), Trim(95, 1)),
    read_markdown=read_markdown,
)
