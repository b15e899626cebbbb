"""The fast paths keep their promises: the same bytes as the slow ones, and no needless imports.

No timing is asserted here (bench/run.py measures): only what the fast paths must not change.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import cv
import cv.builder
from cv.errors import CVError, Problem
from cv.parallel import Forked, can_fork

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
    assert [(o.kind, o.path.name, o.pages) for o in parallel.outputs] == \
        [(o.kind, o.path.name, o.pages) for o in serial.outputs]  # fmt: skip
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
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                            check=True)  # fmt: skip
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
