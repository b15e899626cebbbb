"""AcadHomepage ``_pages/about.md`` (and ``_config.yml``) -> the record and its BibTeX.

Sections are found by their headings whatever emoji or wording they carry; list items are read
by the patterns people write (``*2019.06 - 2022.04*, Degree, University``). Anything that is not
understood is kept as text in ``about`` with a warning naming its line: nothing is dropped.
The template's Lorem ipsum placeholders and its sample paper are skipped with a note.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from cv import model
from cv.errors import CVError
from cv.interop.files import BibEntry, Imported, Notice, clean_record
from cv.interop.markdown_items import (
    Block,
    find_term,
    parse_blocks,
    split_date_prefix,
    split_date_suffix,
)
from cv.interop.papers import LOREM, paper_entry, read_paper_box, read_publication_line
from cv.interop.text import (
    LINK,
    html_to_markdown,
    looks_garbled,
    markdown_link,
    plain,
    repair_mojibake,
    split_top,
    strip_decoration,
    strip_period,
)
from cv.sections.registry import BUILT_IN, heading_patterns

__all__ = ["import_acadhomepage", "read_acadhomepage", "SECTION_PATTERNS", "PLACEHOLDER_NAME"]

PLACEHOLDER_NAME = "Your Name"

#: Heading words -> the record's section, tried in order ("Teaching Experience" is teaching).
SECTION_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind.key, re.compile(pattern, re.I)) for kind, pattern in heading_patterns()
)

_LIQUID = re.compile(r"^\s*\{%.*%\}\s*$")
_ADVISOR = re.compile(
    r"(?:[,;]\s*|\s+|^)(?:(?:co-?)?(?:advised|supervised|mentored|hosted)\s+by|"
    r"(?:co-?)?(?:advisors?|supervisors?|mentors?|hosts?)\s*:)\s*(?P<who>.+?)\s*\.?\s*$",
    re.I,
)
_DEGREE = re.compile(
    r"^(?:ph\.?\s?d|doctor|d\.?phil|master|m\.?s\.?c?\b|m\.?sc|m\.?eng|m\.?a\.?\b|m\.?phil|mba|"
    r"bachelor|b\.?s\.?c?\b|b\.?sc|b\.?eng|b\.?a\.?\b|b\.?tech|m\.?tech|diploma|postdoc|visiting)",
    re.I,
)
_INSTITUTION = re.compile(
    r"universit|college|institut|school|academy|polytechnic|\bETH\b|\bEPFL\b|\bMIT\b|\bHKUST\b|\bHUST\b",
    re.I,
)
_TEACHING_ROLE = re.compile(
    r"assistant|instructor|lecturer|tutor|teacher|\bTA\b|grader|co-?instructor|demonstrator", re.I
)
_ROLE_WORDS = re.compile(
    r"intern|research(?:er)?|engineer|scientist|assistant|student|developer|fellow|visiting|analyst|"
    r"consultant|member|staff|lead|manager|professor|postdoc",
    re.I,
)
_COURSE_CODE = re.compile(r"^([A-Z]{2,6}\s?\d{3,5}[A-Z]?),\s+")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def read_acadhomepage(about: Path, config: Path | None = None) -> Imported:
    """Read an ``about.md`` (and optionally ``_config.yml``) from disk and import them.

    Raises:
        CVError: When a file cannot be read or is not UTF-8 text, or the config is not YAML.
    """
    text = _read_text(about)
    config_data: dict[str, Any] | None = None
    if config is not None:
        try:
            loaded = yaml.safe_load(_read_text(config))
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            raise CVError.at(
                f"invalid YAML: {getattr(error, 'problem', error)}",
                config,
                mark.line + 1 if mark else None,
                mark.column + 1 if mark else None,
            ) from None
        config_data = loaded if isinstance(loaded, dict) else {}
    return import_acadhomepage(
        text,
        config=config_data,
        site_dir=config.parent if config else about.parent,
        source=str(about),
    )


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CVError.at("file not found", path) from None
    except OSError as error:
        raise CVError.at(f"cannot read this file: {error.strerror}", path) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return_hint = "save it as UTF-8"
        raise CVError.at(
            f"byte 0x{data[error.start]:02x} is not UTF-8; expected a UTF-8 text file",
            path,
            line,
            hint=return_hint,
        ) from None


def import_acadhomepage(
    text: str,
    *,
    config: dict[str, Any] | None = None,
    site_dir: Path | None = None,
    source: str = "about.md",
) -> Imported:
    """Turn the text of an AcadHomepage ``about.md`` into a record and BibTeX entries.

    Args:
        text: The page, as text.
        config: The parsed ``_config.yml`` (its ``author:`` block gives name, contact, photo).
        site_dir: The site's folder, to find the avatar the config names.
        source: The file name, for notices.

    Returns:
        The record (valid against :class:`cv.model.Record`), entries and notices.
    """
    return _Importer(text, config or {}, site_dir, source).run()


class _Importer:
    def __init__(
        self, text: str, config: dict[str, Any], site_dir: Path | None, source: str
    ) -> None:
        self.text = text
        self.config = config
        self.site_dir = site_dir
        self.source = source
        self.notices: list[Notice] = []
        self.record: dict[str, Any] = {
            key: []
            for key in (
                "news",
                "experience",
                "education",
                "teaching",
                "service",
                "awards",
                "talks",
                "internships",
            )
        }
        self.entries: list[BibEntry] = []
        self.keys: set[str] = set()
        self.kept: dict[str, list[str]] = {}  # heading -> Markdown lines kept as text
        self.about: list[str] = []
        self.interests: list[Any] = []
        self.owner_names: Counter[str] = Counter()
        self.scholar_user = ""
        self.files: dict[str, bytes] = {}
        self.order: list[tuple[str, str]] = []

    def warn(self, line: int | None, message: str) -> None:
        self.notices.append(Notice(message, line))

    def note(self, line: int | None, message: str) -> None:
        self.notices.append(Notice(message, line, level="note"))

    # --- the page -------------------------------------------------------------------------

    def run(self) -> Imported:
        lines = self._repaired_lines()
        sections: list[tuple[int, str, list[tuple[int, str]]]] = [(0, "", [])]
        for number, line in lines:
            heading_match = re.match(r"^#\s+(.*?)\s*#*\s*$", line)
            if heading_match:
                sections.append((number, heading_match.group(1), []))
            else:
                sections[-1][2].append((number, line))
        self._about(sections[0][2])
        for number, heading, body in sections[1:]:
            title = strip_decoration(heading).strip()
            key = next(
                (
                    key
                    for key, pattern in SECTION_PATTERNS
                    if pattern.search(title) and (key == "publications" or hasattr(self, f"_{key}"))
                ),
                None,
            )
            blocks = parse_blocks(body)
            if key is None:
                if blocks:
                    self.warn(
                        number,
                        f"section '{title}' has no place in the record; its text is "
                        "kept in `about` under that heading",
                    )
                    for block in blocks:
                        self._keep(title, block)
                continue
            self.order.append((key, title))
            if key == "about":
                self._about(body)
                continue
            for block in blocks:
                self._block(key, title, block)
        return self._finish()

    def _repaired_lines(self) -> list[tuple[int, str]]:
        raw = self.text.splitlines()
        start = 0
        if raw and raw[0].strip() == "---":
            end = next((i for i in range(1, len(raw)) if raw[i].strip() in ("---", "...")), None)
            if end is not None:
                start = end + 1
        repaired: list[int] = []
        lines = []
        for index in range(start, len(raw)):
            line = raw[index]
            fixed = repair_mojibake(line)
            if fixed != line:
                repaired.append(index + 1)
            if looks_garbled(fixed):
                self.warn(
                    index + 1, f"text still looks garbled after repair: {fixed.strip()[:60]!r}"
                )
            if _LIQUID.match(fixed):
                continue  # the template's Liquid set-up, not content
            lines.append((index + 1, fixed))
        if repaired:
            self.note(
                repaired[0],
                f"repaired garbled characters (mojibake) on {len(repaired)} "
                f"line{'s' if len(repaired) != 1 else ''}",
            )
        return lines

    def _about(self, lines: list[tuple[int, str]]) -> None:
        interests = False
        for block in parse_blocks(lines):
            text = block.text
            if block.kind == "paragraph" and "<" in text:
                text = self._html_text(block)
                if not text:
                    continue
            if LOREM.search(text):
                self.note(block.line, "skipped the template's Lorem ipsum placeholder")
                continue
            label = re.fullmatch(r"(\*\*|__)(.+?)\1:?", text.strip())
            if block.kind == "heading" or label:
                title = label.group(2) if label else text
                interests = "interest" in title.lower()
                if not interests:
                    self.about.append(f"**{strip_period(title)}**")
                continue
            if block.kind == "item" and interests:
                for item in block.walk():
                    head, _, details = item.text.partition(":")
                    if details.strip() and len(head) < 80:
                        self.interests.append(
                            {"title": head.strip(), "details": strip_period(details)}
                        )
                    else:
                        self.interests.append(strip_period(item.text))
            elif block.kind == "item":
                self.about.append("\n".join(_markdown_list(block)))
            else:
                self.about.append(text)

    def _html_text(self, block: Block) -> str:
        text = html_to_markdown(block.text)
        text = re.sub(r"\[\s*\]\([^)]*\)", "", text).strip()  # links around images only
        if not re.search(r"\w", text):
            if re.search(r"<(?:img|a|iframe|script)\b", block.text, re.I):
                self.note(
                    block.line, "skipped an HTML widget (badge, image or script) with no text"
                )
            return ""
        return text

    def _keep(self, heading: str, block: Block, reason: str | None = None) -> None:
        """Keep a block as text in ``about`` (under its section's heading), with a warning."""
        if block.kind == "html":
            text = html_to_markdown(" ".join(line for _, line in block.lines))
            lines = [f"- {text}"] if text else []
        elif block.kind == "heading":
            lines = [f"- *{block.text}*"]
        else:
            lines = (
                _markdown_list(block)
                if block.kind == "item"
                else [f"- {html_to_markdown(block.text)}"]
            )
        if not lines:
            return
        if reason:
            shown = plain(lines[0][2:])
            shown = shown if len(shown) <= 60 else shown[:57] + "..."
            self.warn(block.line, f"{reason}; kept as text in `about` under '{heading}': {shown!r}")
        self.kept.setdefault(heading, []).extend(lines)

    # --- sections ---------------------------------------------------------------------------

    def _block(self, key: str, heading: str, block: Block) -> None:
        if block.kind == "heading":
            self.note(
                block.line,
                f"subheading '{block.text}' is not kept (the CV groups the section itself)",
            )
            return
        text = (
            html_to_markdown(block.text)
            if block.kind == "paragraph" and "<" in block.text
            else block.text
        )
        if block.kind != "html" and LOREM.search(text):
            self.note(block.line, "skipped the template's Lorem ipsum placeholder")
            return
        if key == "publications":
            self._publication(heading, block)
            return
        if block.kind == "html":
            self._keep(heading, block, "HTML block not understood")
            return
        if block.kind == "paragraph":
            block = Block("item", block.line, " ".join(text.split()), block.children)
        handler = getattr(self, f"_{key}")
        handler(heading, block)

    def _add(
        self,
        section: str,
        item: dict[str, Any],
        schema: type[BaseModel],
        heading: str,
        block: Block,
        what: str,
    ) -> bool:
        item = {name: value for name, value in item.items() if value not in (None, "", [])}
        try:
            schema.model_validate(item)
        except ValidationError as error:
            detail = error.errors()[0]
            where = ".".join(str(part) for part in detail["loc"])
            self._keep(heading, block, f"not understood as {what} ({where}: {detail['msg']})")
            return False
        self.record[section].append(item)
        return True

    def _news(self, heading: str, block: Block) -> None:
        text = " ".join([block.text, *(child.text for child in block.walk()[1:])])
        dated = split_date_prefix(text)
        if dated is None:
            self._keep(heading, block, "news item without a date at its start")
            return
        body = strip_decoration(dated[2]).lstrip(":–—- ").strip()
        self._add(
            "news",
            {"date": dated[0], "text": " ".join(body.split())},
            model.NewsItem,
            heading,
            block,
            "a news item",
        )

    def _experience(self, heading: str, block: Block) -> None:
        start, end, body = _dated(block.text)
        body, advisor, advisor_url = _advisor(body, split_link=True)
        main, location = _location(body)
        pieces = split_top(main, ",")
        role = pieces[0] if pieces else ""
        at = re.match(r"^(.+?)\s+(?:at|@)\s+(.+)$", role)
        if (
            len(pieces) == 1
            and at
            and (_ROLE_WORDS.search(at.group(1)) or markdown_link(at.group(2)))
        ):
            pieces = [at.group(1), at.group(2)]
            role = pieces[0]
        organization, url = _linked(", ".join(pieces[1:]))
        self._add(
            "experience",
            {
                "start": start,
                "end": end,
                "role": role,
                "organization": organization,
                "url": url,
                "location": location,
                "advisor": advisor,
                "advisor_url": advisor_url,
                "details": _details(block),
            },
            model.Experience,
            heading,
            block,
            "a position",
        )

    def _education(self, heading: str, block: Block) -> None:
        start, end, body = _dated(block.text)
        body, advisor, _ = _advisor(body, split_link=False)
        main, location = _location(body)
        pieces = split_top(main, ",")
        degree_at = next((i for i, p in enumerate(pieces) if _DEGREE.match(plain(p))), 0)
        degree = pieces.pop(degree_at) if pieces else ""
        school_at = next((i for i, p in enumerate(pieces) if _INSTITUTION.search(p)), 0)
        institution_text = pieces.pop(school_at) if pieces else ""
        if pieces and not location:
            location = ", ".join(pieces)
        elif pieces:
            institution_text = ", ".join([institution_text, *pieces])
        institution, url = _linked(institution_text)
        field = None
        split = re.match(r"^(.+?)\s+in\s+(.+)$", degree)
        if split and _DEGREE.match(plain(degree)):
            degree, field = split.group(1), split.group(2)
        thesis = None
        details = []
        for child in block.walk()[1:]:
            found = re.match(r"^(?:\*\*|\*|_)?thesis(?:\*\*|\*|_)?\s*:\s*(.+)$", child.text, re.I)
            if found and thesis is None:
                thesis = strip_period(
                    plain(found.group(1))
                    if found.group(1).startswith(("*", "_"))
                    else found.group(1)
                )
            else:
                details.append(strip_period(child.text))
        self._add(
            "education",
            {
                "start": start,
                "end": end,
                "degree": degree,
                "field": field,
                "institution": institution or "",
                "url": url,
                "location": location,
                "advisor": advisor,
                "thesis": thesis,
                "details": details,
            },
            model.Education,
            heading,
            block,
            "a degree",
        )

    def _teaching(self, heading: str, block: Block) -> None:
        terms = [child for child in block.children if find_term(child.text)]
        if terms and not find_term(block.text):
            role, institution = _role_at(strip_period(block.text).rstrip(":"))
            for child in block.children:
                self._teaching_item(heading, child, role, institution)
            return
        self._teaching_item(heading, block, None, None)

    def _teaching_item(
        self, heading: str, block: Block, role: str | None, institution: str | None
    ) -> None:
        dated = split_date_prefix(block.text)
        found = (dated[0], dated[2]) if dated and not dated[1] else find_term(block.text)
        if found is None:
            self._keep(heading, block, "teaching item without a term or year")
            return
        term, rest = found
        course_parts: list[str] = []
        for piece in split_top(strip_period(rest), ","):
            piece = piece.strip(" ,:;–—-")
            if not piece:
                continue
            if role is None and _TEACHING_ROLE.search(piece) and len(piece) < 60:
                role = piece
            elif institution is None and _INSTITUTION.search(piece) and course_parts:
                institution = piece
            else:
                course_parts.append(piece)
        course = _COURSE_CODE.sub(r"\1 ", ", ".join(course_parts))
        self._add(
            "teaching",
            {
                "term": term,
                "role": role,
                "course": course,
                "institution": institution,
                "details": [strip_period(child.text) for child in block.walk()[1:]],
            },
            model.Teaching,
            heading,
            block,
            "a teaching term",
        )

    def _service(self, heading: str, block: Block) -> None:
        dated = split_date_prefix(block.text)
        date, text = (dated[0], dated[2]) if dated and not dated[1] else (None, block.text)
        text = strip_period(text)
        groups: list[dict[str, Any]] = []
        venues: list[str] = []
        details: list[str] = []
        role = text.rstrip(":").strip()
        if not block.children and ":" in text and not text.endswith(":"):
            head, _, tail = text.partition(":")
            if len(head) < 80 and not LINK.search(head):
                role, venues = head.strip(), split_top(tail, ",")
        for child in block.children:
            if child.children:
                groups.append(
                    {
                        "label": child.text.rstrip(":").strip(),
                        "venues": [strip_period(g.text) for g in child.walk()[1:]],
                    }
                )
                continue
            emphasised = re.fullmatch(r"([*_])(?!\1)(.+)\1", child.text.strip())
            head, colon, tail = child.text.partition(":")
            if emphasised:  # a note, not a venue
                details.append(strip_period(emphasised.group(2)))
            elif colon and tail.strip() and len(head) < 60 and not LINK.search(head):
                groups.append({"label": head.strip(), "venues": split_top(strip_period(tail), ",")})
            else:
                venues.append(strip_period(child.text))
        self._add(
            "service",
            {"role": role, "date": date, "groups": groups, "venues": venues, "details": details},
            model.Service,
            heading,
            block,
            "a service role",
        )

    def _awards(self, heading: str, block: Block) -> None:
        dated = split_date_prefix(block.text) or split_date_suffix(block.text)
        if dated is None:
            year = _YEAR.findall(block.text)
            if not year:
                self._keep(heading, block, "award without a date")
                return
            dated = (year[-1], None, block.text)
        body, url = _trailing_link(dated[2])
        pieces = split_top(strip_period(body), ",")
        title, title_url = _linked(pieces[0] if pieces else "")
        self._add(
            "awards",
            {
                "date": dated[0],
                "title": title,
                "organization": ", ".join(pieces[1:]),
                "url": url or title_url,
                "details": [strip_period(child.text) for child in block.walk()[1:]],
            },
            model.Award,
            heading,
            block,
            "an award",
        )

    def _talks(self, heading: str, block: Block) -> None:
        dated = split_date_prefix(block.text) or split_date_suffix(block.text)
        if dated is None:
            self._keep(heading, block, "talk without a date")
            return
        body = dated[2]
        links: dict[str, str] = {}
        while True:
            found = re.search(
                r"[\s|,;\\]*\[(?:\\\[)?([^\]\\]+?)(?:\\\])?\]\(([^)\s]+)\)[\s.|\\]*$", body
            )
            if not found or found.group(1).strip().lower() not in (
                "video",
                "slides",
                "recording",
                "youtube",
                "link",
                "pdf",
            ):
                break
            label = found.group(1).strip().lower()
            links[
                {"recording": "video", "youtube": "video", "pdf": "slides", "link": "url"}.get(
                    label, label
                )
            ] = found.group(2)
            body = body[: found.start()]
        body = strip_period(body.rstrip(" |\\"))
        quoted = re.match(r'^\s*["“](.+?)["”]\s*[,.]?\s*(.*)$', body)
        if quoted:
            title_text, rest = quoted.group(1), split_top(quoted.group(2), ",")
        else:
            pieces = split_top(body, ",")
            title_text, rest = (pieces[0] if pieces else ""), pieces[1:]
        title, url = _linked(title_text)
        event, location = _location(", ".join(rest[:1]))
        if len(rest) > 1:
            location = ", ".join(([location] if location else []) + rest[1:])
        self._add(
            "talks",
            {
                "date": dated[0],
                "title": title,
                "event": event,
                "location": location,
                "url": url or links.get("url"),
                "video": links.get("video"),
                "slides": links.get("slides"),
            },
            model.Talk,
            heading,
            block,
            "a talk",
        )

    def _internships(self, heading: str, block: Block) -> None:
        start, end, body = _dated(block.text)
        body, mentor, _ = _advisor(body, split_link=False)
        main, location = _location(body)
        pieces = split_top(main, ",")
        first = pieces[0] if pieces else ""
        role = None
        at = re.match(r"^(.+?)\s+(?:at|@)\s+(.+)$", first)
        if at and (_ROLE_WORDS.search(at.group(1)) or markdown_link(at.group(2))):
            role, first = at.group(1), at.group(2)
        organization, url = _linked(first)
        if pieces[1:] and not location:
            location = strip_period(", ".join(pieces[1:]))
        self._add(
            "internships",
            {
                "start": start,
                "end": end,
                "organization": organization,
                "url": url,
                "location": location,
                "role": role,
                "mentor": mentor,
                "details": _details(block),
            },
            model.Internship,
            heading,
            block,
            "an internship",
        )

    # --- publications -----------------------------------------------------------------------

    def _publication(self, heading: str, block: Block) -> None:
        if block.kind == "html":
            box = read_paper_box(block)
            for line, message in box.notes:
                self.note(line, message)
            self.owner_names.update(box.owners)
            if box.paper is None:
                if not box.sample:
                    self._keep(heading, block, "paper box without a title")
                return
            self.scholar_user = self.scholar_user or box.scholar_user
            self._entry(box.paper, block.line)
            return
        text = " ".join([block.text] + [child.text for child in block.walk()[1:]])
        parsed = read_publication_line(html_to_markdown(text) if "<" in text else text)
        if parsed is None:
            self._keep(
                heading,
                block,
                "publication line not understood (expected [Title](url), Authors, **VENUE YEAR**)",
            )
            return
        self._entry(parsed, block.line)

    def _entry(self, paper: dict[str, Any], line: int) -> None:
        entry = paper_entry(paper, self.keys)
        if "year" not in entry.fields:
            title = paper["title"][:50]
            self.warn(line, f"publication '{title}' has no year; it is listed as forthcoming")
        self.entries.append(entry)

    # --- the person and the result ----------------------------------------------------------

    def _person(self) -> dict[str, Any]:
        author = self.config.get("author") if isinstance(self.config.get("author"), dict) else {}
        value = {
            key: str(item).strip() for key, item in (author or {}).items() if item not in (None, "")
        }
        name = value.get("name", "")
        if not name and self.owner_names:
            name = (
                self.owner_names.most_common(1)[0][0]
                if self.owner_names.most_common(1)[0][1] > 0
                else ""
            )
        if not name:
            name = PLACEHOLDER_NAME
            self.warn(
                None,
                f"no name found (AcadHomepage keeps it in _config.yml: pass --config); "
                f"cv.yaml says '{PLACEHOLDER_NAME}': edit it",
            )
        scholar = value.get("googlescholar", "")
        scholar_user = re.search(r"[?&]user=([\w-]+)", scholar)
        website = value.get("uri") or str(self.config.get("url") or "").strip()
        contact = {
            "email": value.get("email"),
            "location": value.get("location"),
            "website": website
            if website.startswith(("http://", "https://")) and "localhost" not in website
            else None,
            "github": value.get("github"),
            "google_scholar": scholar_user.group(1)
            if scholar_user
            else (scholar or self.scholar_user or None),
            "orcid": value.get("orcid"),
            "linkedin": value.get("linkedin"),
            "x": value.get("twitter"),
            "dblp": value.get("dblp"),
        }
        known = {
            "name",
            "avatar",
            "bio",
            "location",
            "employer",
            "googlescholar",
            "email",
            "github",
            "orcid",
            "linkedin",
            "twitter",
            "dblp",
            "uri",
        }
        profiles = [
            {
                "network": network,
                "url": link if link.startswith("http") else None,
                "username": None if link.startswith("http") else link,
            }
            for network, link in value.items()
            if network not in known
        ]
        contact["profiles"] = profiles
        person: dict[str, Any] = {
            "name": name,
            "headline": value.get("bio"),
            "affiliation": value.get("employer"),
            "contact": contact,
        }
        avatar = value.get("avatar", "")
        if avatar and self.site_dir is not None:
            path = (self.site_dir / avatar.lstrip("/")).resolve()
            if path.is_file() and path.suffix.lower() in (".jpg", ".jpeg", ".png", ".webp"):
                name_of_photo = f"photo{path.suffix.lower()}"
                self.files[name_of_photo] = path.read_bytes()
                person["photo"] = name_of_photo
            else:
                self.warn(None, f"avatar '{avatar}' not found beside the config; no photo imported")
        return person

    def _finish(self) -> Imported:
        record: dict[str, Any] = self._person()
        about = "\n\n".join(self.about)
        for heading, lines in self.kept.items():
            about += f"\n\n**{heading}**\n\n" + "\n".join(lines)
        record["about"] = about.strip()
        record["interests"] = self.interests
        record.update(self.record)
        owners = [name for name, count in self.owner_names.most_common() if count > 0]
        highlight = list(dict.fromkeys([record["name"], *owners]))
        record["publications"] = {"bibtex": ["publications.bib"]}
        if self.entries and owners and owners != [record["name"]]:
            record["publications"]["highlight"] = highlight
        record["sections"] = _sections(self.order)
        notices = sorted(self.notices, key=lambda notice: notice.line or 0)
        return Imported(clean_record(record), self.entries, notices, self.files, self.source)


# --- helpers ----------------------------------------------------------------------------------


def _markdown_list(block: Block, depth: int = 0) -> list[str]:
    lines = [f"{'  ' * depth}- {html_to_markdown(block.text) if '<' in block.text else block.text}"]
    for child in block.children:
        lines += _markdown_list(child, depth + 1)
    return lines


def _dated(text: str) -> tuple[str | None, str | None, str]:
    dated = split_date_prefix(text) or split_date_suffix(strip_period(text))
    if dated is None:
        return None, None, text
    return dated[0], dated[1], dated[2]


def _advisor(text: str, *, split_link: bool) -> tuple[str, str | None, str | None]:
    found = _ADVISOR.search(text)
    if not found:
        return text, None, None
    who = found.group("who").strip()
    rest = text[: found.start()].rstrip(" ,;")
    if split_link:
        link = markdown_link(who)
        if link:
            return rest, link[0], link[1]
    return rest, who, None


def _location(text: str) -> tuple[str, str | None]:
    parts = [strip_period(part) for part in text.split(" · ")]
    return parts[0], (" · ".join(parts[1:]) or None)


def _linked(text: str) -> tuple[str, str | None]:
    text = strip_period(text.strip())
    link = markdown_link(text)
    return (link[0], link[1]) if link else (text, None)


def _role_at(text: str) -> tuple[str | None, str | None]:
    alone = re.match(r"^(?:at|@)\s+(.+)$", text, re.I)
    if alone:
        return None, alone.group(1).strip()
    found = re.match(r"^(.+?)\s+(?:at|@|in)\s+(.+)$", text) or re.match(r"^(.+?),\s+(.+)$", text)
    if found:
        return found.group(1).strip(), found.group(2).strip()
    if _INSTITUTION.search(text) and not _TEACHING_ROLE.search(text):
        return None, text
    return text or None, None


def _details(block: Block) -> list[str]:
    return [strip_period(child.text) for child in block.walk()[1:]]


def _trailing_link(text: str) -> tuple[str, str | None]:
    found = re.search(
        r"[\s.,;|]*(?:\\\[)?\[(?:\\\[)?(link|url|website|here|details|more|news|page|"
        r"certificate|announcement)(?:\\\])?\]\(([^)\s]+)\)(?:\\\])?\s*\.?\s*$",
        text,
        re.I,
    )
    if found:
        return text[: found.start()], found.group(2)
    return text, None


def _sections(order: list[tuple[str, str]]) -> list[Any] | None:
    """The record's ``sections`` when the homepage's order or titles differ from the defaults."""
    seen: dict[str, str] = {}
    for key, title in order:
        seen.setdefault(key, title)
    keys = ["about", *[key for key in seen if key != "about"]]
    keys += [key for key in BUILT_IN if key not in keys]
    default = list(BUILT_IN)
    retitled = {
        key: title
        for key, title in seen.items()
        if key != "about" and title.casefold() != BUILT_IN[key].title.casefold()
    }
    if keys == default and not retitled:
        return None
    return [{key: {"title": retitled[key]}} if key in retitled else key for key in keys]
