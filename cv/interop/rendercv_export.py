"""The record -> a RenderCV input file (https://docs.rendercv.com) that RenderCV renders.

The sections come in the CV's order under their titles. Each entry becomes the closest RenderCV
entry type, as its place says (:func:`place_of`: a row of :data:`PLACES`, else one made from the
entry's model): its main fields go to that type's fields, a link to the main field as Markdown
(``[FedML](https://fedml.ai)``), dates to ``start_date``/``end_date`` when RenderCV can read them
(else to ``date`` as the CV shows them), and the fields RenderCV has no place for to labelled
highlights (``Advisor: Prof. X``) that :mod:`cv.interop.rendercv` reads back. Publications
become PublicationEntry with the owner's name in bold. ``design:`` is left to RenderCV's
defaults. Not carried over, as RenderCV has no place for them: ``affiliation``, ``documents``,
``theme``, the publication options, ``tags`` and a local ``photo`` (RenderCV wants the file
beside its input).

The places are the one table of what goes where; the importer reads them backwards.
"""

from __future__ import annotations

import functools
import html
import re
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel

from cv import model
from cv.dates import format_range, parse_date
from cv.interop.files import load_for_export, record_form
from cv.sections.registry import section_order

__all__ = [
    "NETWORKS",
    "PLACES",
    "SCHEMA_URL",
    "Label",
    "Place",
    "Shape",
    "derived_place",
    "dumps",
    "export_rendercv",
    "place_of",
    "rendercv_from",
]

SCHEMA_URL = "https://raw.githubusercontent.com/rendercv/rendercv/refs/tags/v2.8/schema.json"
INTERESTS_TITLE = "Research Interests"


@dataclass(frozen=True)
class Label:
    """An entry field written as a highlight ``Advisor: Prof. X`` (or ``[Video](url)``).

    Attributes:
        field: The entry's field.
        text: The label ("Advisor").
        url: The entry's field holding the URL the value links to (``advisor_url``).
        link: The field is a URL itself, written ``[text](value)``.
        aliases: Other labels read as this one ("Supervisor", "Dissertation").
        show: The highlight's value (or highlights) from the entry, when not the field's text.
        read: Whether the importer reads the highlight back into the field.
    """

    field: str
    text: str
    url: str | None = None
    link: bool = False
    aliases: tuple[str, ...] = ()
    show: Callable[[Any], str | list[str] | None] | None = None
    read: bool = True


@dataclass(frozen=True)
class Shape:
    """How an entry is written as one RenderCV entry type, and read back from it.

    Attributes:
        entry_type: RenderCV's entry type (``ExperienceEntry``).
        fields: RenderCV field -> the entry's field (a list is written joined by ", ").
        link: The RenderCV field whose text links to the entry's ``url``.
        dates: ``period`` (``start``/``end``), ``either`` (``date`` or a period), or the
            entry's one date field (``date``, ``term``).
        labels: The entry's fields written as labelled highlights.
        requires: Entry fields the type needs (RenderCV requires its fields): the shape is
            used only when every entry has them.
        swap: ``(a, b)``: when the entry field of RenderCV field ``a`` is empty, ``b``'s value
            is written in ``a`` instead (an education without a field: ``area: PhD``).
        title_fills: Entry fields the section's title may give when an entry lacks them
            ("PhD Advisees" gives ``level: PhD``).
    """

    entry_type: str
    fields: Mapping[str, str]
    link: str | None = None
    dates: str | None = None
    labels: tuple[Label, ...] = ()
    requires: tuple[str, ...] = ()
    swap: tuple[str, str] | None = None
    title_fills: tuple[str, ...] = ()

    @property
    def highlights(self) -> bool:
        """Whether the type has highlights (a one-line entry has none)."""
        return self.entry_type != "OneLineEntry"


@dataclass(frozen=True)
class Place:
    """Where a section's entries go in RenderCV: the shapes tried in order, and the entry
    field a one-line entry (a bullet, a numbered line, a text) fills when read."""

    shapes: tuple[Shape, ...]
    line: str | None = None


