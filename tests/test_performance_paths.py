"""The fast paths keep their promises: the same bytes as the slow ones, and no needless imports.

No timing is asserted here (bench/run.py measures): only what the fast paths must not change.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import cv
import cv.builder
from cv.errors import CVError, Problem
from cv.parallel import Forked, PdfWorker, can_fork

from .conftest import EXAMPLE, REPO

OUTPUTS = ("cv.pdf", "bio.pdf", "cv.html", "cv-short.pdf", "bio.md")


def built(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


@pytest.mark.skipif(not can_fork(), reason="builds in one process here (not Linux, or one core)")
def test_a_parallel_build_writes_the_same_bytes_as_a_serial_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forks = []
    real_fork = os.fork

    def counted_fork() -> int:
        forks.append(1)
        return real_fork()

    monkeypatch.setattr(os, "fork", counted_fork)
    parallel = cv.build(EXAMPLE, tmp_path / "parallel", today=cv.builder.dt.date(2026, 11, 1))
    assert forks, "the bio and the documents were not laid out in a child"
    monkeypatch.setattr(cv.builder, "can_fork", lambda: False)
    serial = cv.build(EXAMPLE, tmp_path / "serial", today=cv.builder.dt.date(2026, 11, 1))

    assert built(tmp_path / "parallel") == built(tmp_path / "serial")
    assert [(o.kind, o.path.name, o.pages) for o in parallel.outputs] == [
        (o.kind, o.path.name, o.pages) for o in serial.outputs
    ]
    assert (parallel.warnings, parallel.notes) == (serial.warnings, serial.notes)


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


@pytest.mark.skipif(not can_fork(), reason="no fork here")
def test_a_child_returns_what_its_jobs_made_in_order() -> None:
    with Forked([lambda: "first", lambda: b"\x00" * 300_000, lambda: 3]) as child:
        assert child.results() == ["first", b"\x00" * 300_000, 3]  # more than a pipe holds


@pytest.mark.skipif(not can_fork(), reason="no fork here")
def test_a_problem_in_the_child_is_raised_in_the_parent() -> None:
    problem = Problem("bio.text is too long", Path("data/cv.yaml"), 3, 7)

    def fails() -> None:
        raise CVError(problem)

    with Forked([fails]) as child, pytest.raises(CVError) as caught:
        child.results()
    assert caught.value.problems == [problem]


@pytest.mark.skipif(not can_fork(), reason="no fork here")
def test_a_bug_in_the_child_shows_in_the_parent_with_its_traceback() -> None:
    calls = []

    def buggy() -> None:
        calls.append(os.getpid())
        raise ZeroDivisionError("a bug")

    with Forked([buggy]) as child, pytest.raises(ZeroDivisionError, match="a bug"):
        child.results()  # the child failed: the job is run again here, and raises here
    assert calls == [os.getpid()]


@pytest.mark.skipif(not can_fork(), reason="no fork here")
def test_leaving_early_ends_the_child() -> None:
    read, write = os.pipe()

    def waits_forever() -> bytes:
        os.close(write)
        return os.read(read, 1)  # nothing is ever written: only a kill ends it

    try:
        with pytest.raises(RuntimeError), Forked([waits_forever]):
            raise RuntimeError("the parent's own work failed")  # leaving kills and reaps the child
    finally:
        os.close(read)
        os.close(write)


WORKER_CLI = """
import os, runpy, sys
forks = []
fork = os.fork
def recorded_fork():
    forks.append(("cv.builder" in sys.modules, "weasyprint" in sys.modules))
    return fork()
os.fork = recorded_fork
sys.argv = ["cv", "build", "--data", sys.argv[1], "--out", sys.argv[2], "-q"]
try:
    runpy.run_module("cv", run_name="__main__")
finally:
    print(forks, "weasyprint" in sys.modules, file=sys.stderr)
