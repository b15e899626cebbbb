"""Hostile inputs that cannot be committed as files: FIFOs, huge files, generated bombs, fuzzing.

A data folder may come from a stranger (a fork's CI build). Whatever it holds, a build ends in
exit code 1 with located problems, quickly: never a traceback, a hang or minutes of work, and
nothing outside the data folder is read. The committed cases are in ``tests/broken/``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import Result

from cv import bibtex, loader, scholar
from cv.bibliography import load_bibliography
from cv.bibtex import read_entries
from cv.cli import app
from cv.errors import CVError
from cv.loader import load_record
from cv.scholar import load_scholar
from cv.watch import watch

from .test_broken import BASE, assert_one_located_error, data_folder, run, runner

needs_fifos = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")

DEADLINE = 30.0
"""Seconds a build may take before the test calls it a hang (a good build takes one)."""


def within_deadline(action: Callable[[], Any], *fifos: Path) -> Any:
    """Run ``action`` in a thread; fail (after unblocking any reader of ``fifos``) if it hangs."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = action()
        except BaseException as error:  # noqa: BLE001 - handed to the test below
            outcome["error"] = error

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(DEADLINE)
    if thread.is_alive():
        for fifo in fifos:  # a writer lets a reader blocked in open() or read() go on
            with contextlib.suppress(OSError):
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(5)
        pytest.fail(f"still running after {DEADLINE} s: it waits on a FIFO")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def build(data: Path, out: Path, *fifos: Path) -> Result:
    """``cv build`` of ``data``, failing the test if it does not return in time."""
    result: Result = within_deadline(lambda: run(data, out), *fifos)
    return result


def base_folder(root: Path) -> Path:
    """A copy of the good record of ``tests/broken/_base``."""
    data = root / "data"
    shutil.copytree(BASE, data)
    return data


def fifo(path: Path) -> Path:
    """A named pipe at ``path`` (in place of the file there)."""
    if path.exists():
        path.unlink()
    os.mkfifo(path)
    return path


def snapshot(papers: dict[str, Any]) -> dict[str, Any]:
    """A gs_data.json with these papers."""
    totals = {"citedby": 1, "hindex": 1, "i10index": 1, "updated": "2024-01-01"}
    return {**totals, "publications": papers}


def one_line(problem: object) -> str:
    """The problem as printed, checked to be one line of a sane length with nothing invisible."""
    shown = str(problem)
    assert len(shown) < 1_000 and not re.search(r"[\x00-\x1f\x7f]", shown), shown[:200]
    return shown


# --- files that are not files ---------------------------------------------------------------------


@needs_fifos
def test_a_fifo_named_cv_yaml_is_refused_without_waiting(tmp_path: Path) -> None:
    data = base_folder(tmp_path)
    pipe = fifo(data / "cv.yaml")
    result = build(data, tmp_path / "out", pipe)
    assert_one_located_error(result, data, "cv.yaml", "named pipe (FIFO), not a file")


@needs_fifos
def test_a_fifo_named_as_the_bib_file_is_refused_without_waiting(tmp_path: Path) -> None:
    data = base_folder(tmp_path)
    pipe = fifo(data / "publications.bib")
    result = build(data, tmp_path / "out", pipe)
    where, message = "cv.yaml:16:12", "'publications.bib' is a named pipe"
    line = assert_one_located_error(result, data, where, message)
    assert "expected a BibTeX file" in line


@needs_fifos
def test_a_fifo_named_as_the_scholar_snapshot_is_refused_without_waiting(tmp_path: Path) -> None:
    data = data_folder("scholar-wrong-types", tmp_path)
    pipe = fifo(data / "gs_data.json")
    result = build(data, tmp_path / "out", pipe)
    assert_one_located_error(result, data, "cv.yaml:3:12", "'gs_data.json' is a named pipe")


@needs_fifos
def test_the_readers_refuse_a_fifo_themselves(tmp_path: Path) -> None:
    """Without the record's check first (the API, or a file swapped after it)."""
    pipe = fifo(tmp_path / "x.bib")
    with pytest.raises(CVError) as caught:
        within_deadline(lambda: load_bibliography([pipe], highlight=["Jane Doe"]), pipe)
    (problem,) = caught.value.problems
    assert problem.file == pipe and "named pipe (FIFO)" in problem.message
    assert "expected a .bib file" in problem.message
    with pytest.raises(CVError) as caught:
        within_deadline(lambda: load_scholar(pipe), pipe)
    assert "named pipe (FIFO)" in str(caught.value)


