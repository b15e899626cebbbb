"""The shapes every section's entries share: the strict base model, dates, periods, details, tags.

A section's entry model (in :mod:`cv.sections`) is built from these, so that a date, a period or
a list of details validates and reads the same in every section. No I/O here.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    WithJsonSchema,
    field_validator,
)

from cv.dates import EXPECTED as DATE_EXPECTED
from cv.dates import Date, parse_date

AcademicDate = Annotated[
    Date,
    PlainValidator(parse_date),
    WithJsonSchema(
        {"anyOf": [{"type": "string"}, {"type": "integer"}], "description": DATE_EXPECTED}
    ),
]


def empty_list() -> list[Any]:
    """A field's default, a new empty list: pydantic reads the signature of every default
    factory, and a built-in's (``list``) from its text, at 67 µs against 5 µs for this."""
    return []


def empty_dict() -> dict[str, Any]:
    """A field's default, a new empty mapping (see :func:`empty_list`)."""
    return {}


class Strict(BaseModel):
    """Base of every model: unknown keys are errors, strings are trimmed."""

    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, frozen=True, defer_build=True
    )


def as_list(value: Any) -> Any:
    """Accept one string where a list of strings is expected."""
    return [value] if isinstance(value, str) else value


_TEXTS_SCHEMA = WithJsonSchema(
    {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
)

Details = Annotated[
    list[str], BeforeValidator(as_list), _TEXTS_SCHEMA, Field(default_factory=empty_list)
]
"""Lines under an entry, in Markdown; one string is a list of one."""

Names = Annotated[
    list[str], BeforeValidator(as_list), _TEXTS_SCHEMA, Field(default_factory=empty_list)
]
"""People (investigators, inventors); one string is a list of one."""

Tags = Annotated[
    list[str],
    BeforeValidator(as_list),
    _TEXTS_SCHEMA,
    Field(default_factory=empty_list, description="labels that documents select by"),
]

_ACADEMIC_YEAR = re.compile(r"\d{4}\s*[/–-]\s*\d{2}(?:\d{2})?")


def ends_after_start(start: Date | None, end: Date | None) -> None:
    """Raise ValueError when a period ends before it starts (a typo, like 2019 for 2021).

    Compared by year only: terms and academic years do not say their months, and an academic
    year (2022/23) runs into the next year.
    """
    if end is None or start is None or end.year is None or start.year is None:
        return
    last = end.year + 1 if _ACADEMIC_YEAR.fullmatch(end.text) else end.year
    if last < start.year:
        raise ValueError(
            f"the period ends before it starts ({start.text}); expected an end "
            "on or after the start"
        )


class Period(Strict):
    """An entry that runs from ``start`` to ``end`` (either may be left out; ``end: present``).

    The base of every dated-range entry; its fields come first in the entry's model.
    """

    start: AcademicDate | None = None
    end: AcademicDate | None = None

    @field_validator("end")
    @classmethod
    def _ends_after_start(cls, end: Date | None, info: Any) -> Date | None:
        ends_after_start(info.data.get("start"), end)
        return end
