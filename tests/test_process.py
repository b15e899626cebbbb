"""A build's process: a warm one keeps its memory flat, a stopped one ends cleanly.

Nothing here is timed: the garbage collector's state is checked directly, memory against a
generous bound, and a stopped build by polling until a deadline.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import signal
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import cv
from cv.builder import BuildResult
from cv.errors import CVError
from cv.watch import watch

from .conftest import REPO, TESTDATA

TODAY = dt.date(2026, 11, 1)
SMALL = REPO / "tests" / "broken" / "_base"


class _Cycle:
    """An object that only the collector can free: it refers to itself."""

    def __init__(self) -> None:
        self.me = self


def garbage_cycle() -> weakref.ref[_Cycle]:
    """A reference cycle nothing refers to any more, and a weak reference to tell it is gone."""
    return weakref.ref(_Cycle())


# --- a warm process: the collector's state after builds ---------------------------------------


def test_a_build_leaves_the_heap_unfrozen(tmp_path: Path) -> None:
    cv.build(SMALL, tmp_path, only=["cv", "bio"], today=TODAY)
    assert gc.get_freeze_count() == 0


def test_a_build_leaves_what_its_caller_froze_frozen(tmp_path: Path) -> None:
    kept = [_Cycle()]
    gc.freeze()  # as a program that froze its heap before forking workers
    try:
        cv.build(SMALL, tmp_path, only=["cv", "bio"], today=TODAY)
        assert not any(tracked is kept for tracked in gc.get_objects())  # still frozen
    finally:
        gc.unfreeze()
    assert any(tracked is kept for tracked in gc.get_objects())


def test_garbage_made_before_a_build_is_collectable_after_it(tmp_path: Path) -> None:
    cycle = garbage_cycle()
    cv.build(SMALL, tmp_path, only=["cv", "bio"], today=TODAY)
    gc.collect()
    assert cycle() is None


def test_garbage_left_between_builds_is_collected_by_the_builds_themselves(tmp_path: Path) -> None:
    """Without anyone calling gc.collect(): the builds' layouts collect the whole heap in time.

    Freezing the heap for every layout used to reset the collector's counts, so that it never
    came to a full collection in a warm process and every build's garbage stayed.
    """
    cv.build(SMALL, tmp_path, only=["cv"], today=TODAY)  # imports and caches, if first here
    cycle = garbage_cycle()
    for _ in range(20):  # a full collection comes due within a few builds of this record
        cv.build(SMALL, tmp_path, only=["cv"], today=TODAY)
        if cycle() is None:
            break
    assert cycle() is None


def resident_mb() -> float:
    """This process's resident memory now (VmRSS), in MB."""
    status = Path("/proc/self/status").read_text(encoding="ascii")
    kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    return kb / 1024


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="no /proc here")
def test_builds_in_one_process_keep_its_memory_flat(tmp_path: Path) -> None:
    data = TESTDATA / "full"
    for _ in range(3):  # imports, caches, the allocator's first arenas
        cv.build(data, tmp_path, only=["cv"], today=TODAY)
    before = resident_mb()
    for _ in range(12):
        cv.build(data, tmp_path, only=["cv"], today=TODAY)
    # 4-5 MB a build when each build's garbage stayed (55 MB here); flat now, but for the
    # garbage of the builds since the last full collection.
    assert resident_mb() - before < 25


def test_watch_collects_a_builds_garbage_before_the_next_change(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "cv.yaml").write_text("name: Ada Quispe\n", encoding="utf-8")
    stop = threading.Event()
    cycles: list[weakref.ref[_Cycle]] = []
    collected: list[bool] = []
    arrived = threading.Semaphore(0)

    def report(result: BuildResult | CVError, changed: list[Path]) -> None:
        collected.extend(cycle() is None for cycle in cycles)
        cycles.append(garbage_cycle())  # garbage of this build, as far as watch knows
        if len(cycles) == 1:
            (data / "cv.yaml").write_text("name: Grace Quispe\n", encoding="utf-8")
        arrived.release()

    thread = threading.Thread(
        target=watch,
        args=(data, tmp_path / "out"),
        kwargs={"only": ["html"], "report": report, "stop": stop, "debounce_ms": 50},
        daemon=True,
    )
    thread.start()
    try:
        assert arrived.acquire(timeout=30) and arrived.acquire(timeout=30), "no rebuild"
    finally:
        stop.set()
        thread.join(timeout=30)
    assert collected[:1] == [True]  # the first build's, when the second one reported


# --- a stopped build (SIGTERM, Ctrl-C): it ends at once, quietly, and writes nothing ---------


def long_record(folder: Path, papers: int) -> Path:
    """A record whose CV takes far longer to lay out (seconds) than the test waits for it."""
    folder.mkdir(parents=True)
    (folder / "cv.yaml").write_text("name: Jane Doe\nheadline: Professor\n", encoding="utf-8")
    entries = "\n".join(
        f"@article{{p{i}, title={{A rather long title about topic {i} that wraps over two lines}}, "
        f"author={{Doe, Jane and Roe, Richard and Poe, Edgar and Moe, Mo}}, "
        f"journal={{Journal of Things}}, year={{{2000 + i % 25}}}}}"
        for i in range(papers)
    )
    (folder / "publications.bib").write_text(entries, encoding="utf-8")
    return folder


