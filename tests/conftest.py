"""Shared fixtures: the repository's example record and a factory for test records."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "data"
TESTDATA = Path(__file__).resolve().parent / "records"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from the current output (review the diff like code)",
    )


@pytest.fixture(autouse=True, scope="session")
def _cache_of_the_session(tmp_path_factory: pytest.TempPathFactory) -> None:
    """cv's cache folder (compiled templates, hyphenation patterns, character maps) in a
    folder of this run's, for the tests and the commands they start, not the user's."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def write_record(tmp_path: Path) -> Callable[..., Path]:
    """Write a cv.yaml (and optional extra files) into a fresh data folder; return the folder."""

    def write(yaml_text: str, files: dict[str, str | bytes] | None = None) -> Path:
        data = tmp_path / "data"
        data.mkdir(exist_ok=True)
        (data / "cv.yaml").write_text(textwrap.dedent(yaml_text).lstrip(), encoding="utf-8")
        for name, content in (files or {}).items():
            target = data / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(textwrap.dedent(content).lstrip(), encoding="utf-8")
        return data

    return write
