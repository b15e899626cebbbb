"""AcadHomepage publications -> BibTeX entries: paper boxes and plain publication lines.

A paper box is ``<div class='paper-box'>`` with a badge (``VENUE YEAR``), an image, a title
link, an author line with the owner in bold, a line of links, the Google Scholar citation span
and notes as list items. A plain line is ``- [Title](url), Authors, **VENUE YEAR**``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from cv.interop.files import BibEntry, bibtex_escape, bibtex_field, make_key
from cv.interop.markdown_items import Block
from cv.interop.text import LINK, html_to_markdown, markdown_link, plain, split_top

__all__ = ["LOREM", "PaperBox", "paper_entry", "read_paper_box", "read_publication_line"]

LOREM = re.compile(r"\blorem\b", re.I)
"""The template's placeholder text."""

_SAMPLE_PAPER = "deep residual learning for image recognition"
_SAMPLE_SCHOLAR_USER = "DhtAFkwAAAAJ"
_LINK_FIELDS = {
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
}
_ENTRY_TYPES = {
    "article",
    "inproceedings",
    "misc",
    "book",
    "incollection",
    "inbook",
    "phdthesis",
    "mastersthesis",
    "techreport",
    "unpublished",
    "online",
}
_JOURNAL = re.compile(
    r"journal|transactions|\btrans\b|magazine|letters|review|\bT[A-Z]{2,5}\b|JMLR|TMLR|IJCV|"
    r"nature|science|\bpnas\b|ieee network",
    re.I,
)
_CONFERENCE = re.compile(r"conference|proceedings|symposium|workshop|\bconf\b", re.I)
_ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5}(?:v\d+)?)", re.I)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_CITATIONS = re.compile(
    r"(?:<strong>\s*)?<span[^>]*show_paper_citations[^>]*>\s*</span>(?:\s*</strong>)?", re.I
)


@dataclass
class PaperBox:
    """What a paper box holds.

    Attributes:
        paper: The parts of the paper (title, url, authors, badge, links, ...), or None when
            the box is the template's sample or has no title.
        notes: ``(line, message)`` for what was skipped on purpose.
        owners: The names set in bold in the author line.
        scholar_user: The Google Scholar user id of the citation span.
        sample: The box is the template's sample paper.
    """

    paper: dict[str, Any] | None
    notes: list[tuple[int, str]] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)
    scholar_user: str = ""
    sample: bool = False


