"""LaTeX as found in BibTeX fields -> escaped HTML or plain text.

BibTeX values are small LaTeX fragments: accents (``{\\"u}``), escapes (``\\&``), dashes and
quotes, case-protecting braces, ``\\emph``/``\\textbf`` and a little inline math. A hand-written
converter handles that subset an order of magnitude faster than a full LaTeX walker, which is
what keeps a 5,000-entry bibliography quick to load. Symbols (``\\alpha``,
``\\ell``, ``\\copyright``...) come from pylatexenc's tables, read once.

A command it does not know is a user's macro (``{\\MaxMinAntSystem}``): it is shown as its
name, or, when an argument follows, left out before the argument (``\\acro{MMAS}`` is "MMAS");
:func:`unknown_commands` names them, for a warning.

User text never becomes markup: every character of the input is escaped, and the only tags in
the result are the ones this module writes (``em``, ``strong``, ``sub``, ``sup``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache

from markupsafe import Markup, escape

__all__ = ["latex_to_html", "latex_to_text", "unknown_commands", "TAGS"]

#: The only tags :func:`latex_to_html` ever writes.
TAGS = ("em", "strong", "sub", "sup")

# Anything a fast path cannot pass through unchanged.
_SPECIAL = re.compile(r"[\\{}$~^_`']|--")
# Line and paragraph separators too: no font has a glyph for them.
_WHITESPACE = re.compile(r"[ \t\n\r\f\v\x85\u2028\u2029]+")
_TOKEN = re.compile(
    r"\\(?:[A-Za-z]+\*?|.)?"  # control word, control symbol, or a lone trailing backslash
    r"|---?|``|''|[ \t\n\r\f\v]+|[{}$~^_`']"
    r"|[^\\{}$~^_`' \t\n\r\f\v-]+|-",
    re.DOTALL,
)

# Combining marks for TeX's accent commands.
_ACCENTS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "d": "\u0323",
    "b": "\u0331", "r": "\u030a", "k": "\u0328", "t": "\u0361",
}  # fmt: skip
_DOTLESS = {"ı": "i", "ȷ": "j"}

_EMPHASIS = {"emph", "textit", "textsl", "mathit"}
_STRONG = {"textbf", "mathbf", "boldsymbol", "bm"}
_SCRIPT = {"textsuperscript": "sup", "textsubscript": "sub"}
_MATH_STYLES = {
    "mathbb": "doublestruck",
    "mathcal": "script",
    "mathscr": "script",
    "mathfrak": "fraktur",
}
# Commands whose argument is shown as it is (the font change is not worth keeping).
_TRANSPARENT = {
    "textrm", "textsf", "texttt", "textsc", "textup", "textmd", "textnormal", "text", "mbox",
    "hbox", "mathrm", "mathsf", "mathtt", "mathnormal", "operatorname", "ensuremath", "url",
    "NoCaseChange", "MakeUppercase", "MakeLowercase", "uppercase", "lowercase", "underline",
    "overline", "emphasize",
}  # fmt: skip
# Commands whose first argument is dropped (\href{url}{text} keeps the text that follows).
_DISCARD = {
    "hspace",
    "vspace",
    "label",
    "cite",
    "citep",
    "citet",
    "ref",
    "noopsort",
    "footnote",
    "color",
    "textcolor",
    "href",
    "hyphenation",
}
# Declarations that switch the style until the end of the group: {\em text}, {\bf text}.
_SWITCHES = {
    "em": "em",
    "it": "em",
    "itshape": "em",
    "sl": "em",
    "slshape": "em",
    "bf": "strong",
    "bfseries": "strong",
}
_EXTRA_SYMBOLS = {
    "ddag": "‡", "ddagger": "‡", "S": "§", "P": "¶", "copyright": "©", "pounds": "£",
    "textquotedbl": '"', "LaTeX": "LaTeX", "TeX": "TeX", "BibTeX": "BibTeX", "-": "", "/": "",
    "@": "", "!": "", "\\": " ", ",": " ", ";": " ", ":": " ", " ": " ", "%": "%", "&": "&",
    "#": "#", "_": "_", "$": "$", "{": "{", "}": "}", "textendash": "–", "textemdash": "—",
    "textbackslash": "\\", "prime": "′",
}  # fmt: skip
# Commands that show nothing: spacing, breaks, sizes and font families, TeX's plumbing.
_INVISIBLE = {
    "relax", "protect", "xspace", "noindent", "allowbreak", "nobreak", "linebreak", "newline",
    "break", "unskip", "ignorespaces", "null", "strut", "smallskip", "medskip", "bigskip",
    "centering", "par", "sloppy", "hfill", "hfil", "vfill", "selectfont", "normalfont",
    "rmfamily", "sffamily", "ttfamily", "scshape", "upshape", "mdseries", "tiny", "scriptsize",
    "footnotesize", "small", "normalsize", "large", "Large", "LARGE", "huge", "Huge", "left",
    "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "displaystyle",
    "textstyle", "scriptstyle", "limits", "nolimits", "mathstrut", "*", "nocorr", "sc", "rm",
    "sf", "tt", "normalshape", "boldmath", "unboldmath",
}  # fmt: skip
# Math accents, put on their argument as combining marks.
_MATH_ACCENTS = {
    "hat": "\u0302", "widehat": "\u0302", "bar": "\u0304", "tilde": "\u0303",
    "widetilde": "\u0303", "vec": "\u20d7", "dot": "\u0307", "ddot": "\u0308",
    "breve": "\u0306", "check": "\u030c", "acute": "\u0301", "grave": "\u0300",
}  # fmt: skip
_FRACTIONS = {"frac", "nicefrac", "tfrac", "dfrac"}
_TEXT_QUOTES = {"``": "“", "''": "”", "`": "‘", "'": "’"}
_MAX_DEPTH = 100


@cache
def _symbols() -> dict[str, str]:
    """Zero-argument macros and their text, from pylatexenc's tables plus a few of ours."""
    from pylatexenc.latex2text import get_default_latex_context_db
    from pylatexenc.latexwalker import get_default_latex_context_db as walker_context_db

    walker = walker_context_db()
    context = get_default_latex_context_db().filter_context(
        exclude_categories=["latex-placeholders", "latex-ethuebung"]
    )
    table: dict[str, str] = {}
    for spec in context.iter_macro_specs():
        text = spec.simplify_repl
        arguments = walker.get_macro_spec(spec.macroname)
        takes_none = arguments is None or arguments.args_parser.argspec == ""
        if isinstance(text, str) and "%" not in text and takes_none:
            table[spec.macroname] = text
    table.update(_EXTRA_SYMBOLS)
    return table