def _groups(service: Any) -> list[str]:
    return [f"{group.label}: {', '.join(group.venues)}" for group in service.groups]


_ADVISOR = Label("advisor", "Advisor", url="advisor_url", aliases=("Advisors", "Supervisor"))
_NORMAL = "NormalEntry"

PLACES: Mapping[str, Place] = {
    "news": Place(
        (
            Shape("OneLineEntry", {"label": "date", "details": "text"}),
            Shape(_NORMAL, {"name": "text"}, dates="date"),
        ),
        line="text",
    ),
    "experience": Place(
        (
            Shape(
                "ExperienceEntry",
                {"company": "organization", "position": "role", "location": "location"},
                link="company",
                dates="period",
                labels=(_ADVISOR,),
                requires=("organization",),
            ),
            Shape(
                _NORMAL,
                {"name": "role", "summary": "organization", "location": "location"},
                link="name",
                dates="period",
                labels=(_ADVISOR,),
            ),
        )
    ),
    "internships": Place(
        (
            Shape(
                "ExperienceEntry",
                {"company": "organization", "position": "role", "location": "location"},
                link="company",
                dates="period",
                labels=(Label("mentor", "Mentor"),),
                requires=("role",),
            ),
            Shape(
                _NORMAL,
                {"name": "organization", "summary": "role", "location": "location"},
                link="name",
                dates="period",
                labels=(Label("mentor", "Mentor"),),
            ),
        )
    ),
    "education": Place(
        (
            Shape(
                "EducationEntry",
                {
                    "institution": "institution",
                    "area": "field",
                    "degree": "degree",
                    "location": "location",
                },
                link="institution",
                dates="period",
                labels=(
                    Label("advisor", "Advisor", aliases=("Advisors", "Supervisor")),
                    Label("thesis", "Thesis", aliases=("Dissertation",)),
                ),
                swap=("area", "degree"),
            ),
        )
    ),
    "teaching": Place(
        (
            Shape(
                _NORMAL,
                {"name": "course", "summary": "role", "location": "institution"},
                dates="term",
            ),
        ),
        line="course",
    ),
    "service": Place(
        (
            Shape("OneLineEntry", {"label": "role", "details": "venues"}, requires=("venues",)),
            Shape(
                _NORMAL,
                {"name": "role", "summary": "venues"},
                dates="date",
                labels=(Label("groups", "", show=_groups, read=False),),
            ),
        ),
        line="role",
    ),
    "awards": Place(
        (Shape(_NORMAL, {"name": "title", "summary": "organization"}, link="name", dates="date"),),
        line="title",
    ),
    "talks": Place(
        (
            Shape(
                _NORMAL,
                {"name": "title", "summary": "event", "location": "location"},
                link="name",
                dates="date",
                labels=(
                    Label("video", "Video", link=True),
                    Label("slides", "Slides", link=True),
                ),
            ),
        ),
        line="title",
    ),
    "projects": Place(
        (
            Shape(
                _NORMAL,
                {"name": "name", "summary": "description", "location": "organization"},
                link="name",
                dates="period",
                labels=(
                    Label("roles", "Roles"),
                    Label("type", "Type"),
                    Label("keywords", "Keywords"),
                ),
            ),
        ),
        line="name",
    ),
    "skills": Place(
        (
            Shape("OneLineEntry", {"label": "name", "details": "keywords"}, requires=("keywords",)),
            Shape(
                _NORMAL,
                {"name": "name", "summary": "level"},
                labels=(Label("keywords", "Keywords"),),
            ),
        ),
        line="name",
    ),
    "languages": Place(
        (
            Shape(
                "OneLineEntry", {"label": "language", "details": "fluency"}, requires=("fluency",)
            ),
            Shape(_NORMAL, {"name": "language", "summary": "fluency"}),
        ),
        line="language",
    ),
}
"""Section key -> where its entries go, for the sections RenderCV has a closer entry type or
better field names for. Every other section (the faculty ones, the record's own, one added
later) gets the place :func:`derived_place` makes from its entry model. ``about``
(TextEntries, and the interests as a section of their own) and ``publications``
(PublicationEntry, from the .bib files) are written by :func:`rendercv_from` itself.
"""

