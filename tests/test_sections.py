"""The sections registry: every section declares everything, and the faculty sections work."""

from __future__ import annotations

import datetime as dt
import json
import re
import typing
from pathlib import Path

import jsonschema
import pytest
import yaml

import cv
from cv.documents import document_record, trims
from cv.errors import CVError
from cv.fields import Strict
from cv.init import schema_json
from cv.interop.acadhomepage_export import render_about
from cv.interop.jsonresume import import_jsonresume
from cv.interop.jsonresume_export import resume_from
from cv.loader import load_record
from cv.model import Document, Record
from cv.render import sections
from cv.sections.registry import BUILT_IN, SECTIONS, kinds, section_order

from .conftest import REPO

FACULTY = ("grants", "supervision", "patents", "software", "memberships", "outreach")

PROFESSOR = """\
name: Jane Q. Professor
headline: Professor of Computer Science
grants:
  - title: "CAREER: Robust Learning"
    funder: National Science Foundation
    program: CAREER
    number: "2145678"
    amount: 550,000
    currency: usd
    role: PI
    investigators: [Jane Q. Professor, John Roe]
    start: 2022-07
    end: 2027-06
  - title: Older Grant
    funder: DARPA
    amount: 1200000.5
    currency: EUR
    start: 2015
    end: 2018
supervision:
  - {name: Ann Student, level: PhD, start: 2021-09, end: present, thesis: Robust things}
  - {name: Bob Grad, level: phd, role: Co-Advisor, start: 2015, end: 2020, next: Google}
  - {name: Carl Post, level: Postdoc, start: 2023, end: present}
  - {name: Dee Under, level: BSc, start: 2019, end: 2020}
patents:
  - title: A Method for Things
    number: US 11,111,111 B2
    office: USPTO
    status: Granted
    date: 2021-03
    inventors: [J. Q. Professor, A. Other]
software:
  - {name: fastthing, url: "https://github.com/x/fastthing", role: lead, stats: 2.1k stars}
memberships:
  - {organization: ACM, grade: Senior Member, start: 2015, end: present}
outreach:
  - {date: 2023-05, title: Why robust AI matters, outlet: BBC Radio 4, tags: [media]}
custom:
  editorial:
    title: Editorial Boards
    entries:
      - {start: 2020, end: present, title: Associate Editor, subtitle: IEEE TPAMI}
  keynotes:
    title: Keynotes
    entries:
      - {date: 2024-06, title: The Future of Robustness, subtitle: ICML Workshop, tags: [media]}
sections:
  - about
  - grants
  - {supervision: {title: Advising}}
  - patents
  - software
  - keynotes
  - memberships
  - outreach
  - {editorial: {title: Editorial Service}}
publications: {bibtex: []}
"""


def _professor(tmp_path: Path, text: str = PROFESSOR) -> Path:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    (data / "cv.yaml").write_text(text, encoding="utf-8")
    (data / "publications.bib").write_text("", encoding="utf-8")
    return data


class _TextDates(yaml.SafeLoader):
    """YAML as cv reads it: a date stays the text written."""


_TextDates.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _yaml(text: str) -> typing.Any:
    return yaml.load(text, Loader=_TextDates)  # noqa: S506 - a SafeLoader


# --- every section declares everything -----------------------------------------------------


def _list_model(annotation: typing.Any) -> typing.Any:
    if typing.get_origin(annotation) is list:
        (inner,) = typing.get_args(annotation)
        return inner
    return None


def test_every_list_of_the_record_is_a_registered_section() -> None:
    lists = {
        name: _list_model(info.annotation)
        for name, info in Record.model_fields.items()
        if _list_model(info.annotation) is not None
        and isinstance(_list_model(info.annotation), type)
        and issubclass(_list_model(info.annotation), Strict)
    }
    lists.pop("interests", None)  # the about section's, strings or {title, details}
    with_entries = {kind.key: kind.model for kind in SECTIONS if kind.model is not None}
    assert lists == with_entries


