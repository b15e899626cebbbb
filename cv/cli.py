"""The command line: a thin caller of the library. The only module that prints or exits."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cv import __version__, parallel
from cv.errors import CVError
from cv.outputs import OPT_IN_OUTPUTS, OUTPUTS
from cv.templates import theme_names

if TYPE_CHECKING:
    from cv.builder import BuildResult
    from cv.interop.files import Imported

app = typer.Typer(
    help="Build an academic CV (PDF and HTML) and a one-page bio from data/cv.yaml and BibTeX.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    # Command descriptions in full up to 100 columns (click's default stops at 80).
    context_settings={"max_content_width": 100},
)

DataOption = Annotated[
    Path, typer.Option("--data", "-d", help="Folder with cv.yaml and the .bib files.")
]
OutOption = Annotated[Path, typer.Option("--out", "-o", help="Folder to write into.")]
OnlyOption = Annotated[
    str | None,
    typer.Option(
        help="Comma-separated outputs: "
        + ", ".join(f"{kind.name} ({kind.file})" for kind in OUTPUTS)
        + ", or a document of cv.yaml; all of these by default. Also "
        + ", ".join(f"{kind.name} ({kind.file})" for kind in OPT_IN_OUTPUTS)
        + ", only when named."
    ),
]


def _known_theme(name: str | None) -> str | None:
    """A --theme that names no theme is a usage error (exit 2), not a problem of the record."""
    if name is not None:
        from cv.themes import available_themes

        known = available_themes()
        if name not in known:
            raise typer.BadParameter(f"unknown theme '{name}'; expected one of: {', '.join(known)}")
    return name


ThemeOption = Annotated[
    str | None,
    typer.Option(
        help=f"Theme: {', '.join(theme_names())} (overrides cv.yaml; `cv themes` describes them).",
        callback=_known_theme,
    ),
]
StrictOption = Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems.")]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="Print every step.")]


def _pdf_variant(value: str | None) -> str | None:
    from cv.builder import PDF_VARIANTS

    if value is not None and value.lower() not in PDF_VARIANTS:
        raise typer.BadParameter(f"{value!r} is not one of: {', '.join(PDF_VARIANTS)}")
    return value.lower() if value else None


PdfVariantOption = Annotated[
    str | None,
    typer.Option(
        "--pdf-variant",
        callback=_pdf_variant,
        help="Write the PDFs as pdf/ua-1 (accessible) or pdf/a-3u (archival).",
    ),
]


MAX_SHOWN = 200
"""Problems printed at most: a broken 50 MB file can have hundreds of thousands."""


def _report(error: CVError) -> None:
    for problem in error.problems[:MAX_SHOWN]:
        typer.echo(f"error: {problem}", err=True)
    count = len(error.problems)
    if count > MAX_SHOWN:
        typer.echo(f"... and {count - MAX_SHOWN:,} more", err=True)
    typer.echo(f"{count} problem{'s' if count != 1 else ''} found; nothing was written.", err=True)


def _outputs(only: str | None) -> list[str] | None:
    if only is None:
        return None
    return [kind.strip() for kind in only.split(",") if kind.strip()]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cv {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """cv: one record in git; a print-quality CV and a one-page bio from it."""


@contextmanager
def _progress(enabled: bool) -> Iterator[object]:
    """A spinner on stderr naming the current step, when stderr is a terminal."""
    if not enabled or not sys.stderr.isatty():
        yield lambda _step: None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn

    # Redrawn at each step, without rich's refresh thread: with the main thread alone, a stop
    # (SIGINT, SIGTERM) always reaches the thread that handles it, even in a blocking call.
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        transient=True,
        console=Console(stderr=True),
        auto_refresh=False,
    ) as progress:
        task = progress.add_task("building", total=None)
        yield lambda step: progress.update(task, description=f"building {step}", refresh=True)


def _summary(result: BuildResult, seconds_total: float, quiet: bool) -> None:
    for warning in result.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if quiet:
        return
    for note in result.notes:
        typer.echo(note)
    rows = [("file", "pages", "size", "seconds")] + [
        (str(o.path), str(o.pages or ""), f"{o.size / 1024:.1f} KiB", f"{o.seconds:.2f}")
        for o in result.outputs
    ]
    width = max(len(row[0]) for row in rows)
    for path, pages, size, seconds in rows:
        typer.echo(f"{path:<{width}}  {pages:>5}  {size:>10}  {seconds:>7}")
    typer.echo(f"done in {seconds_total:.2f} s")


@app.command()
def build(
    data: DataOption = Path("data"),
    out: OutOption = Path("output"),
    only: OnlyOption = None,
    theme: ThemeOption = None,
    strict: StrictOption = False,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
    pdf_variant: PdfVariantOption = None,
) -> None:
    """Build cv.pdf, bio.pdf, cv.html and bio.md (and the documents cv.yaml defines)."""
    from cv.builder import build as build_outputs
    from cv.outputs import UnknownOutput

    started = time.perf_counter()
    try:
        with _progress(not quiet and not verbose) as spinner:

            def step(name: str) -> None:
                if verbose:
                    typer.echo(f"{time.perf_counter() - started:6.2f} s  {name}", err=True)
                spinner(name)  # type: ignore[operator]

            result = build_outputs(
                data,
                out,
                only=_outputs(only),
                theme=theme,
                strict=strict,
                progress=step,
                pdf_variant=pdf_variant,
            )
    except UnknownOutput as error:
        raise typer.BadParameter(str(error), param_hint="--only") from None
    except CVError as error:
        _report(error)
        raise typer.Exit(1) from None
    _summary(result, time.perf_counter() - started, quiet)


@app.command()
def check(
    data: DataOption = Path("data"),
    theme: ThemeOption = None,
    strict: StrictOption = False,
    quiet: QuietOption = False,
) -> None:
    """Validate everything a build would read, without writing anything."""
    from cv.builder import check as check_inputs

    try:
        inputs = check_inputs(data, theme=theme, strict=strict)
    except CVError as error:
        _report(error)
        raise typer.Exit(1) from None
    for warning in inputs.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if not quiet:
        count = len(inputs.publications)
        typer.echo(f"{inputs.source.file}: ok ({count} publication{'s' if count != 1 else ''})")


@app.command()
def watch(
    data: DataOption = Path("data"),
    out: OutOption = Path("output"),
    only: OnlyOption = None,
    theme: ThemeOption = None,
    strict: StrictOption = False,
    quiet: QuietOption = False,
) -> None:
    """Rebuild whenever the data or the theme changes (Ctrl-C to stop)."""
    from cv.watch import watch as watch_and_build

    def report(result: BuildResult | CVError, changed: list[Path]) -> None:
        stamp = time.strftime("%H:%M:%S")
        cause = f" after a change of {', '.join(p.name for p in changed)}" if changed else ""
        if isinstance(result, CVError):
            for problem in result.problems:
                typer.echo(f"error: {problem}", err=True)
            typer.echo(
                f"[{stamp}] not rebuilt{cause}: fix the problems above; still watching", err=True
            )
            return
        for warning in result.warnings:
            typer.echo(f"warning: {warning}", err=True)
        if not quiet:
            written = ", ".join(f"{o.path.name} ({o.seconds:.2f} s)" for o in result.outputs)
            typer.echo(f"[{stamp}] rebuilt{cause}: {written}")

    if not quiet:
        typer.echo(f"watching {data} and the theme; Ctrl-C to stop")
    try:
        watch_and_build(data, out, only=_outputs(only), theme=theme, strict=strict, report=report)
    except CVError as error:
        _report(error)
        raise typer.Exit(1) from None


@app.command()
def serve(
    data: DataOption = Path("data"),
    out: OutOption = Path("output"),
    only: OnlyOption = None,
    theme: ThemeOption = None,
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free one).")] = 8000,
    host: Annotated[
        str, typer.Option(help="Address to listen on; beyond 127.0.0.1 only if you name one.")
    ] = "127.0.0.1",
    open_page: Annotated[
        bool, typer.Option("--open", help="Open the page in the web browser.")
    ] = False,
    quiet: QuietOption = False,
) -> None:
    """Show the CV in a browser, reloaded on every save; the PDFs follow (Ctrl-C to stop)."""
    from cv.serve import serve as serve_preview

    def say(line: str, problem: bool) -> None:
        if problem or not quiet:
            typer.echo(line, err=problem)

    def ready(url: str) -> None:
        if open_page:
            import webbrowser

            webbrowser.open(url)

    try:
        serve_preview(
            data, out, host=host, port=port, only=_outputs(only), theme=theme, say=say, ready=ready
        )
    except CVError as error:
        _report(error)
        raise typer.Exit(1) from None


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="Where to start the new record.")] = Path("."),
) -> None:
    """Start a new record: data/cv.yaml, publications.bib, .gitignore and a release workflow."""
    from cv.init import init_project

    try:
        written = init_project(folder)
    except CVError as error:
        _report(error)
        raise typer.Exit(1) from None
    for path in written:
        typer.echo(f"wrote {path}")
    typer.echo(f"next: edit {folder / 'data' / 'cv.yaml'}, then run `cv build`")


@app.command()
def schema(
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write to a file.")] = None,
) -> None:
    """Print the JSON Schema of cv.yaml (for completion and checks in editors)."""
    from cv.init import schema_json

    text = schema_json()
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {out}", err=True)


@app.command()
def themes() -> None:
    """List the themes."""
    from cv.themes import available_themes

    for name, description in available_themes().items():
        typer.echo(f"{name:<10} {description}")


@app.command()
def styles(
    titles: Annotated[
        bool, typer.Option("--titles", help="Also print each style's title (slower).")
    ] = False,
) -> None:
    """List the citation styles publications.style can name (or give a .csl file)."""
    from cv.csl import ALIASES, style_names, style_titles

    if titles:
        for name, title in style_titles().items():
            typer.echo(f"{name:<50} {title}")
    else:
        for name in style_names():
            typer.echo(f"{name:<10} = {ALIASES[name]}" if name in ALIASES else name)


import_app = typer.Typer(
    help="Bring a record in: an AcadHomepage about.md or a JSON Resume -> data/.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
export_app = typer.Typer(
    help="Take the record out: an AcadHomepage about.md or a JSON Resume.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")

ImportOutOption = Annotated[
    Path, typer.Option("--out", "-o", help="Folder to write cv.yaml and publications.bib into.")
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Overwrite files that already exist in --out.")
]
ExportOutOption = Annotated[
    Path | None, typer.Option("--out", "-o", help="Write to this file (default: stdout).")
]


def _write_import(imported: Imported, source: Path, out: Path, force: bool, command: str) -> None:
    from cv.interop.files import write_import

    header = (
        f"Imported from {source.name} by `cv {command}`.\n"
        "Text it did not understand is kept in `about`: move it where it belongs."
    )
    try:
        written = write_import(imported, out, force=force, record_header=header, bib_header=header)
    except CVError as error:
        _report(error)
        raise typer.Exit(1) from None
    for notice in imported.notices:
        typer.echo(notice.format(str(source)), err=True)
    for path in written:
        typer.echo(f"wrote {path}")
    counts = ", ".join(f"{count} {name}" for name, count in imported.counts().items() if count)
    typer.echo(
        f"imported {counts or 'nothing'}; next: check {out / 'cv.yaml'}, "
        f"then `cv build --data {out}`"
    )


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        typer.echo(text, nl=False)
        return
    from cv.builder import write_atomically

    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(out, text.encode("utf-8"))
    typer.echo(f"wrote {out}", err=True)


@import_app.command("acadhomepage")
def import_acadhomepage(
    about: Annotated[Path, typer.Argument(help="The homepage's _pages/about.md.")],
    config: Annotated[
        Path | None, typer.Option(help="The site's _config.yml (name, contact, avatar).")
    ] = None,
    out: ImportOutOption = Path("data"),
    force: ForceOption = False,
) -> None:
    """Turn an AcadHomepage about.md (and _config.yml) into cv.yaml and publications.bib."""
    from cv.interop.acadhomepage import read_acadhomepage

    try:
        imported = read_acadhomepage(about, config)
    except CVError as error:
        _report(error)
        raise typer.Exit(1) from None
    _write_import(imported, about, out, force, "import acadhomepage")


@import_app.command("jsonresume")
def import_jsonresume(
    resume: Annotated[Path, typer.Argument(help="The resume.json.")],
    out: ImportOutOption = Path("data"),
    force: ForceOption = False,
) -> None:
    """Turn a JSON Resume into cv.yaml and publications.bib."""
    from cv.interop.jsonresume import read_jsonresume

    try:
        imported = read_jsonresume(resume)
    except CVError as error:
        _report(error)
        raise typer.Exit(1) from None
    _write_import(imported, resume, out, force, "import jsonresume")


@export_app.command("acadhomepage")
def export_acadhomepage(data: DataOption = Path("data"), out: ExportOutOption = None) -> None:
    """Write the record as AcadHomepage's _pages/about.md (news, paper boxes, sections)."""
    from cv.interop.acadhomepage_export import export_acadhomepage as render_about

    try:
        text = render_about(data)
    except CVError as error:
        _report(error)
        raise typer.Exit(1) from None
    _emit(text, out)


