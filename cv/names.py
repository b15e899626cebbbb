"""Author names: splitting, contribution marks, the owner's variants, shortening long lists.

Names are split on the raw LaTeX (so braces keep ``{The XYZ Consortium}`` one author) and each
part is decoded afterwards. Marks written after a name (``Tang*``, ``Tang$^\\dagger$``) are taken
off before splitting. The owner is recognised in every variant of ``publications.highlight``,
with or without accents and with initials.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)

from cv.latex import latex_to_text

__all__ = [
    "Author",
    "BadName",
    "OwnerMatcher",
    "Person",
    "derive_highlight",
    "parse_name",
    "read_names",
    "shorten",
    "strip_marks",
]


@dataclass(frozen=True)
class Author:
    """One name in an author list, decoded for display.

    Attributes:
        name: Display form, "First von Last, Jr".
        is_owner: The name is one of the CV owner's variants (set in bold).
        marks: ``*`` (equal contribution), ``†`` (corresponding), ``‡``, in the order written.
        is_others: A placeholder for left-out authors ("and others", or a shortened list).
    """

    name: str
    is_owner: bool = False
    marks: str = ""
    is_others: bool = False
    #: The name's parts, for citation styles that reorder or abbreviate names ("" if none);
    #: not compared: two authors are the same name shown the same way.
    given: str = field(default="", compare=False)
    family: str = field(default="", compare=False)
    particle: str = field(default="", compare=False)
    suffix: str = field(default="", compare=False)


@dataclass(frozen=True)
class Person:
    """One name split into parts and decoded.

    Attributes:
        display: "First von Last, Jr".
        first: The first names.
        last: The von and last parts.
    """

    display: str
    first: str
    last: str
    #: The parts: BibTeX's von, Last and Jr.
    von: str = ""
    family: str = ""
    jr: str = ""


@dataclass(frozen=True)
class BadName:
    """A name that cannot be split, as written, and why."""

    raw: str
    reason: str


# --------------------------------------------------------------------------------------------
# Marks

# Possessive (*+) and bounded ({1,8}+): with plain * and +, a run of spaces or marks that does
# not end a name ("* * * ... x", 9,000 stars) is matched again from each of its characters and
# backtracked through every split, which takes seconds to forever. No name has eight marks.
_SYMBOL = r"(?:\*|†|‡|\\d?dag(?:ger)?(?![A-Za-z]))(?:\{\})?"
_SYMBOLS = rf"{_SYMBOL}(?:\s*+(?:,\s*+)?{_SYMBOL}){{0,7}}+"
_MARK = (
    rf"\$\s*+(?:\^\s*+)?\{{?\s*+{_SYMBOLS}\s*+\}}?\s*+\$"  # $^\dagger$, $^{*}$, $\dagger$
    rf"|\\textsuperscript\s*+\{{\s*+{_SYMBOLS}\s*+\}}"  # \textsuperscript{*}
    rf"|\^\s*+\{{\s*+{_SYMBOLS}\s*+\}}|\^\s*+{_SYMBOL}"  # ^{*}, ^*
    rf"|{_SYMBOL}"  # *, †, \dagger
)
_MARKS = re.compile(rf"(?:{_MARK}){{1,8}}+(?=[\s,~}}]|$)")
_MARK_SYMBOL = re.compile(r"\*|†|‡|\\d?dag(?:ger)?")
_EMPTY_GROUP = re.compile(r"\{\s*\}")


def strip_marks(name: str) -> tuple[str, str]:
    """Split contribution marks off a raw name.

    Args:
        name: One raw name, LaTeX included: ``Tang$^\\dagger$, Z.``.

    Returns:
        The name without marks and the marks in the order written: ``("Tang, Z.", "†")``.
    """
    found: list[str] = []

    def collect(match: re.Match[str]) -> str:
        for symbol in _MARK_SYMBOL.findall(match.group()):
            mark = "*" if symbol == "*" else "‡" if symbol in ("‡", "\\ddag", "\\ddagger") else "†"
            if mark not in found:
                found.append(mark)
        return ""

    stripped = _MARKS.sub(collect, name)
    if not found:
        return name, ""
    return _EMPTY_GROUP.sub("", stripped).strip(), "".join(found)


# --------------------------------------------------------------------------------------------
# Splitting


@lru_cache(maxsize=65536)
def parse_name(raw: str) -> Person:
    """Split one raw BibTeX name into parts, then decode each part.

    Raises:
        InvalidNameError: For a malformed name (too many commas, an unbalanced brace).
    """
    parts = parse_single_name_into_parts(raw)
    first = latex_to_text(" ".join(parts.first))
    von = latex_to_text(" ".join(parts.von))
    last = latex_to_text(" ".join(parts.last))
    jr = latex_to_text(" ".join(parts.jr))
    display = " ".join(part for part in (first, von, last) if part)
    if jr:
        display += f", {jr}"
    whole_last = " ".join(part for part in (von, last) if part)
    return Person(display, first, whole_last, von, last, jr)


def read_names(raw: str, owner: OwnerMatcher) -> tuple[list[Author], list[BadName]]:
    """Split a raw ``author`` (or ``editor``) field into decoded authors.

    Args:
        raw: The field's value, macros resolved, LaTeX not yet decoded.
        owner: Decides which names are the CV owner's.

    Returns:
        The authors in order ("and others" as an "et al." placeholder), and the names that
        could not be read (left out of the list, for the caller to report).
    """
    authors: list[Author] = []
    bad: list[BadName] = []
    for raw_name in split_multiple_persons_names(raw):
        if raw_name.strip().lower() == "others":
            authors.append(Author("et al.", is_others=True))
            continue
        bare, marks = strip_marks(raw_name)
        try:
            person = parse_name(bare)
        except InvalidNameError as error:
            bad.append(BadName(raw_name, error.reason))
            continue
        if person.display:
            is_owner = owner.matches(person.first, person.last)
            parts = (person.first, person.family, person.von, person.jr)
            authors.append(Author(person.display, is_owner, marks, False, *parts))
    return authors, bad


# --------------------------------------------------------------------------------------------
# The owner

_FOLD = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ı": "i",
        "’": "'",
    }
)
_NAME_SEPARATORS = re.compile(r"[\s.,\-‐'’]+")


def _fold(text: str) -> str:
    """Lower case, accents and special letters reduced to ASCII where possible."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def _name_tokens(text: str, *, first: bool = False) -> tuple[str, ...]:
    """Normalised words of a name part; in first names "ZH" counts as the initials Z. H."""
    tokens: list[str] = []
    for word in _NAME_SEPARATORS.split(text):
        if first and 2 <= len(word) <= 3 and word.isalpha() and word.isupper():
            tokens.extend(_fold(letter) for letter in word)
        elif word:
            tokens.append(_fold(word))
    return tuple(tokens)


