"""Publications -> citations: the one formatter behind the CV, cv.html, the bio and the exports.

A style turns a :class:`~cv.bibliography.Publication` (the fields its BibTeX entry gave) into a
:class:`Citation`, the parts a citation is made of, and writes those parts as safe HTML: the
author line, the venue and the line the CV shows under the authors. Plain text and Markdown
are made from that HTML (:func:`to_text`, :func:`to_markdown`), so every output shows the same
words. :data:`DEFAULT_STYLE` is the CV's own look; another style (a CSL style family, say) is
any object with the methods of :class:`Style`, passed where a citation is formatted.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any, Protocol

from markupsafe import Markup, escape

from cv.i18n import word

if TYPE_CHECKING:
    from cv.bibliography import Link, Publication
    from cv.names import Author

__all__ = [
    "DEFAULT_STYLE",
    "CVStyle",
    "Citation",
    "Formatted",
    "Style",
    "current_style",
    "format_citation",
    "resume_fields",
    "to_markdown",
    "to_text",
    "using_style",
]


@dataclass(frozen=True)
class Citation:
    """A publication in the parts a citation is made of; text parts are safe HTML ("" if none).

    Attributes:
        key: The BibTeX key.
        authors: The author list as shown (shortened, with marks and the owner).
        editors: The editors, of the book or proceedings the work is in or of the work itself.
        title: The title.
        container: Where it appeared: a journal, proceedings or book, a thesis's school.
        contained: The work is a part of ``container`` (a paper "In" proceedings, a chapter).
        details: Where in the container or which edition: "12(3), 1–20", "vol. 37, pp. 1–9".
        venue: ``container`` and ``details`` as one phrase, the short form every output shows;
            for a work that is its own container (a book), its details and imprint.
        imprint: Publisher and address, when the container does not already name them.
        date: The year, or "forthcoming".
        year: The year as a number, if any.
        month: The month as a number, if any.
        note: BibTeX's ``note``.
        links: The links, the work's own first.
        text: The whole entry as a style that writes entries whole (a CSL style) wrote it.
    """

    key: str
    authors: tuple[Author, ...]
    editors: tuple[Author, ...]
    title: Markup
    container: Markup
    contained: bool
    details: Markup
    venue: Markup
    imprint: Markup
    date: str
    year: int | None
    month: int | None
    note: Markup
    links: tuple[Link, ...]
    text: Markup = Markup("")


@dataclass(frozen=True)
class Formatted:
    """A citation as a style wrote it: its parts and its lines, each safe HTML.

    Attributes:
        citation: The parts.
        author_line: The authors, or the editors marked "(eds.)".
        venue_line: What the CV shows under the authors: venue, editors, imprint, date, note.
        reference: The whole citation on one line (the bio's list of publications).
        entry: The whole citation, when the style writes entries whole (a CSL style) and the
            CV shows it in place of the title, author and venue lines; "" otherwise.
    """

    citation: Citation
    author_line: Markup
    venue_line: Markup
    reference: Markup
    entry: Markup = Markup("")


class Style(Protocol):
    """A citation style: the parts a publication's citation has, and how they are written.

    ``whole`` is true for a style that writes each entry as one reference (a CSL style): the
    CV then shows that reference in place of its title, author and venue lines.
    """

    whole: bool

    def cite(self, publication: Publication) -> Citation:
        """The parts of ``publication``'s citation."""
        ...

    def author_line(self, citation: Citation) -> Markup:
        """The authors (or the editors, marked as such) as one line of HTML."""
        ...

    def venue_line(self, citation: Citation) -> Markup:
        """The CV's line under the authors: where, by whom edited and published, when."""
        ...

    def reference(self, citation: Citation) -> Markup:
        """The whole citation on one line of HTML."""
        ...


_STYLE: ContextVar[Style | None] = ContextVar("cv_citation_style", default=None)


@contextlib.contextmanager
def using_style(style: Style | None) -> Iterator[None]:
    """Make ``style`` the style of the citations formatted inside the ``with`` block.

    The build sets it once per document (its ``publications.style``), so that the CV, the bio
    and the exports all cite in the document's style without passing it through each caller.
    """
    token = _STYLE.set(style)
    try:
        yield
    finally:
        _STYLE.reset(token)


def current_style() -> Style:
    """The style of the document being made (:data:`DEFAULT_STYLE` outside :func:`using_style`)."""
    return _STYLE.get() or DEFAULT_STYLE


def format_citation(publication: Publication, style: Style | None = None) -> Formatted:
    """Format ``publication`` in ``style`` (the current one, :func:`current_style`, if none)."""
    style = style or current_style()
    citation = style.cite(publication)
    reference = style.reference(citation)
    return Formatted(
        citation,
        style.author_line(citation),
        style.venue_line(citation),
        reference,
        reference if style.whole else Markup(""),
    )


# --- the CV's style ---------------------------------------------------------------------------

#: Entry types whose title is the whole volume: there is no container to name.
_BOOKS = ("book", "mvbook", "collection", "mvcollection", "proceedings", "mvproceedings", "inbook")
_THESES = {"phdthesis": "phd_thesis", "mastersthesis": "masters_thesis", "thesis": ""}
_REPORTS = ("techreport", "report")
_LINK_TEXT = re.compile(r"https?://|www\.", re.I)
_RANGE = re.compile(r"(?<=\w)\s*(?:-+|–|—)\s*(?=\w)")


class CVStyle:
    """The CV's own look: the venue in italics, then the editors, the imprint and the year.

    A journal article: *Journal of Things 12(3), 1–20*, 2024. A paper in proceedings: In
    *Proceedings of X, vol. 37, no. 6, pp. 1–9*, edited by A and B, Publisher, 2023. A thesis:
    *PhD thesis, School*, 2024. A book: 2nd ed., Publisher, Address, 2020.

    Its fixed words ("In", "edited by", "vol.", "PhD thesis") are in the current language
    (:mod:`cv.i18n`).
    """

    whole = False

    def cite(self, publication: Publication) -> Citation:
        p = publication
        container, contained, details, venue, used = _where(p)
        imprint = Markup("")
        if p.kind not in ("journal", "preprint"):  # a journal's publisher is not how it is cited
            shown = {name.casefold() for name in used}
            imprint = _join(*(x for x in (p.publisher, p.address) if x.casefold() not in shown))
        if not container and imprint:  # a book: its publisher is where it appeared
            venue = _join(venue, imprint)
        return Citation(
            key=p.key,
            authors=p.authors,
            editors=p.editors,
            title=p.title,
            container=container,
            contained=contained,
            details=details,
            venue=venue,
            imprint=imprint,
            date=str(p.year) if p.year else word("forthcoming"),
            year=p.year,
            month=p.month,
            note=escape(p.note),
            links=p.links,
        )

    def author_line(self, citation: Citation) -> Markup:
        if citation.authors:
            return _names(citation.authors)
        if citation.editors:
            role = word("editor") if len(citation.editors) == 1 else word("editors")
            return Markup("{} ({})").format(_names(citation.editors, _last(citation.editors)), role)
        return Markup("")

    def venue_line(self, citation: Citation) -> Markup:
        c = citation
        where = Markup("")
        if c.container:
            # Only the journal's or the proceedings' name is italic, not "34(3), 909–922".
            after = Markup(c.venue[len(c.container) :]) if c.venue.startswith(c.container) else None
            emphasised, rest = (c.container, after) if after is not None else (c.venue, "")
            where = Markup("{}<em>{}</em>{}").format(
                word("in") + " " if c.contained else "", emphasised, rest
            )
        elif c.details:
            where = c.details  # the imprint follows on its own
        edited = Markup("")
        if c.authors and c.editors:
            edited = Markup("{} {}").format(word("edited_by"), _names(c.editors, _last(c.editors)))
        line = Markup("{}.").format(_join(where, edited, c.imprint, c.date))
        if c.note:
            line = Markup("{} {}").format(line, _sentence(c.note))
        return line

    def reference(self, citation: Citation) -> Markup:
        c = citation
        title = Markup("<em>{}</em>").format(c.title.striptags())
        parts = [self.author_line(c), title, _join(c.venue, c.date)]
        return Markup(" ").join(_sentence(part) for part in parts if part)


DEFAULT_STYLE: Style = CVStyle()
"""The style every output uses unless it is given another."""


def _where(p: Publication) -> tuple[Markup, bool, Markup, Markup, list[str]]:
    """Container, contained, details, venue, and the names the container used (as text)."""
    if p.journal:
        volume = _volume_issue(p)
        pages = escape(_pages(p.pages))
        head = Markup("{} {}").format(p.journal, volume) if volume else p.journal
        details = _join(volume, pages)
        return p.journal, False, details, _join(head, pages), []
    if p.booktitle:
        details = _join(
            _edition(p.edition),
            _volume_series(p),
            Markup("{} {}").format(word("number"), p.number) if p.number and p.volume else "",
            Markup("{} {}").format(word("chapter"), p.chapter) if p.chapter else "",
            _page_range(p.pages),
        )
        return p.booktitle, True, details, _join(p.booktitle, details), [p.booktitle.striptags()]
    if p.entry_type in _THESES:
        label = p.genre or (word(_THESES[p.entry_type]) if _THESES[p.entry_type] else "")
        school = p.school or p.institution
        container = _join(label, school)
        return container, False, Markup(""), container, [school]
    if p.entry_type in _REPORTS:
        label = " ".join(x for x in (p.genre or word("technical_report"), p.number) if x)
        institution = p.institution or p.publisher
        container = _join(label, institution)
        return container, False, Markup(""), container, [institution]
    if p.entry_type in _BOOKS:
        details = _join(
            _edition(p.edition),
            _volume_series(p),
            Markup("{} {}").format(word("chapter"), p.chapter) if p.chapter else "",
            _page_range(p.pages) if p.entry_type == "inbook" else "",
        )
        return Markup(""), False, details, details, []
    for name in ("publisher", "school", "institution", "organization", "howpublished"):
        value: str = getattr(p, name)
        if value and not _LINK_TEXT.match(value):  # a URL is a link, not a venue
            return escape(value), False, Markup(""), escape(value), [value]
    arxiv = Markup("arXiv:{}").format(p.arxiv) if p.arxiv else Markup("")
    return arxiv, False, Markup(""), arxiv, []


def _volume_issue(p: Publication) -> Markup:
    """A journal's "12(3)" or "12"; an issue without a volume is often "Preprint", not shown."""
    if p.volume:
        return Markup("{}({})").format(p.volume, p.number) if p.number else escape(p.volume)
    return Markup("")


def _volume_series(p: Publication) -> Markup:
    """A volume in its series: "vol. 162 of Series", "vol. 162" or "Series"."""
    if p.volume and p.series:
        return Markup(escape(word("volume_of"))).format(volume=p.volume, series=p.series)
    if p.volume:
        return Markup("{} {}").format(word("volume"), p.volume)
    return escape(p.series)


def _edition(edition: str) -> Markup:
    """An edition as cited: "2" -> "2nd ed.", "Second" -> "Second ed.", "3rd edition" stays."""
    edition = edition.strip()
    if not edition:
        return Markup("")
    if re.search(r"\bed(ition|\.)?$", edition, re.I):
        return escape(edition)
    english = word("edition") == word("edition", "en")
    if edition.isdigit() and english:
        number = int(edition)
        suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10)
        edition = f"{number}{suffix or 'th'}"
    return Markup(escape(word("edition"))).format(edition=edition)


