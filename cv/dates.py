"""Academic dates: the forms people write, a sort key for each, and one display style.

Accepted: ``2024``, ``2024-01``, ``2024-01-15``, ``2024/01``, ``2024.01``, ``01/2024``,
``Jan 2024``, ``January 2024``, ``15 Jan 2024``, ``Jan 15, 2024``, ``2022/23`` (academic year),
``Spring 2023``, ``2023 Fall``, ``2022/23 Fall``, and ``present`` (also ``now``, ``today``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# A term sorts at the month it starts in.
TERMS = {"spring": 2, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}
PRESENT_WORDS = {"present", "now", "today", "current", "ongoing"}

EXPECTED = (
    "a date such as 2024, 2024-01, 2024-01-15, Jan 2024, 2022/23, Spring 2023, 2023 Fall or present"
)

_WRITTEN_ACADEMIC = re.compile(r"\d{4}\s*(?:/\d{2}|[/–-]\s*\d{4})", re.ASCII)
_MONTH = r"(?P<mon>[A-Za-z]{3,9})\.?"
_TERM = r"(?P<term>spring|summer|fall|autumn|winter)"
_YEAR = r"(?P<year>\d{4})"
_ACADEMIC = r"(?P<year>\d{4})(?:/(?P<next>\d{2})|\s*[/–-]\s*(?P<next4>\d{4}))"
# re.ASCII: without it \d and \s take any script's digits and spaces ("٢٠٢٤"), which int()
# reads too.
_PATTERNS = [
    re.compile(p, re.IGNORECASE | re.ASCII)
    for p in (
        rf"{_YEAR}",
        rf"{_ACADEMIC}",
        rf"{_YEAR}[-/.](?P<month>\d{{1,2}})",
        rf"{_YEAR}-(?P<month>\d{{1,2}})-(?P<day>\d{{1,2}})",
        rf"(?P<month>\d{{1,2}})[/.]{_YEAR}",
        rf"{_MONTH}\s+{_YEAR}",
        rf"(?P<day>\d{{1,2}})\s+{_MONTH}\s+{_YEAR}",
        rf"{_MONTH}\s+(?P<day>\d{{1,2}}),?\s+{_YEAR}",
        rf"{_TERM}\s+{_YEAR}",
        rf"{_YEAR}\s+{_TERM}",
        rf"{_TERM}\s+{_ACADEMIC}",
        rf"{_ACADEMIC}\s+{_TERM}",
    )
]


@dataclass(frozen=True, order=False)
class Date:
    """A date as the academic wrote it, with a key that sorts it among the others.

    Attributes:
        text: What was written, whitespace normalised.
        year: The (first) year; None for "present".
        month: 1-12 when given or implied by a term.
        day: 1-31 when given.
        display: The text shown in the theme's one consistent style.
    """

    text: str
    year: int | None
    month: int | None = None
    day: int | None = None
    display: str = ""
    #: "spring", "summer", "fall", "autumn" or "winter" for a term, else "".
    term: str = ""

    @property
    def is_present(self) -> bool:
        return self.year is None

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Larger is newer; "present" is newest of all."""
        if self.year is None:
            return (9999, 13, 32)
        return (self.year, self.month or 0, self.day or 0)

    def __str__(self) -> str:
        """The date as shown in the current language (:func:`cv.i18n.language`)."""
        from cv import i18n

        tag = i18n.current()
        if i18n.primary(tag) == "en":
            return self.display or self.text
        return self.localised(tag)

    def localised(self, tag: str) -> str:
        """The date in ``tag``'s language: month names and forms from CLDR, terms translated.

        An academic year ("2022/23") stays as written: it has no words.
        """
        from cv import i18n

        if self.year is None:
            return i18n.word("present", tag)
        if _WRITTEN_ACADEMIC.search(self.text):
            if not self.term:
                return self.display
            term = i18n.word("fall" if self.term == "autumn" else self.term, tag)
            return re.sub(self.term, term, self.display, flags=re.IGNORECASE)
        if self.term:
            term = i18n.word("fall" if self.term == "autumn" else self.term, tag)
            return i18n.word("term", tag).format(term=term, year=self.year)
        if self.month is None:
            return str(self.year)
        return i18n.format_month(self.year, self.month, self.day, tag)