NETWORKS = {
    "github": ("GitHub", "https://github.com/"),
    "linkedin": ("LinkedIn", "https://linkedin.com/in/"),
    "orcid": ("ORCID", "https://orcid.org/"),
    "google_scholar": ("Google Scholar", "https://scholar.google.com/citations?user="),
    "x": ("X", "https://x.com/"),
}
"""Contact field -> RenderCV's social network and the address its username follows."""

OTHER_NETWORKS = {
    "GitLab": "https://gitlab.com/",
    "IMDB": "https://imdb.com/name/",
    "Instagram": "https://instagram.com/",
    "Mastodon": "",
    "StackOverflow": "https://stackoverflow.com/users/",
    "ResearchGate": "https://researchgate.net/profile/",
    "YouTube": "https://youtube.com/@",
    "Telegram": "https://t.me/",
    "WhatsApp": "https://wa.me/",
    "Leetcode": "https://leetcode.com/u/",
    "Bluesky": "https://bsky.app/profile/",
    "Reddit": "https://reddit.com/user/",
}
"""RenderCV's other social networks, for a record's ``profiles``."""

_USERNAMES = {
    "ORCID": re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]"),
    "Mastodon": re.compile(r"@[^@\s]+@[^@\s]+"),
    "StackOverflow": re.compile(r"\d+/[^/\s]+"),
    "IMDB": re.compile(r"nm\d{7}"),
}
_EXACT = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_WEB = re.compile(r"https?://[^\s<>\"']+")
_DOI = re.compile(r"(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?(10\.\d{4,9}/\S+)", re.I)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def place_of(key: str, model: type[BaseModel] | None) -> Place | None:
    """Where a section's entries go: its row of :data:`PLACES`, else one made from its model
    (None for a section that is not a list of entries)."""
    if key in PLACES:
        return PLACES[key]
    return derived_place(model) if model is not None else None


_SUMMARY_FIRST = ("description", "subtitle")
_NOT_TEXT = {"details", "tags", "url", "location", "start", "end", "date", "term"}


@functools.cache
def derived_place(model: type[BaseModel]) -> Place:
    """A NormalEntry for any entry model: its first text field is the name (linked to its
    ``url``), a description (or the next text field) the summary, its ``location`` and dates
    RenderCV's, and every other field a labelled highlight (``Next: Google``)."""
    fields = model.model_fields
    texts = [name for name, info in fields.items() if name not in _NOT_TEXT and _is_text(info)]
    texts = [name for name in texts if not (name.endswith("_url") and name[:-4] in fields)]
    main = next(
        (n for n in texts if fields[n].is_required() and _bare(fields[n].annotation) is str),
        texts[0],
    )
    rest = [name for name in texts if name != main]
    summary = next((name for name in _SUMMARY_FIRST if name in rest), rest[0] if rest else None)
    mapped = {"name": main}
    if summary:
        mapped["summary"] = summary
    if "location" in fields:
        mapped["location"] = "location"
    dates = None
    if "start" in fields and "date" in fields:
        dates = "either"
    elif "start" in fields:
        dates = "period"
    elif "date" in fields or "term" in fields:
        dates = "date" if "date" in fields else "term"
    labels = tuple(
        Label(
            name,
            name.replace("_", " ").capitalize(),
            url=f"{name}_url" if f"{name}_url" in fields else None,
        )
        for name in rest
        if name != summary
    )
    fills = tuple(
        name
        for name in texts
        if fields[name].is_required()
        and typing.get_origin(_bare(fields[name].annotation)) is Literal
    )
    shape = Shape(
        _NORMAL,
        mapped,
        link="name" if "url" in fields else None,
        dates=dates,
        labels=labels,
        title_fills=fills,
    )
    return Place((shape,), line=main)