def _pages(pages: str) -> str:
    """A page range with an en dash: "1--20", "1-20" -> "1–20"."""
    return _RANGE.sub("–", pages.strip())


def _page_range(pages: str) -> Markup:
    """Pages as cited: "pp. 1–20", or "p. 7" for one page."""
    pages = _pages(pages)
    if not pages:
        return Markup("")
    several = re.search(r"[–,+]", pages)
    return Markup("{} {}").format(word("pages") if several else word("page_single"), pages)


def _names(people: Sequence[Author], last: str = ", ") -> Markup:
    """An author list: the owner bold, marks raised, a left-out rest as "et al."."""
    out = Markup("")
    for index, author in enumerate(people):
        marks = Markup('<sup class="mark">{}</sup>').format(author.marks) if author.marks else ""
        if author.is_others:
            shown = word("et_al") if author.name == "et al." else author.name
            out += Markup('<span class="et-al">{}</span>').format(shown)
        elif author.is_owner:
            out += Markup('<strong class="owner">{}</strong>{}').format(author.name, marks)
        else:
            out += Markup("{}{}").format(author.name, marks)
        remaining = len(people) - index - 1
        if remaining:
            out += escape(last) if remaining == 1 else Markup(", ")
    return out


def _last(people: Sequence[Author]) -> str:
    """What stands before an editor list's last name: "A and B", "A, B, and C", "A, et al."."""
    if people[-1].is_others:
        return ", "
    and_ = word("and")
    if and_ == "and":  # English: the serial comma
        return " and " if len(people) == 2 else ", and "
    return f" {and_} "


