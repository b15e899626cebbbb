"""JSON Resume in and out: the mapping, schema validity, round trips, and a resume that builds."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

import cv
from cv.bibliography import load_bibliography
from cv.cli import app
from cv.errors import CVError
from cv.interop.files import dump_bibtex, load_for_export, record_form, write_import
from cv.interop.jsonresume import export_jsonresume, import_jsonresume, read_jsonresume
from cv.loader import load_record
from cv.model import Record

from .conftest import EXAMPLE

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "interop"
SCHEMA = json.loads((FIXTURES / "jsonresume-schema.json").read_text(encoding="utf-8"))
RESUME = FIXTURES / "resume-marta.json"
runner = CliRunner()


def _validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(
        SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )


def _schema_errors(document: object) -> list[str]:
    return [
        f"{list(error.absolute_path)}: {error.message}"
        for error in _validator().iter_errors(document)
    ]


def _written(tmp_path: Path, imported: object, name: str = "data") -> Path:
    out = tmp_path / name
    write_import(imported, out)  # type: ignore[arg-type]
    return out


# --- export -----------------------------------------------------------------------------------


def test_export_of_the_example_is_a_valid_json_resume() -> None:
    resume = export_jsonresume(EXAMPLE)
    assert _schema_errors(resume) == []
    assert resume["basics"]["name"] == "Zhenheng Tang"
    assert resume["basics"]["label"] == "PhD Candidate in Computer Science"
    assert {
        "network": "GitHub",
        "url": "https://github.com/wizard1203",
        "username": "wizard1203",
    } in resume["basics"]["profiles"]


def test_export_maps_every_section_to_its_json_resume_place() -> None:
    resume = export_jsonresume(EXAMPLE)
    work = resume["work"]
    sections = [item.get("cv", {}).get("section", "experience") for item in work]
    assert sections.count("experience") == 4
    assert sections.count("internships") == 1
    assert sections.count("teaching") == 5
    first = work[0]
    assert (first["name"], first["position"], first["startDate"]) == (
        "The Hong Kong University of Science and Technology (Guangzhou)",
        "Visiting Researcher",
        "2023-09",
    )
    assert "endDate" not in first  # "present": JSON Resume leaves the end out
    teaching = next(item for item in work if item.get("cv", {}).get("section") == "teaching")
    assert teaching["startDate"] == "2023-02" and teaching["cv"]["term"] == "Spring 2023"
    assert [v["position"] for v in resume["volunteer"]] == [
        "Invited Program Committee Member (Reviewer)",
        "Invited Reviewer for Journals",
    ]
    assert resume["volunteer"][0]["highlights"][1] == "Systems: HPCC'21, ICDCS'22,23, ICPADS'22"
    assert [e["studyType"] for e in resume["education"]] == ["PhD", "Bachelor's degree"]
    assert len(resume["awards"]) == 7
    assert (
        resume["awards"][0]["date"] == "2022-09" and resume["awards"][0]["cv"]["date"] == "2022/23"
    )
    assert len(resume["cv"]["news"]) == 11
    assert [i["name"] for i in resume["interests"]] == [
        "ML optimization",
        "Efficient inference",
        "LLM enhancement",
    ]


def test_export_publications_carry_authors_and_their_bibtex() -> None:
    publications = export_jsonresume(EXAMPLE)["publications"]
    assert len(publications) == 11
    fedimpro = next(p for p in publications if p["name"].startswith("FedImpro"))
    assert fedimpro["releaseDate"] == "2024"
    assert (
        fedimpro["publisher"] == "The Twelfth International Conference on Learning Representations"
    )
    assert fedimpro["authors"][0] == "Zhenheng Tang"
    assert fedimpro["cv"]["key"] == "tang2024fedimpro"
    assert fedimpro["cv"]["type"] == "inproceedings"
    assert fedimpro["cv"]["fields"]["code"] == "https://github.com/wizard1203/FedImpro"
    data_resampling = next(p for p in publications if p["name"].startswith("Data Resampling"))
    assert data_resampling["releaseDate"] == "2021-08"


# --- round trip -------------------------------------------------------------------------------


def test_import_of_the_export_gives_back_the_same_record(tmp_path: Path) -> None:
    original = load_record(EXAMPLE).record
    imported = import_jsonresume(export_jsonresume(EXAMPLE))
    assert [n.message for n in imported.notices] == []
    record = Record.model_validate(imported.record)
    # every section, item and field of the example, including news, teaching and internships
    assert record_form(record) == record_form(original)
    for section in (
        "news",
        "experience",
        "teaching",
        "service",
        "awards",
        "education",
        "internships",
    ):
        assert len(getattr(record, section)) == len(getattr(original, section)) > 0, section


def test_round_trip_keeps_every_publication_field(tmp_path: Path) -> None:
    imported = import_jsonresume(export_jsonresume(EXAMPLE))
    data = _written(tmp_path, imported)
    _, before, raw_before = load_for_export(EXAMPLE)
    _, after, raw_after = load_for_export(data)
    assert raw_after == raw_before
    assert [(p.key, str(p.title), p.year, p.abbr, p.kind) for p in after] == [
        (p.key, str(p.title), p.year, p.abbr, p.kind) for p in before
    ]


def test_export_of_an_import_is_valid_and_keeps_the_items(tmp_path: Path) -> None:
    data = _written(tmp_path, read_jsonresume(RESUME))
    again = export_jsonresume(data)
    assert _schema_errors(again) == []
    original = json.loads(RESUME.read_text(encoding="utf-8"))
    assert [w["position"] for w in again["work"]] == [w["position"] for w in original["work"]]
    assert [e["studyType"] for e in again["education"]] == [
        e["studyType"] for e in original["education"]
    ]
    assert [v["position"] for v in again["volunteer"]] == [
        v["position"] for v in original["volunteer"]
    ]
    assert [p["name"] for p in again["publications"]] == [
        p["name"] for p in original["publications"]
    ]
    assert [s["name"] for s in again["skills"]] == ["Statistics", "Field methods"]
    assert [lang["language"] for lang in again["languages"]] == ["Spanish", "English"]
    assert {p["name"] for p in again["projects"]} == {"DroughtNet-UK", "Why drylands matter"}


# --- a resume written elsewhere ---------------------------------------------------------------


def test_a_foreign_resume_imports_into_a_valid_record() -> None:
    imported = read_jsonresume(RESUME)
    record = Record.model_validate(imported.record)
    assert record.name == "Marta Núñez-Okafor"
    assert record.headline == "Assistant Professor of Computational Ecology"
    assert record.affiliation == "University of Wexford"  # the current job
    assert record.contact.google_scholar == "AbC123xYZ0AJ"
    assert record.contact.github == "mnokafor"
    assert record.contact.location == "Cambridge, Cambridgeshire, GB"
    assert [(p.network, p.url) for p in record.contact.profiles] == [
        ("Mastodon", "https://ecoevo.social/@marta")
    ]
    assert [e.role for e in record.experience] == [
        "Assistant Professor",
        "Postdoctoral Researcher",
        "Data Science Intern",
    ]
    assert str(record.experience[0].end) == "present"  # no endDate: still there
    assert record.experience[0].details[0] == "Group leader, Dryland Dynamics Lab"
    assert [s.role for s in record.service] == ["Early-Career Representative", "Associate Editor"]
    assert record.service[0].venues == [
        "[Ecological Society of Northern Europe](https://esne.example.org)"
    ]
    assert record.service[0].details[0] == "Jan 2020 – Dec 2023"
    assert [e.degree for e in record.education] == ["PhD", "Licenciatura"]
    assert "Courses: Plant Physiology; Biostatistics" in record.education[1].details
    assert [a.title for a in record.awards] == [
        "British Ecological Society Early Career Award",
        "Best Student Talk",
        "Wilderness First Aid",
    ]
    assert [t.title for t in record.talks] == ["Why drylands matter"]
    assert [p.name for p in record.projects] == ["DroughtNet-UK"]
    assert [s.name for s in record.skills] == ["Statistics", "Field methods"]
    assert [lang.language for lang in record.languages] == ["Spanish", "English"]
    assert [i if isinstance(i, str) else i.title for i in record.interests] == [
        "Drylands",
        "Open science",
    ]


def test_what_has_no_place_is_kept_in_about_with_a_warning() -> None:
    imported = read_jsonresume(RESUME)
    warnings = {n.where: n.message for n in imported.notices}
    assert "award without a date" in warnings["awards[2]"]
    assert "references" in warnings["references[0]"]
    assert "not a file" in warnings["basics.image"]
    about = imported.record["about"]
    assert "**Awards**\n\n- Departmental Teaching Commendation; University of Wexford" in about
    assert "Prof. Alan Reyes: Marta is an outstanding field ecologist." in about


def test_foreign_publications_become_bibtex_entries(tmp_path: Path) -> None:
    imported = read_jsonresume(RESUME)
    assert [(e.entry_type, e.key) for e in imported.entries] == [
        ("article", "nunezokafor2024drought"),
        ("inproceedings", "nunezokafor2021hierarchical"),
        ("misc", "nunezokafor2020satellite"),
    ]
    bib = tmp_path / "p.bib"
    bib.write_text(dump_bibtex(imported.entries), encoding="utf-8")
    publications = load_bibliography([bib], highlight=["Marta Núñez-Okafor"])
    drought = publications[0]
    assert (
        str(drought.title) == "Drought legacies shape grassland recovery across a rainfall gradient"
    )
    assert (drought.year, drought.month, drought.kind) == (2024, 3, "journal")
    assert [a.name for a in drought.authors] == ["Marta Núñez-Okafor", "Tomás Ruiz", "Helen Abara"]
    assert drought.authors[0].is_owner
    assert (
        str(publications[1].title) == "Hierarchical models for patchy vegetation &amp; sparse data"
    )
    assert publications[2].kind == "preprint"
    assert any(link.label == "arXiv" for link in publications[2].links)


def test_the_foreign_resume_builds_a_cv_with_its_jobs_degrees_awards_papers_and_roles(
    tmp_path: Path,
) -> None:
    data = _written(tmp_path, read_jsonresume(RESUME))
    result = cv.build(data, tmp_path / "pdf", only=["cv"], today=dt.date(2026, 1, 1))
    pdf = next(output.path for output in result.outputs if output.path.suffix == ".pdf")
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    for expected in (
        "Assistant Professor",
        "Postdoctoral Researcher",
        "Data Science Intern",
        "Instituto Patagónico de Ecología",
        "PhD in Ecology and Evolution",
        "Licenciatura in Biological Sciences",
        "University of Edinburgh",
        "British Ecological Society Early Career Award",
        "Best Student Talk",
        "Wilderness First Aid",
        "Departmental Teaching Commendation",
        "Drought legacies shape grassland recovery",
        "Hierarchical models for patchy vegetation & sparse data",
        "Satellite proxies of plant water stress",
        "Early-Career Representative",
        "Associate Editor",
        "Ecological Society of Northern Europe",
    ):
        assert re.sub(r"[\s-]+", "", expected) in re.sub(r"[\s-]+", "", text), expected


def test_dates_that_are_not_dates_are_left_out_with_a_warning() -> None:
    imported = import_jsonresume(
        {
            "basics": {"name": "A"},
            "work": [{"name": "X", "position": "Y", "startDate": "someday", "endDate": "2020-13"}],
        }
    )
    record = Record.model_validate(imported.record)
    assert record.experience[0].start is None and record.experience[0].end is None
    assert {n.where for n in imported.notices} == {"work[0].startDate", "work[0].endDate"}


def test_a_resume_without_a_name_gets_a_placeholder_and_a_warning() -> None:
    imported = import_jsonresume({"work": []})
    assert imported.record["name"] == "Your Name"
    assert imported.notices[0].where == "basics.name"


def test_invalid_json_is_a_located_error(tmp_path: Path) -> None:
    bad = tmp_path / "resume.json"
    bad.write_text('{"basics": {"name": "A",}}', encoding="utf-8")
    with pytest.raises(CVError) as caught:
        read_jsonresume(bad)
    problem = caught.value.problems[0]
    assert (problem.line, problem.column) == (1, 25)
    assert "invalid JSON" in problem.message


# --- command line -----------------------------------------------------------------------------


def test_cli_import_writes_the_record_and_refuses_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "data"
    first = runner.invoke(app, ["import", "jsonresume", str(RESUME), "--out", str(out)])
    assert first.exit_code == 0, first.stderr
    assert (out / "cv.yaml").is_file() and (out / "publications.bib").is_file()
    assert f"warning: {RESUME}: awards[2]: award without a date" in first.stderr
    before = (out / "cv.yaml").read_bytes()
    (out / "cv.yaml").write_text("name: Edited\n", encoding="utf-8")
    second = runner.invoke(app, ["import", "jsonresume", str(RESUME), "--out", str(out)])
    assert second.exit_code == 1
    assert "already exists; pass --force to overwrite it" in second.stderr
    assert (out / "cv.yaml").read_text(encoding="utf-8") == "name: Edited\n"
    forced = runner.invoke(app, ["import", "jsonresume", str(RESUME), "--out", str(out), "--force"])
    assert forced.exit_code == 0, forced.stderr
    assert (out / "cv.yaml").read_bytes() == before


def test_cli_export_prints_json_or_writes_a_file(tmp_path: Path) -> None:
    printed = runner.invoke(app, ["export", "jsonresume", "--data", str(EXAMPLE)])
    assert printed.exit_code == 0, printed.stderr
    assert _schema_errors(json.loads(printed.stdout)) == []
    target = tmp_path / "site" / "resume.json"
    written = runner.invoke(
        app, ["export", "jsonresume", "--data", str(EXAMPLE), "--out", str(target)]
    )
    assert written.exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8")) == json.loads(printed.stdout)


def test_cli_import_of_a_broken_file_exits_1_without_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "resume.json"
    bad.write_text("[1, 2", encoding="utf-8")
    result = runner.invoke(app, ["import", "jsonresume", str(bad), "--out", str(tmp_path / "data")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {bad}:1:")
    assert not (tmp_path / "data").exists()


def test_a_richer_record_survives_the_round_trip_too() -> None:
    rich = FIXTURES / "rich"
    resume = export_jsonresume(rich)
    assert _schema_errors(resume) == []
    imported = import_jsonresume(resume)
    assert imported.notices == []
    assert record_form(Record.model_validate(imported.record)) == record_form(
        load_record(rich).record
    )


def test_help_lists_import_and_export_without_loading_them() -> None:
    top = runner.invoke(app, ["--help"])
    assert "import" in top.stdout and "export" in top.stdout
    for group in ("import", "export"):
        result = runner.invoke(app, [group, "--help"])
        assert result.exit_code == 0
        assert "acadhomepage" in result.stdout and "jsonresume" in result.stdout
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, cv.cli; print(sorted(m for m in sys.modules "
            "if m.startswith(('cv.interop', 'weasyprint', 'ftfy', 'bibtexparser'))))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "[]"
