"""Tests for cv.scholar: a gs_data.json snapshot in, counts and located problems out."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from markupsafe import Markup

from cv.bibliography import Publication
from cv.builder import read_inputs
from cv.errors import CVError
from cv.render import render_html
from cv.scholar import Scholar, load_scholar, publication_id

from .conftest import TESTDATA

RECORD = Path(__file__).parent / "bib" / "record"
SNAPSHOT = RECORD / "gs_data.json"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "gs_data.json"
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(CVError) as caught:
        load_scholar(path)
    return [str(problem) for problem in caught.value.problems]


def test_snapshot_fixture() -> None:
    scholar = load_scholar(SNAPSHOT)
    assert (scholar.citedby, scholar.hindex, scholar.i10index) == (1234, 12, 15)
    assert scholar.updated == dt.date(2026, 11, 1)
    assert dict(scholar.citations) == {
        "qjMakFHDy7sC": 321,
        "u5HHmVD_uO8C": 1045,
        "zYLM7Y9cAGgC": 0,
    }


def test_counts_by_pubid_with_or_without_the_user() -> None:
    scholar = load_scholar(SNAPSHOT)
    assert scholar.cited_by("u5HHmVD_uO8C") == 1045
    assert scholar.cited_by("ABCDEFGHIJK:u5HHmVD_uO8C") == 1045
    assert scholar.cited_by(" zYLM7Y9cAGgC ") == 0
    assert scholar.cited_by("unknown") is None
    assert scholar.cited_by("") is None
    assert publication_id("USER:PUB") == "PUB"


def test_counts_by_bibtex_key() -> None:
    def paper(key: str, scholar_id: str) -> Publication:
        return Publication(
            key,
            "article",
            "journal",
            Markup("T"),
            (),
            Markup(""),
            2024,
            None,
            google_scholar_id=scholar_id,
        )

    scholar = load_scholar(SNAPSHOT)
    papers = [paper("a", "u5HHmVD_uO8C"), paper("b", ""), paper("c", "nope")]
    assert scholar.by_key(papers) == {"a": 1045}


@pytest.mark.parametrize(
    ("citedby", "line"),
    [(1234, "1,234 citations · h-index 7 · i10-index 3, as of March 5, 2025"),
     (1, "1 citation · h-index 7 · i10-index 3, as of March 5, 2025")],
)  # fmt: skip
def test_summary_line(citedby: int, line: str) -> None:
    assert Scholar(citedby, 7, 3, dt.date(2025, 3, 5)).summary == line


def test_date_forms(tmp_path: Path) -> None:
    for updated in ("2026-11-01 08:00:00.123456", "2026-11-01", "2026-11-01T08:00:00"):
        text = json.dumps({"citedby": 1, "hindex": 1, "i10index": 0, "updated": updated})
        assert load_scholar(write(tmp_path, text)).updated == dt.date(2026, 11, 1)


def test_scholarly_list_of_publications_and_no_publications(tmp_path: Path) -> None:
    totals = {"citedby": 3, "hindex": 1, "i10index": 0, "updated": "2026-01-01 00:00:00"}
    papers = [
        {"author_pub_id": "U:P1", "num_citations": 3},
        {"author_pub_id": "U:P2", "num_citations": 0},
    ]
    listed = load_scholar(write(tmp_path, json.dumps({**totals, "publications": papers})))
    assert dict(listed.citations) == {"P1": 3, "P2": 0}
    assert dict(load_scholar(write(tmp_path, json.dumps(totals))).citations) == {}


def test_not_json_is_located(tmp_path: Path) -> None:
    path = write(tmp_path, '{\n  "citedby": 12,\n  "hindex": 3\n  "i10index": 1\n}\n')
    (message,) = problems_of(path)
    assert message.startswith(f"{path}:4:3: not JSON: Expecting ',' delimiter")
    assert "expected the gs_data.json of a Scholar crawler" in message


def test_wrong_shapes_are_all_reported_with_key_path_and_place(tmp_path: Path) -> None:
    text = (
        "{\n"
        '  "citedby": "many",\n'
        '  "i10index": 4,\n'
        '  "updated": "yesterday",\n'
        '  "publications": {\n'
        '    "U:ok": {"num_citations": 2},\n'
        '    "U:bad": {\n'
        '      "num_citations": -1\n'
        "    },\n"
        '    "U:none": {"bib": {}},\n'
        '    "U:list": [1]\n'
        "  }\n"
        "}\n"
    )
    path = write(tmp_path, text)
    assert problems_of(path) == [
        f"{path}:1:1: hindex is missing (expected a whole number, 0 or more)",
        f'{path}:2:3: citedby is "many" (expected a whole number, 0 or more)',
        f'{path}:4:3: updated is "yesterday" (expected a date and time like '
        '"2026-11-01 08:00:00.123456")',
        f'{path}:8:7: publications."U:bad".num_citations is -1 '
        "(expected a whole number, 0 or more)",
        f'{path}:10:5: publications."U:none".num_citations is missing '
        "(expected a whole number, 0 or more)",
        f'{path}:11:5: publications."U:list" is [1] (expected an object with num_citations)',
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]", ":1:1: the file is [] (expected a JSON object with citedby"),
        ('{"citedby": true, "hindex": 1, "i10index": 1, "updated": "2026-01-01"}',
         ":1:2: citedby is true (expected a whole number"),
        ('{"citedby": 1, "hindex": 1, "i10index": 1, "updated": "2026-01-01", "publications": 3}',
         ':1:69: publications is 3 (expected an object keyed "USERID:PUBID")'),
    ],
)  # fmt: skip
def test_wrong_top_level(tmp_path: Path, text: str, message: str) -> None:
    (found,) = problems_of(write(tmp_path, text))
    assert message in found


def test_unreadable_files(tmp_path: Path) -> None:
    (missing,) = problems_of(tmp_path / "nope.json")
    assert "nope.json: file not found" in missing
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"name": "J\xf6rg"}')
    (encoding,) = problems_of(path)
    assert "byte 0xf6 is not UTF-8" in encoding


# --------------------------------------------------------------------------------------------
# In the build


def test_read_inputs_loads_the_snapshot_only_when_named() -> None:
    assert read_inputs(RECORD).scholar == load_scholar(SNAPSHOT)
    assert read_inputs(TESTDATA / "full").scholar is None


def test_a_broken_snapshot_stops_the_build(write_record: Callable[..., Path]) -> None:
    data = write_record(
        "name: A B\npublications: {bibtex: [], scholar: gs.json}\n", {"gs.json": "{oops"}
    )
    with pytest.raises(CVError) as caught:
        read_inputs(data)
    assert str(caught.value).startswith(f"{data / 'gs.json'}:1:2: not JSON")


def test_a_missing_snapshot_is_reported_by_the_loader(write_record: Callable[..., Path]) -> None:
    data = write_record("name: A B\npublications: {bibtex: [], scholar: gs.json}\n")
    with pytest.raises(CVError, match="file 'gs.json' not found; expected a gs_data.json"):
        read_inputs(data)


def visible(html: str) -> str:
    """The text a reader sees (the soft hyphens cv.typeset puts in words on paper left out)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\u00ad", "")


def test_html_shows_totals_and_counts_only_with_a_snapshot() -> None:
    inputs = read_inputs(RECORD)
    args = (inputs.source.record, inputs.publications, inputs.theme)
    today = dt.date(2026, 1, 1)
    shown = visible(render_html(*args, today=today, scholar=inputs.scholar))
    assert "1,234 citations · h-index 12 · i10-index 15, as of November 1, 2026" in shown
    assert "Cited by 1,045" in shown and "Cited by 321" in shown and "Cited by 0" in shown
    assert shown.count("Cited by") == 3
    plain = visible(render_html(*args, today=today))
    assert "Cited by" not in plain and "h-index" not in plain
    assert visible(render_html(*args, today=today, scholar=None)) == plain
