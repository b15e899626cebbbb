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
from cv.interop.text import LINK, markdown_link, plain, split_top

__all__ = [
    "LOREM",
    "PaperBox",
    "author_score",
    "authors_of",
    "is_paper_box",
    "is_title_link",
    "links_of",
    "paper_entry",
    "paper_from_lines",
    "paper_year",
    "read_paper_box",
    "read_publication_line",
    "read_reference",
    "year_of",
]

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
#: A venue's name as an abbreviation with the year's last two digits: ``AAAI-26``, ``CVPR'24``.
_SHORT_YEAR = re.compile(r"\b[A-Z][A-Za-z]{1,12}\s?(?:-|'|’)\s?(\d{2})\b")
#: A badge before a publication line: ```AAAI 2026``` (code), ``[CVPR 2024]``, ``**[TPAMI]**``.
_LEAD_BADGE = re.compile(
    r"^\s*(?:(?:`([^`]{1,80})`|(?:\*\*)?\\?\[([^\]()]{1,40}?)\\?\](?:\*\*)?(?!\()|"
    r"\*\*([A-Z][\w-]*\s?'?\d{2,4})\*\*)\s*[:,.-]?\s+(?=\S)|"
    r"([A-Z][\w&.-]*(?: (?:[A-Z][\w&.-]*|of|and|for|on|in)){0,8}\s?"
    r"(?:（[^）]{1,60}）|\([^)]{1,60}\))?)"
    r"\s*[:-]?\s*(?=\*(?!\*)|\\?\[|[\"“]))"
)
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
_LABEL_ONLY = re.compile(r"\s*(?:citations?|cited by|google scholar citations?)\s*:?\s*", re.I)
_VENUE_WORDS = re.compile(
    r"conference|proceedings|journal|transactions|symposium|workshop|arxiv|preprint|"
    r"letters|magazine|review|\bin\s+press\b|accepted|under review|submitted|"
    r"\b[A-Z]{2,}[A-Za-z]*\s?(?:'|’|-)?\s?(?:19|20)?\d{2}\b",
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
        elif _title_link(line):
            rest.append(line)  # one link around a title: the title, whatever its words
        elif _only_links(line):
            paper["links"].update(_labelled_links(line))
        elif "authors" not in paper and author_score(line) >= 0.6:
            line, venue = _trailing_venue(line)
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
    titles = [line for line in rest if not _venue_like(line)] or rest
    if titles:
        title_line = titles[0]
        rest.remove(title_line)
        link = markdown_link(title_line.rstrip(" \\"))
        paper["title"], paper["url"] = link if link else (_title_text(title_line), None)
    for line in rest:
        if "venue" not in paper and _venue_like(line):
            links = _labelled_links(line)
            paper["links"] = {**links, **paper["links"]}
            venue = plain(LINK.sub(lambda found: found.group(1), _drop_links(line)))
            paper["venue"] = venue.strip(" ,.|[]")
        elif "authors" not in paper and author_score(line) > 0:
            paper["authors"], owners = authors_of(line)
        else:
            paper["annotation"].append(plain(line) if "](" not in line else line)
    return paper, owners, notes


def is_title_link(line: str) -> bool:
    """Whether a line is one link around a title (``[Title](url)``, not ``[PDF](url)``)."""
    return _title_link(line)


def _title_link(line: str) -> bool:
    """Whether a line is one link whose label is no link's name (``[Title](url)``, not PDF)."""
    found = markdown_link(line.rstrip(" \\"))
    return found is not None and plain(found[0]).strip("[]\\ ").lower() not in _LINK_FIELDS


def _title_text(line: str) -> str:
    """A title line without its emphasis, quotes and the period after it."""
    text = re.sub(r"^[-–—:]\s+", "", plain(line).strip())  # **-** Title
    text = _TITLE_NOTE.sub("", text)  # Title(First-author, JCR Q1, IF-5.6)
    text = re.sub(r'^["“](.+)["”][.,]?$', r"\1", text)
    # a document type of GB/T 7714 (Chinese references): Title[J]. Venue.
    text = re.sub(r"\s*\[(?:[JCDMRPSNZA]|EB|[JCM]/OL|EB/OL)\]$", "", text.rstrip(" .,"))
    return text.rstrip(" .,")


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
        title, url, rest = _title_text(found.group(1)), found.group(2), text[found.end() :]
    else:
        found = re.match(
            r'^(?:\*\*(.+?)\*\*|["“](.+?)["”]|\*(?!\*)([^*]+?)(?<!\\)\*(?!\*))\s*[,.]?\s*', text
        )
        head = (found.group(1) or found.group(2) or found.group(3)) if found else ""
        if not found or re.fullmatch(r"\(?(?:19|20)\d{2}\)?", head.strip()):
            return read_reference(text) if found else None  # *2023* Authors. Title. Venue.
        title, url, rest = _title_text(head), None, text[found.end() :]
    masked = re.sub(r"\]\([^)]*\)", lambda url: "]" + " " * (len(url.group()) - 1), rest)
    badges = list(re.finditer(r"(\*\*|\*|_)([^*_]*?(?:(?:19|20)\d{2}|'\d{2})[^*_]*?)\1", masked))
    badge = badges[-1] if badges else None
    paper: dict[str, Any] = {"title": title, "url": url, "annotation": [], "links": {}}
    authors_text = rest
    if badge:
        paper["badge"] = plain(rest[badge.start(2) : badge.end(2)]).strip(" ,.")
        authors_text = rest[: badge.start()]
        tail = rest[badge.end() :]
        paper["links"] = _labelled_links(tail)
        leftover = LINK.sub("", tail).strip(" ,.|\\[]")
        if leftover:
            paper["annotation"].append(leftover)
    else:  # Authors, *Venue* (**CCF A**), 2026. or Authors. 2023.
        italic = re.search(r"(?<![*\\])\*(?!\*)([^*]+?)(?<!\\)\*(?!\*)", rest)
        if italic and author_score(rest[: italic.start()].strip(" ,.")) >= 0.6:
            paper["venue"] = plain(italic.group(1)).strip(" ,.")
            authors_text, tail = rest[: italic.start()], rest[italic.end() :]
            paper["links"] = _labelled_links(tail)
            paper["year"] = year_of(plain(_drop_links(tail)))[0]
        else:
            year = re.search(r"[,.]?\s*\(?((?:19|20)\d{2})\)?\.?\s*$", rest)
            if year:
                paper["year"], authors_text = year.group(1), rest[: year.start()]
    paper["links"] = {**_labelled_links(authors_text), **paper["links"]}
    authors_text, venue = _trailing_venue(_drop_links(authors_text).strip(" ,."))
    if venue and "venue" not in paper:
        paper["venue"] = venue
    paper["authors"], paper["owners"] = authors_of(authors_text)
    if not paper["authors"] and not badge:
        return read_reference(text)
    return paper


def _trailing_venue(line: str) -> tuple[str, str | None]:
    """``A, B, **RelKD KDD 2024 Best Paper**`` -> the authors and the venue after them."""
    parts = split_top(line, ",")
    if len(parts) > 1 and _venue_like(parts[-1]) and not looks_like_name(parts[-1]):
        return ", ".join(parts[:-1]), plain(parts[-1]).strip(" .")
    return line, None


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
        venue = plain(_drop_links(text[quoted.end() :])).strip(" .,")
        found = {"authors": names, "owners": owners, "title": _title_text(quoted["title"])}
        return {
            "annotation": [],
            "links": _labelled_links(text),
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
            (found for found in LINK.finditer(text) if _title_link(found.group())), None
        )
        cut = title_link.start() if title_link else _sentence_end(text)
        needed = 0.6 if title_link else 0.99  # a title between commas is no name
        if cut is None or author_score(text[:cut].strip(" .,")) < needed:
            return _comma_reference(text, paper)
        paper["authors"], paper["owners"] = authors_of(text[:cut].strip(" .,"))
        rest = text[cut:]
    link = LINK.match(rest)
    if link and _title_link(link.group()):
        paper["title"], paper["url"] = _title_text(link.group(1)), link.group(2) or None
        rest = rest[link.end() :]
    else:
        end = _sentence_end(rest)
        head = rest[:end] if end is not None else rest
        paper["title"], paper["url"] = _title_text(head), None
        rest = rest[len(head) :]
    if not paper["title"]:
        return None
    paper["links"] = _labelled_links(rest)
    venue = plain(_drop_links(re.sub(r"\[\s*\[.*\]\s*\]\s*$", "", rest.strip(" ."))))
    venue = re.sub(r"\[\s*[,\s]*\]", "", venue).strip(" .,;[]")
    if venue:
        paper["venue"] = venue
    return paper


def _comma_reference(text: str, paper: dict[str, Any]) -> dict[str, Any] | None:
    """``**Me**, B Two, Title of It, Venue (ICML), 2026.``: the names, then the title, then
    the venue, all between commas."""
    parts = split_top(text.rstrip(" ."), ",")
    count = 0
    while count < len(parts) and _name_piece(parts[count]):
        count += 1
    if count == 0 and len(parts) > 3 and all(map(_name_piece, parts[1:3])):
        names = 1  # Title, A One, B Two, **Me**, 2024 Venue (VEN)
        while names < len(parts) and _name_piece(parts[names]):
            names += 1
        paper["authors"], paper["owners"] = authors_of(", ".join(parts[1:names]))
        paper["title"], paper["url"] = _title_text(parts[0]), None
        venue = plain(_drop_links(", ".join(parts[names:]))).strip(" .")
        if venue:
            paper["venue"] = venue
        return paper
    if count == 0 or count >= len(parts) - 1:
        return None
    paper["authors"], paper["owners"] = authors_of(", ".join(parts[:count]))
    stop = next(
        (i for i in range(count + 1, len(parts)) if _venue_like(parts[i]) or "(" in parts[i]),
        count + 1,
    )  # a title with commas: Pricing, Dispatching, and Routing, Venue (VEN), 2026.
    title = ", ".join(parts[count:stop])
    parts[count:stop] = [title]
    end = _sentence_end(title)
    if end is not None:  # Title. Venue, 2025.
        parts.insert(count + 1, title[end:])
        title = title[:end]
    paper["title"], paper["url"] = (
        (plain(markdown_link(title)[0]), markdown_link(title)[1])  # type: ignore[index]
        if markdown_link(title)
        else (_title_text(title), None)
    )
    venue = plain(_drop_links(", ".join(parts[count + 1 :]))).strip(" .")
    paper["links"] = _labelled_links(", ".join(parts[count + 1 :]))
    if venue:
        paper["venue"] = venue
    return paper


def _name_piece(piece: str) -> bool:
    """Whether one piece between commas is a name (``**Me**\\*``, ``J. Doe``, ``et al.``)."""
    text = re.sub(r"\\?[*†‡#✉]|__", "", LINK.sub(lambda found: found.group(1), piece)).strip()
    text = re.sub(r"^(?:and|&)\s+", "", text)
    return looks_like_name(text) or text.lower() in ("et al", "et al.", "others")


def _sentence_end(text: str) -> int | None:
    """Where the first sentence ends: after a period that does not end an initial (``J.``)."""
    for found in re.finditer(r"\.\s+", text):
        word = text[: found.start()].split()[-1] if text[: found.start()].split() else ""
        if word.strip("*") == "al" and text[: found.start()].endswith("et al"):
            return found.end()  # "et al." ends a list of authors
        if not re.fullmatch(r"(?:\*\*)?[A-Z](?:\.[A-Z])*|al|et al|Jr|Dr|St", word.strip("*")):
            return found.end()
    return None


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
    for name, url in _labelled_links(note).items():
        links.setdefault(name, url)
    text = plain(_drop_links(note))
    return re.sub(r"\s*[|｜·]\s*(?=[|｜·]|$)|^\s*[|｜·]\s*", "", text).strip()


def year_of(text: str) -> tuple[str | None, str]:
    """The year a badge or a venue line gives (``CVPRW 2022``, ``AAAI-26``, ``ICCV'23``), and the
    text without it (``CVPRW``, ``AAAI``)."""
    found = _YEAR.search(text)
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


def _venue_like(line: str) -> bool:
    """Whether a line reads as a venue: short, with a year or a venue's words, or in italics."""
    text = plain(_drop_links(line))
    if not text or len(text) > 250:
        return False
    italic = re.fullmatch(r"\s*(\*|_)(?!\1).+\1[\s,.]*", _drop_links(line)) is not None
    return italic or bool(_VENUE_WORDS.search(text) or _YEAR.search(text))


def _drop_links(line: str) -> str:
    """The line without the labelled links after its text (``[PDF](..)``, ``[Code](..)``)."""
    return LINK.sub(
        lambda found: (
            "" if _LINK_FIELDS.get(plain(found.group(1)).strip("[]\\ ").lower()) else found.group()
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


def links_of(line: str) -> dict[str, str]:
    """The links of a line by the field their label names (``[PDF](..)`` -> ``pdf``)."""
    return _labelled_links(line)


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
