"""Inline Markdown -> safe HTML. Raw HTML in user text is escaped, never passed through.

Links are made only to the web, mail and phone (:mod:`cv.links`): a relative one is resolved
against the web address of the record being rendered (:func:`relative_to`), and without one it
stays text, as does any ``file:``, ``javascript:`` or ``data:`` link.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from cv import links

_BASE: ContextVar[str | None] = ContextVar("link_base", default=None)
"""The web address relative links resolve against while a record is rendered."""


@contextmanager
def relative_to(base: str | None) -> Iterator[None]:
    """Resolve relative links against ``base`` (None: leave them text) within the block."""
    token = _BASE.set(base)
    try:
        yield
    finally:
        _BASE.reset(token)


def _normalize(url: str) -> str:
    resolved = links.resolve(url, _BASE.get())
    return _DEFAULT.normalizeLink(resolved) if resolved is not None else ""


def _is_safe(url: str) -> bool:
    return bool(url)  # _normalize made it empty when it may not be a link


_DEFAULT = MarkdownIt("commonmark")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": True})
    md.enable(["replacements", "smartquotes"])
    md.disable("image")  # a CV's text embeds no images: nothing to fetch from user text
    md.normalizeLink = _normalize  # type: ignore[method-assign]
    md.validateLink = _is_safe  # type: ignore[method-assign]
    return md


@lru_cache(maxsize=1)
def _scanner() -> MarkdownIt:
    """A parser that takes every link as written, to find them (:func:`link_targets`)."""
    md = MarkdownIt("commonmark", {"html": False})
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


def link_targets(text: str) -> list[str]:
    """Every link target of Markdown ``text``, as written (inline, autolinks and references)."""
    found = []
    for token in _scanner().parse(text):
        for child in token.children or ():
            if child.type == "link_open":
                found.append(str(child.attrGet("href") or ""))
    return found


def inline(text: str | None) -> Markup:
    """Render one paragraph of inline Markdown (links, emphasis, code) to safe HTML."""
    if not text:
        return Markup("")
    return Markup(_parser().renderInline(text).strip())


def block(text: str | None) -> Markup:
    """Render Markdown with paragraphs and lists (for ``about``) to safe HTML."""
    if not text:
        return Markup("")
    return Markup(_parser().render(text).strip())


def safe_url(url: str | None) -> str | None:
    """The link to make of a URL field: web, mail or phone, a relative one resolved; else None."""
    if not url:
        return None
    return links.resolve(url, _BASE.get())


__all__ = ["block", "escape", "inline", "link_targets", "relative_to", "safe_url"]
