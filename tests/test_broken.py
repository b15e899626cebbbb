"""Broken input: exit code 1, one located line per problem, never a traceback, nothing overwritten.

Each folder of ``tests/broken/`` holds the files of one case, laid over the good record in
``tests/broken/_base/``; :data:`CASES` says where its one problem is and what the message says.
Files too big to commit (a 50 MB cv.yaml, a 100,000-entry .bib) are written by the tests.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
import time
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from pydantic import BaseModel
from typer.testing import CliRunner, Result

from cv import bibtex, loader
from cv.bibliography import load_bibliography
from cv.cli import app
from cv.dates import Date, parse_date
from cv.errors import CVError
from cv.loader import load_record
from cv.model import Record
from cv.sections.registry import SECTIONS as SECTION_KINDS

BROKEN = Path(__file__).parent / "broken"
BASE = BROKEN / "_base"
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}
OUTPUTS = ("cv.pdf", "bio.pdf", "cv.html", "bio.md")


@dataclass(frozen=True)
class Case:
    """A broken input folder, where its problem is (``file:line:col`` in the data folder, or
    ``file:line`` for templates) and a fragment of the message."""

    name: str
    where: str
    message: str


CASES = [
    # YAML syntax
    Case("yaml-unclosed-flow", "cv.yaml:3:5", "invalid YAML: expected ',' or ']'"),
    Case("yaml-tab-indent", "cv.yaml:3:1", "found character '\\t'"),
    Case("yaml-bad-indent", "cv.yaml:4:2", "invalid YAML: expected <block end>"),
    Case(
        "yaml-unclosed-quote", "cv.yaml:2:11", "unexpected end of stream (while scanning a quoted"
    ),
    Case("yaml-duplicate-key", "cv.yaml:3:1", "duplicate key 'headline' (first at line 2)"),
    Case(
        "yaml-python-tag",
        "cv.yaml:2:8",
        "YAML tag '!!python/object/apply:os.system' is not allowed",
    ),
    Case("yaml-top-level-list", "cv.yaml:1:1", "expected a mapping of keys"),
    Case("yaml-empty", "cv.yaml:1:1", "cv.yaml is empty"),
    Case("yaml-control-char", "cv.yaml:2:15", "character '\\x07' (U+0007) is not allowed in YAML"),
    Case("yaml-latin1", "cv.yaml:2:23", "byte 0xe9 is not UTF-8"),
    Case("yaml-utf16", "cv.yaml:1:1", "this file is UTF-16; expected UTF-8"),
    Case("yaml-non-text-key", "cv.yaml:2:3", "a key must be plain text"),
    Case("yaml-bad-merge", "cv.yaml:3:7", "expected a mapping or list of mappings for merging"),
    Case("yaml-unknown-key", "cv.yaml:3:3", "unknown key 'emial' in contact"),
    Case("yaml-missing-name", "cv.yaml:1:1", "required key 'name' is missing"),
    Case(
        "yaml-alias-bomb",
        "cv.yaml:6:1",
        "more than 100,000 values once its aliases (*name) are expanded",
    ),
    Case("yaml-deep-nesting", "cv.yaml:2:108", "values nest more than 100 levels deep"),
    Case("yaml-deep-block", "cv.yaml:103:102", "values nest more than 100 levels deep"),
    Case("yaml-huge-int", "cv.yaml:3:21", "bio.publications: number '1111"),
    Case("yaml-int-tag-word", "cv.yaml:2:11", "headline: 'abc' is not a whole number (tag !!int)"),
    Case("yaml-hex-no-digits", "cv.yaml:3:17", "bio.publications: '0x_' is not a whole number;"),
    Case(
        "yaml-escaped-control-char",
        "cv.yaml:2:11",
        "headline: text holds the control character U+001B",
    ),
    # a value of the wrong type (every field: test_every_field_of_the_wrong_type_is_located)
    Case("type-name-list", "cv.yaml:1:7", "name: expected text, got a list"),
    Case("type-name-empty", "cv.yaml:1:7", "name: must not be empty"),
    Case("type-headline-bool", "cv.yaml:2:11", "headline: expected text, got True"),
    Case("type-contact-text", "cv.yaml:2:10", "contact: expected a mapping"),
    Case("type-news-text", "cv.yaml:2:7", "news: expected a list"),
    Case("type-news-item-text", "cv.yaml:3:5", "news[0]: expected a mapping"),
    Case("type-details-mapping", "cv.yaml:4:14", "experience[0].details: expected a list"),
    Case(
        "type-interest-number",
        "cv.yaml:2:21",
        "interests[1]: expected a mapping (key: value lines) or text",
    ),
    Case(
        "type-bio-count-word",
        "cv.yaml:3:17",
        "bio.publications: expected a whole number, got 'five'",
    ),
    Case("type-bio-count-negative", "cv.yaml:3:17", "bio.publications: -1 is too small"),
    Case("type-group-by", "cv.yaml:3:13", "publications.group_by: 'author' is not allowed"),
    Case("type-max-authors-zero", "cv.yaml:3:16", "publications.max_authors: 0 is too small"),
    Case("type-bibtex-number", "cv.yaml:3:11", "publications.bibtex: expected a list"),
    Case(
        "type-section-unknown",
        "cv.yaml:2:19",
        "sections[1]: unknown section 'newz'; expected one of: about, experience",
    ),
    Case(
        "type-document-name",
        "cv.yaml:3:3",
        "documents.cv: 'cv' is not valid: 'cv' is already an output",
    ),
    Case("type-accent-color", "cv.yaml:3:17", "theme.accent_color: 'blue' is not valid"),
    Case("type-talk-video-list", "cv.yaml:5:12", "talks[0].video: expected text, got a list"),
    Case("type-service-venues-mapping", "cv.yaml:4:13", "service[0].venues: expected a list"),
    # impossible dates
    Case(
        "date-month-13",
        "cv.yaml:3:11",
        "news[0].date: '2024-13' is not valid: month 13 is not 1-12",
    ),
    Case("date-february-30", "cv.yaml:3:11", "day 30 does not exist in February 2023"),
    Case("date-not-a-month", "cv.yaml:3:11", "'Foo' is not a month name"),
    Case("date-year-out-of-range", "cv.yaml:3:11", "the year 1066 is out of range"),
    Case("date-academic-gap", "cv.yaml:3:11", "an academic year runs over two consecutive years"),
    Case("date-list", "cv.yaml:3:11", "news[0].date: a list is not valid"),
    Case(
        "date-ends-before-start",
        "cv.yaml:4:10",
        "experience[0].end: '2019-06' is not valid: the period ends before it starts",
    ),
    Case(
        "date-arabic-digits",
        "cv.yaml:3:11",
        "news[0].date: '٢٠٢٤' is not valid: expected a date such as 2024",
    ),
    # files the record names
    Case("file-bib-missing", "cv.yaml:3:30", "file 'missing.bib' not found"),
    Case("file-bib-outside", "cv.yaml:3:12", "'../x.bib' is outside the data folder"),
    Case("file-scholar-etc-passwd", "cv.yaml:3:12", "'/etc/passwd' is outside the data folder"),
    Case(
        "file-bib-nul-name",
        "cv.yaml:3:12",
        "publications.bibtex[0]: text holds the control character U+0000",
    ),
    Case("photo-missing", "cv.yaml:2:8", "file 'me.jpg' not found"),
    Case("photo-outside", "cv.yaml:2:8", "'../me.jpg' is outside the data folder"),
    Case("photo-truncated-jpeg", "cv.yaml:2:8", "cannot read photo 'me.jpg'"),
    Case("photo-zero-bytes", "cv.yaml:2:8", "cannot read photo 'me.jpg'"),
    Case("photo-text-named-jpg", "cv.yaml:2:8", "cannot read photo 'me.jpg'"),
    Case("photo-svg-external", "cv.yaml:2:8", "cannot read photo 'me.svg'"),
    Case("photo-gif", "cv.yaml:2:8", "photo 'me.gif' is GIF; expected a JPEG, PNG or WebP image"),
    # BibTeX
    Case("bib-unclosed-brace", "publications.bib:16:1", "cannot parse @article entry 'broken'"),
    Case("bib-no-title", "publications.bib:16:1", "entry 'untitled' has no title"),
    Case("bib-empty-key", "publications.bib:16:1", "@article entry has no key"),
    Case("bib-latin1", "publications.bib:16:26", "byte 0xe9 is not UTF-8"),
    Case(
        "bib-crossref-cycle",
        "publications.bib:17:3",
        "crossref 'b' of entry 'a' goes round in a loop (a → b → a)",
    ),
    Case(
        "bib-crossref-self",
        "publications.bib:17:3",
        "crossref 'S' of entry 's' goes round in a loop (s → s)",
    ),
    Case(
        "bib-nul-in-title",
        "publications.bib:17:3",
        "field 'title' of entry 'n' holds the control character U+0000",
    ),
    Case(
        "bib-escape-in-author",
        "publications.bib:17:3",
        "field 'author' of entry 'e' holds the control character U+001B",
    ),
    Case(
        "bib-string-bomb",
        "publications.bib:30:1",
        "@string 's14' is 163,840 characters long once expanded; expected at most 100,000",
    ),
    # Scholar snapshot
    Case("scholar-not-json", "gs_data.json:1:1", "not JSON"),
    Case("scholar-truncated", "gs_data.json:3:2", "not JSON: Unterminated string"),
    Case("scholar-list", "gs_data.json:1:1", "the file is [1, 2, 3] (expected a JSON object"),
    Case("scholar-wrong-types", "gs_data.json:2:3", 'citedby is "many" (expected a whole number'),
    Case("scholar-zero-bytes", "gs_data.json:1:1", "not JSON"),
    Case("scholar-huge-int", "gs_data.json:2:14", "citedby is a number 5,000 digits long"),
    # themes and the user's templates
    Case("theme-missing", "cv.yaml:2:8", "unknown theme 'fancy'; expected one of: classic"),
    Case("theme-missing-mapping", "cv.yaml:3:9", "unknown theme 'fancy'"),
    Case("template-syntax-error", "theme/cv.html.j2:3", "template error: unexpected '}'"),
    Case(
        "template-unclosed-block",
        "theme/cv.html.j2:5",
        "template error: Encountered unknown tag 'endblock'",
    ),
    Case(
        "template-undefined",
        "theme/cv.html.j2:3",
        "template error: 'dict object' has no attribute 'nickname'",
    ),
    Case("template-bio-undefined", "theme/bio.html.j2:4", "has no attribute 'nickname'"),
    Case("template-include-missing", "theme/cv.html.j2:3", "template 'nosuch.html.j2' not found"),
    Case(
        "template-include-parent",
        "theme/cv.html.j2:3",
        "template '../../../../etc/passwd' not found",
    ),
    Case("template-include-absolute", "theme/cv.html.j2:3", "template '/etc/passwd' not found"),
    Case(
        "template-sandbox-escape",
        "theme/cv.html.j2:3",
        "access to attribute '__class__' of 'str' object is unsafe",
    ),
    Case("template-latin1", "theme/cv.html.j2:2:28", "byte 0xe9 is not UTF-8"),
    Case("custom-css-latin1", "theme/custom.css:1:13", "byte 0xe9 is not UTF-8"),
    # right line numbers whatever the line ends and a byte order mark
    Case("crlf-yaml-error", "cv.yaml:4:11", "news[0].date: '2024-13' is not valid"),
    Case("bom-yaml-error", "cv.yaml:2:1", "unknown key 'newz' in the top level"),
]

#: What al-folio builds but a .bib should not say: the build goes on with one located warning,
#: and ``--strict`` refuses it with that line as its one error.
WARNED = [
    Case("bib-duplicate-key", "publications.bib:16:1", "duplicate key 'doe2022' (first defined at"),
    Case("bib-case-duplicate-key", "publications.bib:16:1", "as 'doe2022'; keys ignore case"),
    Case("bib-undefined-macro", "publications.bib:16:26", "undefined @string macro 'jmlr'"),
    Case("bib-duplicate-field", "publications.bib:17:3", "entry 'df' sets field 'title' twice"),
    Case("bib-user-macro-title", "publications.bib:16:16", "uses '\\MaxMinAntSystem', which is no"),
    Case(
        "bib-crossref-missing",
        "publications.bib:16:32",
        "crossref 'proc2020' of entry 'c' not found",
    ),
    Case("bib-year-words", "publications.bib:17:3", "year 'in press' of entry 'y' is not a number"),
    Case("bib-month-13", "publications.bib:17:3", "month '13' of entry 'mo' is not a month"),
    Case(
        "bib-bad-author",
        "publications.bib:17:3",
        "author 'Doe, Jane, Jr., Extra, Parts' of entry 'au' is no BibTeX name",
    ),
    Case(
        "bib-crossref-inherited-year",
        "publications.bib:18:3",
        "year 'soon' of entry 'proc' is not a number",
    ),
    Case(
        "bib-crossref-inherited-editor",
        "publications.bib:18:3",
        "editor 'Doe, Jane, Jr., Extra, Parts' of entry 'proc' is no BibTeX name",
    ),
    Case(
        "bib-crossref-chain-year",
        "publications.bib:19:3",
        "year 'soon' of entry 'c' is not a number",
    ),
    Case(
        "bib-crossref-book-year",
        "publications.bib:18:3",
        "year 'soon' of entry 'bk' is not a number",
    ),
    Case(
        "bib-year-arabic-digits",
        "publications.bib:17:3",
        "year '٢٠٢٤' of entry 'ar' is not a number: read as 2024 (expected a year like 2024) "
        "(write it with the digits 0-9)",
    ),
    Case("bib-month-huge", "publications.bib:17:3", "of entry 'mh' is not a month"),
    Case(
        "bib-missing-comma",
        "publications.bib:17:3",
        "missing ',' after field 'title' of entry 'mc'?",
    ),
    Case("bib-form-feed", "publications.bib:18:3", "year 'soon' of entry 'ff' is not a number"),
    Case("crlf-bib-error", "publications.bib:17:3", "year 'soon' of entry 'y' is not a number"),
]

WORKING = {
    "ok-bom": "html",  # a byte order mark in cv.yaml and the .bib
    "ok-crlf": "html",  # Windows line ends
    "ok-bib-deep-braces": "html",  # 3,000 nested braces in a title
    "ok-png-named-jpg": "bio",  # a PNG named .jpg decodes, so it is fine
    "ok-webp": "bio",
    "ok-bib-deep-switches": "html",  # 1,200 \em and 1,200 \( in a title
}

runner = CliRunner()


def run(data: Path, out: Path, *options: str) -> Result:
    """``cv build`` as a user runs it."""
    arguments = ["build", "--data", str(data), "--out", str(out), "--quiet", *options]
    return runner.invoke(app, arguments, env=EPOCH)


def assert_one_located_error(result: Result, data: Path, where: str, message: str) -> str:
    """Exit 1, no traceback, and one ``error: path:line:col: message`` line; returns it."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, errors
    file, _, position = where.partition(":")
    located = f"{data / file}:{position}" if position else f"{data / file}"
    assert errors[0].startswith(f"error: {located}: "), (errors[0], where)
    assert message in errors[0], (errors[0], message)
    assert result.stderr.splitlines()[-1] == "1 problem found; nothing was written."
    return errors[0]


