"""The record -> cv.docx: the CV's sections as a Word document, for forms that take only Word.

It lays out the same section views as the HTML (:func:`cv.render.sections`), with Word's own
styles so that the navigation pane, the outline and PDF export work: the name in Title, each
section in Heading 1, each group (a supervision level, a kind of publication) in Heading 2.
Dates sit before a tab stop, details are List Bullet paragraphs, publications carry the number
the CV gives them, the owner's name is bold and every link is a live hyperlink.

The views hold safe inline HTML; :class:`_Inline` turns it into runs with the stdlib HTML
parser, so that text is only ever text and a link is made only of a URL :func:`_linkable`.
The theme gives its fonts, accent colour, type size, page size and margins; its templates and
CSS cannot reach Word, and :func:`docx_warnings` names those of the record that are left out.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

import docx
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt, RGBColor

from cv.fonts import CJK_FAMILY
from cv.i18n import format_day, word
from cv.render import contact_links, person, sections
from cv.views import Entry, PublicationGroupView, PublicationView, Section

if TYPE_CHECKING:
    from docx.document import Document
    from docx.styles.style import ParagraphStyle
    from docx.text.paragraph import Paragraph

    from cv.bibliography import Publication
    from cv.model import Record
    from cv.scholar import Scholar
    from cv.themes import Theme

DATE_COLUMN = Cm(3.8)
"""Where an entry's body starts: its date hangs before this tab stop."""
BULLET_INDENT = Cm(0.45)
DEFAULT_FONT = "Source Serif Pro"
DEFAULT_ACCENT = "#1f3a68"
PAGE_SIZES = {"A4": (Cm(21.0), Cm(29.7)), "Letter": (Cm(21.59), Cm(27.94))}
LINK_SCHEMES = ("http://", "https://", "mailto:", "tel:")
_BLOCKS = {"p", "div", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr"}


@dataclass(frozen=True)
class Style:
    """What the theme decides of the look, as far as Word can show it."""

    text_font: str = DEFAULT_FONT
    heading_font: str = DEFAULT_FONT
    accent: str = DEFAULT_ACCENT
    size: float = 10.0
    page_size: str = "A4"
    margins: tuple[Length, Length, Length, Length] = (Cm(2), Cm(2), Cm(2.2), Cm(2))


def theme_style(theme: Theme, record: Record) -> Style:
    """The look of ``theme`` with the record's ``theme:`` options: fonts, colour, sizes."""
    css = theme.css("cv", record.theme)
    options = theme.options(record.theme)
    text = _last(r"--text-font:\s*[\"']([^\"']+)[\"']", css) or DEFAULT_FONT
    heading = _last(r"--heading-font:\s*[\"']([^\"']+)[\"']", css) or text
    size = re.fullmatch(r"(\d+(?:\.\d+)?)pt", options.get("font_size") or "")
    return Style(
        text_font=text,
        heading_font=heading,
        accent=options.get("accent_color") or DEFAULT_ACCENT,
        size=float(size[1]) if size else 10.0,
        page_size=record.theme.page_size,
        margins=_margins(options.get("margins") or "") or Style.margins,
    )


def docx_warnings(theme: Theme) -> tuple[str, ...]:
    """What of the record's own theme folder cv.docx does not carry over (it uses no HTML)."""
    folder = theme.user_folder
    if folder is None:
        return ()
    left = sorted(
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and path.suffix in (".j2", ".css")
    )
    return tuple(
        f"theme/{name} is not carried over to Word: cv.docx is laid out without templates or CSS"
        for name in left
    )


def write_docx(
    record: Record,
    publications: Sequence[Publication],
    scholar: Scholar | None,
    today: dt.date,
    *,
    style: Style | None = None,
    title: str | None = None,
) -> bytes:
    """The CV of ``record`` as the bytes of a .docx: the same bytes for the same input.

    Args:
        record: The validated record.
        publications: Publications, newest first, from the bibliography.
        scholar: Citation counts for the publications section, if the record names a snapshot.
        today: The "last updated" date, also the document's created and modified dates.
        style: The theme's look (:func:`theme_style`); the classic look without one.
        title: What the document is, after the name in its title ("Curriculum Vitae" in the
            document's language when None).
    """
    style = style or Style()
    title = title or word("cv_title")
    document = docx.Document()
    _set_up(document, style)
    _properties(document, record, today, title)
    _header(document, record, style)
    for section in sections(record, publications, scholar):
        document.add_heading(section.title, level=1)
        _section(document, section, style)
    updated = document.add_paragraph(word("last_updated").format(date=format_day(today)))
    updated.paragraph_format.space_before = Pt(12)
    _muted(updated)
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue(), today)


