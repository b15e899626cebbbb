"""RenderCV in and out: real RenderCV files import and build, every entry lands somewhere, the
export validates against RenderCV's JSON Schema, and import(export(record)) keeps every entry."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

import cv
from cv.errors import CVError
from cv.interop.files import Imported, dump_bibtex, dump_record, write_import
from cv.interop.rendercv import (
    ENTRY_FIELDS,
    entry_type,
    export_rendercv,
    import_rendercv,
    read_rendercv,
    section_title,
)
from cv.interop.rendercv_export import SCHEMA_URL, dumps, place_of
from cv.interop.text import plain
from cv.loader import MAX_BYTES, _compose, load_record
from cv.model import Record
from cv.sections.registry import BUILT_IN, kinds, section_order

from .conftest import EXAMPLE, TESTDATA
from .test_sections import PROFESSOR

HERE = Path(__file__).resolve().parent
REAL = sorted((HERE / "real" / "rendercv").glob("*.yaml"))
SCHEMA = json.loads((HERE / "data" / "rendercv-schema.json").read_text(encoding="utf-8"))
PROFESSOR_DATA = TESTDATA / "professor"
TODAY = dt.date(2026, 1, 1)
_MAIN = ("name", "company", "position", "institution", "title", "label", "bullet", "number")
_MAIN += ("reversed_number",)


def _schema_errors(document: object) -> list[str]:
    validator = jsonschema.Draft7Validator(
        SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )
    return [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(document)]


def _professor(tmp_path: Path) -> Path:
    data = tmp_path / "professor"
    data.mkdir()
    (data / "cv.yaml").write_text(PROFESSOR, encoding="utf-8")
    (data / "publications.bib").write_text("", encoding="utf-8")
    return data


def _read(text: str, tmp_path: Path, name: str = "CV.yaml") -> Imported:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_rendercv(path)


def _squashed(text: str) -> str:
    return re.sub(r"[\s\\{}*_'\"]+", "", plain(text)).casefold()


def _dateless(text: str) -> str:
    """Squashed text without years, brackets and dashes: where an entry's date was cut off."""
    return re.sub(r"(?:19|20)\d{2}|[()\[\],;:–—-]", "", _squashed(text))


def _input_entries(path: Path) -> list[tuple[str, Any]]:
    """Every entry of the file's sections, as (section key, entry), read as the importer reads."""
    data, _positions, _problems = _compose(path.read_text(encoding="utf-8"), path)
    sections = data["cv"].get("sections") or {}
    return [
        (key, entry)
        for key, entries in sections.items()
        if isinstance(entries, list)
        for entry in entries
        if entry not in (None, "", {})
    ]


def _main_text(entry: Any) -> str:
    if isinstance(entry, str):
        return entry
    return next(str(entry[name]) for name in _MAIN if entry.get(name))


def _landed(imported: Imported) -> int:
    """How many entries the import holds: section entries, publications, about paragraphs."""
    record = Record.model_validate(imported.record)
    entries = sum(len(kind.items(record)) for kind in kinds(record).values() if kind.model)
    about, _, kept = (record.about or "").partition("**Kept from the RenderCV file**")
    paragraphs = len([part for part in about.split("\n\n") if part.strip()])
    kept_lines = len([line for line in kept.splitlines() if line.startswith("- ")])
    return entries + len(imported.entries) + len(record.interests) + paragraphs + kept_lines


def _built_text(imported: Imported, tmp_path: Path) -> str:
    data = tmp_path / "data"
    write_import(imported, data)
    result = cv.build(data, tmp_path / "out", only=["cv"], today=TODAY)
    pdf = next(output.path for output in result.outputs if output.path.suffix == ".pdf")
    return " ".join(page.extract_text() or "" for page in PdfReader(pdf).pages)


# --- real RenderCV files --------------------------------------------------------------------------


def test_the_real_files_are_kept_with_their_sources() -> None:
    sources = (HERE / "real" / "rendercv" / "SOURCES.md").read_text(encoding="utf-8")
    assert 4 <= len(REAL) <= 6
    for path in REAL:
        assert f"`{path.name}`" in sources