def test_a_folder_named_as_the_bib_file_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "x.bib"
    folder.mkdir()
    with pytest.raises(CVError) as caught:
        load_bibliography([folder], highlight=["Jane Doe"])
    assert "this is a folder, not a file" in str(caught.value)


def test_symbolic_links_that_loop_are_refused(tmp_path: Path) -> None:
    data = base_folder(tmp_path)
    (data / "publications.bib").unlink()
    (data / "publications.bib").symlink_to("publications.bib")
    result = build(data, tmp_path / "out")
    where, message = "cv.yaml:16:12", "'publications.bib' is a symbolic link that loops"
    assert_one_located_error(result, data, where, message)
    (data / "cv.yaml").unlink()
    (data / "cv.yaml").symlink_to("cv.yaml")
    result = build(data, tmp_path / "out")
    assert_one_located_error(result, data, "cv.yaml", "symbolic links loop here")


# --- sizes ----------------------------------------------------------------------------------------


def test_the_limits_are_what_the_messages_say() -> None:
    assert loader.MAX_TEXT == 20_000 and scholar.MAX_BYTES == 5_000_000
    assert bibtex.MAX_SHOWN_CHARS == 10_000 and bibtex.MAX_FIELD_CHARS == 100_000
    assert "title" in bibtex.SHOWN_FIELDS and "author" not in bibtex.SHOWN_FIELDS


def test_a_huge_scholar_snapshot_is_refused_unread(tmp_path: Path) -> None:
    data = data_folder("scholar-wrong-types", tmp_path)
    papers = {f"u:{i:08d}": {"num_citations": i} for i in range(200_000)}
    (data / "gs_data.json").write_text(json.dumps(snapshot(papers)), encoding="utf-8")
    assert (data / "gs_data.json").stat().st_size > scholar.MAX_BYTES
    started = time.perf_counter()
    result = build(data, tmp_path / "out")
    assert time.perf_counter() - started < 5
    assert_one_located_error(result, data, "gs_data.json:1:1", "larger than 5 MB")


def test_a_10_mb_title_is_refused_at_its_field_in_seconds(tmp_path: Path) -> None:
    data = base_folder(tmp_path)
    title = "Robust things " * (10_000_000 // 14)
    entry = f"@article{{big,\n  author = {{Doe, Jane}},\n  title = {{{title}}},\n  year = 2024}}\n"
    (data / "publications.bib").write_text(entry, encoding="utf-8")
    started = time.perf_counter()
    result = build(data, tmp_path / "out")
    assert time.perf_counter() - started < 10
    where, message = "publications.bib:3:3", "field 'title' of entry 'big'"
    line = assert_one_located_error(result, data, where, message)
    assert f"is {len(title):,} characters long; expected at most 10,000" in line


def test_a_long_abstract_is_fine_and_a_huge_one_is_not(tmp_path: Path) -> None:
    path = tmp_path / "a.bib"
    abstract = "word " * 12_000  # longer than a title may be, as abstracts are
    entry = "@misc{{a, title = {{A}}, year = {{2024}},\n  abstract = {{{}}}}}\n"
    path.write_text(entry.format(abstract), encoding="utf-8")
    assert [p.key for p in load_bibliography([path], highlight=[])] == ["a"]
    path.write_text(entry.format(abstract * 2), encoding="utf-8")
    with pytest.raises(CVError) as caught:
        load_bibliography([path], highlight=[])
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (2, 3)
    expected = "field 'abstract' of entry 'a' is 120,000 characters long; expected at most 100,000"
    assert expected in problem.message


def test_long_author_lists_are_read_and_shortened(tmp_path: Path) -> None:
    path = tmp_path / "atlas.bib"
    names = " and ".join(f"Lastname{i}, Firstname" for i in range(3_000))  # 80,000 characters
    entry = f"@article{{atlas, title = {{T}}, year = {{2012}}, author = {{{names}}}}}\n"
    path.write_text(entry, encoding="utf-8")
    (publication,) = load_bibliography([path], highlight=[], max_authors=5)
    assert len(publication.authors) == 5 and publication.authors[-1].is_others


def test_a_long_text_in_cv_yaml_is_refused_at_its_value(tmp_path: Path) -> None:
    data = base_folder(tmp_path)
    about = ("Robust things. " * 1400).strip()  # 20,999 characters
    record = f"name: Jane Doe\nheadline: Professor\nabout: {about}\n"
    (data / "cv.yaml").write_text(record, encoding="utf-8")
    result = build(data, tmp_path / "out")
    line = assert_one_located_error(result, data, "cv.yaml:3:8", "about: text of 20,999 characters")
    assert "expected at most 20,000" in line
    (data / "cv.yaml").write_text(f"name: Jane Doe\nabout: {about[:19_000]}\n", encoding="utf-8")
    assert len(load_record(data).record.about or "") > 18_000


def test_a_long_text_repeated_by_aliases_is_refused(tmp_path: Path) -> None:
    data = base_folder(tmp_path)
    text = "Robust things. " * 1_300
    news = "".join("  - {date: 2024, text: *t}\n" for _ in range(100))
    record = f"name: Jane Doe\nabout: &t {text}\nnews:\n{news}"
    (data / "cv.yaml").write_text(record, encoding="utf-8")
    assert (data / "cv.yaml").stat().st_size < 25_000
    result = build(data, tmp_path / "out")
    where = "cv.yaml:3:1"  # the key of the section the aliases repeat it in
    message = "more than 1,000,000 characters of text once its aliases"
    assert_one_located_error(result, data, where, message)


def test_the_bib_files_together_are_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bibtex, "MAX_BYTES", 1000)
    first, second = tmp_path / "a.bib", tmp_path / "b.bib"
    first.write_text("@misc{a, title = {A}}\n" + "%" * 600 + "\n", encoding="utf-8")
    second.write_text("@misc{b, title = {B}}\n" + "%" * 600 + "\n", encoding="utf-8")
    assert len(load_bibliography([first], highlight=[])) == 1
    with pytest.raises(CVError) as caught:
        load_bibliography([first, second], highlight=[])
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.column) == (second, 1, 1)
    assert "the .bib files hold more than 1 KB together" in problem.message


