"""JSON Resume (https://jsonresume.org/schema) <-> the record and its BibTeX.

The mapping: basics and profiles <-> the person and contact; work <-> experience (and, marked,
internships and teaching terms); volunteer <-> service; education, awards, interests, skills,
languages; projects <-> projects (and, marked, talks); publications <-> .bib entries. Whatever
JSON Resume has no field for rides along in an extra ``cv`` property (extra properties are
allowed everywhere), so that ``import(export(record))`` keeps every item; the standard fields are
always filled, so other JSON Resume tools see the whole CV.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from cv import model
from cv.dates import format_range, parse_date
from cv.errors import CVError
from cv.interop.files import (
    BibEntry,
    Imported,
    Notice,
    bibtex_escape,
    bibtex_field,
    clean_record,
    iso_date,
    make_key,
)
from cv.interop.item_parts import VENUE_CONFERENCE, VENUE_JOURNAL, VENUE_PREPRINT
from cv.interop.jsonresume_export import EXTRA, SCHEMA_URL, dumps, export_jsonresume, resume_from
from cv.sections.custom import CustomEntry, CustomSection, custom_kind
from cv.sections.registry import BUILT_IN

__all__ = [
    "SCHEMA_URL",
    "dumps",
    "export_jsonresume",
    "import_jsonresume",
    "read_jsonresume",
    "resume_from",
]

_NETWORK_NAMES = {
    "github": "github",
    "google scholar": "google_scholar",
    "googlescholar": "google_scholar",
    "scholar": "google_scholar",
    "orcid": "orcid",
    "linkedin": "linkedin",
    "x": "x",
    "twitter": "x",
    "dblp": "dblp",
}
_LISTS: tuple[str, ...] = ("work", "volunteer", "education", "awards", "publications", "projects")
_LISTS += ("skills", "languages")
"""JSON Resume's lists that ``cv export`` writes sections' entries to, marked with their key."""
_SECTION_KEY = re.compile(r"[a-z][a-z0-9_]*")
CUSTOM_RESUME = custom_kind("custom", CustomSection(title="custom")).jsonresume


def read_jsonresume(path: Path) -> Imported:
    """Read a JSON Resume file and import it (a photo it names beside it is copied).

    Raises:
        CVError: When the file cannot be read or is not JSON.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CVError.at("file not found", path) from None
    except (OSError, UnicodeDecodeError) as error:
        raise CVError.at(f"cannot read this file as UTF-8 text: {error}", path) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CVError.at(f"invalid JSON: {error.msg}", path, error.lineno, error.colno) from None
    if not isinstance(data, dict):
        raise CVError.at("expected a JSON object with basics, work, education, ...", path, 1, 1)
    return import_jsonresume(data, base_dir=path.parent, source=str(path))


def import_jsonresume(
    data: dict[str, Any], *, base_dir: Path | None = None, source: str = "resume.json"
) -> Imported:
    """Turn a JSON Resume document into a record and BibTeX entries.

    Args:
        data: The parsed JSON.
        base_dir: Where a relative ``basics.image`` is looked for (it is copied when found).
        source: The file name, for notices.
    """
    return _Importer(data, base_dir, source).run()


def _str(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return (
        " ".join(str(value).split())
        if not isinstance(value, str) or "\n" not in value
        else value.strip()
    )


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, list):
        return [_str(item) for item in value if _str(item)]
    return []


