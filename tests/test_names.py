"""Tests for cv.names: splitting names, contribution marks, the owner, shortening long lists."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cv
from cv.names import (
    Author,
    BadName,
    OwnerMatcher,
    derive_highlight,
    parse_name,
    read_names,
    shorten,
    split_native,
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


@pytest.mark.parametrize(
    ("owner", "native", "authors", "expected"),
    [
        # a native part in the record's name, or name_native
        ("Ziwei Luo (罗梓巍)", None, "罗梓巍 and Li, Bo", [True, False]),
        ("Ziwei Luo", "罗梓巍", "罗梓巍 and Ziwei Luo", [True, True]),
        ("山田太郎", None, "山田 太郎 and 山田 花子", [True, False]),
        # initials, both orders
        ("Ziwei Luo", None, "Z. Luo and Luo, Z. and Z Luo and Luo, Ziwei", [True] * 4),
        # middle names and initials, on either side
        ("John Smith", None, "John Q. Smith and J. Q. Smith and John Quincy Smith", [True] * 3),
        ("John Q. Smith", None, "John Smith and J. Smith and J. Q. Smith", [True] * 3),
        # particles: lower case, capitalised, after the first names, or left out
        (
            "Anna van der Berg",
            None,
            "A. van der Berg and Berg, Anna van der and A. Van Der Berg and van der Berg, A.",
            [True] * 4,
        ),
        ("Anna van der Berg", None, "Anna Vanderberg and Berg, A.", [True, True]),
        # hyphenated given names and last names, written in one word or two
        ("Jean-Pierre Dupont", None, "J.-P. Dupont and Jean Pierre Dupont", [True, True]),
        ("Wei-Jun Li", None, "Weijun Li and Wei Jun Li and W.-J. Li", [True] * 3),
        ("María García-López", None, "María García López and M. Garcia-Lopez", [True, True]),
        # accents, written or as TeX accents
        ("José Núñez", None, r"Jos{\'e} N{\'u}{\~n}ez and Jose Nunez and J. Núñez", [True] * 3),
    ],
)
def test_the_owner_in_every_spelling(
    owner: str, native: str | None, authors: str, expected: list[bool]
) -> None:
    found = read(authors, derive_highlight(owner, native))
    assert [a.is_owner for a in found] == expected, names(found)


@pytest.mark.parametrize(
    ("owner", "authors"),
    [
        # the same last name with another initial or another first name
        ("Ziwei Luo", "Y. Luo and Zhiwei Luo and Luo, Y. and Zihan Luo"),
        ("Ziwei Luo (罗梓巍)", "罗梓涵 and 罗 and Luo"),
        # another middle initial is another person
        ("John Q. Smith", "John R. Smith and J. R. Smith and Jane Smith"),
        # a hyphenated given name is not a first name with a middle one
        ("Wei Li", "Wei-Jun Li and Weijun Li"),
        ("Jean-Pierre Dupont", "Jean Dupont and Pierre Dupont"),
        # other particles are another family
        ("Anna van der Berg", "Anna de Berg and B. van der Berg"),
        # an accent that makes another name
        ("Jörg Müller", "Jürgen Müller and J. Möller"),
    ],
)
def test_no_false_owner(owner: str, authors: str) -> None:
    found = read(authors, derive_highlight(owner))
    assert [a.name for a in found if a.is_owner] == []


def test_swapped_order_counts_only_when_no_name_matches_as_written() -> None:
    # a site's config says "Yang Sheng", its papers.bib "Sheng Yang"
    assert [a.is_owner for a in read("Sheng Yang and Bo Li", derive_highlight("Yang Sheng"))] == [
        True,
        False,
    ]
    assert [a.is_owner for a in read("Luo Ziwei and Bo Li", derive_highlight("Ziwei Luo"))] == [
        True,
        False,
    ]
    # both spellings in one list: the one as written is the owner, the other a co-author
    both = read("Sheng Yang and Yang Sheng", derive_highlight("Yang Sheng"))
    assert [a.is_owner for a in both] == [False, True]
    # initials are never read the other way round
    assert not any(a.is_owner for a in read("S. Yang and Yang, S.", derive_highlight("Yang Sheng")))


def test_split_native() -> None:
    assert split_native("Ziwei Luo (罗梓巍)") == ("Ziwei Luo", "罗梓巍")
    assert split_native("Ziwei Luo（罗梓巍）") == ("Ziwei Luo", "罗梓巍")
    assert split_native("Ziwei Luo") == ("Ziwei Luo", None)
    assert derive_highlight("Ziwei Luo (罗梓巍)")[-1] == "罗梓巍"
    assert "Z. Luo" in derive_highlight("Ziwei Luo (罗梓巍)")
    assert derive_highlight("罗梓巍 (Ziwei Luo)") == derive_highlight("Ziwei Luo (罗梓巍)")


def _build_with(tmp_path: Path, record: str, bib: str) -> tuple[str, ...]:
    data = tmp_path / "data"
    data.mkdir()
    (data / "cv.yaml").write_text(record, encoding="utf-8")
    (data / "publications.bib").write_text(bib, encoding="utf-8")
    return cv.build(data, tmp_path / "out", only=["html"]).warnings


_SITE_BIB = (
    "@article{a, title = {A}, author = {Zhang, Bo and Sheng, Yang}, year = 2024}\n"
    "@article{b, title = {B}, author = {Sheng, Yang}, year = 2023}\n"
    "@article{c, title = {C}, author = {Wu, Tao and Zhang, Bo}, year = 2022}\n"
)


def test_a_warning_when_the_owner_is_no_author_at_all(tmp_path: Path) -> None:
    warnings = _build_with(tmp_path, "name: Jane Doe\n", _SITE_BIB)
    (warning,) = [w for w in warnings if "matches no author" in w]
    assert warning == (
        f"{tmp_path / 'data' / 'cv.yaml'}:1:7: the owner's name 'Jane Doe' matches no author of "
        "the 3 publications, so no name is set in bold; the name listed most is 'Bo Zhang' "
        "(2 of 3) (list the .bib files' spellings of your name: publications: {highlight: "
        "[Bo Zhang]})"
    )


def test_the_warning_names_highlight_when_it_is_set(tmp_path: Path) -> None:
    record = "name: Jane Doe\npublications:\n  highlight: [J. Doe]\n"
    warnings = _build_with(tmp_path, record, _SITE_BIB)
    (warning,) = [w for w in warnings if "matches no author" in w]
    assert warning.startswith(f"{tmp_path / 'data' / 'cv.yaml'}:3:14: publications.highlight")


def test_no_warning_when_the_owner_is_found_or_bold_is_off(tmp_path: Path) -> None:
    assert not [w for w in _build_with(tmp_path, "name: Yang Sheng\n", _SITE_BIB) if "bold" in w]
    record = "name: Jane Doe\npublications: {highlight: []}\n"
    (tmp_path / "off").mkdir()
    assert not [w for w in _build_with(tmp_path / "off", record, _SITE_BIB) if "bold" in w]


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
