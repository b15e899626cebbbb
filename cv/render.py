"""Model + theme -> HTML. Sorting, grouping and formatting decisions happen here, in Python;
templates only lay out what they are given."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from cv import i18n, markup
from cv.bibliography import Publication
from cv.citation import Style, using_style
from cv.fonts import PRINT_FONTS, WEB_FONTS, add_print_fonts, embed_web_fonts
from cv.model import Record
from cv.model import Theme as ThemeOptions
from cv.scholar import Scholar
from cv.sections.registry import kinds, section_data, section_order
from cv.themes import Theme, render_template
from cv.views import Link, Section

GENERATOR = "cv"


def render_html(
    record: Record,
    publications: Sequence[Publication],
    theme: Theme,
    *,
    today: dt.date,
    for_print: bool = True,
    title: str | None = None,
    scholar: Scholar | None = None,
    style: Style | None = None,
) -> str:
    """Render the CV of a record with a theme to one HTML string.

    Args:
        record: The validated record.
        publications: Publications, newest first, from the bibliography.
        theme: The resolved theme.
        today: The "last updated" date (the caller reads the clock or SOURCE_DATE_EPOCH).
        for_print: True for the PDF (bundled fonts by file URI), False for the web page.
        title: What the document is, after the name in its title ("Short CV"); by default
            "Curriculum Vitae" in the record's language.
        scholar: Citation counts for the publications section, if the record names a snapshot.
        style: The citation style; by default the current one (:func:`cv.citation.using_style`).

    Fixed words and dates are in ``record.lang`` (:mod:`cv.i18n`).
    """
    css = page_css(theme, "cv", for_print, record.theme)
    with i18n.language(record.lang), using_style(style) if style else contextlib.nullcontext():
        context = {
            "person": person(record),
            "sections": sections(record, publications, scholar),
            "meta": {
                **page_meta(record, title or i18n.word("cv_title")),
                "updated": i18n.format_day(today),
            },
            "css": css,
            "for_print": for_print,
        }
        html = render_template(theme, "cv.html.j2", context)
    return add_print_fonts(html) if for_print else with_policy(embed_web_fonts(html))


CONTENT_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data: https:; "
    "base-uri 'none'; form-action 'none'"
)
"""What cv.html lets a browser load and run: its own styles, fonts and images, and no script.

The page makes no script and the checks of :mod:`cv.sandbox` refuse a template that makes one;
this policy is the browser's own guard should anything get past them.
"""


def with_policy(html: str) -> str:
    """``html`` with :data:`CONTENT_POLICY` as the first element of its head."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_POLICY}">'
    head = re.search(r"<head\b[^>]*>", html, re.IGNORECASE)
    if head is not None:
        return html[: head.end()] + "\n" + meta + html[head.end() :]
    doctype = re.match(r"\s*<!DOCTYPE[^>]*>", html, re.IGNORECASE)
    at = doctype.end() if doctype else 0
    return html[:at] + meta + html[at:]


def page_css(
    theme: Theme, page: str, for_print: bool, options: ThemeOptions | None = None
) -> Markup:
    """The theme's CSS for a page with the record's theme options, and the fonts.

    The fonts are added once the page is rendered, for its characters: for print, the bundled
    fonts by file URI (:func:`cv.fonts.add_print_fonts` fills the marker); for the web,
    embedded and cut to the page's characters (:func:`cv.fonts.embed_web_fonts`).
    """
    fonts = PRINT_FONTS if for_print else WEB_FONTS
    sheets = theme.css(page if for_print else "web", options)
    # The user's CSS was checked (cv.themes.css_problems); "<\\/" is still "</" to CSS and can
    # never close the <style> element it is put in.
    return Markup(fonts + "\n" + sheets.replace("</", "<\\/"))


def person(record: Record) -> dict[str, Any]:
    """The header: name, native name, headline, affiliation and the contact line."""
    return {
        "name": record.name,
        "name_native": record.name_native,
        "headline": markup.inline(record.headline),
        "affiliation": markup.inline(record.affiliation),
        "contacts": contact_links(record),
    }


def contact_links(record: Record) -> list[Link]:
    """Contact details as links, in a fixed order; handles become profile URLs."""
    c = record.contact
    profiles = [
        ("email", c.email, "mailto:{}"),
        ("phone", c.phone, "tel:{}"),
        ("location", c.location, None),
        ("website", c.website, "https://{}"),
        ("github", c.github, "https://github.com/{}"),
        ("google_scholar", c.google_scholar, "https://scholar.google.com/citations?user={}"),
        ("orcid", c.orcid, "https://orcid.org/{}"),
        ("linkedin", c.linkedin, "https://www.linkedin.com/in/{}"),
        ("x", c.x, "https://x.com/{}"),
        ("dblp", c.dblp, "https://dblp.org/pid/{}.html"),
    ]
    labels = {
        "google_scholar": "Google Scholar",
        "orcid": "ORCID",
        "dblp": "DBLP",
        "github": "GitHub",
        "linkedin": "LinkedIn",
        "x": "X",
    }
    links = []
    for key, value, pattern in profiles:
        if not value:
            continue
        if value.startswith(("http://", "https://")):
            url: str | None = value
            text = value.split("://", 1)[1].rstrip("/")
        else:
            handle = re.sub(r"[^\d+]", "", value) if key == "phone" else value.removeprefix("@")
            url = pattern.format(handle) if pattern else None
            text = value
            if key in labels and key not in ("github", "x", "linkedin"):
                text = labels[key]
            elif key in ("github", "x", "linkedin"):
                text = f"{labels[key]}: {value.removeprefix('@')}"
        links.append(Link(key, text, markup.safe_url(url)))
    for profile in c.profiles:
        text = f"{profile.network}: {profile.username}" if profile.username else profile.network
        links.append(Link("profile", text, markup.safe_url(profile.url)))
    return links


def page_meta(record: Record, title: str, page_size: str | None = None) -> dict[str, str]:
    """What a page's <head> says of it: PDF title, author, language, keywords, page size."""
    return {
        "title": f"{record.name} – {title}",
        "author": record.name,
        "lang": record.lang,
        "keywords": ", ".join(i if isinstance(i, str) else i.title for i in record.interests),
        "description": record.headline or "",
        "generator": GENERATOR,
        "page_size": page_size or record.theme.page_size,
    }


def hidden_sections(record: Record) -> list[str]:
    """Warnings for sections that have entries but that ``sections:`` leaves out."""
    shown = {kind.key for kind, _options in section_order(record)}
    warnings = []
    for kind in kinds(record).values():
        count = len(kind.items(record))
        if count and kind.key not in shown:
            warnings.append(
                f"cv.yaml: {kind.key} has {count} entr{'ies' if count != 1 else 'y'} but "
                "`sections:` leaves it out, so the CV does not show them"
            )
    return warnings


def sections(
    record: Record, publications: Sequence[Publication], scholar: Scholar | None = None
) -> list[Section]:
    """Every non-empty section, in order, with its entries sorted as the section says."""
    data = section_data(record, publications, scholar)
    made = (
        kind.section(data, options.title or i18n.section_title(kind.key, kind.title), options.limit)
        for kind, options in section_order(record)
    )
    return [section for section in made if section is not None]
