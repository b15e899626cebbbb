"""load -> render -> pdf -> atomic writes. Returns what it wrote and how long each took."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from cv.bibliography import Publication, derive_highlight, load_bibliography
from cv.bio import Plan, bio_content, bio_markdown, fit_one_page, photo_data_uri, render_bio
from cv.documents import document_publications, document_record, fit_pages, section_counts
from cv.errors import CVError, Problem
from cv.fonts import font_folders, glyph_warnings
from cv.links import link_base, record_link_problems
from cv.loader import Source, load_record
from cv.markup import relative_to
from cv.model import Document, Record
from cv.parallel import Forked, can_fork, pdf_worker
from cv.render import hidden_sections, person, render_html
from cv.sandbox import budget as template_budget
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
    #: What reading found that does not stop a build (a link that cannot be made).
    warnings: tuple[str, ...] = ()

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
    highlight = (
        options.highlight if options.highlight is not None else derive_highlight(record.name)
    )
    notices: list[Problem] = record_link_problems(source)
    publications = load_bibliography(
        [data_dir / name for name in options.bibtex],
        highlight=highlight,
        max_authors=options.max_authors,
        link_base=link_base(record),
        notices=notices,
    )
    scholar = load_scholar(data_dir / options.scholar) if options.scholar else None
    warnings = tuple(str(problem) for problem in notices)
    return Inputs(source, publications, _theme(source, theme), scholar, warnings)


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


def check(data_dir: Path | str = "data", *, theme: str | None = None) -> Inputs:
    """Validate everything a build would read, and render the HTML, without writing anything."""
    inputs = read_inputs(Path(data_dir), theme)
    photo = photo_data_uri(inputs.source)
    record = inputs.source.record
    # The print variant runs the same templates; the web one only adds its fonts, cut to the
    # page's characters, which takes longer than the rest of a check and cannot fail on input.
    with relative_to(inputs.link_base), template_budget():
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
        raise ValueError(
            f"unknown PDF variant {pdf_variant!r}; expected one of {', '.join(PDF_VARIANTS)}"
        )
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    step = progress or (lambda _name: None)
    today = today or date_from_environment()
    step("reading the record")
    inputs = read_inputs(data_dir, theme)
    # The record's relative links resolve as it renders; its templates share one time budget.
    with relative_to(inputs.link_base), template_budget():
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
    """:func:`build` once the inputs are read."""
    record = inputs.source.record
    kinds = _outputs(only, record.documents)
    # A bad photo fails before any PDF is made.
    photo = photo_data_uri(inputs.source) if "bio" in kinds else None

    content = None
    if "bio" in kinds or "md" in kinds:
        citations = inputs.scholar.by_key(inputs.publications) if inputs.scholar else None
        content = bio_content(record, inputs.publications, citations)
    roots = [data_dir, *inputs.theme.folders, *font_folders()]

    def cv_print_html() -> str:
        return render_html(
            record, inputs.publications, inputs.theme, today=today, scholar=inputs.scholar
        )

    def cv_pdf() -> _Made:
        from cv.pdf import write_pdf  # WeasyPrint is imported only when a PDF is made

        pdf = write_pdf(cv_print_html(), base_url=data_dir, roots=roots, variant=pdf_variant)
        return _Made("cv", "cv.pdf", pdf.data, pdf.pages, pdf.warnings)

    def bio_pdf() -> _Made:
        from cv.pdf import layout

        assert content is not None

        def lay_out(plan: Plan, measure: bool) -> Laid:
            html = render_bio(record, content, plan, inputs.theme, photo=photo, measure=measure)
            return layout(html, base_url=data_dir, roots=roots)

        fitted = fit_one_page(content, lay_out, inputs.source)
        pdf = fitted.layout.to_pdf(pdf_variant)
        return _Made("bio", "bio.pdf", pdf.data, pdf.pages, pdf.warnings, fitted.notes)

    def cv_html() -> _Made:
        html = render_html(
            record,
            inputs.publications,
            inputs.theme,
            today=today,
            for_print=False,
            scholar=inputs.scholar,
        )
        return _Made("html", "cv.html", html.encode("utf-8"))

    def document_pdf(name: str, document: Document) -> Callable[[], _Made]:
        def make() -> _Made:
            pdf, notes = _document_pdf(name, document, inputs, data_dir, today, pdf_variant)
            return _Made(name, f"{name}.pdf", pdf.data, pdf.pages, pdf.warnings, notes)

        return make

    def bio_md() -> _Made:
        assert content is not None
        links = [(link.text, link.url) for link in person(record)["contacts"]]
        return _Made("md", "bio.md", bio_markdown(record, content, links).encode("utf-8"))

    pdfs: list[tuple[str, Callable[[], _Made]]] = []
    if "cv" in kinds:
        pdfs.append(("cv.pdf", cv_pdf))
    if "bio" in kinds:
        pdfs.append(("bio.pdf", bio_pdf))
    pdfs += [
        (f"{name}.pdf", document_pdf(name, document))
        for name, document in record.documents.items()
        if name in kinds
    ]
    others: list[tuple[str, Callable[[], _Made]]] = []
    if "html" in kinds:
        others.append(("cv.html", cv_html))
    if "md" in kinds:
        others.append(("bio.md", bio_md))
    with pdf_worker("cv" in kinds) as worker:
        if worker is not None:  # started by the CLI, it imported WeasyPrint meanwhile
            step("cv.pdf")
            worker.submit(cv_print_html(), base_url=data_dir, roots=roots, variant=pdf_variant)
            pdfs = pdfs[1:]  # everything else is made here while the worker lays out the CV
        warnings = [
            *inputs.warnings,
            *hidden_sections(record),
            *glyph_warnings(inputs.source, inputs.publications),
        ]
        by_name = _make_all(pdfs, others, step, record.lang, fork=worker is None)
        if worker is not None:
            cv = worker.result()
            by_name["cv.pdf"] = _Made(
                "cv", "cv.pdf", cv.data, cv.pages, cv.warnings, seconds=cv.seconds
            )
    order = [
        "cv.pdf",
        "bio.pdf",
        "cv.html",
        *(f"{name}.pdf" for name in record.documents),
        "bio.md",
    ]
    made = [by_name[name] for name in order if name in by_name]
    warnings += [f"{m.name}: {message}" for m in made for message in m.warnings]
    notes = [note for m in made for note in m.notes]
    rendered = [(m.kind, m.name, m.data, m.pages, m.seconds) for m in made]

    if strict and warnings:
        raise CVError(Problem(f"{w} (an error under --strict)") for w in warnings)
    write_all_atomically([(out_dir / name, data) for _, name, data, _, _ in rendered])
    outputs = [
        Output(kind, out_dir / name, len(data), pages, seconds)
        for kind, name, data, pages, seconds in rendered
    ]
    return BuildResult(tuple(outputs), tuple(warnings), tuple(notes))


@dataclass(frozen=True)
class _Made:
    """One output in memory, before anything is written."""

    kind: str
    name: str
    data: bytes
    pages: int | None = None
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    seconds: float = 0.0


def _make_all(
    pdfs: list[tuple[str, Callable[[], _Made]]],
    others: list[tuple[str, Callable[[], _Made]]],
    step: Callable[[str], None],
    lang: str,
    *,
    fork: bool = True,
) -> dict[str, _Made]:
    """Make every output; with two PDFs or more, all but the first in a forked child.

    The first PDF is the CV when it is built, the longest to lay out: the bio and the documents
    are laid out beside it (:mod:`cv.parallel`), so that on two cores a build of the CV and the
    bio takes about as long as the CV alone. The child is forked once WeasyPrint is imported
    and the hyphenation patterns are read, which it then need not do again. Where forking is
    not safe (:func:`cv.parallel.can_fork`), or not ``fork`` (a :class:`~cv.parallel.PdfWorker`
    already lays out the CV on the other core), everything is made here in turn.
    """
    beside = pdfs[1:] if fork and len(pdfs) > 1 and can_fork() else []
    if not beside:
        return {name: _timed(name, job, step) for name, job in [*pdfs, *others]}
    from cv import pdf

    pdf.load_hyphenation(lang)
    jobs = [partial(_timed, name, job) for name, job in beside]
    try:
        child = Forked(jobs, finish=pdf.release_font_configuration)
    except OSError:  # no process to spare: everything here, in turn
        return _make_all(pdfs, others, step, lang, fork=False)
    for name, _ in beside:
        step(name)
    with child:
        made = {name: _timed(name, job, step) for name, job in [pdfs[0], *others]}
        made.update(zip([name for name, _ in beside], child.results(), strict=True))
    return made


def _timed(name: str, job: Callable[[], _Made], step: Callable[[str], None] | None = None) -> _Made:
    if step is not None:
        step(name)
    started = time.perf_counter()
    made = job()
    return replace(made, seconds=time.perf_counter() - started)


class UnknownOutput(ValueError):
    """``only`` names an output that is neither built-in nor one of the record's documents."""


