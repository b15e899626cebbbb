"""load -> render -> pdf -> atomic writes. Returns what it wrote and how long each took."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cv.bibliography import Publication, load_bibliography, owner_unmatched
from cv.bio import bio_content, photo_data_uri, render_bio
from cv.citation import Style
from cv.csl import keep_written, record_styles
from cv.errors import CVError, Problem
from cv.fonts import glyph_warnings
from cv.i18n import language_problems
from cv.links import link_base, record_link_problems
from cv.loader import Source, load_record
from cv.markup import relative_to
from cv.model import Record
from cv.names import owner_names
from cv.outputs import UnknownOutput as UnknownOutput  # raised by build; importable from here
from cv.outputs import chosen_outputs, prepare, written_as
from cv.render import hidden_sections, render_html
from cv.sandbox import budget as template_budget
from cv.scholar import Scholar, load_scholar
from cv.themes import Theme, load_theme

PDF_VARIANTS = ("pdf/ua-1", "pdf/a-3u")
"""Standards the PDFs can be written to besides plain tagged PDF: accessible, and archival."""


@dataclass(frozen=True)
class Output:
    """One written file."""

    kind: str
    path: Path
    size: int
    pages: int | None
    seconds: float


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote, what went wrong without stopping it, and what it left out to fit."""

    outputs: tuple[Output, ...]
    warnings: tuple[str, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Inputs:
    """Everything a build reads, validated."""

    source: Source
    publications: list[Publication]
    theme: Theme
    scholar: Scholar | None = None
    #: What reading found that does not stop a build (a link that cannot be made).
    warnings: tuple[str, ...] = ()
    #: The CSL styles the record and its documents name, by their ``style:`` value.
    styles: Mapping[str, Style] = field(default_factory=dict)

    def style_for(self, record: Record) -> Style | None:
        """The citation style ``record`` (or a document's record) names; None for the CV's own."""
        return self.styles.get(record.publications.style or "")

    @property
    def link_base(self) -> str | None:
        return link_base(self.source.record)


def date_from_environment(environ: dict[str, str] | None = None) -> dt.date:
    """The "last updated" date: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else today."""
    environ = dict(os.environ) if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            raise CVError.at(
                f"SOURCE_DATE_EPOCH={epoch!r} is not valid; expected whole seconds since 1970"
            ) from None
    return dt.date.today()


def read_inputs(data_dir: Path, theme: str | None = None) -> Inputs:
    """Load and validate the record, its publications and the theme.

    Raises:
        CVError: With every problem found in the record (or else in the .bib files).
    """
    source = load_record(data_dir)
    record = source.record
    options = record.publications
    highlight = owner_names(record)
    notices: list[Problem] = record_link_problems(source)
    publications = load_bibliography(
        [data_dir / name for name in options.bibtex],
        highlight=highlight,
        max_authors=options.max_authors,
        link_base=link_base(record),
        notices=notices,
    )
    notices += _owner_notice(source, publications)
    scholar = load_scholar(data_dir / options.scholar) if options.scholar else None
    styles = record_styles(source)
    notices += language_problems(source)
    warnings = tuple(str(problem) for problem in notices)
    return Inputs(source, publications, _theme(source, theme), scholar, warnings, styles)


def _owner_notice(source: Source, publications: list[Publication]) -> list[Problem]:
    """A notice when the owner is no author of any publication: nothing would be in bold."""
    unmatched = owner_unmatched(publications)
    if unmatched is None:
        return []
    name, count, total = unmatched
    highlight = source.record.publications.highlight
    if highlight == []:
        return []  # bold turned off
    if highlight is not None:
        where: tuple[str, ...] = ("publications", "highlight")
        owner = f"publications.highlight ({', '.join(repr(h) for h in highlight[:3])})"
    else:
        where, owner = ("name",), f"the owner's name {source.record.name!r}"
    message = (
        f"{owner} matches no author of the {total} publication{'s' if total != 1 else ''}, "
        f"so no name is set in bold; the name listed most is {name!r} ({count} of {total})"
    )
    hint = f"list the .bib files' spellings of your name: publications: {{highlight: [{name}]}}"
    return [source.problem(where, message, hint)]


def _theme(source: Source, name: str | None) -> Theme:
    """The theme; a problem with the one cv.yaml names is located at its ``theme:`` line."""
    try:
        return load_theme(name or source.record.theme.name, source.data_dir)
    except CVError as error:
        if name is not None or any(problem.file for problem in error.problems):
            raise
        raise CVError(
            source.problem(("theme", "name"), problem.message, problem.hint)
            for problem in error.problems
        ) from None


def check(
    data_dir: Path | str = "data", *, theme: str | None = None, strict: bool = False
) -> Inputs:
    """Validate everything a build would read, and render the HTML, without writing anything.

    Args:
        data_dir: The folder holding ``cv.yaml`` and the .bib files.
        theme: A theme name that overrides the record's ``theme.name``.
        strict: Turn what reading warns about into errors, as :func:`build` does.

    Raises:
        CVError: For any problem in the input (and, when ``strict``, any warning).
    """
    inputs = read_inputs(Path(data_dir), theme)
    refuse_warnings(inputs.warnings, strict)
    photo = photo_data_uri(inputs.source)
    record = inputs.source.record
    # The print variant runs the same templates; the web one only adds its fonts, cut to the
    # page's characters, which takes longer than the rest of a check and cannot fail on input.
    with relative_to(inputs.link_base), template_budget(), written_as(inputs, record):
        render_html(
            record,
            inputs.publications,
            inputs.theme,
            today=dt.date(2000, 1, 1),
            for_print=True,
            scholar=inputs.scholar,
        )
        content = bio_content(record, inputs.publications)
        render_bio(record, content, content.full_plan(), inputs.theme, photo=photo)
    return inputs


def build(
    data_dir: Path | str = "data",
    out_dir: Path | str = "output",
    *,
    only: Iterable[str] | None = None,
    theme: str | None = None,
    today: dt.date | None = None,
    strict: bool = False,
    progress: Callable[[str], None] | None = None,
    pdf_variant: str | None = None,
) -> BuildResult:
    """Build the outputs of a record.

    Nothing is written until every output has rendered, and each file is renamed into place,
    so a failed build leaves the previous outputs untouched.

    Args:
        data_dir: The folder holding ``cv.yaml`` and the .bib files.
        out_dir: Where to write; created when missing.
        only: Names of outputs: some of :data:`cv.outputs.OUTPUTS` and of the record's
            ``documents:``; all by default.
        theme: A theme name that overrides the record's ``theme.name``.
        today: The "last updated" date; by default from ``SOURCE_DATE_EPOCH`` or the clock.
        strict: Turn warnings (a font that failed to load, a refused resource) into errors.
        progress: Called with the name of each step as it starts (for a progress display).
        pdf_variant: Write the PDFs as one of :data:`PDF_VARIANTS`; plain tagged PDF by default.

    Raises:
        CVError: For any problem in the input, located in its file.
        UnknownOutput: ``only`` names an output the record does not have.
    """
    if pdf_variant not in (None, *PDF_VARIANTS):
        raise ValueError(
            f"unknown PDF variant {pdf_variant!r}; expected one of {', '.join(PDF_VARIANTS)}"
        )
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    step = progress or (lambda _name: None)
    today = today or date_from_environment()
    step("reading the record")
    inputs = read_inputs(data_dir, theme)
    # The record's relative links resolve as it renders; its templates share one time budget.
    with relative_to(inputs.link_base), template_budget(), written_as(inputs):
        return _build(
            inputs,
            data_dir,
            out_dir,
            only=only,
            today=today,
            strict=strict,
            step=step,
            pdf_variant=pdf_variant,
        )


def _build(
    inputs: Inputs,
    data_dir: Path,
    out_dir: Path,
    *,
    only: Iterable[str] | None,
    today: dt.date,
    strict: bool,
    step: Callable[[str], None],
    pdf_variant: str | None,
) -> BuildResult:
    """:func:`build` once the inputs are read: make the chosen outputs in turn, then write them."""
    record = inputs.source.record
    kinds = chosen_outputs(only, record)
    context = prepare(inputs, kinds, data_dir, today, pdf_variant)
    warnings = [
        *inputs.warnings,
        *hidden_sections(record),
        *glyph_warnings(inputs.source, inputs.publications),
    ]
    made = []
    for kind in kinds:
        step(kind.file)
        started = time.perf_counter()
        output = kind.make(context.for_output(kind))
        made.append((kind, output, time.perf_counter() - started))
    warnings += [
        f"{kind.file}: {message}" for kind, output, _ in made for message in output.warnings
    ]
    notes = [note for _, output, _ in made for note in output.notes]
    keep_written()  # the entries a CSL style wrote, for the next build

    refuse_warnings(warnings, strict)
    write_all_atomically([(out_dir / kind.file, output.data) for kind, output, _ in made])
    outputs = [
        Output(kind.name, out_dir / kind.file, len(output.data), output.pages, seconds)
        for kind, output, seconds in made
    ]
    return BuildResult(tuple(outputs), tuple(warnings), tuple(notes))


def refuse_warnings(warnings: Sequence[str], strict: bool) -> None:
    """Under ``--strict``, every warning is an error (each keeps its ``file:line:col``).

    Raises:
        CVError: When ``strict`` and there are warnings.
    """
    if strict and warnings:
        raise CVError(Problem(f"{w} (an error under --strict)") for w in warnings)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place."""
    write_all_atomically([(path, data)])


def write_all_atomically(files: Sequence[tuple[Path, bytes]]) -> None:
    """Write every file to a temporary file beside it, then rename them all into place.

    A failure while writing (a full disk, a folder that is a file) leaves every previous file
    as it was and no temporary file behind.

    Raises:
        CVError: Naming the file that could not be written, and why.
    """
    staged: list[tuple[str, Path]] = []
    path = Path()
    try:
        for path, data in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(
                dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
            )
            staged.append((temporary, path))
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.chmod(temporary, 0o644)
        for temporary, path in staged:
            os.replace(temporary, path)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise CVError.at(
            f"cannot write {path.name} here: {reason}; expected a writable folder", path.parent
        ) from None
    finally:
        for temporary, _ in staged:
            Path(temporary).unlink(missing_ok=True)