@pytest.mark.parametrize("path", REAL, ids=lambda path: path.stem)
def test_a_real_rendercv_file_imports_and_every_entry_lands_somewhere(path: Path) -> None:
    imported = read_rendercv(path)
    Record.model_validate(imported.record)
    entries = _input_entries(path)
    assert not any(isinstance(e, str) and "\n\n" in e for _, e in entries)  # one paragraph each
    assert _landed(imported) == len(entries)
    written = _dateless(dump_record(imported.record) + dump_bibtex(imported.entries))
    for key, entry in entries:
        assert _dateless(_main_text(entry))[:60] in written, (key, _main_text(entry))


@pytest.mark.parametrize("path", REAL, ids=lambda path: path.stem)
def test_a_real_rendercv_file_builds_a_cv(path: Path, tmp_path: Path) -> None:
    imported = read_rendercv(path)
    text = _squashed(_built_text(imported, tmp_path))
    assert _squashed(imported.record["name"]) in text
    record = Record.model_validate(imported.record)
    for kind, _options in section_order(record):
        for item in kind.items(record)[:2]:
            main = next(
                getattr(item, name)
                for name in ("title", "name", "role", "course", "degree", "text", "organization")
                if getattr(item, name, None)
            )
            assert _squashed(main)[:25] in text, (kind.key, main)


def test_the_real_files_map_their_sections_to_the_records(tmp_path: Path) -> None:
    by_name = {path.name.split("-")[0]: read_rendercv(path) for path in REAL}
    bail = by_name["joeybail96"].record
    assert bail["sections"][:4] == [
        {"about": {"title": "About Me"}},  # the file's own title (the CV's is "Profile")
        "education",
        "experience",
        {"teaching": {"title": "Teaching Experience"}},
    ]
    assert bail["education"][0]["thesis"].startswith("Implementing Playa Dust")
    assert bail["teaching"][1] == {
        "term": "2018",
        "course": "Engineering Writing Mentor — Penn State University",
    }
    assert "research_field_campaigns" in bail["custom"]
    assert len(by_name["joeybail96"].entries) == 5
    dahal = by_name["geokshitij"].record
    assert dahal["contact"]["google_scholar"] == "jOtnPBIAAAAJ"
    assert dahal["contact"]["linkedin"] == "geokshitij"
    assert dahal["awards"][0] == {
        "date": "2024",
        "title": "Community Science Fellow, AGU (2024–2026)",
    }
    assert dahal["about"].startswith("Civil/Environmental Engineer")
    doe = by_name["rendercv"]
    assert doe.record["education"][0]["advisor"] == "Prof. Sanjeev Arora"
    assert doe.record["projects"][0]["url"] == "https://github.com/"
    assert [t["date"] for t in doe.record["talks"]] == ["2024", "2024", "2023", "2022"]
    assert len(doe.record["patents"]) == 3 and len(doe.entries) == 4
    denolle = by_name["mdenolle"]
    assert len(denolle.record["outreach"]) == 7
    assert denolle.record["outreach"][0]["date"] == "2025"
    tags = [n for n in denolle.notices if "'!include'" in n.message]
    assert len(tags) == 20 and tags[1].where == "cv.sections.education" and tags[1].line == 34
    assert denolle.record["contact"]["profiles"][0]["username"] == "Denolle-Lab"
    korean = by_name["jaepil"].record
    assert korean["name"] == "최재필"
    assert len(korean["custom"]) >= 2 and all(
        re.fullmatch(r"[a-z][a-z0-9_]*", key) for key in korean["custom"]
    )


def test_rendercv_notes_what_it_leaves_out(tmp_path: Path) -> None:
    imported = read_rendercv(next(p for p in REAL if p.name.startswith("rendercv-")))
    notes = {n.where: n for n in imported.notices}
    assert {"design", "locale", "settings"} <= set(notes)
    assert all(notes[key].level == "note" for key in ("design", "locale", "settings"))
    assert notes["design"].line == 185
    assert [n for n in imported.notices if n.level == "warning"] == []


