"""The parts of a paper as homepages write them: authors, years, venues, titles and links.

Shared by the paper readers (:mod:`cv.interop.papers` for paper boxes and publication lines,
:mod:`cv.interop.references` for references as people cite them). Each function takes one line
of inline Markdown (as :mod:`cv.interop.html_text` makes it) and reads one part of it.
"""

from __future__ import annotations

import re

from cv.interop.item_parts import YEAR, looks_like_name
from cv.interop.text import LINK, markdown_link, plain, split_top

__all__ = [
    "LINK_FIELDS",
    "YEAR",
    "author_score",
    "authors_of",
    "drop_links",
    "is_title_link",
    "links_of",
    "name_piece",
    "only_links",
    "sentence_end",
    "title_text",
    "trailing_venue",
    "venue_like",
    "year_of",
]

LINK_FIELDS = {
    "pdf": "pdf",
    "paper": "pdf",
    "code": "code",
    "github": "code",
    "project": "website",
    "website": "website",
    "homepage": "website",
    "page": "website",
    "project page": "website",
    "demo": "website",
    "dataset": "website",
    "data": "website",
    "slides": "slides",
    "poster": "poster",
    "video": "video",
    "talk": "video",
    "blog": "blog",
    "supp": "supp",
    "supplementary": "supp",
    "appendix": "supp",
    "html": "html",
    "arxiv": "arxiv",
    "doi": "doi",
    "url": "url",
    "online": "url",
    "link": "url",
    "full text": "url",
    "paper link": "pdf",
    "pdf link": "pdf",
    "arxiv link": "arxiv",
    "publisher": "url",
    "ieee": "url",
    "acm": "url",
}


#: A venue's name as an abbreviation with the year's last two digits: ``AAAI-26``, ``CVPR'24``.
_SHORT_YEAR = re.compile(r"\b[A-Z][A-Za-z]{1,12}\s?(?:-|'|’)\s?(\d{2})\b")


#: A note in parentheses after a title: ``(First-author, JCR Q1)``, ``(CCF-A)``, ``(Oral)``.
_TITLE_NOTE = re.compile(
    r"\s*[(（][^()（）]*(?:author|JCR|\bIF\b|IF[-=]|CCF|\bQ[1-4]\b|oral|spotlight|best|top)"
    r"[^()（）]*[)）]\s*$",
    re.I,
)


#: A note on an author's part: ``(equal contribution)``, ``(co-first author)``.
_ROLE_NOTE = re.compile(
    r"\s*\(\s*(?:equal contribution|corresponding author|co-?first author|first author|"
    r"equal|corresponding)[^)]*\)",
    re.I,
)


_VENUE_WORDS = re.compile(
    r"conference|proceedings|journal|transactions|symposium|workshop|arxiv|preprint|"
    r"letters|magazine|review|\bin\s+press\b|accepted|under review|submitted|"
    r"\b[A-Z]{2,}[A-Za-z]*\s?(?:'|’|-)?\s?(?:19|20)?\d{2}\b",
)


def is_title_link(line: str) -> bool:
    """Whether a line is one link whose label is no link's name (``[Title](url)``, not PDF)."""
    found = markdown_link(line.rstrip(" \\"))
    return found is not None and plain(found[0]).strip("[]\\ ").lower() not in LINK_FIELDS


def title_text(line: str) -> str:
    """A title line without its emphasis, quotes and the period after it."""
    text = re.sub(r"^[-–—:]\s+", "", plain(line).strip())  # **-** Title
    text = _TITLE_NOTE.sub("", text)  # Title(First-author, JCR Q1, IF-5.6)
    text = re.sub(r'^["“](.+)["”][.,]?$', r"\1", text)
    # a document type of GB/T 7714 (Chinese references): Title[J]. Venue.
    text = re.sub(r"\s*\[(?:[JCDMRPSNZA]|EB|[JCM]/OL|EB/OL)\]$", "", text.rstrip(" .,"))
    return text.rstrip(" .,")


def trailing_venue(line: str) -> tuple[str, str | None]:
    """``A, B, **RelKD KDD 2024 Best Paper**`` -> the authors and the venue after them."""
    parts = split_top(line, ",")
    if len(parts) > 1 and venue_like(parts[-1]) and not looks_like_name(parts[-1]):
        return ", ".join(parts[:-1]), plain(parts[-1]).strip(" .")
    return line, None


def name_piece(piece: str) -> bool:
    """Whether one piece between commas is a name (``**Me**\\*``, ``J. Doe``, ``et al.``)."""
    text = re.sub(r"\\?[*†‡#✉]|__", "", LINK.sub(lambda found: found.group(1), piece)).strip()
    text = re.sub(r"^(?:and|&)\s+", "", text)
    return looks_like_name(text) or text.lower() in ("et al", "et al.", "others")


def sentence_end(text: str) -> int | None:
    """Where the first sentence ends: after a period that does not end an initial (``J.``)."""
    for found in re.finditer(r"\.\s+", text):
        word = text[: found.start()].split()[-1] if text[: found.start()].split() else ""
        if word.strip("*") == "al" and text[: found.start()].endswith("et al"):
            return found.end()  # "et al." ends a list of authors
        if not re.fullmatch(r"(?:\*\*)?[A-Z](?:\.[A-Z])*|al|et al|Jr|Dr|St", word.strip("*")):
            return found.end()
    return None


