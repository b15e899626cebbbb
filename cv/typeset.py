"""The last touches of a rendered page's text, as a typesetter would make them.

Applied to the text between the tags of a page's ``<body>`` (never to tags, attribute values or
the stylesheet), after the templates ran, so every section and every theme gets them:

- a word hyphenation would spoil is set in ``<span class="nohy">`` (``hyphens: manual`` in
  print.css): acronyms and names with inner capitals ("IJCAI", "FedML", "McKay"), identifiers
  ("arXiv:2401.17644", "ICLR'24", "10.1109/TPDS"), addresses and compounds, which break at
  their own hyphen only ("hardware-|friendly", never "hard-|ware-friendly");
- a title or an initial stays with the name it belongs to ("Prof. Xiaowen Chu");
- straight apostrophes become curly ones, as the curly quotes beside them ("I’m", "’21").
"""

from __future__ import annotations

import re

_TAG = re.compile(r"(<[^>]*>)")
_ENTITY = re.compile(r"&#?\w+;")
_WORD = re.compile(r"(?:&#?\w+;|[^\s<>&])+")  # an entity is a part of its word
_NO_HYPHENATION = re.compile(
    r"[A-Z]\S*[A-Z]|\w[A-Z]"  # capitals: acronyms ("IJCAI"), names ("FedML", "arXiv")
    r"|\d"  # an identifier or a number with letters
    r"|[:/@_.]\w"  # an address, a DOI, an e-mail, a dotted name
    r"|\w-\w"  # a compound, broken at its own hyphen only
)
_HONORIFIC = re.compile(r"\b(Prof|Dr|Mr|Mrs|Ms|Mx|St)\. (?=[A-Z])")
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)|(?<![\w’‘])'(?=\d\d\b)")
_SKIP = frozenset({"style", "script", "title", "h1", "h2", "h3"})  # headings: never hyphenated


def typeset(html: str) -> str:
    """The page ``html`` with its body text typeset (see the module's docstring)."""
    start = html.find("<body")
    if start < 0:
        return html
    parts = _TAG.split(html[start:])
    skipping = ""
    links = 0  # a link is never hyphenated, and a box inside it would be a second annotation
    for index in range(0, len(parts), 2):
        if index:
            tag = parts[index - 1]
            name = tag[1:].split(None, 1)[0].rstrip(">/").lower() if len(tag) > 2 else ""
            if name in _SKIP:
                skipping = name
            elif name == f"/{skipping}":
                skipping = ""
            links += (name == "a") - (name == "/a")
        if not skipping and parts[index]:
            parts[index] = _text(parts[index], protect=links <= 0)
    return html[:start] + "".join(parts)


def _text(text: str, protect: bool) -> str:
    """One run of text between tags (escaped HTML text, no tags)."""
    text = _APOSTROPHE.sub("’", text.replace("&#39;", "'"))
    text = _HONORIFIC.sub("\\1.\u00a0", text)
    return _WORD.sub(_protect, text) if protect else text


def _protect(word: re.Match[str]) -> str:
    found = word.group(0)
    bare = _ENTITY.sub("x", found)
    if len(bare) < 5 or not _NO_HYPHENATION.search(bare):
        return found  # too short to hyphenate, or an ordinary word
    return f'<span class="nohy">{found}</span>'
