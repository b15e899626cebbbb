"""What templates see: plain, immutable data built for them, and nothing else.

A template may come with the data (``data/theme/``), so it is given only strings, numbers,
``Markup``, tuples, lists, dicts and the view records declared here with :func:`view`: frozen
dataclasses whose fields hold the same. No ``Path``, no model object, nothing with a method that
touches a file. :func:`check_plain` enforces this on every context before a render, and the
template sandbox (:mod:`cv.sandbox`) lets a template read only the fields of a view, so that a
value added later cannot reopen what this closes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import unquote

from markupsafe import Markup

from cv.citation import Style, format_citation, to_text
from cv.i18n import format_day, format_number, in_english, word

if TYPE_CHECKING:
    from cv.bibliography import Publication, PublicationGroup
    from cv.names import Author
    from cv.scholar import Scholar

T = TypeVar("T")

VIEW_FIELDS: dict[type, frozenset[str]] = {}
"""Every view type and the names of its fields: all a template may read of it."""


def view(cls: type[T]) -> type[T]:
    """Declare a frozen dataclass a view: its fields (only) are readable by templates."""
    if not (dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen):  # type: ignore[attr-defined]
        raise TypeError(f"{cls.__name__}: a view must be a frozen dataclass")
    VIEW_FIELDS[cls] = frozenset(f.name for f in dataclasses.fields(cls))
    return cls


_LEAVES = (str, int, float, bool, type(None))  # Markup is a str


def check_plain(value: Any, where: str = "context") -> None:
    """Raise TypeError when ``value`` holds anything but plain data and views.

    A bug in cv, not a problem of the input: a template context must never carry a ``Path``,
    a model object or a function.
    """
    stack: list[tuple[Any, str]] = [(value, where)]
    seen: set[int] = set()
    while stack:
        item, path = stack.pop()
        if isinstance(item, _LEAVES):
            continue
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, tuple | list):
            stack += [(child, f"{path}[{i}]") for i, child in enumerate(item)]
        elif isinstance(item, dict | MappingProxyType):
            for key, child in item.items():
                if not isinstance(key, str):
                    raise TypeError(f"{path}: a template context key must be text, got {key!r}")
                stack.append((child, f"{path}.{key}"))
        elif type(item) in VIEW_FIELDS:
            stack += [(getattr(item, name), f"{path}.{name}") for name in VIEW_FIELDS[type(item)]]
        else:
            raise TypeError(f"{path}: templates get plain data only, not {type(item).__name__}")


# --- the views ------------------------------------------------------------------------------


@view
@dataclasses.dataclass(frozen=True)
class Link:
    """A labelled link: ``label`` names its kind (CSS class), ``text`` is shown."""

    label: str
    text: str
    url: str | None


@view
@dataclasses.dataclass(frozen=True)
class Entry:
    """One line of a dated section, ready to lay out: a date column and a body."""

    when: str
    title: Markup
    subtitle: Markup = Markup("")
    details: tuple[Markup, ...] = ()
    links: tuple[Link, ...] = ()


@view
@dataclasses.dataclass(frozen=True)
class Section:
    """A titled section of the CV and its entries (or, for about, ``extra`` only)."""

    key: str
    title: str
    entries: tuple[Any, ...] = ()
    extra: Mapping[str, Any] = dataclasses.field(default_factory=dict)


@view
@dataclasses.dataclass(frozen=True)
class PubLink:
    """A labelled link of a publication ("PDF", "Code", "arXiv", ...).

    ``identifier`` is what a printed page shows of it when the link is an identifier a reader
    can look up ("doi:10.1109/TPDS.2022.3230938", "arXiv:2401.17644"); empty for the others.
    """

    label: str
    url: str
    identifier: str = ""


def identifier(label: str, url: str) -> str:
    """The printed identifier of a DOI or arXiv link, or "" (see :class:`PubLink`)."""
    for name, prefix, shown in (
        ("DOI", "https://doi.org/", "doi:"),
        ("arXiv", "https://arxiv.org/abs/", "arXiv:"),
    ):
        if label == name and url.startswith(prefix):
            return shown + unquote(url[len(prefix) :])
    return ""


@view
@dataclasses.dataclass(frozen=True)
class AuthorView:
    """One name of an author list: shown as ``name``, bold when ``is_owner``."""

    name: str
    is_owner: bool = False
    marks: str = ""
    is_others: bool = False


@view
@dataclasses.dataclass(frozen=True)
class PublicationView:
    """A publication as templates show it, its citation written by the style.

    ``title``, ``venue``, ``author_line`` and ``venue_line`` are safe HTML; ``venue_line`` is
    all the CV shows under the authors (venue, editors, imprint, year, note).
    """

    key: str
    entry_type: str
    kind: str
    title: Markup
    authors: tuple[AuthorView, ...]
    editors: tuple[AuthorView, ...]
    venue: Markup
    year: int | None
    month: int | None
    abbr: str
    selected: bool
    links: tuple[PubLink, ...]
    note: str
    award: str
    google_scholar_id: str
    preview: str
    annotation: str
    additional_info: str
    publisher: str
    address: str
    contained: bool
    imprint: str
    has_marks: bool
    author_line: Markup
    venue_line: Markup
    cited: int | None = None
    #: The whole citation when the style writes entries whole (a CSL style), else "".
    entry: Markup = Markup("")
    #: ``cited`` written in the document's language ("1,234", "1.234").
    cited_text: str = ""


@view
@dataclasses.dataclass(frozen=True)
class PublicationGroupView:
    """A titled run of publications, each with its display number (or None)."""

    title: str
    entries: tuple[tuple[int | None, PublicationView], ...]


@view
@dataclasses.dataclass(frozen=True)
class ScholarView:
    """A Scholar snapshot's totals and the line shown under the publications heading."""

    citedby: int
    hindex: int
    i10index: int
    updated: str
    summary: str