def _bare(annotation: Any) -> Any:
    """The type of a field without ``| None`` and ``Annotated`` (``Role | None`` -> Literal)."""
    while True:
        origin = typing.get_origin(annotation)
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        optional = origin in (types.UnionType, typing.Union) and len(args) == 1
        if origin is not typing.Annotated and not optional:
            return annotation
        annotation = args[0]


def _is_text(info: Any) -> bool:
    """Whether a field is written as text: a string, a choice of them, a list of them, or a
    number (an amount)."""
    annotation = _bare(info.annotation)
    origin = typing.get_origin(annotation)
    if annotation in (str, int, float) or origin is Literal:
        return True
    if origin in (types.UnionType, typing.Union):
        return all(_bare(arg) in (str, int, float) for arg in typing.get_args(annotation))
    return origin is list and typing.get_args(annotation) == (str,)


def export_rendercv(data_dir: Path | str = "data") -> dict[str, Any]:
    """The RenderCV input of the record in ``data_dir``.

    Raises:
        CVError: For any problem in the record or its .bib files.
    """
    record, publications, raw = load_for_export(Path(data_dir))
    return rendercv_from(record, publications, raw)


class _Dumper(yaml.SafeDumper):
    """Safe YAML, with text of several lines as ``|`` blocks."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value.strip() else None
    return dumper.represent_scalar(
        "tag:yaml.org,2002:str", value.strip() if style else value, style=style
    )


_Dumper.add_representer(str, _text)


def dumps(data: dict[str, Any], source: str = "") -> str:
    """A RenderCV input as YAML, with the schema comment editors read."""
    header = f"# yaml-language-server: $schema={SCHEMA_URL}\n"
    if source:
        header += f"# Written by `cv export rendercv` from {source}.\n"
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return header + text


def rendercv_from(
    record: model.Record, publications: Sequence[Any], raw: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The RenderCV input of a record and its publications (see :func:`load_for_export`)."""
    cv: dict[str, Any] = {"name": record.name}
    if record.headline:
        cv["headline"] = record.headline
    cv |= _contact(record.contact)
    sections: dict[str, list[Any]] = {}

    def add(title: str, entries: list[Any]) -> None:
        if not entries:
            return
        key, number = title, 2
        while key in sections:
            key, number = f"{title} ({number})", number + 1
        sections[key] = entries

    for kind, options in section_order(record):
        title = options.title or kind.title
        if kind.key == "about":
            add(title, _paragraphs(record.about or ""))
            add(INTERESTS_TITLE, _interests(record.interests))
        elif kind.key == "publications":
            add(title, [_publication(p, raw or {}) for p in publications])
        else:
            place = place_of(kind.key, kind.model)
            if place is not None:
                add(title, _entries(list(kind.ordered(record)), place))
    if sections:
        cv["sections"] = sections
    return {"cv": cv}


# --- the person -------------------------------------------------------------------------------


def _web(value: str) -> str | None:
    """A web address RenderCV accepts, or None."""
    value = value.strip()
    if not value.lower().startswith(("http://", "https://")):
        value = "https://" + value.removeprefix("//")
    return value if _WEB.fullmatch(value) and "." in value.split("/")[2] else None


def _username(value: str, prefix: str) -> str | None:
    """The username of a contact value written as one or as its profile's address."""
    value = value.strip()
    if not value.lower().startswith(("http://", "https://")):
        return value.removeprefix("@") or None
    bare = re.sub(r"^https?://(www\.)?", "", value, flags=re.I)
    bare_prefix = re.sub(r"^https?://(www\.)?", "", prefix, flags=re.I)
    if prefix and bare.lower().startswith(bare_prefix.lower()):
        rest = bare[len(bare_prefix) :].split("&")[0].strip("/")
        return rest or None
    return None


