"""``cv watch``: one warm process that rebuilds whenever the data or the theme changes."""

from __future__ import annotations

import gc
import logging
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from cv.builder import BuildResult, build
from cv.errors import CVError
from cv.themes import load_theme


def watched_folders(data_dir: Path, theme: str | None) -> list[Path]:
    """The data folder and every folder of the theme (user override, theme, parents, base)."""
    folders = [data_dir]
    try:
        from cv.loader import load_record

        name = theme or load_record(data_dir).record.theme.name
        folders += [f for f in load_theme(name, data_dir).folders if f not in folders]
    except CVError:
        pass  # a broken record still gets watched: the next save may fix it
    return [folder.resolve() for folder in folders]


def require_folder(data_dir: Path) -> None:
    """Nothing, when ``data_dir`` is a folder to watch.

    Raises:
        CVError: It is not: the problem a build reports (no cv.yaml there).
    """
    if not data_dir.is_dir():
        from cv.loader import load_record

        load_record(data_dir)
        raise CVError.at(f"{data_dir} is not a folder; expected the folder of cv.yaml")


_EDITOR_FILE = re.compile(
    r"""(
        \..*            # hidden: vim's .cv.yaml.swp, emacs's .#cv.yaml, gedit's .goutputstream-X
      | .*~             # backups: cv.yaml~
      | \#.*\#          # emacs's auto-saves: #cv.yaml#
      | \d+             # vim's test of the folder: 4913
      | sed[A-Za-z0-9]{6}   # sed -i's copy before it is renamed over the file
      | .*\.(swp|swx|swo|tmp|bak|orig|crswap)
      | .*___jb_(tmp|old|bak)___   # JetBrains' safe write
    )""",
    re.VERBOSE,
)
"""Names of the files editors and tools write beside the one being saved, and remove again."""


def is_editor_file(path: Path) -> bool:
    """True for an editor's temporary file (``.cv.yaml.swp``, ``cv.yaml~``, ``4913``, ...)."""
    return _EDITOR_FILE.fullmatch(path.name) is not None


def changes(
    data_dir: Path,
    out_dir: Path,
    *,
    theme: str | None = None,
    stop: threading.Event | None = None,
    debounce_ms: int = 150,
) -> Iterator[list[Path]]:
    """An empty list once watching has started, then the user's files each save changed.

    A save that touches only an editor's temporary files (:func:`is_editor_file`) and the
    outputs in ``out_dir`` yields nothing; the files named are the user's own (``cv.yaml``,
    not the ``sedK5Hvj5`` that ``sed -i`` renamed onto it). Ends when ``stop`` is set.

    Raises:
        CVError: There is no data folder to watch (:func:`require_folder`).
    """
    from watchfiles import watch as changes_of

    require_folder(data_dir)
    # watchfiles says "KeyboardInterrupt caught, stopping watch" at a stop, which the
    # command line reports its own way: without a handler Python would print it.
    logging.getLogger("watchfiles").addHandler(logging.NullHandler())
    out = out_dir.resolve()
    started = False
    for batch in changes_of(
        *watched_folders(data_dir, theme),
        debounce=debounce_ms,
        step=min(50, debounce_ms),
        stop_event=stop,
        watch_filter=lambda _change, path: not Path(path).resolve().is_relative_to(out),
        raise_interrupt=False,
        rust_timeout=200,
        yield_on_timeout=True,  # the first (empty) batch comes once the watcher is running
    ):
        changed = sorted({Path(path) for _change, path in batch} - _editor_files(batch))
        if changed or not started:
            started = True
            yield changed


def _editor_files(batch: Iterable[tuple[object, str]]) -> set[Path]:
    return {Path(path) for _change, path in batch if is_editor_file(Path(path))}


def watch(
    data_dir: Path,
    out_dir: Path,
    *,
    only: Iterable[str] | None = None,
    theme: str | None = None,
    strict: bool = False,
    report: Callable[[BuildResult | CVError, list[Path]], None],
    stop: threading.Event | None = None,
    debounce_ms: int = 150,
) -> None:
    """Build once, then again after every change, until ``stop`` is set.

    Args:
        report: Called after every build with its result (or the problems found) and the
            files whose change started it (empty for the first build).
        stop: Ends the watching when set (Ctrl-C ends it too).
        debounce_ms: Changes this close together make one rebuild.
    """
    for changed in changes(data_dir, out_dir, theme=theme, stop=stop, debounce_ms=debounce_ms):
        try:
            report(build(data_dir, out_dir, only=only, theme=theme, strict=strict), changed)
        except CVError as error:
            report(error, changed)
        # The build's garbage (laid-out documents are reference cycles) is collected now,
        # while waiting for the next change, rather than during the next rebuild (cv.pdf).
        gc.collect()
