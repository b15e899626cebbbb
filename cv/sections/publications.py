"""Publications, from the .bib files: grouped, numbered, with marks and citation counts.

Not entries of cv.yaml: ``publications:`` there holds the options, the .bib files the entries.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from cv.bibliography import group_publications, used_marks
from cv.interop.item_parts import whole_text
from cv.interop.papers import LOREM, read_paper_box, read_publication_line
from cv.interop.text import html_to_markdown
from cv.sections.base import SectionData, SectionKind, Trim
from cv.views import Section, group_views, scholar_view

if TYPE_CHECKING:
    from cv.interop.markdown_items import Block
    from cv.interop.reading import PageReader


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


def read_markdown(page: PageReader, heading: str, block: Block) -> None:
    """Paper boxes (``<div class='paper-box'>``) and lines ``- [Title](url), Authors, **VENUE**``.

    Each paper becomes a BibTeX entry; the names in bold in the author lines are the owner's.
    """
    if block.kind == "heading":
        page.note(
            block.line, f"subheading '{block.text}' is not kept (the CV groups the section itself)"
        )
        return
    if block.kind == "html":
        box = read_paper_box(block)
        for line, message in box.notes:
            page.note(line, message)
        page.owner_names.update(box.owners)
        if box.paper is None:
            if not box.sample:
                page.keep(heading, block, "paper box without a title")
            return
        page.scholar_user = page.scholar_user or box.scholar_user
        page.add_paper(box.paper, block.line)
        return
    text = whole_text(block)
    text = html_to_markdown(text) if "<" in text else text
    if not re.search(r"\w", text):
        return  # markup without text: an anchor, an image
    if LOREM.search(text):
        page.note(block.line, "skipped the template's Lorem ipsum placeholder")
        return
    parsed = read_publication_line(text)
    if parsed is None:
        expected = "expected [Title](url), Authors, **VENUE YEAR**"
        page.keep(heading, block, f"publication line not understood ({expected})")
        return
    page.add_paper(parsed, block.line)


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
    read_markdown=read_markdown,
)