def _contact(contact: model.Contact) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if contact.location:
        out["location"] = contact.location
    if contact.email and _EMAIL.fullmatch(contact.email.strip()):
        out["email"] = contact.email.strip()
    connections: list[dict[str, Any]] = []
    phone = (contact.phone or "").strip().removeprefix("tel:")
    if phone.startswith("+"):
        out["phone"] = phone
    elif phone:  # RenderCV reads only international numbers
        connections.append({"fontawesome_icon": "phone", "placeholder": phone, "url": None})
    website = _web(contact.website) if contact.website else None
    if website:
        out["website"] = website
    networks: list[dict[str, str]] = []
    for field, (network, prefix) in NETWORKS.items():
        value = getattr(contact, field)
        if value:
            _network(networks, connections, network, value, prefix)
    if contact.dblp:
        dblp = _web(contact.dblp) if "/" in contact.dblp else None
        dblp = dblp or f"https://dblp.org/pid/{contact.dblp.strip()}.html"
        connections.append({"fontawesome_icon": "database", "placeholder": "DBLP", "url": dblp})
    for profile in contact.profiles:
        prefixes = {**dict(NETWORKS.values()), **OTHER_NETWORKS}
        known = next((n for n in prefixes if n.lower() == profile.network.lower()), None)
        value = profile.username or profile.url or ""
        if known and value:
            _network(networks, connections, known, value, prefixes[known], profile.url)
        else:
            url = _web(profile.url) if profile.url else None
            text = profile.username or profile.network
            connections.append({"fontawesome_icon": "link", "placeholder": text, "url": url})
    if networks:
        out["social_networks"] = networks
    if connections:
        out["custom_connections"] = connections
    return out


def _network(
    networks: list[dict[str, str]],
    connections: list[dict[str, Any]],
    network: str,
    value: str,
    prefix: str,
    url: str | None = None,
) -> None:
    """A social network RenderCV accepts, else a custom connection linking to the profile."""
    username = _username(value, prefix)
    pattern = _USERNAMES.get(network)
    if (
        username
        and ("/" not in username or network == "StackOverflow")
        and (pattern is None or pattern.fullmatch(username))
    ):
        networks.append({"network": network, "username": username})
        return
    link = _web(url or value) if (url or value).lower().startswith("http") else None
    if link is None and username and prefix:
        link = prefix + username
    connections.append({"fontawesome_icon": "link", "placeholder": network, "url": link})


# --- about and publications --------------------------------------------------------------------


def _paragraphs(text: str) -> list[str]:
    """The paragraphs of a text, one TextEntry each (a list stays one paragraph)."""
    return [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]


def _interests(interests: Sequence[Any]) -> list[Any]:
    if all(not isinstance(i, str) and i.details for i in interests):
        return [{"label": i.title, "details": i.details} for i in interests]
    return [
        {
            "bullet": i
            if isinstance(i, str)
            else f"**{i.title}**: {i.details}"
            if i.details
            else i.title
        }
        for i in interests
    ]


def _plain(markup: Any) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", str(markup))).split())


def _publication(p: Any, raw: Mapping[str, Any]) -> dict[str, Any]:
    authors = []
    for author in p.authors:
        if author.is_others:
            authors.append("et al.")
            continue
        name = author.name + author.marks.replace("*", "\\*")
        authors.append(f"**{name}**" if author.is_owner else name)
    item: dict[str, Any] = {"title": _plain(p.title), "authors": authors}
    fields = raw.get(p.key.casefold(), ("", {}))[1]
    doi = _DOI.fullmatch(fields.get("doi", "").strip())
    if doi:
        item["doi"] = doi.group(1)
    url = next((link.url for link in p.links if _WEB.fullmatch(link.url)), None)
    if url and not doi:
        item["url"] = url
    venue = _plain(p.venue)
    if venue:
        item["journal"] = venue
    if p.year:
        item["date"] = f"{p.year:04d}-{p.month:02d}" if p.month else p.year
    note = p.annotation or p.note or p.award
    if note:
        item["summary"] = note
    return item


# --- entries -----------------------------------------------------------------------------------


def _populated(entry: BaseModel) -> dict[str, Any]:
    form = record_form(entry)
    form.pop("tags", None)  # what documents select by, not what the CV shows
    return form


