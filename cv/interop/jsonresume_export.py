"""The record -> a JSON Resume (https://jsonresume.org/schema), valid against its schema.

Standard fields are always filled, so other JSON Resume tools see the whole CV; whatever JSON
Resume has no field for rides along in an extra ``cv`` property (the schema allows extra
properties everywhere), which :mod:`cv.interop.jsonresume` reads back: ``import(export(record))``
gives the same record.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from cv import model
from cv.citation import format_citation, resume_fields
from cv.dates import PRESENT_WORDS
from cv.interop.files import iso_date, load_for_export, record_form
from cv.sections.base import ResumeMap
from cv.sections.registry import kinds

__all__ = ["EXTRA", "SCHEMA_URL", "dumps", "export_jsonresume", "resume_from"]

SCHEMA_URL = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"
EXTRA = "cv"
"""The extra property carrying what JSON Resume has no field for."""

_NETWORKS = {  # contact field -> (network name, profile URL pattern)
    "github": ("GitHub", "https://github.com/{}"),
    "google_scholar": ("Google Scholar", "https://scholar.google.com/citations?user={}"),
    "orcid": ("ORCID", "https://orcid.org/{}"),
    "linkedin": ("LinkedIn", "https://www.linkedin.com/in/{}"),
    "x": ("X", "https://x.com/{}"),
    "dblp": ("DBLP", "https://dblp.org/pid/{}.html"),
}
_BASICS = {"name", "headline", "photo", "contact", "about", "interests"}
"""Record fields written as JSON Resume's basics and interests."""

_LISTS: tuple[str, ...] = ("work", "volunteer", "education", "awards", "publications")
_LISTS += ("skills", "languages", "interests", "projects")
"""JSON Resume's lists, in the schema's order."""


def export_jsonresume(data_dir: Path | str = "data") -> dict[str, Any]:
    """The JSON Resume of the record in ``data_dir``.

    Raises:
        CVError: For any problem in the record or its .bib files.
    """
    record, publications, raw = load_for_export(Path(data_dir))
    return resume_from(record, publications, raw)


def dumps(resume: dict[str, Any]) -> str:
    """JSON text of a resume, two-space indented, Unicode kept."""
    return json.dumps(resume, indent=2, ensure_ascii=False) + "\n"


def _url(value: str | None, pattern: str = "https://{}") -> str | None:
    if not value:
        return None
    return (
        value
        if value.startswith(("http://", "https://"))
        else pattern.format(value.removeprefix("@"))
    )


def _mapped(item: BaseModel, resume: ResumeMap) -> dict[str, Any]:
    """Standard JSON fields of an item, plus the ``cv`` extra with everything else."""
    form = record_form(item)
    out: dict[str, Any] = {}
    extra = {name: value for name, value in form.items() if name not in resume.fields}
    for name, target in resume.fields.items():
        if name not in form:
            continue
        value = form[name]
        if name in resume.dates:
            iso = iso_date(value)
            if iso:
                out[target] = iso
            if iso != value and str(value).lower() not in PRESENT_WORDS:
                extra[name] = value
        else:
            out[target] = value
    if "end" in resume.dates and "start" in form and "end" not in form:
        extra["end"] = None  # JSON Resume reads a missing end date as "still there"
    if resume.derived is not None:
        out = {**resume.derived(item), **out}
        for name, target in resume.fields.items():
            if name not in form and target in out:
                extra[name] = None  # a field for other tools, not the entry's: never read back
    out[EXTRA] = extra
    return out


def section_items(record: model.Record) -> dict[str, list[dict[str, Any]]]:
    """Every entry of every section that has a JSON Resume place, by JSON Resume list.

    Each item's ``cv`` property names its section, so that the importer puts it back there.
    """
    lists: dict[str, list[dict[str, Any]]] = {}
    for kind in kinds(record).values():
        if kind.jsonresume is None:
            continue
        for entry in kind.items(record):
            item = _mapped(entry, kind.jsonresume)
            item[EXTRA]["section"] = kind.key
            lists.setdefault(kind.jsonresume.list, []).append(item)
    return lists


def resume_from(
    record: model.Record, publications: list[Any], raw: dict[str, tuple[str, dict[str, str]]]
) -> dict[str, Any]:
    """The JSON Resume document of a record and its publications (see :func:`load_for_export`)."""
    contact = record.contact
    basics: dict[str, Any] = {"name": record.name}
    for key, value in (
        ("label", record.headline),
        ("image", record.photo),
        ("email", contact.email),
        ("phone", contact.phone),
        ("url", _url(contact.website)),
        ("summary", record.about),
    ):
        if value:
            basics[key] = value.strip()
    if contact.location:
        basics["location"] = {"city": contact.location}
    profiles = []
    for field, (network, pattern) in _NETWORKS.items():
        value = getattr(contact, field)
        if value:
            profile = {"network": network, "url": _url(value, pattern)}
            if not value.startswith(("http://", "https://")):
                profile["username"] = value.removeprefix("@")
            profiles.append(profile)
    profiles += [record_form(profile) for profile in contact.profiles]
    if profiles:
        basics["profiles"] = profiles
    lists = section_items(record)
    interests: list[dict[str, Any]] = []
    for interest in record.interests:
        if isinstance(interest, str):
            interests.append({"name": interest})
            continue
        item: dict[str, Any] = {"name": interest.title}
        if interest.details:
            keywords = [word.strip() for word in interest.details.split(",") if word.strip()]
            item["keywords"] = keywords
            if ", ".join(keywords) != interest.details:
                item[EXTRA] = {"details": interest.details}
        interests.append(item)
    lists["publications"] = [
        *(_publication(p, raw) for p in publications),
        *lists.get("publications", []),
    ]
    lists["interests"] = interests
    resume: dict[str, Any] = {"$schema": SCHEMA_URL, "basics": basics}
    resume |= {name: lists[name] for name in _LISTS if name in lists}
    resume = {key: value for key, value in resume.items() if value}
    form = record_form(record)
    # always present: it also says the resume comes from `cv export` (see the importer)
    written = _BASICS | {kind.key for kind in kinds(record).values() if kind.jsonresume}
    extra = {key: value for key, value in form.items() if key not in written}
    if "custom" in extra:  # the entries are in projects; the titles are kept here
        extra["custom"] = {
            key: {name: value for name, value in section.items() if name != "entries"}
            for key, section in extra["custom"].items()
        }
    resume[EXTRA] = extra
    resume["meta"] = {"version": "v1.0.0"}
    return resume


def _publication(p: Any, raw: dict[str, tuple[str, dict[str, str]]]) -> dict[str, Any]:
    item = resume_fields(format_citation(p))
    authors = item.pop("authors", None)  # written after the summary, where it always was
    entry = raw.get(p.key.casefold())
    if entry and entry[1].get("abstract"):
        from cv.latex import latex_to_text

        item["summary"] = latex_to_text(entry[1]["abstract"])
    elif p.annotation:
        item["summary"] = p.annotation
    if authors:
        item["authors"] = authors
    if entry:
        item[EXTRA] = {"key": p.key, "type": entry[0], "fields": entry[1]}
    return item
