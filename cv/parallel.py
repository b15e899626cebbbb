"""A second process for a build: some jobs run in a forked child while the parent does the rest.

Layout in WeasyPrint is single-threaded Python, so on a machine with two cores the CV and the
bio take as long as the longer of the two when one of them is laid out in a child process. The
child is forked: it starts with everything the parent has imported and loaded (WeasyPrint, the
hyphenation patterns) and sends back what its jobs made through a pipe. What a job makes does
not depend on the process that makes it, so a parallel build writes the same bytes as a serial
one.

A cold ``cv build`` starts a :class:`PdfWorker` first of all: WeasyPrint's import in the child
then runs while the parent imports the rest of cv and reads and renders the record, instead of
after it.

Forking is only used where it is safe: on Linux, with two or more cores, from a process with a
single thread (a thread holding a lock at the fork would leave it locked in the child).

Stopping never relies on an exception getting through: libraries in the layout catch
``BaseException`` (WeasyPrint's SVG drawing does), which swallows a ``SystemExit`` or a
``KeyboardInterrupt`` raised by a signal handler. A child told to stop removes its copies of the
fonts and exits from the handler itself; whoever stops a child sends SIGKILL when it has not
exited after :data:`STOP_GRACE` seconds (stuck in C code, where no handler runs); and the command
line (:func:`ended_by_signals`) ends its process itself if the :class:`Stopped` its handler raised
does not end it in time.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import struct
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from types import TracebackType
from typing import Any, Generic, NamedTuple, NoReturn, TypeVar

from cv.errors import CVError

T = TypeVar("T")


STOP_GRACE = 2.0
"""Seconds a child told to stop (SIGTERM) has to exit before it is killed (SIGKILL). A child
running Python exits within milliseconds; one stuck in C code never handles the signal."""


def can_fork() -> bool:
    """Whether a child process may be forked here, and would run on a core of its own.

    Never once the process was asked to stop (:func:`ended_by_signals`): it starts no new work.
    """
    if not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2:
        return False
    if _Parent.stopping is not None:
        return False
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


class Forked(Generic[T]):
    """Jobs running in a forked child; :meth:`results` waits for what they returned.

    Use it as a context manager: leaving the block before the results were collected (the
    parent's own work failed) ends the child.

    Args:
        jobs: Called in order in the child; what they return must pickle.
        finish: Called in the child after its jobs, or when it is told to stop: it exits
            without running finalizers.

    Raises:
        OSError: No child could be forked (too many processes, no memory).
    """

    def __init__(
        self, jobs: Sequence[Callable[[], T]], finish: Callable[[], None] | None = None
    ) -> None:
        self._jobs = list(jobs)
        read, write = os.pipe()
        parent = os.getpid()
        # Ctrl-C or a stop waits until the child has its own handlers (see _run_and_exit).
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
        try:
            pid = os.fork()
        except OSError:  # no process to spare: the caller does without a child
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            os.close(read)
            os.close(write)
            raise
        if pid == 0:  # the child
            os.close(read)
            _run_and_exit(self._jobs, write, finish, mask, parent)
        # All set before a stop can come: whoever ends this process ends the child too.
        _live.add(pid)
        os.close(write)
        self._pid: int | None = pid
        self._read: int | None = read
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)

    def results(self) -> list[T]:
        """What the child's jobs returned, in order.

        Raises:
            CVError: The problems a job of the child raised.
        """
        read, self._read = self._read, None
        assert read is not None, "results() called twice"
        with os.fdopen(read, "rb") as pipe:  # closed however the reading ends (Ctrl-C)
            data = pipe.read()
        self._wait()
        try:
            status, value = pickle.loads(data)
        except Exception:  # noqa: BLE001 - the child died before it could answer
            status, value = "failed", None
        if status == "made":
            return list(value)
        if status == "problems":
            raise CVError(value)
        # A bug, not a problem of the input: run the jobs here, where it shows with its traceback.
        return [job() for job in self._jobs]

    def _wait(self) -> None:
        if self._pid is not None:
            _reap(self._pid, block=True)
            self._pid = None

    def __enter__(self) -> Forked[T]:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    def stop(self) -> None:
        """End the child if its results were not collected (the parent failed first, or stops).

        The pipe is closed first (a child writing its answer then fails at once, rather than
        waiting for a reader), then the child is ended (:func:`end_child`). Ctrl-C and stops are
        held back meanwhile, which takes at most :data:`STOP_GRACE` seconds: the child is ended
        however the parent's own end comes.
        """
        with signals_held():
            if self._read is not None:
                os.close(self._read)
                self._read = None
            if self._pid is not None:
                end_child(self._pid)
                self._pid = None


def _run_and_exit(
    jobs: list[Callable[[], Any]],
    pipe: int,
    finish: Callable[[], None] | None,
    mask: Iterable[int],
    parent: int,
) -> NoReturn:
    """The child: run the jobs, send back what they made (or the problems), and exit at once.

    ``os._exit`` skips the parent's exit handlers and buffered output, inherited with the fork.
    The child starts with Ctrl-C and stops held back (``mask`` is what to restore): an exception
    before its ``try`` would run the parent's code on in the child. ``parent`` is the process
    that forked it, which it does not outlive. A stop while the jobs run ends the child from
    the signal handler (:func:`_stop`): nobody reads what they would make any more.
    """
    status = 1
    try:
        _Child.forked = True
        _Child.finish = finish
        _Parent.stopping = None  # the parent's state, inherited: this process has its own
        _live.clear()
        # The parent's objects stay out of the child's garbage collections, which would
        # otherwise touch (and so copy) every page of memory they are on. Frozen here, not in
        # the parent: there freezing would reset the collector's counts (see cv.pdf).
        gc.freeze()
        if not _ends_with(parent):
            os._exit(1)  # the parent is gone already: nobody waits for the results
        for stop in _STOPS:  # the parent ending it; Ctrl-C (unless ignored, as in a background job)
            if signal.getsignal(stop) is not signal.SIG_IGN:
                signal.signal(stop, _stop)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        payload: tuple[str, Any] = ("failed", None)
        try:
            payload = ("made", [job() for job in jobs])
        except CVError as error:
            payload = ("problems", error.problems)
        except BaseException:  # noqa: BLE001, S110 - a failure: the parent runs the jobs itself
            pass
        _Child.phase = _FINISHING  # a stop now waits for the clean-up, then ends the child
        if finish is not None:
            finish()
        if _Child.stopped:
            os._exit(1)
        _Child.phase = _ANSWERING  # a stop now ends the child at once
        with os.fdopen(pipe, "wb") as out:
            out.write(pickle.dumps(payload))
        status = 0
    finally:
        os._exit(status)


_STOPS = {signal.SIGTERM, signal.SIGINT}


_WORKING, _FINISHING, _ANSWERING = "working", "finishing", "answering"


class _Child:
    forked = False
    """Whether this process is a child forked by :class:`Forked` (set in the child only)."""
    finish: Callable[[], None] | None = None
    """The child's clean-up (it removes the child's copies of the fonts)."""
    phase = _WORKING
    """What the child does: its jobs, its clean-up after them, or sending back the results."""
    stopped = False
    """Whether a stop came during the clean-up, which then ends the child."""


def in_forked_child() -> bool:
    """Whether this process is a child forked for jobs, which exits once they are done.

    Its heap need never be collected as a whole: what it keeps, it keeps to its end
    (:func:`cv.pdf._frozen_heap` freezes it for good).
    """
    return _Child.forked


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _ends_with(parent: int) -> bool:
    """Have the kernel stop this child when its parent dies; False if the parent is gone.

    A parent killed outright (``kill -9``, the out-of-memory killer) cannot stop its child,
    which would lay out on for seconds and leave its copies of the fonts behind. Sent SIGTERM,
    the child stops as when its parent ends it (:func:`_stop`), removing them. The parent may
    have died between the fork and the request: the child then has another parent already.
    Nothing is requested elsewhere than on Linux, where nothing forks (:func:`can_fork`).
    """
    if sys.platform.startswith("linux"):
        import ctypes  # here, not at the top: only a forked child needs it

        try:
            prctl = ctypes.CDLL(None, use_errno=True).prctl
            prctl(ctypes.c_int(_PR_SET_PDEATHSIG), ctypes.c_ulong(signal.SIGTERM))
        except (OSError, AttributeError):  # a C library without prctl: no such request
            pass
    return os.getppid() == parent


def _stop(_signal: int, _frame: object) -> None:
    """The parent ended the child (its build failed or stops) or died (:func:`_ends_with`), or
    Ctrl-C: clean up and exit, from here.

    Not by raising an exception that would unwind the jobs: a library may catch it and go on
    (WeasyPrint's SVG drawing catches ``BaseException``), and a stop would then be lost. A stop
    during the clean-up after the jobs lets it finish first; one while the results are sent
    ends the child at once (a parent that stops reads them no more).
    """
    if _Child.phase == _FINISHING:
        _Child.stopped = True
        return
    if _Child.phase == _WORKING:
        _Child.phase = _FINISHING  # a second stop while cleaning up waits for the clean-up
        try:
            if _Child.finish is not None:
                _Child.finish()
        finally:
            os._exit(1)
    os._exit(1)


# --- ending children, and this process when it is asked to stop --------------------------------

_live: set[int] = set()
"""The children this process forked and has not reaped yet."""


def _reap(pid: int, *, block: bool) -> bool:
    """Whether the child ``pid`` has ended (and is reaped now); waits for it if ``block``."""
    try:
        done, _ = os.waitpid(pid, 0 if block else os.WNOHANG)
    except ChildProcessError:  # reaped already (by an end of this process meanwhile)
        done = pid
    if done:
        _live.discard(pid)
    return bool(done)


def end_child(pid: int, grace: float = STOP_GRACE) -> None:
    """Tell the child ``pid`` to stop (SIGTERM); SIGKILL it if it has not exited in ``grace`` s.

    A child running Python exits within milliseconds, removing its copies of the fonts
    (:func:`_stop`); one stuck in C code never gets to run its handler. Reaped either way.
    """
    with suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while not _reap(pid, block=False):
        if time.monotonic() >= deadline:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            _reap(pid, block=True)
            return
        time.sleep(0.005)


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold back Ctrl-C and stops (SIGINT, SIGTERM) in the block; they arrive after it.

    For short steps that must not be cut in the middle: ending a child, renaming outputs into
    place, the clean-up before exit. The block must take bounded time.
    """
    if not hasattr(signal, "pthread_sigmask"):  # Windows: nothing forks there (can_fork)
        yield
        return
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


class Stopped(BaseException):
    """This process was asked to stop (SIGINT or SIGTERM), raised by :func:`ended_by_signals`.

    A ``BaseException``, as ``KeyboardInterrupt``: ``except Exception`` lets it through.
    """

    def __init__(self, signal_number: int) -> None:
        super().__init__(signal_number)
        self.signal_number = signal_number


class _Parent:
    stopping: int | None = None
    """The signal that asked this process to stop, once one did."""


@contextmanager
def ended_by_signals(grace: float = 1.0) -> Iterator[None]:
    """In the block, SIGINT and SIGTERM end this process promptly, and its children with it.

    The first one raises :class:`Stopped`, so that the code unwinds and cleans up as after any
    failure (children ended, temporary files removed, nothing written); leaving the block
    after a stop raises ``SystemExit(128 + the signal's number)``, as shells report a process
    the signal ended (130, 143). A library may catch the
    exception and go on (WeasyPrint's SVG drawing catches ``BaseException``): if the process
    has not ended ``grace`` seconds after the stop, or at a second stop, :func:`_end_now` ends
    it without unwinding. The watchdog that waits for ``grace`` is a thread, started only once
    a stop came (nothing forks after that, :func:`can_fork`), and not a timer: ``SIGALRM`` is
    the templates' deadline (:func:`cv.sandbox.deadline`).

    Only in the main thread, which handles signals (elsewhere the block runs as it is). A
    signal ignored when the block starts (SIGINT in a background job) stays ignored.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.getsignal(number) for number in _STOPS}
    left = threading.Event()

    def handle(number: int, _frame: object) -> None:
        if _Parent.stopping is not None:
            _end_now(_Parent.stopping)  # a second stop, or the first one went unheard
        _Parent.stopping = number
        watchdog = threading.Thread(target=_watch, args=(number, grace, left), daemon=True)
        watchdog.start()
        raise Stopped(number)

    for number, handler in previous.items():
        if handler is not signal.SIG_IGN:
            signal.signal(number, handle)
    try:
        yield
    except Stopped:
        pass  # the exit below says so
    finally:
        with signals_held():
            for number, handler in previous.items():
                signal.signal(number, handler)
            if _Parent.stopping is not None:
                for pid in list(_live):  # one forked as the stop came, before anyone kept it
                    end_child(pid)
        left.set()  # the watchdog of a stop, if any, has nothing left to do
        if _Parent.stopping is not None:
            stopped_by, _Parent.stopping = _Parent.stopping, None
            raise SystemExit(128 + stopped_by) from None  # replaces any other way out


def _watch(number: int, grace: float, left: threading.Event) -> None:
    """The watchdog of a stop: end the process if it is still in the block after ``grace`` s."""
    signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)  # the main thread handles the signals
    if not left.wait(grace):
        _end_now(number)


def _end_now(number: int) -> NoReturn:
    """End this process after ``number`` stopped it, without unwinding: its children first
    (:func:`end_child`), then its copies of the fonts, then exit with 128 + ``number``."""
    try:
        for pid in list(_live):
            end_child(pid)
        _release_fonts()
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
    except BaseException:  # noqa: BLE001, S110 - ending regardless
        pass
    finally:
        os._exit(128 + number)


class PdfWorker:
    """A child that imports WeasyPrint while the parent still reads the record, then writes
    the one PDF the parent asks for (:meth:`submit`, then :meth:`result`).

    In a cold process, WeasyPrint's import (0.2-0.25 s) would otherwise wait for the parent's own
    imports, reading and rendering, which take about as long: forked before them, the child
    imports it on the other core, and the parent lays out the bio and the documents while the
    child lays out the CV. The request goes through a temporary file, which the parent can
    write at once, however large the HTML and however busy the child still is.
    """

    def __init__(self) -> None:
        self._request: tuple[str, dict[str, Any]] | None = None
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - open as long as the worker
        ready, self._ready = os.pipe()
        try:
            self._child: Forked[WrittenPdf | None] = Forked(
                [lambda: self._serve(ready)], finish=_release_fonts
            )
        except OSError:
            os.close(self._ready)
            self._file.close()
            raise
        finally:
            os.close(ready)

    def submit(self, html: str, **options: Any) -> None:
        """Ask for ``cv.pdf.write_pdf(html, **options)``; this returns at once."""
        self._request = (html, options)
        data = pickle.dumps(self._request)
        os.pwrite(self._file.fileno(), data, 0)
        try:
            os.write(self._ready, struct.pack("<Q", len(data)))
        except BrokenPipeError:
            pass  # the child failed before it could read: :meth:`result` writes the PDF here
        finally:
            os.close(self._ready)

    def result(self) -> WrittenPdf:
        """The PDF, as the child wrote it.

        Raises:
            CVError: The problems the child found.
        """
        [made] = self._child.results()
        assert made is not None
        return made

    def close(self) -> None:
        """End the child if its PDF was not collected: told that no request comes, it exits."""
        if self._request is None:
            os.close(self._ready)
        self._child.stop()
        self._file.close()

    def _serve(self, ready: int) -> WrittenPdf | None:
        if self._request is not None:  # the parent, after a bug in the child: write it here
            return _write(*self._request)
        # The child: import WeasyPrint (the point of it), then wait for the request.
        os.close(self._ready)
        from cv import pdf  # noqa: F401

        with os.fdopen(ready, "rb") as pipe:
            header = pipe.read(8)
        if not header:  # the parent needed no PDF after all
            return None
        (size,) = struct.unpack("<Q", header)
        data = b""
        while len(data) < size:
            chunk = os.pread(self._file.fileno(), size - len(data), len(data))
            if not chunk:
                raise EOFError("the request is shorter than announced")
            data += chunk
        return _write(*pickle.loads(data))


class WrittenPdf(NamedTuple):
    """What a :class:`PdfWorker` sends back: plain values, so that the parent need not import
    :mod:`cv.pdf` (and WeasyPrint) to read them."""

    data: bytes
    pages: int
    warnings: tuple[str, ...]
    seconds: float


def _write(html: str, options: dict[str, Any]) -> WrittenPdf:
    from cv.pdf import write_pdf

    started = time.perf_counter()
    pdf = write_pdf(html, **options)
    return WrittenPdf(pdf.data, pdf.pages, pdf.warnings, time.perf_counter() - started)


def _release_fonts() -> None:
    if "cv.pdf" in sys.modules:
        sys.modules["cv.pdf"].release_font_configuration()


_started: PdfWorker | None = None


def start_pdf_worker() -> None:
    """Start a :class:`PdfWorker` for the next build in this process, if one would help.

    It helps only where WeasyPrint is not imported yet (a new process) and a child can be
    forked. ``cv build`` calls this before anything slow; :func:`pdf_worker` hands it over to
    the build, and :func:`stop_pdf_worker` ends it if no build took it.
    """
    global _started
    if _started is None and "weasyprint" not in sys.modules and can_fork():
        try:
            _started = PdfWorker()
        except OSError:  # no process or temporary file to spare: the build does without
            _started = None


def stop_pdf_worker() -> None:
    """End the worker :func:`start_pdf_worker` started, if no build took it."""
    global _started
    if _started is not None:
        _started.close()
        _started = None


@contextmanager
def pdf_worker(wanted: bool) -> Iterator[PdfWorker | None]:
    """The worker :func:`start_pdf_worker` started, if any and ``wanted``; ended on leaving."""
    global _started
    worker, _started = _started, None
    if worker is not None and not wanted:
        worker.close()
        worker = None
    try:
        yield worker
    finally:
        if worker is not None:
            worker.close()
