"""AcadHomepage ``_pages/about.md`` (and ``_config.yml``) -> the record and its BibTeX.

This module reads the page: the front matter, garbled characters (mojibake), the template's
Liquid, HTML comments, then the page's ``#`` headings. Each heading is matched against the
headings the sections take (:func:`cv.sections.registry.heading_patterns`, whatever emoji or
wording it carries) and each block under it is read by that section's ``read_markdown``; a
heading no section takes becomes a section of the page's own (``custom:``). Anything that is
not understood is kept as text in ``about`` with a warning naming its line: nothing is dropped.
The template's Lorem ipsum placeholders and its sample paper are skipped with a note.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from cv.errors import CVError
from cv.interop.files import Imported, clean_record
from cv.interop.markdown_items import Block, parse_blocks
from cv.interop.papers import LOREM
from cv.interop.reading import PageReader
from cv.interop.text import html_to_markdown, looks_garbled, repair_mojibake, strip_decoration
from cv.loader import MAX_TEXT
from cv.model import MAX_CUSTOM
from cv.sections.base import SectionKind
from cv.sections.custom import CustomSection, custom_kind
from cv.sections.registry import BUILT_IN, HOMEPAGE, heading_patterns

__all__ = ["import_acadhomepage", "read_acadhomepage", "PLACEHOLDER_NAME"]

PLACEHOLDER_NAME = "Your Name"

#: The longest heading read as one (a longer ``#`` line is kept as text).
MAX_HEADING = 120

_LIQUID = re.compile(r"^\s*\{%.*%\}\s*$")
_LIQUID_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}")
_HEADING = re.compile(r"^#\s+(.*?)\s*#*\s*$")
#: A label in bold on its own line, which heads the items after it as a subheading does.
_LABEL = re.compile(r"(\*\*|__)([^*_\n]{1,120}?):?\1:?")
_INTRO = BUILT_IN["about"]


#: The sections that take headings, with their patterns, in the order they are tried.
_HEADINGS = [
    (kind, re.compile(pattern, re.I))
    for kind, pattern in heading_patterns()
    if kind.read_markdown is not None
]


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
    page = PageReader(dict(BUILT_IN), source=source)
    parts: list[tuple[int, str, list[tuple[int, str]]]] = [(0, "", [])]
    for number, line in _page_lines(text, page):
        found = _HEADING.match(line)
        if found:
            parts.append((number, found.group(1), []))
        else:
            parts[-1][2].append((number, line))
    _read_section(page, _INTRO, "", parse_blocks(parts[0][2]))
    order: list[tuple[str, str]] = []
    titles: dict[str, str] = {}  # the page's own sections: key -> title
    overflow: list[int] = []  # the lines of headings past MAX_CUSTOM sections of the page's own
    for number, heading, body in parts[1:]:
        title = strip_decoration(heading).strip() or heading.strip()
        blocks = parse_blocks(body)
        if len(title) > MAX_HEADING:
            shown = title[:57] + "..."
            page.warn(number, f"a heading of {len(title)} characters is not read as one")
            page.keep(shown, Block("paragraph", number, title), None)
            for block in blocks:
                page.keep(shown, block)
            continue
        kind = next((kind for kind, pattern in _HEADINGS if pattern.search(title)), None)
        if kind is None:
            kind = _custom_section(page, titles, title, number, blocks, overflow)
            if kind is None:
                continue
        order.append((kind.key, title))
        _read_section(page, kind, title, blocks)
    if overflow:
        more = f"{len(overflow)} more heading{'s' if len(overflow) != 1 else ''}"
        page.warn(
            overflow[0],
            f"{more} than the {MAX_CUSTOM} sections of your own a record may have; "
            "their text is kept in `about` under them",
        )
    return _finish(page, order, titles, config or {}, site_dir)


def _page_lines(text: str, page: PageReader) -> list[tuple[int, str]]:
    """The page's numbered lines after its front matter: repaired, without comments or Liquid."""
    raw = text.splitlines()
    start = 0
    if raw and raw[0].strip() == "---":
        end = next((i for i in range(1, len(raw)) if raw[i].strip() in ("---", "...")), None)
        if end is not None:
            start = end + 1
    repaired: list[int] = []
    hidden: list[int] = []
    in_comment = False
    lines = []
    for index in range(start, len(raw)):
        number, line = index + 1, raw[index]
        fixed = repair_mojibake(line)
        if fixed != line:
            repaired.append(number)
        visible, in_comment, commented = _uncommented(fixed, in_comment)
        if commented:
            hidden.append(number)
        if looks_garbled(visible):
            page.warn(number, f"text still looks garbled after repair: {visible.strip()[:60]!r}")
        if _LIQUID.match(visible):  # the template's Liquid set-up, not content
            words = _LIQUID_TAG.sub("", visible).strip()
            if words:
                page.warn(number, f"Liquid line not read (the site fills it in): {words[:60]!r}")
            continue
        lines.append((number, visible))
    if repaired:
        plural = "s" if len(repaired) != 1 else ""
        page.note(
            repaired[0],
            f"repaired garbled characters (mojibake) on {len(repaired)} line{plural}",
        )
    if hidden:
        plural = "s" if len(hidden) != 1 else ""
        page.note(hidden[0], f"skipped {len(hidden)} line{plural} in HTML comments (not shown)")
    return lines


