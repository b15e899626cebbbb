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
    run = subprocess.run(
        [sys.executable, "-c", FORKS_COUNTED, str(EXAMPLE), str(tmp_path / "out")],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
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
