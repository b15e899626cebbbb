"""BibTeX -> publications: fields, years and dates, kinds, links, names, grouping, numbering.

The files are read into raw entries by :mod:`cv.bibtex` (macros, ``#``, crossref, keys). Names
are split before any LaTeX is decoded (braces keep ``{The XYZ Consortium}`` one author) by
:mod:`cv.names`, and only the fields a CV shows are decoded, once (:mod:`cv.latex`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from markupsafe import Markup

from cv.bibtex import MONTHS, RawEntry, collect_entries
from cv.citation import DEFAULT_STYLE, to_text
from cv.errors import CVError, Problem
from cv.i18n import kind_title, word
from cv.latex import latex_to_html, latex_to_text, unknown_commands
from cv.links import ASSET_FIELDS, problem_with, resolve
from cv.names import Author, OwnerMatcher, derive_highlight, read_names, shorten

__all__ = [
    "Author",
    "Link",
    "Publication",
    "PublicationGroup",
    "KIND_TITLES",
    "derive_highlight",
    "load_bibliography",
    "owner_unmatched",
    "group_publications",
    "used_marks",
]

#: Publication kinds in the order of their sections, with the section titles.
KIND_TITLES = {
    "journal": "Journal Articles",
    "conference": "Conference Papers",
    "preprint": "Preprints",
    "book": "Books and Chapters",
    "thesis": "Theses",
    "report": "Technical Reports",
    "other": "Other",
}


@dataclass(frozen=True)
class Link:
    """A labelled link of a publication ("PDF", "Code", "arXiv", ...)."""

    label: str
    url: str


@dataclass(frozen=True)
class Publication:
    """One bibliography entry: the fields its BibTeX gave, decoded, and what the CV adds.

    Citations are made from these fields by :mod:`cv.citation`. The names of works (``title``,
    ``journal``, ``booktitle``, ``series``) are safe HTML, as they may hold emphasis or math;
    every other text is plain (templates escape it). An absent field is "".
    """

    key: str
    entry_type: str
    kind: str
    title: Markup
    authors: tuple[Author, ...]
    journal: Markup
    year: int | None
    month: int | None
    abbr: str = ""
    selected: bool = False
    links: tuple[Link, ...] = ()
    note: str = ""
    award: str = ""
    google_scholar_id: str = ""
    file: Path | None = None
    line: int | None = None
    preview: str = ""
    annotation: str = ""
    additional_info: str = ""
    editors: tuple[Author, ...] = ()
    publisher: str = ""
    address: str = ""
    booktitle: Markup = Markup("")
    series: Markup = Markup("")
    volume: str = ""
    #: ``number``, or biblatex's ``issue``.
    number: str = ""
    pages: str = ""
    chapter: str = ""
    edition: str = ""
    school: str = ""
    institution: str = ""
    organization: str = ""
    howpublished: str = ""
    #: BibTeX's ``type`` of a thesis or report ("Habilitation thesis", "Working paper").
    genre: str = ""
    #: The DOI itself ("10.1000/xyz"), without a resolver.
    doi: str = ""
    #: The arXiv identifier ("2402.07011"), from ``arxiv``, ``eprint`` or the venue's text.
    arxiv: str = ""
    url: str = ""
    #: The whole author list when ``authors`` is shortened (a CSL style cuts it by its rules).
    all_authors: tuple[Author, ...] = ()

    @property
    def has_marks(self) -> bool:
        """Whether any author carries a contribution mark (the CV then prints a legend)."""
        return any(author.marks for author in self.authors)

    @property
    def venue(self) -> Markup:
        """Where it appeared, as the default citation style writes it: "Journal 12(3), 1–20"."""
        return DEFAULT_STYLE.cite(self).venue


@dataclass(frozen=True)
class PublicationGroup:
    """A titled run of publications, each with its display number (or None)."""

    title: str
    entries: tuple[tuple[int | None, Publication], ...]


# --------------------------------------------------------------------------------------------
# Names (split, marks and the owner are in cv.names)


def _authors(
    entry: RawEntry, matcher: OwnerMatcher, notices: list[Problem], role: str = "author"
) -> list[Author]:
    """The decoded names of ``role`` (author or editor), with marks and owner flags; a name
    that is no BibTeX name is read as well as it can be, with a notice."""
    authors, bad = read_names(entry.fields.get(role, ""), matcher)
    for name in bad:
        message = (
            f"{role} {_quoted(name.raw)} of entry '{entry.owner(role)}' is no BibTeX name "
            f"({name.reason.lower()}): {name.read_as} (expected names separated by 'and', "
            "each 'First Last' or 'Last, First')"
        )
        notices.append(Problem(message, *entry.at(role)))
    return authors


def _quoted(value: str) -> str:
    """A value quoted for a message, on one line and short: a field may hold 10,000 characters."""
    value = " ".join(value.split())
    return f"'{value}'" if len(value) <= 60 else f"'{value[:57]}...'"


# --------------------------------------------------------------------------------------------
# Dates, kinds, identifiers, links


# ASCII digits only: \d takes any script's digits ("٢٠٢٤"), and int() reads them.
_ISO_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{1,2}))?(?:-[0-9]{1,2})?(?:T[0-9:]+)?(?:/.*)?", re.S)


def _year(entry: RawEntry, notices: list[Problem]) -> tuple[int | None, int | None]:
    """Year and month from ``year``/``month``, or from biblatex's ``date``.

    A value that is no date (``year = {1991,}``, ``{in press}``) is read as well as it can be,
    with a notice: a year written in it is taken, else the work is forthcoming.
    """
    year: int | None = None
    month: int | None = None
    if "date" in entry.fields:
        value = latex_to_text(entry.fields["date"])
        match = _ISO_DATE.fullmatch(value)
        if match and (match.group(2) is None or 1 <= int(match.group(2)) <= 12):
            year = int(match.group(1))
            month = int(match.group(2)) if match.group(2) else None
        elif "year" not in entry.fields:
            year = _year_in(value)
            message = (
                f"date {_quoted(value)} of entry '{entry.owner('date')}' is not a date: "
                f"{_read_year(year)} (expected YYYY, YYYY-MM or YYYY-MM-DD)"
            )
            notices.append(Problem(message, *entry.at("date")))
    if "year" in entry.fields:
        value = latex_to_text(entry.fields["year"])
        if re.fullmatch(r"[0-9]{1,4}", value):
            year = int(value)
        else:
            year = _year_in(value)
            message = (
                f"year {_quoted(value)} of entry '{entry.owner('year')}' is not a number: "
                f"{_read_year(year)} (expected a year like 2024)"
            )
            other_digits = any(char.isdigit() and not char.isascii() for char in value)
            hint = (
                "write it with the digits 0-9"
                if other_digits
                else "leave the year out for forthcoming work"
                if year is None
                else None
            )
            notices.append(Problem(message, *entry.at("year"), hint))
    if "month" in entry.fields:
        month = _month(entry, notices)
    return year, month


_YEAR_IN = re.compile(r"(?<![0-9])[0-9]{4}(?![0-9])")
_ANY_YEAR_IN = re.compile(r"(?<!\d)\d{4}(?!\d)")


def _year_in(value: str) -> int | None:
    """The first year written in a text ("1991," -> 1991), in any script's digits, or None."""
    found = _YEAR_IN.search(value) or _ANY_YEAR_IN.search(value)
    return int(found.group()) if found else None


