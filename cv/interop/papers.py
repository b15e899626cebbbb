"""AcadHomepage publications -> BibTeX entries: paper boxes and plain publication lines.

A paper box is ``<div class='paper-box'>`` with a badge (``VENUE YEAR``), an image, a title
link, an author line with the owner in bold, a line of links, the Google Scholar citation span
and notes as list items. A plain line is ``- [Title](url), Authors, **VENUE YEAR**``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from cv.interop.files import BibEntry, bibtex_escape, bibtex_field, make_key
from cv.interop.html_text import classes, inline_markdown
from cv.interop.item_parts import looks_like_name
from cv.interop.markdown_items import Block
from cv.interop.paper_parts import (
    author_score,
    authors_of,
    drop_links,
    is_title_link,
    links_of,
    only_links,
    title_text,
    trailing_venue,
    venue_like,
    year_of,
)
from cv.interop.references import read_reference
from cv.interop.text import LINK, markdown_link, plain

__all__ = [
    "LOREM",
    "PaperBox",
    "is_paper_box",
    "paper_entry",
    "paper_from_lines",
    "paper_year",
    "read_paper_box",
    "read_publication_line",
]

LOREM = re.compile(r"\blorem\b", re.I)
"""The template's placeholder text."""

_SAMPLE_PAPER = "deep residual learning for image recognition"
_SAMPLE_SCHOLAR_USER = "DhtAFkwAAAAJ"
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
#: A badge before a publication line: ```AAAI 2026``` (code), ``[CVPR 2024]``, ``**[TPAMI]**``.
_LEAD_BADGE = re.compile(
    r"^\s*(?:(?:`([^`]{1,80})`|(?:\*\*)?\\?\[([^\]()]{1,40}?)\\?\](?:\*\*)?(?!\()|"
    r"\*\*([A-Z][\w-]*\s?'?\d{2,4})\*\*)\s*[:,.-]?\s+(?=\S)|"
    r"([A-Z][\w&.-]*(?: (?:[A-Z][\w&.-]*|of|and|for|on|in)){0,8}\s?"
    r"(?:（[^）]{1,60}）|\([^)]{1,60}\))?)"
    r"\s*[:-]?\s*(?=\*(?!\*)|\\?\[|[\"“]))"
)
_LABEL_ONLY = re.compile(r"\s*(?:citations?|cited by|google scholar citations?)\s*:?\s*", re.I)


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


def is_paper_box(block: Block) -> bool:
    """Whether a box of HTML is the template's ``<div class='paper-box'>``."""
    return block.element is not None and "paper-box" in classes(block.element)


def read_paper_box(block: Block) -> PaperBox:
    """The parts of a box of HTML: a ``<div class='paper-box'>`` or a card of the same parts.

    The badge, the image and the Google Scholar span are read from the HTML; the title,
    authors, venue, links and notes from the box's lines, in whatever order they come.
    """
    element = block.element
    box = PaperBox(None)
    if element is None:
        return box
    holder = next((node for node in element.iter() if "paper-box" in classes(node)), element)
    badge = next((node for node in element.iter() if "badge" in classes(node)), None)
    image = next((node for node in element.iter() if node.tag == "img" and node.get("src")), None)
    span = next((node for node in element.iter() if "show_paper_citations" in classes(node)), None)
    data = (span.get("data") or "").strip() if span is not None else ""
    scholar = re.fullmatch(r"([^:]*):(.+)", data)
    paper, box.owners, notes = paper_from_lines(block.lines)
    box.notes += notes
    title = paper.get("title", "")
    if title.casefold().rstrip(".") == _SAMPLE_PAPER and (
        (image is not None and (image.get("src") or "").endswith("500x300.png"))
        or (scholar and scholar.group(1) == _SAMPLE_SCHOLAR_USER)
    ):
        sample = "Deep Residual Learning for Image Recognition"
        box.notes.append((block.line, f"skipped the template's sample paper ({sample})"))
        box.owners, box.sample = [], True
        return box
    if not title:
        return box
    if badge is not None:
        paper["badge"] = plain(" ".join(inline_markdown(badge).split()))
    if image is not None:
        paper["preview"] = image.get("src")
    if scholar:
        paper["google_scholar_id"] = scholar.group(2)
        box.scholar_user = scholar.group(1)
    paper["key"] = holder.get("id")
    paper["type"] = holder.get("data-type")
    paper["selected"] = holder.get("data-selected") == "true"
    box.paper = paper
    return box


