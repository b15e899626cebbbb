"""News: short dated lines, newest first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from cv import markup
from cv.fields import AcademicDate, Strict, Tags
from cv.interop.text import strip_decoration
from cv.sections.base import SectionData, SectionKind, Trim, entry, md_date, one_line
from cv.views import Entry

if TYPE_CHECKING:
    from cv.interop.markdown_items import Block
    from cv.interop.reading import PageReader


class NewsItem(Strict):
    date: AcademicDate
    text: str
    tags: Tags


def view(n: NewsItem, _data: SectionData) -> Entry:
    return entry(str(n.date), markup.inline(n.text))


def markdown(items: Sequence[NewsItem]) -> list[str]:
    items = sorted(items, key=lambda n: n.date.sort_key, reverse=True)
    return [f"- *{md_date(n.date)}*: &nbsp;🎉🎉 {one_line(n.text)}" for n in items]


def read_markdown(page: PageReader, heading: str, block: Block) -> None:
    """``- *2024.01*: &nbsp;🎉🎉 Our paper ...`` (the date first, in any of its spellings)."""
    from cv.interop.item_parts import whole_text
    from cv.interop.markdown_items import split_date_prefix

    dated = split_date_prefix(whole_text(block))
    if dated is None:
        page.keep(heading, block, "news item without a date at its start")
        return
    body = strip_decoration(dated[2]).lstrip(":–—- ").strip()
    page.add(SECTION.key, {"date": dated[0], "text": " ".join(body.split())}, block, "a news item")


SECTION = SectionKind(
    key="news",
    title="News",
    limit=5,
    model=NewsItem,
    view=view,
    sort=lambda n: n.date.sort_key,
    markdown=markdown,
    jsonresume=None,  # JSON Resume has no news: it rides in the resume's `cv` property
    heading=r"\bnews\b|\bupdates?\b|announcements?|what'?s new|新闻|动态|重要事件|消息|近期",
    heading_rank=10,
    trims=(Trim(10, 3), Trim(70, 0)),
    emoji="🔥",
    read_markdown=read_markdown,
)