def stat_fields(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state, parent, ...); None if gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()  # the name in parentheses may hold anything


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = stat_fields(int(entry.name))
            if fields is not None and int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def wait_for(
    condition: Callable[[], bool],
    seconds: float,
    what: str,
    build: subprocess.Popen[bytes] | None = None,
) -> None:
    """Poll ``condition`` until it holds; fail naming ``what`` after ``seconds``, or as soon as
    ``build`` has ended (with what it printed)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if build is not None and build.poll() is not None:
            printed = Path(f"{build.args[-1]}.stderr").read_text(encoding="utf-8", errors="replace")
            pytest.fail(f"the build ended (status {build.returncode}) before {what}:\n{printed}")
        assert time.monotonic() < deadline, f"{what} within {seconds} s"
        time.sleep(0.02)  # between two looks at /proc, not a wait for anything in particular


@contextmanager
def started(
    argv: list[str], temporary: Path, *, session: bool = False
) -> Iterator[subprocess.Popen[bytes]]:
    """A build in a new process, with its own temporary folder; killed and reaped on leaving.

    What it prints goes to files beside its last argument (its output folder). In a session
    of its own with ``session``, where a signal can go to its whole process group, as Ctrl-C
    in a terminal does.
    """
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "1793491200", "TMPDIR": str(temporary)}
    with open(f"{argv[-1]}.stderr", "wb") as printed, open(f"{argv[-1]}.stdout", "wb") as out:
        process = subprocess.Popen(
            argv,
            cwd=REPO,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=printed,
            start_new_session=session,
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


def font_copies(temporary: Path) -> list[Path]:
    return list(temporary.glob("weasyprint-*"))


needs_posix_signals = pytest.mark.skipif(
    not hasattr(signal, "pthread_sigmask"), reason="no POSIX signals here"
)
STOPS = [
    pytest.param(signal.SIGTERM, False, id="SIGTERM"),
    pytest.param(signal.SIGINT, False, id="SIGINT"),
    pytest.param(signal.SIGINT, True, id="Ctrl-C-to-the-group"),
]


def printed(prefix: Path | str, stream: str = "stderr") -> str:
    """What a process :func:`started` printed on ``stream``."""
    return Path(f"{prefix}.{stream}").read_text(encoding="utf-8", errors="replace")


def stop(build: subprocess.Popen[bytes], number: int, group: bool) -> None:
    """Send signal ``number`` to the build, or to its whole process group (Ctrl-C does)."""
    if group:
        os.killpg(build.pid, number)
    else:
        build.send_signal(number)


def ended(build: subprocess.Popen[bytes], seconds: float, what: str) -> int:
    """The build's exit status, once it has ended within ``seconds``."""
    wait_for(lambda: build.poll() is not None, seconds, what)
    return build.returncode


@needs_posix_signals
@pytest.mark.parametrize(("number", "group"), STOPS)
def test_a_stopped_build_ends_quietly_and_writes_nothing(
    tmp_path: Path, number: int, group: bool
) -> None:
    data = long_record(tmp_path / "data", papers=1500)
    out = tmp_path / "out"
    out.mkdir()
    (out / "cv.pdf").write_bytes(b"the CV of the last build")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    argv = [sys.executable, "-m", "cv", "build", "-q", "--only", "cv,bio"]
    argv += ["--data", str(data), "--out", str(out)]
    with started(argv, temporary, session=group) as build:
        # Its copies of the fonts show that it lays out now.
        wait_for(lambda: font_copies(temporary) != [], 60, "the layout began", build)
        assert children(build.pid) == []  # a build is one process
        stop(build, number, group)
        status = ended(build, 30, "the build ended after the stop")
    assert status == 128 + number  # 143, 130: as shells report a process the signal ended
    assert "Traceback" not in printed(out)
    assert [path.name for path in out.iterdir()] == ["cv.pdf"]  # no temporary file either
    assert (out / "cv.pdf").read_bytes() == b"the CV of the last build"
    assert font_copies(temporary) == []  # it removed them


# A command that goes on after a stop, as a library that catches BaseException does
# (WeasyPrint drawing an SVG), run in a script of its own (``python -c``).
GOING_ON = """
import os, sys, time
from pathlib import Path
from cv import cli

READY = Path(sys.argv[1])


def going_on(**_options):
    (READY.parent / "writing").write_text(str(os.getpid()))
    os.replace(READY.parent / "writing", READY)
    while True:
        try:
            time.sleep(0.01)
        except BaseException:
            pass


cli.app = going_on
sys.argv = ["cv", "build"]
cli.main()
"""


@needs_posix_signals
@pytest.mark.parametrize(("number", "group"), STOPS)
def test_a_build_that_swallows_the_stop_still_ends(
    tmp_path: Path, number: int, group: bool
) -> None:
    """The command itself goes on after the stop (as in an SVG of the bio): it ends anyway."""
    ready = tmp_path / "ready"
    argv = [sys.executable, "-c", GOING_ON, str(ready), str(tmp_path / "main")]
    with started(argv, tmp_path, session=group) as build:
        wait_for(ready.exists, 60, "the command began", build)
        stop(build, number, group)
        status = ended(build, 30, "the build ended after the stop")
    assert status == 128 + number
    assert "Traceback" not in printed(tmp_path / "main")


# A stop that comes while a finalizer runs: Python swallows what the handler raises there.
STOPPED_IN_A_FINALIZER = """
import os, signal, sys, time
from cv import parallel


class Closing:  # as a temporary file's closer, collected while the layout runs
    def __del__(self):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.2)  # the stop arrives here, inside the finalizer


with parallel.ended_by_signals(grace=30):
    Closing()
    time.sleep(20)
"""


@needs_posix_signals
def test_a_stop_inside_a_finalizer_ends_the_command_quietly(tmp_path: Path) -> None:
    started_at = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-c", STOPPED_IN_A_FINALIZER],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 130, run.stderr
    assert "Traceback" not in run.stderr and "Exception ignored" not in run.stderr, run.stderr
    assert time.monotonic() - started_at < 15, "it waited for the watchdog instead"