def _read_year(year: int | None) -> str:
    return f"read as {year}" if year is not None else "left out, so it is listed as forthcoming"


_MONTH_WORD = re.compile(r"(?<![A-Za-z])(" + "|".join(MONTHS) + r")", re.I)
_ISO_MONTH = re.compile(r"[0-9]{4}-([0-9]{1,2})(?![0-9])")


def _month(entry: RawEntry, notices: list[Problem]) -> int | None:
    """The month, from a number, a name (``jan``, ``28–30 Mar``) or an ISO date; else None with
    a notice."""
    value = latex_to_text(entry.fields["month"])
    number = re.match(r"[0-9]{1,2}(?![0-9])", value)  # int() reads any script's digits, and slowly
    if number and 1 <= int(number.group()) <= 12:
        return int(number.group())
    iso = _ISO_MONTH.match(value)
    if iso and 1 <= int(iso.group(1)) <= 12:
        return int(iso.group(1))
    word = _MONTH_WORD.search(value[:200])
    if word:
        return MONTHS.index(word.group().lower()) + 1
    message = (
        f"month {_quoted(value)} of entry '{entry.owner('month')}' is not a month: left out "
        "(expected jan–dec, 1–12 or a month name)"
    )
    notices.append(Problem(message, *entry.at("month")))
    return None