@export_app.command("jsonresume")
def export_jsonresume(data: DataOption = Path("data"), out: ExportOutOption = None) -> None:
    """Write the record as a JSON Resume (resume.json)."""
    from cv.interop.jsonresume import dumps
    from cv.interop.jsonresume import export_jsonresume as resume_of

    try:
        text = dumps(resume_of(data))
    except CVError as error:
        _report(error)
        raise typer.Exit(1) from None
    _emit(text, out)


@import_app.command("rendercv")
def import_rendercv(
    file: Annotated[Path, typer.Argument(help="The RenderCV input file (Your_Name_CV.yaml).")],
    out: ImportOutOption = Path("data"),
    force: ForceOption = False,
) -> None:
    """Turn a RenderCV input file into cv.yaml and publications.bib (its design is not kept)."""
    from cv.interop.rendercv import read_rendercv

    try:
        imported = read_rendercv(file)
    except CVError as error:
        _report(error)
        raise typer.Exit(1) from None
    _write_import(imported, file, out, force, "import rendercv")


@export_app.command("rendercv")
def export_rendercv(data: DataOption = Path("data"), out: ExportOutOption = None) -> None:
    """Write the record as a RenderCV input file (render it with `rendercv render FILE`)."""
    from cv.interop.rendercv import dumps
    from cv.interop.rendercv import export_rendercv as rendercv_of

    try:
        text = dumps(rendercv_of(data), str(data))
    except CVError as error:
        _report(error)
        raise typer.Exit(1) from None
    _emit(text, out)


