"""citeproc-py as cv runs it: what depends on the style looked up once, and CSL mended.

citeproc-py (the maintained CSL processor for Python) interprets a style's XML for every entry.
cv keeps, per element of the styles it loads, what depends on the style only; and it mends
where citeproc-py reads CSL 1.0.1 short of the specification: ``initialize="false"``,
hyphenated given names ("Yiu-ming"), groups whose variables are all empty, a locale's date
delimiter ("2024 Mar") and ordinals ("2. Aufl."). The owner's name
carries the markers :data:`OPEN` and :data:`CLOSE` through it (see :mod:`cv.csl`), and an
et-al rule never cuts the owner from a list.

The changes are made once, to citeproc-py's classes (:func:`speed_up`), and act on the
elements of styles made by :func:`engine` only; any other use of citeproc-py goes its way.
"""

from __future__ import annotations

import hashlib
import io
import re
from contextvars import ContextVar
from typing import Any

__all__ = ["CLOSE", "END_MARK", "MARK", "OPEN", "engine"]

# Private-use characters: no name, title or style holds them, and no case change alters them.
OPEN, CLOSE, MARK, END_MARK = "\ue000", "\ue001", "\ue002", "\ue003"

_OWNER_FIRST: ContextVar[int] = ContextVar("cv_csl_owner_first", default=0)
_SPED_UP: list[bool] = []


def speed_up() -> None:
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

    original_formatter = model.CitationStylesElement.get_formatter
    original_locale_option = model.Locale.get_option

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

    def render_single_date(
        self: Any, date: Any, show_parts: Any = None, context: Any = None
    ) -> Any:
        # A locale's date form keeps its own delimiter (CSL 1.0.1): citeproc-py joined the
        # parts with the calling cs:date's, which has none, so Vancouver wrote "2024Mar".
        parts = (
            self.parts(date, show_parts, context)
            if context != self
            else self.parts(date, show_parts)
        )
        if not parts:
            return None
        own = self.get("delimiter") is not None
        return (self if own or not self.is_locale_date() else context).join(parts)

    def to_ordinal(number: int, context: Any) -> str:
        # Each locale in turn, its specific ordinals first, then its plain "ordinal": citeproc-py
        # looked for "ordinal-02" in every locale before German's ".", and wrote "2nd Aufl.".
        root = context.get_root()
        locales = [root] if isinstance(root, model.Locale) else root.locales
        names = [f"ordinal-{number:02d}", f"ordinal-{number % 10:02d}", "ordinal"]
        names = names if number >= 10 else [names[0], "ordinal"]
        for locale in locales:
            for index, name in enumerate(names):
                try:
                    term = locale.get_term(name, zero_padded=index == 1)
                except IndexError:
                    continue
                if term is not None:
                    return f"{number}{term.single}"
        return str(number)

    model.to_ordinal = to_ordinal
    model.Date.render_single_date = render_single_date
    model.Group.process = group_process
    model.If._type = item_type
    # The root is asked for some 500 times an entry; every entry is written with citeproc's
    # html formatter; whether a macro calls a variable walks its whole tree.
    model.CitationStylesElement.get_root = _per_element(original_root, {})
    model.CitationStylesElement.get_formatter = _per_element(original_formatter, {})
    model.Locale.get_option = locale_option
    model.CitationStylesElement.xpath_search = xpath_search
    model.Parent.calls_variable = _per_element(original_parent, {}, bool)
    model.Text.calls_variable = _per_element(original_text, {}, bool)
    model.Name.initialize = initialize
    model.Name.get_option = get_option
    model.Name.process = process
    _SPED_UP.append(True)


def _per_element(original: Any, answers: dict[int, Any], then: Any = None) -> Any:
    """``original``, a method of no argument, answered once per element of the styles kept.

    ``then`` is applied to each answer (``bool``); other elements go the library's way.
    """

    def answer(self: Any) -> Any:
        found = answers.get(id(self))
        if found is None:
            found = original(self)
            if id(self) in _KEPT:
                answers[id(self)] = found
        return then(found) if then else found

    return answer


_HYPHENATED = re.compile(r"(?<=\w-)\w")


def _upper(match: re.Match[str]) -> str:
    return match.group().upper()


_XPATH: dict[tuple[int, str], Any] = {}
_TYPES: dict[int, tuple[str, ...]] = {}
_OPTIONS: dict[tuple[int, str], Any] = {}
_KEPT: set[int] = set()
_ALIVE: list[Any] = []


MAX_ENGINES = 32
"""Styles (by language) whose elements are kept with their lookups: a process building again
and again (``cv watch``) reuses them, so its memory stays flat; more are made without."""

_ENGINES: dict[tuple[bytes, str], Any] = {}


def engine(xml: bytes, lang: str, digest: bytes | None = None) -> Any:
    """citeproc-py's style for ``xml`` in ``lang``, made once per process.

    ``digest`` is the SHA-256 of ``xml`` when the caller has it already.
    """
    key = (digest or hashlib.sha256(xml).digest(), lang)
    made = _ENGINES.get(key)
    if made is None:
        from citeproc import CitationStylesStyle

        speed_up()
        made = CitationStylesStyle(io.BytesIO(xml), locale=lang, validate=False)
        if len(_ENGINES) < MAX_ENGINES:
            kept = [*made.root.iter(), *(e for loc in made.root.locales for e in loc.iter())]
            _ALIVE.extend(kept)
            _KEPT.update(id(element) for element in kept)
            _ENGINES[key] = made
    return made
