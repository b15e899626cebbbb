"""Publications, from the .bib files: grouped, numbered, with marks and citation counts.

Not entries of cv.yaml: ``publications:`` there holds the options, the .bib files the entries.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cv.bibliography import group_publications, used_marks
from cv.sections.base import SectionData, SectionKind, Trim
from cv.views import Section, group_views, scholar_view


def make(data: SectionData, title: str, limit: int | None) -> Section | None:
    chosen = list(data.publications)[:limit] if limit else list(data.publications)
    if not chosen:
        return None
    options = data.record.publications
    groups = group_publications(chosen, options.group_by, options.numbering)
    extra = {
        "has_marks": any(publication.has_marks for publication in chosen),
        "marks": used_marks(chosen),
        "scholar": scholar_view(data.scholar) if data.scholar else None,
    }
    return Section("publications", title, group_views(groups, data.scholar), extra)


def markdown(_items: Sequence[Any]) -> list[str]:
    return []  # paper boxes made from the .bib entries (cv.interop.acadhomepage_export)


SECTION = SectionKind(
    key="publications",
    title="Publications",
    model=None,
    view=lambda item, _data: item,
    markdown=markdown,
    jsonresume=None,  # JSON Resume's publications, from the .bib entries
    heading=r"publications?|papers?\b|preprints?|bibliography",
    heading_rank=20,
    tagged=False,
    trims=(Trim(100, 10), Trim(140, 5), Trim(160, 3)),
    emoji="📝",
    make=make,
    entries=lambda _record: (),
    count=lambda data: len(data.publications),
)
