"""About: the homepage's introduction and the research interests. Not a list of entries."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from cv import markup
from cv.interop.text import strip_period
from cv.sections.base import SectionData, SectionKind
from cv.views import Section

if TYPE_CHECKING:
    from cv.interop.markdown_items import Block
    from cv.interop.reading import PageReader


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


def read_markdown(page: PageReader, heading: str, block: Block) -> None:
    """The introduction: paragraphs, ``**labels**``, lists and inline HTML, as Markdown.

    The list under a label or heading that names interests is the research interests
    (``- Title: details`` or a plain line each).
    """
    from cv.interop.item_parts import markdown_list
    from cv.interop.papers import LOREM

    text = block.text
    if block.kind == "html":
        for child in block.children:
            read_markdown(page, heading, child)
        return
    if not re.search(r"\w", text):  # links around images only, badges
        if block.element is not None and block.element.find(".//img") is not None:
            page.note(block.line, "skipped an HTML widget (badge or image) with no text")
        return
    if LOREM.search(text):
        page.note(block.line, "skipped the template's Lorem ipsum placeholder")
        return
    label = re.fullmatch(r"(\*\*|__)(.+?)\1:?", text.strip())
    if block.kind == "heading" or label:
        title = label.group(2) if label else text
        page.subheading = title
        if "interest" not in title.lower():
            page.about.append(f"**{strip_period(title)}**")
        return
    interests = "interest" in (heading if page.subheading is None else page.subheading).lower()
    if block.kind == "item" and interests:
        for item in block.walk():
            head, _, details = item.text.partition(":")
            if details.strip() and len(head) < 80:
                page.interests.append({"title": head.strip(), "details": strip_period(details)})
            else:
                page.interests.append(strip_period(item.text))
    elif block.kind == "item":
        page.about.append("\n".join(markdown_list(block)))
    else:  # a paragraph keeps its lines (a line break of Markdown)
        page.about.append("\n".join(part for _, part in block.lines) or text)


SECTION = SectionKind(
    key="about",
    title="Profile",
    homepage_title="About Me",
    model=None,
    view=lambda item, _data: item,
    markdown=markdown,
    jsonresume=None,  # basics.summary and interests (cv.interop.jsonresume_export)
    heading=r"\babout\b|biography|\bbio\b|research interests?|\bintro|简介|关于我|个人介绍",
    heading_rank=95,
    tagged=False,
    make=make,
    entries=lambda _record: (),
    read_markdown=read_markdown,
)