@pytest.mark.parametrize("kind", SECTIONS, ids=[kind.key for kind in SECTIONS])
def test_each_section_declares_everything(kind: typing.Any) -> None:
    assert re.fullmatch(r"[a-z][a-z_]*", kind.key)
    assert kind.title.strip()
    assert callable(kind.view) and callable(kind.markdown)
    if kind.make is None:  # a list of entries
        assert kind.model is not None and issubclass(kind.model, Strict)
        assert kind.model.model_config.get("extra") == "forbid"
        assert kind.tagged == ("tags" in kind.model.model_fields), "tags: and tagged disagree"
        if kind.jsonresume is not None:
            fields = set(kind.model.model_fields)
            assert set(kind.jsonresume.fields) <= fields, "maps a field the model has not"
            assert set(kind.jsonresume.dates) <= set(kind.jsonresume.fields)
    if kind.heading:
        re.compile(kind.heading)
        assert kind.read_markdown is not None, "takes homepage headings but reads no items"
    assert all(trim.floor >= 0 for trim in kind.trims)


def test_section_keys_and_titles_are_unique() -> None:
    assert len({kind.key for kind in SECTIONS}) == len(SECTIONS)
    assert len({kind.title for kind in SECTIONS}) == len(SECTIONS)


def test_no_module_outside_the_sections_names_a_faculty_section() -> None:
    """Adding a section touches its module and the record's field list, nothing else."""
    for path in (REPO / "cv").rglob("*.py"):
        if "sections" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for key in FACULTY:
            named = re.search(rf"[\"']{key}[\"']", text)
            assert named is None, f"{path.relative_to(REPO)} names the section {key!r}"


def test_the_schema_has_every_section_and_accepts_the_professor() -> None:
    schema = json.loads(schema_json())
    for kind in SECTIONS:
        if kind.model is not None:
            assert kind.key in schema["properties"], kind.key
    assert "custom" in schema["properties"]
    # cv reads "phd", "Co-Advisor" and "Granted" too; the schema names each value once
    canonical = {"level: phd": "level: PhD", "Co-Advisor": "co-advisor", "Granted": "granted"}
    text = PROFESSOR
    for written, value in canonical.items():
        text = text.replace(written, value)
    jsonschema.validate(_yaml(text), schema)


def test_the_scaffold_shows_every_faculty_section_and_a_custom_one() -> None:
    scaffold = _yaml((REPO / "cv" / "scaffold" / "cv.yaml").read_text(encoding="utf-8"))
    for key in FACULTY:
        assert scaffold.get(key), key
    assert scaffold["custom"]
    jsonschema.validate(scaffold, json.loads(schema_json()))


# --- a professor's CV ------------------------------------------------------------------------


def test_a_professor_builds_every_entry_in_the_order_sections_gives(tmp_path: Path) -> None:
    from pypdf import PdfReader

    data = _professor(tmp_path)
    cv.build(data, tmp_path / "out", only=["cv", "html"], today=dt.date(2026, 1, 1))
    text = " ".join(
        " ".join(page.extract_text() or "" for page in PdfReader(tmp_path / "out" / "cv.pdf").pages)
        .replace("\u00ad", "")
        .split()
    )
    order = [
        "Grants and Funding",
        "CAREER: Robust Learning",
        "National Science Foundation, CAREER, No. 2145678, USD 550,000",
        "PI; with Jane Q. Professor, John Roe",
        "Older Grant",
        "EUR 1,200,000.50",
        "Advising",
        "Postdoctoral Researchers",
        "Carl Post",
        "PhD Students",
        "Ann Student",
        "Thesis: Robust things",
        "Bob Grad",
        "Co-advised",
        "Next: Google",
        "Undergraduate Students",
        "Dee Under",
        "Patents",
        "A Method for Things",
        "USPTO, US 11,111,111 B2, Granted",
        "Software and Datasets",
        "fastthing",
        "lead, 2.1k stars",
        "Keynotes",
        "The Future of Robustness",
        "Professional Memberships",
        "ACM",
        "Senior Member",
        "Outreach and Media",
        "Why robust AI matters",
        "BBC Radio 4",
        "Editorial Service",
        "Associate Editor",
        "IEEE TPAMI",
    ]
    at = 0
    for expected in order:
        found = text.find(expected, at)
        assert found >= 0, (expected, text[at : at + 200])
        at = found + len(expected)
    html = (tmp_path / "out" / "cv.html").read_text(encoding="utf-8")
    assert '<a href="https://github.com/x/fastthing">fastthing</a>' in html
    assert "<strong>Jane Q. Professor</strong>, John Roe" in html  # the owner in bold
    assert "<strong>J. Q. Professor</strong>, A. Other" in html
    assert 'class="section section-keynotes" id="keynotes"' in html