def test_a_misspelt_field_is_read_as_the_field_meant() -> None:
    imported = read_rendercv(next(p for p in REAL if p.name.startswith("joeybail96")))
    warning = next(n for n in imported.notices if n.where == "cv.sections.Publications[0].author")
    assert "read as 'authors'" in warning.message and warning.line == 153
    thesis = next(e for e in imported.entries if e.fields["title"].startswith("Comparative"))
    assert thesis.fields["author"] == "Bail, J."


# --- export ---------------------------------------------------------------------------------------


def test_every_section_with_entries_has_a_place_in_rendercv() -> None:
    from pydantic import BaseModel

    for key, kind in BUILT_IN.items():
        place = place_of(key, kind.model)
        assert (place is None) == (kind.model is None), key
        for shape in place.shapes if place else ():
            assert set(shape.fields.values()) <= set(kind.model.model_fields), key  # type: ignore[union-attr]

    class Residency(BaseModel):  # a section added later: placed without touching this module
        start: str | None = None
        end: str | None = None
        host: str
        city: str | None = None
        url: str | None = None

    shape = place_of("residencies", Residency).shapes[0]  # type: ignore[union-attr]
    assert (shape.entry_type, shape.fields, shape.link, shape.dates) == (
        "NormalEntry",
        {"name": "host", "summary": "city"},
        "name",
        "period",
    )


@pytest.mark.parametrize("source", ["example", "professor", "real professor"])
def test_the_export_validates_against_rendercvs_schema(source: str, tmp_path: Path) -> None:
    data = {"example": EXAMPLE, "professor": _professor(tmp_path), "real professor": PROFESSOR_DATA}
    exported = export_rendercv(data[source])
    assert _schema_errors(exported) == []
    text = dumps(exported, str(data[source]))
    assert text.startswith(f"# yaml-language-server: $schema={SCHEMA_URL}\n")
    assert yaml.safe_load(text) == exported


def test_the_export_keeps_the_cvs_sections_in_order_with_their_titles() -> None:
    record = load_record(EXAMPLE).record
    sections = export_rendercv(EXAMPLE)["cv"]["sections"]
    titles = [options.title or kind.title for kind, options in section_order(record)]
    shown = [title for title in titles[1:] if title in sections]  # empty sections are left out
    assert list(sections) == ["Profile", "Research Interests", *shown] and len(shown) >= 8
    experience = sections["Experience"]
    assert experience[2] == {
        "company": "[FedML Inc](https://www.fedml.ai/)",
        "position": "Research Intern",
        "start_date": "2022-06",
        "end_date": "2022-10",
        "highlights": ["Advisor: [Dr. Chaoyang He](https://chaoyanghe.com/)"],
    }
    assert sections["Teaching"][0]["date"] == "Spring 2023"
    assert sections["Education"][0]["end_date"] == "present"
    assert sections["News"][0]["label"] == "2024-01"
    assert sections["Honors and Awards"][4]["date"] == 2020  # a year alone: RenderCV shows "2020"


def test_the_export_writes_publications_with_the_owner_in_bold() -> None:
    publications = export_rendercv(EXAMPLE)["cv"]["sections"]["Publications"]
    assert len(publications) == 11
    fedimpro = next(p for p in publications if p["title"].startswith("FedImpro"))
    assert fedimpro["authors"][0] == "**Zhenheng Tang**"
    assert fedimpro["journal"] == "The Twelfth International Conference on Learning Representations"
    assert fedimpro["date"] == 2024 and fedimpro["url"].startswith("https://arxiv.org/")
    gossip = next(p for p in publications if p["title"].startswith("GossipFL"))
    assert gossip["doi"] == "10.1109/TPDS.2022.3230938" and "url" not in gossip