def read_paper_box(block: Block) -> PaperBox:
    """The parts of a ``<div class='paper-box'>`` block."""
    raw = "\n".join(line for _, line in block.lines)
    opening = re.match(r"\s*<div([^>]*)>", raw)
    attributes = dict(
        re.findall(r"([\w-]+)\s*=\s*['\"]([^'\"]*)['\"]", opening.group(1) if opening else "")
    )
    badge = re.search(r"<div[^>]*class=['\"]badge['\"][^>]*>(.*?)</div>", raw, re.S | re.I)
    image = re.search(r"<img[^>]*\bsrc=['\"]([^'\"]+)['\"]", raw, re.I)
    span = re.search(r"<span[^>]*show_paper_citations[^>]*>", raw, re.I)
    scholar = re.search(r"data=['\"]([^'\":]*):([^'\"]+)['\"]", span.group()) if span else None
    lines: list[tuple[int, str]] = []
    in_text = False
    for number, line in block.lines:
        if "paper-box-text" in line:
            in_text = True
            continue
        cleaned = re.sub(r"</?div[^>]*>", "", _CITATIONS.sub("", line)) if in_text else ""
        if cleaned.strip():
            lines.append((number, html_to_markdown(cleaned) if "<" in cleaned else cleaned.strip()))
    box = PaperBox(None)
    paper: dict[str, Any] = {"annotation": [], "links": {}}
    for number, line in lines:
        if re.match(r"^[-*+]\s+", line):
            if LOREM.search(line):
                box.notes.append((number, "skipped the template's Lorem ipsum placeholder"))
            else:
                paper["annotation"].append(line[2:].strip())
        elif "title" not in paper:
            link = markdown_link(line)
            paper["title"], paper["url"] = link if link else (plain(line), None)
        elif _only_links(line):
            paper["links"].update(_labelled_links(line))
        elif "authors" not in paper:
            paper["authors"], box.owners = authors_of(line)
        elif re.fullmatch(r"(\*|_)(?!\1).+\1", line) and "venue" not in paper:
            paper["venue"] = plain(line)
        else:
            paper["annotation"].append(line)
    title = paper.get("title", "")
    if title.casefold().rstrip(".") == _SAMPLE_PAPER and (
        (image and image.group(1).endswith("500x300.png"))
        or (scholar and scholar.group(1) == _SAMPLE_SCHOLAR_USER)
    ):
        sample = "Deep Residual Learning for Image Recognition"
        box.notes.append((block.line, f"skipped the template's sample paper ({sample})"))
        box.owners, box.sample = [], True
        return box
    if not title:
        return box
    if badge:
        paper["badge"] = " ".join(html_to_markdown(badge.group(1)).split())
    if image:
        paper["preview"] = image.group(1)
    if scholar:
        paper["google_scholar_id"] = scholar.group(2)
        box.scholar_user = scholar.group(1)
    paper["key"] = attributes.get("id")
    paper["type"] = attributes.get("data-type")
    paper["selected"] = attributes.get("data-selected") == "true"
    box.paper = paper
    return box


def read_publication_line(text: str) -> dict[str, Any] | None:
    """``[Title](url), Authors, **VENUE YEAR** [links]`` -> the parts of a paper, or None."""
    text = text.strip()
    found = re.match(r"^(?:\*\*)?\[((?:\\.|[^\]])+)\]\(([^)\s]+)\)(?:\*\*)?\s*[,.]?\s*", text)
    if found:
        title, url, rest = plain(found.group(1)), found.group(2), text[found.end() :]
    else:
        found = re.match(r'^(?:\*\*(.+?)\*\*|["“](.+?)["”])\s*[,.]?\s*', text)
        if not found:
            return None
        title, url, rest = plain(found.group(1) or found.group(2)), None, text[found.end() :]
    badges = list(re.finditer(r"(\*\*|\*|_)([^*_]*?(?:(?:19|20)\d{2}|'\d{2})[^*_]*?)\1", rest))
    badge = badges[-1] if badges else None
    paper: dict[str, Any] = {"title": title, "url": url, "annotation": [], "links": {}}
    authors_text = rest
    if badge:
        paper["badge"] = plain(badge.group(2)).strip(" ,.")
        authors_text = rest[: badge.start()]
        tail = rest[badge.end() :]
        paper["links"] = _labelled_links(tail)
        leftover = LINK.sub("", tail).strip(" ,.|\\[]")
        if leftover:
            paper["annotation"].append(leftover)
    paper["authors"], _ = authors_of(authors_text.strip(" ,"))
    if not paper["authors"] and not badge:
        return None
    return paper