def _uncommented(line: str, in_comment: bool) -> tuple[str, bool, bool]:
    """``(visible text, still in a comment, whether anything was hidden)`` of one line."""
    out: list[str] = []
    hid = in_comment
    position = 0
    while position <= len(line):
        if in_comment:
            end = line.find("-->", position)
            if end < 0:
                break
            position, in_comment = end + 3, False
            continue
        begin = line.find("<!--", position)
        if begin < 0:
            out.append(line[position:])
            break
        out.append(line[position:begin])
        position, in_comment, hid = begin + 4, True, True
    return "".join(out), in_comment, hid


def _custom_section(
    page: PageReader,
    titles: dict[str, str],
    title: str,
    line: int,
    blocks: list[Block],
    overflow: list[int],
) -> SectionKind | None:
    """The page's own section for a heading no built-in section takes, or None.

    Only a heading with list items makes one (its items are the entries); the text of a
    heading without any is kept in ``about`` under it, as is everything past ``MAX_CUSTOM``
    sections (their lines are added to ``overflow``, for one warning).
    """
    key = next((key for key, known in titles.items() if known == title), None)
    items = any(block.kind == "item" for block in blocks)
    if key is None and items and len(titles) < MAX_CUSTOM:
        key = _custom_key(title, titles)
        titles[key] = title
        page.kinds[key] = custom_kind(key, CustomSection(title=title))
    elif key is None:
        if items:
            overflow.append(line)
        elif blocks:
            why = "has no list to make entries of"
            page.warn(
                line, f"section '{title}' {why}; its text is kept in `about` under that heading"
            )
        for block in blocks:
            page.keep(title, block)
        return None
    return page.kinds[key]