def test_the_export_puts_what_rendercv_has_no_field_for_in_labelled_highlights(
    tmp_path: Path,
) -> None:
    sections = export_rendercv(_professor(tmp_path))["cv"]["sections"]
    career = sections["Grants and Funding"][0]
    assert career["summary"] == "National Science Foundation"
    assert career["highlights"] == [
        "Program: CAREER",
        "Number: 2145678",
        "Amount: 550000",
        "Currency: USD",
        "Role: PI",
        "Investigators: Jane Q. Professor, John Roe",
    ]
    assert sections["Advising"][2]["highlights"] == ["Role: co-advisor", "Next: Google"]
    assert (
        sections["Software and Datasets"][0]["name"]
        == "[fastthing](https://github.com/x/fastthing)"
    )


def test_the_exported_contact_is_what_rendercv_accepts(tmp_path: Path) -> None:
    exported = export_rendercv(PROFESSOR_DATA)["cv"]
    assert exported["social_networks"][:3] == [
        {"network": "GitHub", "username": "mdenolle"},
        {"network": "ORCID", "username": "0000-0002-1610-2250"},
        {"network": "Google Scholar", "username": "GR8BOxsAAAAJ"},
    ]
    assert {"network": "GitHub", "username": "Denolle-Lab"} in exported["social_networks"]
    assert {
        "fontawesome_icon": "link",
        "placeholder": "Lab website",
        "url": "https://denolle-lab.github.io/",
    } in exported["custom_connections"]


# --- round trips ----------------------------------------------------------------------------------


def _entries_by_text(record: Record) -> list[str]:
    texts = []
    for kind in kinds(record).values():
        for item in kind.items(record):
            main = next(
                str(getattr(item, name))
                for name in ("title", "name", "role", "course", "degree", "text", "organization")
                if getattr(item, name, None)
            )
            texts.append(_squashed(main))
    return sorted(texts)


@pytest.mark.parametrize("source", ["example", "professor", "real professor"])
def test_import_of_the_export_keeps_every_entry(source: str, tmp_path: Path) -> None:
    data = {"example": EXAMPLE, "professor": _professor(tmp_path), "real professor": PROFESSOR_DATA}
    original = load_record(data[source]).record
    imported = import_rendercv(export_rendercv(data[source]))
    record = Record.model_validate(imported.record)
    assert _entries_by_text(record) == _entries_by_text(original)
    _, publications, _ = cv.interop.files.load_for_export(data[source])
    assert sorted(e.fields["title"] for e in imported.entries) == sorted(
        plain(str(p.title)).replace("&amp;", "\\&") for p in publications
    )
    assert record.about == original.about and record.interests == original.interests
    assert record.contact.github == original.contact.github


def test_import_of_the_exported_example_gives_back_its_sections() -> None:
    original = load_record(EXAMPLE).record
    imported = import_rendercv(export_rendercv(EXAMPLE))
    assert [n for n in imported.notices if n.level == "warning"] == []
    record = Record.model_validate(imported.record)
    for kind, _options in section_order(original):
        if kind.model is not None and kind.items(original):
            assert len(kind.items(record)) == len(kind.items(original)), kind.key
    assert record.experience[0].advisor == "Prof. Xiaowen Chu"
    assert record.experience[0].advisor_url == "https://sites.google.com/view/chuxiaowen"
    assert record.education[0].advisor == original.education[0].advisor
    assert [t.term for t in record.teaching] == [t.term for t in original.teaching]
    assert sorted(a.title for a in record.awards) == sorted(a.title for a in original.awards)
    assert record.publications.highlight is None  # the bold names are the record's own


