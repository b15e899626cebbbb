"""The release path: a wheel built here, and the workflow ``cv init`` writes, run for real.

The workflow's ``run:`` steps are executed in order, as a GitHub runner would, in a fresh venv
whose ``pip install academic-cv==VERSION`` resolves to the wheel built from this checkout (no
index, no network). Its dependencies come from the test's own environment, read through a
``.pth`` file, so the venv needs nothing downloaded. ``uses:`` steps are not run; what they would
upload is checked against what was built.
"""

from __future__ import annotations

import email
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pypdf
import pytest
import yaml

import cv
from cv.init import VERSION_MARK

from .conftest import REPO
from .test_init import actionlint

PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
NAME = PROJECT["name"]
COMMIT_DATE = "2025-03-14T12:00:00+00:00"
"""The date of the test repository's one commit: the build must be dated by it."""

CONTEXT = {
    "github.token": "token-for-the-test",
    "github.repository": "someone/my-cv",
    "github.event.release.tag_name": "v1.0.0",
}
"""What ``${{ ... }}`` stands for in a step's ``env:``; a new expression must be added here."""


def pip_env(wheels: Path) -> dict[str, str]:
    """An environment in which pip uses only the wheels in ``wheels``: no index, no config."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON"))}
    env.pop("VIRTUAL_ENV", None)
    env.pop("SOURCE_DATE_EPOCH", None)  # the workflow must set it
    return env | {
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(wheels),
        "PIP_NO_CACHE_DIR": "1",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of this checkout, built offline with the hatchling of the test extra."""
    wheels = tmp_path_factory.mktemp("wheels")
    command = [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps"]
    command += ["--no-build-isolation", "-q", "-w", str(wheels)]
    subprocess.run(command, check=True, env=pip_env(wheels), capture_output=True)
    (built,) = wheels.glob("*.whl")
    return built


def fresh_venv(root: Path) -> Path:
    """A new venv that sees this environment's packages, except cv itself, and has no cv.

    The packages are read through a folder of links to this environment's site-packages less
    cv's own entries (its module, its dist-info, an editable install's hooks): pip then counts
    the dependencies as installed, and installs cv from the wheel into the venv.
    """
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True)
    python = root / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    ours = re.compile(r"^(cv|cv-.*|academic_cv.*|.*editable.*|.*\.pth)$", re.IGNORECASE)
    shared = root / "shared-site-packages"
    shared.mkdir()
    for entry in Path(sysconfig.get_path("purelib")).iterdir():
        if not ours.match(entry.name):
            (shared / entry.name).symlink_to(entry)
    (Path(purelib) / "shared.pth").write_text(f"{shared}\n", encoding="utf-8")
    return root


def expand(value: str) -> str:
    """Replace the ``${{ name }}`` expressions of a step's ``env:`` from :data:`CONTEXT`."""
    return re.sub(r"\$\{\{\s*([\w.]+)\s*\}\}", lambda m: CONTEXT[m.group(1)], value)


def runs(step: dict[str, Any], event: str) -> bool:
    """Whether a step runs on ``event``; only the conditions the scaffold uses are understood."""
    condition = step.get("if")
    if condition is None:
        return True
    match = re.fullmatch(r"github\.event_name == '(\w+)'", condition.strip())
    assert match, f"the test does not understand if: {condition}"
    return match.group(1) == event


def run_steps(steps: list[dict[str, Any]], env: dict[str, str], cwd: Path, event: str) -> list[str]:
    """Run the ``run:`` steps that ``event`` runs, in order, as GitHub does; return their names."""
    ran = []
    for step in steps:
        if "uses" in step or not runs(step, event):
            continue
        step_env = env | {k: expand(str(v)) for k, v in step.get("env", {}).items()}
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=cwd,
            env=step_env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, f"{step['name']}:\n{result.stdout}\n{result.stderr}"
        ran.append(step["name"])
    return ran