def main() -> None:
    """Entry point of the ``cv`` console script.

    SIGINT (Ctrl-C) and SIGTERM end the command promptly and quietly, with exit code 130 or
    143, its copies of the fonts removed and nothing written
    (:func:`cv.parallel.ended_by_signals`).
    """
    _collect_less_often()
    _no_pydantic_plugins()
    with parallel.ended_by_signals():
        try:
            app(prog_name="cv")
        finally:
            with parallel.signals_held():  # a stop now would cut the clean-up short
                _before_exit()


GC_THRESHOLDS = (10_000, 10, 10)
"""The garbage collector's thresholds for a command (Python's are 700, 10, 10)."""


def _collect_less_often() -> None:
    """Run the garbage collector's young passes less often while a command runs.

    A build makes millions of objects (imports, then WeasyPrint's boxes), few of them in
    cycles: at Python's thresholds the collector ran 374 times in ``cv build --only cv`` on
    the example, each pass going through every object made since the last, and the older
    passes through everything kept (bench/RESULTS.md). With a young threshold of 10,000
    objects it runs 68 times; the older generations keep Python's ratios (every tenth pass),
    the peak memory of a 1,000-publication build stays the same (377 MB), and a long
    ``cv serve`` or ``cv watch`` collects its cycles as before. Set by the command line only:
    a program using the library keeps its own settings.
    """
    import gc

    gc.set_threshold(*GC_THRESHOLDS)


def _no_pydantic_plugins() -> None:
    """Spare a command pydantic's search for plugins, unless the environment asks for one.

    pydantic looks for plugins (tracing, logging) in the entry points of every installed
    package when it makes its first validator, at typer's first parameter: 13-50 ms of each
    command, for plugins cv has no use for. ``PYDANTIC_DISABLE_PLUGINS``, when set, is kept.
    """
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


def _before_exit() -> None:
    """Spare the interpreter's shutdown a last garbage collection of everything in memory.

    Nothing is left to collect that matters once the command is done, and that collection
    took 0.05-0.1 s of every command (bench/RESULTS.md); the fonts WeasyPrint copied are
    removed first, as the collection would have. The heap is frozen only when the interpreter
    ends (exit handlers run before that collection): a program calling :func:`main` and going
    on would otherwise never collect what it had made so far.
    """
    import atexit
    import gc

    pdf = sys.modules.get("cv.pdf")
    if pdf is not None:
        pdf.release_font_configuration()
    atexit.unregister(gc.freeze)  # once, however often main() runs
    atexit.register(gc.freeze)


if __name__ == "__main__":  # pragma: no cover
    main()
