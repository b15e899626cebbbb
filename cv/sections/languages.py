"""Languages spoken (from JSON Resume and RenderCV records), as written."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from cv import markup
from cv.fields import Strict
from cv.interop.text import plain, strip_period
from cv.sections.base import ResumeMap, SectionData, SectionKind, entry, one_line, strong
from cv.views import Entry

if TYPE_CHECKING:
    from cv.interop.markdown_items import Block
    from cv.interop.reading import PageReader


class Language(Strict):
    language: str
    fluency: str | None = None


def view(lang: Language, _data: SectionData) -> Entry:
    return entry("", strong(markup.inline(lang.language)), markup.inline(lang.fluency))


def markdown(items: Sequence[Language]) -> list[str]:
    return [
        f"- {one_line(lang.language)}{': ' + one_line(lang.fluency) if lang.fluency else ''}"
        for lang in items
    ]


def read_markdown(page: PageReader, heading: str, block: Block) -> None:
    """``- English: Native``, ``- French (fluent)`` or ``- German – basic``."""
    from cv.interop.item_parts import LANGUAGE

    text = plain(strip_period(block.text))
    found = LANGUAGE.fullmatch(text)
    language, fluency = (found["language"], found["fluency"]) if found else (text, None)
    page.add(SECTION.key, {"language": language, "fluency": fluency}, block, "a language")


SECTION = SectionKind(
    key="languages",
    title="Languages",
    model=Language,
    view=view,
    markdown=markdown,
    jsonresume=ResumeMap("languages", {"language": "language", "fluency": "fluency"}),
    heading=r"^languages?$",
    heading_rank=87,
    tagged=False,
    read_markdown=read_markdown,
)
