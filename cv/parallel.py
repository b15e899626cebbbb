"""Stopping a command: Ctrl-C or SIGTERM ends it promptly, quietly, and without writing.

A build runs in one process: it used to lay out the bio and the documents in a forked child
beside the CV, and to import WeasyPrint in a child started before the command line was
parsed; both were faster in wall time on two cores but cost 7-46 % more CPU time, so they
went (bench/RESULTS.md, "Issue 14"). What is left is how the command line stops.

Stopping never relies on an exception getting through: libraries in the layout catch
``BaseException`` (WeasyPrint's SVG drawing does), which swallows a ``SystemExit`` or a
``KeyboardInterrupt`` raised by a signal handler. :func:`ended_by_signals` raises
:class:`Stopped` so that the code unwinds as after any failure, and ends the process itself,
removing its copies of the fonts, if that does not end it in time.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

_STOPS = {signal.SIGTERM, signal.SIGINT}


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold back Ctrl-C and stops (SIGINT, SIGTERM) in the block; they arrive after it.

    For short steps that must not be cut in the middle: the clean-up before exit. The block
    must take bounded time.
    """
    if not hasattr(signal, "pthread_sigmask"):  # Windows: signals cannot be held back there
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


@contextmanager
def ended_by_signals(grace: float = 1.0) -> Iterator[None]:
    """In the block, SIGINT and SIGTERM end this process promptly.

    The first one raises :class:`Stopped`, so that the code unwinds and cleans up as after any
    failure (temporary files removed, nothing written); leaving the block after a stop raises
    ``SystemExit(128 + the signal's number)``, as shells report a process the signal ended
    (130, 143). A library may catch the exception and go on (WeasyPrint's SVG drawing catches
    ``BaseException``): if the process has not ended ``grace`` seconds after the stop, or at a
    second stop, :func:`_end_now` ends it without unwinding. The watchdog that waits for
    ``grace`` is a thread, started only once a stop came, and not a timer: ``SIGALRM`` is the
    templates' deadline (:func:`cv.sandbox.deadline`).

    Only in the main thread, which handles signals (elsewhere the block runs as it is). A
    signal ignored when the block starts (SIGINT in a background job) stays ignored.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.getsignal(number) for number in _STOPS}
    left = threading.Event()
    stopping: int | None = None  # the signal that asked this process to stop, once one did

    def handle(number: int, _frame: object) -> None:
        nonlocal stopping
        if stopping is not None:
            _end_now(stopping)  # a second stop, or the first one went unheard
        stopping = number
        watchdog = threading.Thread(target=_watch, args=(number, grace, left), daemon=True)
        watchdog.start()
        raise Stopped(number)

    def unraisable(info: Any) -> None:
        # A stop that came while a finalizer ran (``__del__`` of a temporary file, say) was
        # swallowed there, and Python would print it as a traceback: end now, quietly.
        if isinstance(info.exc_value, Stopped):
            _end_now(info.exc_value.signal_number)
        hook(info)

    hook, sys.unraisablehook = sys.unraisablehook, unraisable
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
            sys.unraisablehook = hook
        left.set()  # the watchdog of a stop, if any, has nothing left to do
        if stopping is not None:
            raise SystemExit(128 + stopping) from None  # replaces any other way out


def _watch(number: int, grace: float, left: threading.Event) -> None:
    """The watchdog of a stop: end the process if it is still in the block after ``grace`` s."""
    signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)  # the main thread handles the signals
    if not left.wait(grace):
        _end_now(number)


def _end_now(number: int) -> NoReturn:
    """End this process after ``number`` stopped it, without unwinding: its copies of the
    fonts removed, then exit with 128 + ``number``."""
    try:
        _release_fonts()
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
    except BaseException:  # noqa: BLE001, S110 - ending regardless
        pass
    finally:
        os._exit(128 + number)


def _release_fonts() -> None:
    if "cv.pdf" in sys.modules:
        sys.modules["cv.pdf"].release_font_configuration()