_PREPRINT_VENUE = re.compile(
    r"arxiv|\bcorr\b|biorxiv|medrxiv|ssrn|techrxiv|chemrxiv|psyarxiv|preprint", re.I
)
_KINDS = {
    "article": "journal", "inproceedings": "conference", "conference": "conference",
    "proceedings-paper": "conference", "book": "book", "inbook": "book", "incollection": "book",
    "collection": "book", "phdthesis": "thesis", "mastersthesis": "thesis", "thesis": "thesis",
    "techreport": "report", "report": "report",
}  # fmt: skip
_PREPRINT_TYPES = ("misc", "online", "unpublished", "electronic", "preprint")


def _arxiv_id(fields: dict[str, str]) -> str:
    """The arXiv identifier from ``arxiv``, or from ``eprint`` with an arXiv prefix."""
    value = fields.get("arxiv", "")
    if not value:
        prefix = (fields.get("archiveprefix", "") + fields.get("eprinttype", "")).lower()
        eprint = fields.get("eprint", "")
        if "arxiv" in prefix or re.fullmatch(r"\s*[0-9]{4}\.[0-9]{4,5}(v[0-9]+)?\s*", eprint):
            value = eprint
    if not value:
        venue = fields.get("journal", "") + " " + fields.get("howpublished", "")
        written = re.search(r"arxiv[:\s]\s*([0-9]{4}\.[0-9]{4,5}(?:v[0-9]+)?)", venue, re.I)
        value = written.group(1) if written else ""
    value = re.sub(
        r"^\s*(?:https?://arxiv\.org/(?:abs|pdf)/|arxiv:)", "", value.strip(), flags=re.I
    )
    value = value.removesuffix(".pdf")
    return value if re.fullmatch(r"[A-Za-z0-9_./-]+", value) else ""


def _kind(entry_type: str, fields: dict[str, str]) -> str:
    kind = _KINDS.get(entry_type, "other")
    venue = fields.get("journal", "")
    if kind == "journal":
        if _PREPRINT_VENUE.search(venue) or (not venue.strip() and _arxiv_id(fields)):
            return "preprint"
    elif kind == "other" and entry_type in _PREPRINT_TYPES:
        elsewhere = " ".join(
            fields.get(name, "") for name in ("journal", "howpublished", "url", "publisher")
        )
        if _arxiv_id(fields) or _PREPRINT_VENUE.search(elsewhere) or entry_type == "preprint":
            return "preprint"
    return kind


def _doi(fields: dict[str, str]) -> str:
    """The DOI itself, from ``doi`` written bare, as ``doi:...`` or as a resolver's URL."""
    doi = re.sub(
        r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", fields.get("doi", ""), flags=re.I
    )
    return re.sub(r"\\([_%&#])", r"\1", doi).strip().strip("{}")