def test_documents_select_faculty_and_custom_entries_by_tag(tmp_path: Path) -> None:
    record = load_record(_professor(tmp_path)).record
    media = document_record(record, Document(include_tags=["media"]))
    assert [o.title for o in media.outreach] == ["Why robust AI matters"]
    assert [e.title for e in media.custom["keynotes"].entries] == ["The Future of Robustness"]
    assert media.custom["editorial"].entries == [] and media.grants == []
    assert record.custom["editorial"].entries  # the record itself is unchanged


def test_page_limits_shorten_the_faculty_and_custom_sections(tmp_path: Path) -> None:
    record = load_record(_professor(tmp_path)).record
    steps = [key for key, _floor in trims(record)]
    for key in (*FACULTY, "editorial", "keynotes"):
        assert key in steps, key
    assert steps.index("outreach") < steps.index("grants")  # media goes before funding


def test_exports_keep_every_faculty_entry(tmp_path: Path) -> None:
    record = load_record(_professor(tmp_path)).record
    about = render_about(record, [])
    for text in ("# Grants and Funding", "**CAREER: Robust Learning**", "USD 550,000",
                 "# Advising", "Ann Student, PhD", "# Keynotes", "The Future of Robustness",
                 "# Editorial Service", "Associate Editor, IEEE TPAMI"):  # fmt: skip
        assert text in about, text
    resume = resume_from(record, [], {})
    assert [a["title"] for a in resume["awards"]] == ["CAREER: Robust Learning", "Older Grant"]
    assert resume["awards"][0]["awarder"] == "National Science Foundation"
    names = [p["name"] for p in resume["projects"]]
    assert {"Ann Student", "fastthing", "Why robust AI matters", "Associate Editor"} <= set(names)
    assert resume["publications"][0]["name"] == "A Method for Things"
    assert resume["volunteer"][0]["organization"] == "ACM"
    imported = import_jsonresume(resume)
    assert imported.counts()["keynotes"] == 1 and imported.counts()["grants"] == 2
    back = Record.model_validate(imported.record)
    for key in FACULTY:
        assert getattr(back, key) == getattr(record, key), key
    assert back.custom == record.custom
    assert back.sections == record.sections


def test_custom_sections_follow_the_record_order_without_sections(tmp_path: Path) -> None:
    text = re.sub(r"sections:\n(  - .*\n)+", "", PROFESSOR)
    record = load_record(_professor(tmp_path, text)).record
    keys = [kind.key for kind, _options in section_order(record)]
    assert keys == [*list(BUILT_IN)[:-1], "editorial", "keynotes", "news"]  # news stays last
    shown = [section.key for section in sections(record, [])]
    faculty = [kind.key for kind in SECTIONS if kind.key in FACULTY]
    assert shown == [*faculty, "editorial", "keynotes"]


# --- bad input --------------------------------------------------------------------------------

