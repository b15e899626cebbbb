"""The Liquid of a Jekyll page, as far as an importer can run it without Jekyll.

Jekyll runs Liquid before Markdown: ``{% include_relative modules/news.md %}`` puts that file's
text in place, and the Markdown of the whole is read afterwards. :func:`expand_includes` does the
same for ``include_relative`` (beside the including file) and ``include`` (the site's
``_includes/``), inside the site's folder only: a name that leaves it (``../``, an absolute path,
a symbolic link pointing out), a missing file, a loop or a file too large is not followed, with a
warning naming the line of the tag. ``{% comment %}`` blocks are dropped, ``{{ site.x.y }}`` is
filled in from ``_config.yml`` when it names a plain value. Every line remembers the file and the
line it came from, for the notices.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["MAX_INCLUDE_DEPTH", "PageLine", "expand_includes", "fill_variables"]

#: How deep includes nest (Jekyll allows more; a page that needs more is a loop or hostile).
MAX_INCLUDE_DEPTH = 6
#: The most text the includes of one page may add, in characters.
MAX_INCLUDED = 4_000_000

_INCLUDE = re.compile(
    r"\{%-?\s*(?P<tag>include_relative|include)\s+(?P<name>(?:\{\{.*?\}\}|[^\s%}])+)[^%]*?-?%\}",
    re.I,
)
_COMMENT_OPEN = re.compile(r"\{%-?\s*comment\s*-?%\}", re.I)
_COMMENT_CLOSE = re.compile(r"\{%-?\s*endcomment\s*-?%\}", re.I)
_VARIABLE = re.compile(r"\{\{-?\s*(?P<expression>.*?)\s*-?\}\}")


@dataclass(frozen=True)
class PageLine:
    """One line of the page after its includes are put in place, and where it was written."""

    text: str
    line: int
    #: The included file it comes from, as the site names it; None for the page itself.
    file: str | None = None


Warn = Callable[[PageLine, str], None]


def expand_includes(
    lines: list[PageLine], page: Path | None, site: Path | None, warn: Warn
) -> list[PageLine]:
    """The page's lines with the files its ``include`` tags name put in their place.

    Args:
        lines: The page's lines (after its front matter).
        page: The page's file, which ``include_relative`` is relative to; None for text.
        site: The site's folder, which no include may leave; None: includes are not followed.
        warn: Called with the tag's line and the reason, for each include not followed.
    """
    budget = [MAX_INCLUDED]
    return _expand(lines, page, site.resolve() if site else None, warn, (), budget)


def _expand(
    lines: list[PageLine],
    page: Path | None,
    site: Path | None,
    warn: Warn,
    stack: tuple[Path, ...],
    budget: list[int],
) -> list[PageLine]:
    out: list[PageLine] = []
    in_comment = False
    for line in lines:
        text = line.text
        if in_comment or _COMMENT_OPEN.search(text):
            text, in_comment = _drop_comments(text, in_comment)
            line = PageLine(text, line.line, line.file)
        position = 0
        for found in _INCLUDE.finditer(text):
            before = text[position : found.start()]
            if before.strip():
                out.append(PageLine(before, line.line, line.file))
            position = found.end()
            target = _target(found["tag"].lower(), found["name"], page, site, stack)
            if isinstance(target, str) or site is None:
                why = target if isinstance(target, str) else "the site's folder is not known"
                warn(line, f"{{% {found['tag']} {found['name']} %}} not followed: {why}")
                continue
            out += _included(target, line, page, site, warn, stack, budget)
        rest = text[position:]
        if position == 0 or rest.strip():
            out.append(PageLine(rest, line.line, line.file))
    return out


def _included(
    target: Path,
    line: PageLine,
    page: Path | None,
    site: Path,
    warn: Warn,
    stack: tuple[Path, ...],
    budget: list[int],
) -> list[PageLine]:
    """The lines of one included file (its own includes expanded), or none with a warning."""
    shown = target.relative_to(site).as_posix()
    try:
        data = target.read_bytes()[: budget[0] + 1]
    except OSError as error:
        warn(line, f"included file '{shown}' cannot be read ({error.strerror}); not followed")
        return []
    if len(data) > budget[0]:
        warn(line, f"included file '{shown}' passes the {MAX_INCLUDED:,} characters includes add")
        return []
    budget[0] -= len(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        warn(line, f"included file '{shown}' is not UTF-8 (byte {error.start}); not followed")
        return []
    raw = text.splitlines()
    start = front_matter_end(raw)
    included = [PageLine(raw[i], i + 1, shown) for i in range(start, len(raw))]
    return _expand(included, target, site, warn, (*stack, target), budget)


def _target(
    tag: str, name: str, page: Path | None, site: Path | None, stack: tuple[Path, ...]
) -> Path | str:
    """The file an include names, or why it is not followed."""
    if site is None:
        return "the site's folder is not known (pass --config)"
    if "{{" in name or "{%" in name:
        return "its name is computed by Liquid"
    if len(stack) >= MAX_INCLUDE_DEPTH:
        return f"includes nest deeper than {MAX_INCLUDE_DEPTH}"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or "\x00" in name:
        return "an absolute path"
    if tag == "include_relative":
        base = page.parent if page is not None else site
    else:
        base = site / "_includes"
    try:
        target = (base / name).resolve()
    except (OSError, RuntimeError, ValueError):
        return "the name cannot be resolved"
    if not target.is_relative_to(site):
        return "it points outside the site's folder"
    if target in stack or (page is not None and target == page.resolve()):
        return "the file includes itself"
    if not target.is_file():
        where = "beside the page" if tag == "include_relative" else "in _includes/"
        return f"no such file {where}"
    return target


def _drop_comments(text: str, in_comment: bool) -> tuple[str, bool]:
    """The text outside ``{% comment %} ... {% endcomment %}``, and whether one is still open."""
    out: list[str] = []
    while text:
        if in_comment:
            close = _COMMENT_CLOSE.search(text)
            if close is None:
                return "".join(out), True
            text, in_comment = text[close.end() :], False
        else:
            opening = _COMMENT_OPEN.search(text)
            if opening is None:
                out.append(text)
                break
            out.append(text[: opening.start()])
            text, in_comment = text[opening.end() :], True
    return "".join(out), in_comment


def front_matter_end(lines: list[str]) -> int:
    """The index of the first line after a ``---`` front matter (0 without one)."""
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() in ("---", "..."):
                return index + 1
    return 0


def fill_variables(text: str, config: Mapping[str, Any]) -> tuple[str, list[str]]:
    """``{{ site.author.name }}`` and ``{{ '/files/x.pdf' | relative_url }}`` filled in.

    A variable the config has as a plain value (text or a number) is put in place, and a
    quoted path with ``relative_url`` (the site's ``baseurl`` before it) or ``absolute_url``
    (its ``url`` too); any other output tag is dropped and named in the list returned.
    """
    unknown: list[str] = []

    def value(found: re.Match[str]) -> str:
        head, *filters = [part.strip() for part in found["expression"].split("|")]
        quoted = re.fullmatch(r"""(["'])(.*)\1""", head)
        item: Any
        if quoted:
            item = quoted.group(2)
        else:
            item = {"site": config}
            for part in head.split("."):
                item = item.get(part) if isinstance(item, Mapping) else None
        if not isinstance(item, (str, int, float)) or isinstance(item, bool):
            unknown.append(found.group().strip())
            return ""
        text = str(item)
        for name in filters:
            if name in ("relative_url", "absolute_url"):
                base = str(config.get("baseurl") or "").rstrip("/")
                text = f"{base}/{text.lstrip('/')}" if not re.match(r"^[a-z]+:", text) else text
                if name == "absolute_url":
                    text = str(config.get("url") or "").rstrip("/") + text
            elif name not in ("escape", "strip", "xml_escape"):
                unknown.append(found.group().strip())
                return ""
        return text

    return _VARIABLE.sub(value, text), unknown
