"""News: short dated lines, newest first."""

from __future__ import annotations

from collections.abc import Sequence

from cv import markup
from cv.fields import AcademicDate, Strict, Tags
from cv.sections.base import SectionData, SectionKind, Trim, entry, md_date, one_line
from cv.views import Entry


class NewsItem(Strict):
    date: AcademicDate
    text: str
    tags: Tags


def view(n: NewsItem, _data: SectionData) -> Entry:
    return entry(str(n.date), markup.inline(n.text))


def markdown(items: Sequence[NewsItem]) -> list[str]:
    items = sorted(items, key=lambda n: n.date.sort_key, reverse=True)
    return [f"- *{md_date(n.date)}*: &nbsp;🎉🎉 {one_line(n.text)}" for n in items]


SECTION = SectionKind(
    key="news",
    title="News",
    model=NewsItem,
    view=view,
    sort=lambda n: n.date.sort_key,
    markdown=markdown,
    jsonresume=None,  # JSON Resume has no news: it rides in the resume's `cv` property
    heading=r"\bnews\b|\bupdates?\b|announcements?|what'?s new",
    heading_rank=10,
    trims=(Trim(10, 3), Trim(70, 0)),
    emoji="🔥",
)
