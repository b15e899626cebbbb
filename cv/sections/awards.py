"""Awards and prizes, newest first."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from cv import markup
from cv.fields import AcademicDate, Details, Strict, Tags
from cv.interop.text import split_top, strip_period
from cv.sections.base import (
    ResumeMap,
    SectionData,
    SectionKind,
    Trim,
    entry,
    inline_all,
    link,
    md_date,
    md_details,
    md_parts,
    strong,
)
from cv.views import Entry

if TYPE_CHECKING:
    from cv.interop.markdown_items import Block
    from cv.interop.reading import PageReader


class Award(Strict):
    date: AcademicDate
    title: str
    organization: str | None = None
    url: str | None = None
    details: Details
    tags: Tags


def view(a: Award, _data: SectionData) -> Entry:
    return entry(
        str(a.date),
        strong(link(a.title, a.url)),
        markup.inline(a.organization),
        inline_all(a.details),
    )


def markdown(items: Sequence[Award]) -> list[str]:
    lines = []
    for a in items:
        link_text = f" [Link]({a.url})" if a.url else ""
        text = md_parts(a.title, a.organization)
        lines += [f"- *{md_date(a.date)}*, {text}.{link_text}", *md_details(a.details)]
    return lines


def _summary(a: Award) -> dict[str, Any]:
    return {"summary": " ".join(a.details)} if a.details else {}


def read_markdown(page: PageReader, heading: str, block: Block) -> None:
    """``- *2021*, Best Paper Award, ICML. [Link](url)`` (or the year anywhere in the line).

    Also ``**Fellowship (2017),** Awarding body: Council``: the title in bold, its year in it.
    """
    from cv.interop.item_parts import GRANT_FUNDER, YEAR, details, linked, trailing_link
    from cv.interop.markdown_items import split_date_prefix, split_date_suffix

    bold = re.match(r"^\s*(\*\*|__)(.+?)\1\s*", block.text)
    text = block.text[bold.end() :] if bold else block.text
    dated = split_date_prefix(text) or split_date_suffix(text)
    if dated is None:
        seen = f"{bold.group(2)} {text}" if bold else text
        years = re.findall(r"\(((?:19|20)\d{2})\)", seen) or YEAR.findall(seen)
        if not years:
            page.keep(heading, block, "award without a date")
            return
        dated = (years[-1], None, text)
    body, url = trailing_link(dated[2])
    pieces = split_top(strip_period(body.strip(" ,")), ",")
    if bold:
        title_text = re.sub(rf"\s*\({re.escape(dated[0])}\)", "", bold.group(2))
        pieces = [strip_period(title_text.strip(" ,")), *pieces]
    title, title_url = linked(pieces[0] if pieces else "")
    organization = ", ".join(pieces[1:])
    awarder = GRANT_FUNDER.match(organization)
    item: dict[str, object] = {"date": dated[0], "title": title, "url": url or title_url}
    item |= {"organization": awarder.group("funder") if awarder else organization}
    page.add(SECTION.key, {**item, "details": details(block)}, block, "an award")


SECTION = SectionKind(
    key="awards",
    title="Honors and Awards",
    homepage_title="Awards and Prizes",
    model=Award,
    view=view,
    sort=lambda a: a.date.sort_key,
    markdown=markdown,
    jsonresume=ResumeMap(
        "awards",
        {"title": "title", "date": "date", "organization": "awarder"},
        ("date",),
        derived=_summary,
    ),
    heading=r"awards?|hono(?:u)?rs?|prizes?|scholarships?|fellowships?|achievements?|荣誉|获奖|奖励|奖项",
    heading_rank=70,
    trims=(Trim(60, 3), Trim(110, 1)),
    emoji="🎖",
    read_markdown=read_markdown,
)
