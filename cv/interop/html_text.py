"""HTML as a browser reads it (tinyhtml5, an HTML5 parser) -> the inline Markdown of the record.

A homepage mixes Markdown and HTML freely: ``<strong>``, ``<font>``, ``<sup>*</sup>``, ``<br>``,
icons (``<i class="fas fa-fire"></i>``), links. :func:`inline_markdown` turns an element's
content into the record's Markdown: bold, italics and links kept, author marks kept as marks,
LaTeX marks (``$^\\dagger$``) as the symbol, icons, images, scripts, styles and comments dropped,
``<br>`` as a line break. :func:`box_lines` splits a block of HTML (a paper box, a card) into
its lines, the way it shows on the page.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator

import tinyhtml5

__all__ = [
    "BLOCK_TAGS",
    "DROPPED_TAGS",
    "Element",
    "box_lines",
    "classes",
    "inline_markdown",
    "is_comment",
    "latex_marks",
    "parse_html",
]

Element = ET.Element

#: Elements whose content is never text of the record.
DROPPED_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "svg",
        "math",
        "img",
        "video",
        "audio",
        "canvas",
        "object",
        "embed",
        "input",
        "button",
        "select",
        "textarea",
        "link",
        "meta",
        "head",
        "title",
        "cv-line",
    }
)
#: Elements that begin a new line.
BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "aside",
        "header",
        "footer",
        "main",
        "nav",
        "center",
        "blockquote",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "hr",
        "figure",
        "figcaption",
        "details",
        "summary",
        "form",
        "fieldset",
        "address",
    }
)
_BOLD = frozenset({"strong", "b"})
_ITALIC = frozenset({"em", "i", "cite", "var", "dfn"})
_MARKS = re.compile(r"[*†‡#§¶⋆✝✉]+|[,\s]*")
_LATEX_MARK = re.compile(
    r"\$\s*\^?\s*\{?\s*(?P<mark>\\dagger|\\ddagger|\\ast|\*|\\star|\\#|\#|\\S|\\P|"
    r"\\natural|\\sharp|\\clubsuit|\\spadesuit|\\diamond|\\heartsuit|\\circ|\\bullet|"
    r"\\dag|\\ddag|\d{1,2}|[a-z])\s*\}?\s*\$"
)
_LATEX_SYMBOLS = {
    r"\dagger": "†",
    r"\dag": "†",
    r"\ddagger": "‡",
    r"\ddag": "‡",
    r"\ast": "*",
    "*": "*",
    r"\star": "*",
    r"\#": "#",
    "#": "#",
    r"\S": "§",
    r"\P": "¶",
}
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_BREAK = "\x00"  # a line break while text is gathered, before whitespace is collapsed
_TEXT_MARK = re.compile(r"[*_`\[\]]")
_SCRIPTED = re.compile(r"^\s*(?:javascript|data|vbscript):", re.I)


def parse_html(text: str) -> Element:
    """The ``<body>`` of an HTML document or fragment, as an HTML5 parser builds it."""
    root = tinyhtml5.parse(text, namespace_html_elements=False)
    body = root.find("body")
    return body if body is not None else root


def is_comment(element: Element) -> bool:
    return not isinstance(element.tag, str)


def classes(element: Element) -> set[str]:
    return set((element.get("class") or "").lower().split())


def latex_marks(text: str) -> str:
    """``$^\\dagger$`` -> ``†``, ``$^*$`` -> ``*``; an affiliation number (``$^1$``) goes."""

    def symbol(found: re.Match[str]) -> str:
        mark = found["mark"]
        inside = found.start() > 0 and text[found.start() - 1] not in " ,*"
        if mark.isdigit() and inside and found.end() < len(text) and text[found.end()] not in " ,":
            return mark.translate(_SUPERSCRIPTS)  # C$^2$KD: a superscript inside a word
        return _LATEX_SYMBOLS.get(mark, "")

    return _LATEX_MARK.sub(symbol, text) if "$" in text else text


def inline_markdown(element: Element, resolve: Callable[[str], str] | None = None) -> str:
    """The element's content as inline Markdown; ``<br>`` and block children give ``\\n``.

    Args:
        element: The element (its own tag is not written, only its content).
        resolve: Makes a link's address absolute (relative links against the site's URL).
    """
    pieces = list(_pieces(element, resolve or (lambda url: url), inside=True))
    text = "".join(pieces)
    text = re.sub(r"[ \t\r\n\f\v\xa0\u2009\u200b]+", " ", text)
    lines = [_tidy(line) for line in text.split(_BREAK)]
    return "\n".join(line for line in lines if line)


def _tidy(line: str) -> str:
    line = line.strip()
    line = re.sub(r"\*\*(\s*)\*\*", r"\1", line)  # two bold runs side by side are one
    line = re.sub(r"\[\s*\]\([^)]*\)", "", line)  # a link around nothing (an image)
    return line.strip()


def _pieces(element: Element, resolve: Callable[[str], str], *, inside: bool) -> Iterator[str]:
    tag = element.tag if isinstance(element.tag, str) else None
    if tag is None:  # a comment: never shown
        yield from _text(element.tail)
        return
    if tag in DROPPED_TAGS:
        if not inside:
            yield from _text(element.tail)
        return
    if not inside:
        yield from _open(element, tag, resolve)
        return
    yield from _text(element.text)
    for child in element:
        yield from _pieces(child, resolve, inside=False)


def _open(element: Element, tag: str, resolve: Callable[[str], str]) -> Iterator[str]:
    """One child element as Markdown, then the text after it."""
    if tag == "br" or tag == "hr":
        yield _BREAK
    elif tag in BLOCK_TAGS:
        yield _BREAK
        if tag == "li":
            yield "- "
        yield from _pieces(element, resolve, inside=True)
        yield _BREAK
    elif tag == "sup":
        inner = "".join(_pieces(element, resolve, inside=True)).strip()
        if _MARKS.fullmatch(inner):
            yield inner.replace(",", "").replace(" ", "").replace("*", "\\*")
        elif inner.isdigit() or re.fullmatch(r"[\d,\s]+", inner):
            pass  # an affiliation's number
        else:
            yield inner
    elif tag in _BOLD or tag in _ITALIC:
        yield _emphasis("**" if tag in _BOLD else "*", element, resolve)
    elif tag == "a":
        yield _link(element, resolve)
    elif tag == "code" and not len(element):
        code = (element.text or "").strip()
        yield f"`{code.replace('`', '')}`" if code else ""
    else:  # span, font, small, u, code, sub, abbr, ...: their text
        yield from _pieces(element, resolve, inside=True)
    yield from _text(element.tail)


def _emphasis(marker: str, element: Element, resolve: Callable[[str], str]) -> str:
    inner = "".join(_pieces(element, resolve, inside=True))
    parts = inner.split(_BREAK)
    out = []
    for part in parts:
        stripped = part.strip()
        if not stripped or (stripped.startswith(marker) and stripped.endswith(marker)):
            out.append(part)  # nothing to emphasise, or emphasised already (<b><strong>)
            continue
        if marker == "**":  # bold inside bold (<strong> **x** y</strong>) is the same bold
            stripped = re.sub(r"(?:\\\*){2}|(?<!\\)\*\*", "", stripped).strip()
        lead = part[: len(part) - len(part.lstrip())]
        trail = part[len(part.rstrip()) :]
        out.append(f"{lead}{marker}{stripped}{marker}{trail}")
    return _BREAK.join(out)


def _link(element: Element, resolve: Callable[[str], str]) -> str:
    inner = "".join(_pieces(element, resolve, inside=True))
    href = (element.get("href") or "").strip()
    label = " ".join(inner.replace(_BREAK, " ").split())
    if not label:
        return ""
    if (
        not href
        or href.startswith("#")
        or re.match(r"^\s*(?:javascript|data|vbscript):", href, re.I)
    ):
        return label
    url = resolve(href).replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    return f"[{label}]({url})"


def _text(text: str | None) -> Iterator[str]:
    if text:
        yield _TEXT_MARK.sub(lambda found: "\\" + found.group(), latex_marks(text))


def box_lines(
    element: Element,
    line_of: Callable[[Element], int],
    resolve: Callable[[str], str] | None = None,
    skip: Callable[[Element], bool] = lambda _element: False,
) -> list[tuple[int, str]]:
    """The lines of a block of HTML as the page shows them, each with its source line.

    A block child (``<p>``, ``<div>``, ``<li>``), a ``<br>`` and a line of Markdown begin a
    line; list items begin with ``- ``. Elements ``skip`` takes (a badge) are left out.
    """
    lines: list[tuple[int, str]] = []

    def visit(node: Element) -> None:
        run = ET.Element("span")
        run.text = node.text
        run_line = line_of(node)
        for child in node:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in BLOCK_TAGS and tag not in ("li", "hr") and not skip(child):
                flush(run, run_line)
                visit(child)
                run = ET.Element("span")
                run.text = child.tail
                run_line = line_of(child)
            elif skip(child):
                flush(run, run_line)
                run = ET.Element("span")
                run.text = child.tail
            else:
                run.append(child)  # ElementTree keeps no parent: the page is not changed
        flush(run, run_line)

    def flush(run: Element, line: int) -> None:
        text = inline_markdown(run, resolve)
        lines.extend((line, part) for part in text.split("\n") if part.strip())

    visit(element)
    return lines
