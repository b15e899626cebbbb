"""A publication as CSL-JSON: the item a CSL processor cites, field by field from its BibTeX.

The mapping follows the one biblatex users know from citeproc-js and pandoc: ``journal`` is the
``container-title`` of an ``article-journal``, ``booktitle`` that of a ``paper-conference`` or
a ``chapter``, ``series`` the ``collection-title``, ``number`` an article's ``issue`` and a
report's ``number``, ``school``/``institution`` a thesis's or report's ``publisher``, ``type``
its ``genre``, ``howpublished`` a ``publisher`` (or the ``URL`` when it is one). An arXiv
preprint is an ``article`` with ``arXiv`` as its publisher and ``arXiv:ID`` as its number.
Names keep their parts: BibTeX's von is the ``non-dropping-particle``, Jr the ``suffix``; a
name of one part with spaces in it (``{The XYZ Consortium}``) is a ``literal``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from cv.i18n import word

if TYPE_CHECKING:
    from cv.bibliography import Publication
    from cv.names import Author

__all__ = ["CSL_TYPES", "csl_item", "csl_name"]

CSL_TYPES = {
    "article": "article-journal",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "proceedings-paper": "paper-conference",
    "book": "book",
    "mvbook": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "collection": "book",
    "mvcollection": "book",
    "proceedings": "book",
    "mvproceedings": "book",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "manual": "report",
    "booklet": "pamphlet",
    "unpublished": "manuscript",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "misc": "article",
    "preprint": "article",
    # biblatex types CSL calls the same (in one string: these are entry types, not sections)
    **{name: name for name in "patent dataset software".split()},  # noqa: SIM905
}
"""BibTeX and biblatex entry types -> CSL item types (anything else is an ``article``)."""

_GENRES = {"phdthesis": "phd_thesis", "mastersthesis": "masters_thesis"}
_URL = re.compile(r"\s*(?:https?://|www\.)", re.I)
_ARXIV_VENUE = re.compile(r"^\s*(?:arxiv|corr)\b", re.I)


def csl_name(
    author: Author, owner: tuple[str, str] = ("", ""), mark: tuple[str, str] = ("", "")
) -> dict[str, str]:
    """One name as CSL-JSON: family, given, particle and suffix, or a literal.

    Args:
        author: The name, split.
        owner: Markers put around each part of the owner's name, to find it once cited.
        mark: Markers put around the contribution marks, carried on the suffix.
    """
    start, end = owner if author.is_owner else ("", "")

    def wrapped(text: str) -> str:
        return f"{start}{text}{end}" if text else ""

    name: dict[str, str] = {}
    if not author.family and not author.given:
        name["literal"] = wrapped(author.name)
    elif not author.given and " " in author.family:
        name["literal"] = wrapped(author.family)
    else:
        name["family"] = wrapped(author.family)
        if author.given:
            name["given"] = wrapped(author.given)
        if author.particle:
            name["non-dropping-particle"] = wrapped(author.particle)
    suffix = wrapped(author.suffix)
    if author.marks and mark[0]:
        suffix = f"{suffix} {mark[0]}{author.marks}{mark[1]}".strip()
    if suffix:
        if "literal" in name:
            name["literal"] += suffix if suffix.startswith(mark[0] or "\0") else f", {suffix}"
        else:
            name["suffix"] = suffix
    return name


def _names(people: tuple[Author, ...], owner: tuple[str, str], mark: tuple[str, str]) -> list:
    return [csl_name(person, owner, mark) for person in people if not person.is_others]


def csl_item(
    p: Publication,
    owner: tuple[str, str] = ("", ""),
    mark: tuple[str, str] = ("", ""),
    lang: str = "en",
) -> dict[str, Any]:
    """``p`` as a CSL-JSON item (``id`` is its key, lower case as citeproc-py wants it).

    Args:
        p: The publication.
        owner: Markers put around each part of the owner's name (see :func:`csl_name`).
        mark: Markers put around contribution marks.
        lang: The language of the words cv supplies (a thesis's genre, "PhD thesis").
    """
    kind = "article" if p.kind == "preprint" else CSL_TYPES.get(p.entry_type, "article")
    item: dict[str, Any] = {"id": p.key.lower(), "type": kind, "title": p.title.striptags()}
    authors = _names(p.all_authors or p.authors, owner, mark)
    if authors:
        item["author"] = authors
    editors = _names(p.editors, owner, mark)
    if editors:
        item["editor"] = editors
    if p.year is not None:
        item["issued"] = {"date-parts": [[p.year, p.month] if p.month else [p.year]]}
    else:
        item["status"] = "forthcoming"
    container = p.journal.striptags() or p.booktitle.striptags()
    if p.kind == "preprint" and _ARXIV_VENUE.search(container):
        container = ""  # "arXiv preprint arXiv:ID" is the server and the number, said below
    if container:
        item["container-title"] = container
    if p.series:
        item["collection-title"] = p.series.striptags()
    if p.volume:
        item["volume"] = p.volume
    if p.number:
        item["issue" if kind in ("article-journal", "paper-conference") else "number"] = p.number
    if p.pages:
        item["page"] = re.sub(r"\s*(?:-+|–|—)\s*", "-", p.pages.strip())
    if p.chapter:
        item["chapter-number"] = p.chapter
    if p.edition:
        item["edition"] = p.edition
    publisher = _publisher(p, kind)
    if publisher:
        item["publisher"] = publisher
    if p.address:
        item["publisher-place"] = p.address
    genre = p.genre or (word(_GENRES[p.entry_type], lang) if p.entry_type in _GENRES else "")
    if genre:
        item["genre"] = genre
    if p.doi:
        item["DOI"] = p.doi
    url = p.url or (p.howpublished.strip() if _URL.match(p.howpublished) else "")
    if url:
        item["URL"] = url
    if p.arxiv:
        if p.kind == "preprint":  # CSL 1.0.1's preprint: an article, the server its publisher
            item["number"] = f"arXiv:{p.arxiv}"
            item.setdefault("publisher", "arXiv")
        if "URL" not in item:
            item["URL"] = f"https://arxiv.org/abs/{p.arxiv}"
    if p.note:
        item["note"] = p.note
    return item


def _publisher(p: Publication, kind: str) -> str:
    """Who published it: the publisher; a thesis's school; a report's institution; else who
    organised it or how it was published (unless that is a URL)."""
    if kind == "thesis":
        return p.school or p.institution or p.publisher
    if kind == "report":
        return p.institution or p.publisher or p.organization
    howpublished = "" if _URL.match(p.howpublished) else p.howpublished
    return p.publisher or p.organization or p.institution or p.school or howpublished
