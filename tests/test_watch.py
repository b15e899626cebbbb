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
