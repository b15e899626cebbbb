"""Grants and funding: what was won, from whom, how much, and in what role; newest first."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Any

from markupsafe import Markup
from pydantic import BeforeValidator, Field, WithJsonSchema

from cv import markup
from cv.dates import format_range
from cv.fields import Details, Names, Period, Tags
from cv.sections.base import (
    ResumeMap,
    SectionData,
    SectionKind,
    Trim,
    entry,
    join,
    link,
    md_details,
    md_link,
    md_parts,
    md_period,
    newest_first,
    people,
    strong,
)
from cv.views import Entry

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _amount(value: Any) -> Any:
    """A number, also written with thousands separators ("500,000", "1 200 000")."""
    if isinstance(value, bool):
        raise ValueError("expected an amount as a number, such as 500000")
    if isinstance(value, str):
        digits = re.sub(r"[,\s_'’]", "", value)
        if not _NUMBER.fullmatch(digits):
            raise ValueError(
                "expected an amount as a number, such as 500000 or 500,000 "
                "(the currency goes in `currency:`, such as USD)"
            )
        value = float(digits) if "." in digits else int(digits)
    if isinstance(value, int | float) and value < 0:
        raise ValueError("expected an amount of zero or more")
    return value


def _currency(value: Any) -> Any:
    if isinstance(value, str):
        code = value.strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", code):
            raise ValueError("expected a three-letter currency code, such as USD, EUR or CNY")
        return code
    return value


Amount = Annotated[
    float | int,
    BeforeValidator(_amount),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0},
                {"type": "string", "pattern": r"^\d[\d,\s_'’]*(\.\d+)?$"},
            ],
            "examples": [500000, "1,200,000"],
        }
    ),
]
Currency = Annotated[
    str,
    BeforeValidator(_currency),
    WithJsonSchema({"type": "string", "pattern": "^[A-Za-z]{3}$", "examples": ["USD", "EUR"]}),
]


class Grant(Period):
    title: str
    funder: str | None = None
    program: str | None = None
    number: str | None = Field(default=None, description="the award number")
    amount: Amount | None = None
    currency: Currency | None = None
    role: str | None = Field(default=None, examples=["PI", "Co-PI", "Senior personnel"])
    investigators: Names
    url: str | None = None
    details: Details
    tags: Tags


def amount_text(grant: Grant) -> str:
    """The amount as a CV shows it: "USD 500,000" (cents only when there are some)."""
    if grant.amount is None:
        return ""
    value = grant.amount
    shown = (
        f"{value:,.2f}" if isinstance(value, float) and not value.is_integer() else f"{value:,.0f}"
    )
    return f"{grant.currency} {shown}" if grant.currency else shown


def view(g: Grant, data: SectionData) -> Entry:
    subtitle = join(
        markup.inline(g.funder),
        markup.inline(g.program),
        markup.inline(f"No. {g.number}") if g.number else None,
        markup.inline(amount_text(g)) if g.amount is not None else None,
    )
    details = []
    if g.role or g.investigators:
        role = Markup("<em>{}</em>").format(markup.inline(g.role)) if g.role else None
        with_whom = Markup("with ") + people(g.investigators, data) if g.investigators else None
        details.append(join(role, with_whom, sep="; " if role else ""))
    details += [markup.inline(d) for d in g.details]
    return entry(format_range(g.start, g.end), strong(link(g.title, g.url)), subtitle, details)


def markdown(items: Sequence[Grant]) -> list[str]:
    lines = []
    for g in items:
        text = md_parts(
            f"**{md_link(g.title, g.url)}**",
            g.funder,
            g.program,
            f"No. {g.number}" if g.number else None,
            amount_text(g),
            g.role,
        )
        if g.investigators:
            text += f"; with {', '.join(g.investigators)}"
        lines += [f"- {md_period(g.start, g.end)}{text}", *md_details(g.details)]
    return lines


def _summary(g: Grant) -> dict[str, Any]:
    parts = [p for p in (g.program, g.number and f"No. {g.number}", amount_text(g), g.role) if p]
    return {"summary": "; ".join([*parts, *g.details])} if parts or g.details else {}


SECTION = SectionKind(
    key="grants",
    title="Grants and Funding",
    model=Grant,
    view=view,
    sort=lambda g: newest_first(g.start, g.end),
    markdown=markdown,
    # JSON Resume has no grants: an award from the funder is the closest field.
    jsonresume=ResumeMap(
        "awards",
        {"title": "title", "start": "date", "funder": "awarder"},
        ("start",),
        derived=_summary,
    ),
    heading=r"grants?|funding|research support|sponsored research",
    heading_rank=65,
    trims=(Trim(125, 5), Trim(145, 3)),
)
