"""Inline Markdown -> safe HTML. Raw HTML in user text is escaped, never passed through."""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": True})
    md.enable(["replacements", "smartquotes"])
    md.disable("image")  # a CV's text embeds no images: nothing to fetch from user text
    md.validateLink = _is_safe_link  # type: ignore[method-assign]
    return md


def _is_safe_link(url: str) -> bool:
    """Only web, mail and phone links, and relative ones; never javascript:, data: or file:."""
    lowered = url.strip().lower()
    if ":" not in lowered.split("/", 1)[0]:
        return True  # relative: no scheme
    return lowered.startswith(SAFE_SCHEMES)


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
    """The URL when its scheme is safe to link to, else None."""
    if not url or not _is_safe_link(url):
        return None
    return url.strip()


__all__ = ["block", "escape", "inline", "safe_url"]