def paper_entry(paper: dict[str, Any], keys: set[str]) -> BibEntry:
    """The BibTeX entry of a paper; its key is made unique among ``keys`` (and added to them)."""
    badge = paper.get("badge", "")
    year_at = (
        _YEAR.search(badge)
        or re.search(r"'(\d{2})\b", badge)
        or _YEAR.search(paper.get("venue", ""))
    )
    year = None
    if year_at:
        year = year_at.group(1) if len(year_at.group(1)) == 4 else f"20{year_at.group(1)}"
    abbr = badge
    if year_at and badge:
        abbr = " ".join(
            (badge[: year_at.start()] + badge[year_at.end() :]).replace("'", " ").split()
        )
    venue = paper.get("venue") or abbr
    links = dict(paper.get("links", {}))
    url = paper.get("url")
    arxiv = next(
        (m.group(1) for m in (_ARXIV.search(u or "") for u in [url, *links.values()]) if m), None
    )
    if "arxiv" in links:
        link = links.pop("arxiv")
        if not _ARXIV.search(link) and url is None:
            url = link
    entry_type = paper.get("type")
    if entry_type not in _ENTRY_TYPES:
        if re.search(r"arxiv|preprint", venue, re.I) or (not venue and arxiv):
            entry_type = "misc"
        elif _JOURNAL.search(venue) and not _CONFERENCE.search(venue):
            entry_type = "article"
        else:
            entry_type = "inproceedings"
    venue_field = {
        "article": "journal",
        "inproceedings": "booktitle",
        "incollection": "booktitle",
    }.get(entry_type, "howpublished")
    authors = paper.get("authors", [])
    key = paper.get("key")
    if not key or not re.fullmatch(r"[\w:.+/-]+", key) or key.casefold() in keys:
        key = make_key(authors[0][0] if authors else "anon", year, paper["title"], keys)
    else:
        keys.add(key.casefold())
    fields: dict[str, str] = {"title": bibtex_escape(paper["title"])}
    if authors:
        fields["author"] = " and ".join(_bibtex_name(name) + marks for name, marks in authors)
    if venue and not (entry_type == "misc" and venue.lower() == "arxiv" and arxiv):
        fields[venue_field] = bibtex_escape(venue)
    elif entry_type == "misc" and arxiv:
        fields["howpublished"] = bibtex_escape(f"arXiv preprint arXiv:{arxiv}")
    if year:
        fields["year"] = year
    if abbr:
        fields["abbr"] = bibtex_escape(abbr)
    if paper.get("selected"):
        fields["selected"] = "true"
    extra = (
        ("url", url),
        *links.items(),
        ("arxiv", arxiv),
        ("google_scholar_id", paper.get("google_scholar_id")),
        ("preview", paper.get("preview")),
    )
    for name, value in extra:
        if value and name not in fields:
            fields[name] = bibtex_field(name, value)
    if paper.get("annotation"):
        fields["annotation"] = bibtex_escape(" ".join(paper["annotation"]))
    return BibEntry(entry_type, key, fields)


def authors_of(line: str) -> tuple[list[tuple[str, str]], list[str]]:
    """Author names with their marks (``*``, ``†``), and the names set in bold (the owner)."""
    line = re.sub(r"<sup>(.*?)</sup>", r"\1", line)
    line = re.sub(r",?\s+and\s+", ", ", line.strip().rstrip("."))
    authors: list[tuple[str, str]] = []
    owners: list[str] = []
    for token in split_top(line, ","):
        bold = "**" in token or "__" in token
        token = token.replace("**", "").replace("__", "").replace("\\*", "*").strip()
        marks_at = re.search(r"[*†‡#]+$", token)
        marks = marks_at.group().replace("#", "") if marks_at else ""
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


def _bibtex_name(name: str) -> str:
    if name == "others":
        return name
    if "," in name:  # "First Last, Jr" -> "Last, Jr, First"
        base, suffix = name.split(",", 1)
        parts = base.split()
        return bibtex_escape(f"{parts[-1]}, {suffix.strip()}, {' '.join(parts[:-1])}")
    return bibtex_escape(name)


def _only_links(line: str) -> bool:
    rest = LINK.sub("", line)
    return bool(LINK.search(line)) and not re.sub(r"[\s|/,·•\\\[\]]", "", rest)


def _labelled_links(line: str) -> dict[str, str]:
    links: dict[str, str] = {}
    for match in LINK.finditer(line):
        label = plain(match.group(1)).strip("[]\\ ").lower()
        name = _LINK_FIELDS.get(label, "website" if "project" in label else None)
        if name and name not in links:
            links[name] = match.group(2)
        elif match.group(2) not in links.values():
            links.setdefault("html" if "html" not in links else "website", match.group(2))
    return links