BAD = [
    (
        "grants:\n  - {title: G, amount: $500K}\n",
        "2:24",
        "grants[0].amount: '$500K' is not valid: a currency symbol does not say",
    ),
    ("grants:\n  - {title: G, amount: -5}\n", "2:24", "expected an amount of zero or more"),
    ("grants:\n  - {title: G, amount: $750000}\n", "2:24", "a currency symbol does not say"),
    ("grants:\n  - {title: G, amount: about 5k}\n", "2:24", "such as 500000, 500,000, 500k"),
    ("grants:\n  - {title: G, amount: 5k NOK, currency: USD}\n", "2:5", "the amount says NOK"),
    ("grants:\n  - {title: G, currency: $}\n", "2:26", "expected a three-letter currency code"),
    ("grants:\n  - {title: G, start: 2020, end: 2019}\n", "2:34", "the period ends before"),
    ("supervision:\n  - {name: A, level: Professor}\n", "2:22", "expected 'PhD', 'MSc', 'BSc'"),
    ("supervision:\n  - {name: A, level: PhD, role: boss}\n", "2:33", "'advisor' or 'co-advisor'"),
    ("supervision:\n  - {name: A}\n", "2:5", "supervision[0]: required key 'level' is missing"),
    ("patents:\n  - {title: P, status: pending}\n", "2:24", "expected 'filed' or 'granted'"),
    ("memberships:\n  - {organization: O, start: 2020, end: 2010}\n", "2:41", "ends before"),
    ("custom:\n  mine:\n    entries: []\n", "3:5", "custom.mine: required key 'title' is missing"),
    ("custom:\n  mine:\n    title: ''\n", "3:12", "custom.mine.title"),
    ("custom:\n  Mine Own:\n    title: T\n", "2:3", "custom.Mine Own"),
    (
        "custom:\n  grants:\n    title: T\n",
        "2:3",
        "custom section 'grants' has the key of a built-in",
    ),
    (
        "custom:\n  x:\n    title: T\n    entries:\n      - {title: E, date: 2020, start: 2019}\n",
        "5:9",
        "expected either `date:` or `start:`/`end:`, not both",
    ),
    ("sections: [about, grant]\n", "1:19", "unknown section 'grant'"),
]


@pytest.mark.parametrize(("body", "where", "message"), BAD, ids=[b[2][:40] for b in BAD])
def test_bad_faculty_input_is_one_located_line(
    tmp_path: Path, body: str, where: str, message: str
) -> None:
    (tmp_path / "cv.yaml").write_text("name: X\n" + body, encoding="utf-8")
    (tmp_path / "publications.bib").write_text("", encoding="utf-8")
    with pytest.raises(CVError) as caught:
        load_record(tmp_path)
    problems = [str(problem) for problem in caught.value.problems]
    assert len(problems) == 1, problems
    line, column = where.split(":")
    assert problems[0].startswith(f"{tmp_path / 'cv.yaml'}:{int(line) + 1}:{column}: "), problems
    assert message in problems[0], problems


def test_a_misspelt_section_gets_a_suggestion(tmp_path: Path) -> None:
    (tmp_path / "cv.yaml").write_text("name: X\nsections: [supervison]\n", encoding="utf-8")
    (tmp_path / "publications.bib").write_text("", encoding="utf-8")
    with pytest.raises(CVError) as caught:
        load_record(tmp_path)
    assert caught.value.problems[0].hint == "did you mean 'supervision'?"


def test_a_custom_section_key_may_be_placed_and_retitled(tmp_path: Path) -> None:
    text = "name: X\ncustom:\n  mine:\n    title: Mine\n    entries: [{title: E}]\n"
    text += "sections: [{mine: {title: Renamed, limit: 1}}]\n"
    record = load_record(_professor(tmp_path, text)).record
    (section,) = sections(record, [])
    assert (section.key, section.title, len(section.entries)) == ("mine", "Renamed", 1)


# --- hostile input ----------------------------------------------------------------------------


