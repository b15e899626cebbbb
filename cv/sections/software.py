"""Software and datasets: what was built and released, as written."""

from __future__ import annotations

from collections.abc import Sequence

from cv import markup
from cv.fields import Details, Strict, Tags
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
)
