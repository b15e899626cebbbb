"""The command line: exit codes, message format, and what it prints."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from cv.cli import app

from .conftest import EXAMPLE, REPO

runner = CliRunner()
BIB = {"publications.bib": "@misc{a, title = {A}, author = {Doe, Jane}, year = {2024}}\n"}


def test_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("build", "check", "themes"):
        assert command in result.stdout


def test_python_dash_m_works_and_shows_the_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cv", "--version"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("cv ")


def test_check_accepts_the_example() -> None:
    result = runner.invoke(app, ["check", "--data", str(EXAMPLE)])
    assert result.exit_code == 0, result.stderr
    assert "ok (11 publications)" in result.stdout


def test_bad_input_exits_1_with_located_lines_and_no_traceback(
    write_record: Callable[..., Path],
) -> None:
    data = write_record(
        "name: X\ncontact:\n  emial: a@b.c\nnews: [{date: 2024-13, text: t}]\n", BIB
    )
    result = runner.invoke(app, ["check", "--data", str(data)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"error: {data / 'cv.yaml'}:3:3: unknown key 'emial'")
    assert "did you mean 'email'?" in lines[0]
    assert lines[1].startswith(f"error: {data / 'cv.yaml'}:4:15: news[0].date: '2024-13'")
    assert lines[2] == "2 problems found; nothing was written."
    assert "Traceback" not in result.output


def test_build_with_bad_input_writes_nothing(
    write_record: Callable[..., Path], tmp_path: Path
) -> None:
    data = write_record("name: X\nnews: 3\n", BIB)
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", "--data", str(data), "--out", str(out)])
    assert result.exit_code == 1
    assert not out.exists()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["build", "--only", "poster", "--data", str(EXAMPLE), "--out", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "unknown output" in result.stderr
    assert runner.invoke(app, ["build", "--no-such-flag"]).exit_code == 2


def test_build_only_html_reports_what_it_wrote(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["build", "--data", str(EXAMPLE), "--out", str(tmp_path), "--only", "html"]
    )
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "cv.html").is_file() and not (tmp_path / "cv.pdf").exists()
    header, row, done = result.stdout.splitlines()
    assert header.split() == ["file", "pages", "size", "seconds"]
    assert "cv.html" in row and "KiB" in row
    assert done.startswith("done in ")


def test_themes_lists_classic() -> None:
    result = runner.invoke(app, ["themes"])
    assert result.exit_code == 0
    assert result.stdout.startswith("classic")


def test_help_does_not_import_weasyprint() -> None:
    code = (
        "import sys; from cv.cli import app; sys.argv=['cv','--help']\n"
        "try: app()\nexcept SystemExit: pass\n"
        "print('weasyprint' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().endswith("False")


def test_an_unknown_theme_option_is_a_usage_error() -> None:
    result = runner.invoke(app, ["check", "--data", str(EXAMPLE), "--theme", "fancy"])
    assert result.exit_code == 2
    assert "unknown theme 'fancy'; expected one of: classic, modern" in result.stderr


def test_only_help_lists_every_registered_output() -> None:
    from cv.outputs import OPT_IN_OUTPUTS, OUTPUTS

    result = runner.invoke(app, ["build", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())  # the help is wrapped to the terminal's width
    for kind in (*OUTPUTS, *OPT_IN_OUTPUTS):
        assert f"{kind.name} ({kind.file})" in text


def test_rendercv_export_and_import_on_the_command_line(tmp_path: Path) -> None:
    exported = tmp_path / "Ex_CV.yaml"
    result = runner.invoke(
        app, ["export", "rendercv", "--data", str(EXAMPLE), "--out", str(exported)]
    )
    assert result.exit_code == 0, result.stderr
    assert exported.read_text(encoding="utf-8").lstrip("# \n").count("cv:") >= 1
    result = runner.invoke(app, ["import", "rendercv", str(exported), "--out", str(tmp_path / "d")])
    assert result.exit_code == 0, result.stderr
    assert "publications" in result.stdout + result.stderr
    assert (tmp_path / "d" / "cv.yaml").is_file() and (
        tmp_path / "d" / "publications.bib"
    ).is_file()
    broken = tmp_path / "broken.yaml"
    broken.write_text("cv:\n  name: [unclosed\n", encoding="utf-8")
    result = runner.invoke(app, ["import", "rendercv", str(broken), "--out", str(tmp_path / "e")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith(f"error: {broken}:"), result.stderr


def test_help_shows_every_command_in_full_at_100_columns_and_lists_the_themes() -> None:
    from cv.themes import available_themes

    wide = CliRunner(env={"COLUMNS": "100"})
    top = wide.invoke(app, ["--help"], terminal_width=100)
    assert top.exit_code == 0
    commands = top.stdout.split("Commands:")[1]
    assert "..." not in commands, commands  # no description cut short
    assert max(len(line) for line in top.stdout.splitlines()) <= 100
    build = wide.invoke(app, ["build", "--help"], terminal_width=100)
    assert ", ".join(available_themes()) in " ".join(build.stdout.split())


def test_a_missing_bib_is_reported_in_the_same_run_as_the_yamls_errors(tmp_path: Path) -> None:
    (tmp_path / "cv.yaml").write_text(
        "name: X\nheadlin: oops\npublications:\n  bibtex: [missing.bib]\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["check", "--data", str(tmp_path)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert any(":2:1: unknown key 'headlin'" in line for line in lines), lines
    assert any(":4:12: file 'missing.bib' not found" in line for line in lines), lines
    assert "2 problems found" in result.stderr