def test_custom_text_is_escaped_and_its_key_cannot_break_out(tmp_path: Path) -> None:
    text = (
        "name: X\ncustom:\n  evil:\n    title: '<script>alert(1)</script>'\n"
        "    entries:\n      - {title: '<img src=x onerror=alert(1)>', url: 'javascript:alert(1)',"
        " details: ['<b>x</b>']}\n"
    )
    data = _professor(tmp_path, text)
    cv.build(data, tmp_path / "out", only=["html"], today=dt.date(2026, 1, 1))
    html = (tmp_path / "out" / "cv.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "javascript:" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_too_many_custom_sections_is_an_error(tmp_path: Path) -> None:
    custom = "".join(f"  s{i}:\n    title: S{i}\n" for i in range(51))
    (tmp_path / "cv.yaml").write_text(f"name: X\ncustom:\n{custom}", encoding="utf-8")
    with pytest.raises(CVError) as caught:
        load_record(tmp_path)
    assert "custom" in str(caught.value.problems[0])


def test_kinds_of_a_record_never_let_a_custom_key_replace_a_built_in(tmp_path: Path) -> None:
    record = Record.model_validate({"name": "X", "custom": {"grants": {"title": "Fake"}}})
    assert kinds(record)["grants"] is BUILT_IN["grants"]


def test_the_sections_page_lists_every_section_and_field() -> None:
    page = (REPO / "docs" / "sections.md").read_text(encoding="utf-8")
    rows = {
        match.group(1): match.group(0)
        for match in re.finditer(r"^\| `(\w+)` \|.*$", page, re.MULTILINE)
    }
    for kind in SECTIONS:
        assert kind.key in rows, kind.key
        assert f"| {kind.title} |" in rows[kind.key], kind.key
        for field in kind.model.model_fields if kind.model else ():
            assert f"`{field}`" in rows[kind.key], (kind.key, field)


def test_the_readme_faculty_example_is_a_valid_record(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = next(
        block for block in re.findall(r"```yaml\n(.*?)```", readme, re.S) if "grants:" in block
    )
    data = _professor(tmp_path, "name: Ada Lovelace\n" + example)
    record = load_record(data).record
    assert record.grants[0].currency == "USD" and record.custom["editorial"].entries


# --- a real professor's record (tests/records/professor: see its header for the sources) ------

PROFESSOR_DATA = REPO / "tests" / "records" / "professor"
_MAIN_TEXT = ("title", "name", "organization", "role", "course", "degree", "text", "language")


def _squashed(text: str) -> str:
    """Text with no spaces, hyphens or soft hyphens: line breaks and hyphenation do not count."""
    return re.sub(r"[\s\u00ad\-‐‑–—]+", "", text)


def _main_text(entry: typing.Any) -> str:
    import html as html_module

    from cv import markup

    value = next(getattr(entry, name) for name in _MAIN_TEXT if getattr(entry, name, None))
    return html_module.unescape(re.sub(r"<[^>]+>", "", str(markup.inline(value))))


def test_a_real_professors_cv_shows_every_entry_of_every_section(tmp_path: Path) -> None:
    from pypdf import PdfReader

    record = load_record(PROFESSOR_DATA).record
    shown = [kind for kind, _options in section_order(record) if kind.model is not None]
    assert {kind.key for kind in shown} >= {*FACULTY, *record.custom}
    cv.build(PROFESSOR_DATA, tmp_path, only=["cv"], today=dt.date(2026, 1, 1), strict=True)
    pdf = PdfReader(tmp_path / "cv.pdf")
    text = _squashed(" ".join(page.extract_text() or "" for page in pdf.pages))
    for kind in shown:
        for entry in kind.items(record):
            assert _squashed(_main_text(entry)) in text, (kind.key, _main_text(entry))
    titles = [item.title for item in pdf.outline if not isinstance(item, list)]
    expected = [options.title or kind.title for kind, options in section_order(record)]
    assert titles == [t for t in expected if t in titles] and len(titles) >= len(shown)


@pytest.mark.parametrize(
    ("written", "shown"),
    [  # as real CVs write amounts (tests/real/faculty: Mittner, Guo, Denolle, Poisot)
        ("500k NOK", "NOK 500,000"),
        ("GBP 69k", "GBP 69,000"),
        ("3 million NOK", "NOK 3,000,000"),
        ("1.1M", "1,100,000"),
        ("785,819.00", "785,819"),
        ("1 200 000", "1,200,000"),
        ("62000.5", "62,000.50"),
        (880490, "880,490"),
    ],
)
def test_grant_amounts_as_people_write_them(written: typing.Any, shown: str) -> None:
    from cv.sections.grants import Grant, amount_text

    assert amount_text(Grant(title="G", amount=written)) == shown
