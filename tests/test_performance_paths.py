"""The fast paths keep their promises: no needless imports, and a build is one process.

No timing is asserted here (bench/run.py measures): only what the fast paths must not change.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import EXAMPLE, REPO


@pytest.mark.parametrize("command", [["--help"], ["check", "--data", str(EXAMPLE)]])
def test_help_and_check_do_not_import_weasyprint(command: list[str]) -> None:
    code = (
        "import runpy, sys\n"
        f"sys.argv = ['cv', *{command!r}]\n"
        "try:\n"
        "    runpy.run_module('cv', run_name='__main__')\n"
        "except SystemExit as end:\n"
        "    assert not end.code, end.code\n"
        "print('weasyprint' in sys.modules, 'PIL' in sys.modules, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stderr.strip().splitlines()[-1] == "False False"


def _snippet(
    code: str, *args: str, cwd: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """Python ``code`` run in a new process with ``args``, its output captured."""
    command = [sys.executable, "-c", code, *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)


FORKS_COUNTED = """
import os, runpy, sys
forks = []
fork = os.fork
def counted_fork():
    forks.append(1)
    return fork()
os.fork = counted_fork
sys.argv = ["cv", "build", "--data", sys.argv[1], "--out", sys.argv[2], "-q"]
try:
    runpy.run_module("cv", run_name="__main__")
finally:
    print(len(forks), file=sys.stderr)
"""


def test_cv_build_is_one_process_and_removes_its_copies_of_the_fonts(tmp_path: Path) -> None:
    """Forking a layout beside the CV was faster on two cores but cost more CPU time
    (bench/RESULTS.md): a build forks nothing."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "1793491200", "TMPDIR": str(temporary)}
    run = _snippet(FORKS_COUNTED, str(EXAMPLE), str(tmp_path / "out"), cwd=REPO, env=environment)
    assert run.returncode == 0, run.stderr
    assert run.stderr.strip().splitlines()[-1] == "0"
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == [
        "bio.md",
        "bio.pdf",
        "cv-short.pdf",
        "cv.html",
        "cv.pdf",
    ]
    assert list(temporary.iterdir()) == []  # WeasyPrint's copies of the fonts, removed at exit


# --- cv.weasyprint_fixes: tagging linear in pages ------------------------------------------------

MANY_PAGES = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body>'
    + "".join(
        f"<h2>Part {n}</h2><ul>"
        + "".join(
            f'<li>Item {n}.{i} <a href="https://example.org/{i}">link</a></li>' for i in range(30)
        )
        + "</ul>"
        for n in range(12)
    )
    + "</body></html>"
)


def test_the_tagging_fix_is_still_needed_and_still_applies() -> None:
    """If a WeasyPrint or pydyf release fixes this, the test says so: drop the fix then."""
    import inspect

    import pydyf
    import weasyprint.pdf
    import weasyprint.pdf.anchors
    import weasyprint.pdf.tags

    import cv.pdf  # noqa: F401 - applies the fixes
    from cv.weasyprint_fixes import PATCHED

    pdf = pydyf.PDF()
    for _ in range(3):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert pdf.page_references is not pdf.page_references, "pydyf now keeps them: drop the fix"
    tagging = inspect.getsource(weasyprint.pdf.tags._build_box_tree)
    assert "pdf.page_references[page_number]" in tagging, "WeasyPrint no longer reads them there"
    assert "pdf.page_references[page]" in inspect.getsource(weasyprint.pdf.anchors.add_outlines)
    writer = inspect.getsource(weasyprint.pdf)
    for name in PATCHED:
        function = getattr(weasyprint.pdf, name)
        assert function.reads_pages_once, name
        assert function.__wrapped__ is getattr(
            weasyprint.pdf.tags if name == "add_tags" else weasyprint.pdf.anchors, name
        )
        assert f"    {name}(pdf," in writer, f"weasyprint.pdf no longer calls {name} by name"


def test_tagging_reads_the_page_references_once_and_writes_the_same_pdf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pydyf
    import weasyprint.pdf

    from cv.pdf import write_pdf
    from cv.weasyprint_fixes import PATCHED

    reads = []
    references = pydyf.PDF.page_references

    def counted(pdf: pydyf.PDF) -> tuple[bytes, ...]:
        reads.append(1)
        return references.fget(pdf)  # type: ignore[attr-defined,no-any-return]

    monkeypatch.setattr(pydyf.PDF, "page_references", property(counted))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793491200")
    fixed = write_pdf(MANY_PAGES, base_url=tmp_path, roots=[tmp_path])
    assert fixed.pages >= 4
    assert len(reads) <= len(PATCHED), len(reads)  # once by each step, whatever the pages
    for name in PATCHED:
        monkeypatch.setattr(weasyprint.pdf, name, getattr(weasyprint.pdf, name).__wrapped__)
    reads.clear()
    as_installed = write_pdf(MANY_PAGES, base_url=tmp_path, roots=[tmp_path])
    assert len(reads) > 30 * fixed.pages, "the installed WeasyPrint reads them per element"
    assert as_installed.data == fixed.data


