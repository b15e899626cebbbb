"""What a build can write: each output registered once, with its file, needs and maker.

An output is an :class:`OutputKind`: its name (for ``--only``), the file it writes, what it
needs prepared (:data:`NEEDS`) and the function that makes its bytes from a :class:`Context`.
The built-in outputs are :data:`OUTPUTS`; each of the record's ``documents:`` is one more
(:func:`document_output`). A build prepares what the chosen outputs need, and a maker gets
only that: using anything it did not declare is a bug (:class:`UndeclaredNeed`), raised even
when another output of the same build prepared it.

Everything heavy (Jinja, WeasyPrint) is imported inside the makers, so that the command line
can read the registry for its help at no cost.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from cv.citation import using_style
from cv.fonts import font_folders
from cv.i18n import language

if TYPE_CHECKING:
    from cv.bio import BioContent
    from cv.builder import Inputs
    from cv.model import Document, Record
    from cv.pdf import Laid, Rendered

NEEDS = ("photo", "bio", "pdf")
"""What an output may need, in the order a build prepares it: ``photo``, the bio's photo (read
first, so that a bad one fails before any PDF is laid out); ``bio``, the bio's content (chosen
once for bio.pdf and bio.md); ``pdf``, WeasyPrint, to lay out and write PDFs."""


class UndeclaredNeed(RuntimeError):
    """A maker used something its output does not declare in ``needs``: a bug in the registry."""


@dataclass(frozen=True)
class Made:
    """An output's bytes in memory, before anything is written."""

    data: bytes
    pages: int | None = None
    warnings: tuple[str, ...] = ()
    #: What was left out to fit (the bio's one page, a document's page limit).
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Context:
    """What makers make outputs from: the inputs, and what was prepared for them.

    Build it with :func:`prepare`. A maker reads what it declared through :meth:`bio`,
    :meth:`photo`, :meth:`layout` and :meth:`write_pdf`; the rest is read freely.
    """

    inputs: Inputs
    data_dir: Path
    today: dt.date
    pdf_variant: str | None = None
    #: The needs prepared for the output being made (:meth:`for_output` narrows them).
    needs: frozenset[str] = frozenset()
    prepared_bio: BioContent | None = None
    prepared_photo: str | None = None

    @property
    def record(self) -> Record:
        return self.inputs.source.record

    @property
    def roots(self) -> list[Path]:
        """The folders a PDF may read files from (the sandbox's roots)."""
        return [self.data_dir, *self.inputs.theme.folders, *font_folders()]

    def for_output(self, kind: OutputKind) -> Context:
        """This context with only what ``kind`` declares it needs."""
        return Context(
            self.inputs,
            self.data_dir,
            self.today,
            self.pdf_variant,
            kind.needs,
            self.prepared_bio if "bio" in kind.needs else None,
            self.prepared_photo if "photo" in kind.needs else None,
        )

    def bio(self) -> BioContent:
        """The bio's content (need ``bio``)."""
        self._need("bio")
        assert self.prepared_bio is not None
        return self.prepared_bio

    def photo(self) -> str | None:
        """The bio's photo as a data URI, or None without one (need ``photo``)."""
        self._need("photo")
        return self.prepared_photo

    def layout(self, html: str) -> Laid:
        """``html`` laid out into pages, reading only from :attr:`roots` (need ``pdf``)."""
        self._need("pdf")
        from cv.pdf import layout  # WeasyPrint is imported only when a PDF is made

        return layout(html, base_url=self.data_dir, roots=self.roots)

    def write_pdf(self, html: str) -> Rendered:
        """``html`` laid out and written as a PDF of :attr:`pdf_variant` (need ``pdf``)."""
        self._need("pdf")
        from cv.pdf import write_pdf

        return write_pdf(html, base_url=self.data_dir, roots=self.roots, variant=self.pdf_variant)

    def _need(self, name: str) -> None:
        if name not in self.needs:
            raise UndeclaredNeed(f"a maker used {name!r}, which its output does not declare")


@dataclass(frozen=True)
class OutputKind:
    """One output a build can write.

    Raises:
        ValueError: ``needs`` names something that is not one of :data:`NEEDS`.
    """

    name: str
    file: str
    needs: frozenset[str]
    make: Callable[[Context], Made]

    def __post_init__(self) -> None:
        unknown = sorted(self.needs - set(NEEDS))
        if unknown:
            raise ValueError(
                f"output {self.name!r} needs {', '.join(unknown)}; "
                f"expected some of: {', '.join(NEEDS)}"
            )


def prepare(
    inputs: Inputs,
    kinds: Sequence[OutputKind],
    data_dir: Path,
    today: dt.date,
    pdf_variant: str | None = None,
) -> Context:
    """What ``kinds`` need, prepared once for all of them, in the order of :data:`NEEDS`.

    Raises:
        CVError: A problem with the photo.
    """
    needs = frozenset().union(*(kind.needs for kind in kinds))
    photo = bio = None
    if "photo" in needs:
        from cv.bio import photo_data_uri

        photo = photo_data_uri(inputs.source)
    if "bio" in needs:
        from cv.bio import bio_content

        citations = inputs.scholar.by_key(inputs.publications) if inputs.scholar else None
        bio = bio_content(inputs.source.record, inputs.publications, citations)
    return Context(inputs, data_dir, today, pdf_variant, needs, bio, photo)


@contextlib.contextmanager
def written_as(inputs: Inputs, record: Record | None = None) -> Iterator[None]:
    """Make what is inside in ``record``'s language and citation style (the record's if None).

    A document with its own ``lang`` or ``publications.style`` sets them again for itself.
    """
    record = record or inputs.source.record
    with language(record.lang), using_style(inputs.style_for(record)):
        yield