class _Importer:
    def __init__(self, data: dict[str, Any], base_dir: Path | None, source: str) -> None:
        self.data = dict(data)  # the marked items are taken out of its lists (_unmarked)
        self.base_dir = base_dir
        self.source = source
        self.notices: list[Notice] = []
        self.record: dict[str, Any] = {}
        self.entries: list[BibEntry] = []
        self.keys: set[str] = set()
        self.kept: dict[str, list[str]] = {}
        self.files: dict[str, bytes] = {}
        self.custom_entries: dict[str, list[dict[str, Any]]] = {}

    def _unmarked(self, list_name: str) -> Any:
        """The list without the items :meth:`_section_item` reads (kept at their index)."""
        value = self.data.get(list_name)
        if not isinstance(value, list):
            return value
        return [
            None
            if isinstance(obj, dict) and self._section_item(f"{list_name}[{i}]", obj, list_name)
            else obj
            for i, obj in enumerate(value)
        ]

    def warn(self, where: str, message: str) -> None:
        self.notices.append(Notice(message, where=where))

    def _keep(self, heading: str, where: str, text: str, reason: str) -> None:
        self.warn(where, f"{reason}; kept as text in `about` under '{heading}'")
        self.kept.setdefault(heading, []).append(f"- {text}")

    def _items(self, key: str) -> list[tuple[str, dict[str, Any]]]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.warn(key, "expected a list; not imported")
            return []
        items = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                items.append((f"{key}[{index}]", item))
            elif item is None and key in _LISTS:
                continue  # read already as an entry of its section
            else:
                self.warn(
                    f"{key}[{index}]", f"expected an object, got {_str(item)[:40]!r}; not imported"
                )
        return items

    def _date(self, value: Any, where: str) -> str | None:
        text = _str(value)
        if not text:
            return None
        try:
            parse_date(text)
        except ValueError:
            self.warn(
                where, f"{text!r} is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD); left out"
            )
            return None
        return text

    def _add(
        self,
        section: str,
        item: dict[str, Any],
        schema: type[BaseModel],
        where: str,
        heading: str,
        text: str,
        what: str,
    ) -> None:
        item = {key: value for key, value in item.items() if value not in (None, "", [])}
        try:
            schema.model_validate(item)
        except ValidationError as error:
            detail = error.errors()[0]
            field = ".".join(str(part) for part in detail["loc"])
            self._keep(heading, where, text, f"not understood as {what} ({field}: {detail['msg']})")
            return
        self.record.setdefault(section, []).append(item)

    @staticmethod
    def _extra(obj: dict[str, Any]) -> dict[str, Any]:
        extra = obj.get(EXTRA)
        return extra if isinstance(extra, dict) else {}

    @staticmethod
    def _overlay(item: dict[str, Any], extra: dict[str, Any], dates: tuple[str, ...]) -> None:
        """Fill in from the ``cv`` extra: missing fields, and dates as the record wrote them."""
        for name, value in extra.items():
            if name == "section":
                continue
            if name in dates:
                if value is None:
                    item.pop(name, None)
                elif name not in item or iso_date(str(value)) == iso_date(item[name]):
                    item[name] = value
            elif item.get(name) in (None, "", []):
                item[name] = value

    # --- sections -------------------------------------------------------------------------

    def _section_item(self, where: str, obj: dict[str, Any], list_name: str) -> bool:
        """Read an item ``cv export`` marked with its section; False for any other item.

        The section's :class:`~cv.sections.base.ResumeMap` is inverted: its JSON Resume fields
        give the entry's, and the ``cv`` property the rest, dates as the record wrote them.
        """
        extra = self._extra(obj)
        key = extra.get("section")
        if not isinstance(key, str) or not _SECTION_KEY.fullmatch(key):
            return False
        kind = BUILT_IN.get(key)
        resume = kind.jsonresume if kind is not None else CUSTOM_RESUME
        if resume is None or resume.list != list_name:
            return False
        item: dict[str, Any] = {}
        for name, target in resume.fields.items():
            if name in extra and extra[name] is None:
                continue  # written for other tools only (ResumeMap.derived)
            value = obj.get(target)
            if name in resume.dates:
                value = self._date(value, f"{where}.{target}")
            if value not in (None, "", []):
                item[name] = value
        if "end" in resume.dates and item.get("start") and not item.get("end"):
            item["end"] = "present"  # JSON Resume leaves the end of a current one out
        self._overlay(item, extra, resume.dates)
        model_fields = (kind.model if kind is not None and kind.model else CustomEntry).model_fields
        order = [*model_fields, *item]
        item = {name: item[name] for name in dict.fromkeys(order) if name in item}
        if kind is None:  # an entry of one of the record's own sections
            entry = {name: value for name, value in item.items() if value not in (None, "", [])}
            try:
                CustomEntry.model_validate(entry)
            except ValidationError as error:
                detail = error.errors()[0]
                field = ".".join(str(part) for part in detail["loc"])
                self._keep(key, where, _describe(obj), f"not understood ({field}: {detail['msg']})")
                return True
            self.custom_entries.setdefault(key, []).append(entry)
            return True
        assert kind.model is not None  # a section with a JSON Resume place has entries
        self._add(
            key, item, kind.model, where, kind.title, _describe(obj), f"an entry of {kind.title}"
        )
        return True

    def run(self) -> Imported:
        self._basics()
        for list_name in _LISTS:
            self.data[list_name] = self._unmarked(list_name)
        for where, obj in self._items("work"):  # what _section_item left: another tool's
            self._work(where, obj)
        for where, obj in self._items("volunteer"):
            self._volunteer(where, obj)
        for where, obj in self._items("education"):
            self._education(where, obj)
        for where, obj in self._items("awards"):
            self._award(
                where,
                obj,
                {
                    "title": obj.get("title"),
                    "date": obj.get("date"),
                    "organization": obj.get("awarder"),
                },
            )
        for where, obj in self._items("certificates"):
            self._award(
                where,
                obj,
                {
                    "title": obj.get("name"),
                    "date": obj.get("date"),
                    "organization": obj.get("issuer"),
                    "url": obj.get("url"),
                },
            )
        for where, obj in self._items("publications"):
            self._publication(where, obj)
        for where, obj in self._items("projects"):
            self._project(where, obj)
        for where, obj in self._items("interests"):
            self._interest(where, obj)
        for where, obj in self._items("skills"):
            self._add(
                "skills",
                {
                    "name": _str(obj.get("name")),
                    "level": _str(obj.get("level")),
                    "keywords": _strings(obj.get("keywords")),
                },
                model.Skill,
                where,
                "Skills",
                _str(obj.get("name")),
                "a skill",
            )
        for where, obj in self._items("languages"):
            self._add(
                "languages",
                {"language": _str(obj.get("language")), "fluency": _str(obj.get("fluency"))},
                model.Language,
                where,
                "Languages",
                _str(obj.get("language")),
                "a language",
            )
        for where, obj in self._items("references"):
            name, text = _str(obj.get("name")), _str(obj.get("reference"))
            self._keep(
                "References",
                where,
                f"{name}: {text}" if name and text else name or text,
                "references have no section in the record",
            )
        for key in self.data:
            if key not in (
                "$schema",
                "basics",
                "work",
                "volunteer",
                "education",
                "awards",
                "certificates",
                "publications",
                "projects",
                "interests",
                "skills",
                "languages",
                "references",
                "meta",
                EXTRA,
            ):
                self.warn(key, f"'{key}' is not part of JSON Resume; not imported")
        self._record_extras()
        return self._finish()

    def _basics(self) -> None:
        given = self.data.get("basics")
        basics: dict[str, Any] = given if isinstance(given, dict) else {}
        name = _str(basics.get("name"))
        if not name:
            name = "Your Name"
            self.warn("basics.name", "no name; cv.yaml says 'Your Name': edit it")
        self.record["name"] = name
        self.record["headline"] = _str(basics.get("label"))
        self.record["about"] = (
            basics.get("summary", "").strip() if isinstance(basics.get("summary"), str) else ""
        )
        contact: dict[str, Any] = {
            "email": _str(basics.get("email")),
            "phone": _str(basics.get("phone")),
            "website": _str(basics.get("url")),
        }
        location = basics.get("location")
        if isinstance(location, dict):
            parts = [_str(location.get(key)) for key in ("city", "region", "countryCode")]
            contact["location"] = ", ".join(part for part in parts if part) or _str(
                location.get("address")
            )
        elif isinstance(location, str):
            contact["location"] = location.strip()
        profiles = []
        for index, profile in enumerate(basics.get("profiles") or []):
            if not isinstance(profile, dict):
                continue
            network = _str(profile.get("network"))
            field = _NETWORK_NAMES.get(network.lower())
            username, url = _str(profile.get("username")), _str(profile.get("url"))
            if field == "google_scholar" and not username:
                found = re.search(r"[?&]user=([\w-]+)", url)
                username = found.group(1) if found else ""
            if field and not contact.get(field):
                contact[field] = username or url
            elif network or url:
                profiles.append({"network": network or "Web", "username": username, "url": url})
            else:
                self.warn(
                    f"basics.profiles[{index}]", "profile without network or URL; not imported"
                )
        contact["profiles"] = profiles
        self.record["contact"] = contact
        image = _str(basics.get("image"))
        if image:
            path = (
                (self.base_dir / image).resolve() if self.base_dir and "://" not in image else None
            )
            if (
                path
                and path.is_file()
                and path.suffix.lower() in (".jpg", ".jpeg", ".png", ".webp")
            ):
                self.files[f"photo{path.suffix.lower()}"] = path.read_bytes()
                self.record["photo"] = f"photo{path.suffix.lower()}"
            else:
                self.warn(
                    "basics.image",
                    f"photo {image!r} is not a file beside the resume; not imported "
                    "(put the image in the data folder and set `photo:`)",
                )

    def _work(self, where: str, obj: dict[str, Any]) -> None:
        item: dict[str, Any] = {
            "organization": _str(obj.get("name") or obj.get("company")),
            "role": _str(obj.get("position")),
            "url": _str(obj.get("url")),
            "location": _str(obj.get("location")),
            "start": self._date(obj.get("startDate"), f"{where}.startDate"),
            "end": self._date(obj.get("endDate"), f"{where}.endDate"),
            "details": [
                _str(obj.get(key)) for key in ("description", "summary") if _str(obj.get(key))
            ]
            + _strings(obj.get("highlights")),
        }
        if item["start"] and not item["end"]:
            item["end"] = "present"
        self._overlay(item, self._extra(obj), ("start", "end"))
        if not item.get("role"):
            item["role"] = item.get("organization") or ""
            item.pop("organization", None)
        self._add("experience", item, model.Experience, where, "Work", _describe(obj), "a position")

    def _volunteer(self, where: str, obj: dict[str, Any]) -> None:
        extra = self._extra(obj)
        item: dict[str, Any] = {
            "role": _str(obj.get("position")) or _str(obj.get("organization")),
            "date": self._date(obj.get("startDate"), f"{where}.startDate"),
        }
        if extra:
            self._overlay(item, extra, ("date",))
        else:
            organization, url = _str(obj.get("organization")), _str(obj.get("url"))
            if organization and _str(obj.get("position")):
                item["venues"] = [f"[{organization}]({url})" if url else organization]
            details = ([_str(obj.get("summary"))] if _str(obj.get("summary")) else []) + _strings(
                obj.get("highlights")
            )
            end = self._date(obj.get("endDate"), f"{where}.endDate")
            if item["date"]:
                period = format_range(
                    parse_date(item["date"]), parse_date(end) if end else parse_date("present")
                )
                details.insert(0, period)
            item["details"] = details
        self._add(
            "service", item, model.Service, where, "Volunteer", _describe(obj), "a service role"
        )

    def _education(self, where: str, obj: dict[str, Any]) -> None:
        item: dict[str, Any] = {
            "institution": _str(obj.get("institution")),
            "url": _str(obj.get("url")),
            "field": _str(obj.get("area")),
            "degree": _str(obj.get("studyType")),
            "start": self._date(obj.get("startDate"), f"{where}.startDate"),
            "end": self._date(obj.get("endDate"), f"{where}.endDate"),
            "details": [],
        }
        if item["start"] and not item["end"]:
            item["end"] = "present"
        if _str(obj.get("score")):
            item["details"].append(f"Score: {_str(obj.get('score'))}")
        if _strings(obj.get("courses")):
            item["details"].append("Courses: " + "; ".join(_strings(obj.get("courses"))))
        self._overlay(item, self._extra(obj), ("start", "end"))
        if not item.get("degree"):
            item["degree"] = item.pop("field", None) or "Studies"
        self._add(
            "education", item, model.Education, where, "Education", _describe(obj), "a degree"
        )

    def _award(self, where: str, obj: dict[str, Any], fields: dict[str, Any]) -> None:
        item: dict[str, Any] = {key: _str(value) for key, value in fields.items()}
        item["date"] = self._date(fields.get("date"), f"{where}.date")
        extra = self._extra(obj)
        self._overlay(item, extra, ("date",))
        if "details" not in item and _str(obj.get("summary")):
            item["details"] = [_str(obj.get("summary"))]
        if not item.get("date"):
            self._keep(
                "Awards", where, _describe(obj), "award without a date (the record needs one)"
            )
            return
        self._add("awards", item, model.Award, where, "Awards", _describe(obj), "an award")

    def _project(self, where: str, obj: dict[str, Any]) -> None:
        extra = self._extra(obj)
        if not extra and _str(obj.get("type")).lower() in ("talk", "presentation"):
            item: dict[str, Any] = {
                "title": _str(obj.get("name")),
                "date": self._date(obj.get("startDate"), f"{where}.startDate"),
                "event": _str(obj.get("entity")),
                "url": _str(obj.get("url")),
            }
            self._overlay(item, extra, ("date",))
            if not extra and _str(obj.get("description")):
                item["location"] = _str(obj.get("description"))
            self._add("talks", item, model.Talk, where, "Talks", _describe(obj), "a talk")
            return
        item = {
            "name": _str(obj.get("name")),
            "start": self._date(obj.get("startDate"), f"{where}.startDate"),
            "end": self._date(obj.get("endDate"), f"{where}.endDate"),
            "url": _str(obj.get("url")),
            "organization": _str(obj.get("entity")),
            "roles": _strings(obj.get("roles")),
            "type": _str(obj.get("type")),
            "description": _str(obj.get("description")),
            "details": _strings(obj.get("highlights")),
            "keywords": _strings(obj.get("keywords")),
        }
        self._overlay(item, extra, ("start", "end"))
        self._add("projects", item, model.Project, where, "Projects", _describe(obj), "a project")

    def _interest(self, where: str, obj: dict[str, Any]) -> None:
        name = _str(obj.get("name"))
        keywords = _strings(obj.get("keywords"))
        details = self._extra(obj).get("details") or ", ".join(keywords)
        if not name:
            self.warn(
                where,
                "interest without a name; not imported"
                if not keywords
                else "interest without a name; its keywords are imported as one",
            )
            if keywords:
                self.record.setdefault("interests", []).append(", ".join(keywords))
            return
        self.record.setdefault("interests", []).append(
            {"title": name, "details": details} if details else name
        )

    def _publication(self, where: str, obj: dict[str, Any]) -> None:
        extra = self._extra(obj)
        fields_extra = extra.get("fields")
        if (
            isinstance(fields_extra, dict)
            and isinstance(extra.get("type"), str)
            and fields_extra.get("title")
        ):
            key = _str(extra.get("key"))
            fields: dict[str, str] = {
                str(name): _str(value) if not isinstance(value, str) else value
                for name, value in fields_extra.items()
            }
            if not re.fullmatch(r"[\w:.+/-]+", key) or key.casefold() in self.keys:
                key = make_key(
                    _first_author(fields.get("author", "")),
                    fields.get("year"),
                    fields["title"],
                    self.keys,
                )
            else:
                self.keys.add(key.casefold())
            self.entries.append(BibEntry(extra["type"].lower(), key, fields))
            return
        title = _str(obj.get("name"))
        if not title:
            self.warn(where, "publication without a name (title); not imported")
            return
        venue = _str(obj.get("publisher"))
        url = _str(obj.get("url"))
        arxiv = re.search(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5}(?:v\d+)?)", url, re.I)
        authors = _strings(obj.get("authors"))
        if isinstance(obj.get("authors"), str):
            authors = [
                name.strip() for name in re.split(r",\s*|\s+and\s+", obj["authors"]) if name.strip()
            ]
        date = self._date(obj.get("releaseDate"), f"{where}.releaseDate")
        year = month = None
        if date:
            parsed = parse_date(date)
            year, month = parsed.year, parsed.month
        if VENUE_PREPRINT.search(venue) or (arxiv and not venue):
            entry_type, venue_field = "misc", "howpublished"
        elif VENUE_CONFERENCE.search(venue):
            entry_type, venue_field = "inproceedings", "booktitle"
        elif (
            venue
            and not VENUE_JOURNAL.search(venue)
            and re.search(r"\bpress\b|publish|books?\b", venue, re.I)
        ):
            entry_type, venue_field = "book", "publisher"
        elif venue:
            entry_type, venue_field = "article", "journal"
        else:
            entry_type, venue_field = "misc", "howpublished"
        fields = {"title": bibtex_escape(title)}
        if authors:
            fields["author"] = " and ".join(bibtex_escape(name) for name in authors)
        if venue:
            fields[venue_field] = bibtex_escape(venue)
        if year:
            fields["year"] = str(year)
        if month:
            fields["month"] = str(month)
        for name, value in (
            ("url", url),
            ("arxiv", arxiv.group(1) if arxiv else ""),
            ("doi", _str(obj.get("doi"))),
            ("abbr", _str(obj.get("abbr"))),
        ):
            if value:
                fields[name] = bibtex_field(name, value)
        if _str(obj.get("summary")):
            fields["abstract"] = bibtex_escape(_str(obj.get("summary")))
        key = make_key(
            authors[0] if authors else self.record.get("name", "anon"), year, title, self.keys
        )
        self.entries.append(BibEntry(entry_type, key, fields))

    def _record_extras(self) -> None:
        """Record fields JSON Resume has no place for, from the top-level ``cv`` extra."""
        extra = self._extra(self.data)
        for key, value in extra.items():
            if key in self.record:
                continue
            try:
                model.Record.model_validate({"name": "x", key: value})
            except ValidationError as error:
                detail = error.errors()[0]
                self.warn(f"{EXTRA}.{key}", f"not imported: {detail['msg']}")
                continue
            self.record[key] = value
        custom = self.record.get("custom")
        custom = self.record["custom"] = dict(custom) if isinstance(custom, dict) else {}
        for key, entries in self.custom_entries.items():
            section = dict(custom.get(key) or {"title": key.replace("_", " ").capitalize()})
            custom[key] = section | {"entries": [*section.get("entries", []), *entries]}
        if "affiliation" not in self.record and EXTRA not in self.data:  # not from `cv export`
            current = next(
                (
                    item
                    for item in self.record.get("experience", [])
                    if item.get("end") == "present" and item.get("organization")
                ),
                None,
            )
            if current:
                self.record["affiliation"] = current["organization"]

    def _finish(self) -> Imported:
        about = self.record.get("about", "")
        for heading, lines in self.kept.items():
            about += f"\n\n**{heading}**\n\n" + "\n".join(lines)
        self.record["about"] = about.strip()
        self.record["publications"] = _publication_options(
            self.record.get("publications"), self.notices
        )
        return Imported(
            clean_record(self.record), self.entries, self.notices, self.files, self.source
        )


def _describe(obj: dict[str, Any]) -> str:
    """A one-line plain-text summary of a JSON object, for text kept in ``about``."""
    parts = [
        _str(value)
        for key, value in obj.items()
        if key != EXTRA and isinstance(value, (str, int, float))
    ]
    parts += [
        ", ".join(_strings(value))
        for key, value in obj.items()
        if isinstance(value, list) and key != EXTRA
    ]
    return "; ".join(part for part in parts if part)


def _publication_options(options: Any, notices: list[Notice]) -> dict[str, Any]:
    """The record's publication options, pointing at the one .bib file an import writes."""
    options = dict(options) if isinstance(options, dict) else {}
    options["bibtex"] = ["publications.bib"]
    if options.pop("scholar", None):
        notices.append(
            Notice(
                "the Google Scholar snapshot is not part of the resume; `publications.scholar` "
                "left out (copy scholar.json into the data folder and set it again)",
                where=f"{EXTRA}.publications.scholar",
            )
        )
    return options


def _first_author(authors: str) -> str:
    first = re.split(r"\s+and\s+", authors.strip())[0] if authors.strip() else "anon"
    return first.split(",")[0] if "," in first else first
