"""Model + theme -> HTML. Sorting, grouping and formatting decisions happen here, in Python;
templates only lay out what they are given."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from cv import markup
from cv.bibliography import Publication, group_publications, used_marks
from cv.dates import format_range, range_sort_key
from cv.fonts import PRINT_FONTS, WEB_FONTS, add_print_fonts, embed_web_fonts
from cv.model import SECTION_TITLES, Record, SectionOptions
from cv.model import Theme as ThemeOptions
from cv.scholar import Scholar
from cv.themes import Theme, render_template
from cv.views import Entry, Link, Section, group_views, scholar_view

GENERATOR = "cv"


def render_html(
    record: Record,
    publications: Sequence[Publication],
    theme: Theme,
    *,
    today: dt.date,
    for_print: bool = True,
    title: str = "Curriculum Vitae",
    scholar: Scholar | None = None,
) -> str:
    """Render the CV of a record with a theme to one HTML string.

    Args:
        record: The validated record.
        publications: Publications, newest first, from the bibliography.
        theme: The resolved theme.
        today: The "last updated" date (the caller reads the clock or SOURCE_DATE_EPOCH).
        for_print: True for the PDF (bundled fonts by file URI), False for the web page.
        title: What the document is, after the name in its title ("Short CV").
        scholar: Citation counts for the publications section, if the record names a snapshot.
    """
    css = page_css(theme, "cv", for_print, record.theme)
    context = {
        "person": person(record),
        "sections": sections(record, publications, scholar),
        "meta": {**page_meta(record, title), "updated": f"{today:%B} {today.day}, {today.year}"},
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


def interest_items(record: Record) -> tuple[tuple[Markup, Markup], ...]:
    """Research interests as (title, details) pairs of safe HTML; details empty for a string."""
    return tuple(
        (markup.inline(i), Markup(""))
        if isinstance(i, str)
        else (markup.inline(i.title), markup.inline(i.details))
        for i in record.interests
    )


def section_order(record: Record) -> list[tuple[str, SectionOptions]]:
    """The sections to show, in order, with their options (title, limit)."""
    if record.sections is None:
        return [(key, SectionOptions()) for key in SECTION_TITLES]
    order: list[tuple[str, SectionOptions]] = []
    for item in record.sections:
        if isinstance(item, str):
            order.append((item, SectionOptions()))
        else:
            order += list(item.items())
    return order


def hidden_sections(record: Record) -> list[str]:
    """Warnings for sections that have entries but that ``sections:`` leaves out."""
    shown = {key for key, _options in section_order(record)}
    warnings = []
    for key in SECTION_TITLES:
        count = len(getattr(record, key, None) or []) if key not in ("about", "publications") else 0
        if count and key not in shown:
            warnings.append(
                f"cv.yaml: {key} has {count} entr{'ies' if count != 1 else 'y'} but "
                "`sections:` leaves it out, so the CV does not show them"
            )
    return warnings


def sections(
    record: Record, publications: Sequence[Publication], scholar: Scholar | None = None
) -> list[Section]:
    """Every non-empty section, in order, with its entries sorted newest first."""
    builders = {
        "about": _about,
        "news": _news,
        "experience": _experience,
        "teaching": _teaching,
        "service": _service,
        "awards": _awards,
        "education": _education,
        "talks": _talks,
        "internships": _internships,
        "projects": _projects,
        "skills": _skills,
        "languages": _languages,
    }
    result = []
    for key, options in section_order(record):
        title = options.title or SECTION_TITLES[key]
        if key == "publications":
            chosen = list(publications)[: options.limit] if options.limit else list(publications)
            if chosen:
                groups = group_publications(
                    chosen, record.publications.group_by, record.publications.numbering
                )
                legend = any(publication.has_marks for publication in chosen)
                extra = {
                    "has_marks": legend,
                    "marks": used_marks(chosen),
                    "scholar": scholar_view(scholar) if scholar else None,
                }
                result.append(Section(key, title, group_views(groups, scholar), extra))
            continue
        section = builders[key](record, title)
        if options.limit is not None:
            section = Section(
                section.key, section.title, section.entries[: options.limit], section.extra
            )
        if section.entries or section.extra:
            result.append(section)
    return result


def _newest_first(items: Sequence[Any], key: Any) -> list[Any]:
    # sorted() is stable: entries with equal dates keep the order the user wrote them in.
    return sorted(items, key=key, reverse=True)


def _link(text: str | None, url: str | None) -> Markup:
    """Inline Markdown text, linked to ``url`` when it has a safe one."""
    html = markup.inline(text)
    safe = markup.safe_url(url)
    if safe and html:
        return Markup('<a href="{}">{}</a>').format(safe, html)
    return html


def _join(*parts: Markup | str | None, sep: str = ", ") -> Markup:
    return Markup(sep).join(p for p in parts if p)


def _about(record: Record, title: str) -> Section:
    interests = interest_items(record)
    extra: dict[str, Any] = {}
    if record.about:
        extra["about"] = markup.block(record.about)
    if interests:
        extra["interests"] = interests
    return Section("about", title, (), extra)


def _news(record: Record, title: str) -> Section:
    items = _newest_first(record.news, key=lambda n: n.date.sort_key)
    return Section("news", title, tuple(Entry(str(n.date), markup.inline(n.text)) for n in items))


def _experience(record: Record, title: str) -> Section:
    entries = []
    for e in _newest_first(record.experience, key=lambda e: range_sort_key(e.start, e.end)):
        advisor = _link(e.advisor, e.advisor_url)
        subtitle = _join(
            _join(_link(e.organization, e.url), markup.inline(e.location)),
            Markup("advised by ") + advisor if advisor else None,
            sep="; ",
        )
        entries.append(
            Entry(
                format_range(e.start, e.end),
                Markup("<strong>{}</strong>").format(markup.inline(e.role)),
                subtitle,
                tuple(markup.inline(d) for d in e.details),
            )
        )
    return Section("experience", title, tuple(entries))


def _education(record: Record, title: str) -> Section:
    entries = []
    for e in _newest_first(record.education, key=lambda e: range_sort_key(e.start, e.end)):
        degree = _join(markup.inline(e.degree), markup.inline(e.field), sep=" in ")
        details = [markup.inline(d) for d in e.details]
        if e.thesis:
            details.insert(0, Markup("Thesis: <em>{}</em>").format(markup.inline(e.thesis)))
        if e.advisor:
            details.insert(0, Markup("Advisor: ") + markup.inline(e.advisor))
        subtitle = _join(_link(e.institution, e.url), markup.inline(e.location))
        entries.append(
            Entry(
                format_range(e.start, e.end),
                Markup("<strong>{}</strong>").format(degree),
                subtitle,
                tuple(details),
            )
        )
    return Section("education", title, tuple(entries))


def _teaching(record: Record, title: str) -> Section:
    entries = []
    for t in _newest_first(record.teaching, key=lambda t: t.term.sort_key):
        subtitle = _join(markup.inline(t.role), markup.inline(t.institution))
        entries.append(
            Entry(
                str(t.term),
                Markup("<strong>{}</strong>").format(markup.inline(t.course)),
                subtitle,
                tuple(markup.inline(d) for d in t.details),
            )
        )
    return Section("teaching", title, tuple(entries))


def _service(record: Record, title: str) -> Section:
    entries = []
    for s in record.service:  # as written: service lists have no natural date order
        details = [
            Markup("<em>{}:</em> {}").format(
                markup.inline(g.label), _join(*(markup.inline(v) for v in g.venues))
            )
            for g in s.groups
        ]
        if s.venues:
            details.append(_join(*(markup.inline(v) for v in s.venues), sep="; "))
        details += [markup.inline(d) for d in s.details]
        entries.append(
            Entry(
                str(s.date or ""),
                Markup("<strong>{}</strong>").format(markup.inline(s.role)),
                Markup(""),
                tuple(details),
            )
        )
    return Section("service", title, tuple(entries))


def _awards(record: Record, title: str) -> Section:
    entries = []
    for a in _newest_first(record.awards, key=lambda a: a.date.sort_key):
        entries.append(
            Entry(
                str(a.date),
                Markup("<strong>{}</strong>").format(_link(a.title, a.url)),
                markup.inline(a.organization),
                tuple(markup.inline(d) for d in a.details),
            )
        )
    return Section("awards", title, tuple(entries))


def _talks(record: Record, title: str) -> Section:
    entries = []
    for t in _newest_first(record.talks, key=lambda t: t.date.sort_key):
        links = tuple(
            Link(label, label.capitalize(), markup.safe_url(url))
            for label, url in (("video", t.video), ("slides", t.slides))
            if url
        )
        subtitle = _join(markup.inline(t.event), markup.inline(t.location))
        entries.append(
            Entry(
                str(t.date),
                Markup("<em>{}</em>").format(_link(t.title, t.url)),
                subtitle,
                (),
                links,
            )
        )
    return Section("talks", title, tuple(entries))


def _projects(record: Record, title: str) -> Section:
    entries = []
    for p in _newest_first(record.projects, key=lambda p: range_sort_key(p.start, p.end)):
        subtitle = _join(
            markup.inline(p.organization),
            *(markup.inline(r) for r in p.roles),
            markup.inline(p.type),
        )
        details = [markup.inline(p.description)] if p.description else []
        details += [markup.inline(d) for d in p.details]
        if p.keywords:
            details.append(_join(*(markup.inline(k) for k in p.keywords)))
        entries.append(
            Entry(
                format_range(p.start, p.end),
                Markup("<strong>{}</strong>").format(_link(p.name, p.url)),
                subtitle,
                tuple(details),
            )
        )
    return Section("projects", title, tuple(entries))


def _skills(record: Record, title: str) -> Section:
    entries = tuple(
        Entry(
            "",
            Markup("<strong>{}</strong>").format(markup.inline(s.name)),
            markup.inline(s.level),
            (_join(*(markup.inline(k) for k in s.keywords)),) if s.keywords else (),
        )
        for s in record.skills
    )
    return Section("skills", title, entries)


def _languages(record: Record, title: str) -> Section:
    entries = tuple(
        Entry(
            "",
            Markup("<strong>{}</strong>").format(markup.inline(lang.language)),
            markup.inline(lang.fluency),
        )
        for lang in record.languages
    )
    return Section("languages", title, entries)


def _internships(record: Record, title: str) -> Section:
    entries = []
    for i in _newest_first(record.internships, key=lambda i: range_sort_key(i.start, i.end)):
        heading = _join(
            Markup("<strong>{}</strong>").format(markup.inline(i.role)) if i.role else None,
            _link(i.organization, i.url),
        )
        subtitle = _join(
            markup.inline(i.location),
            Markup("mentor: ") + markup.inline(i.mentor) if i.mentor else None,
            sep="; ",
        )
        entries.append(
            Entry(
                format_range(i.start, i.end),
                heading,
                subtitle,
                tuple(markup.inline(d) for d in i.details),
            )
        )
    return Section("internships", title, tuple(entries))