def data_folder(case: str, root: Path) -> Path:
    """The base record with the case's files laid over it."""
    data = root / "data"
    shutil.copytree(BASE, data)
    shutil.copytree(BROKEN / case, data, dirs_exist_ok=True)
    return data


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The outputs of a good build, which every failed build must leave as they are."""
    out = tmp_path_factory.mktemp("previous")
    result = run(BASE, out)
    assert result.exit_code == 0, result.output
    return {name: (out / name).read_bytes() for name in OUTPUTS}


@pytest.fixture
def out(tmp_path: Path, previous: dict[str, bytes]) -> Path:
    """An output folder holding the previous build's files."""
    folder = tmp_path / "out"
    folder.mkdir()
    for name, data in previous.items():
        (folder / name).write_bytes(data)
    return folder


def contents(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_the_corpus_is_complete() -> None:
    folders = {path.name for path in BROKEN.iterdir() if path.is_dir() and path.name != "_base"}
    assert folders == {case.name for case in [*CASES, *WARNED]} | set(WORKING)
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_broken_input_gives_one_located_line_and_keeps_the_outputs(
    case: Case, tmp_path: Path, out: Path, previous: dict[str, bytes]
) -> None:
    data = data_folder(case.name, tmp_path)
    assert_one_located_error(run(data, out), data, case.where, case.message)
    assert contents(out) == previous


@pytest.mark.parametrize("case", WARNED, ids=[case.name for case in WARNED])
def test_what_al_folio_builds_warns_and_strict_refuses(
    case: Case, tmp_path: Path, out: Path, previous: dict[str, bytes]
) -> None:
    data = data_folder(case.name, tmp_path)
    result = run(data, tmp_path / "built", "--only", "html")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    file, _, position = case.where.partition(":")
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(f"warning: {data / file}:{position}: "), warnings
    assert case.message in warnings[0]
    line = assert_one_located_error(run(data, out, "--strict"), data, case.where, case.message)
    assert line.endswith("(an error under --strict)")
    assert contents(out) == previous
    checked = runner.invoke(app, ["check", "--data", str(data), "--strict", "--quiet"], env=EPOCH)
    assert assert_one_located_error(checked, data, case.where, case.message) == line


@pytest.mark.parametrize("case", sorted(WORKING))
def test_inputs_that_look_odd_but_are_fine_build(
    case: str, tmp_path: Path, previous: dict[str, bytes]
) -> None:
    data = data_folder(case, tmp_path)
    result = run(data, tmp_path / "out", "--only", WORKING[case])
    assert result.exit_code == 0, result.output
    if case in ("ok-bom", "ok-crlf"):
        assert (tmp_path / "out" / "cv.html").read_bytes() == previous["cv.html"]


def test_a_50_mb_record_is_refused_at_once(
    tmp_path: Path, out: Path, previous: dict[str, bytes]
) -> None:
    data = data_folder("ok-bom", tmp_path)
    line = "  - {date: 2024-01, text: A paper about robust things was accepted}\n"
    (data / "cv.yaml").write_text(
        "name: Jane Doe\nnews:\n" + line * (50_000_000 // len(line)), encoding="utf-8"
    )
    started = time.perf_counter()
    result = run(data, out)
    assert time.perf_counter() - started < 2.0
    assert_one_located_error(result, data, "cv.yaml:1:1", "larger than 500 KB; expected the record")
    assert contents(out) == previous


def test_a_record_just_under_the_size_limit_is_read(tmp_path: Path) -> None:
    data = data_folder("ok-bom", tmp_path)
    about = "Robust things. " * (loader.MAX_TEXT // 15)  # as long as one text may be
    line = "  - Robust things\n"
    interests = line * ((loader.MAX_BYTES - len(about) - 100) // len(line))
    (data / "cv.yaml").write_text(
        f"name: Jane Doe\nabout: {about}\ninterests:\n{interests}", encoding="utf-8"
    )
    assert (data / "cv.yaml").stat().st_size > loader.MAX_BYTES - 200
    record = load_record(data).record
    assert len(record.about or "") > loader.MAX_TEXT - 20 and len(record.interests) > 20_000


def big_bib(entries: int, prefix: str = "k") -> str:
    return "".join(
        f"@article{{{prefix}{i},\n  title = {{Title {i}}},\n"
        "  author = {Doe, Jane and Roe, Richard},\n"
        f"  journal = {{Journal of Things}},\n  year = {{{2000 + i % 25}}}\n}}\n\n"
        for i in range(entries)
    )


def test_a_100000_entry_bib_is_refused_before_parsing(
    tmp_path: Path, out: Path, previous: dict[str, bytes]
) -> None:
    data = data_folder("ok-bom", tmp_path)
    (data / "publications.bib").write_text(big_bib(100_000), encoding="utf-8")
    started = time.perf_counter()
    result = run(data, out)
    assert (
        time.perf_counter() - started < 3.0
    )  # parsing them would take 25 s, laying them out hours
    where = f"publications.bib:{7 * bibtex.MAX_ENTRIES + 1}:1"
    assert_one_located_error(result, data, where, "more than 10,000 entries in the .bib files")
    assert contents(out) == previous


def test_the_entry_limit_counts_every_file_and_ignores_strings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bibtex, "MAX_ENTRIES", 3)
    first, second = tmp_path / "a.bib", tmp_path / "b.bib"
    first.write_text("@string{j = {J}}\n@comment{x}\n" + big_bib(2), encoding="utf-8")
    second.write_text(big_bib(1, "b"), encoding="utf-8")
    assert len(load_bibliography([first, second], highlight=["Jane Doe"])) == 3
    second.write_text(big_bib(2, "b"), encoding="utf-8")
    with pytest.raises(CVError) as caught:
        load_bibliography([first, second], highlight=["Jane Doe"])
    (problem,) = caught.value.problems
    assert (problem.file, problem.line) == (second, 8)


def test_a_record_linking_out_of_the_data_folder_is_refused(tmp_path: Path, out: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("name: TOP-SECRET\n", encoding="utf-8")
    data = data_folder("ok-bom", tmp_path)
    (data / "cv.yaml").unlink()
    (data / "cv.yaml").symlink_to(secret)
    result = run(data, out)
    line = assert_one_located_error(result, data, "cv.yaml", "outside the data folder")
    assert "TOP-SECRET" not in result.output and line


def test_an_output_folder_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_text("not a folder", encoding="utf-8")
    result = run(BASE, target, "--only", "html")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"error: {target}: cannot write cv.html here" in result.stderr
    assert target.read_text(encoding="utf-8") == "not a folder"


# --- every field, the wrong type ------------------------------------------------------------------

SECTIONS = {kind.key for kind in SECTION_KINDS if kind.model is not None}  # the lists


def _models(annotation: Any) -> list[type[BaseModel]]:
    origin = typing.get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    if origin in (typing.Annotated, list, dict, typing.Union, types.UnionType):
        return [m for arg in typing.get_args(annotation) for m in _models(arg)]
    return []


def _wrong(annotation: Any) -> str:
    """A YAML value no field of this type accepts: a list for mappings, else a mapping."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        annotation = args[0] if len(args) == 1 else annotation
    is_mapping = typing.get_origin(annotation) is dict or (
        _models(annotation) and typing.get_origin(annotation) is not list
    )
    return "[1, 2]" if is_mapping else "{wrong: 1}"


def _valid(annotation: Any) -> str:
    text = str(annotation)
    if typing.get_origin(annotation) is typing.Literal:  # its first value
        return str(typing.get_args(annotation)[0])
    return "2024" if "Date" in text else "[x]" if text.startswith("list") else "x"


def _field_cases() -> Iterator[tuple[str, str, int, str]]:
    """(id, cv.yaml, the line of the wrong value, the path the message names)."""
    for name, info in Record.model_fields.items():
        if name in SECTIONS:
            (model,) = _models(info.annotation)
            for field, inner in model.model_fields.items():
                required = [
                    f"{k}: {_valid(i.annotation)}"
                    for k, i in model.model_fields.items()
                    if i.is_required() and k != field
                ]
                lines = ["name: Jane Doe", f"{name}:", f"  - {field}: {_wrong(inner.annotation)}"]
                lines += [f"    {line}" for line in required]
                yield f"{name}.{field}", "\n".join(lines) + "\n", 3, f"{name}[0].{field}:"
        elif _models(info.annotation) and typing.get_origin(info.annotation) is None:
            (model,) = _models(info.annotation)
            for field, inner in model.model_fields.items():
                text = f"name: Jane Doe\n{name}:\n  {field}: {_wrong(inner.annotation)}\n"
                yield f"{name}.{field}", text, 3, f"{name}.{field}:"
        elif name == "name":
            yield name, "name: {wrong: 1}\n", 1, "name:"
        else:
            yield name, f"name: Jane Doe\n{name}: {_wrong(info.annotation)}\n", 2, f"{name}:"


FIELD_CASES = list(_field_cases())


@pytest.mark.parametrize(
    ("text", "line", "named"), [c[1:] for c in FIELD_CASES], ids=[c[0] for c in FIELD_CASES]
)
def test_every_field_of_the_wrong_type_is_located(
    tmp_path: Path, text: str, line: int, named: str
) -> None:
    (tmp_path / "cv.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(CVError) as caught:
        load_record(tmp_path)
    problems = caught.value.problems
    assert len(problems) == 1, [str(p) for p in problems]
    assert problems[0].line == line and problems[0].column, str(problems[0])
    assert problems[0].message.startswith(named), str(problems[0])


def test_the_field_sweep_covers_every_field() -> None:
    assert len(FIELD_CASES) > 100
    assert {
        "talks.video",
        "experience.end",
        "contact.website",
        "publications.scholar",
        "theme.margins",
        "documents",
        "photo",
        "sections",
    } <= {c[0] for c in FIELD_CASES}


# --- properties -----------------------------------------------------------------------------------

_KEYS = sorted(
    {
        key
        for model in [
            Record,
            *(m for i in Record.model_fields.values() for m in _models(i.annotation)),
        ]
        for key in model.model_fields
    }
)
_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 3000),
    st.sampled_from(["2024-01", "present", "x"]),
    st.text(max_size=12),
)
_values = st.recursive(
    _leaves,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(_KEYS), inner, max_size=4)
    ),
    max_leaves=12,
)
_entries = st.dictionaries(st.sampled_from(_KEYS), _values, max_size=5)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.fixed_dictionaries(
        {"name": st.text(max_size=8)},
        optional={section: st.lists(_entries, max_size=3) for section in sorted(SECTIONS)},
    )
)
def test_any_tree_of_section_entries_gives_a_record_or_located_problems(
    tree: dict[str, Any],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "cv.yaml").write_text(
            yaml.safe_dump(tree, allow_unicode=True), encoding="utf-8"
        )
        try:
            load_record(Path(folder))
        except CVError as error:
            assert error.problems
            assert all(p.file is not None and p.line and p.column for p in error.problems)


_BIB_PIECES = st.sampled_from(
    [
        "@article{",
        "@misc(",
        "@string{",
        "@comment{",
        "@preamble{",
        "@",
        "k",
        "K",
        ",",
        " = ",
        "{",
        "}",
        "(",
        ")",
        '"',
        "#",
        "\n",
        "\r\n",
        "\ufeff",
        "%",
        "title",
        "author",
        "year",
        "date",
        "crossref",
        "month",
        "jan",
        "13",
        "2024",
        "2024-02-30",
        " and ",
        "others",
        "\\",
        "\\'",
        "$",
        "é",
        "唐",
        "x y",
    ]
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_BIB_PIECES, max_size=60).map("".join))
def test_any_bibtex_ish_text_gives_publications_or_located_problems(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.bib"
        path.write_text(text, encoding="utf-8")
        try:
            load_bibliography([path], highlight=["Jane Doe"])
        except CVError as error:
            assert all(p.file == path and p.line and p.message for p in error.problems)


_title = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters='{}\\@%#"$'), min_size=1
).filter(lambda t: t.strip())


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.from_regex(r"[A-Za-z][A-Za-z0-9:_-]{0,12}", fullmatch=True), _title),
        max_size=12,
        unique_by=lambda entry: entry[0].casefold(),
    )
)
def test_no_well_formed_entry_is_lost(entries: list[tuple[str, str]]) -> None:
    text = "".join(
        f"@misc{{{key},\n  title = {{{title}}},\n  year = {{2024}}\n}}\n" for key, title in entries
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "entries.bib"
        path.write_text(text, encoding="utf-8")
        publications = load_bibliography([path], highlight=["Jane Doe"])
    assert sorted(p.key for p in publications) == sorted(key for key, _ in entries)


@given(st.one_of(st.text(max_size=30), st.integers(), st.floats(), st.none(), st.booleans()))
def test_parsing_any_date_gives_a_date_or_a_value_error(value: object) -> None:
    try:
        date = parse_date(value)
    except ValueError as error:
        assert str(error)
    else:
        assert isinstance(date, Date) and len(date.sort_key) == 3


# --- any text in any field comes out escaped ------------------------------------------------------

_TEXT_FIELDS = {  # where the text goes in cv.yaml -> whether it is Markdown
    "headline": True,
    "affiliation": True,
    "about": True,
    "name_native": False,
    "news.text": True,
    "experience.role": True,
    "experience.organization": True,
    "experience.details": True,
    "education.thesis": True,
    "awards.title": True,
    "talks.title": True,
    "talks.event": True,
    "interests.details": True,
    "teaching.course": True,
}
_HOSTILE = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '"><b data-evil>',
        "[x](javascript:alert(1))",
        "<!--",
        "]]>",
        "&amp;",
        "{{ 7*7 }}",
        "`<i>`",
        "<style>*{}</style>",
        "\u202e",
        "\x00",
        "\r",
        "\ufeff",
    ]
)


def _placed(field: str, text: str) -> dict[str, Any]:
    record: dict[str, Any] = {"name": "Jane Doe"}
    section, _, key = field.partition(".")
    if not key:
        record[section] = text
        return record
    entry = {
        "news": {"date": "2024"},
        "experience": {"role": "Role"},
        "education": {"degree": "PhD", "institution": "U"},
        "awards": {"date": "2020", "title": "T"},
        "talks": {"date": "2021", "title": "T"},
        "interests": {"title": "T"},
        "teaching": {"term": "2022/23", "course": "C"},
    }[section]
    record[section] = [{**entry, key: [text] if key == "details" else text}]
    return record


@pytest.fixture(scope="module")
def html_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("escaped")
    shutil.copy(BASE / "publications.bib", folder / "publications.bib")
    return folder


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    field=st.sampled_from(sorted(_TEXT_FIELDS)),
    text=st.lists(st.text(max_size=8) | _HOSTILE, min_size=1, max_size=5).map("".join),
)
def test_any_text_in_any_field_builds_and_comes_out_escaped(
    html_folder: Path, field: str, text: str
) -> None:
    import cv

    text = f"marker {text}"
    written = yaml.safe_dump(_placed(field, text), allow_unicode=True)
    (html_folder / "cv.yaml").write_text(written, encoding="utf-8")
    out = html_folder / "out"
    try:
        cv.build(html_folder, out, only=["html"], today=dt.date(2024, 1, 1))
    except CVError as error:
        assert all(p.line for p in error.problems)
        return
    html = (out / "cv.html").read_bytes().decode("utf-8")  # as written: no newline translation
    body = html.split("</style>", 1)[1].lower()
    assert "marker" in body, "the text is shown"
    tags = "".join(re.findall(r"<[^>]*>", body))
    assert "data-evil" not in tags and "onerror" not in tags and "javascript:" not in tags
    assert "<script" not in body and "<img" not in body and "<style" not in body
    if not _TEXT_FIELDS[field]:  # plain text: as YAML reads it (line ends normalised), escaped
        assert str(escape(yaml.safe_load(written)[field].strip())) in html
