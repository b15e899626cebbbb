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
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)

from cv.latex import latex_to_text

if TYPE_CHECKING:
    from cv.model import Record

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
    """A name that is no BibTeX name, as written, why, and how it was read instead."""

    raw: str
    reason: str
    read_as: str = ""


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
def parse_name(raw: str, *, strict: bool = True) -> Person:
    """Split one raw BibTeX name into parts, then decode each part.

    Args:
        raw: The name as written.
        strict: Refuse a malformed name; else read it as BibTeX would (a trailing comma
            dropped, a brace closed).

    Raises:
        InvalidNameError: For a malformed name (too many commas, an unbalanced brace).
    """
    parts = parse_single_name_into_parts(raw, strict=strict)
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
        are no BibTeX names, with how each was read (for the caller to report): a trailing
        comma or a stray brace as BibTeX reads it, names separated by commas ("Dong Yang, Fei
        Jiang, Wei Wu") as those names, anything else kept as its text.
    """
    authors: list[Author] = []
    swappable: list[tuple[int, Person]] = []  # who may be the owner in the other order
    found = False
    bad: list[BadName] = []
    for raw_name in split_multiple_persons_names(raw):
        if raw_name.strip().lower() == "others":
            authors.append(Author("et al.", is_others=True))
            continue
        bare, marks = strip_marks(raw_name)
        try:
            persons: Sequence[Person] = (parse_name(bare),)
        except InvalidNameError as error:
            persons, read_as = _read_loosely(bare, error.reason)
            bad.append(BadName(raw_name, error.reason, read_as))
        for person in persons:
            if person.display:
                is_owner = owner.matches(person.first, person.last)
                found = found or is_owner
                if not found and owner.may_be_swapped(person.first):
                    swappable.append((len(authors), person))
                parts = (person.first, person.family, person.von, person.jr)
                authors.append(Author(person.display, is_owner, marks, False, *parts))
    if not found:  # no name as written: perhaps in the other order ("Sheng Yang")
        for index, person in swappable:
            if owner.matches_swapped(person.first, person.last):
                authors[index] = replace(authors[index], is_owner=True)
    return authors, bad


def _read_loosely(name: str, reason: str) -> tuple[list[Person], str]:
    """What a name that is no BibTeX name stands for, and how it was read (see read_names)."""
    if reason.lower() != "too many commas":
        person = parse_name(name, strict=False)
        return [person], f"read as '{person.display}'"
    parts = [part.strip() for part in name.split(",")]
    if "{" not in name and all(len(part.split()) >= 2 for part in parts):
        return [parse_name(part, strict=False) for part in parts], (
            f"read as {len(parts)} names separated by commas"
        )
    text = latex_to_text(name)
    return [Person(text, "", text)], "kept as written"


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
# Words of a name: white space, dots, commas and apostrophes separate them; a hyphen joins the
# parts of one word ("Jean-Pierre", "J.-P.", "García-López"), so that a hyphenated given name
# is not taken for a first and a middle name.
_WORD_SEPARATORS = re.compile(r"[\s.,'’]+")
_HYPHENS = re.compile(r"\s*[-‐‑–]+\s*")
_SQUASH = re.compile(r"[\s.,'’\-‐‑–]+")  # all that separates words and parts of words
# Lower-case words before a last name ("van der Berg", "de la Cruz", "von Neumann"), also when
# a file capitalises them ("A. Van Der Berg") or puts them after the first names ("Berg, Anna
# van der").
_PARTICLES = frozenset({
    "van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "das", "du", "la", "le",
    "ten", "ter", "te", "zu", "zur", "vom", "af", "av", "al", "el", "bin", "ibn", "y", "d",
})  # fmt: skip
# "Ziwei Luo (罗梓巍)": a name written with its native form after it.
_NATIVE_PART = re.compile(r"^(.*?\S)\s*[(（]\s*([^()（）]+?)\s*[)）]\s*$")


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    """Lower case, accents and special letters reduced to ASCII where possible."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def _words(text: str, *, first: bool = False) -> tuple[str, ...]:
    """Folded words of a name part; in first names "ZH" counts as the initials Z. H."""
    words: list[str] = []
    for word in _WORD_SEPARATORS.split(_HYPHENS.sub("-", text)):
        word = word.strip("-")
        if first and 2 <= len(word) <= 3 and word.isalpha() and word.isupper():
            words.extend(_fold(letter) for letter in word)
        elif word:
            words.append(_fold(word))
    return tuple(words)


def _is_initial(word: str) -> bool:
    """ "j", or "j-p" for "J.-P.": each part of the word is one letter."""
    return all(len(part) == 1 for part in word.split("-"))


def _abbreviates(initial: str, word: str) -> bool:
    """Whether ``initial`` ("j", "j-p") stands for ``word`` ("jean", "jean-pierre")."""
    letters = initial.split("-")
    if len(letters) == 1:
        return word[:1] == initial
    parts = word.split("-")
    return len(parts) == len(letters) and all(
        p[:1] == x for p, x in zip(parts, letters, strict=True)
    )


def _same_word(a: str, b: str, *, full: bool) -> bool:
    """Two words of first names agree: the same (hyphens aside), or one is the other's initial
    (not when ``full``: then both are written out)."""
    if a == b or a.replace("-", "") == b.replace("-", ""):
        return True
    if full:
        return False
    return (_is_initial(a) and _abbreviates(a, b)) or (_is_initial(b) and _abbreviates(b, a))


def _firsts_agree(these: tuple[str, ...], those: tuple[str, ...], *, full: bool) -> bool:
    """First names agree: the first word (the same when ``full``: both write it out), then the
    shorter list's other words in order among the longer's, initials standing for words ("John
    Smith" ~ "John Q. Smith" ~ "John Quincy Smith"; "John R. Smith" ≁ "John Q. Smith"); or the
    same letters written in one word or two ("Zhen Heng" ~ "Zhenheng" ~ "Zhen-Heng")."""
    if not these or not those:
        return these == those
    joined = "".join(these).replace("-", "")
    if full and joined == "".join(those).replace("-", "") and not _has_initial(these + those):
        return True
    if not _same_word(these[0], those[0], full=full):
        return False
    short, long = sorted((these[1:], those[1:]), key=len)
    rest = iter(long)
    return all(any(_same_word(word, other, full=False) for other in rest) for word in short)


def _has_initial(words: tuple[str, ...]) -> bool:
    return any(_is_initial(word) for word in words)


@dataclass(frozen=True)
class _Name:
    """A name as the owner matcher compares it: first words, von particles, last words."""

    first: tuple[str, ...]
    particles: tuple[str, ...]
    last: tuple[str, ...]

    @property
    def full(self) -> bool:
        """The (first) given name is written out, not an initial ("John Q." is, "J." not)."""
        return bool(self.first) and not _is_initial(self.first[0])

    def last_keys(self) -> tuple[str, ...]:
        """Index keys: the last name without and with its particles ("berg", "vanderberg")."""
        core = "".join(self.last).replace("-", "")
        whole = "".join(self.particles) + core
        return (core, whole) if whole != core else (core,)


def _same_last(a: _Name, b: _Name) -> bool:
    """The same last name: the same words, particles left out on one side or the same on both
    ("Berg" ~ "van der Berg", "de Berg" ≁ "van der Berg"), or the same letters ("Vanderberg")."""
    a_keys, b_keys = a.last_keys(), b.last_keys()
    if a_keys[0] == b_keys[0]:
        return not a.particles or not b.particles or a.particles == b.particles
    return a_keys[-1] == b_keys[-1]


def _split(first: str, last: str) -> list[_Name]:
    """The ways to read decoded name parts: as split, and, for a first name of several words,
    with its last word taken into the last name ("María García López" read as BibTeX splits it,
    first "María García", and as "María" "García López")."""
    firsts = list(_words(first, first=True))
    lasts = list(_words(last))
    while len(firsts) > 1 and firsts[-1] in _PARTICLES:  # "Berg, Anna van der"
        lasts.insert(0, firsts.pop())
    count = 0
    while count < len(lasts) - 1 and lasts[count] in _PARTICLES:
        count += 1
    name = _Name(tuple(firsts), tuple(lasts[:count]), tuple(lasts[count:]))
    readings = [name]
    if len(firsts) > 1 and not _is_initial(firsts[-1]):
        readings.append(_Name(tuple(firsts[:-1]), name.particles, (firsts[-1], *name.last)))
    return readings


def _script_key(first: str, last: str) -> str | None:
    """A name in a script without Latin letters ("罗梓巍", "山田 太郎") as one key, spaces out."""
    key = _fold("".join(f"{first}{last}".split()))
    if not key or any("a" <= char <= "z" for char in key):
        return None
    return key


class OwnerMatcher:
    """Decides whether a name is one of the owner's variants.

    An author written with initials matches a variant it abbreviates ("Z. Tang" ~ "Zhenheng
    Tang"). An author written in full matches only a full variant when one is known, so
    "Zhiwei Tang" is not mistaken for "Z. Tang" when "Zhenheng Tang" is the owner. Middle names
    may be left out on either side ("John Smith" ~ "John Q. Smith"), particles may be left out
    or written after the first names ("Berg, A." ~ "Berg, A. van der" ~ "Anna van der Berg"),
    and a name in another script matches whole ("罗梓巍"). :meth:`matches_swapped` reads a name
    in the other order ("Sheng Yang" for "Yang Sheng"), for lists where no name matches as
    written.
    """

    def __init__(self, variants: Sequence[str]) -> None:
        self._by_last: dict[str, list[_Name]] = {}
        self._scripts: set[str] = set()
        self._last_names: set[str] = set()  # as written, folded: what a swapped first name is
        self._lasts: re.Pattern[str] | None = None
        self._seen: dict[tuple[str, str, bool], bool] = {}
        for variant in variants:
            try:
                person = parse_name(variant.strip())
            except InvalidNameError:
                continue
            script = _script_key(person.first, person.last)
            if script:
                self._scripts.add(script)
            self._last_names.add(_fold(person.last))
            for name in _split(person.first, person.last):
                for key in name.last_keys():
                    self._by_last.setdefault(key, []).append(name)

    def matches(self, first: str, last: str) -> bool:
        """Whether "first last" (decoded name parts, von included in last) is the owner."""
        known = self._seen.get((first, last, False))
        if known is None:
            known = self._seen[(first, last, False)] = self._match(first, last)
        return known

    def may_be_swapped(self, first: str) -> bool:
        """A quick test before :meth:`matches_swapped`: ``first`` is one of the owner's last
        names (folded), as a name written the other way round would have it."""
        return first in self._last_names or _fold(first) in self._last_names

    def matches_swapped(self, first: str, last: str) -> bool:
        """Whether the name is the owner's read the other way round ("Sheng Yang" for the owner
        "Yang Sheng", "Luo Ziwei" for "Ziwei Luo"): only names written out in full count."""
        known = self._seen.get((first, last, True))
        if known is None:
            known = False
            written = _words(first)
            if written and _words(last) and not any(_is_initial(word) for word in written):
                swapped = _Name(_words(last, first=True), (), _words(first))
                whole = swapped.full and not _has_initial(swapped.first)
                known = whole and self._match_name(swapped, swapped_only_full=True)
            self._seen[(first, last, True)] = known
        return known

    def _match(self, first: str, last: str) -> bool:
        if self._scripts:
            script = _script_key(first, last)
            if script is not None:
                return script in self._scripts
        if self._lasts is None:  # the owner's last names, as one pattern
            keys = sorted(self._by_last, key=len, reverse=True)
            self._lasts = re.compile("|".join(map(re.escape, keys)) if keys else "(?!)")
        if not self._lasts.search(_SQUASH.sub("", _fold(f"{first}{last}"))):
            return False  # no last name of the owner's in it: most co-authors
        return any(self._match_name(name) for name in _split(first, last))

    def _match_name(self, name: _Name, *, swapped_only_full: bool = False) -> bool:
        candidates = [c for key in name.last_keys() for c in self._by_last.get(key, ())]
        if not candidates:
            return False
        candidates = [c for c in candidates if _same_last(name, c)]
        if not name.first:
            return any(not c.first for c in candidates)
        full = [c for c in candidates if c.full]
        if name.full and full:
            return any(_firsts_agree(name.first, c.first, full=True) for c in full)
        if swapped_only_full:
            return False
        return any(_firsts_agree(name.first, c.first, full=False) for c in candidates)


def split_native(name: str) -> tuple[str, str | None]:
    """``("Ziwei Luo", "罗梓巍")`` from ``"Ziwei Luo (罗梓巍)"``; ``(name, None)`` without one."""
    match = _NATIVE_PART.match(name.strip())
    if match is None:
        return name.strip(), None
    return match.group(1), match.group(2)


def owner_names(record: Record) -> list[str]:
    """The names set in bold as the owner's: ``publications.highlight``, else derived from the
    record's ``name`` and ``name_native``."""
    given = record.publications.highlight
    return list(given) if given is not None else derive_highlight(record.name, record.name_native)


def derive_highlight(name: str, native: str | None = None) -> list[str]:
    """Name variants of the owner, from the record's ``name`` (and ``name_native``).

    Args:
        name: The owner's name as the record writes it ("Zhenheng Tang" or "Tang, Zhenheng"),
            perhaps with its native form after it ("Ziwei Luo (罗梓巍)").
        native: The name in its own script (``name_native``), if the record gives it.

    Returns:
        Full and initialled forms in both orders, dotted and not, and the same without accents:
        ``["Zhenheng Tang", "Tang, Zhenheng", "Z. Tang", "Tang, Z.", "Z Tang", "Tang, Z", ...]``,
        then the native form.
    """
    name, written_native = split_native(name)
    if written_native and _script_key("", name) and not _script_key("", written_native):
        name, written_native = written_native, name  # "罗梓巍 (Ziwei Luo)"
    natives = [form.strip() for form in (written_native, native) if form and form.strip()]
    try:
        person = parse_name(name)
    except InvalidNameError:
        return list(dict.fromkeys([name, *natives]))
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
    return list(dict.fromkeys(variants + folded + natives))


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