@cache
def _math_style() -> Callable[[str, str], str]:
    from pylatexenc.latex2text import fmt_math_text_style

    return fmt_math_text_style  # type: ignore[no-any-return]


def latex_to_html(text: str) -> Markup:
    """Convert a BibTeX field value to safe HTML.

    Args:
        text: The field value, LaTeX markup included, without its outer braces.

    Returns:
        Escaped text with ``<em>``, ``<strong>``, ``<sub>`` and ``<sup>`` where the LaTeX asked
        for them; whitespace collapsed, braces dropped, no ``$`` or backslash commands left.
    """
    if not _SPECIAL.search(text):
        return Markup(escape(_clean(text)))
    return Markup(_clean(_Converter(text, html=True).run()))


def latex_to_text(text: str) -> str:
    """Convert a BibTeX field value to plain Unicode text (for names, badges, notes).

    Args:
        text: The field value, LaTeX markup included.

    Returns:
        The text as a reader would see it, without any markup; not escaped.
    """
    if not _SPECIAL.search(text):
        return _clean(text)
    return _clean(_Converter(text, html=False).run())


def _clean(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip(" ")


def _accent(mark: str, base: str) -> str:
    """Put a combining accent on the first letter of ``base``."""
    if not base or base[0] in "<&":
        return base
    first = _DOTLESS.get(base[0], base[0])
    return unicodedata.normalize("NFC", first + mark) + base[1:]


class _Converter:
    """One conversion: a token list and a cursor, rendered by recursive descent."""

    def __init__(self, text: str, *, html: bool) -> None:
        self.tokens: list[str] = _TOKEN.findall(text)
        self.pos = 0
        self.html = html

    def run(self) -> str:
        return self.render(stop=None, math=False, depth=0)

    def tag(self, name: str, content: str) -> str:
        return f"<{name}>{content}</{name}>" if self.html and content else content

    def text(self, chars: str) -> str:
        return str(escape(chars)) if self.html else chars

    def render(self, stop: str | None, math: bool, depth: int) -> str:
        """Render tokens up to ``stop`` (consumed) or the end of the input."""
        out: list[str] = []
        while self.pos < len(self.tokens):
            token = self.tokens[self.pos]
            self.pos += 1
            if token == stop:
                break
            if token[0] == "\\" and token[1:] in _SWITCHES:
                self.skip_space()
                if depth >= _MAX_DEPTH:
                    continue  # each switch nests the rest (\em \em ...): past the limit, unstyled
                rest = self.render(stop, math, depth + 1)
                out.append(self.tag(_SWITCHES[token[1:]], rest))
                break
            out.append(self.render_token(token, math, depth))
        return "".join(out)

    def render_token(self, token: str, math: bool, depth: int) -> str:
        first = token[0]
        if first == "\\":
            return self.command(token[1:], math, depth)
        if token == "{":
            return self.render("}", math, depth + 1) if depth < _MAX_DEPTH else ""
        if token == "$" and not math:
            return self.render("$", True, depth + 1) if depth < _MAX_DEPTH else ""
        if token in ("}", "$"):
            return ""  # unbalanced; BibTeX would complain, a reader would not care
        if token == "~":
            return " " if math else "\u00a0"
        if first in " \t\n\r\f\v":
            return " "
        if token in ("^", "_"):
            if not math:
                return token
            return self.tag("sup" if token == "^" else "sub", self.argument(math, depth))
        if math:
            return "′" if token == "'" else self.text(token)
        if token in _TEXT_QUOTES:
            return _TEXT_QUOTES[token]
        if token == "--":
            return "–"
        if token == "---":
            return "—"
        return self.text(token)

    def command(self, name: str, math: bool, depth: int) -> str:
        """Render a control sequence (``name`` without the backslash)."""
        if name in _ACCENTS:
            return _accent(_ACCENTS[name], self.argument(math, depth))
        spaced = False
        if name.isalpha() and not math:
            spaced = self.skip_space()  # TeX eats the spaces after a control word
        if name in _EMPHASIS:
            return self.tag("em", self.argument(math, depth))
        if name in _STRONG:
            return self.tag("strong", self.argument(math, depth))
        if name in _SCRIPT:
            return self.tag(_SCRIPT[name], self.argument(math, depth))
        if name in _TRANSPARENT:
            return self.argument(math, depth)
        if name == "enquote":  # csquotes
            return f"“{self.argument(math, depth)}”"
        if name in _MATH_STYLES:
            content = self.argument(math, depth)
            if "&" in content or "<" in content:
                return content  # styling letter by letter would break entities and tags
            return _math_style()(content, _MATH_STYLES[name])
        if name in _DISCARD:
            self.argument(math, depth)
            return ""
        if name in _FRACTIONS:
            numerator = self.argument(math, depth)
            return f"{numerator}/{self.argument(math, depth)}"
        if name == "sqrt":
            return f"√({self.argument(math, depth)})"
        if name in ("(", "["):
            if depth >= _MAX_DEPTH:
                return ""
            return self.render("\\)" if name == "(" else "\\]", True, depth + 1)
        if name in _MATH_ACCENTS:
            return _accent(_MATH_ACCENTS[name], self.argument(math, depth))
        symbol = _symbols().get(name)
        if symbol is not None:
            return self.text(symbol)
        if name in _INVISIBLE or not name[:1].isalpha() or self.argument_follows():
            return ""  # an unknown macro with arguments: they follow as plain groups
        return self.text(name) + (" " if spaced else "")  # a user's macro: its name

    def argument_follows(self) -> bool:
        """Whether a non-empty braced group comes next."""
        tokens, pos = self.tokens, self.pos
        return pos + 1 < len(tokens) and tokens[pos] == "{" and tokens[pos + 1] != "}"

    def skip_space(self) -> bool:
        """Skip white space; whether there was any."""
        start = self.pos
        while self.pos < len(self.tokens) and self.tokens[self.pos][0] in " \t\n\r\f\v":
            self.pos += 1
        return self.pos > start

    def argument(self, math: bool, depth: int) -> str:
        """Render one macro argument: a braced group, a command, or a single character."""
        self.skip_space()
        if self.pos >= len(self.tokens) or depth >= _MAX_DEPTH:
            return ""
        token = self.tokens[self.pos]
        if token == "{":
            self.pos += 1
            return self.render("}", math, depth + 1)
        if token in ("}", "$"):
            return ""
        if token[0] == "\\" or len(token) == 1:
            self.pos += 1
            return self.render_token(token, math, depth + 1)
        # A run of text: the argument is its first character, the rest stays for later.
        self.tokens[self.pos] = token[1:]
        return self.render_token(token[0], math, depth + 1)


_COMMAND = re.compile(r"\\([A-Za-z]+)(\s*\{(?!\s*\}))?")


@cache
def _known() -> frozenset[str]:
    """Every control word the converter gives a meaning."""
    return frozenset().union(
        _ACCENTS, _EMPHASIS, _STRONG, _SCRIPT, _MATH_STYLES, _TRANSPARENT, _DISCARD, _SWITCHES,
        _INVISIBLE, _MATH_ACCENTS, _FRACTIONS, ("sqrt", "enquote"), _symbols(),
    )  # fmt: skip


def unknown_commands(text: str) -> list[tuple[str, bool]]:
    """The control words of ``text`` that are no LaTeX this module knows, once each, in order.

    Returns:
        Each name, and whether an argument follows it: then the name is left out and the
        argument shown, else the name is shown (see the module's notes).
    """
    if "\\" not in text:
        return []
    known = _known()
    found = (
        (name, bool(argument)) for name, argument in _COMMAND.findall(text) if name not in known
    )
    return list(dict.fromkeys(found))