def paper_from_lines(
    lines: list[tuple[int, str]],
) -> tuple[dict[str, Any], list[str], list[tuple[int, str]]]:
    """A paper from the lines that show it, in any order: ``(paper, owners, notes)``.

    A line of links only gives links; the line that reads as a list of names is the authors
    (the names in bold are the owner's); a short line with a year or a venue's words (in
    italics or bold, or not) is the venue; the first other line is the title; list items and
    what is left are notes.
    """
    paper: dict[str, Any] = {"annotation": [], "links": {}}
    owners: list[str] = []
    notes: list[tuple[int, str]] = []
    rest: list[str] = []
    for number, line in lines:
        if re.match(r"^[-*+]\s+", line):
            if LOREM.search(line):
                notes.append((number, "skipped the template's Lorem ipsum placeholder"))
            else:
                paper["annotation"].append(line[2:].strip())
        elif is_title_link(line):
            rest.append(line)  # one link around a title: the title, whatever its words
        elif only_links(line):
            paper["links"].update(links_of(line))
        elif "authors" not in paper and author_score(line) >= 0.6:
            line, venue = trailing_venue(line)
            paper["authors"], owners = authors_of(line)
            if venue:
                rest.append(venue)
        elif LOREM.search(line):
            notes.append((number, "skipped the template's Lorem ipsum placeholder"))
        elif _LABEL_ONLY.fullmatch(plain(line)):
            continue  # the label of the citation count, which the site fills in
        else:
            rest.append(line)
    items = [line for line in paper["annotation"] if not rest and line.lstrip("*").startswith("[")]
    if not rest and "authors" not in paper and items:  # the box holds one publication line
        whole = read_publication_line(items[0])
        if whole is not None:
            owners = whole.pop("owners", [])
            paper["annotation"].remove(items[0])
            whole["annotation"] = whole.get("annotation", []) + paper["annotation"]
            whole["links"] = {**paper["links"], **whole.get("links", {})}
            return whole, owners, notes
    if rest:  # `TIFS'24` **Title**. or [S.1] [Title](url): the badge or number before the title
        lead = _LEAD_BADGE.match(rest[0])
        if lead and rest[0][lead.end() :].strip():
            label = plain(next(group for group in lead.groups() if group)).strip()
            if not re.fullmatch(r"[A-Z]?\.?\d{1,3}", label):
                paper.setdefault("badge", label)
            rest[0] = rest[0][lead.end() :]
    titles = [line for line in rest if not venue_like(line)] or rest
    if titles:
        title_line = titles[0]
        rest.remove(title_line)
        link = markdown_link(title_line.rstrip(" \\"))
        paper["title"], paper["url"] = link if link else (title_text(title_line), None)
    for line in rest:
        if "venue" not in paper and venue_like(line):
            links = links_of(line)
            paper["links"] = {**links, **paper["links"]}
            venue = plain(LINK.sub(lambda found: found.group(1), drop_links(line)))
            paper["venue"] = venue.strip(" ,.|[]")
        elif "authors" not in paper and author_score(line) > 0:
            paper["authors"], owners = authors_of(line)
        else:
            paper["annotation"].append(plain(line) if "](" not in line else line)
    return paper, owners, notes