@view
@dataclasses.dataclass(frozen=True)
class ReferenceView:
    """A publication cited in one paragraph (the bio's), with a link to the paper.

    ``link_text`` is the link's identifier ("doi:…", "arXiv:…") or its label ("PDF").
    """

    text: Markup
    url: str
    link_text: str
    abbr: str


def reference_view(publication: Publication, style: Style | None = None) -> ReferenceView:
    """The bio's citation of a publication, title first as the CV sets it (the title, the
    authors, the venue line), and its first link: the same in bio.pdf and bio.md."""
    formatted = format_citation(publication, style)
    links = _pub_links(publication, to_text(formatted.venue_line))
    first = links[0] if links else None
    title = Markup('<strong class="pub-title">{}</strong>').format(publication.title)
    parts = (title, formatted.author_line, formatted.venue_line)
    text = Markup(" ").join(
        Markup("{}.").format(part) if not part.striptags().endswith((".", "?", "!")) else part
        for part in parts
        if part
    )
    return ReferenceView(
        text,
        first.url if first else "",
        (first.identifier or first.label) if first else "",
        publication.abbr,
    )


@view
@dataclasses.dataclass(frozen=True)
class AwardView:
    """An honor on the bio: its title, who gave it, and when."""

    title: str
    organization: str | None
    date: str


def publication_view(
    publication: Publication, scholar: Scholar | None = None, style: Style | None = None
) -> PublicationView:
    """The template's view of a publication, with its citation count when a snapshot has one.

    Its citation is written by ``style`` (the default citation style if none).
    """
    p = publication
    cited = scholar.cited_by(p.google_scholar_id) if scholar is not None else None
    formatted = format_citation(p, style)
    citation = formatted.citation
    return PublicationView(
        key=p.key,
        entry_type=p.entry_type,
        kind=p.kind,
        title=p.title,
        authors=_authors(p.authors),
        editors=_authors(p.editors),
        venue=citation.venue,
        year=p.year,
        month=p.month,
        abbr=p.abbr,
        selected=p.selected,
        links=_pub_links(p, to_text(formatted.entry or formatted.venue_line)),
        note=p.note,
        award=p.award,
        google_scholar_id=p.google_scholar_id,
        preview=p.preview,
        annotation=p.annotation,
        additional_info=p.additional_info,
        publisher=p.publisher,
        address=p.address,
        contained=citation.contained,
        imprint=to_text(citation.imprint),
        has_marks=p.has_marks,
        author_line=formatted.author_line,
        venue_line=formatted.venue_line,
        cited=cited,
        entry=formatted.entry,
        cited_text=format_number(cited) if cited is not None else "",
    )


def _pub_links(p: Publication, shown: str = "") -> tuple[PubLink, ...]:
    """A publication's links, its identifiers (DOI, arXiv) first: a printed page shows them,
    unless the citation (``shown``, as text: a style's whole entry, or the venue line) prints
    it already ("arXiv preprint arXiv:…", "https://doi.org/10.…")."""
    links = []
    for link in p.links:
        printed = identifier(link.label, link.url)
        written = printed.partition(":")[2].casefold()  # "10.1109/x", "2401.17644"
        again = bool(written) and written in shown.casefold()
        links.append(PubLink(_link_label(link.label), link.url, "" if again else printed))
    return tuple(sorted(links, key=lambda link: not link.identifier))


_LINK_WORDS = {"Code": "link_code", "Slides": "link_slides", "Video": "link_video"}
_LINK_WORDS |= {"Website": "link_website", "Poster": "link_poster"}


def _link_label(label: str) -> str:
    """A link's label in the document's language ("Folien"); PDF, HTML, arXiv, DOI stay."""
    return word(_LINK_WORDS[label]) if label in _LINK_WORDS else label


def _authors(authors: Iterable[Author]) -> tuple[AuthorView, ...]:
    return tuple(AuthorView(a.name, a.is_owner, a.marks, a.is_others) for a in authors)


def publication_views(
    publications: Iterable[Publication],
    scholar: Scholar | None = None,
    style: Style | None = None,
) -> tuple[PublicationView, ...]:
    return tuple(publication_view(p, scholar, style) for p in publications)


def group_views(
    groups: Iterable[PublicationGroup],
    scholar: Scholar | None = None,
    style: Style | None = None,
) -> tuple[PublicationGroupView, ...]:
    """Publication groups as views, each publication with its citation count."""
    return tuple(
        PublicationGroupView(
            group.title,
            tuple((number, publication_view(p, scholar, style)) for number, p in group.entries),
        )
        for group in groups
    )


def scholar_view(scholar: Scholar) -> ScholarView:
    summary = scholar.summary
    if not in_english():  # the summary's words in the document's language
        summary = word("scholar").format(
            citations=format_number(scholar.citedby),
            hindex=scholar.hindex,
            i10index=scholar.i10index,
            date=format_day(scholar.updated),
        )
    return ScholarView(
        scholar.citedby,
        scholar.hindex,
        scholar.i10index,
        scholar.updated.isoformat(),
        summary,
    )