# --- the makers ----------------------------------------------------------------------------


def make_cv_pdf(context: Context) -> Made:
    """cv.pdf: the record in print."""
    from cv.render import render_html

    inputs = context.inputs
    html = render_html(
        context.record,
        inputs.publications,
        inputs.theme,
        today=context.today,
        scholar=inputs.scholar,
    )
    pdf = context.write_pdf(html)
    return Made(pdf.data, pdf.pages, pdf.warnings)


def make_bio_pdf(context: Context) -> Made:
    """bio.pdf: one page, shortened until it fits."""
    from cv.bio import Plan, fit_one_page, render_bio

    content, photo, theme = context.bio(), context.photo(), context.inputs.theme

    def lay_out(plan: Plan, measure: bool) -> Laid:
        html = render_bio(context.record, content, plan, theme, photo=photo, measure=measure)
        return context.layout(html)

    fitted = fit_one_page(content, lay_out, context.inputs.source)
    pdf = fitted.layout.to_pdf(context.pdf_variant)
    return Made(pdf.data, pdf.pages, pdf.warnings, fitted.notes)


def make_cv_html(context: Context) -> Made:
    """cv.html: the record as a web page."""
    from cv.render import render_html

    inputs = context.inputs
    html = render_html(
        context.record,
        inputs.publications,
        inputs.theme,
        today=context.today,
        for_print=False,
        scholar=inputs.scholar,
    )
    return Made(html.encode("utf-8"))


def make_bio_md(context: Context) -> Made:
    """bio.md: the bio in Markdown, for a homepage."""
    from cv.bio import bio_markdown
    from cv.render import person

    links = [(link.text, link.url) for link in person(context.record)["contacts"]]
    return Made(bio_markdown(context.record, context.bio(), links).encode("utf-8"))


def make_cv_docx(context: Context) -> Made:
    """cv.docx: the record in Word, for forms that take nothing else."""
    from cv.docx import docx_warnings, theme_style, write_docx

    inputs = context.inputs
    style = theme_style(inputs.theme, context.record)
    data = write_docx(
        context.record, inputs.publications, inputs.scholar, context.today, style=style
    )
    return Made(data, warnings=docx_warnings(inputs.theme))


def make_document_pdf(name: str, document: Document, context: Context) -> Made:
    """One of the record's ``documents:``, within its page limit."""
    from cv.documents import document_publications, document_record, fit_pages, section_counts
    from cv.render import render_html

    inputs = context.inputs
    record = document_record(inputs.source.record_in(document.lang), document)
    publications = document_publications(inputs.publications, document)

    def lay_out(shown: Record) -> Laid:
        with written_as(inputs, shown):
            html = render_html(
                shown,
                publications,
                inputs.theme,
                today=context.today,
                scholar=inputs.scholar,
                title=document.title,
            )
        return context.layout(html)

    notes: tuple[str, ...] = ()
    if document.pages is None:
        laid = lay_out(record)
    else:
        counts = section_counts(record, publications)
        fitted = fit_pages(name, record, counts, document.pages, lay_out, inputs.source)
        laid, notes = fitted.layout, fitted.notes
    pdf = laid.to_pdf(context.pdf_variant)
    return Made(pdf.data, pdf.pages, pdf.warnings, notes)


# --- the registry --------------------------------------------------------------------------

OUTPUTS = (
    OutputKind("cv", "cv.pdf", frozenset({"pdf"}), make_cv_pdf),
    OutputKind("bio", "bio.pdf", frozenset({"photo", "bio", "pdf"}), make_bio_pdf),
    OutputKind("html", "cv.html", frozenset(), make_cv_html),
    OutputKind("md", "bio.md", frozenset({"bio"}), make_bio_md),
)
"""The built-in outputs, by name: cv.pdf, bio.pdf, cv.html and bio.md."""

OPT_IN_OUTPUTS = (OutputKind("docx", "cv.docx", frozenset(), make_cv_docx),)
"""Built-in outputs made only when ``only`` names them: cv.docx."""


def document_output(name: str, document: Document) -> OutputKind:
    """The output of one of the record's ``documents:``: ``NAME.pdf``."""
    return OutputKind(
        name, f"{name}.pdf", frozenset({"pdf"}), partial(make_document_pdf, name, document)
    )


def outputs_of(record: Record) -> list[OutputKind]:
    """Every output of ``record``, in the order a build makes and reports them.

    The built-in ones, with the documents (variants of the CV) after the CV's own files and
    bio.md last.
    """
    *cv_files, markdown = OUTPUTS  # bio.md is written last, after the documents
    documents = [document_output(name, document) for name, document in record.documents.items()]
    return [*cv_files, *documents, markdown]


class UnknownOutput(ValueError):
    """``only`` names an output that is neither built-in nor one of the record's documents."""


def chosen_outputs(only: Iterable[str] | None, record: Record) -> list[OutputKind]:
    """The outputs of ``record`` that ``only`` names (all of them for None), in build order.

    Raises:
        UnknownOutput: ``only`` names none, or one the record does not have.
    """
    every = outputs_of(record)
    if only is None:
        return every
    every += OPT_IN_OUTPUTS
    known = [kind.name for kind in (*OUTPUTS, *OPT_IN_OUTPUTS)] + list(record.documents)
    names = [name.strip() for name in only if name.strip()]
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        raise UnknownOutput(
            f"unknown output {', '.join(unknown) or 'none'}; expected some of: {', '.join(known)}"
        )
    return [kind for kind in every if kind.name in names]
