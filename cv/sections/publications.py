"""Publications, from the .bib files: grouped, numbered, with marks and citation counts.

Not entries of cv.yaml: ``publications:`` there holds the options, the .bib files the entries.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from cv.bibliography import group_publications, used_marks
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
    """Paper boxes, cards of HTML, and list items or paragraphs that are papers.

    A box is read by its parts (:func:`~cv.interop.papers.read_paper_box`); a box that holds
    others, or lists, is read box by box, item by item. An item or paragraph on one line is
    ``[Title](url), Authors, **VENUE YEAR**`` or a reference (``Authors (2026). Title. Venue.``);
    on several lines (``<br>``), a paper's parts in any order. Each paper becomes a BibTeX
    entry; the names in bold in the author lines are the owner's.
    """
    from cv.interop.item_parts import whole_text
    from cv.interop.papers import LOREM, paper_from_lines, read_publication_line

    if block.kind == "heading":
        page.note(
            block.line, f"subheading '{block.text}' is not kept (the CV groups the section itself)"
        )
        page.subheading = block.text  # a year in it (## 2026) is the year of the papers under it
        return
    if block.kind == "html":
        _read_box(page, heading, block)
        return
    text = whole_text(block)
    if not re.search(r"\w", text):
        return  # markup without text: an anchor, an image
    if LOREM.search(text):
        page.note(block.line, "skipped the template's Lorem ipsum placeholder")
        return
    lines = [(line, part) for line, part in block.lines if part.strip()]
    if _read_references(page, heading, lines):
        return
    parsed = read_publication_line(text) if len(lines) < 2 else None
    if parsed is None and len(lines) >= 2:
        paper, owners, _notes = paper_from_lines(lines)
        if paper.get("title") and (paper.get("authors") or paper.get("venue")):
            page.owner_names.update(owners)
            parsed = paper
    if parsed is None:
        expected = "expected [Title](url), Authors, **VENUE YEAR**"
        page.keep(heading, block, f"publication line not understood ({expected})")
        return
    page.owner_names.update(parsed.pop("owners", []))
    for child in block.children:
        parsed.setdefault("annotation", []).append(child.text)
    page.add_paper(parsed, block.line)


def _read_references(
    page: PageReader, heading: str, lines: list[tuple[int, str]], least: int = 2
) -> bool:
    """Several references, one a line (each with its authors and year), in one paragraph or
    box: each a paper, a line of links after one its links, other lines kept as text.

    Returns:
        Whether the lines were such references (and were read).
    """
    from cv.interop.markdown_items import Block
    from cv.interop.paper_parts import is_title_link, links_of
    from cv.interop.papers import paper_year, read_publication_line

    if len(lines) < 2:
        return False
    if any(is_title_link(text) for _, text in lines):
        return False  # [Title](url) on its own line: the lines of one paper
    parsed = [(line, text, read_publication_line(text)) for line, text in lines]
    papers = [
        paper for _, _, paper in parsed if paper and paper.get("authors") and paper_year(paper)
    ]
    texts = [text for _, text, _ in parsed if "](" not in text]  # lines that are not links
    if len(papers) < least or len(papers) * 2 < len(texts):
        return False
    found: list[tuple[int, dict[str, Any]]] = []
    for line, text, paper in parsed:
        if paper is not None and paper in papers:
            found.append((line, paper))
        elif found and links_of(text) and not re.sub(r"\[[^\]]*\]\([^)]*\)|[\s\\\[\]|,]", "", text):
            found[-1][1]["links"] = {**links_of(text), **found[-1][1].get("links", {})}
        else:
            page.keep(heading, Block("paragraph", line, text))
    for line, paper in found:
        page.owner_names.update(paper.pop("owners", []))
        page.add_paper(paper, line)
    return True


def _holds_papers(block: Block) -> bool:
    """Whether a box holds papers (paper boxes, list items, cards), not the parts of one."""
    from cv.interop.papers import is_paper_box

    inner = [child for child in block.children if child.text.strip()]
    boxes = [child for child in inner if child.kind == "html"]
    return (
        any(is_paper_box(child) or child.kind == "item" for child in inner)
        or sum(len(child.lines) >= 3 for child in boxes) >= 2
        or (len(boxes) == 1 and len(inner) == 1 and _holds_papers(boxes[0]))
    )


def _read_box(page: PageReader, heading: str, block: Block) -> None:
    """A paper box or card; or, for a box of boxes or lists, each of them."""
    from cv.interop.papers import is_paper_box, read_paper_box

    if not is_paper_box(block) and _holds_papers(block):
        for child in block.children:
            read_markdown(page, heading, child)
        return
    if _read_references(page, heading, block.lines, least=1):  # a box of references
        return
    box = read_paper_box(block)
    for line, message in box.notes:
        page.note(line, message)
    page.owner_names.update(box.owners)
    if box.paper is None:
        if not box.sample and block.text.strip():
            page.keep(heading, block, "paper box without a title")
        return
    page.scholar_user = page.scholar_user or box.scholar_user
    page.add_paper(box.paper, block.line)


SECTION = SectionKind(
    key="publications",
    title="Publications",
    model=None,
    view=lambda item, _data: item,
    markdown=markdown,
    jsonresume=None,  # JSON Resume's publications, from the .bib entries
    heading=r"publications?|papers?\b|preprints?|bibliography|论文|发表|著作",
    heading_rank=20,
    tagged=False,
    trims=(Trim(100, 10), Trim(140, 5), Trim(160, 3)),
    emoji="📝",
    make=make,
    entries=lambda _record: (),
    count=lambda data: len(data.publications),
    read_markdown=read_markdown,
)
