"""load -> render -> pdf -> atomic writes. Returns what it wrote and how long each took."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cv.bibliography import Publication, derive_highlight, load_bibliography
from cv.bio import Plan, bio_content, bio_markdown, fit_one_page, photo_data_uri, render_bio
from cv.documents import document_publications, document_record, fit_pages, section_counts
from cv.errors import CVError, Problem
from cv.fonts import font_folders, glyph_warnings
from cv.loader import Source, load_record
from cv.model import Document, Record
from cv.render import person, render_html
from cv.scholar import Scholar, load_scholar
from cv.themes import Theme, load_theme

if TYPE_CHECKING:
    from cv.pdf import Laid, Rendered

OUTPUTS = ("cv", "bio", "html", "md")
"""What ``build`` can write, by name: cv.pdf, bio.pdf, cv.html and bio.md."""

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
    highlight = options.highlight if options.highlight is not None else derive_highlight(record.name)
    publications = load_bibliography(
        [data_dir / name for name in options.bibtex],
        highlight=highlight,
        max_authors=options.max_authors,
    )
    scholar = load_scholar(data_dir / options.scholar) if options.scholar else None
    return Inputs(source, publications, _theme(source, theme), scholar)


def _theme(source: Source, name: str | None) -> Theme:
    """The theme; a problem with the one cv.yaml names is located at its ``theme:`` line."""
    try:
        return load_theme(name or source.record.theme.name, source.data_dir)
    except CVError as error:
        if name is not None or any(problem.file for problem in error.problems):
            raise
        raise CVError(source.problem(("theme", "name"), problem.message, problem.hint)
                      for problem in error.problems) from None  # fmt: skip


def check(data_dir: Path | str = "data", *, theme: str | None = None) -> Inputs:
    """Validate everything a build would read, and render the HTML, without writing anything."""
    inputs = read_inputs(Path(data_dir), theme)
    photo_data_uri(inputs.source)
    render_html(inputs.source.record, inputs.publications, inputs.theme,
                today=dt.date(2000, 1, 1), for_print=False, scholar=inputs.scholar)  # fmt: skip
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
        only: Some of :data:`OUTPUTS` and of the record's ``documents:``; all by default.
        theme: A theme name that overrides the record's ``theme.name``.
        today: The "last updated" date; by default from ``SOURCE_DATE_EPOCH`` or the clock.
        strict: Turn warnings (a font that failed to load, a refused resource) into errors.
        progress: Called with the name of each step as it starts (for a progress display).
        pdf_variant: Write the PDFs as one of :data:`PDF_VARIANTS`; plain tagged PDF by default.

    Raises:
        CVError: For any problem in the input, located in its file.
    """
    if pdf_variant not in (None, *PDF_VARIANTS):
        raise ValueError(f"unknown PDF variant {pdf_variant!r}; expected one of {', '.join(PDF_VARIANTS)}")
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    step = progress or (lambda _name: None)
    today = today or date_from_environment()
    step("reading the record")
    inputs = read_inputs(data_dir, theme)
    record = inputs.source.record
    kinds = _outputs(only, record.documents)
    photo = photo_data_uri(inputs.source) if "bio" in kinds else None  # a bad one fails before any PDF

    rendered: list[tuple[str, str, bytes, int | None, float]] = []
    warnings: list[str] = glyph_warnings(inputs.source, inputs.publications)
    if "cv" in kinds:
        from cv.pdf import write_pdf  # WeasyPrint is imported only when a PDF is made

        step("cv.pdf")
        started = time.perf_counter()
        html = render_html(record, inputs.publications, inputs.theme, today=today,
                           scholar=inputs.scholar)  # fmt: skip
        roots = [data_dir, *inputs.theme.folders, *font_folders()]
        pdf = write_pdf(html, base_url=data_dir, roots=roots, variant=pdf_variant)
        warnings += [f"cv.pdf: {message}" for message in pdf.warnings]
        rendered.append(("cv", "cv.pdf", pdf.data, pdf.pages, time.perf_counter() - started))
    notes: list[str] = []
    if "bio" in kinds or "md" in kinds:
        citations = inputs.scholar.by_key(inputs.publications) if inputs.scholar else None
        content = bio_content(record, inputs.publications, citations)
    if "bio" in kinds:
        from cv.pdf import layout

        step("bio.pdf")
        started = time.perf_counter()
        roots = [data_dir, *inputs.theme.folders, *font_folders()]

        def lay_out(plan: Plan, measure: bool) -> Laid:
            html = render_bio(record, content, plan, inputs.theme, photo=photo, measure=measure)
            return layout(html, base_url=data_dir, roots=roots)

        fitted = fit_one_page(content, lay_out, inputs.source)
        pdf = fitted.layout.to_pdf(pdf_variant)
        warnings += [f"bio.pdf: {message}" for message in pdf.warnings]
        notes += fitted.notes
        rendered.append(("bio", "bio.pdf", pdf.data, pdf.pages, time.perf_counter() - started))
    if "html" in kinds:
        step("cv.html")
        started = time.perf_counter()
        html = render_html(record, inputs.publications, inputs.theme, today=today, for_print=False,
                           scholar=inputs.scholar)  # fmt: skip
        rendered.append(("html", "cv.html", html.encode("utf-8"), None, time.perf_counter() - started))
    for name, document in record.documents.items():
        if name in kinds:
            step(f"{name}.pdf")
            started = time.perf_counter()
            pdf, document_notes = _document_pdf(name, document, inputs, data_dir, today, pdf_variant)
            warnings += [f"{name}.pdf: {message}" for message in pdf.warnings]
            notes += document_notes
            rendered.append((name, f"{name}.pdf", pdf.data, pdf.pages, time.perf_counter() - started))
    if "md" in kinds:
        started = time.perf_counter()
        links = [(link.text, link.url) for link in person(record)["contacts"]]
        text = bio_markdown(record, content, links)
        rendered.append(("md", "bio.md", text.encode("utf-8"), None, time.perf_counter() - started))

    if strict and warnings:
        raise CVError(Problem(f"{w} (an error under --strict)") for w in warnings)
    outputs = []
    out_dir.mkdir(parents=True, exist_ok=True)
    for kind, name, data, pages, seconds in rendered:
        path = out_dir / name
        write_atomically(path, data)
        outputs.append(Output(kind, path, len(data), pages, seconds))
    return BuildResult(tuple(outputs), tuple(warnings), tuple(notes))