def test_macros_expanding_into_every_field_are_capped(tmp_path: Path) -> None:
    path = tmp_path / "bomb.bib"
    fields = ",\n".join(f"  f{i} = m # m # m # m # m # m # m # m # m" for i in range(100))
    entries = "".join(f"@misc{{k{j}, title = {{T}},\n{fields}}}\n" for j in range(30))
    path.write_text("@string{m = {" + "x" * 10_000 + "}}\n" + entries, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(CVError) as caught:
        load_bibliography([path], highlight=[])
    assert time.perf_counter() - started < 5
    (problem,) = caught.value.problems
    assert "@string macros expand to more than 10,000,000 characters" in problem.message
    assert problem.line and problem.line > 2 and problem.column == 3


def test_a_long_booktitle_lent_to_thousands_of_entries_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lent.bib"
    title = "Proceedings of things " * 450  # 9,900 characters, lent to each paper
    papers = (f"@inproceedings{{p{i}, title = {{P}}, crossref = {{proc}}}}\n" for i in range(1_000))
    text = f"@proceedings{{proc, title = {{{title}}}, year = {{2024}}}}\n" + "".join(papers)
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(CVError) as caught:
        load_bibliography([path], highlight=[])
    assert time.perf_counter() - started < 5
    (problem,) = caught.value.problems
    assert "show more than 5,000,000 characters of titles, venues and notes" in problem.message
    assert problem.line and problem.line < 1_000


def test_many_bad_papers_in_a_snapshot_are_located_quickly(tmp_path: Path) -> None:
    path = tmp_path / "gs_data.json"
    papers = {f"u:{i:06d}": {"num_citations": "x"} for i in range(60_000)}
    path.write_text(json.dumps(snapshot(papers), indent=1), encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(CVError) as caught:
        load_scholar(path)
    assert time.perf_counter() - started < 5
    text = path.read_text(encoding="utf-8")
    position = text.rindex('"num_citations"')
    last = caught.value.problems[-1]
    assert (last.line, last.column) == (text.count("\n", 0, position) + 1, 4)


# --- crossref -------------------------------------------------------------------------------------


def test_a_crossref_chain_inherits_transitively(tmp_path: Path) -> None:
    path = tmp_path / "chain.bib"
    path.write_text(
        "@inproceedings{a, title = {A}, author = {Doe, Jane}, crossref = {b}}\n"
        "@inproceedings{b, title = {B}, author = {Roe, Rick}, crossref = {c}}\n"
        "@proceedings{c, title = {Proceedings of C}, year = {2020}, publisher = {P}}\n",
        encoding="utf-8",
    )
    by_key = {p.key: p for p in load_bibliography([path], highlight=[])}
    assert set(by_key) == {"a", "b"}  # c only lends its fields
    for paper in by_key.values():
        assert (paper.year, str(paper.venue), paper.publisher) == (2020, "Proceedings of C", "P")


_KEYS = ["a", "b", "c", "d", "A"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["inproceedings", "proceedings", "book", "inbook", "misc"]),
            st.sampled_from(_KEYS),
            st.sampled_from([None, *_KEYS, "nope", ""]),
            st.sampled_from([None, "2020", "soon", "٢٠٢٤", "{2020}", "m"]),
            st.sampled_from([None, "Doe, Jane", "Doe, Jane, Jr., Extra, Parts", "{"]),
            st.booleans(),
        ),
        max_size=6,
    )
)
def test_no_crossref_shape_gives_a_traceback(shapes: list[tuple[Any, ...]]) -> None:
    text = "@string{m = {2021}}\n"
    for kind, key, reference, year, editor, titled in shapes:
        lines = [f"@{kind}{{{key},"]
        if titled:
            lines.append(f"  title = {{{key.upper()} title}},")
        if reference is not None:
            lines.append(f"  crossref = {{{reference}}},")
        if year is not None:
            lines.append(f"  year = {year if year in ('m', '{2020}') else '{' + year + '}'},")
        if editor is not None:
            lines.append(f"  editor = {{{editor}}},")
        text += "\n".join(lines) + "\n}\n"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.bib"
        path.write_text(text, encoding="utf-8")
        try:
            entries, _targets = read_entries([path])
        except CVError as error:
            assert all(p.file == path and p.line and p.column for p in error.problems)
        else:
            for entry in entries:
                for name in entry.fields:
                    file, line, column = entry.at(name)  # inherited fields too
                    assert file == path and line >= 1 and column >= 1
        try:
            load_bibliography([path], highlight=["Jane Doe"])
        except CVError as error:
            assert all(p.file == path and p.line and p.column for p in error.problems)
            assert len(set(error.problems)) == len(error.problems)


