"""Languages spoken (from JSON Resume and RenderCV records), as written."""

from __future__ import annotations

from collections.abc import Sequence

from cv import markup
from cv.fields import Strict
from cv.sections.base import ResumeMap, SectionData, SectionKind, entry, one_line, strong
from cv.views import Entry


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
)
