"""A build's processes: a warm one keeps its memory flat, a forked child dies with its parent.

Nothing here is timed: the garbage collector's state is checked directly, memory against a
generous bound, and a killed build's child by polling /proc until a deadline.
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
from cv.parallel import can_fork
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


# --- a killed build: its child ends too -------------------------------------------------------


def long_record(folder: Path, papers: int, document: bool = False) -> Path:
    """A record whose CV takes far longer to lay out (seconds) than the test waits for it."""
    folder.mkdir(parents=True)
    documents = "documents:\n  long:\n    title: Long CV\n" if document else ""
    (folder / "cv.yaml").write_text(
        f"name: Jane Doe\nheadline: Professor\n{documents}", encoding="utf-8"
    )
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


def running(pid: int) -> bool:
    """Whether the process exists and has not ended (an orphan's zombie may wait for init)."""
    fields = stat_fields(pid)
    return fields is not None and fields[0] not in ("Z", "X")


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


@pytest.mark.skipif(not can_fork(), reason="builds in one process here (not Linux, or one core)")
def test_the_pdf_worker_of_a_killed_build_ends_and_removes_its_font_copies(tmp_path: Path) -> None:
    data = long_record(tmp_path / "data", papers=1500)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    argv = [
        sys.executable,
        "-m",
        "cv",
        "build",
        "-q",
        "--only",
        "cv",
        "--data",
        str(data),
        "--out",
        str(tmp_path / "out"),
    ]
    with started(argv, temporary) as build:
        wait_for(lambda: children(build.pid) != [], 30, "the build forked its PDF worker", build)
        [worker] = children(build.pid)
        # Its copies of the fonts show that it lays out the CV now (the parent makes none).
        wait_for(lambda: font_copies(temporary) != [], 60, "the worker began the layout", build)
        build.send_signal(signal.SIGKILL)
        wait_for(lambda: not running(worker), 10, "the worker ended with the build")
    assert font_copies(temporary) == []  # it was told with SIGTERM, and removed them


@pytest.mark.skipif(not can_fork(), reason="builds in one process here (not Linux, or one core)")
def test_the_child_of_a_killed_build_laying_out_beside_it_ends(tmp_path: Path) -> None:
    data = long_record(tmp_path / "data", papers=1500, document=True)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    code = "import sys, cv\ncv.build(sys.argv[1], sys.argv[2], only=['cv', 'long'])\n"
    argv = [sys.executable, "-c", code, str(data), str(tmp_path / "out")]
    with started(argv, temporary) as build:
        wait_for(lambda: children(build.pid) != [], 60, "the build forked a child", build)
        [child] = children(build.pid)
        # Both lay out, each with its copies of the fonts: the parent the CV, the child the other.
        wait_for(lambda: len(font_copies(temporary)) == 2, 60, "both began their layouts", build)
        build.send_signal(signal.SIGKILL)
        wait_for(lambda: not running(child), 10, "the child ended with the build")
    assert len(font_copies(temporary)) == 1  # the killed parent's own: nothing could remove it


# --- a stopped build (SIGTERM, Ctrl-C): it ends at once, quietly, with its child ------------

needs_fork = pytest.mark.skipif(
    not can_fork(), reason="builds in one process here (not Linux, or one core)"
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


@needs_fork
@pytest.mark.parametrize(("number", "group"), STOPS)
@pytest.mark.parametrize("child", ["pdf-worker", "beside"])
def test_a_stopped_build_ends_quietly_with_its_child_and_writes_nothing(
    tmp_path: Path, number: int, group: bool, child: str
) -> None:
    """``pdf-worker``: the child lays out the CV (`--only cv`) while the parent waits for it;
    ``beside``: the parent lays out the bio and the child a document (`--only bio,long`)."""
    data = long_record(tmp_path / "data", papers=1500, document=True)
    out = tmp_path / "out"
    out.mkdir()
    (out / "cv.pdf").write_bytes(b"the CV of the last build")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    only, laying_out = ("cv", 1) if child == "pdf-worker" else ("bio,long", 2)
    argv = [sys.executable, "-m", "cv", "build", "-q", "--only", only]
    argv += ["--data", str(data), "--out", str(out)]
    with started(argv, temporary, session=group) as build:
        # Copies of the fonts show who lays out now: the worker alone, or the parent and child.
        wait_for(lambda: len(font_copies(temporary)) == laying_out, 60, "the layouts", build)
        [forked] = children(build.pid)
        stop(build, number, group)
        status = ended(build, 30, "the build ended after the stop")
        wait_for(lambda: not running(forked), 10, "the child ended with the build")
    assert status == 128 + number  # 143, 130: as shells report a process the signal ended
    assert "Traceback" not in printed(out)
    assert [path.name for path in out.iterdir()] == ["cv.pdf"]  # no temporary file either
    assert (out / "cv.pdf").read_bytes() == b"the CV of the last build"
    assert font_copies(temporary) == []  # both removed theirs


# Jobs for a child forked by cv.parallel.Forked in a script of its own (``python -c``): a job
# that goes on after a stop, as a library that catches BaseException does (WeasyPrint drawing
# an SVG), and one that never runs a signal handler, as in a long call of C code.
JOBS = """
import os, signal, sys, time
from pathlib import Path
from cv import cli
from cv.parallel import Forked, in_forked_child

READY = Path(sys.argv[1])


def ready():
    (READY.parent / "writing").write_text(str(os.getpid()))
    os.replace(READY.parent / "writing", READY)


def going_on():
    ready()
    while True:
        try:
            time.sleep(0.01)
        except BaseException:
            pass


def swallowing():
    if not in_forked_child():
        return "run again by the parent"
    going_on()


def stuck():
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    ready()
    while True:
        time.sleep(0.01)
"""


def script(name: str, action: str, ready: Path) -> list[str]:
    """A ``python -c`` command running the jobs above and then ``action``; what it prints goes
    to files named ``name`` beside ``ready``."""
    return [sys.executable, "-c", f"{JOBS}\n{action}", str(ready), str(ready.parent / name)]


def ready_pid(ready: Path, build: subprocess.Popen[bytes]) -> int:
    """The process that began a job of :data:`JOBS`, once it has."""
    wait_for(ready.exists, 60, "the job began", build)
    return int(ready.read_text(encoding="ascii"))


@needs_fork
def test_a_child_whose_job_swallows_the_stop_ends_when_its_parent_is_killed(
    tmp_path: Path,
) -> None:
    ready = tmp_path / "ready"
    action = "with Forked([swallowing]) as child:\n    print(child.results())"
    with started(script("swallowing", action, ready), tmp_path, session=True) as build:
        child = ready_pid(ready, build)
        build.send_signal(signal.SIGKILL)
        # The kernel tells the orphan with SIGTERM (PR_SET_PDEATHSIG), which no job can catch.
        wait_for(lambda: not running(child), 10, "the orphaned child ended")


@needs_fork
def test_a_child_whose_job_swallows_the_stop_ends_when_told_and_the_parent_runs_it(
    tmp_path: Path,
) -> None:
    ready = tmp_path / "ready"
    action = "with Forked([swallowing]) as child:\n    print(child.results())"
    with started(script("swallowing", action, ready), tmp_path, session=True) as build:
        child = ready_pid(ready, build)
        os.kill(child, signal.SIGTERM)
        wait_for(lambda: not running(child), 10, "the child ended when told")
        assert ended(build, 30, "the parent ended") == 0
    assert "run again by the parent" in printed(tmp_path / "swallowing", "stdout")


@needs_fork
def test_a_child_that_cannot_handle_the_stop_is_killed_after_a_grace_period(
    tmp_path: Path,
) -> None:
    from cv.parallel import STOP_GRACE

    ready = tmp_path / "ready"
    action = (
        "with Forked([stuck]):\n"
        "    while not READY.exists():\n"
        "        time.sleep(0.01)\n"
        "    started = time.monotonic()\n"
        "print(time.monotonic() - started)\n"  # leaving the block ended the child
    )
    with started(script("stuck", action, ready), tmp_path, session=True) as build:
        child = ready_pid(ready, build)
        assert ended(build, STOP_GRACE + 30, "the parent ended its child") == 0
        assert not running(child)  # reaped: killed, as SIGTERM was held back
    seconds = float(printed(tmp_path / "stuck", "stdout"))
    assert STOP_GRACE <= seconds < STOP_GRACE + 20, seconds


@needs_fork
@pytest.mark.parametrize(("number", "group"), STOPS)
def test_a_build_that_swallows_the_stop_still_ends_with_its_child(
    tmp_path: Path, number: int, group: bool
) -> None:
    """The parent itself goes on after the stop (as in an SVG of the bio): it ends anyway."""
    ready = tmp_path / "ready"
    action = "cli.app = lambda **_: going_on()\nsys.argv = ['cv', 'build']\ncli.main()\n"
    with started(script("main", action, ready), tmp_path, session=group) as build:
        ready_pid(ready, build)
        [worker] = children(build.pid)  # the PDF worker, importing WeasyPrint or waiting
        stop(build, number, group)
        status = ended(build, 30, "the build ended after the stop")
        wait_for(lambda: not running(worker), 10, "the worker ended with the build")
    assert status == 128 + number
    assert "Traceback" not in printed(tmp_path / "main")
