"""``cv watch``: one warm process that rebuilds whenever the data or the theme changes."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterable
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
    from watchfiles import watch as changes_of

    out = out_dir.resolve()

    def rebuild(changed: list[Path]) -> None:
        try:
            report(build(data_dir, out_dir, only=only, theme=theme, strict=strict), changed)
        except CVError as error:
            report(error, changed)
        # The build's garbage (laid-out documents are reference cycles) is collected now,
        # while waiting for the next change, rather than during the next rebuild (cv.pdf).
        gc.collect()

    folders = watched_folders(data_dir, theme)
    built = False
    for batch in changes_of(
        *folders,
        debounce=debounce_ms,
        stop_event=stop,
        watch_filter=lambda _change, path: (
            not Path(path).resolve().is_relative_to(out) and not Path(path).name.startswith(".")
        ),
        raise_interrupt=False,
        rust_timeout=200,
        yield_on_timeout=True,  # the first (empty) batch comes once the watcher is running
    ):
        if batch or not built:
            rebuild(sorted({Path(path) for _change, path in batch}))
            built = True