_LINK_FIELDS = (
    ("pdf", "PDF"),
    ("html", "HTML"),
    ("code", "Code"),
    ("slides", "Slides"),
    ("poster", "Poster"),
    ("video", "Video"),
    ("website", "Website"),
    ("blog", "Blog"),
    ("supp", "Supp"),
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_URL_MACRO = re.compile(r"\\url\s*\{(.*)\}", re.S)
_URL_ESCAPE = re.compile(r"\\([_%&#~$])")
_URL_BREAK = re.compile(r"[\s\x00-\x1f\x7f]")


def _clean_url(value: str) -> str:
    """A URL as written in BibTeX (``\\url{}``, ``\\_``) -> the address it means ("" for none).

    Spaces are written %20, as a browser sends al-folio's ``pdf = {My paper.pdf}``.
    """
    value = value.strip()
    if "\\" in value or "{" in value:
        wrapped = _URL_MACRO.fullmatch(value)
        if wrapped:
            value = wrapped.group(1).strip()
        value = _URL_ESCAPE.sub(r"\1", value).replace("{", "").replace("}", "")
    if " " in value:
        value = value.replace(" ", "%20")
    if not value or _URL_BREAK.search(value):
        return ""
    return value


def _link(
    entry: RawEntry, name: str, base: str | None, notices: list[Problem], value: str | None = None
) -> str:
    """The link a field makes: resolved (al-folio's ``pdf = {x.pdf}`` is ``assets/pdf/x.pdf``
    of the site), or "" with a notice when it cannot point anywhere but this machine."""
    url = _clean_url(entry.fields[name] if value is None else value)
    if not url:
        return ""
    resolved = resolve(url, base, ASSET_FIELDS.get(name, ""))
    if resolved is None:
        reason = problem_with(url, base) or f"link {url!r} is not made a link"
        notices.append(Problem(f"{name} of entry '{entry.key}': {reason}", *entry.at(name)))
        return ""
    return resolved


def _links(entry: RawEntry, base: str | None, notices: list[Problem]) -> tuple[Link, ...]:
    fields = entry.fields
    links: list[Link] = []
    for name, label in _LINK_FIELDS:
        url = _link(entry, name, base, notices) if name in fields else ""
        if url:
            links.append(Link(label, url))
    arxiv = _arxiv_id(fields)
    if arxiv:
        links.append(Link("arXiv", f"https://arxiv.org/abs/{arxiv}"))
    doi = _doi(fields)
    if doi:
        links.append(Link("DOI", "https://doi.org/" + quote(doi, safe="/:;()[]._-~@!$&'*+,=")))
    if not any(link.label in ("PDF", "HTML") for link in links):
        # biblatex's url, or the \url{...} that BibTeX styles put in howpublished
        howpublished = fields.get("howpublished", "")
        fallback = howpublished if _URL_MACRO.search(howpublished) else ""
        name = "url" if fields.get("url") else "howpublished"
        url = _link(entry, name, base, notices, fields.get("url", "") or fallback)
        if url:
            links.insert(0, Link("URL", url))
    unique: dict[str, Link] = {}
    for link in sorted(links, key=lambda link: link.label == "URL"):  # a named link wins
        unique.setdefault(link.url, link)
    return tuple(link for link in links if unique[link.url] is link)


# --------------------------------------------------------------------------------------------
# Building and grouping

#: The fields a publication shows decoded, where an unknown LaTeX command is worth a notice.
_DECODED = frozenset({
    "title", "author", "editor", "journal", "booktitle", "series", "abbr", "note", "award",
    "award_name", "annotation", "additional_info", "publisher", "address", "volume", "number",
    "issue", "pages", "chapter", "edition", "school", "institution", "organization",
    "howpublished", "type",
})  # fmt: skip


_Uses = dict[tuple[str, bool], tuple[str, RawEntry, int]]


def _note_commands(entry: RawEntry, uses: _Uses) -> None:
    """Count the LaTeX commands of shown fields that are no LaTeX (a document's own macros)."""
    for name, value in entry.fields.items():
        if "\\" not in value or name not in _DECODED:
            continue
        for command in unknown_commands(value):
            first = uses.get(command)
            uses[command] = (first[0], first[1], first[2] + 1) if first else (name, entry, 1)


def _report_commands(uses: _Uses, notices: list[Problem]) -> None:
    """A notice for each unknown command, at its first use, with how many fields use it."""
    for (command, argument), (name, entry, count) in uses.items():
        shown = (
            "it is left out and its argument shown"
            if argument
            else f"it is shown as its name, '{command}'"
        )
        more = f" (and {count - 1:,} more field{'s' if count > 2 else ''})" if count > 1 else ""
        message = (
            f"{name} of entry '{entry.owner(name)}'{more} uses '\\{command}', which is no LaTeX "
            f"command cv knows (a macro of the document?): {shown}"
        )
        notices.append(Problem(message, *entry.at(name), "write the text itself in the .bib file"))


_MARKDOWN_OR_HTML = re.compile(r"[*_`\[<&]")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")


def _site_text(value: str) -> str:
    """The text of a field al-folio shows as Markdown and HTML (``award``, ``annotation``,
    ``additional_info``: "*More Information* can be [found here](...)<br>..."), without the
    markup, so none of it reaches the CV as written."""
    if not _MARKDOWN_OR_HTML.search(value):
        return value
    from cv.markup import inline  # markdown-it, only for the fields that need it

    return to_text(inline(_HTML_TAG.sub(" ", value)))


def _badge(value: str) -> str:
    """al-folio's ``abbr`` is HTML on the site: ``J. Intell. <br> Connect. Veh.`` is its text."""
    return " ".join(_HTML_TAG.sub(" ", value).split()) if "<" in value else value


def _publication(
    entry: RawEntry,
    matcher: OwnerMatcher,
    max_authors: int,
    problems: list[Problem],
    notices: list[Problem],
    links: tuple[Link, ...] = (),
) -> Publication | None:
    """Build one publication; report its problems (and return None if it has no title)."""
    fields = entry.fields
    year, month = _year(entry, notices)
    every_author = _authors(entry, matcher, notices)
    authors = shorten(every_author, max_authors)
    title = latex_to_html(fields.get("title", ""))
    if not title:
        message = f"entry '{entry.key}' has no title (expected title = {{...}})"
        problems.append(Problem(message, *entry.at()))
        return None

    def text(*names: str) -> str:
        return next(
            (latex_to_text(fields[name]) for name in names if fields.get(name, "").strip()), ""
        )

    def html(name: str) -> Markup:
        return latex_to_html(fields[name]) if fields.get(name, "").strip() else Markup("")

    return Publication(
        key=entry.key,
        entry_type=entry.entry_type,
        kind=_kind(entry.entry_type, fields),
        title=title,
        authors=tuple(authors),
        all_authors=tuple(every_author) if len(every_author) != len(authors) else (),
        journal=html("journal"),
        year=year,
        month=month,
        abbr=_badge(text("abbr")),
        selected=fields.get("selected", "").strip().lower() in ("true", "yes", "1"),
        links=links,
        note=text("note"),
        award=_site_text(text("award_name", "award")),
        google_scholar_id=fields.get("google_scholar_id", "").strip(),
        file=entry.file,
        line=entry.line,
        preview=fields.get("preview", "").strip(),
        annotation=_site_text(text("annotation")),
        additional_info=_site_text(text("additional_info")),
        editors=tuple(shorten(_authors(entry, matcher, notices, "editor"), max_authors)),
        publisher=text("publisher"),
        address=text("address"),
        booktitle=html("booktitle"),
        series=html("series"),
        volume=text("volume"),
        number=text("number", "issue"),
        pages=text("pages"),
        chapter=text("chapter"),
        edition=text("edition"),
        school=text("school"),
        institution=text("institution"),
        organization=text("organization"),
        howpublished=text("howpublished"),
        genre=text("type"),
        doi=_doi(fields),
        arxiv=_arxiv_id(fields),
        url=_clean_url(fields.get("url", "")),
    )


def load_bibliography(
    paths: Sequence[Path],
    *,
    highlight: Sequence[str],
    max_authors: int = 10,
    link_base: str | None = None,
    notices: list[Problem] | None = None,
) -> list[Publication]:
    """Read .bib files into publications, newest first.

    Args:
        paths: The .bib files, in order (a ``@string`` is visible to the files after it).
        highlight: Name variants of the owner (see :func:`derive_highlight`).
        max_authors: Longer author lists are shortened with "et al."; below 1, no limit.
        link_base: The web address relative links (``pdf = {paper.pdf}``) resolve against
            (:func:`cv.links.link_base`); without one they are not made links.
        notices: Where to add what does not stop a build (``--strict`` makes it an error):
            each link that cannot be made, and what al-folio reads but the files should not
            say (:func:`cv.bibtex.collect_entries`), such as a key used twice, an undefined
            macro or a LaTeX command that is no LaTeX.

    Returns:
        Every entry except a ``@proceedings`` that entries crossref, has no authors and was
        not edited by the owner (it only lends its fields to its papers), sorted by year and
        month, newest first;
        entries without a year come first (forthcoming). Ties keep the files' order.

    Raises:
        CVError: With every problem of every file, each located at file:line:column.
    """
    problems: list[Problem] = []
    found: list[Problem] = []
    entries, targets = collect_entries(paths, problems, found)
    matcher = OwnerMatcher(highlight)
    commands: _Uses = {}
    publications = []
    for entry in entries:
        if entry.broken or entry.commented:
            continue  # a field was refused (or all commented out): noticed where it was read
        if entry.key.casefold() in targets and _lends_only(entry, matcher):
            continue  # a proceedings volume that only lends its fields to its papers
        links = _links(entry, link_base, found)
        publication = _publication(entry, matcher, max_authors, problems, found, links)
        if publication is not None:
            publications.append(publication)
            _note_commands(entry, commands)
    if problems:
        # A value inherited by crossref is reported where it is written, once for all.
        raise CVError(dict.fromkeys(problems))
    _report_commands(commands, found)
    if notices is not None:
        notices += dict.fromkeys(found)
    return sorted(publications, key=_newest_first, reverse=True)


def owner_unmatched(publications: Sequence[Publication]) -> tuple[str, int, int] | None:
    """When publications list authors but the owner is none of them: the name listed in most
    of them, in how many, of how many with authors (``None`` when the owner is found, or no
    publication names anyone)."""
    listed: dict[str, int] = {}
    total = 0
    for publication in publications:
        people = [a for a in (*publication.authors, *publication.editors) if not a.is_others]
        if any(author.is_owner for author in people):
            return None
        total += bool(people)
        for name in dict.fromkeys(author.name for author in people):
            listed[name] = listed.get(name, 0) + 1
    if not listed:
        return None
    name = max(listed, key=lambda n: listed[n])  # the first listed of the most frequent
    return name, listed[name], total


def _lends_only(target: RawEntry, matcher: OwnerMatcher) -> bool:
    """Whether a crossref target is only a proceedings volume its papers name: a
    ``@proceedings`` without authors that the owner did not edit. An edited ``@book`` that
    chapters crossref is a work of its own, listed as BibTeX and al-folio list it."""
    if "author" in target.fields or target.entry_type not in ("proceedings", "mvproceedings"):
        return False
    editors, _bad = read_names(target.fields.get("editor", ""), matcher)
    return not any(editor.is_owner for editor in editors)


def used_marks(publications: Iterable[Publication]) -> str:
    """The contribution marks any author list uses, in legend order: ``"*†"``, ``"†"``, ``""``."""
    found = {mark for p in publications for author in p.authors for mark in author.marks}
    return "".join(mark for mark in "*†‡" if mark in found)


def _newest_first(publication: Publication) -> tuple[bool, int, int]:
    return publication.year is None, publication.year or 0, publication.month or 0


def group_publications(
    publications: Sequence[Publication], group_by: str = "type", numbering: str = "reverse"
) -> list[PublicationGroup]:
    """Split publications into titled groups and number them in display order.

    Args:
        publications: Already in display order (as :func:`load_bibliography` returns them).
        group_by: ``type`` (sections in :data:`KIND_TITLES` order), ``year`` (newest first,
            "Forthcoming" before all), or ``none`` (one untitled group).
        numbering: ``reverse`` (the first shown gets the highest number), ``forward``, ``none``.

    Returns:
        The non-empty groups.

    Raises:
        ValueError: For an unknown ``group_by`` or ``numbering`` (the record's schema prevents it).
    """
    buckets: dict[str, list[Publication]] = {}
    if group_by == "type":
        # Titled in the current language (cv.i18n): the English ones are KIND_TITLES.
        buckets = {kind_title(kind): [] for kind in KIND_TITLES}
        for publication in publications:
            kind = publication.kind if publication.kind in KIND_TITLES else "other"
            buckets[kind_title(kind)].append(publication)
    elif group_by == "year":
        years = sorted(
            {p.year for p in publications}, key=lambda y: (y is None, y or 0), reverse=True
        )
        forthcoming = word("forthcoming").capitalize()
        buckets = {(forthcoming if year is None else str(year)): [] for year in years}
        for publication in publications:
            year = publication.year
            buckets[forthcoming if year is None else str(year)].append(publication)
    elif group_by == "none":
        buckets = {"": list(publications)}
    else:
        raise ValueError(f"group_by must be 'type', 'year' or 'none', not {group_by!r}")
    if numbering not in ("reverse", "forward", "none"):
        raise ValueError(f"numbering must be 'reverse', 'forward' or 'none', not {numbering!r}")

    total = sum(len(items) for items in buckets.values())
    groups: list[PublicationGroup] = []
    shown = 0
    for title, items in buckets.items():
        if not items:
            continue
        numbered: list[tuple[int | None, Publication]] = []
        for publication in items:
            shown += 1
            number = {"reverse": total - shown + 1, "forward": shown}.get(numbering)
            numbered.append((number, publication))
        groups.append(PublicationGroup(title, tuple(numbered)))
    return groups