def test_the_workflow_cv_init_writes_runs_and_builds_the_pdfs(wheel: Path, tmp_path: Path) -> None:
    venv = fresh_venv(tmp_path / "venv")
    env = pip_env(wheel.parent)
    subprocess.run(
        [venv / "bin" / "python", "-m", "pip", "install", "-q", "--no-deps", wheel],
        check=True,
        env=env,
        capture_output=True,
    )
    # Only the new venv's cv, and a gh that records what it was asked to upload.
    shims = tmp_path / "shims"
    shims.mkdir()
    gh = shims / "gh"
    gh.write_text('#!/bin/sh\nprintf "%s\\n" "$GH_TOKEN" "$GH_REPO" "$@" > "$GH_LOG"\n')
    gh.chmod(0o755)
    here = str(Path(sys.executable).parent)
    path = [str(venv / "bin"), str(shims), *(p for p in env["PATH"].split(":") if p != here)]
    env |= {"PATH": ":".join(path), "GH_LOG": str(tmp_path / "gh.log"), "CI": "true"}

    project = tmp_path / "my-cv"
    subprocess.run(["cv", "init", project], check=True, env=env, capture_output=True)
    workflow_file = project / ".github" / "workflows" / "cv.yml"
    text = workflow_file.read_text(encoding="utf-8")
    assert VERSION_MARK not in text
    assert actionlint(workflow_file) == []
    workflow = yaml.safe_load(text)
    assert workflow["env"]["CV_VERSION"] == cv.__version__
    assert f'pip install "{NAME}==$CV_VERSION"' in text
    # Uninstall the wheel: the workflow's own step must install it, pinned, from "the index".
    subprocess.run(
        [venv / "bin" / "python", "-m", "pip", "uninstall", "-q", "-y", NAME],
        check=True,
        env=env,
        capture_output=True,
    )
    git = ["git", "-c", "user.name=Ada", "-c", "user.email=ada@example.org"]
    dated = env | {"GIT_AUTHOR_DATE": COMMIT_DATE, "GIT_COMMITTER_DATE": COMMIT_DATE}
    subprocess.run(["git", "init", "-q", project], check=True, env=env)
    subprocess.run([*git, "-C", project, "add", "-A"], check=True, env=env)
    subprocess.run([*git, "-C", project, "commit", "-qm", "My CV"], check=True, env=dated)

    steps = workflow["jobs"]["build"]["steps"]
    step_env = (
        env | {k: str(v) for k, v in workflow["env"].items()} | {"GITHUB_WORKSPACE": str(project)}
    )
    ran = run_steps(steps, step_env | {"GITHUB_EVENT_NAME": "release"}, project, "release")
    assert ran == ["Install cv", "Build", "Attach the files to the release"]

    installed = subprocess.run(
        [venv / "bin" / "python", "-c", "import cv; print(cv.__version__, cv.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,  # not the checkout, whose cv/ python -c would import
    ).stdout.split()
    assert installed[0] == cv.__version__
    assert Path(installed[1]).is_relative_to(venv)

    output = project / "output"
    pdfs = sorted(output.glob("*.pdf"))
    assert [p.name for p in pdfs] == ["bio.pdf", "cv-short.pdf", "cv.pdf"]
    pages = {p.name: len(pypdf.PdfReader(p).pages) for p in pdfs}
    assert pages["bio.pdf"] == pages["cv-short.pdf"] == 1
    assert pages["cv.pdf"] >= 2
    titles = {p.name: pypdf.PdfReader(p).metadata.title for p in pdfs}
    assert titles["cv.pdf"] == "Ada Lovelace-Byron – Curriculum Vitae"
    assert titles["bio.pdf"] == "Ada Lovelace-Byron – Biography"
    html = (output / "cv.html").read_text(encoding="utf-8")
    assert "Last updated: March 14, 2025" in html  # the commit's date, not today's
    assert "Ada Lovelace-Byron" in (output / "bio.md").read_text(encoding="utf-8")

    # What the release got, and what a manual run would upload as the artifact: the same files.
    token, repo, *args = (tmp_path / "gh.log").read_text(encoding="utf-8").splitlines()
    assert (token, repo) == (CONTEXT["github.token"], CONTEXT["github.repository"])
    assert args[:3] == ["release", "upload", CONTEXT["github.event.release.tag_name"]]
    assert args[-1] == "--clobber"
    uploaded = {project / a for a in args[3:-1]}
    expected = {*pdfs, output / "cv.html", output / "bio.md"}
    assert uploaded == expected
    (artifact,) = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert runs(artifact, "workflow_dispatch") and not runs(artifact, "release")
    globbed = {p for line in artifact["with"]["path"].split() for p in project.glob(line)}
    assert globbed == expected
    dispatch = [s["name"] for s in steps if "run" in s and runs(s, "workflow_dispatch")]
    assert dispatch == ["Install cv", "Build"]


def test_the_composite_action_runs_the_workflows_steps() -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    workflow = yaml.safe_load((REPO / "cv" / "scaffold" / "workflow.yml").read_text("utf-8"))
    assert action["runs"]["using"] == "composite"
    assert action["inputs"]["version"]["required"] is True
    steps = {s["name"]: s for s in workflow["jobs"]["build"]["steps"] if "name" in s}
    for step in action["runs"]["steps"]:
        assert step["shell"] == "bash"  # a composite action's run steps must name their shell
        assert step["run"] == steps[step["name"]]["run"], step["name"]
    install = action["runs"]["steps"][0]
    assert install["env"]["CV_VERSION"] == "${{ inputs.version }}"


def release_step(name: str) -> str:
    release = yaml.safe_load((REPO / ".github" / "workflows" / "release.yml").read_text("utf-8"))
    (step,) = [s for s in release["jobs"]["dist"]["steps"] if s.get("name") == name]
    return str(step["run"])


def check_wheel(wheel: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run release.yml's wheel check on ``wheel``, in a copy of the checkout's layout."""
    checkout = tmp_path / "checkout"
    (checkout / "dist").mkdir(parents=True)
    for name in ("templates", "cv"):
        (checkout / name).symlink_to(REPO / name)
    shutil.copy(wheel, checkout / "dist")
    script = release_step(
        "Check the wheel holds the templates, the scaffold, the locales and the font packages"
    )
    return subprocess.run(
        ["bash", "-eo", "pipefail", "-c", script],
        cwd=checkout,
        env={**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"},
        capture_output=True,
        text=True,
    )


def test_the_release_check_passes_the_wheel(wheel: Path, tmp_path: Path) -> None:
    result = check_wheel(wheel, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "missing: none; should not be there: none" in result.stdout
    with zipfile.ZipFile(wheel) as archive:
        meta = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = email.message_from_bytes(archive.read(meta))
        scripts = archive.read(meta.replace("METADATA", "entry_points.txt")).decode()
    assert (metadata["Name"], metadata["Version"]) == (NAME, cv.__version__)
    assert "cv = cv.cli:main" in scripts


def test_the_release_check_fails_a_wheel_without_a_template(wheel: Path, tmp_path: Path) -> None:
    broken = tmp_path / wheel.name
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            if item.filename != "cv/templates/base/cv.html.j2":
                target.writestr(item, source.read(item))
    (tmp_path / "b").mkdir()
    result = check_wheel(broken, tmp_path / "b")
    assert result.returncode == 1
    assert "missing: ['cv/templates/base/cv.html.j2']" in result.stdout


def test_the_release_workflow_publishes_by_trusted_publishing() -> None:
    release = yaml.safe_load((REPO / ".github" / "workflows" / "release.yml").read_text("utf-8"))
    assert release[True]["push"]["tags"] == ["v*"]  # YAML 1.1 reads the key `on` as True
    publish = release["jobs"]["publish"]
    assert publish["environment"]["name"] == "pypi"
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["steps"][-1] == {"uses": "pypa/gh-action-pypi-publish@release/v1"}
    assert "password" not in str(release) and "secrets." not in str(release)
    assert f"dist/{NAME.replace('-', '_')}-$version-py3-none-any.whl" in release_step(
        "Check the tag is the version"
    )