def test_import_of_the_exported_professor_keeps_the_faculty_fields(tmp_path: Path) -> None:
    imported = import_rendercv(export_rendercv(_professor(tmp_path)))
    record = Record.model_validate(imported.record)
    career = next(g for g in record.grants if g.title.startswith("CAREER"))
    assert (career.amount, career.currency, career.role, career.number) == (
        550000,
        "USD",
        "PI",
        "2145678",
    )
    assert career.investigators == ["Jane Q. Professor", "John Roe"]
    bob = next(s for s in record.supervision if s.name == "Bob Grad")
    assert (bob.level, bob.role, bob.next) == ("PhD", "co-advisor", "Google")
    assert record.patents[0].inventors == ["J. Q. Professor", "A. Other"]
    assert record.software[0].url == "https://github.com/x/fastthing"
    # a period where the record's service takes one date: kept whole, as a section of one's own
    warning = next(n for n in imported.notices if n.where == "cv.sections.Editorial Service[0]")
    assert "is a period" in warning.message
    assert record.custom["editorial_service"].entries[0].subtitle == "IEEE TPAMI"


def test_the_export_of_a_foreign_import_validates(tmp_path: Path) -> None:
    for path in REAL:
        data = tmp_path / path.stem
        write_import(read_rendercv(path), data)
        assert _schema_errors(export_rendercv(data)) == [], path.name


# --- how RenderCV reads a file --------------------------------------------------------------------


def test_section_titles_are_made_as_rendercv_makes_them() -> None:
    assert section_title("education_and_training") == "Education and Training"
    assert section_title("welcome_to_RenderCV!") == "welcome_to_RenderCV!"
    assert section_title("Research Profile") == "Research Profile"
    assert section_title("selected_honors") == "Selected Honors"


def test_entry_types_are_told_by_their_own_fields() -> None:
    assert entry_type("text") == "TextEntry"
    assert entry_type({"name": "x", "date": "2020"}) == "NormalEntry"
    assert entry_type({"company": "x", "position": "y"}) == "ExperienceEntry"
    assert entry_type({"institution": "x", "area": "y"}) == "EducationEntry"
    assert entry_type({"title": "x", "authors": []}) == "PublicationEntry"
    assert entry_type({"label": "x", "details": "y"}) == "OneLineEntry"
    assert entry_type({"bullet": "x"}) == "BulletEntry"
    assert entry_type({"reversed_number": "x"}) == "ReversedNumberedEntry"
    assert entry_type({"summary": "x"}) is None


def test_dates_markdown_and_highlights_are_read(tmp_path: Path) -> None:
    imported = _read(
        """\
cv:
  name: Ada Lovelace
  label: Analyst
  phone: tel:+44-20-1234-5678
  email: [ada@example.org, ada@work.example.org]
  sections:
    experience:
      - company: "[Analytical Engines](https://example.org)"
        position: Analyst
        start_date: 1952-09-01
        end_date: present
        summary: Notes on the **Engine**
        highlights: ["Advisor: [C. Babbage](https://babbage.example)", "Wrote *Note G*"]
      - company: Royal Society
        position: Correspondent
        date: Summer 1953
    awards:
      - name: Medal
        date: Fall 1953
    teaching:
      - name: Mathematics
        date: 1950/51
        summary: Tutor
""",
        tmp_path,
    )
    record = imported.record
    assert record["headline"] == "Analyst"
    assert record["contact"]["phone"] == "+44-20-1234-5678"
    assert record["contact"]["profiles"] == [
        {
            "network": "Email",
            "username": "ada@work.example.org",
            "url": "mailto:ada@work.example.org",
        }
    ]
    first = record["experience"][0]
    assert (first["organization"], first["url"]) == ("Analytical Engines", "https://example.org")
    assert (first["start"], first["end"]) == ("1952-09-01", "present")
    assert (first["advisor"], first["advisor_url"]) == ("C. Babbage", "https://babbage.example")
    assert first["details"] == ["Notes on the **Engine**", "Wrote *Note G*"]
    assert record["experience"][1]["end"] == "Summer 1953"
    assert record["awards"][0]["date"] == "Fall 1953"
    assert record["teaching"][0] == {"term": "1950/51", "course": "Mathematics", "role": "Tutor"}
    assert [n.message for n in imported.notices if n.level == "warning"] == []


# --- bad input ------------------------------------------------------------------------------------