def read_publication_line(text: str) -> dict[str, Any] | None:
    """``[Title](url), Authors, **VENUE YEAR** [links]`` -> the parts of a paper, or None."""
    text = text.strip()
    while text and (unicodedata.category(text[0]) in ("So", "Cf", "Mn") or text[0].isspace()):
        text = text[1:]  # 🔥 ``AAAI 2026`` [Title](url). ...
    lead = _LEAD_BADGE.match(text)
    if lead:
        badged = read_publication_line(text[lead.end() :])
        number = re.fullmatch(r"\s*\\?\[?\d{1,4}\\?\]?\s*", lead.group())  # [1]: a number
        if badged is not None and not number:  # ``2025`` ``Neural Networks``: one badge
            label = plain(lead.group(1) or lead.group(2) or lead.group(3) or lead.group(4))
            badged["badge"] = " ".join(filter(None, [badged.get("badge"), label.strip()]))
        return badged
    found = re.match(r"^(?:\*\*)?\[((?:\\.|[^\]])+)\]\(([^)\s]*)\)(?:\*\*)?\s*[,.]?\s*", text)
    bold_name = re.match(r"^\*\*([^*]+)\*\*\W{0,3},", text)  # **Me**, B. Title. Venue.
    if not found and (bold_name and looks_like_name(bold_name.group(1))):
        reference = read_reference(text)
        if reference is not None:
            return reference
    if not found and not re.match(r'^(?:\*|["“])', text):
        return read_reference(text)
    if found:
        title, url, rest = title_text(found.group(1)), found.group(2), text[found.end() :]
    else:
        found = re.match(
            r'^(?:\*\*(.+?)\*\*|["“](.+?)["”]|\*(?!\*)([^*]+?)(?<!\\)\*(?!\*))\s*[,.]?\s*', text
        )
        head = (found.group(1) or found.group(2) or found.group(3)) if found else ""
        if not found or re.fullmatch(r"\(?(?:19|20)\d{2}\)?", head.strip()):
            return read_reference(text) if found else None  # *2023* Authors. Title. Venue.
        title, url, rest = title_text(head), None, text[found.end() :]
    masked = re.sub(r"\]\([^)]*\)", lambda url: "]" + " " * (len(url.group()) - 1), rest)
    badges = list(re.finditer(r"(\*\*|\*|_)([^*_]*?(?:(?:19|20)\d{2}|'\d{2})[^*_]*?)\1", masked))
    badge = badges[-1] if badges else None
    paper: dict[str, Any] = {"title": title, "url": url, "annotation": [], "links": {}}
    authors_text = rest
    if badge:
        paper["badge"] = plain(rest[badge.start(2) : badge.end(2)]).strip(" ,.")
        authors_text = rest[: badge.start()]
        tail = rest[badge.end() :]
        paper["links"] = links_of(tail)
        leftover = LINK.sub("", tail).strip(" ,.|\\[]")
        if leftover:
            paper["annotation"].append(leftover)
    else:  # Authors, *Venue* (**CCF A**), 2026. or Authors. 2023.
        italic = re.search(r"(?<![*\\])\*(?!\*)([^*]+?)(?<!\\)\*(?!\*)", rest)
        if italic and author_score(rest[: italic.start()].strip(" ,.")) >= 0.6:
            paper["venue"] = plain(italic.group(1)).strip(" ,.")
            authors_text, tail = rest[: italic.start()], rest[italic.end() :]
            paper["links"] = links_of(tail)
            paper["year"] = year_of(plain(drop_links(tail)))[0]
        else:
            year = re.search(r"[,.]?\s*\(?((?:19|20)\d{2})\)?\.?\s*$", rest)
            if year:
                paper["year"], authors_text = year.group(1), rest[: year.start()]
    paper["links"] = {**links_of(authors_text), **paper["links"]}
    authors_text, venue = trailing_venue(drop_links(authors_text).strip(" ,."))
    if venue and "venue" not in paper:
        paper["venue"] = venue
    paper["authors"], paper["owners"] = authors_of(authors_text)
    if not paper["authors"] and not badge:
        return read_reference(text)
    return paper


def paper_year(paper: dict[str, Any]) -> str | None:
    """The year a paper's parts give: its badge, its own, its venue line, its notes."""
    year = year_of(paper.get("badge", ""))[0] or paper.get("year")
    if year is None:
        texts = [paper.get("venue", ""), *paper.get("annotation", [])]
        year = next((found for found, _ in map(year_of, texts) if found), None)
    return year


def paper_entry(paper: dict[str, Any], keys: set[str]) -> BibEntry:
    """The BibTeX entry of a paper; its key is made unique among ``keys`` (and added to them)."""
    abbr = year_of(paper.get("badge", ""))[1]
    year = paper_year(paper)
    short = year_of(paper.get("venue", ""))
    if not abbr and short[0] and len(short[1].split()) <= 3:  # a venue line **NeurIPS 2024**
        abbr = short[1]
        paper = {**paper, "venue": short[1]}
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
    notes = [_note_text(note, links) for note in paper.get("annotation", [])]
    annotation = ""
    if any(notes):
        annotation = bibtex_escape(" ".join(note for note in notes if note))
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
    if annotation:
        fields["annotation"] = annotation
    return BibEntry(entry_type, key, fields)


def _note_text(note: str, links: dict[str, str]) -> str:
    """A note of a paper as plain text (BibTeX has no Markdown): its labelled links (PDF, Code)
    go to the entry's links, other links keep their label."""
    for name, url in links_of(note).items():
        links.setdefault(name, url)
    text = plain(drop_links(note))
    return re.sub(r"\s*[|｜·]\s*(?=[|｜·]|$)|^\s*[|｜·]\s*", "", text).strip()


def _bibtex_name(name: str) -> str:
    if name == "others":
        return name
    if "," in name:  # "First Last, Jr" -> "Last, Jr, First"
        base, suffix = name.split(",", 1)
        parts = base.split()
        return bibtex_escape(f"{parts[-1]}, {suffix.strip()}, {' '.join(parts[:-1])}")
    return bibtex_escape(name)