# --- the parts of the document ------------------------------------------------------------


def _header(document: Document, record: Record, style: Style) -> None:
    head = person(record)
    name = record.name + (f" {record.name_native}" if record.name_native else "")
    document.add_paragraph(name, style="Title")
    position = [text for text in (head["headline"], head["affiliation"]) if text]
    if position:
        paragraph = document.add_paragraph()
        _add_html(paragraph, " · ".join(str(text) for text in position), style, italic=True)
    links = contact_links(record)
    if links:
        paragraph = document.add_paragraph()
        for i, link in enumerate(links):
            if i:
                paragraph.add_run(" · ")
            _add_segment(paragraph, link.text, {}, link.url, style)


def _section(document: Document, section: Section, style: Style) -> None:
    extra = section.extra
    if extra.get("about"):
        for block in _blocks(str(extra["about"])):
            _add_segments(document.add_paragraph(), block, style)
    if extra.get("interests"):
        document.add_heading(word("research_interests"), level=2)
        for interest, details in extra["interests"]:
            paragraph = document.add_paragraph(style="List Bullet")
            _add_html(paragraph, str(interest), style, bold=True)
            if details:
                paragraph.add_run(": ")
                _add_html(paragraph, str(details), style)
    if extra.get("scholar"):
        _muted(document.add_paragraph(extra["scholar"].summary))
    marks = extra.get("marks", "*†" if extra.get("has_marks") else "")
    legend = (("*", word("equal_contribution")), ("†", word("corresponding_author")))
    shown = [(mark, text) for mark, text in legend if mark in marks]
    if shown:
        paragraph = document.add_paragraph()
        for i, (mark, text) in enumerate(shown):
            paragraph.add_run((" · " if i else "") + mark).font.superscript = True
            paragraph.add_run(f" {text}")
        _muted(paragraph)
    starts = extra.get("group_starts", ())
    for i, entry in enumerate(section.entries):
        if isinstance(entry, PublicationGroupView):
            _publications(document, entry, style)
            continue
        if starts and starts[i]:
            document.add_heading(str(extra["group_of"][i]), level=2)
        if isinstance(entry, Entry):
            _entry(document, entry, style)


def _entry(document: Document, entry: Entry, style: Style) -> None:
    paragraph = _dated(document, entry.when)
    _add_html(paragraph, str(entry.title), style)
    paragraph.paragraph_format.keep_with_next = bool(entry.subtitle or entry.details or entry.links)
    if entry.subtitle:
        _add_html(_body(document), str(entry.subtitle), style, italic=True)
    for detail in entry.details:
        _add_html(_bullet(document), str(detail), style)
    links = [(link.text, link.url) for link in entry.links if link.url]
    if links:
        _links(_body(document), links, style)


def _publications(document: Document, group: PublicationGroupView, style: Style) -> None:
    if group.title:
        document.add_heading(group.title, level=2)
    for number, pub in group.entries:
        _publication(document, number, pub, style)


def _publication(
    document: Document, number: int | None, pub: PublicationView, style: Style
) -> None:
    paragraph = _dated(document, f"[{number}]" if number is not None else "")
    paragraph.paragraph_format.keep_with_next = True
    if pub.abbr:
        paragraph.add_run(f"{pub.abbr} ").bold = True
    _add_html(paragraph, str(pub.title), style, bold=True)
    if pub.author_line:
        _add_html(_body(document), str(pub.author_line), style)
    venue = _body(document)
    _add_html(venue, str(pub.venue_line), style)
    if pub.award:
        _add_html(venue, f" {pub.award}", style, bold=True)
    notes = [text for text in (pub.additional_info, pub.annotation) if text]
    if notes:
        _add_html(_body(document), " · ".join(notes), style)
    links = [(link.label, link.url) for link in pub.links]
    if links or pub.cited is not None:
        paragraph = _body(document)
        _links(paragraph, links, style)
        if pub.cited is not None:
            cited = f"{word('cited_by')} {pub.cited_text}"
            paragraph.add_run((" · " if links else "") + cited)