def test_unknown_entry_types_and_fields_are_kept_with_a_warning(tmp_path: Path) -> None:
    imported = _read(
        """\
cv:
  name: Ada Lovelace
  colour: blue
  sections:
    experience:
      - company: Engines
        position: Analyst
        start_date: 1952
        salary: none
        team: {lead: Babbage}
    hobbies:
      - sport: fencing
        level: amateur
      - {}
      - name: Riding
        date: sometime
unknown_top: 1
""",
        tmp_path,
    )
    warnings = {n.where: (n.line, n.message) for n in imported.notices if n.level == "warning"}
    assert warnings["cv.colour"][0] == 3 and "not a field" in warnings["cv.colour"][1]
    assert "kept as a detail line" in warnings["cv.sections.experience[0].salary"][1]
    assert "not imported" in warnings["cv.sections.experience[0].team"][1]
    assert warnings["cv.sections.hobbies[0]"][0] == 12
    assert "no RenderCV type" in warnings["cv.sections.hobbies[0]"][1]
    assert "not a date" in warnings["cv.sections.hobbies[2].date"][1]
    assert "not part of a RenderCV input" in warnings["unknown_top"][1]
    record = Record.model_validate(imported.record)
    assert record.experience[0].details == ["salary: none"]
    hobbies = record.custom["hobbies"].entries
    assert [e.title for e in hobbies] == ["fencing; amateur", "Riding"]
    assert hobbies[1].details == ["sometime"]
    assert "Riding" in _built_text(imported, tmp_path)


@pytest.mark.parametrize(
    ("text", "expected", "line", "column"),
    [
        ("cv: [1, 2]\n", "`cv:` is a list, not a mapping", 1, 5),
        ("cv: just text\n", "`cv:` is text, not a mapping", 1, 5),
        ("design:\n  theme: classic\n", "no `cv:`", 1, 1),
        ("- a\n- b\n", "expected a mapping with `cv:`", 1, 1),
        ("cv:\n  name: [Ada\n  sections: {}\n", "invalid YAML", 3, 11),
        ("cv:\n\tname: Ada\n", "invalid YAML", 2, 1),
        ("", "the file is empty", 1, 1),
    ],
)
def test_a_file_rendercv_cannot_read_is_one_located_error(
    text: str, expected: str, line: int, column: int, tmp_path: Path
) -> None:
    path = tmp_path / "CV.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CVError) as caught:
        read_rendercv(path)
    assert len(caught.value.problems) == 1
    problem = caught.value.problems[0]
    assert expected in problem.message
    assert (problem.file, problem.line, problem.column) == (path, line, column)


def test_a_missing_or_binary_file_is_a_located_error(tmp_path: Path) -> None:
    with pytest.raises(CVError, match="file not found"):
        read_rendercv(tmp_path / "missing.yaml")
    path = tmp_path / "CV.yaml"
    path.write_bytes(b"cv:\n  name: \xff\xfe\n")
    with pytest.raises(CVError, match="not UTF-8") as caught:
        read_rendercv(path)
    assert caught.value.problems[0].line == 2