def parse_date(value: Any) -> Date:
    """Parse one academic date.

    Args:
        value: A string or an integer year, as it came from YAML.

    Raises:
        ValueError: When the value is not one of the accepted forms; the message says which are.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"expected {EXPECTED}")
    if isinstance(value, int) and not 0 <= value <= 9999:
        raise ValueError(f"expected {EXPECTED}")  # str() of a huge int would raise, or take long
    text = " ".join(str(value).split())
    if text.lower() in PRESENT_WORDS:
        return Date(text=text, year=None, display="present")
    # "2022/23" is an academic year, "2024/01" a month: try each reading, keep the first error.
    first_error: ValueError | None = None
    for pattern in _PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            try:
                return _from_match(text, match.groupdict())
            except ValueError as error:
                first_error = first_error or error
    raise first_error or ValueError(f"expected {EXPECTED}")


def _from_match(text: str, parts: dict[str, str | None]) -> Date:
    year = int(parts["year"] or 0)
    month: int | None = None
    day: int | None = None
    if parts.get("month"):
        month = int(parts["month"] or 0)
    elif parts.get("mon"):
        month = _month_number(parts["mon"] or "")
    if parts.get("day"):
        day = int(parts["day"] or 0)
    if not 1900 <= year <= 2200:
        raise ValueError(f"the year {year} is out of range; expected {EXPECTED}")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"month {month} is not 1-12; expected {EXPECTED}")
    if day is not None:
        _check_day(year, month or 1, day)

    academic_next = parts.get("next") or parts.get("next4")
    term = (parts.get("term") or "").lower()
    if academic_next:
        following = int(academic_next)
        if len(academic_next) == 2:  # "2022/23"; "1999/00" crosses a century
            following += year // 100 * 100 + (100 if following < year % 100 else 0)
        if following != year + 1:
            raise ValueError(
                "an academic year runs over two consecutive years, "
                f"like {year}/{(year + 1) % 100:02d}"
            )
        # Spring and summer terms of 2022/23 fall in 2023.
        if term in ("spring", "summer"):
            return Date(text, year + 1, TERMS[term], display=text, term=term)
        return Date(text, year, TERMS.get(term, 9), display=text, term=term)
    if term:
        return Date(text, year, TERMS[term], display=f"{term.capitalize()} {year}", term=term)
    if month is None:
        return Date(text, year, display=str(year))
    if day is None:
        return Date(text, year, month, display=f"{MONTH_NAMES[month - 1][:3]} {year}")
    return Date(text, year, month, day, display=f"{MONTH_NAMES[month - 1][:3]} {day}, {year}")


def _month_number(name: str) -> int:
    key = name.lower()[:3]
    if key in MONTHS and (len(name) <= 4 or MONTH_NAMES[MONTHS.index(key)].lower() == name.lower()):
        return MONTHS.index(key) + 1
    if key == "sep" and name.lower() == "sept":
        return 9
    raise ValueError(f"'{name}' is not a month name; expected {EXPECTED}")


def _check_day(year: int, month: int, day: int) -> None:
    import calendar

    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise ValueError(f"day {day} does not exist in {MONTH_NAMES[month - 1]} {year}")


def format_range(start: Date | None, end: Date | None) -> str:
    """Show a period: "Sep 2023 – present", "2014 – 2018", or one date when both are the same."""
    if start is None and end is None:
        return ""
    if start is None or end is None or start == end:
        return str(start or end)
    from cv import i18n

    if i18n.in_english():
        return f"{start} – {end}"
    return i18n.word("range").format(start=start, end=end)


def range_sort_key(start: Date | None, end: Date | None) -> tuple[tuple[int, int, int], ...]:
    """Sort key for a period: by its end (ongoing first), then by its start."""
    zero = (0, 0, 0)
    end_key = end.sort_key if end else (start.sort_key if start else zero)
    return (end_key, start.sort_key if start else zero)
