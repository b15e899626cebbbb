"""The CV's fixed words and dates in the reader's language.

Words come from the translation tables in the package (``cv/locales/LANG.yaml``: en, de, fr,
es, it, pt, zh, ja, ko); a key a table lacks, or a language without a table, falls back to
English. Month names and date forms come from CLDR through Babel. The language of the document
being made is set once with :func:`language` (a context variable), so that a date or a word
deep in a section reads it without every function passing it on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import yaml
from markupsafe import Markup

if TYPE_CHECKING:
    from cv.errors import Problem
    from cv.loader import Source

__all__ = [
    "TABLES",
    "check_tag",
    "current",
    "format_day",
    "format_month",
    "has_table",
    "in_english",
    "kind_title",
    "language",
    "language_problems",
    "primary",
    "section_title",
    "template_words",
    "word",
    "words",
]

TABLES = ("en", "de", "fr", "es", "it", "pt", "zh", "ja", "ko")
"""The languages with a translation table in the package."""

_LANG: ContextVar[str] = ContextVar("cv_lang", default="en")


@contextlib.contextmanager
def language(tag: str) -> Iterator[None]:
    """Make ``tag`` the language of what is formatted inside the ``with`` block."""
    token = _LANG.set(tag or "en")
    try:
        yield
    finally:
        _LANG.reset(token)


def current() -> str:
    """The language tag of the document being made ("en" outside :func:`language`)."""
    return _LANG.get()


def in_english() -> bool:
    """Whether the document being made is in English (any region: "en-GB" too)."""
    return primary(current()) == "en"


def primary(tag: str) -> str:
    """The language of a tag, without script or region: "pt-BR" -> "pt", "zh-Hant" -> "zh"."""
    return tag.split("-", 1)[0].split("_", 1)[0].lower()


def has_table(tag: str) -> bool:
    """Whether the package has the words of ``tag``'s language."""
    return primary(tag) in TABLES


_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


def check_tag(tag: str) -> str:
    """``tag`` if it is a BCP 47 language tag CLDR knows ("de", "pt-BR", "zh-Hant").

    Raises:
        ValueError: Not a tag, or a language CLDR does not know; the message says what is.
    """
    if not _TAG.fullmatch(tag):
        raise ValueError("expected a language tag such as en, de, zh or pt-BR")
    if tag.lower() in TABLES:
        return tag  # known without asking CLDR (which takes 15 ms to load)
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        raise ValueError(
            f"'{tag}' is not a language CLDR knows; expected a language tag such as "
            "en, de, fr, es, it, pt, zh, ja or ko"
        ) from None
    return tag


def language_problems(source: Source) -> list[Problem]:
    """Warnings for the languages (the record's, its documents') that have no table here."""
    record = source.record
    tags: list[tuple[tuple[str | int, ...], str | None]] = [(("lang",), record.lang)]
    tags += [(("documents", name, "lang"), d.lang) for name, d in record.documents.items()]
    return [
        source.problem(
            path,
            f"lang '{tag}' has no table of cv's fixed words; they are in English "
            f"(tables: {', '.join(TABLES)})",
        )
        for path, tag in tags
        if tag is not None and not has_table(tag)
    ]


@cache
def _table(name: str) -> Mapping[str, Mapping[str, str]]:
    text = resources.files("cv").joinpath("locales", f"{name}.yaml").read_text(encoding="utf-8")
    data: dict[str, dict[str, str]] = yaml.safe_load(text)
    return MappingProxyType({part: MappingProxyType(dict(values)) for part, values in data.items()})


def _lookup(part: str, key: str, tag: str) -> str | None:
    lang = primary(tag)
    if lang in TABLES and lang != "en":
        found = _table(lang).get(part, {}).get(key)
        if found is not None:
            return found
    return _table("en").get(part, {}).get(key)


def word(key: str, tag: str | None = None) -> str:
    """A fixed word in ``tag``'s language (the current one if None), else in English."""
    found = _lookup("words", key, tag or current())
    if found is None:
        raise KeyError(key)  # a key no table has: a bug in cv
    return found


def words(tag: str | None = None) -> dict[str, str]:
    """Every fixed word in ``tag``'s language, English where its table lacks one."""
    tag = tag or current()
    return {key: word(key, tag) for key in _table("en")["words"]}


def section_title(key: str, default: str, tag: str | None = None) -> str:
    """A section's default title: ``default`` (the section's own) in English, else the table's."""
    tag = tag or current()
    if primary(tag) == "en" or not has_table(tag):
        return default
    return _table(primary(tag)).get("sections", {}).get(key, default)


def kind_title(kind: str, tag: str | None = None) -> str:
    """The title of a group of publications of one kind ("Journal Articles")."""
    return _lookup("kinds", kind, tag or current()) or kind


# --- dates and numbers (CLDR, through Babel) --------------------------------------------------


def _locale(tag: str) -> Any:
    from babel import Locale

    return Locale.parse(tag, sep="-")


def format_month(year: int, month: int, day: int | None = None, tag: str | None = None) -> str:
    """A month ("Jan 2024", "Jan. 2024", "2024年1月") or a day in ``tag``'s language."""
    from babel.dates import format_skeleton

    when = dt.date(year, month, day or 1)
    return format_skeleton("yMMMd" if day else "yMMM", when, locale=_locale(tag or current()))


def format_day(day: dt.date, tag: str | None = None) -> str:
    """A day written out ("December 2, 2026", "2. Dezember 2026", "2026年12月2日")."""
    tag = tag or current()
    if primary(tag) == "en":
        return f"{day:%B} {day.day}, {day.year}"
    from babel.dates import format_date

    return format_date(day, "long", locale=_locale(tag))


def format_number(number: int, tag: str | None = None) -> str:
    """A count with the language's grouping ("1,234", "1.234", "1 234")."""
    tag = tag or current()
    if primary(tag) == "en":
        return f"{number:,}"
    from babel.numbers import format_decimal

    return str(format_decimal(number, locale=_locale(tag)))


# --- what templates get -----------------------------------------------------------------------

_PAGE_PARTS = re.compile(r"(\{pages\}|\{page\})")


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_counter_css(tag: str | None = None) -> Markup:
    """The CSS ``content`` of the page footer: "Page " counter(page) " of " counter(pages)."""
    parts = []
    for piece in _PAGE_PARTS.split(word("page", tag)):
        if piece == "{page}":
            parts.append("counter(page)")
        elif piece == "{pages}":
            parts.append("counter(pages)")
        elif piece:
            parts.append(_css_string(piece))
    return Markup(" ".join(parts))


def template_words(tag: str | None = None) -> dict[str, str]:
    """The words templates show, as plain strings: ``words.cited_by`` and the like.

    ``page_css`` is the footer's CSS ``content`` value (made here from the table, never from
    the record).
    """
    tag = tag or current()
    shown = words(tag)
    shown["page_css"] = page_counter_css(tag)
    shown["lang"] = tag
    return shown
