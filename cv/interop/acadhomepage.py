"""AcadHomepage ``_pages/about.md`` (and ``_config.yml``) -> the record and its BibTeX.

The page is read as Jekyll and a browser read it: the front matter is skipped, the files its
``include`` tags name are put in place (:mod:`cv.interop.liquid`, inside the site only), garbled
characters (mojibake) are repaired, and the Markdown and its HTML are parsed into blocks
(:mod:`cv.interop.page_tree`; comments, scripts and styles dropped). The page's section headings
are matched against the headings the sections take (:func:`cv.sections.registry.heading_patterns`,
in English or Chinese, whatever icon or emoji they carry) and each block under one is read by
that section's ``read_markdown``; a heading no section takes, or whose items none reads, becomes
a section of the page's own (``custom:``) in its place. What is not understood is kept as text
in ``about`` with a warning naming its file and line: nothing is dropped. The template's Lorem
ipsum placeholders and its sample paper are skipped with a note. The person and the site's
address come from ``_config.yml`` (:mod:`cv.interop.site_config`).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from cv.errors import CVError
from cv.interop.files import Imported, Notice, clean_record
from cv.interop.liquid import PageLine, expand_includes, fill_variables, front_matter_end
from cv.interop.markdown_items import Block
from cv.interop.page_tree import Page, read_page
from cv.interop.papers import LOREM, is_paper_box, read_paper_box
from cv.interop.reading import PageReader
from cv.interop.site_config import (
    PLACEHOLDER_NAME,
    person_of,
    site_address,
    site_resolver,
    unlinked,
)
from cv.interop.text import (
    looks_garbled,
    plain,
    repair_mojibake,
    strip_decoration,
)
from cv.loader import MAX_TEXT
from cv.model import MAX_CUSTOM
from cv.sections.base import SectionKind
from cv.sections.custom import CustomSection, custom_kind
from cv.sections.registry import BUILT_IN, HOMEPAGE, heading_patterns

__all__ = ["import_acadhomepage", "read_acadhomepage", "section_of_heading", "PLACEHOLDER_NAME"]


#: The longest heading read as one (a longer ``#`` line is kept as text).
MAX_HEADING = 120

_LIQUID = re.compile(r"^\s*\{%.*%\}\s*$")
_LIQUID_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}")
#: A label in bold on its own line, which heads the items after it as a subheading does.
_LABEL = re.compile(r"(\*\*|__)([^*_\n]{1,120}?):?\1:?")
_INTRO = BUILT_IN["about"]
#: A heading a section takes only when its items read as the section's: ``Positions`` may be
#: one's jobs (dated) or the roles one holds (committees, societies: a section of its own).
_WEAK_HEADING = re.compile(r"^(?:current\s+|academic\s+)?positions?$", re.I)


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
        site_dir=_site_folder(about, config),
        source=str(about),
        page_file=about,
    )


def _site_folder(about: Path, config: Path | None) -> Path:
    """The site's folder: the config's, else the page's (or its parent's, for ``_pages/``)."""
    if config is not None:
        return config.parent
    folder = about.parent
    return folder.parent if folder.name == "_pages" else folder


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
    page_file: Path | None = None,
) -> Imported:
    """Turn the text of an AcadHomepage ``about.md`` into a record and BibTeX entries.

    Args:
        text: The page, as text.
        config: The parsed ``_config.yml`` (its ``author:`` block gives name, contact, photo;
            ``url`` and ``baseurl`` the address relative links resolve against).
        site_dir: The site's folder: the avatar the config names, the files ``include`` tags
            name (never outside it); None: includes are not followed.
        source: The file name, for notices.
        page_file: The page's file, which ``include_relative`` is relative to.

    Returns:
        The record (valid against :class:`cv.model.Record`), entries and notices.
    """
    config = config or {}
    page = PageReader(dict(BUILT_IN), source=source)
    page.origins = _page_lines(text, page, page_file, site_dir, config)
    tree = read_page([line.text for line in page.origins], site_resolver(config))
    _note_hidden(page, tree)
    level = _section_level(tree.blocks)
    parts: list[tuple[int, str, list[Block]]] = [(0, "", [])]
    for block in tree.blocks:
        if block.kind == "heading" and block.level <= level:
            parts.append((block.line, block.text, []))
        else:
            parts[-1][2].append(block)
    _read_section(page, _INTRO, "", parts[0][2])
    intro = bool(page.about or page.interests)  # text before the first heading: About leads
    order: list[tuple[str, str]] = []
    titles: dict[str, str] = {}  # the page's own sections: key -> title
    overflow: list[int] = []  # the lines of headings past MAX_CUSTOM sections of the page's own
    for number, heading, blocks in parts[1:]:
        title = heading_title(heading)
        if len(title) > MAX_HEADING:
            shown = title[:57] + "..."
            page.warn(number, f"a heading of {len(title)} characters is not read as one")
            page.keep(shown, Block("paragraph", number, title), None)
            for block in blocks:
                page.keep(shown, block)
            continue
        kind = next((kind for kind, pattern in _HEADINGS if pattern.search(title)), None)
        taken = any(key == "about" for key, _ in order)
        if kind is _INTRO and (taken or (intro and any(key != "about" for key, _ in order))):
            kind = None  # About is placed already: `Research Interests` after News keeps its own
        if kind is None:
            kind = _custom_section(page, titles, title, number, blocks, overflow)
            if kind is None:
                continue
        kind = _read_or_own(page, kind, title, number, blocks, titles, overflow)
        if kind is not None:
            order.append((kind.key, title))
    if overflow:
        more = f"{len(overflow)} more heading{'s' if len(overflow) != 1 else ''}"
        page.warn(
            overflow[0],
            f"{more} than the {MAX_CUSTOM} sections of your own a record may have; "
            "their text is kept in `about` under them",
        )
    return _finish(page, order, titles, config, site_dir, intro=intro)


def section_of_heading(heading: str) -> str | None:
    """The key of the built-in section a heading of the page is read into, or None."""
    title = heading_title(heading)
    return next((kind.key for kind, pattern in _HEADINGS if pattern.search(title)), None)


def heading_title(heading: str) -> str:
    """A heading as the CV titles it: no icon, emoji, emphasis or link marks."""
    title = strip_decoration(plain(heading)).strip()
    return title or heading.strip()


def _section_level(blocks: list[Block]) -> int:
    """The heading level of the page's sections: ``#``, unless one lone title is above them."""
    levels = [block.level for block in blocks if block.kind == "heading"]
    if not levels:
        return 1
    top = min(levels)
    deeper = sorted({level for level in levels if level > top})
    if levels.count(top) == 1 and levels[0] == top and deeper and levels.count(deeper[0]) > 1:
        return deeper[0]
    return top


