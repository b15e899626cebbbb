"""The record -> an AcadHomepage ``_pages/about.md``, in the template's own markup.

Publications are paper boxes (badge, title link, authors with the owner in bold, links and the
Google Scholar citation span); every other section writes its own dated list (its module in
:mod:`cv.sections`), which :mod:`cv.interop.acadhomepage` reads back.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cv.citation import format_citation, to_markdown
from cv.interop.files import load_for_export
from cv.model import Record
from cv.sections.registry import section_order, title_of

__all__ = ["export_acadhomepage", "render_about"]

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
    for kind, options in section_order(record, homepage=True):
        if kind.key == "about":
            continue  # the introduction above
        if kind.key == "publications":
            body = _publications(record, publications)
        else:
            body = kind.markdown(kind.items(record))
        if not body:
            continue
        title = title_of(kind, options, homepage=True)
        emoji = f"{kind.emoji} " if kind.emoji else ""
        parts.append(f"# {emoji}{title}\n" + "\n".join(body) + "\n")
    return "\n".join(parts)


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


# --- publications ---------------------------------------------------------------------------


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
        formatted = format_citation(p)
        title = to_markdown(formatted.citation.title)
        url = p.links[0].url if p.links else ""
        lines += [f"[{title}]({url})" if url else title, ""]
        if p.authors:
            lines += [to_markdown(formatted.author_line), ""]
        venue = to_markdown(formatted.citation.venue)
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