class UnknownOutput(ValueError):
    """``only`` names an output that is neither built-in nor one of the record's documents."""


def _outputs(only: Iterable[str] | None, documents: Iterable[str]) -> list[str]:
    known = [*OUTPUTS, *documents]
    if only is None:
        return known
    kinds = [kind.strip() for kind in only if kind.strip()]
    unknown = [kind for kind in kinds if kind not in known]
    if unknown or not kinds:
        raise UnknownOutput(f"unknown output {', '.join(unknown) or 'none'}; expected some of: {', '.join(known)}")
    return kinds


def _document_pdf(
    name: str, document: Document, inputs: Inputs, data_dir: Path, today: dt.date,
    variant: str | None = None,
) -> tuple[Rendered, tuple[str, ...]]:
    """Render one of the record's ``documents:``, within its page limit."""
    from cv.pdf import layout

    record = document_record(inputs.source.record, document)
    publications = document_publications(inputs.publications, document)
    roots = [data_dir, *inputs.theme.folders, *font_folders()]

    def lay_out(shown: Record) -> Laid:
        html = render_html(shown, publications, inputs.theme, today=today, scholar=inputs.scholar,
                           title=document.title or "Curriculum Vitae")  # fmt: skip
        return layout(html, base_url=data_dir, roots=roots)

    if document.pages is None:
        return lay_out(record).to_pdf(variant), ()
    counts = section_counts(record, publications)
    fitted = fit_pages(name, record, counts, document.pages, lay_out, inputs.source)
    return fitted.layout.to_pdf(variant), fitted.notes


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
