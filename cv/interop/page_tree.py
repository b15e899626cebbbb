"""An AcadHomepage page read the way Jekyll and a browser read it, as a list of blocks.

The page's Markdown is parsed by markdown-it-py (CommonMark with GitHub's tables, the Markdown
Jekyll's kramdown reads for these pages), with its HTML kept; the HTML that results is parsed by
an HTML5 parser (:mod:`cv.interop.html_text`), so nested ``<div>`` boxes, ``<br>`` lines, inline
tags and comments spanning lines come out as a browser shows them. Comments, scripts and styles
are dropped (and counted, for a note). The document is then read back as :class:`Block` s:
headings, paragraphs, list items with their nested items, and boxes of HTML (a ``<div>`` without
headings in it: a paper box, a card), each with the line of the page it was written on.

Two things of kramdown are done first: the content of an element marked ``markdown="1"`` is
Markdown even without a blank line after the tag, and ``{: .class}`` attribute lines are not text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from cv.interop.html_text import (
    DROPPED_TAGS,
    Element,
    box_lines,
    classes,
    inline_markdown,
    is_comment,
    parse_html,
)
from cv.interop.markdown_items import Block

__all__ = ["Page", "read_page"]

_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_LISTS = ("ul", "ol")
_CONTAINERS = frozenset(
    {"div", "section", "article", "aside", "main", "header", "footer", "center", "blockquote"}
    | {"figure", "details", "form", "fieldset", "nav", "dl", "body"}
)
_KRAMDOWN_ATTRIBUTES = re.compile(r"^\s*\{:[^}]*\}\s*$")
_MARKDOWN_INSIDE = re.compile(
    r"""<[a-z][^>]*\bmarkdown\s*=\s*["']?(?:1|block)["']?[^>]*>\s*$""", re.I
)
#: A line of closing tags, empty paragraphs or breaks only (``</div>``, ``<p></p>``, ``<br>``),
#: after which kramdown reads Markdown again.
_CLOSING_ONLY = re.compile(r"^\s*(?:(?:</[a-z][a-z0-9]*|<p>\s*</p|<br\s*/?)\s*>\s*)+$", re.I)
_WIDGETS = ("script", "style", "iframe", "noscript", "template")


@dataclass
class Page:
    """The blocks of a page and what was left out of them on purpose."""

    blocks: list[Block]
    #: ``(line, how many lines)`` of each HTML comment.
    comments: list[tuple[int, int]] = field(default_factory=list)
    #: ``(line, tag)`` of each script, style or frame left out.
    widgets: list[tuple[int, str]] = field(default_factory=list)


def _markdown_it() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": True, "breaks": True})
    return parser.enable(["table", "strikethrough"])


def read_page(lines: Sequence[str], resolve: Callable[[str], str] | None = None) -> Page:
    """The blocks of a page's Markdown (after its front matter and Liquid).

    Args:
        lines: The page's lines; a block's ``line`` is the 1-based index of its first line here.
        resolve: Makes a link's address absolute (relative links against the site's URL).
    """
    source = _kramdown(list(lines))
    parser = _markdown_it()
    tokens = parser.parse("\n".join(text for _, text in source))
    for token in tokens:
        _mark_line(token, [number for number, _ in source])
    body = parse_html(parser.renderer.render(tokens, parser.options, {}))
    reader = _Reader(_lines_of(body), resolve)
    reader.read(body, reader.blocks)
    return Page(reader.blocks, reader.comments, reader.widgets)


def _kramdown(lines: list[str]) -> list[tuple[int, str]]:
    """``(line, text)``: kramdown's attribute lines out, a blank line after ``markdown="1"``."""
    out: list[tuple[int, str]] = []
    for index, text in enumerate(lines):
        if _KRAMDOWN_ATTRIBUTES.match(text):
            continue
        if text.rstrip().endswith("\\\\") and not text.rstrip().endswith("\\\\\\"):
            text = text.rstrip()[:-2] + "<br>"  # kramdown's line break
        out.append((index + 1, text))
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if _MARKDOWN_INSIDE.search(text) and following.strip():
            out.append((index + 1, ""))
        elif _CLOSING_ONLY.match(text) and following.strip() and following.lstrip()[:1] != "<":
            out.append((index + 1, ""))  # kramdown ends a block of HTML at its closing tag
    return out


def _mark_line(token: Token, numbers: list[int]) -> None:
    """Give a block token the page's line: an attribute, or markers inside raw HTML."""
    if token.map is None:
        return
    first = numbers[min(token.map[0], len(numbers) - 1)]
    if token.type == "html_block":
        parts = token.content.split("\n")
        marked = []
        for offset, part in enumerate(parts):
            index = min(token.map[0] + offset, len(numbers) - 1)
            if part.lstrip().startswith("<"):
                part = f'<cv-line n="{numbers[index]}"></cv-line>{part}'
            marked.append(part)
        token.content = "\n".join(marked)
    elif token.nesting == 1:
        token.attrSet("data-cv-line", str(first))
    if token.children:
        for child in token.children:
            _mark_line(child, numbers)


