"""``cv init``: a new record to start from, never written over an existing one."""

from __future__ import annotations

import json
from pathlib import Path

from cv import __version__
from cv.errors import CVError, Problem

SCAFFOLD = Path(__file__).parent / "scaffold"
FILES = {
    "data/cv.yaml": "cv.yaml",
    "data/publications.bib": "publications.bib",
    ".gitignore": "gitignore",
    ".github/workflows/cv.yml": "workflow.yml",
}
"""Where each file goes in the new project, and its source in :data:`SCAFFOLD`."""

VERSION_MARK = "__CV_VERSION__"
"""Stands in the scaffold's workflow for the version that writes it: the build is pinned to it."""


def schema_json() -> str:
    """The JSON Schema of ``cv.yaml``, generated from the models (for editor completion)."""
    from cv.model import Record

    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "cv.yaml",
        **Record.model_json_schema(mode="validation"),
    }
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def init_project(folder: Path) -> list[Path]:
    """Write a new record into ``folder`` and return the files written.

    Raises:
        CVError: When any of the files already exists; nothing is written then.
    """
    targets: dict[Path, Path | None] = {folder / t: SCAFFOLD / s for t, s in FILES.items()}
    targets[folder / "data" / "cv.schema.json"] = None  # generated, not copied
    existing = [path for path in targets if path.exists()]
    if existing:
        raise CVError(
            Problem(
                f"{path} already exists; cv init never overwrites a file "
                "(choose an empty folder, or move it away)"
            )
            for path in existing
        )
    written = []
    for path, source in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        text = schema_json() if source is None else scaffold_text(source)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def scaffold_text(source: Path) -> str:
    """The text of a scaffold file as ``cv init`` writes it, pinned to this version of cv."""
    return source.read_text(encoding="utf-8").replace(VERSION_MARK, __version__)
