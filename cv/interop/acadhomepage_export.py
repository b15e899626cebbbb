"""The record -> an AcadHomepage ``_pages/about.md``, in the template's own markup.

News is the template's dated list, publications are paper boxes (badge, title link, authors
with the owner in bold, links and the Google Scholar citation span), and the other sections are
dated lists that :mod:`cv.interop.acadhomepage` reads back.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cv.dates import Date
from cv.interop.files import load_for_export
from cv.model import SECTION_TITLES, Record
from cv.render import section_order

__all__ = ["export_acadhomepage", "render_about"]

#: The template's emoji for its own sections; sections it does not have get none.
EMOJI = {
    "news": "🔥",
    "publications": "📝",
    "awards": "🎖",
    "education": "📖",
    "talks": "💬",
    "internships": "💻",
}

FRONT_MATTER = """---
permalink: /
title: ""
excerpt: ""
author_profile: true
redirect_from:
  - /about/
  - /about.html
---

{% if site.google_scholar_stats_use_cdn %}
{% assign gsDataBaseUrl = "https://cdn.jsdelivr.net/gh/" | append: site.repository | append: "@" %}
{% else %}
{% assign gsDataBaseUrl = "https://raw.githubusercontent.com/" | append: site.repository | append: "/" %}
{% endif %}
{% assign url = gsDataBaseUrl | append: "google-scholar-stats/gs_data_shieldsio.json" %}

