"""A second process for a build: some jobs run in a forked child while the parent does the rest.

Layout in WeasyPrint is single-threaded Python, so on a machine with two cores the CV and the
bio take as long as the longer of the two when one of them is laid out in a child process. The
child is forked: it starts with everything the parent has imported and loaded (WeasyPrint, the
hyphenation patterns) and sends back what its jobs made through a pipe. What a job makes does
not depend on the process that makes it, so a parallel build writes the same bytes as a serial
one.

Forking is only used where it is safe: on Linux, with two or more cores, from a process with a
single thread (a thread holding a lock at the fork would leave it locked in the child).
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import sys
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any, Generic, NoReturn, TypeVar

from cv.errors import CVError

T = TypeVar("T")


def can_fork() -> bool:
    """Whether a child process may be forked here, and would run on a core of its own."""
    if not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2:
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
        finish: Called in the child after its jobs: it exits without running finalizers.
    """

    def __init__(
        self, jobs: Sequence[Callable[[], T]], finish: Callable[[], None] | None = None
    ) -> None:
        self._jobs = list(jobs)
        read, write = os.pipe()
        # The parent's objects stay out of the child's garbage collections, which would
        # otherwise touch (and so copy) every page of memory they are on.
        gc.freeze()
        pid = os.fork()
        if pid == 0:  # the child
            os.close(read)
            _run_and_exit(self._jobs, write, finish)
        gc.unfreeze()
        os.close(write)
        self._pid: int | None = pid
        self._read = read

    def results(self) -> list[T]:
        """What the child's jobs returned, in order.

        Raises:
            CVError: The problems a job of the child raised.
        """
        with os.fdopen(self._read, "rb") as pipe:
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
            os.waitpid(self._pid, 0)
            self._pid = None

    def __enter__(self) -> Forked[T]:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._pid is not None:  # the parent failed first: its build is over
            os.kill(self._pid, signal.SIGKILL)
            self._wait()
            os.close(self._read)


def _run_and_exit(
    jobs: list[Callable[[], Any]], pipe: int, finish: Callable[[], None] | None
) -> NoReturn:
    """The child: run the jobs, send back what they made (or the problems), and exit at once.

    ``os._exit`` skips the parent's exit handlers and buffered output, inherited with the fork.
    """
    status = 1
    try:
        try:
            payload: tuple[str, Any] = ("made", [job() for job in jobs])
        except CVError as error:
            payload = ("problems", error.problems)
        except BaseException:  # noqa: BLE001 - reported as a failure; the parent runs the jobs
            payload = ("failed", None)
        if finish is not None:
            finish()
        with os.fdopen(pipe, "wb") as out:
            out.write(pickle.dumps(payload))
        status = 0
    finally:
        os._exit(status)