def test_a_huge_file_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "CV.yaml"
    path.write_text("cv:\n  name: Ada\n  sections:\n" + "    x: [y]\n" * (MAX_BYTES // 10), "utf-8")
    with pytest.raises(CVError) as caught:
        read_rendercv(path)
    assert len(caught.value.problems) == 1 and "larger" in str(caught.value)


def test_a_large_file_under_the_cap_imports_with_warnings(tmp_path: Path) -> None:
    sections = "".join(f"    section {i}:\n      - bullet: item {i}\n" for i in range(80))
    long_text = "x" * 25_000
    imported = _read(
        f"cv:\n  name: Ada\n  sections:\n    summary:\n      - {long_text}\n{sections}",
        tmp_path,
    )
    warnings = [n for n in imported.notices if n.level == "warning"]
    assert any("too long" in n.message and n.line == 5 for n in warnings)
    assert any("at most 50 sections" in n.message for n in warnings)
    record = Record.model_validate(imported.record)
    assert len(record.custom) == 50
    assert "- item 79" in (record.about or "")
    assert _landed(imported) == 80  # the text that is too long is not an entry any more


def test_a_name_and_sections_missing_are_said(tmp_path: Path) -> None:
    imported = _read("cv:\n  email: ada@example.org\n  sections: [1]\n", tmp_path)
    warnings = {n.where: n.message for n in imported.notices}
    assert "Your Name" in warnings["cv.name"]
    assert "expected a mapping" in warnings["cv.sections"]
    assert imported.record["name"] == "Your Name"


def test_import_rendercv_takes_parsed_data_without_a_file() -> None:
    imported = import_rendercv({"cv": {"name": "Ada", "sections": {"skills": [{"bullet": "x"}]}}})
    assert imported.record["skills"] == [{"name": "x"}]
    with pytest.raises(CVError, match="no `cv:`"):
        import_rendercv({"design": {}})


_FIELDS = sorted({field for fields in ENTRY_FIELDS.values() for field in fields} | {"author"})
_SCALARS = (
    st.none()
    | st.integers(-5, 3000)
    | st.booleans()
    | st.text(max_size=30)
    | st.sampled_from(
        [
            "2020",
            "2020-05",
            "present",
            "2016-2019",
            "Fall 2023",
            "[a](https://x.org)",
            "**A B**",
            "Advisor: [P](https://p.org)",
            "GPA: 4",
            "1842",
            "2020-13-40",
        ]
    )  # fmt: skip
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(_FIELDS), inner, max_size=4)
    ),
    max_leaves=12,
)
_ENTRIES = _SCALARS | st.dictionaries(st.sampled_from(_FIELDS), _VALUES, max_size=6)
_TITLES = st.sampled_from(
    ["education", "Experience", "Awards", "teaching", "skills", "Research Interests", "Summary",
     "Publications", "PhD Advisees", "news", "patents", "talks", "grants", "", "교육", "x_y"]
)  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.fixed_dictionaries(
        {"name": _SCALARS, "email": _VALUES, "social_networks": _VALUES},
        optional={"sections": st.dictionaries(_TITLES, st.lists(_ENTRIES, max_size=4) | _VALUES)},
    )
)
def test_any_rendercv_tree_gives_a_valid_record_or_a_located_error(cv_data: dict[str, Any]) -> None:
    try:
        imported = import_rendercv({"cv": cv_data, "design": {"theme": "classic"}})
    except CVError as error:
        assert error.problems
        return
    Record.model_validate(imported.record)


def test_a_photo_beside_the_file_is_copied_and_one_elsewhere_is_not(tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (4, 4)).save(tmp_path / "me.png")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.png"
    Image.new("RGB", (4, 4)).save(outside)
    imported = _read("cv:\n  name: Ada\n  photo: me.png\n", tmp_path)
    assert imported.record["photo"] == "photo.png"
    assert imported.files["photo.png"] == (tmp_path / "me.png").read_bytes()
    imported = _read(f"cv:\n  name: Ada\n  photo: ../{outside.name}\n", tmp_path)
    assert "photo" not in imported.record and not imported.files
    assert any(n.where == "cv.photo" and n.line == 3 for n in imported.notices)


def test_citations_written_as_bullets_are_kept_as_a_section_of_ones_own(tmp_path: Path) -> None:
    imported = _read(
        "cv:\n  name: Ada\n  sections:\n    publications:\n"
        "      - bullet: 'A. Lovelace. Notes on the engine. 1953.'\n"
        "      - title: The Engine\n        authors: ['**Ada Lovelace**']\n        date: 1953\n",
        tmp_path,
    )
    assert [e.fields["title"] for e in imported.entries] == ["The Engine"]
    warning = next(n for n in imported.notices if n.where == "cv.sections.publications")
    assert "takes no BulletEntry" in warning.message
    custom = imported.record["custom"]["publications_2"]
    assert custom == {
        "title": "Publications",
        "entries": [{"title": "A. Lovelace. Notes on the engine. 1953."}],
    }
    assert imported.record["sections"] == ["publications", "publications_2"]