def year_of(text: str) -> tuple[str | None, str]:
    """The year a badge or a venue line gives (``CVPRW 2022``, ``AAAI-26``, ``ICCV'23``), and the
    text without it (``CVPRW``, ``AAAI``)."""
    found = YEAR.search(text)
    if found:
        year = found.group(1)
    else:
        found = _SHORT_YEAR.search(text)
        if found is None:
            return None, text.strip()
        year = f"20{found.group(1)}"
    rest = text[: found.start(1)] + text[found.end(1) :]
    rest = re.sub(r"(?:\s*[-'’,(]\s*)+$|^\s*[-,)]\s*", "", rest.strip())
    return year, " ".join(rest.replace("()", "").split())


def author_score(line: str) -> float:
    """How much a line reads as a list of authors: the share of its pieces that are names.

    One name alone counts only in bold (the owner's, on a paper of their own).
    """
    line = line.replace("\\*\\*", "**")
    bold = "**" in line or "__" in line
    text = LINK.sub(lambda found: found.group(1), line)
    text = text.replace("**", "").replace("__", "").replace("\\*", "")
    text = re.sub(r"[*†‡#§¶✉+]+", "", re.sub(_ROLE_NOTE, "", text))
    text = re.sub(r",?\s+(?:and|&)\s+", ", ", text.strip().rstrip("."))
    tokens = [token.strip() for token in text.split(",") if token.strip()]
    if not tokens:
        return 0.0
    names = sum(
        looks_like_name(token) or token.lower() in ("et al", "et al.", "others", "...", "…")
        for token in tokens
    )
    if len(tokens) == 1:  # one name, in bold; a title in bold has more words, or small ones
        words = tokens[0].split()
        alone = len(words) <= 4 and all(
            part[:1].isupper() for word in words for part in word.split("-") if part
        )
        return 1.0 if names and bold and alone else 0.3 * names
    return names / len(tokens)


def venue_like(line: str) -> bool:
    """Whether a line reads as a venue: short, with a year or a venue's words, or in italics."""
    text = plain(drop_links(line))
    if not text or len(text) > 250:
        return False
    italic = re.fullmatch(r"\s*(\*|_)(?!\1).+\1[\s,.]*", drop_links(line)) is not None
    return italic or bool(_VENUE_WORDS.search(text) or YEAR.search(text))


def drop_links(line: str) -> str:
    """The line without the labelled links after its text (``[PDF](..)``, ``[Code](..)``)."""
    return LINK.sub(
        lambda found: (
            "" if LINK_FIELDS.get(plain(found.group(1)).strip("[]\\ ").lower()) else found.group()
        ),
        line,
    ).strip(" |,")


def authors_of(line: str) -> tuple[list[tuple[str, str]], list[str]]:
    """Author names with their marks (``*``, ``†``), and the names set in bold (the owner)."""
    # ``**Name<sup>*</sup>**`` is bold in a browser, though CommonMark leaves its stars as text
    line = LINK.sub(lambda found: found.group(1), line.replace("\\*\\*", "**"))
    line = re.sub(r",(?=[^\s\d])", ", ", line)  # Huang L,**Chen J**: a name after each comma
    line = re.sub(_ROLE_NOTE, "", line)
    line = re.sub(r",?\s+(?:and|&)\s+", ", ", line.strip().rstrip("."))
    authors: list[tuple[str, str]] = []
    owners: list[str] = []
    for token in split_top(line, ","):
        bold = "**" in token or "__" in token
        token = token.replace("**", "").replace("__", "").replace("\\*", "*").strip()
        marks_at = re.search(r"[*†‡#+]+$", token)
        marks = marks_at.group().replace("#", "").replace("+", "*") if marks_at else ""
        name = plain(token[: marks_at.start()] if marks_at else token).strip(" ,")
        if re.fullmatch(r"(?:jr|sr|ii|iii|iv)\.?", name, re.I) and authors:
            authors[-1] = (f"{authors[-1][0]}, {name}", authors[-1][1] + marks)
            continue
        if not name:
            continue
        if name.lower() in ("et al", "et al.", "others", "…", "..."):
            authors.append(("others", ""))
            continue
        authors.append((name, marks))
        if bold:
            owners.append(name)
    return authors, owners


def only_links(line: str) -> bool:
    rest = LINK.sub("", line)
    return bool(LINK.search(line)) and not re.sub(r"[\s|/,·•\\\[\]]", "", rest)


def links_of(line: str) -> dict[str, str]:
    links: dict[str, str] = {}
    for match in LINK.finditer(line):
        label = plain(match.group(1)).strip("[]\\ ").lower()
        name = LINK_FIELDS.get(label, "website" if "project" in label else None)
        if name and name not in links:
            links[name] = match.group(2)
        elif match.group(2) not in links.values():
            links.setdefault("html" if "html" not in links else "website", match.group(2))
    return links
