"""Skills (from JSON Resume and RenderCV records), as written."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pydantic import Field

from cv import markup
from cv.fields import Strict, empty_list
from cv.interop.text import split_top, strip_period
from cv.sections.base import ResumeMap, SectionData, SectionKind, entry, join, one_line, strong
from cv.views import Entry

if TYPE_CHECKING:
    from cv.interop.markdown_items import Block
    from cv.interop.reading import PageReader


class Skill(Strict):
    name: str
    level: str | None = None
    keywords: list[str] = Field(default_factory=empty_list)


def view(s: Skill, _data: SectionData) -> Entry:
    keywords = (join(*(markup.inline(k) for k in s.keywords)),) if s.keywords else ()
    return entry("", strong(markup.inline(s.name)), markup.inline(s.level), keywords)


def markdown(items: Sequence[Skill]) -> list[str]:
    return [
        f"- **{one_line(s.name)}**{' (' + one_line(s.level) + ')' if s.level else ''}"
        f"{': ' + ', '.join(s.keywords) if s.keywords else ''}"
        for s in items
    ]


def read_markdown(page: PageReader, heading: str, block: Block) -> None:
    """``- **Programming** (advanced): Python, C++`` (a line without a colon is one skill)."""
    from cv.interop.item_parts import SKILL, details

    text = strip_period(block.text).replace(":**", "**:").replace(":__", "__:")
    found = SKILL.fullmatch(text)
    name, level, words = (text, None, "")
    if found:
        name, level, words = found["name"], found["level"], found["words"] or ""
    keywords = [*split_top(words.replace("; ", ", "), ","), *details(block)]
    fields = {"name": name.strip(), "level": level, "keywords": keywords}
    page.add(SECTION.key, fields, block, "a skill")


SECTION = SectionKind(
    key="skills",
    title="Skills",
    model=Skill,
    view=view,
    markdown=markdown,
    jsonresume=ResumeMap("skills", {"name": "name", "level": "level", "keywords": "keywords"}),
    heading=r"\bskills?\b|技能",
    heading_rank=86,
    tagged=False,
    read_markdown=read_markdown,
)