# --- LaTeX, names and what a field may reach ------------------------------------------------------


def test_tex_commands_that_read_files_read_nothing(tmp_path: Path) -> None:
    secret = tmp_path / "secret.tex"
    secret.write_text("TOP-SECRET-7f3a9c", encoding="utf-8")
    path = tmp_path / "x.bib"
    commands = [
        rf"\input{{{secret}}}",
        rf"\include{{{secret}}}",
        r"\input{/etc/passwd}",
        rf"\openin1={secret} \read1 to \x \x",
        rf"\includegraphics{{{secret}}}",
    ]
    entry = f"@misc{{x, title = {{T {' '.join(commands)}}}, note = {{{commands[0]}}}}}\n"
    path.write_text(entry, encoding="utf-8")
    (publication,) = load_bibliography([path], highlight=[])
    shown = str(publication.title) + publication.note
    assert "TOP-SECRET" not in shown and "root:" not in shown


@pytest.mark.parametrize(
    "author",
    ["Doe" + "*" * 9_000 + "x, Jane", "Doe" + r"\dag" * 2_000 + "x", "Doe$^{" + "*," * 4_000 + "x",
     "Doe$^{" + "* " * 4_000 + "x", "{" * 4_000 + "Doe" + "}" * 4_000, "Doe, " * 1_900,
     " and " * 1_900, "Doe {\\" * 1_400],
    ids=["stars", "daggers", "marks-in-math", "spaced-marks", "braces", "commas", "ands",
         "backslashes"],
)  # fmt: skip
def test_pathological_author_fields_are_read_quickly(tmp_path: Path, author: str) -> None:
    path = tmp_path / "x.bib"
    entries = (f"@misc{{k{i}, title = {{T}}, author = {{{author}}}}}\n" for i in range(20))
    path.write_text("".join(entries), encoding="utf-8")
    started = time.perf_counter()
    try:
        load_bibliography([path], highlight=["Jane Doe"])
    except CVError as error:
        assert all(p.line and one_line(p) for p in error.problems)
    assert time.perf_counter() - started < 3


