"""The HTML every output is made from: every section type, sorted, escaped, titled."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cv.builder import read_inputs
from cv.model import Record
from cv.render import render_html
from cv.themes import load_theme
from cv.typeset import SOFT_HYPHEN

from .conftest import TESTDATA

FULL = TESTDATA / "full"


def _render(*args: Any, **kwargs: Any) -> str:
    """The print page's HTML without the soft hyphens cv.typeset puts in words on paper."""
    return render_html(*args, **kwargs).replace(SOFT_HYPHEN, "")


@pytest.fixture(scope="module")
def full_html() -> str:
    inputs = read_inputs(FULL)
    return _render(
        inputs.source.record, inputs.publications, inputs.theme, today=dt.date(2026, 1, 2)
    )


def visible(html: str) -> str:
    body = html.split("<body", 1)[1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_every_section_type_renders_in_the_chosen_order(full_html: str) -> None:
    ids = re.findall(r'<section class="section section-(\w+)"', full_html)
    assert ids == [
        "about",
        "news",
        "experience",
        "education",
        "teaching",
        "service",
        "awards",
        "publications",
        "talks",
        "internships",
    ]
    assert "<h2>Courses Taught</h2>" in full_html  # a title set in `sections`
    assert "<h2>Invited Talks</h2>" in full_html


def test_entries_are_sorted_newest_first(full_html: str) -> None:
    text = visible(full_html)
    assert text.index("Newest news") < text.index("Middle news") < text.index("Older news")
    assert text.index("Associate Professor ") < text.index("Assistant Professor")
    assert text.index("COMP 600") < text.index("COMP 101") < text.index("COMP 500")
    assert text.index("Teaching Award") < text.index("Young Researcher Award")
    assert "Sep 2019 – present" in text and "Feb 10, 2024" in text


def test_every_field_is_shown(full_html: str) -> None:
    text = visible(full_html)
    for phrase in [
        "Ада Киспе-Мюллер",
        "Associate Professor of Computer Science",
        "University of Nowhere",
        "ada@example.org",
        "+1 555 0100",
        "Springfield",
        "ada.example.org",
        "GitHub: adaqm",
        "Google Scholar",
        "ORCID",
        "LinkedIn: adaqm",
        "X: adaqm",
        "DBLP",
        "Optimisation",
        "Distributed training, schedulers",
        "Leads the robust learning group",
        "advised by",
        "Prof. Grace Hopper",
        "PhD in Computer Science",
        "Thesis:",
        "On Robust Things",
        "Advisor: Prof. Alan Turing",
        "First class honours",
        "120 students",
        "Machine Learning:",
        "ICML’23, NeurIPS’23",
        "JMLR; TPAMI",
        "Organised 12 talks",
        "Top 5% of courses",
        "Robustness at Scale",
        "Workshop on Things",
        "Video",
        "Slides",
        "Dr. Barbara Liskov",
        "Research Intern",
        "Journal Articles",
        "Conference Papers",
        "Preprints",
    ]:
        assert phrase in text, phrase
    assert 'href="mailto:ada@example.org"' in full_html
    assert 'href="https://orcid.org/0000-0002-1825-0097"' in full_html
    assert 'href="https://x.com/adaqm"' in full_html


def test_markdown_is_rendered_and_raw_html_is_escaped(full_html: str) -> None:
    assert "<strong>robust optimisation</strong>" in full_html
    assert '<a href="https://example.org/oss">open source</a>' in full_html
    assert "<script>" not in full_html
    assert "&lt;script&gt;" in full_html


def test_section_limit_is_respected(full_html: str) -> None:
    internships = full_html.split('section-internships"', 1)[1]
    assert internships.count('class="entry"') == 1


def test_default_order_and_titles_are_a_cvs() -> None:
    record = Record(
        name="X",
        news=[{"date": "2024", "text": "n"}],
        talks=[{"date": "2024", "title": "t"}],
        awards=[{"date": "2020", "title": "a"}],
    )
    html = _render(record, [], load_theme("classic"), today=dt.date(2026, 1, 1))
    assert re.findall(r"<h2>([^<]+)</h2>", html) == ["Honors and Awards", "Invited Talks", "News"]


@settings(max_examples=50, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_any_user_string_comes_out_escaped(text: str) -> None:
    record = Record(
        name=f"N{text}",
        headline=text,
        news=[{"date": "2024", "text": text}],
        awards=[{"date": "2020", "title": text, "organization": text}],
    )
    html = _render(record, [], load_theme("classic"), today=dt.date(2026, 1, 1))
    body = html.split("</style>", 1)[1]
    tags = set(re.findall(r"<\s*([a-zA-Z][\w-]*)", body))
    allowed = {
        "head",
        "body",
        "header",
        "h1",
        "h2",
        "p",
        "span",
        "a",
        "main",
        "section",
        "div",
        "strong",
        "em",
        "code",
        "ul",
        "li",
        "footer",
        "br",
        "html",
    }
    assert tags <= allowed, tags - allowed
    assert 'href="javascript' not in body.lower()


def test_unknown_theme_is_a_located_error(tmp_path: Path) -> None:
    from cv.errors import CVError

    with pytest.raises(CVError, match="unknown theme 'fancy'; expected one of: classic"):
        load_theme("fancy")


def test_contribution_marks_get_a_legend(write_record) -> None:  # type: ignore[no-untyped-def]
    bib = "@article{a, title={A}, author={Doe*, Jane and Roe†, Rick}, journal={J}, year=2020}\n"
    data = write_record("name: Jane Doe\n", {"publications.bib": bib})
    inputs = read_inputs(data)
    html = _render(
        inputs.source.record, inputs.publications, inputs.theme, today=dt.date(2026, 1, 1)
    )
    assert "equal contribution" in html and "corresponding author" in html
    assert '<strong class="owner">Jane Doe</strong><sup class="mark">*</sup>' in html
    inputs = read_inputs(FULL)
    html = _render(
        inputs.source.record, inputs.publications, inputs.theme, today=dt.date(2026, 1, 1)
    )
    assert "equal contribution" not in html


def test_skills_languages_projects_and_profiles_are_shown() -> None:
    record = Record(
        name="X",
        contact={
            "profiles": [
                {"network": "Mastodon", "username": "@x", "url": "https://example.social/@x"}
            ]
        },
        skills=[{"name": "Python", "level": "Expert", "keywords": ["NumPy", "PyTorch"]}],
        languages=[{"language": "Quechua", "fluency": "Native"}],
        projects=[
            {
                "name": "Robust Lib",
                "start": "2021",
                "end": "present",
                "url": "https://example.org/rl",
                "description": "A library",
                "roles": ["Maintainer"],
            }
        ],
    )
    html = _render(record, [], load_theme("classic"), today=dt.date(2026, 1, 1))
    text = visible(html)
    assert re.findall(r"<h2>([^<]+)</h2>", html) == ["Projects", "Skills", "Languages"]
    for phrase in (
        "Mastodon: @x",
        "Python",
        "Expert",
        "NumPy, PyTorch",
        "Quechua",
        "Native",
        "Robust Lib",
        "2021 – present",
        "A library",
        "Maintainer",
    ):
        assert phrase in text, phrase
    assert 'href="https://example.social/@x"' in html


def test_sections_left_out_with_entries_are_warned_about(write_record, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import cv

    data = write_record(
        "name: X\nsections: [news]\nnews: [{date: 2024, text: n}]\n"
        "talks: [{date: 2024, title: t}, {date: 2023, title: u}]\n",
        {"publications.bib": ""},
    )
    result = cv.build(data, tmp_path, only=["html"], today=dt.date(2026, 1, 1))
    assert result.warnings == (
        "cv.yaml: talks has 2 entries but `sections:` leaves it out, so the CV does not show them",
    )
    with pytest.raises(cv.CVError, match="talks has 2 entries"):
        cv.build(data, tmp_path, only=["html"], today=dt.date(2026, 1, 1), strict=True)