# --- cv.cache: templates compiled once, not in every process ---------------------------


def _render_example(count_compiles: list[str]) -> str:
    import datetime as dt

    from cv.builder import read_inputs
    from cv.render import render_html
    from cv.themes import environment

    environment.cache_clear()  # a new environment, as in a new process: no template in memory
    inputs = read_inputs(EXAMPLE)
    sandbox = environment(inputs.theme)
    compile_source = sandbox.compile

    def counted(source, name=None, filename=None, *args, **kwargs):  # type: ignore[no-untyped-def]
        count_compiles.append(str(name))
        return compile_source(source, name, filename, *args, **kwargs)

    sandbox.compile = counted  # type: ignore[method-assign]
    try:
        return render_html(
            inputs.source.record, inputs.publications, inputs.theme, today=dt.date(2026, 1, 1)
        )
    finally:
        environment.cache_clear()


def test_templates_compiled_by_one_build_are_read_back_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cv.cache import cache_folder

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first: list[str] = []
    html = _render_example(first)
    assert first, "nothing compiled the first time"
    folder = cache_folder()
    assert folder.is_relative_to(tmp_path) and oct(folder.stat().st_mode & 0o777) == "0o700"
    assert len(list(folder.glob("*.jinja"))) >= len(set(first))
    again: list[str] = []
    assert _render_example(again) == html
    assert again == [], f"compiled again: {again}"


def test_a_cache_folder_others_can_write_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cv.cache import bytecode_cache, cache_folder

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = cache_folder()
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    assert bytecode_cache() is None
    folder.chmod(0o700)
    assert bytecode_cache() is not None
    folder.rmdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    folder.symlink_to(elsewhere)  # a link put where the cache goes
    assert bytecode_cache() is None
    folder.unlink()
    folder.write_text("a file", encoding="utf-8")
    assert bytecode_cache() is None
    compiled: list[str] = []
    _render_example(compiled)  # no cache: the build still works
    assert compiled


def test_bytecode_of_another_sandbox_or_program_is_never_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Entries are keyed by cv's version, Jinja's and the sandbox's source: Jinja's own key
    (what another program using Jinja's cache would write) is not one of them."""
    import jinja2

    from cv.cache import TemplateCache, _salt

    cache = TemplateCache(str(tmp_path), "%s.jinja")
    ours = cache.get_cache_key("cv.html.j2", "/x/cv.html.j2")
    assert ours != jinja2.FileSystemBytecodeCache().get_cache_key("cv.html.j2", "/x/cv.html.j2")
    assert "cv " in _salt() and len(_salt().split()[-1]) == 64
    monkeypatch.setattr("cv.cache._salt", lambda: "another sandbox")
    assert cache.get_cache_key("cv.html.j2", "/x/cv.html.j2") != ours


# --- imports off the critical path ------------------------------------------------------------

IMPORTED_BY_A_BUILD = """
import gc, os, runpy, sys
sys.argv = ["cv", "build", "--data", sys.argv[1], "--out", sys.argv[2], "-q", "--only", "cv"]
try:
    runpy.run_module("cv", run_name="__main__")
except SystemExit as end:
    assert not end.code, end.code
print(sorted(name for name in sys.modules if name.startswith("cv.interop")), file=sys.stderr)
print(gc.get_threshold(), file=sys.stderr)
print(os.environ.get("PYDANTIC_DISABLE_PLUGINS"), file=sys.stderr)
"""


def test_a_build_does_not_import_the_importers_and_collects_less_often(tmp_path: Path) -> None:
    """The homepage importers' parsers (70 ms of regular expressions and helpers) are imported
    by their read_markdown only; the command line raises the collector's thresholds."""
    env = {name: value for name, value in os.environ.items() if "PYDANTIC" not in name}
    result = _snippet(
        IMPORTED_BY_A_BUILD, str(EXAMPLE), str(tmp_path / "out"), cwd=tmp_path, env=env
    )
    assert result.returncode == 0, result.stderr
    modules, thresholds, plugins = result.stderr.strip().splitlines()[-3:]
    assert modules == "['cv.interop', 'cv.interop.text']"
    from cv.cli import GC_THRESHOLDS

    assert thresholds == str(GC_THRESHOLDS)
    assert plugins == "__all__"  # no search of every package's entry points for them
    assert (tmp_path / "out" / "cv.pdf").is_file()


def test_the_library_keeps_the_callers_garbage_collector_settings(tmp_path: Path) -> None:
    import gc

    import cv

    before = gc.get_threshold()
    cv.build(EXAMPLE, tmp_path / "out", only=["html"])
    assert gc.get_threshold() == before
