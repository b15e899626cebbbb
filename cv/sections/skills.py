"""Skills (from JSON Resume and RenderCV records), as written."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import Field

from cv import markup
from cv.fields import Strict
from cv.sections.base import ResumeMap, SectionData, SectionKind, entry, join, one_line, strong
from cv.views import Entry


class Skill(Strict):
    name: str
    level: str | None = None
    keywords: list[str] = Field(default_factory=list)


def view(s: Skill, _data: SectionData) -> Entry:
    keywords = (join(*(markup.inline(k) for k in s.keywords)),) if s.keywords else ()
    return entry("", strong(markup.inline(s.name)), markup.inline(s.level), keywords)


def markdown(items: Sequence[Skill]) -> list[str]:
    return [
        f"- **{one_line(s.name)}**{' (' + one_line(s.level) + ')' if s.level else ''}"
        f"{': ' + ', '.join(s.keywords) if s.keywords else ''}"
        for s in items
    ]


SECTION = SectionKind(
    key="skills",
    title="Skills",
    model=Skill,
    view=view,
    markdown=markdown,
    jsonresume=ResumeMap("skills", {"name": "name", "level": "level", "keywords": "keywords"}),
    heading=r"\bskills?\b",
    heading_rank=86,
    tagged=False,
)
