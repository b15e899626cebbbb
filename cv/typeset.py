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

import pyphen

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
    return pyphen.Pyphen(lang=found, left=3, right=3) if found else None


@lru_cache(maxsize=50_000)
def _hyphenated(dictionary: pyphen.Pyphen, word: str) -> str:
    return str(dictionary.inserted(word, hyphen=SOFT_HYPHEN))