def _custom_key(title: str, titles: dict[str, str]) -> str:
    """A ``custom:`` key made from a heading: lower-case ASCII, no built-in key, not taken."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_title.lower()).strip("_")[:40].rstrip("_")
    if not base or not base[0].isalpha():
        base = f"section_{base}".rstrip("_")
    if base in BUILT_IN:
        base = f"custom_{base}"
    key, number = base, 2
    while key in titles or key in BUILT_IN:
        key, number = f"{base}_{number}", number + 1
    return key


def _read_section(page: PageReader, kind: SectionKind, title: str, blocks: list[Block]) -> None:
    """Hand each block to the section's reader.

    Sections of entries get list items, their inline HTML turned into Markdown: a subheading
    (or a label in bold on its own line) groups the items after it (:meth:`PageReader.group`),
    an HTML block is kept as text, a placeholder or markup without text (an anchor, an image)
    is skipped, and a paragraph is read as an item (in a section of the page's own it is kept
    as text). Sections that are not lists of entries (the introduction, the papers) get every
    block as it is.
    """
    page.end_group()
    page.section, page.heading, page.subheading = kind.key, title, None
    reader = kind.read_markdown
    assert reader is not None  # _HEADINGS and custom sections have one
    if kind.model is None:
        for block in blocks:
            reader(page, title, block)
        return
    own = kind.key not in BUILT_IN
    kept_text: int | None = None
    for raw in blocks:
        if raw.kind == "html":
            page.keep(title, raw, "HTML block not understood")
            continue
        block = _markdown(raw)
        label = _LABEL.fullmatch(block.text) if block.kind == "paragraph" else None
        if block.kind == "heading" or label:
            page.start_group(label[2] if label else block.text, block.line, label=bool(label))
        elif not re.search(r"\w", block.text) and not block.children:
            if re.search(r"<(?:img|iframe|script|video)\b", raw.text, re.I):
                page.note(block.line, "skipped an HTML widget (image or script) with no text")
        elif LOREM.search(block.text):
            page.note(block.line, "skipped the template's Lorem ipsum placeholder")
        elif own and block.kind == "paragraph":
            page.keep(title, block)
            kept_text = block.line if kept_text is None else kept_text
        else:
            reader(page, title, Block("item", block.line, block.text, block.children))
    page.end_group()
    if kept_text is not None:
        page.warn(
            kept_text, f"section '{title}': its text that is not a list is kept in `about` under it"
        )


def _markdown(block: Block) -> Block:
    """The block with inline HTML turned into Markdown (a paragraph on one line)."""
    text = html_to_markdown(block.text) if "<" in block.text else block.text
    if block.kind == "paragraph":
        text = " ".join(text.split())
    return Block(block.kind, block.line, text, [_markdown(child) for child in block.children])


# --- the person and the result ----------------------------------------------------------------


def _person(
    page: PageReader, config: dict[str, Any], site_dir: Path | None, files: dict[str, bytes]
) -> dict[str, Any]:
    """The person from the config's ``author:`` block, or from the names in bold in the papers."""
    author = config.get("author") if isinstance(config.get("author"), dict) else {}
    value = {
        key: str(item).strip() for key, item in (author or {}).items() if item not in (None, "")
    }
    name = value.get("name", "")
    if not name and page.owner_names:
        name = (
            page.owner_names.most_common(1)[0][0]
            if page.owner_names.most_common(1)[0][1] > 0
            else ""
        )
    if not name:
        name = PLACEHOLDER_NAME
        page.warn(
            None,
            f"no name found (AcadHomepage keeps it in _config.yml: pass --config); "
            f"cv.yaml says '{PLACEHOLDER_NAME}': edit it",
        )
    scholar = value.get("googlescholar", "")
    scholar_user = re.search(r"[?&]user=([\w-]+)", scholar)
    website = value.get("uri") or str(config.get("url") or "").strip()
    contact = {
        "email": value.get("email"),
        "location": value.get("location"),
        "website": website
        if website.startswith(("http://", "https://")) and "localhost" not in website
        else None,
        "github": value.get("github"),
        "google_scholar": scholar_user.group(1)
        if scholar_user
        else (scholar or page.scholar_user or None),
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
    if avatar and site_dir is not None:
        path = (site_dir / avatar.lstrip("/")).resolve()
        if path.is_file() and path.suffix.lower() in (".jpg", ".jpeg", ".png", ".webp"):
            name_of_photo = f"photo{path.suffix.lower()}"
            files[name_of_photo] = path.read_bytes()
            person["photo"] = name_of_photo
        else:
            page.warn(None, f"avatar '{avatar}' not found beside the config; no photo imported")
    return person


def _finish(
    page: PageReader,
    order: list[tuple[str, str]],
    titles: dict[str, str],
    config: dict[str, Any],
    site_dir: Path | None,
) -> Imported:
    files: dict[str, bytes] = {}
    record: dict[str, Any] = _person(page, config, site_dir, files)
    about = "\n\n".join(page.about)
    for heading, lines in page.kept.items():
        about += f"\n\n**{heading}**\n\n" + "\n".join(lines)
    record["about"] = about.strip()
    record["interests"] = page.interests
    record |= {key: page.items[key] for key in BUILT_IN if key in page.items}
    custom = {
        key: {"title": title, "entries": page.items[key]}
        for key, title in titles.items()
        if page.items.get(key)
    }
    if custom:
        record["custom"] = custom
    owners = [name for name, count in page.owner_names.most_common() if count > 0]
    highlight = list(dict.fromkeys([record["name"], *owners]))
    record["publications"] = {"bibtex": ["publications.bib"]}
    if page.entries and owners and owners != [record["name"]]:
        record["publications"]["highlight"] = highlight
    record["sections"] = _sections([(k, t) for k, t in order if k in BUILT_IN or k in custom])
    record = clean_record(record)
    for where, length in _long_texts(record):
        page.warn(
            None,
            f"`{where}` is {length:,} characters, more than the {MAX_TEXT:,} cv.yaml takes "
            "in one value; shorten it (nothing was cut) before building",
        )
    notices = sorted(page.notices, key=lambda notice: notice.line or 0)
    return Imported(record, page.entries, notices, files, page.source)


def _long_texts(value: Any, where: str = "") -> list[tuple[str, int]]:
    """Where the record has text longer than the loader takes, and how long."""
    if isinstance(value, str):
        return [(where, len(value))] if len(value) > MAX_TEXT else []
    if isinstance(value, dict):
        items = [(f"{where}.{key}" if where else str(key), item) for key, item in value.items()]
    elif isinstance(value, list):
        items = [(f"{where}[{index}]", item) for index, item in enumerate(value)]
    else:
        return []
    return [found for path, item in items for found in _long_texts(item, path)]


def _sections(order: list[tuple[str, str]]) -> list[Any] | None:
    """The record's ``sections`` when the homepage's order or titles differ from the defaults.

    The page's own sections (``custom:``) take their place in the page's order.
    """
    seen: dict[str, str] = {}
    for key, title in order:
        seen.setdefault(key, title)
    keys = ["about", *[key for key in seen if key != "about"]]
    default = [kind.key for kind in HOMEPAGE]  # a page in this order takes the CV's order
    keys += [key for key in default if key not in keys]
    retitled = {
        key: title
        for key, title in seen.items()
        if key in BUILT_IN
        and key != "about"
        and title.casefold()
        not in {BUILT_IN[key].title.casefold(), BUILT_IN[key].homepage_title.casefold()}
    }
    if keys == default and not retitled:
        return None
    return [{key: {"title": retitled[key]}} if key in retitled else key for key in keys]
