"""Grants and funding: what was won, from whom, how much, and in what role; newest first."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

from markupsafe import Markup, escape
from pydantic import BeforeValidator, Field, WithJsonSchema, model_validator

from cv import markup
from cv.dates import format_range
from cv.fields import Details, Names, Period, Tags
from cv.i18n import word
from cv.interop.text import plain, split_top, strip_period
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

if TYPE_CHECKING:
    from cv.interop.markdown_items import Block
    from cv.interop.reading import PageReader

_WRITTEN = re.compile(
    r"(?P<before>[A-Za-z]{3})?\s*(?P<number>\d[\d,\s_'’]*(?:\.\d+)?)\s*"
    r"(?P<scale>k|K|m|M|million|thousand)?\s*(?P<after>[A-Za-z]{3})?"
)
_SCALES = {"k": 1_000, "thousand": 1_000, "m": 1_000_000, "million": 1_000_000}
_EXPECTED_AMOUNT = (
    "expected an amount as a number, such as 500000, 500,000, 500k or 1.2M "
    "(a currency code may come with it: USD 500,000, 500k NOK)"
)


def _amount(value: Any) -> Any:
    """A number, also written as people write amounts: "500,000", "1 200 000", "500k", "1.2M"."""
    if isinstance(value, bool):
        raise ValueError(_EXPECTED_AMOUNT)
    if isinstance(value, str):
        written = _WRITTEN.fullmatch(value.strip())
        if re.match(r"\s*[$€£¥₹]", value):
            raise ValueError(
                "a currency symbol does not say which currency ($ is USD, CAD, AUD, ...); "
                + _EXPECTED_AMOUNT
            )
        if written is None or (written["before"] and written["after"]):
            raise ValueError(_EXPECTED_AMOUNT)
        digits = re.sub(r"[,\s_'’]", "", written["number"])
        exact = Decimal(digits) * _SCALES.get((written["scale"] or "").lower(), 1)
        value = int(exact) if exact == exact.to_integral_value() else float(exact)
    if isinstance(value, int | float) and value < 0:
        raise ValueError("expected an amount of zero or more")
    return value


def _currency_in_amount(data: Any) -> Any:
    """Take the currency code written with the amount ("USD 500,000", "500k NOK")."""
    if not isinstance(data, dict) or not isinstance(data.get("amount"), str):
        return data
    written = _WRITTEN.fullmatch(data["amount"].strip())
    code = written and (written["before"] or written["after"])
    if not code:
        return data
    given = data.get("currency")
    if isinstance(given, str) and given.strip().upper() != code.upper():
        raise ValueError(
            f"the amount says {code.upper()} and `currency:` says {given.strip()}; expected one"
        )
    return {**data, "currency": code}


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
                {
                    "type": "string",
                    "pattern": r"^([A-Za-z]{3}\s*)?\d[\d,\s_'’]*(\.\d+)?\s*"
                    r"(k|K|m|M|million|thousand)?\s*([A-Za-z]{3})?$",
                },
            ],
            "examples": [500000, "1,200,000", "500k NOK"],
        }
    ),
]
Currency = Annotated[
    str,
    BeforeValidator(_currency),
    WithJsonSchema({"type": "string", "pattern": "^[A-Za-z]{3}$", "examples": ["USD", "EUR"]}),
]


class Grant(Period):
    _currency_written = model_validator(mode="before")(_currency_in_amount)

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
        markup.inline(f"{word('number_abbr')} {g.number}") if g.number else None,
        markup.inline(amount_text(g)) if g.amount is not None else None,
    )
    details = []
    if g.role or g.investigators:
        role = Markup("<em>{}</em>").format(markup.inline(g.role)) if g.role else None
        with_whom = (
            escape(word("with") + " ") + people(g.investigators, data) if g.investigators else None
        )
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


def read_markdown(page: PageReader, heading: str, block: Block) -> None:
    """``- *2022.07 - 2027.06*, **Title**, Funder, Program, No. 123, USD 500,000, PI; with A, B``.

    Also the ways homepages mark a grant: ``**[PI]:** Title, Funding source: Funder, No.123,
    2022-2024`` or ``Title (Lead CI), ...``. Pieces that are none of these are the funder, then
    the program, then details.
    """
    from cv.interop.item_parts import (
        GRANT_FUNDER,
        GRANT_NUMBER,
        GRANT_ROLE,
        GRANT_ROLE_MARK,
        amount,
        dated,
        details,
        linked,
    )

    start, end, body = dated(block.text)
    role = None
    mark = GRANT_ROLE_MARK.match(body)
    if mark and GRANT_ROLE.fullmatch(mark.group("role")):
        role, body = mark.group("role"), body[mark.end() :]
    aside = re.search(r"\s*\(([^()]{1,40})\)", body)
    if role is None and aside and GRANT_ROLE.fullmatch(aside.group(1).strip()):
        role, body = aside.group(1).strip(), body[: aside.start()] + body[aside.end() :]
    body, _, team = strip_period(body).partition("; with ")
    investigators = split_top(team.replace(" and ", ", "), ",") if team else []
    pieces = split_top(body, ",")
    title_text = re.sub(r"^(\*\*|__)(.+)\1$", r"\2", pieces[0].strip()) if pieces else ""
    title, url = linked(title_text)
    fields: dict[str, Any] = {"start": start, "end": end, "title": title, "url": url}
    others: list[str] = []
    for piece in pieces[1:]:
        funder = GRANT_FUNDER.match(piece)
        number = GRANT_NUMBER.match(plain(piece))
        money = amount(piece)
        if funder and "funder" not in fields:
            fields["funder"] = funder.group("funder")
        elif number and "number" not in fields:
            fields["number"] = number.group("number")
        elif money and "amount" not in fields:
            fields["amount"], fields["currency"] = money
        elif role is None and GRANT_ROLE.fullmatch(plain(piece).removeprefix("Role: ")):
            role = plain(piece).removeprefix("Role: ")
        else:
            others.append(piece)
    for name in ("funder", "program"):
        if others and name not in fields:
            fields[name] = others.pop(0)
    fields |= {"role": role, "investigators": investigators, "details": others + details(block)}
    page.add(SECTION.key, fields, block, "a grant")


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
    heading=r"grants?|funding|research support|sponsored research|基金|资助",
    heading_rank=65,
    trims=(Trim(125, 5), Trim(145, 3)),
    read_markdown=read_markdown,
)
