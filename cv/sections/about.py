"""About: the homepage's introduction and the research interests. Not a list of entries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from cv import markup
from cv.sections.base import SectionData, SectionKind
from cv.views import Section


def interest_items(record: Any) -> tuple[tuple[Markup, Markup], ...]:
    """Research interests as (title, details) pairs of safe HTML; details empty for a string."""
    return tuple(
        (markup.inline(i), Markup(""))
        if isinstance(i, str)
        else (markup.inline(i.title), markup.inline(i.details))
        for i in record.interests
    )


def make(data: SectionData, title: str, _limit: int | None) -> Section | None:
    record = data.record
    extra: dict[str, Any] = {}
    if record.about:
        extra["about"] = markup.block(record.about)
    interests = interest_items(record)
    if interests:
        extra["interests"] = interests
    return Section("about", title, (), extra) if extra else None


def markdown(_items: Sequence[Any]) -> list[str]:
    return []  # the introduction comes before the sections (cv.interop.acadhomepage_export)


SECTION = SectionKind(
    key="about",
    title="About Me",
    model=None,
    view=lambda item, _data: item,
    markdown=markdown,
    jsonresume=None,  # basics.summary and interests (cv.interop.jsonresume_export)
    heading=r"\babout\b|biography|\bbio\b|research interests?|\bintro",
    heading_rank=95,
    tagged=False,
    make=make,
    entries=lambda _record: (),
)
