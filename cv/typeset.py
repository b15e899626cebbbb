"""The last touches of a rendered page's text, as a typesetter would make them.

Applied to the text between the tags of a page's ``<body>`` (never to tags, attribute values or
the stylesheet), after the templates ran, so every section and every theme gets them:

- on paper, the words that may be hyphenated get their soft hyphens here (print.css sets
  ``hyphens: manual``), from the document's language (plain "en" is US English: "knowl-edge",
  not "know-ledge"), at least three letters on either side. Never hyphenated: acronyms and names
  with inner capitals ("IJCAI", "FedML", "arXiv"), identifiers and numbers ("2401.17644",
  "ICLR’24"), addresses, compounds, which break at their own hyphen only ("hardware-|friendly",
  never "hard-|ware-friendly"), and links. Titles, names and dates are ``hyphens: none``.
  Doing it here rather than with ``hyphens: auto`` adds no box around the words kept whole: a
  box would change where WeasyPrint breaks a line, and a box in a link a second annotation;
- a title or an initial stays with the name it belongs to ("Prof. Xiaowen Chu");
- straight apostrophes become curly ones, as the curly quotes beside them ("I’m", "’21").
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyphen

from cv.cache import keep, read_kept

_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"<(/?[A-Za-z][\w-]*)")
_WORD = re.compile(r"(?<![\w&#;’'./:@-])[A-Za-z]?[a-z]{5,}(?![\w’'/:@-]|\.\w)")
"""A word that may be hyphenated: letters only, lower case after a first capital, not part of
an identifier, an address, a compound, an entity or a word with an apostrophe."""
_HONORIFIC = re.compile(r"\b(Prof|Dr|Mr|Mrs|Ms|Mx|St)\. (?=[A-Z])")
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)|(?<![\w’‘])'(?=\d\d\b)")
_SKIP = frozenset({"style", "script", "title", "h1", "h2", "h3"})
SOFT_HYPHEN = "\u00ad"
US_ENGLISH = {"en": "en_US"}  # pyphen's plain "en" is British English


def typeset(html: str, lang: str | None = None) -> str:
    """The page ``html`` with its body text typeset (see the module's docstring).

    Args:
        html: A whole page.
        lang: The language to hyphenate in (the page's ``lang``); None for no hyphenation
            (cv.html: a browser sets the screen ragged-right, unhyphenated).
    """
    start = html.find("<body")
    if start < 0:
        return html
    dictionary = _dictionary(lang) if lang else None
    parts = _TAG.split(html[start:])
    skipping = ""
    links = 0
    for index in range(0, len(parts), 2):
        if index:
            found = _TAG_NAME.match(parts[index - 1])
            name = found.group(1).lower() if found else ""
            if name in _SKIP:
                skipping = name
            elif name == f"/{skipping}":
                skipping = ""
            links += (name == "a") - (name == "/a")
        text = parts[index]
        if not skipping and text and not text.isspace():
            parts[index] = _text(text, dictionary if links <= 0 else None)
    return html[:start] + "".join(parts)


def _text(text: str, dictionary: pyphen.Pyphen | None) -> str:
    """One run of text between tags (escaped HTML text, no tags)."""
    if "'" in text or "&#39;" in text:
        text = _APOSTROPHE.sub("’", text.replace("&#39;", "'"))
    if ". " in text:
        text = _HONORIFIC.sub(_keep_with_name, text)
    if dictionary is None or len(text) < 5:
        return text
    return _WORD.sub(lambda word: _hyphenated(dictionary, word.group(0)), text)


def _keep_with_name(title: re.Match[str]) -> str:
    return title.group(1) + ".\u00a0"


@lru_cache(maxsize=8)
def _dictionary(lang: str) -> pyphen.Pyphen | None:
    """The hyphenation patterns of a language tag, or None when there are none for it."""
    tag = lang.replace("-", "_")
    found = US_ENGLISH.get(tag) or pyphen.language_fallback(tag)
    if not found:
        return None
    path = pyphen.LANGUAGES[found]
    if path not in pyphen.hdcache:
        pyphen.hdcache[path] = _patterns(path)
    return pyphen.Pyphen(lang=found, left=3, right=3)


def _patterns(path: Path) -> pyphen.HyphDict:
    """pyphen's patterns of one ``.dic`` file, parsed once and then read back from the cache.

    Parsing US English takes 0.07 s, reading the parsed patterns back 0.006 s (see
    :mod:`cv.cache`). Kept per file, its size and time and pyphen's version; patterns with
    pyphen's non-standard alternatives (not numbers) are not kept.
    """
    found = path.stat()
    key = f"pyphen {pyphen.__version__} {path} {found.st_size} {found.st_mtime_ns}"
    kept = read_kept("hyphenation", key)
    if not _are_patterns(kept):
        parsed = pyphen.HyphDict(path)
        values = parsed.patterns.values()
        if all(type(value) is int for _, numbers in values for value in numbers):
            keep("hyphenation", key, parsed.patterns)
        return parsed
    # The state HyphDict.__init__ leaves (tests/test_typeset.py compares the two).
    dictionary: pyphen.HyphDict = object.__new__(pyphen.HyphDict)
    dictionary.patterns = kept
    dictionary.cache = {}
    dictionary.maxlen = max(len(text) for text in kept)
    return dictionary


def _are_patterns(found: Any) -> bool:
    """Whether ``found`` has the shape of pyphen's patterns: text to (start, numbers)."""
    return (
        isinstance(found, dict)
        and bool(found)
        and all(
            type(value) is tuple and len(value) == 2 and type(value[1]) is tuple
            for value in found.values()
        )
    )


@lru_cache(maxsize=50_000)
def _hyphenated(dictionary: pyphen.Pyphen, word: str) -> str:
    return str(dictionary.inserted(word, hyphen=SOFT_HYPHEN))