def _lines_of(body: Element) -> dict[int, int]:
    """Each element's line: the last line marker before it in the document."""
    found: dict[int, int] = {}
    current = 1
    for element in body.iter():
        marker = element.get("data-cv-line") or (
            element.get("n") if element.tag == "cv-line" else None
        )
        if marker and marker.isdigit():
            current = int(marker)
        found[id(element)] = current
    return found


class _Reader:
    def __init__(self, lines: dict[int, int], resolve: Callable[[str], str] | None) -> None:
        self.lines = lines
        self.resolve = resolve
        self.blocks: list[Block] = []
        self.comments: list[tuple[int, int]] = []
        self.widgets: list[tuple[int, str]] = []

    def line(self, element: Element) -> int:
        return self.lines.get(id(element), 1)

    def read(self, node: Element, out: list[Block]) -> None:
        """The blocks of a container's content, in order, appended to ``out``."""
        run: list[Element | str] = [node.text] if node.text else []
        run_line = self.line(node)
        for child in node:
            tag = child.tag if isinstance(child.tag, str) else ""
            if is_comment(child):
                text = child.text or ""
                self.comments.append((self.line(child), text.count("\n") + 1))
            elif tag in DROPPED_TAGS and tag != "img":
                if tag in _WIDGETS:
                    self.widgets.append((self.line(child), tag))
            elif (
                tag in _HEADINGS
                or tag in _LISTS
                or tag in ("p", "table", "pre", "hr")
                or (tag in _CONTAINERS)
            ):
                self._paragraph(run, run_line, out)
                run, run_line = [], self.line(child)
                self._block(child, tag, out)
            else:
                run.append(child)
                continue
            if child.tail and child.tail.strip():
                if not run:
                    run_line = self.line(child)
                run.append(child.tail)
        self._paragraph(run, run_line, out)

    def _block(self, child: Element, tag: str, out: list[Block]) -> None:
        line = self.line(child)
        if tag in _HEADINGS:
            text = " ".join(inline_markdown(child, self.resolve).split("\n"))
            out.append(Block("heading", line, text, level=_HEADINGS[tag]))
        elif tag in _LISTS:
            out.extend(self._item(item) for item in child if item.tag == "li")
        elif tag == "p" or tag == "pre":
            self._paragraph([child], line, out, own=True)
        elif tag == "table":
            for row in child.iter("tr"):
                cells = [inline_markdown(cell, self.resolve) for cell in row]
                text = ", ".join(" ".join(cell.split("\n")) for cell in cells if cell.strip())
                if text:
                    out.append(Block("item", self.line(row), text, lines=[(self.line(row), text)]))
        elif tag == "hr":
            return
        elif tag in ("blockquote", "body") or self._wraps_sections(child):
            self.read(child, out)  # a wrapper of the page's sections
        else:
            inner: list[Block] = []
            self.read(child, inner)
            lines = box_lines(child, self.line, self.resolve, _hidden)
            text = " ".join(part for _, part in lines)
            out.append(Block("html", line, text, inner, lines=lines, element=child))

    def _item(self, item: Element) -> Block:
        """A list item, its nested lists as its children."""
        own = Element("li")
        own.text = item.text
        children: list[Block] = []
        for child in item:
            if child.tag in _LISTS:
                children += [self._item(nested) for nested in child if nested.tag == "li"]
                own_tail = Element("span")
                own_tail.text = child.tail
                own.append(own_tail)
            else:
                own.append(child)
        text = inline_markdown(own, self.resolve)
        lines = [(self.line(item) + offset, part) for offset, part in enumerate(text.split("\n"))]
        return Block("item", self.line(item), " ".join(text.split("\n")), children, lines=lines)

    def _paragraph(
        self, run: list[Element | str], line: int, out: list[Block], *, own: bool = False
    ) -> None:
        if not run:
            return
        if own:
            holder = run[0]
            assert isinstance(holder, Element)
        else:
            holder = Element("span")
            for piece in run:
                if isinstance(piece, str):
                    _append_text(holder, piece)
                else:
                    holder.append(piece)
        text = inline_markdown(holder, self.resolve)
        if not text.strip() and not any(
            isinstance(piece, Element) and piece.tag == "img" or _has_img(piece) for piece in run
        ):
            return
        parts = text.split("\n")
        lines = [(line + offset, part) for offset, part in enumerate(parts)]
        out.append(Block("paragraph", line, " ".join(parts), lines=lines, element=holder))

    def _wraps_sections(self, element: Element) -> bool:
        """Whether a container wraps headings of the page (not a box titled by one heading)."""
        if "paper-box" in classes(element):
            return False
        levels = [
            _HEADINGS[node.tag]
            for node in element.iter()
            if isinstance(node.tag, str) and node.tag in _HEADINGS
        ]
        return len(levels) > 1 or any(level <= 2 for level in levels)


def _has_img(piece: Element | str) -> bool:
    return isinstance(piece, Element) and any(node.tag == "img" for node in piece.iter())


def _append_text(holder: Element, text: str) -> None:
    """Text after the holder's last child (its tail) or as its text."""
    if len(holder):
        tail = Element("span")
        tail.text = text
        holder.append(tail)
    else:
        holder.text = (holder.text or "") + text


def _hidden(element: Element) -> bool:
    """What a box's lines leave out: its badge and the BibTeX or abstract folded in it."""
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag in ("details", "pre") or "badge" in classes(element)