def _dated(document: Document, when: str) -> Paragraph:
    """A paragraph with ``when`` hanging in the date column, and the tab to the body."""
    paragraph = document.add_paragraph()
    layout = paragraph.paragraph_format
    layout.left_indent = DATE_COLUMN
    layout.first_line_indent = -DATE_COLUMN
    layout.space_before = Pt(4)
    layout.tab_stops.add_tab_stop(DATE_COLUMN, WD_TAB_ALIGNMENT.LEFT)
    if when:
        paragraph.add_run(when).font.color.rgb = RGBColor(0x5A, 0x5A, 0x5A)
    paragraph.add_run("\t")
    return paragraph


def _body(document: Document) -> Paragraph:
    """A paragraph of an entry's body, below its title."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.left_indent = DATE_COLUMN
    return paragraph


def _bullet(document: Document) -> Paragraph:
    paragraph = document.add_paragraph(style="List Bullet")
    paragraph.paragraph_format.left_indent = Cm(DATE_COLUMN.cm + BULLET_INDENT.cm)
    paragraph.paragraph_format.first_line_indent = -BULLET_INDENT
    return paragraph


def _links(paragraph: Paragraph, links: Sequence[tuple[str, str]], style: Style) -> None:
    for i, (text, url) in enumerate(links):
        if i:
            paragraph.add_run(" · ")
        _add_segment(paragraph, text, {}, url, style)


def _muted(paragraph: Paragraph) -> None:
    for run in paragraph.runs:
        run.font.color.rgb = RGBColor(0x5A, 0x5A, 0x5A)


# --- inline HTML to runs ----------------------------------------------------------------------

Segment = tuple[str, dict[str, bool], str | None]
"""A run of text, its formatting (bold, italic, superscript, subscript, code) and its link."""

_FORMATS = {
    "strong": "bold",
    "b": "bold",
    "em": "italic",
    "i": "italic",
    "sup": "superscript",
    "sub": "subscript",
    "code": "code",
}


class _Inline(HTMLParser):
    """Safe HTML of the views, read as paragraphs of formatted, maybe linked, text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[list[Segment]] = [[]]
        self.formats: list[str] = []
        self.links: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self._break()
        if tag in _FORMATS:
            self.formats.append(_FORMATS[tag])
        elif tag == "a":
            self.links.append(_linkable(dict(attrs).get("href")))

    def handle_endtag(self, tag: str) -> None:
        if tag in _FORMATS and _FORMATS[tag] in self.formats:
            index = len(self.formats) - 1 - self.formats[::-1].index(_FORMATS[tag])
            del self.formats[index]
        elif tag == "a" and self.links:
            self.links.pop()
        if tag in _BLOCKS:
            self._break()

    def handle_data(self, data: str) -> None:
        text = re.sub(r"\s+", " ", data)
        if not self.blocks[-1]:
            text = text.lstrip()
        if text:
            formats = dict.fromkeys(self.formats, True)
            self.blocks[-1].append((text, formats, self.links[-1] if self.links else None))

    def _break(self) -> None:
        if self.blocks[-1]:
            self.blocks.append([])


def _segments(html: str) -> list[Segment]:
    """The runs of inline HTML, as one paragraph."""
    return [segment for block in _blocks(html, strip=False) for segment in block]


def _blocks(html: str, strip: bool = True) -> list[list[Segment]]:
    parser = _Inline()
    parser.feed(html)
    parser.close()
    blocks = [block for block in parser.blocks if block]
    if strip:
        for block in blocks:
            text, formats, url = block[-1]
            block[-1] = (text.rstrip(), formats, url)
    return blocks


def _linkable(url: str | None) -> str | None:
    """``url`` when it is a web, mail or phone link: nothing else becomes a hyperlink."""
    if url and url.strip().lower().startswith(LINK_SCHEMES):
        return url.strip()
    return None


def _add_html(
    paragraph: Paragraph, html: str, style: Style, *, bold: bool = False, italic: bool = False
) -> None:
    extra = {"bold": bold} if bold else {}
    if italic:
        extra["italic"] = True
    segments = [(text, {**extra, **formats}, url) for text, formats, url in _segments(html)]
    _add_segments(paragraph, segments, style)


def _add_segments(paragraph: Paragraph, segments: Sequence[Segment], style: Style) -> None:
    for text, formats, url in segments:
        _add_segment(paragraph, text, formats, url, style)