"""


@pytest.mark.skipif(not can_fork(), reason="builds in one process here (not Linux, or one core)")
def test_cv_build_forks_its_pdf_worker_first_and_writes_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "1793491200", "TMPDIR": str(temporary)}
    run = subprocess.run(
        [sys.executable, "-c", WORKER_CLI, str(EXAMPLE), str(tmp_path / "cli")],
        cwd=REPO,
        env=environ_without_bytecode_flag(environment),
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    # One fork, before the builder (and the record) was even imported; the parent imported
    # WeasyPrint only later, for the bio.
    assert run.stderr.strip().splitlines()[-1] == "[(False, False)] True"
    assert list(temporary.iterdir()) == []  # the child removed its copies of the fonts

    monkeypatch.setattr(cv.builder, "can_fork", lambda: False)
    cv.build(EXAMPLE, tmp_path / "serial", today=cv.builder.dt.date(2026, 11, 1))
    assert built(tmp_path / "cli") == built(tmp_path / "serial")


def environ_without_bytecode_flag(environment: dict[str, str]) -> dict[str, str]:
    return {key: value for key, value in environment.items() if key != "PYTHONDONTWRITEBYTECODE"}


@pytest.mark.skipif(not can_fork(), reason="no fork here")
def test_a_pdf_worker_writes_what_write_pdf_writes() -> None:
    from cv.pdf import write_pdf

    html = "<p>Tang, Zhenheng. <em>FusionAI</em>, 2023.</p>"
    worker = PdfWorker()
    try:
        worker.submit(html, base_url=EXAMPLE, roots=[EXAMPLE])
        made = worker.result()
    finally:
        worker.close()
    here = write_pdf(html, base_url=EXAMPLE, roots=[EXAMPLE])
    assert (made.data, made.pages, made.warnings) == (here.data, here.pages, here.warnings)
    assert made.seconds > 0


@pytest.mark.skipif(not can_fork(), reason="no fork here")
def test_a_pdf_worker_never_asked_exits_when_closed() -> None:
    worker = PdfWorker()
    pid = worker._child._pid
    assert pid is not None
    worker.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: nothing left running


@pytest.mark.skipif(not can_fork(), reason="no fork here")
def test_a_bug_in_the_pdf_worker_shows_in_the_parent() -> None:
    worker = PdfWorker()
    try:
        worker.submit("<p>x</p>", base_url=EXAMPLE, roots=[EXAMPLE], no_such_option=True)
        with pytest.raises(TypeError, match="no_such_option"):
            worker.result()  # the child failed: the PDF is written here, and raises here
    finally:
        worker.close()


@pytest.mark.skipif(not can_fork(), reason="no fork here")
@pytest.mark.parametrize("ctrl_c", [False, True], ids=["stopped", "ctrl-c-then-stopped"])
def test_a_child_ended_mid_layout_removes_its_copies_of_the_fonts(
    ctrl_c: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import signal
    import tempfile

    from cv import pdf
    from cv.fonts import font_face_css, font_folders

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where WeasyPrint copies fonts
    ready, told = os.pipe()  # child -> parent: it has laid out
    never, unused = os.pipe()  # nothing is ever written here: only a signal ends the wait

    def lays_out_then_waits() -> bytes:
        html = f"<style>{font_face_css()}</style><p style='font-family: Source Serif Pro'>x</p>"
        pdf.layout(html, base_url=tmp_path, roots=font_folders())
        assert any(tmp_path.glob("weasyprint-*"))
        os.write(told, b"!")
        return os.read(never, 1)

    child = Forked([lays_out_then_waits], finish=pdf.release_font_configuration)
    try:
        with pytest.raises(RuntimeError), child:
            assert os.read(ready, 1) == b"!"  # the child has its copies of the fonts now
            if ctrl_c:  # Ctrl-C reaches the child too, just before the parent's stop
                assert child._pid is not None
                os.kill(child._pid, signal.SIGINT)
            raise RuntimeError("the parent's own work failed")
    finally:
        for end in (ready, told, never, unused):
            os.close(end)
    assert list(tmp_path.glob("weasyprint-*")) == []


@pytest.mark.skipif(not can_fork(), reason="no fork here")
def test_a_pdf_worker_that_failed_before_the_request_leaves_the_pdf_to_the_parent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import cv.pdf

    monkeypatch.delattr(cv, "pdf")
    monkeypatch.setitem(sys.modules, "cv.pdf", None)  # the child's import of WeasyPrint fails
    worker = PdfWorker()
    try:
        pid = worker._child._pid
        assert pid is not None
        os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)  # it has failed and exited
        monkeypatch.undo()
        worker.submit("<p>x</p>", base_url=EXAMPLE, roots=[EXAMPLE])  # to nobody: no error
        made = worker.result()
    finally:
        worker.close()
    assert made.pages == 1 and made.data.startswith(b"%PDF")


def test_without_a_process_to_spare_a_build_makes_everything_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cv import parallel

    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as in a new process: it would fork
    monkeypatch.delitem(sys.modules, "weasyprint")
    parallel.start_pdf_worker()
    assert parallel._started is None
    monkeypatch.setattr(cv.builder, "can_fork", lambda: True)  # the bio's child fails too
    result = cv.build(EXAMPLE, tmp_path, only=["cv", "bio"], today=cv.builder.dt.date(2026, 11, 1))
    assert [(o.path.name, o.pages) for o in result.outputs] == [("cv.pdf", 4), ("bio.pdf", 1)]


@pytest.mark.skipif(not can_fork(), reason="builds in one process here (not Linux, or one core)")
def test_a_build_that_fails_while_its_worker_lays_out_ends_it_and_keeps_the_outputs(
    write_record: Callable[..., Path], tmp_path: Path
) -> None:
    from .test_bio import overlong_record

    # 300 papers: the CV is still being laid out in the worker when the bio fails here.
    data = overlong_record(write_record, bio_text=" ".join(["word"] * 2000), papers=300)
    out = tmp_path / "out"
    out.mkdir()
    (out / "cv.pdf").write_bytes(b"the previous build")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    environment = {**os.environ, "TMPDIR": str(temporary)}
    run = subprocess.run(
        [sys.executable, "-c", WORKER_CLI, str(data), str(out)],
        cwd=REPO,
        env=environ_without_bytecode_flag(environment),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert "bio.text is 2000 words" in lines[0] and lines[-1] == "[(False, False)] True"
    assert (out / "cv.pdf").read_bytes() == b"the previous build"
    assert list(temporary.iterdir()) == []  # the worker removed its copies of the fonts