def _join(*parts: str, sep: str = ", ") -> Markup:
    """The non-empty parts joined (plain text escaped, safe HTML kept)."""
    return Markup(sep).join(escape(part) for part in parts if part)


def _sentence(text: Markup) -> Markup:
    """``text`` ending in a full stop, unless it already ends a sentence ("et al.", "?")."""
    return text if text.striptags()[-1:] in (".", "!", "?") else Markup("{}.").format(text)


# --- plain text, Markdown, JSON Resume ------------------------------------------------------


def to_text(html: str) -> str:
    """Safe HTML of a citation -> plain text on one line (tags dropped, entities decoded)."""
    return " ".join(Markup(html).striptags().split())


_MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]]|<(?=[A-Za-z/!?])")
_MARKDOWN_TAGS = {"em": "*", "strong": "**"}


def to_markdown(html: str) -> str:
    """Safe HTML of a citation -> Markdown on one line: emphasis kept, every other tag dropped.

    Text is escaped so that nothing in it starts emphasis, a link, an image, code or raw HTML.
    """
    out: list[str] = []

    class Writer(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            out.append(_MARKDOWN_TAGS.get(tag, ""))

        def handle_endtag(self, tag: str) -> None:
            out.append(_MARKDOWN_TAGS.get(tag, ""))

        def handle_data(self, data: str) -> None:
            out.append(_MARKDOWN_SPECIAL.sub(lambda match: "\\" + match.group(), data))

    writer = Writer(convert_charrefs=True)
    writer.feed(str(html))
    writer.close()
    return " ".join("".join(out).split())


def resume_fields(formatted: Formatted) -> dict[str, Any]:
    """A JSON Resume publication's fields: ``name``, ``publisher``, ``releaseDate``, ``url``,
    ``authors`` (each name with its marks; "others" for the ones left out)."""
    c = formatted.citation
    item: dict[str, Any] = {"name": to_text(c.title)}
    if c.venue:
        item["publisher"] = to_text(c.venue)
    if c.year:
        item["releaseDate"] = f"{c.year:04d}" + (f"-{c.month:02d}" if c.month else "")
    if c.links:
        item["url"] = c.links[0].url
    authors = [("others" if a.is_others else a.name + a.marks) for a in c.authors]
    if authors:
        item["authors"] = authors
    return item
