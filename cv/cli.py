"""The command line: a thin caller of the library. The only module that prints or exits."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from cv import __version__
from cv.errors import CVError

app = typer.Typer(
    help="Build an academic CV (PDF and HTML) from data/cv.yaml and BibTeX.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
)

DataOption = Annotated[
    Path, typer.Option("--data", "-d", help="Folder with cv.yaml and the .bib files.")
]


def _report(error: CVError) -> None:
    for problem in error.problems:
        typer.echo(f"error: {problem}", err=True)
    count = len(error.problems)
    typer.echo(f"{count} problem{'s' if count != 1 else ''} found; nothing was written.", err=True)


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
    """cv: one record in git, a print-quality CV from it."""


@app.command()
def build(
    data: DataOption = Path("data"),
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write into.")] = Path("output"),
    only: Annotated[
        str | None, typer.Option(help="Comma-separated outputs to build: cv, bio, html, md.")
    ] = None,
    theme: Annotated[str | None, typer.Option(help="Theme name (overrides cv.yaml).")] = None,
    strict: Annotated[bool, typer.Option(help="Treat warnings as errors.")] = False,
) -> None:
    """Build the CV and the bio: cv.pdf, bio.pdf, cv.html and bio.md."""
    from cv.builder import OUTPUTS
    from cv.builder import build as build_outputs

    kinds = None
    if only is not None:
        kinds = [kind.strip() for kind in only.split(",") if kind.strip()]
        unknown = [kind for kind in kinds if kind not in OUTPUTS]
        if unknown or not kinds:
            raise typer.BadParameter(
                f"unknown output {', '.join(unknown) or only!r}; expected some of: {', '.join(OUTPUTS)}",
                param_hint="--only",
            )
    started = time.perf_counter()
    try:
        result = build_outputs(data, out, only=kinds, theme=theme, strict=strict)
    except CVError as error:
        _report(error)
        raise typer.Exit(1) from None
    for warning in result.warnings:
        typer.echo(f"warning: {warning}", err=True)
    for note in result.notes:
        typer.echo(note)
    for output in result.outputs:
        pages = f"{output.pages} page{'s' if output.pages != 1 else ''}" if output.pages else ""
        typer.echo(f"wrote {output.path}  {pages:>9}  {output.size / 1024:7.1f} KiB  {output.seconds:5.2f} s")
    typer.echo(f"done in {time.perf_counter() - started:.2f} s")


@app.command()
def check(data: DataOption = Path("data"),
          theme: Annotated[str | None, typer.Option(help="Theme name (overrides cv.yaml).")] = None) -> None:  # fmt: skip
    """Validate everything a build would read, without writing anything."""
    from cv.builder import check as check_inputs

    try:
        inputs = check_inputs(data, theme=theme)
    except CVError as error:
        _report(error)
        raise typer.Exit(1) from None
    count = len(inputs.publications)
    typer.echo(f"{inputs.source.file}: ok ({count} publication{'s' if count != 1 else ''})")


@app.command()
def themes() -> None:
    """List the themes."""
    from cv.themes import available_themes

    for name, description in available_themes().items():
        typer.echo(f"{name:<10} {description}")


def main() -> None:
    """Entry point of the ``cv`` console script."""
    app(prog_name="cv")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