def _compatible(these: tuple[str, ...], those: tuple[str, ...]) -> bool:
    """First names agree word by word, an initial standing for any word it starts."""
    if len(these) != len(those):
        return False
    return all(
        a == b or ((len(a) == 1 or len(b) == 1) and a[0] == b[0])
        for a, b in zip(these, those, strict=True)
    )


class OwnerMatcher:
    """Decides whether a name is one of the owner's variants.

    An author written with initials matches a variant it abbreviates ("Z. Tang" ~ "Zhenheng
    Tang"). An author written in full matches only the same full name when a full variant is
    known, so "Zhiwei Tang" is not mistaken for "Z. Tang" when "Zhenheng Tang" is the owner.
    """

    def __init__(self, variants: Sequence[str]) -> None:
        self._by_last: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        self._seen: dict[tuple[str, str], bool] = {}
        for variant in variants:
            try:
                person = parse_name(variant.strip())
            except InvalidNameError:
                continue
            firsts = self._by_last.setdefault(_name_tokens(person.last), [])
            firsts.append(_name_tokens(person.first, first=True))

    def matches(self, first: str, last: str) -> bool:
        """Whether "first last" (decoded name parts, von included in last) is the owner."""
        known = self._seen.get((first, last))
        if known is None:
            known = self._seen[(first, last)] = self._match(first, last)
        return known

    def _match(self, first: str, last: str) -> bool:
        candidates = self._by_last.get(_name_tokens(last))
        if not candidates:
            return False
        tokens = _name_tokens(first, first=True)
        if not tokens:
            return () in candidates
        if all(len(token) > 1 for token in tokens):
            full = [c for c in candidates if c and all(len(token) > 1 for token in c)]
            if full:
                return tokens in full
        return any(_compatible(tokens, candidate) for candidate in candidates)


def derive_highlight(name: str) -> list[str]:
    """Name variants of the owner, from the record's ``name``.

    Args:
        name: The owner's name as the record writes it ("Zhenheng Tang" or "Tang, Zhenheng").

    Returns:
        Full and initialled forms in both orders, dotted and not, and the same without accents:
        ``["Zhenheng Tang", "Tang, Zhenheng", "Z. Tang", "Tang, Z.", "Z Tang", "Tang, Z", ...]``.
    """
    try:
        person = parse_name(name.strip())
    except InvalidNameError:
        return [name.strip()]
    if not person.first:
        variants = [person.last]
    else:
        words = person.first.split()
        dotted = " ".join(
            "-".join(f"{part[0]}." for part in word.split("-") if part) for word in words
        )
        plain = " ".join(word[0] for word in words)
        compact = dotted.replace(" ", "")
        forms = [person.first, dotted, plain, compact]
        variants = []
        for form in dict.fromkeys(forms):
            variants += [f"{form} {person.last}", f"{person.last}, {form}"]
    folded = [_strip_accents(variant) for variant in variants]
    return list(dict.fromkeys(variants + folded))


# --------------------------------------------------------------------------------------------
# Long lists


def shorten(authors: Sequence[Author], max_authors: int) -> list[Author]:
    """Cut a long list to ``max_authors`` names with "et al.", keeping the owner visible.

    The first ``max_authors - 1`` names stay, then "et al.". When the owner would be cut, the
    list keeps one name fewer, then "…", the owner, and "et al." if anyone followed the owner.
    An "et al." already in the list ("and others") counts as a name.

    Args:
        authors: The full list, in order.
        max_authors: The most entries to show; below 1, no limit.
    """
    authors = list(authors)
    if max_authors < 1 or len(authors) <= max_authors:
        return authors
    keep = max(max_authors - 1, 1)
    owner = next((i for i, author in enumerate(authors) if author.is_owner), None)
    if owner is None or owner < keep:
        head = authors[:keep]
        return head if head[-1].is_others else [*head, Author("et al.", is_others=True)]
    head = [author for author in authors[: max(keep - 1, 0)] if not author.is_others]
    shown = [*head, Author("…", is_others=True), authors[owner]]
    if authors[owner + 1 :]:  # also when only "and others" follows
        shown.append(Author("et al.", is_others=True))
    return shown
