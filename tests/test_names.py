"""Tests for cv.names: splitting names, contribution marks, the owner, shortening long lists."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cv.names import (
    Author,
    BadName,
    OwnerMatcher,
    derive_highlight,
    parse_name,
    read_names,
    shorten,
    strip_marks,
)

OWNER = ("Zhenheng Tang",)


def read(raw: str, highlight: Sequence[str] = OWNER) -> list[Author]:
    authors, bad = read_names(raw, OwnerMatcher(highlight))
    assert bad == []
    return authors


def names(authors: Sequence[Author]) -> list[str]:
    return [author.name for author in authors]


# --------------------------------------------------------------------------------------------
# Splitting


@pytest.mark.parametrize(
    ("raw", "display"),
    [
        ("Tang, Zhenheng", "Zhenheng Tang"),
        ("Zhenheng Tang", "Zhenheng Tang"),
        ("Ludwig van Beethoven", "Ludwig van Beethoven"),
        ("van Beethoven, Ludwig", "Ludwig van Beethoven"),
        ("Doe, Jr., John", "John Doe, Jr."),
        ("{The XYZ Consortium}", "The XYZ Consortium"),
        ("{Simon and Schuster}", "Simon and Schuster"),
        ("唐振衡", "唐振衡"),
        (r"M{\"u}ller, J{\"o}rg", "Jörg Müller"),
        ("Jörg Müller", "Jörg Müller"),
        ("Łukasz Kowalski", "Łukasz Kowalski"),
        (r"Fran{\c c}ois Dupont", "François Dupont"),
        ("Donald~E. Knuth", "Donald E. Knuth"),
        ("de la Fontaine, Jean", "Jean de la Fontaine"),
    ],
)
def test_single_names(raw: str, display: str) -> None:
    assert names(read(raw)) == [display]


def test_parse_name_keeps_von_with_the_last_name() -> None:
    assert parse_name("van Beethoven, Ludwig") == parse_name("Ludwig van Beethoven")
    person = parse_name("Ludwig van Beethoven")
    assert (person.first, person.last) == ("Ludwig", "van Beethoven")


def test_author_order_and_others() -> None:
    authors = read("Tang, Zhenheng and Ludwig van Beethoven and {The XYZ Consortium} and others")
    assert names(authors) == [
        "Zhenheng Tang",
        "Ludwig van Beethoven",
        "The XYZ Consortium",
        "et al.",
    ]
    assert [a.is_others for a in authors] == [False, False, False, True]


def test_malformed_name_is_returned_not_raised() -> None:
    authors, bad = read_names("Bo Li and Tang, Zhenheng, Li, Bo", OwnerMatcher(OWNER))
    assert names(authors) == ["Bo Li", "Tang, Zhenheng, Li, Bo"]  # kept as written
    assert not authors[1].is_owner
    (problem,) = bad
    assert problem.raw == "Tang, Zhenheng, Li, Bo"
    assert "too many commas" in problem.reason.lower()
    assert problem.read_as == "kept as written"
    assert isinstance(problem, BadName)


# --------------------------------------------------------------------------------------------
# Marks


@pytest.mark.parametrize(
    ("raw", "marks"),
    [
        ("Tang*, Zhenheng", "*"),
        ("Zhenheng Tang*", "*"),
        ("Tang$^\\dagger$, Zhenheng", "†"),
        ("Zhenheng Tang\\dagger", "†"),
        ("Zhenheng Tang$^*$", "*"),
        ("Zhenheng Tang^*", "*"),
        ("Zhenheng Tang†", "†"),
        ("Tang*$^\\dagger$, Zhenheng", "*†"),
        ("Zhenheng Tang\\textsuperscript{*}", "*"),
        ("Zhenheng Tang$^\\ddagger$", "‡"),
        ("Zhenheng Tang", ""),
    ],
)
def test_marks_leave_the_name(raw: str, marks: str) -> None:
    assert read(raw) == [Author("Zhenheng Tang", is_owner=True, marks=marks)]


def test_strip_marks_keeps_a_name_without_marks_as_written() -> None:
    assert strip_marks("Tang$^\\dagger$, Z.") == ("Tang, Z.", "†")
    assert strip_marks(r"M{\"u}ller, J.") == (r"M{\"u}ller, J.", "")


# --------------------------------------------------------------------------------------------
# The owner


@pytest.mark.parametrize(
    ("author", "owner"),
    [
        ("Zhenheng Tang", True),
        ("Tang, Zhenheng", True),
        ("Z. Tang", True),
        ("Tang, Z.", True),
        ("Z Tang", True),
        ("ZHENHENG TANG", True),
        ("Zhiwei Tang", False),
        ("Zhenheng Wang", False),
        ("Tang", False),
        ("Bo Li", False),
    ],
)
def test_owner_variants(author: str, owner: bool) -> None:
    (found,) = read(author, derive_highlight("Zhenheng Tang"))
    assert found.is_owner is owner


def test_capital_initials_and_capital_last_names() -> None:
    authors = read("ZH Tang and Bo LI and Zhiwei Tang", ["Zhen Heng Tang", "Bo Li"])
    assert [a.is_owner for a in authors] == [True, True, False]


def test_initials_only_highlight_matches_full_names() -> None:
    authors = read("Zhenheng Tang and Tang, Z. and Bo Li", ["Z. Tang"])
    assert [a.is_owner for a in authors] == [True, True, False]


@pytest.mark.parametrize("highlight", ["Jörg Müller", "Jorg Muller", r"J{\"o}rg M{\"u}ller"])
def test_owner_matches_without_accents(highlight: str) -> None:
    authors = read(
        r"M{\"u}ller, J{\"o}rg and Jorg Muller and J. Müller and Jürgen Müller", [highlight]
    )
    assert [a.is_owner for a in authors] == [True, True, True, False]


def test_derive_highlight() -> None:
    assert derive_highlight("Zhenheng Tang") == [
        "Zhenheng Tang",
        "Tang, Zhenheng",
        "Z. Tang",
        "Tang, Z.",
        "Z Tang",
        "Tang, Z",
    ]
    variants = derive_highlight("Jörg Müller")
    assert {"Jörg Müller", "Müller, J.", "Jorg Muller", "J. Muller", "Muller, Jorg"} <= set(
        variants
    )
    assert derive_highlight("唐振衡") == ["唐振衡"]


# --------------------------------------------------------------------------------------------
# Shortening long author lists


def people(count: int, owner_at: int | None = None, others: bool = False) -> list[Author]:
    authors = [Author(f"Author{chr(65 + i)} Person") for i in range(count)]
    if owner_at is not None:
        authors[owner_at] = Author("Zhenheng Tang", is_owner=True)
    if others:
        authors.append(Author("et al.", is_others=True))
    return authors


def test_short_list_is_kept() -> None:
    assert shorten(people(10), 10) == people(10)


def test_long_list_is_cut_with_et_al() -> None:
    assert names(shorten(people(12), 10)) == [*names(people(9)), "et al."]


def test_owner_inside_the_cut_stays() -> None:
    authors = shorten(people(12, owner_at=3), 10)
    assert len(authors) == 10 and authors[3].is_owner and authors[-1].is_others


def test_owner_beyond_the_cut_stays_visible() -> None:
    authors = shorten(people(12, owner_at=11), 10)
    assert names(authors[:8]) == names(people(8))
    assert authors[8] == Author("…", is_others=True)
    assert authors[9] == Author("Zhenheng Tang", is_owner=True)
    assert len(authors) == 10


def test_owner_in_the_middle_keeps_its_position() -> None:
    authors = shorten(people(14, owner_at=10), 10)
    assert [a.is_others for a in authors] == [False] * 8 + [True, False, True]
    assert authors[9].is_owner


def test_owner_before_and_others_is_followed_by_et_al() -> None:
    authors = shorten(people(12, owner_at=11, others=True), 10)
    assert names(authors[-3:]) == ["…", "Zhenheng Tang", "et al."]


def test_and_others_at_the_cut_gives_one_et_al() -> None:
    assert names(shorten(people(3, others=True), 3)) == [*names(people(2)), "et al."]


def test_a_limit_of_one_shows_one_name() -> None:
    assert names(shorten(people(3), 1)) == ["AuthorA Person", "et al."]
    assert names(shorten(people(3, owner_at=0), 1)) == ["Zhenheng Tang", "et al."]
    assert names(shorten(people(3, owner_at=2), 1)) == ["…", "Zhenheng Tang"]


@given(
    st.integers(0, 30),
    st.one_of(st.none(), st.integers(0, 29)),
    st.booleans(),
    st.integers(1, 12),
)
def test_shortened_lists_keep_order_owner_and_limit(
    count: int, owner_at: int | None, others: bool, limit: int
) -> None:
    owner_at = owner_at if owner_at is not None and owner_at < count else None
    full = people(count, owner_at, others)
    shown = shorten(full, limit)
    if len(full) <= limit:
        assert shown == full
        return
    real = [a for a in shown if not a.is_others]
    assert real == [a for a in full if a in real], "names keep their order"
    assert len(real) <= max(limit - 1, 1)
    assert owner_at is None or Author("Zhenheng Tang", is_owner=True) in shown
    assert shown[-1].is_others or shown[-1] == full[-1], "a cut tail ends in et al."
    assert not shown[0].is_others or shown[1].is_owner, "… only stands for left-out names"
