"""References as people cite them on their homepages -> the parts of a paper.

``Tan, H., **Guo, Z.** (2026). Title. Journal.`` (APA), ``A, **B**. [Title](url). Venue, 2024.``,
``**Me**, B Two, Title, Venue (VEN), 2026.`` (between commas), ``[1] A, B, et al. Title[J].
Venue, 2022`` (GB/T 7714) and ``A, B, "Title," Venue, 2026.``: the authors first, then the title,
the venue and the year.
"""

from __future__ import annotations

import re
from typing import Any

from cv.interop.paper_parts import (
    author_score,
    authors_of,
    drop_links,
    is_title_link,
    links_of,
    name_piece,
    sentence_end,
    title_text,
    venue_like,
)
from cv.interop.text import LINK, markdown_link, plain, split_top

__all__ = ["read_reference"]


def read_reference(text: str) -> dict[str, Any] | None:
    """A reference as people cite: authors first, then the title, the venue and the year.

    ``Tan, H., **Guo, Z.** (2026). Title. Journal.`` (APA), ``A, **B**. [Title](url). Venue,
    vol. 3, 2024. [[arXiv](..), [code](..)]`` and ``*2023* A, B. Title. Venue, 2023.``.

    Returns:
        The parts of the paper, or None when the text does not begin with a list of authors.
    """
    text = re.sub(r"\\?\[([JCDMRPSNZA])\\?\]\s*//\s*", r"[\1]. ", text.strip())  # [C]//Venue
    quoted = re.match(
        r'^(?P<authors>[^"“”]+?),?\s*["“](?P<title>[^"“”]{8,}?)[,.]?["”][,.]?\s*', text
    )
    if quoted and author_score(quoted["authors"]) >= 0.8:  # A, B, "Title," Venue, 2026.
        names, owners = authors_of(quoted["authors"])
        venue = plain(drop_links(text[quoted.end() :])).strip(" .,")
        found = {"authors": names, "owners": owners, "title": title_text(quoted["title"])}
        return {
            "annotation": [],
            "links": links_of(text),
            "url": None,
            **found,
            "venue": venue,
        }
    paper: dict[str, Any] = {"annotation": [], "links": {}}
    lead = re.match(r"^(?:\*\*|\*|_)?\(?((?:19|20)\d{2})\)?(?:\*\*|\*|_)?[.:,]?\s+", text)
    if lead:
        paper["year"], text = lead.group(1), text[lead.end() :]
    apa = re.match(r"^(?P<authors>.+?)\s*\((?P<year>(?:19|20)\d{2})[a-z]?(?:,[^)]*)?\)\.?\s*", text)
    cited = _apa_authors(apa["authors"]) if apa else None
    if apa and cited:
        paper["authors"], paper["owners"] = cited
        paper["year"], rest = apa["year"], text[apa.end() :]
    else:
        title_link = next(
            (found for found in LINK.finditer(text) if is_title_link(found.group())), None
        )
        cut = title_link.start() if title_link else sentence_end(text)
        needed = 0.6 if title_link else 0.99  # a title between commas is no name
        if cut is None or author_score(text[:cut].strip(" .,")) < needed:
            return _comma_reference(text, paper)
        paper["authors"], paper["owners"] = authors_of(text[:cut].strip(" .,"))
        rest = text[cut:]
    link = LINK.match(rest)
    if link and is_title_link(link.group()):
        paper["title"], paper["url"] = title_text(link.group(1)), link.group(2) or None
        rest = rest[link.end() :]
    else:
        end = sentence_end(rest)
        head = rest[:end] if end is not None else rest
        paper["title"], paper["url"] = title_text(head), None
        rest = rest[len(head) :]
    if not paper["title"]:
        return None
    paper["links"] = links_of(rest)
    venue = plain(drop_links(re.sub(r"\[\s*\[.*\]\s*\]\s*$", "", rest.strip(" ."))))
    venue = re.sub(r"\[\s*[,\s]*\]", "", venue).strip(" .,;[]")
    if venue:
        paper["venue"] = venue
    return paper


def _comma_reference(text: str, paper: dict[str, Any]) -> dict[str, Any] | None:
    """``**Me**, B Two, Title of It, Venue (ICML), 2026.``: the names, then the title, then
    the venue, all between commas."""
    parts = split_top(text.rstrip(" ."), ",")
    count = 0
    while count < len(parts) and name_piece(parts[count]):
        count += 1
    if count == 0 and len(parts) > 3 and all(map(name_piece, parts[1:3])):
        names = 1  # Title, A One, B Two, **Me**, 2024 Venue (VEN)
        while names < len(parts) and name_piece(parts[names]):
            names += 1
        paper["authors"], paper["owners"] = authors_of(", ".join(parts[1:names]))
        paper["title"], paper["url"] = title_text(parts[0]), None
        venue = plain(drop_links(", ".join(parts[names:]))).strip(" .")
        if venue:
            paper["venue"] = venue
        return paper
    if count == 0 or count >= len(parts) - 1:
        return None
    paper["authors"], paper["owners"] = authors_of(", ".join(parts[:count]))
    stop = next(
        (i for i in range(count + 1, len(parts)) if venue_like(parts[i]) or "(" in parts[i]),
        count + 1,
    )  # a title with commas: Pricing, Dispatching, and Routing, Venue (VEN), 2026.
    title = ", ".join(parts[count:stop])
    parts[count:stop] = [title]
    end = sentence_end(title)
    if end is not None:  # Title. Venue, 2025.
        parts.insert(count + 1, title[end:])
        title = title[:end]
    paper["title"], paper["url"] = (
        (plain(markdown_link(title)[0]), markdown_link(title)[1])  # type: ignore[index]
        if markdown_link(title)
        else (title_text(title), None)
    )
    venue = plain(drop_links(", ".join(parts[count + 1 :]))).strip(" .")
    paper["links"] = links_of(", ".join(parts[count + 1 :]))
    if venue:
        paper["venue"] = venue
    return paper


def _apa_authors(text: str) -> tuple[list[tuple[str, str]], list[str]] | None:
    """``Tan, H., **Guo, Z.**, & Li, X.`` -> authors and the bold ones; None if not that form."""
    pattern = r"(\*\*)?\s*([^,&*()]+?),\s*((?:[A-Z][a-z]?\.\s*-?\s*)+)(\*\*)?\s*([*†‡#]*)"
    text = text.replace("\\*", "*")
    authors: list[tuple[str, str]] = []
    owners: list[str] = []
    position = 0
    for found in re.finditer(pattern, text):
        between = text[position : found.start()].strip(" ,&")
        if between in ("...", "…"):
            authors.append(("others", ""))
        elif between and between != "and":
            return None
        name = f"{' '.join(found.group(3).split())} {found.group(2).strip()}"  # H. Tan
        authors.append((name, found.group(5).replace("#", "")))
        if found.group(1) or found.group(4):
            owners.append(name)
        position = found.end()
    if not authors or text[position:].strip(" ,&.*"):
        return None
    return authors, owners