<span class='anchor' id='about-me'></span>
"""  # noqa: E501 - the template's own lines


def export_acadhomepage(data_dir: Path | str = "data") -> str:
    """The ``about.md`` of the record in ``data_dir``.

    Raises:
        CVError: For any problem in the record or its .bib files.
    """
    record, publications, _ = load_for_export(Path(data_dir))
    return render_about(record, publications)


def render_about(record: Record, publications: Sequence[Any]) -> str:
    """The ``about.md`` text of a record and its publications (from :mod:`cv.bibliography`)."""
    parts = [FRONT_MATTER]
    if record.about:
        parts.append(record.about.strip() + "\n")
    if record.interests:
        lines = ["**Research Interests**", ""]
        for interest in record.interests:
            if isinstance(interest, str):
                lines.append(f"* {_one_line(interest)}")
            else:
                details = f": {_one_line(interest.details)}" if interest.details else ""
                lines.append(f"* {_one_line(interest.title)}{details}")
        parts.append("\n".join(lines) + "\n")
    writers = {
        "news": _news,
        "experience": _experience,
        "education": _education,
        "teaching": _teaching,
        "service": _service,
        "awards": _awards,
        "talks": _talks,
        "internships": _internships,
        "projects": _projects,
        "skills": _skills,
        "languages": _languages,
    }
    for key, options in section_order(record):
        if key == "about":
            continue
        if key == "publications":
            body = _publications(record, publications)
        else:
            body = writers[key](record)
        if not body:
            continue
        title = options.title or SECTION_TITLES[key]
        emoji = EMOJI.get(key)
        parts.append(f"# {emoji + ' ' if emoji else ''}{title}\n" + "\n".join(body) + "\n")
    return "\n".join(parts)


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def _date(date: Date | None) -> str:
    if date is None:
        return ""
    if date.is_present:
        return "present"
    if re.fullmatch(r"\d{4}(?:-\d{2}){0,2}", date.text):
        return date.text.replace("-", ".")
    return date.text


def _period(start: Date | None, end: Date | None) -> str:
    if start and end:
        return f"*{_date(start)} - {_date(end)}*, "
    if start or end:
        return f"*{_date(start or end)}*, "
    return ""


def _link(text: str | None, url: str | None) -> str:
    text = _one_line(text)
    return f"[{text}]({url})" if url and text else text


def _details(details: Sequence[str], depth: int = 1) -> list[str]:
    return [f"{'    ' * depth}- {_one_line(detail)}" for detail in details]


def _news(record: Record) -> list[str]:
    items = sorted(record.news, key=lambda n: n.date.sort_key, reverse=True)
    return [f"- *{_date(n.date)}*: &nbsp;🎉🎉 {_one_line(n.text)}" for n in items]


def _experience(record: Record) -> list[str]:
    lines = []
    for e in record.experience:
        text = ", ".join(part for part in (_one_line(e.role), _link(e.organization, e.url)) if part)
        if e.location:
            text += f" · {_one_line(e.location)}"
        if e.advisor:
            text += f", advised by {_link(e.advisor, e.advisor_url)}"
        lines += [f"- {_period(e.start, e.end)}{text}", *_details(e.details)]
    return lines


def _education(record: Record) -> list[str]:
    lines = []
    for e in record.education:
        degree = _one_line(e.degree) + (f" in {_one_line(e.field)}" if e.field else "")
        text = ", ".join(part for part in (degree, _link(e.institution, e.url)) if part)
        if e.location:
            text += f" · {_one_line(e.location)}"
        if e.advisor:
            text += f", advised by {_one_line(e.advisor)}"
        lines.append(f"- {_period(e.start, e.end)}{text}")
        if e.thesis:
            lines.append(f"    - Thesis: *{_one_line(e.thesis)}*")
        lines += _details(e.details)
    return lines


def _teaching(record: Record) -> list[str]:
    lines: list[str] = []
    group: tuple[str | None, str | None] | None = None
    for t in record.teaching:
        course = f"{t.term.text}, {_one_line(t.course)}"
        if not t.role and not t.institution:
            group = None
            lines += [f"- *{t.term.text}*, {_one_line(t.course)}", *_details(t.details)]
            continue
        if (t.role, t.institution) != group:
            group = (t.role, t.institution)
            if t.role and t.institution:
                lines.append(f"- {_one_line(t.role)} at {_one_line(t.institution)}")
            else:
                lines.append(
                    f"- {_one_line(t.role)}" if t.role else f"- At {_one_line(t.institution)}"
                )
        lines += [f"    - {course}", *_details(t.details, 2)]
    return lines


def _service(record: Record) -> list[str]:
    lines = []
    for s in record.service:
        date = f"*{_date(s.date)}*, " if s.date else ""
        children = [
            f"    - {_one_line(g.label)}: {', '.join(_one_line(v) for v in g.venues)}"
            for g in s.groups
        ]
        children += [f"    - {_one_line(v)}" for v in s.venues]
        children += [f"    - *{_one_line(detail)}*" for detail in s.details]  # a note, not a venue
        lines.append(f"- {date}{_one_line(s.role)}{':' if children else ''}")
        lines += children
    return lines


def _awards(record: Record) -> list[str]:
    lines = []
    for a in record.awards:
        text = ", ".join(part for part in (_one_line(a.title), _one_line(a.organization)) if part)
        link = f" [Link]({a.url})" if a.url else ""
        lines += [f"- *{_date(a.date)}*, {text}.{link}", *_details(a.details)]
    return lines


def _talks(record: Record) -> list[str]:
    lines = []
    for t in record.talks:
        title = f"[{_one_line(t.title)}]({t.url})" if t.url else f'"{_one_line(t.title)}"'
        text = ", ".join(part for part in (title, _one_line(t.event)) if part)
        if t.location:
            text += f" · {_one_line(t.location)}"
        for label, url in (("video", t.video), ("slides", t.slides)):
            if url:
                text += f" \\| [\\[{label}\\]]({url})"
        lines.append(f"- *{_date(t.date)}*, {text}")
    return lines


def _internships(record: Record) -> list[str]:
    lines = []
    for i in record.internships:
        organization = _link(i.organization, i.url)
        text = f"{_one_line(i.role)} at {organization}" if i.role else organization
        if i.location:
            text += f", {_one_line(i.location)}"
        if i.mentor:
            text += f", mentored by {_one_line(i.mentor)}"
        lines += [f"- {_period(i.start, i.end)}{text}", *_details(i.details)]
    return lines


def _projects(record: Record) -> list[str]:
    lines = []
    for p in record.projects:
        text = _link(p.name, p.url)
        extra = ", ".join(_one_line(x) for x in (p.organization, *p.roles, p.description) if x)
        lines += [
            f"- {_period(p.start, p.end)}{text}{': ' + extra if extra else ''}",
            *_details(p.details),
        ]
    return lines


def _skills(record: Record) -> list[str]:
    return [
        f"- **{_one_line(s.name)}**{' (' + _one_line(s.level) + ')' if s.level else ''}"
        f"{': ' + ', '.join(s.keywords) if s.keywords else ''}"
        for s in record.skills
    ]


def _languages(record: Record) -> list[str]:
    return [
        f"- {_one_line(lang.language)}{': ' + _one_line(lang.fluency) if lang.fluency else ''}"
        for lang in record.languages
    ]


# --- publications ---------------------------------------------------------------------------


def _markdown(markup: Any) -> str:
    """Safe HTML from the bibliography (em, strong, sub, sup only) -> Markdown text."""
    text = str(markup)
    text = re.sub(r"</?em>", "*", text)
    text = re.sub(r"</?strong>", "**", text)
    text = re.sub(r"<[^>]+>", "", text)
    return _one_line(html.unescape(text))


def _author(author: Any) -> str:
    if author.is_others:
        return "et al."
    marks = author.marks.replace("*", "\\*")
    return f"**{author.name}**{marks}" if author.is_owner else f"{author.name}{marks}"


def _publications(record: Record, publications: Sequence[Any]) -> list[str]:
    user = record.contact.google_scholar or ""
    user = "" if "/" in user else user
    lines: list[str] = []
    for p in publications:
        badge = " ".join(part for part in (p.abbr, str(p.year or "")) if part)
        image = (
            f'<img src=\'{html.escape(p.preview, quote=True)}\' alt="sym" width="100%">'
            if p.preview
            else ""
        )
        selected = " data-selected='true'" if p.selected else ""
        key = html.escape(p.key, quote=True)
        badge_html = f'<div class="badge">{html.escape(badge)}</div>'
        lines += [
            f"<div class='paper-box' id='{key}' data-type='{p.entry_type}'{selected}>"
            f"<div class='paper-box-image'><div>{badge_html}{image}</div></div>",
            "<div class='paper-box-text' markdown=\"1\">",
            "",
        ]
        title = _markdown(p.title)
        url = p.links[0].url if p.links else ""
        lines += [f"[{title}]({url})" if url else title, ""]
        if p.authors:
            lines += [", ".join(_author(author) for author in p.authors), ""]
        venue = _markdown(p.venue)
        if venue:
            lines += [f"*{venue}*", ""]
        links = " | ".join(f"[**{link.label}**]({link.url})" for link in p.links)
        citations = (
            (
                f"<strong><span class='show_paper_citations' data='{user}:{p.google_scholar_id}'>"
                "</span></strong>"
            )
            if user and p.google_scholar_id
            else ""
        )
        if links or citations:
            lines.append(" ".join(part for part in (links, citations) if part))
        for text in (p.award, p.annotation):
            if text:
                lines.append(f"- {_one_line(text)}")
        lines += ["</div>", "</div>", ""]
    return lines