@pytest.mark.parametrize(
    "title",
    ["\\em " * 2_400, "\\bf\\it" * 1_600, "\\(" * 4_000, "\\[" * 4_000, "$" * 9_000,
     "{" * 4_000 + "}" * 4_000, "\\'" * 4_000 + "x", "^" * 9_000, "\\frac" * 1_800,
     "\\emph{" * 1_000 + "}" * 1_000, "$x^^^^" * 1_500],
)  # fmt: skip
def test_deeply_nested_latex_is_converted_without_recursing(tmp_path: Path, title: str) -> None:
    path = tmp_path / "x.bib"
    path.write_text(f"@misc{{k, year = {{2024}}, title = {{x {title}}}}}\n", encoding="utf-8")
    started = time.perf_counter()
    (publication,) = load_bibliography([path], highlight=[])
    assert publication.title.startswith("x")
    assert time.perf_counter() - started < 3


# --- fuzzing --------------------------------------------------------------------------------------

_YAML_PIECES = st.sampled_from([
    "name: Jane\n", "news:\n", "  - date: ", "    text: x\n", "bio: {publications: ", "}\n",
    "headline: ", "!!int ", "!!float ", "!!bool ", "!!null ", "!!str ", "!!timestamp ", "0x_", "0b",
    "0o7", "1:2:3", "1_000", "-", "+", ".inf", ".nan", "1e999", "9" * 5_000, "٢٠٢٤", "2024",
    "maybe", "~", "'", '"', "\n", "  ", "[", "]", "{", ",", "&a ", "*a", "<<: *a\n", "? ", ": ",
    "x" * 25_000, '"a\\nb": ', '"\\e"',
])  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_YAML_PIECES, max_size=25).map("".join))
def test_any_yaml_ish_text_gives_a_record_or_located_problems(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "cv.yaml").write_text(text, encoding="utf-8")
        try:
            load_record(Path(folder))
        except CVError as error:
            assert error.problems
            assert all(p.file is not None and one_line(p) for p in error.problems)