def _page_lines(
    text: str, page: PageReader, page_file: Path | None, site_dir: Path | None, config: Any
) -> list[PageLine]:
    """The page's lines after its front matter: includes followed, repaired, without Liquid."""
    raw = text.splitlines()
    start = front_matter_end(raw)
    lines = [PageLine(raw[index], index + 1) for index in range(start, len(raw))]

    def warn(line: PageLine, message: str) -> None:
        page.notices.append(Notice(message, line.line, file=line.file))

    lines = expand_includes(lines, page_file, site_dir, warn)
    repaired: list[PageLine] = []
    out: list[PageLine] = []
    for line in lines:
        visible = repair_mojibake(line.text)
        if visible != line.text:
            repaired.append(line)
        if looks_garbled(visible):
            warn(line, f"text still looks garbled after repair: {visible.strip()[:60]!r}")
        if _LIQUID.match(visible):  # the template's Liquid set-up, not content
            words = _LIQUID_TAG.sub("", visible).strip()
            if words:
                warn(line, f"Liquid line not read (the site fills it in): {words[:60]!r}")
            continue
        if "{{" in visible:
            visible, unknown = fill_variables(visible, config)
            if unknown:
                warn(line, f"Liquid not filled in (the site computes it): {unknown[0][:60]!r}")
        if "{%" in visible:
            tags = _LIQUID_TAG.findall(visible)
            visible = _LIQUID_TAG.sub("", visible)
            warn(line, f"Liquid tag not run (the site runs it): {tags[0][:60]!r}")
        out.append(PageLine(visible, line.line, line.file))
    if repaired:
        plural = "s" if len(repaired) != 1 else ""
        first = repaired[0]
        page.notices.append(
            Notice(
                f"repaired garbled characters (mojibake) on {len(repaired)} line{plural}",
                first.line,
                level="note",
                file=first.file,
            )
        )
    return out


