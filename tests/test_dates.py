from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cv.dates import format_range, parse_date, range_sort_key


@pytest.mark.parametrize(
    ("text", "display", "key"),
    [
        ("2024", "2024", (2024, 0, 0)),
        ("2024-01", "Jan 2024", (2024, 1, 0)),
        ("2024-01-15", "Jan 15, 2024", (2024, 1, 15)),
        ("Jan 2024", "Jan 2024", (2024, 1, 0)),
        ("January 2024", "Jan 2024", (2024, 1, 0)),
        ("2022/23", "2022/23", (2022, 9, 0)),
        ("Spring 2023", "Spring 2023", (2023, 2, 0)),
        ("2023 Fall", "Fall 2023", (2023, 9, 0)),
        ("2022/23 Fall", "2022/23 Fall", (2022, 9, 0)),
        ("09/2023", "Sep 2023", (2023, 9, 0)),
        ("2024.01", "Jan 2024", (2024, 1, 0)),
        ("present", "present", (9999, 13, 32)),
        (2020, "2020", (2020, 0, 0)),
    ],
)
def test_every_documented_form_parses(
    text: str | int, display: str, key: tuple[int, int, int]
) -> None:
    date = parse_date(text)
    assert str(date) == display
    assert date.sort_key == key


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2024-13", "month 13 is not 1-12"),
        ("2023-02-30", "day 30 does not exist in February 2023"),
        ("Foo 2024", "'Foo' is not a month name"),
        ("2023/25", "two consecutive years"),
        ("soon", "expected a date such as"),
        ("", "expected a date such as"),
    ],
)
def test_bad_dates_say_why(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_date(text)


def test_sorting_newest_first_mixes_precisions_sensibly() -> None:
    written = ["2021", "Spring 2023", "present", "2022/23", "2023-01", "Jan 2024", "2023 Fall"]
    ordered = sorted((parse_date(t) for t in written), key=lambda d: d.sort_key, reverse=True)
    assert [d.text for d in ordered] == [
        "present",
        "Jan 2024",
        "2023 Fall",
        "Spring 2023",
        "2023-01",
        "2022/23",
        "2021",
    ]


def test_ranges_show_and_sort_by_end_then_start() -> None:
    ongoing = (parse_date("2023-09"), parse_date("present"))
    finished = (parse_date("2018-10"), parse_date("2020-09"))
    assert format_range(*ongoing) == "Sep 2023 – present"
    assert format_range(parse_date("2024"), None) == "2024"
    assert range_sort_key(*ongoing) > range_sort_key(*finished)


dates = st.one_of(
    st.integers(1950, 2100).map(str),
    st.tuples(st.integers(1950, 2100), st.integers(1, 12)).map(lambda t: f"{t[0]}-{t[1]:02d}"),
    st.tuples(st.sampled_from(["Spring", "Summer", "Fall"]), st.integers(1950, 2100)).map(
        lambda t: f"{t[0]} {t[1]}"
    ),
    st.integers(1950, 2099).map(lambda y: f"{y}/{(y + 1) % 100:02d}"),
    st.just("present"),
)


@given(st.lists(dates, min_size=2, max_size=8))
def test_date_order_is_total_and_consistent(texts: list[str]) -> None:
    parsed = [parse_date(t) for t in texts]
    for a in parsed:
        for b in parsed:
            if b.is_present and not a.is_present:
                assert a.sort_key < b.sort_key  # "present" is newest of all
            elif not a.is_present and not b.is_present and a.year < b.year:  # type: ignore[operator]
                assert a.sort_key < b.sort_key  # an earlier year never sorts after a later one


def test_a_date_is_shown_in_the_current_language() -> None:
    from cv.i18n import language

    date = parse_date("2024-03")
    assert str(date) == "Mar 2024"
    with language("de"):
        assert str(date) == "März 2024"
        assert str(parse_date("present")) == "heute"
        assert str(parse_date("2022/23 Spring")) == "2022/23 Frühjahr"
    with language("zh"):
        assert str(parse_date("Fall 2021")) == "2021年秋季"
    assert date.localised("fr") == "mars 2024"