_BIB_PIECES = st.sampled_from([
    "@article{", "@string{", "@inproceedings{", "k", "m", ",", " = ", "{", "}", '"', "#", "\n",
    "title", "author", "editor", "year", "month", "crossref", "abstract", "m # m", "\x00", "\x1b",
    "\x0c", "\u2028", "\r", "٢٠٢٤", "2024", "9" * 5_000, "x" * 12_000, "\\em ", "\\(",
    "\\input{/etc/passwd}", "*" * 50, " and ", "others", "Doe, Jane", "$^*$", "\\", "@",
    "Doe, Jane, Jr, X", "{\n}",
])  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_BIB_PIECES, max_size=40).map("".join))
def test_any_hostile_bibtex_gives_publications_or_located_problems(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.bib"
        path.write_text(text, encoding="utf-8")
        try:
            load_bibliography([path], highlight=["Jane Doe"])
        except CVError as error:
            for problem in error.problems:
                assert problem.file == path and problem.line and one_line(problem)


_JSON_PIECES = st.sampled_from([
    "{", "}", "[", "]", ",", ":", '"citedby"', '"hindex"', '"i10index"', '"updated"',
    '"publications"', '"num_citations"', '"2024-01-01"', "1", "-1", "1.5", "9" * 5_000, "true",
    "null", '"x"', "NaN", "Infinity", "1e999", '"\\u0000"', " ", "\n",
])  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_JSON_PIECES, max_size=40).map("".join))
def test_any_json_ish_snapshot_gives_counts_or_located_problems(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "gs_data.json"
        path.write_text(text, encoding="utf-8")
        try:
            load_scholar(path)
        except CVError as error:
            assert all(p.file == path and p.line and one_line(p) for p in error.problems)


# --- file names the system refuses ---------------------------------------------------------------

LONG_NAMES = [
    pytest.param("photo: {long}.jpg\n", "cv.yaml:17:8", "expected an image file", id="photo"),
    pytest.param(
        "publications: {{bibtex: [{long}.bib]}}\n",
        "cv.yaml:15:25",
        "expected a BibTeX file",
        id="bibtex",
    ),
    pytest.param(
        "publications: {{scholar: {long}.json}}\n",
        "cv.yaml:15:25",
        "expected a gs_data.json",
        id="scholar",
    ),
]


def with_record(tmp_path: Path, record: str, long: str = "a" * 300) -> Path:
    """The base record with ``record`` (``{long}`` replaced by ``long``) in place of its
    publications when it has its own."""
    data = base_folder(tmp_path)
    text = (data / "cv.yaml").read_text(encoding="utf-8")
    if record.startswith("publications"):
        text = text.replace("publications:\n  bibtex: [publications.bib]\n", "")
    (data / "cv.yaml").write_text(text + record.format(long=long), encoding="utf-8")
    return data


@pytest.mark.parametrize(("record", "where", "expected"), LONG_NAMES)
def test_a_file_name_too_long_for_the_system_is_a_located_error(
    record: str, where: str, expected: str, tmp_path: Path
) -> None:
    """``OSError: File name too long`` came out of check_files as a traceback (and ended watch)."""
    data = with_record(tmp_path, record)
    result = build(data, tmp_path / "out")
    message = assert_one_located_error(result, data, where, "is too long for a file name")
    assert expected in message
    assert len(message) < 300  # the name shortened, not quoted whole


@pytest.mark.parametrize(("record", "where", "expected"), LONG_NAMES)
def test_cv_check_says_a_file_name_is_too_long(
    record: str, where: str, expected: str, tmp_path: Path
) -> None:
    data = with_record(tmp_path, record)
    result = runner.invoke(app, ["check", "--data", str(data)])
    message = assert_one_located_error(result, data, where, "is too long for a file name")
    assert expected in message


def test_a_path_too_long_in_all_is_a_located_error(tmp_path: Path) -> None:
    """Each part short, the whole over the system's 4,096 bytes."""
    data = with_record(tmp_path, "photo: {long}x.jpg\n", long="a/" * 2100)
    result = build(data, tmp_path / "out")
    assert_one_located_error(result, data, "cv.yaml:17:8", "is too long for a file name")


def test_a_path_through_a_file_is_a_located_error(tmp_path: Path) -> None:
    data = with_record(tmp_path, "photo: publications.bib/x.jpg\n")
    result = build(data, tmp_path / "out")
    message = "'publications.bib/x.jpg' cannot be a file: Not a directory"
    assert_one_located_error(result, data, "cv.yaml:17:8", message)


@pytest.mark.parametrize(("name", "reason"), [
    ("a" * 300 + ".bib", "is too long for a file name"),
    ("x\0.bib", "holds a NUL character"),
])  # fmt: skip
def test_bib_and_snapshot_files_the_system_refuses_are_located_errors(
    name: str, reason: str, tmp_path: Path
) -> None:
    """Called with such a path (the API, a caller other than the loader): no OSError either."""
    path = tmp_path / name
    for read in (lambda: read_entries([path]), lambda: load_scholar(path)):
        with pytest.raises(CVError) as raised:
            read()
        [problem] = raised.value.problems
        assert problem.file == path and reason in problem.message


def test_watch_reports_a_file_name_too_long_and_keeps_watching(tmp_path: Path) -> None:
    """The OSError ended ``cv watch``: it is reported as the problem it is."""
    data = with_record(tmp_path, "photo: {long}.jpg\n")
    stop = threading.Event()
    reports: list[object] = []
    arrived = threading.Semaphore(0)
    failures: list[BaseException] = []

    def report(result: object, _changed: list[Path]) -> None:
        reports.append(result)
        arrived.release()

    def watching() -> None:
        try:
            watch(data, tmp_path / "out", only=["html"], report=report, stop=stop, debounce_ms=50)
        except BaseException as error:  # noqa: BLE001 - the test fails on it below
            failures.append(error)

    thread = threading.Thread(target=watching, daemon=True)
    thread.start()
    try:
        assert arrived.acquire(timeout=DEADLINE), "no report of the first build"
        assert thread.is_alive() and not failures, failures
    finally:
        stop.set()
        thread.join(timeout=DEADLINE)
    assert not failures, failures
    [error] = reports
    assert isinstance(error, CVError)
    [problem] = error.problems
    assert (problem.file, problem.line, problem.column) == (data / "cv.yaml", 17, 8)
    assert "is too long for a file name" in problem.message


def test_a_photo_gone_since_the_record_was_read_is_a_located_error(tmp_path: Path) -> None:
    """``cv watch`` reads the record, then the photo: an editor may have moved it meanwhile."""
    from cv.bio import photo_data_uri

    data = with_record(tmp_path, "photo: me.jpg\n")
    (data / "me.jpg").write_bytes(b"")
    source = load_record(data)
    (data / "me.jpg").unlink()
    with pytest.raises(CVError) as raised:
        photo_data_uri(source)
    [problem] = raised.value.problems
    assert (problem.file, problem.line, problem.column) == (data / "cv.yaml", 17, 8)
    assert "photo 'me.jpg' is not there any more" in problem.message