def _note_hidden(page: PageReader, tree: Page) -> None:
    """One note for the comments, one for each script, style or frame not read."""
    if tree.comments:
        count = sum(lines for _, lines in tree.comments)
        plural = "s" if count != 1 else ""
        page.note(tree.comments[0][0], f"skipped {count} line{plural} in HTML comments (not shown)")
    for line, tag in tree.widgets:
        page.note(line, f"skipped a <{tag}> (it is not text of the page)")


def _read_or_own(
    page: PageReader,
    kind: SectionKind,
    title: str,
    line: int,
    blocks: list[Block],
    titles: dict[str, str],
    overflow: list[int],
) -> SectionKind | None:
    """Read a section; one none of whose items reads as the section's entries (``Positions``
    without dates, under a heading experience takes) becomes a section of the page's own, in its
    place, rather than text in ``about``. Returns the section it became (None: text only)."""
    notices, kept = len(page.notices), len(page.kept.get(title, []))
    before = len(page.items.get(kind.key, []))
    _read_section(page, kind, title, blocks)
    if kind.key not in BUILT_IN or kind.model is None:
        return kind
    added = page.items.get(kind.key, [])[before:]
    undated = sum(not (item.get("start") or item.get("date")) for item in added)
    if _WEAK_HEADING.search(title) and added:
        if undated * 2 <= len(added):
            page.note(line, f"section '{title}' read as {kind.title.lower()} (its items are dated)")
            return kind
        why = f"its items have no dates, as {kind.title.lower()} has"
    elif added or len(page.kept.get(title, [])) == kept:
        return kind
    else:
        first = next((n.message for n in page.notices[notices:] if n.level == "warning"), "")
        detail = f" ({first.split(';')[0]})" if first else ""
        why = f"no item reads as {kind.title.lower()}{detail}"
    del page.notices[notices:]
    if kind.key in page.items:
        del page.items[kind.key][before:]
    page.kept[title] = page.kept.get(title, [])[:kept]
    if not page.kept[title]:
        del page.kept[title]
    own = _custom_section(page, titles, title, line, blocks, overflow)
    if own is not None:
        page.warn(line, f"section '{title}': {why}; it is a section of its own, as written")
        _read_section(page, own, title, blocks)
    return own


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
    items = any(re.search(r"\w", block.text) for block in _flat(blocks) if block.kind != "heading")
    if key is None and items and len(titles) < MAX_CUSTOM:
        key = _custom_key(title, titles)
        titles[key] = title
        page.kinds[key] = custom_kind(key, CustomSection(title=title))
    elif key is None:
        if items:
            overflow.append(line)
        elif blocks:
            why = "has no text to make entries of"
            page.warn(
                line, f"section '{title}' {why}; what it has is kept in `about` under that heading"
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

    Sections of entries get list items: a subheading (or a label in bold on its own line)
    groups the items after it (:meth:`PageReader.group`), a box of HTML is read as the blocks
    in it, a placeholder or markup without text (an anchor, an image) is skipped, and a
    paragraph is read as an item. Sections that are not lists of entries (the introduction,
    the papers) get every block as it is.
    """
    page.end_group()
    page.section, page.heading, page.subheading = kind.key, title, None
    reader = kind.read_markdown
    assert reader is not None  # _HEADINGS and custom sections have one
    if kind.model is None:
        for block in blocks:
            reader(page, title, block)
        return
    for block in _flat(blocks, papers=True):
        if block.kind == "html" and is_paper_box(block) and _has_authors(block):
            _paper_elsewhere(page, kind, title, block)
            continue
        label = _LABEL.fullmatch(block.text) if block.kind == "paragraph" else None
        if block.kind == "heading" or label:
            page.start_group(label[2] if label else block.text, block.line, label=bool(label))
        elif not re.search(r"\w", block.text) and not block.children:
            if block.element is not None and block.element.find(".//img") is not None:
                page.note(block.line, "skipped an HTML widget (an image) with no text")
        elif LOREM.search(block.text):
            page.note(block.line, "skipped the template's Lorem ipsum placeholder")
        else:
            reader(page, title, Block("item", block.line, block.text, block.children, block.lines))
    page.end_group()


def _flat(blocks: list[Block], *, papers: bool = False) -> list[Block]:
    """The blocks with each box of HTML replaced by the blocks in it (but paper boxes)."""
    out: list[Block] = []
    for block in blocks:
        if block.kind == "html" and block.children and not (papers and is_paper_box(block)):
            out += _flat(block.children, papers=papers)
        else:
            out.append(block)
    return out


def _has_authors(block: Block) -> bool:
    """Whether a paper box names authors (a paper; a box of a research topic names none)."""
    box = read_paper_box(block)
    return box.paper is not None and bool(box.paper.get("authors"))


def _paper_elsewhere(page: PageReader, kind: SectionKind, title: str, block: Block) -> None:
    """A paper box under another heading (``Highlights``): a publication, and in a section
    of the page's own an entry naming it, so the heading keeps its place."""
    read = BUILT_IN["publications"].read_markdown
    assert read is not None
    before = len(page.papers)
    read(page, title, block)
    if len(page.papers) == before:
        return
    paper = page.papers[-1]
    page.note(block.line, f"the paper under '{title}' is listed with the publications too")
    if kind.key not in BUILT_IN:
        entry = {"title": paper["title"], "url": paper.get("url"), "subtitle": paper.get("venue")}
        page.add(kind.key, entry, block, "an entry")


# --- the person and the result ----------------------------------------------------------------


def _finish(
    page: PageReader,
    order: list[tuple[str, str]],
    titles: dict[str, str],
    config: dict[str, Any],
    site_dir: Path | None,
    *,
    intro: bool = True,
) -> Imported:
    files: dict[str, bytes] = {}
    record: dict[str, Any] = person_of(page, config, site_dir, files)
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
    address = site_address(config)
    if address:
        record["base_url"] = address
    if page.entries and owners and owners != [record["name"]]:
        record["publications"]["highlight"] = highlight
    shown = [(k, t) for k, t in order if k in BUILT_IN or k in custom]
    record["sections"] = _sections(shown, about_first=intro)
    if not site_address(config):
        record = unlinked(page, record)
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


def _sections(order: list[tuple[str, str]], *, about_first: bool = True) -> list[Any] | None:
    """The record's ``sections`` when the homepage's order or titles differ from the defaults.

    The page's own sections (``custom:``) take their place in the page's order; About comes
    first when the page begins with text, else where its heading is.
    """
    seen: dict[str, str] = {}
    for key, title in order:
        seen.setdefault(key, title)
    keys = list(seen) if "about" in seen and not about_first else []
    keys = keys or ["about", *[key for key in seen if key != "about"]]
    default = [kind.key for kind in HOMEPAGE]  # a page in this order takes the CV's order
    keys += [key for key in default if key not in keys]
    retitled = {
        key: title
        for key, title in seen.items()
        if key in BUILT_IN
        and title.casefold()
        not in {BUILT_IN[key].title.casefold(), BUILT_IN[key].homepage_title.casefold()}
    }
    if keys == default and not retitled:
        return None
    return [{key: {"title": retitled[key]}} if key in retitled else key for key in keys]