def _outputs(only: Iterable[str] | None, documents: Iterable[str]) -> list[str]:
    known = [*OUTPUTS, *documents]
    if only is None:
        return known
    kinds = [kind.strip() for kind in only if kind.strip()]
    unknown = [kind for kind in kinds if kind not in known]
    if unknown or not kinds:
        raise UnknownOutput(
            f"unknown output {', '.join(unknown) or 'none'}; expected some of: {', '.join(known)}"
        )
    return kinds


def _document_pdf(
    name: str,
    document: Document,
    inputs: Inputs,
    data_dir: Path,
    today: dt.date,
    variant: str | None = None,
) -> tuple[Rendered, tuple[str, ...]]:
    """Render one of the record's ``documents:``, within its page limit."""
    from cv.pdf import layout

    record = document_record(inputs.source.record, document)
    publications = document_publications(inputs.publications, document)
    roots = [data_dir, *inputs.theme.folders, *font_folders()]

    def lay_out(shown: Record) -> Laid:
        html = render_html(
            shown,
            publications,
            inputs.theme,
            today=today,
            scholar=inputs.scholar,
            title=document.title or "Curriculum Vitae",
        )
        return layout(html, base_url=data_dir, roots=roots)

    if document.pages is None:
        return lay_out(record).to_pdf(variant), ()
    counts = section_counts(record, publications)
    fitted = fit_pages(name, record, counts, document.pages, lay_out, inputs.source)
    return fitted.layout.to_pdf(variant), fitted.notes


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