def _add_segment(
    paragraph: Paragraph, text: str, formats: dict[str, bool], url: str | None, style: Style
) -> None:
    """One run of ``text``; inside a w:hyperlink to ``url`` when it is one (python-docx has
    no API for links: the run is made by the paragraph, then moved into the link element)."""
    run = paragraph.add_run(text)
    font = run.font
    font.bold = formats.get("bold") or None
    font.italic = formats.get("italic") or None
    font.superscript = formats.get("superscript") or None
    font.subscript = formats.get("subscript") or None
    if formats.get("code"):
        font.name = "Courier New"
    url = _linkable(url)
    if url is None:
        return
    font.color.rgb = RGBColor.from_string(style.accent.lstrip("#").upper())
    font.underline = True
    part = paragraph.part
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), part.relate_to(url, RT.HYPERLINK, is_external=True))
    link.append(run._r)
    paragraph._p.append(link)


# --- styles, properties and the package -----------------------------------------------------


def _set_up(document: Document, style: Style) -> None:
    """The page, and the theme's fonts, sizes and colour on Word's styles."""
    width, height = PAGE_SIZES[style.page_size]
    page = document.sections[0]
    page.page_width, page.page_height = width, height
    page.top_margin, page.right_margin, page.bottom_margin, page.left_margin = style.margins
    accent = RGBColor.from_string(style.accent.lstrip("#").upper())
    styles: Any = document.styles
    normal: ParagraphStyle = styles["Normal"]
    _font(normal, style.text_font)
    normal.font.size = Pt(style.size)
    normal.paragraph_format.space_after = Pt(1)
    bullet: ParagraphStyle = styles["List Bullet"]
    bullet.paragraph_format.space_after = Pt(1)
    sizes = {"Title": 2.3, "Heading 1": 1.3, "Heading 2": 1.05}
    for name, scale in sizes.items():
        heading: ParagraphStyle = styles[name]
        _font(heading, style.heading_font)
        heading.font.size = Pt(round(style.size * scale, 1))
        heading.font.color.rgb = accent if name != "Title" else RGBColor(0x1A, 0x1A, 0x1A)
        heading.font.bold = name != "Title"
        heading.font.italic = name == "Heading 2"
        heading.paragraph_format.space_before = Pt(14 if name == "Heading 1" else 8)
        heading.paragraph_format.space_after = Pt(4)


def _font(style: ParagraphStyle, name: str) -> None:
    """Set ``style`` in ``name`` for every script (CJK in the CJK family), dropping the
    template's theme fonts, which would win over a named one."""
    style.font.name = name
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for script in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{script}"), None)
    fonts.set(qn("w:eastAsia"), CJK_FAMILY)
    fonts.set(qn("w:cs"), name)


def _properties(document: Document, record: Record, today: dt.date, title: str) -> None:
    """Core properties from the record and ``today`` only, and no template thumbnail."""
    moment = dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC)
    core = document.core_properties
    core.title = f"{record.name} – {title}"
    core.author = core.last_modified_by = record.name
    core.created = core.modified = moment
    core.last_printed = moment
    core.revision = 1
    core.keywords = ", ".join(i if isinstance(i, str) else i.title for i in record.interests)
    core.subject = record.headline or ""
    core.comments = "made by cv"
    core.language = record.lang
    package = document.part.package
    for key, relationship in list(package.rels.items()):
        if relationship.reltype == RT.THUMBNAIL:
            package.rels.pop(key)


def _fixed_zip(data: bytes, today: dt.date) -> bytes:
    """The package rewritten with every entry dated ``today``: zipfile dates them by the clock."""
    stamp = (max(today.year, 1980), today.month, today.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name))
    return out.getvalue()


def _last(pattern: str, text: str) -> str | None:
    found = re.findall(pattern, text)
    return found[-1].strip() if found else None


def _margins(value: str) -> tuple[Length, Length, Length, Length] | None:
    """CSS margins (one to four lengths in mm, cm, in or pt) as top, right, bottom, left."""
    units = {"mm": 0.1, "cm": 1.0, "in": 2.54, "pt": 2.54 / 72}
    lengths = []
    for token in value.split():
        match = re.fullmatch(r"(\d+(?:\.\d+)?)(mm|cm|in|pt)", token)
        if not match:
            return None
        lengths.append(Cm(float(match[1]) * units[match[2]]))
    if not 1 <= len(lengths) <= 4:
        return None
    top = lengths[0]
    right = lengths[1] if len(lengths) > 1 else top
    bottom = lengths[2] if len(lengths) > 2 else top
    left = lengths[3] if len(lengths) > 3 else right
    return top, right, bottom, left