def _covers(shape: Shape, form: Mapping[str, Any]) -> bool:
    """Whether the shape carries every field the entry has, and the fields it needs."""
    if any(not form.get(name) for name in shape.requires):
        return False
    carried = {*shape.fields.values(), *(label.field for label in shape.labels)}
    if shape.link:
        carried.add("url")
    for label in shape.labels:
        if label.url:
            carried.add(label.url)
    if shape.dates in ("period", "either"):
        carried |= {"start", "end"}
    if shape.dates and shape.dates != "period":
        carried.add("date" if shape.dates == "either" else shape.dates)
    if shape.highlights:
        carried.add("details")
    return set(form) <= carried


def _entries(items: list[BaseModel], place: Place) -> list[dict[str, Any]]:
    """The entries as one RenderCV entry type: the first shape that carries all of them."""
    forms = [_populated(item) for item in items]
    shape = next(
        (s for s in place.shapes if all(_covers(s, form) for form in forms)),
        next(
            (s for s in reversed(place.shapes) if not s.requires and s.highlights),
            place.shapes[-1],
        ),
    )
    return [_entry(item, form, shape) for item, form in zip(items, forms, strict=True)]


def _joined(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(part) for part in value)
    return str(value)


def _markdown_link(text: str, url: str | None) -> str:
    return f"[{text}]({url})" if url else text


def _entry(item: BaseModel, form: Mapping[str, Any], shape: Shape) -> dict[str, Any]:
    out: dict[str, Any] = {}
    used: set[str] = set()
    for target, name in shape.fields.items():
        if form.get(name):
            out[target] = _joined(form[name])
            used.add(name)
    if shape.swap:
        first, second = shape.swap
        if first not in out and second in out:
            out[first] = out.pop(second)
    if shape.link and form.get("url") and shape.link in out:
        out[shape.link] = _markdown_link(out[shape.link], form["url"])
        used.add("url")
    used |= _dates(out, form, shape.dates)
    highlights: list[str] = []
    for label in shape.labels:
        used |= {label.field, *([label.url] if label.url else [])}
        value = label.show(item) if label.show else form.get(label.field)
        if not value:
            continue
        if isinstance(value, list) and label.show:
            highlights += value
        elif label.link:
            highlights.append(f"[{label.text}]({value})")
        else:
            url = form.get(label.url) if label.url else None
            highlights.append(f"{label.text}: {_markdown_link(_joined(value), url)}")
    for name, value in form.items():
        if name not in used and name != "details" and value:
            highlights.append(f"{name.replace('_', ' ').capitalize()}: {_joined(value)}")
    highlights += [str(detail) for detail in form.get("details", [])]
    if highlights and shape.highlights:
        out["highlights"] = highlights
    elif highlights:  # a one-line entry: _entries chose it because nothing is left over
        out["details"] = "; ".join([out.get("details", ""), *highlights]).strip("; ")
    return out


def _dates(out: dict[str, Any], form: Mapping[str, Any], dates: str | None) -> set[str]:
    """Write the entry's dates; the fields written."""
    if dates is None:
        return set()
    if dates in ("period", "either") and not form.get("date"):
        start, end = form.get("start"), form.get("end")
        exact = [
            value
            for value in (start, end)
            if value and (value == "present" or _EXACT.fullmatch(value))
        ]
        if len(exact) == len([value for value in (start, end) if value]):
            if start:
                out["start_date"] = _year(start)
            if end:
                out["end_date"] = _year(end)
        elif start or end:
            out["date"] = format_range(
                parse_date(start) if start else None, parse_date(end) if end else None
            )
        return {"start", "end"}
    name = "date" if dates == "either" else dates
    if form.get(name):
        out["date"] = _year(str(form[name]))
    return {name}


def _year(date: str) -> str | int:
    """A date as RenderCV shows it as written: a year alone is a number ("2024", not "Jan
    2024", which RenderCV makes of the text "2024")."""
    return int(date) if re.fullmatch(r"\d{4}", date) else date
