"""Patents, newest first, with the owner bold among the inventors."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BeforeValidator

from cv import markup
from cv.fields import AcademicDate, Details, Names, Strict, Tags
from cv.interop.text import plain, split_top, strip_period
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
    md_link,
    md_parts,
    people,
    strong,
)
from cv.views import Entry

if TYPE_CHECKING:
    from cv.interop.markdown_items import Block
    from cv.interop.reading import PageReader

Status = Annotated[
    Literal["filed", "granted"],
    BeforeValidator(lambda value: value.strip().casefold() if isinstance(value, str) else value),
]


class Patent(Strict):
    title: str
    number: str | None = None
    office: str | None = None
    status: Status | None = None
    date: AcademicDate | None = None
    inventors: Names
    url: str | None = None
    details: Details
    tags: Tags


def _where(p: Patent) -> str:
    status = p.status.capitalize() if p.status else None
    return ", ".join(part for part in (p.office, p.number, status) if part)


def view(p: Patent, data: SectionData) -> Entry:
    details = (markup.inline(_where(p)),) if _where(p) else ()
    return entry(
        str(p.date or ""),
        strong(link(p.title, p.url)),
        people(p.inventors, data) if p.inventors else None,
        (*details, *inline_all(p.details)),
    )


def markdown(items: Sequence[Patent]) -> list[str]:
    lines = []
    for p in items:
        date = f"*{md_date(p.date)}*, " if p.date else ""
        text = md_parts(md_link(p.title, p.url), ", ".join(p.inventors), _where(p))
        lines += [f"- {date}{text}", *md_details(p.details)]
    return lines


def _derived(p: Patent) -> dict[str, Any]:
    summary = "; ".join(part for part in (_where(p), *p.details) if part)
    out: dict[str, Any] = {"summary": summary} if summary else {}
    if p.inventors:
        out["authors"] = list(p.inventors)
    return out


def read_markdown(page: PageReader, heading: str, block: Block) -> None:
    """``- *2023.05*, [Title](url), Inventor, Inventor, USPTO, US 11,111,111 B2, Granted``.

    Also the title in italics anywhere in the line (``**Me**, A. Other. *A method for ...*``)
    and the number or the status in parentheses at the end.
    """
    from cv.interop.item_parts import (
        PATENT_NUMBER,
        PATENT_OFFICE,
        PATENT_STATUS,
        dated,
        details,
        linked,
        looks_like_name,
    )

    start, end, body = dated(block.text)
    italic = re.search(r"(?<!\*)\*(?!\*)(.+?)(?<!\*)\*(?!\*)", body)
    if italic:
        title_text = strip_period(italic.group(1))
        rest = body[: italic.start()] + ", " + body[italic.end() :]
    else:
        pieces = split_top(body, ",")
        title_text, rest = (pieces[0] if pieces else ""), ", ".join(pieces[1:])
    title, url = linked(title_text)
    fields: dict[str, Any] = {"date": end or start, "title": title, "url": url}
    aside = re.search(r"\s*\(([^()]*)\)\s*\.?\s*$", rest)
    pieces = split_top(strip_period(rest[: aside.start()] if aside else rest).strip(" ,.;"), ",")
    if aside:
        pieces += split_top(aside.group(1).replace("，", ", "), ",")
    inventors: list[str] = []
    notes: list[str] = []
    for piece in (strip_period(piece).strip(" ,;.") for piece in pieces):
        status = PATENT_STATUS.fullmatch(plain(piece).lower())
        if status and "status" not in fields:
            granted = status.group("status") in ("granted", "issued", "awarded")
            fields["status"] = "granted" if granted else "filed"
            fields["date"] = fields["date"] or status.group("date")
        elif PATENT_NUMBER.fullmatch(plain(piece)) and "number" not in fields:
            fields["number"] = plain(piece)
        elif PATENT_OFFICE.fullmatch(plain(piece)) and "office" not in fields:
            fields["office"] = plain(piece)
        elif looks_like_name(piece):
            inventors.append(plain(piece))
        elif piece:
            notes.append(piece)
    fields |= {"inventors": inventors, "details": notes + details(block)}
    page.add(SECTION.key, fields, block, "a patent")


SECTION = SectionKind(
    key="patents",
    title="Patents",
    model=Patent,
    view=view,
    sort=lambda p: p.date.sort_key if p.date else (0, 0, 0),
    markdown=markdown,
    # JSON Resume has no patents: a publication by the patent office is the closest field.
    jsonresume=ResumeMap(
        "publications",
        {"title": "name", "office": "publisher", "date": "releaseDate", "url": "url"},
        ("date",),
        derived=_derived,
    ),
    heading=r"patents?|专利",
    heading_rank=35,
    trims=(Trim(105, 3),),
    read_markdown=read_markdown,
)
