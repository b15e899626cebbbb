"""cv watch: one warm process that rebuilds after each change and survives broken input."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from cv.builder import BuildResult
from cv.errors import CVError
from cv.watch import watch

from .conftest import TESTDATA


def test_watch_rebuilds_after_a_change_and_keeps_going_after_an_error(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(TESTDATA / "full", data)
    record = data / "cv.yaml"
    stop = threading.Event()
    reports: list[tuple[BuildResult | CVError, list[Path]]] = []
    arrived = threading.Semaphore(0)

    def report(result: BuildResult | CVError, changed: list[Path]) -> None:
        reports.append((result, changed))
        arrived.release()

    thread = threading.Thread(
        target=watch,
        args=(data, tmp_path / "out"),
        kwargs={"only": ["html"], "report": report, "stop": stop, "debounce_ms": 50},
        daemon=True,
    )
    thread.start()
    try:
        assert arrived.acquire(timeout=30), "no first build"
        assert isinstance(reports[0][0], BuildResult) and reports[0][1] == []

        record.write_text(
            record.read_text(encoding="utf-8").replace("name: Ada", "name: Grace"), encoding="utf-8"
        )
        assert arrived.acquire(timeout=30), "no rebuild after an edit"
        result, changed = reports[-1]
        assert isinstance(result, BuildResult) and record.resolve() in [
            p.resolve() for p in changed
        ]
        assert "Grace Quispe" in (tmp_path / "out" / "cv.html").read_text(encoding="utf-8")

        record.write_text("name: Grace\nnews: 3\n", encoding="utf-8")
        assert arrived.acquire(timeout=30), "no report of the broken record"
        assert isinstance(reports[-1][0], CVError)
        assert thread.is_alive(), "watch must not exit on an error"
        assert "Grace Quispe" in (tmp_path / "out" / "cv.html").read_text(encoding="utf-8")
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()


def test_editor_files_are_not_the_users() -> None:
    from cv.watch import is_editor_file

    for name in ["sedK5Hvj5", "cv.yaml~", ".cv.yaml.swp", ".cv.yaml.swx", "4913", "#cv.yaml#"]:
        assert is_editor_file(Path("data") / name), name
    for name in [".#cv.yaml", "cv.yaml.tmp", "cv.yaml___jb_tmp___", ".goutputstream-7QXJ2Z"]:
        assert is_editor_file(Path(name)), name
    for name in ["cv.yaml", "publications.bib", "sed.bib", "2024.bib", "custom.css", "photo.jpg"]:
        assert not is_editor_file(Path("data") / name), name


def test_watch_names_the_file_a_tool_renamed_onto_the_record(tmp_path: Path) -> None:
    """``sed -i``, vim and many editors write a temporary file and rename it over the file."""
    import os

    data = tmp_path / "data"
    shutil.copytree(TESTDATA / "full", data)
    record = data / "cv.yaml"
    stop = threading.Event()
    reports: list[list[Path]] = []
    arrived = threading.Semaphore(0)

    def report(_result: BuildResult | CVError, changed: list[Path]) -> None:
        reports.append(changed)
        arrived.release()

    thread = threading.Thread(
        target=watch,
        args=(data, tmp_path / "out"),
        kwargs={"only": ["html"], "report": report, "stop": stop, "debounce_ms": 50},
        daemon=True,
    )
    thread.start()
    try:
        assert arrived.acquire(timeout=30), "no first build"
        (data / "4913").write_text("", encoding="utf-8")
        (data / "4913").unlink()
        temporary = data / "sedK5Hvj5"
        temporary.write_text(
            record.read_text(encoding="utf-8").replace("name: Ada", "name: Lin"), encoding="utf-8"
        )
        os.replace(temporary, record)
        assert arrived.acquire(timeout=30), "no rebuild after the rename"
        assert [path.name for path in reports[-1]] == ["cv.yaml"], reports[-1]
        # A save that touches only an editor's files rebuilds nothing.
        (data / "cv.yaml~").write_text("backup", encoding="utf-8")
        assert not arrived.acquire(timeout=1.5), reports[-1]
    finally:
        stop.set()
        thread.join(timeout=30)


def test_a_letter_no_font_has_is_reported_once(tmp_path: Path) -> None:
    """WeasyPrint logs a missing glyph each time it draws it; the build says it once."""
    import cv

    data = tmp_path / "data"
    data.mkdir()
    # U+E000 is a private-use character: no font of the build (nor of most machines) has it.
    (data / "cv.yaml").write_text(
        'name: Jane Doe\nheadline: "\ue000 \ue000 \ue000 \ue000 \ue000"\n'
        'about: "\ue000\ue000\ue000\ue000 and \ue000"\n',
        encoding="utf-8",
    )
    (data / "publications.bib").write_text("", encoding="utf-8")
    result = cv.build(data, tmp_path / "out", only=["cv"])
    drawn = [w for w in result.warnings if w.startswith("cv.pdf:") and "U+E000" in w]
    assert len(drawn) == 1, result.warnings
    assert drawn[0].endswith("times)"), drawn
