"""A RenderCV input file (https://docs.rendercv.com) <-> the record and its BibTeX.

``cv:`` gives the person and the contact. Each section is placed by its title (the headings the
record's sections declare, :func:`cv.sections.registry.heading_patterns`, and a few titles
RenderCV users write, such as "Summary" or "Technologies") and by its entries' type, reading
:func:`cv.interop.rendercv_export.place_of` backwards: labelled highlights (``Advisor: X``) go
back to their fields, ``[Name](url)`` to a name and its link, ``start_date``/``end_date`` and
``date`` to the record's dates. PublicationEntry become BibTeX entries wherever they are. A
section no section of the record takes, or whose entries do not fit it, becomes a section of the
record's own (``custom:``) at its place, with a warning saying why. ``design:``, ``locale:`` and
the settings are RenderCV's look and behaviour: left out with a note. Markdown stays Markdown.
Nothing is dropped without a notice naming where.
"""

from __future__ import annotations

import difflib
import re
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from cv.dates import parse_date
from cv.errors import CVError, Problem
from cv.interop.files import (
    BibEntry,
    Imported,
    Notice,
    bibtex_escape,
    bibtex_field,
    clean_record,
    make_key,
    normalize_date,
)
from cv.interop.item_parts import VENUE_CONFERENCE, VENUE_JOURNAL, VENUE_PREPRINT, VENUE_THESIS
from cv.interop.markdown_items import split_date_prefix, split_date_suffix
from cv.interop.rendercv_export import (
    NETWORKS,
    OTHER_NETWORKS,
    Label,
    Place,
    Shape,
    dumps,
    export_rendercv,
    place_of,
    rendercv_from,
)
from cv.interop.text import markdown_link, plain, split_top
from cv.sections.custom import KEY_PATTERN, CustomEntry
from cv.sections.registry import BUILT_IN, heading_patterns

__all__ = [
    "ENTRY_FIELDS",
    "dumps",
    "entry_type",
    "export_rendercv",
    "import_rendercv",
    "read_rendercv",
    "rendercv_from",
    "section_title",
]

ENTRY_FIELDS: dict[str, tuple[str, ...]] = {
    "OneLineEntry": ("label", "details"),
    "NormalEntry": ("name", "date", "start_date", "end_date", "location", "summary", "highlights"),
    "ExperienceEntry": (
        "company",
        "position",
        "date",
        "start_date",
        "end_date",
        "location",
        "summary",
        "highlights",
    ),
    "EducationEntry": (
        "institution",
        "area",
        "degree",
        "grade",
        "date",
        "start_date",
        "end_date",
        "location",
        "summary",
        "highlights",
    ),
    "PublicationEntry": ("title", "authors", "summary", "doi", "url", "journal", "date"),
    "BulletEntry": ("bullet",),
    "NumberedEntry": ("number",),
    "ReversedNumberedEntry": ("reversed_number",),
}
"""RenderCV's entry types and their fields, in the order RenderCV tries them."""

_OWN_FIELDS = {
    name: {
        field for field in fields if sum(field in others for others in ENTRY_FIELDS.values()) == 1
    }
    for name, fields in ENTRY_FIELDS.items()
}
"""The fields only one entry type has, by which RenderCV tells an entry's type."""
_LINES = {
    "BulletEntry": "bullet",
    "NumberedEntry": "number",
    "ReversedNumberedEntry": "reversed_number",
}
_IGNORED = {
    "design": "RenderCV's design (the CV takes its look from its theme)",
    "locale": "RenderCV's locale",
    "locale_catalog": "RenderCV's locale",
    "settings": "RenderCV's settings",
    "rendercv_settings": "RenderCV's settings",
}
_CV_FIELDS = {
    "name",
    "headline",
    "label",
    "location",
    "email",
    "phone",
    "website",
    "photo",
    "social_networks",
    "custom_connections",
    "sections",
}
_TITLES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind.key, re.compile(pattern, re.I)) for kind, pattern in heading_patterns()
)
"""The headings the record's sections declare, in the order they are tried."""
_SYNONYMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.I), word)
    for pattern, word in (
        (r"summary|profile|objective|overview|statement|welcome|keywords", "about"),
        (r"technolog|competenc|expertise|proficienc", "skills"),
        (r"peer review|editorial", "reviewing"),
        (r"advising|postdocs?\b|mentorship", "students"),
        (r"certifications?|distinctions?", "awards"),
    )
)
"""Titles RenderCV users write -> a word of the heading of the record's section for them."""

_INTERESTS = re.compile(r"interests?|keywords", re.I)
_YEAR = re.compile(r"(?<![\d.])(?:19|20)\d{2}(?![\d.])")
_LABELLED = re.compile(
    r"^\s*(?:\*\*|__)?([^:*_\[\]]{1,40}?)(?::\s*(?:\*\*|__)|(?:\*\*|__)?\s*:)\s*(.+)$"
)
_EMPHASIS = re.compile(r"^(\*{1,3}|_{1,2})(.+?)\1$")
_MARKS = re.compile(r"(?:\\?[*†‡])+$")

Path_ = tuple[str | int, ...]


def read_rendercv(path: Path) -> Imported:
    """Read a RenderCV input file and import it (a photo it names beside it is copied).

    Raises:
        CVError: When the file cannot be read, is not YAML, or has no ``cv:`` mapping;
            located at the file's line and column.
    """
    from cv.files import read_bounded
    from cv.loader import MAX_BYTES, _compose, _decode

    try:
        raw = read_bounded(path, MAX_BYTES, "a RenderCV input file of tens of KB")
    except FileNotFoundError:
        raise CVError.at("file not found", path) from None
    text = _decode(raw, path)
    if not text.strip():
        raise CVError.at("the file is empty; expected a RenderCV input with `cv:`", path, 1, 1)
    data, positions, problems = _compose(text, path)
    if data is None:
        raise CVError(_rendercv_problem(problem) for problem in problems)
    imported = _Importer(
        str(path), path.parent, positions, {p.line for p in problems if p.line}
    ).run(data)
    at: dict[tuple[int | None, int | None], Path_] = {
        place: path for path, place in positions.values.items()
    }
    imported.notices[:0] = [
        Notice(
            problem.message
            + ("; not imported (write the entries here)" if "tag" in problem.message else ""),
            line=problem.line,
            where=_where(at[(problem.line, problem.column)])
            if (problem.line, problem.column) in at
            else None,
        )
        for problem in problems
    ]
    return imported


def _rendercv_problem(problem: Problem) -> Problem:
    """A problem of the YAML reader, said of a RenderCV file rather than of cv.yaml."""
    if "at the top" in problem.message:
        message = "expected a mapping with `cv:` (and optionally `design:`, `locale:`) at the top"
        return Problem(message, problem.file, problem.line, problem.column)
    return problem


def import_rendercv(
    data: Any,
    *,
    source: str = "CV.yaml",
    base_dir: Path | None = None,
    positions: Any = None,
) -> Imported:
    """Turn a parsed RenderCV input into a record and BibTeX entries.

    Args:
        data: The parsed YAML (dates as written, as :mod:`cv.loader` reads them).
        source: The file name, for notices and errors.
        base_dir: Where a relative ``cv.photo`` is looked for (it is copied when found).
        positions: Where each value is in the file (:class:`cv.loader.Positions`), for the
            line of each notice.

    Raises:
        CVError: When there is no ``cv:`` mapping to import.
    """
    return _Importer(source, base_dir, positions, set()).run(data)


def section_title(key: str) -> str:
    """The title RenderCV shows for a section key (``education_and_training`` ->
    ``Education and Training``; a key with a capital or a space stays as written)."""
    if " " in key or any(char.isupper() for char in key):
        return key
    small = {"a", "and", "as", "at", "but", "by", "for", "from", "if", "in", "into", "like"}
    small |= {"near", "nor", "of", "off", "on", "onto", "or", "over", "so", "than", "that"}
    small |= {"to", "upon", "when", "with", "yet"}
    words = key.replace("_", " ").split(" ")
    return " ".join(word if word in small else word.capitalize() for word in words)


def entry_type(entry: Any) -> str | None:
    """RenderCV's type of an entry, found by the fields only that type has (None: no type)."""
    if isinstance(entry, str):
        return "TextEntry"
    if not isinstance(entry, dict):
        return None
    return next((name for name, own in _OWN_FIELDS.items() if own & set(entry)), None)


def _where(path: Path_) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _text(value: Any) -> str:
    """A scalar as text (lists and mappings are not text)."""
    if value is None or isinstance(value, (list, dict)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).strip()


def _slug(title: str) -> str:
    return re.sub(r"_+", "_", re.sub(r"[^a-z0-9]+", "_", plain(title).lower())).strip("_")


class _NoFit(Exception):
    """An entry the record's section cannot take, and why."""


Level = Literal["warning", "note"]
Item = tuple[Path_, str, Any]  # where, RenderCV entry type, the entry


class _Importer:
    def __init__(
        self, source: str, base_dir: Path | None, positions: Any, problem_lines: set[int]
    ) -> None:
        self.source = source
        self.base_dir = base_dir
        self.positions = positions
        self.problem_lines = problem_lines
        self.notices: list[Notice] = []
        self.record: dict[str, Any] = {}
        self.entries: list[BibEntry] = []
        self.keys: set[str] = set()
        self.files: dict[str, bytes] = {}
        self.order: list[Any] = []
        self.custom: dict[str, dict[str, Any]] = {}
        self.about: list[str] = []
        self.interests: list[Any] = []
        self.kept: list[str] = []
        self.owners: list[str] = []
        self.publication_titles: list[str] = []

    # --- notices ------------------------------------------------------------------------------

    def line(self, path: Path_) -> tuple[int | None, int | None]:
        found = self.positions.of(path) if self.positions is not None else None
        return found if found else (None, None)

    def notice(self, path: Path_, message: str, level: Level = "warning") -> None:
        self.notices.append(
            Notice(message, line=self.line(path)[0], where=_where(path), level=level)
        )

    def fail(self, path: Path_, message: str) -> CVError:
        return CVError.at(message, Path(self.source), *self.line(path))

    # --- the file -----------------------------------------------------------------------------

    def run(self, data: Any) -> Imported:
        if not isinstance(data, dict):
            raise self.fail((), "expected a mapping with `cv:` at the top")
        cv = data.get("cv")
        if not isinstance(cv, dict):
            what = "no `cv:`" if "cv" not in data else f"`cv:` is {_kind(cv)}, not a mapping"
            raise self.fail(
                ("cv",) if "cv" in data else (),
                f"{what}; expected `cv:` with name:, sections:, ... (a RenderCV input file)",
            )
        for key in data:
            if key in _IGNORED:
                self.notice((key,), f"{_IGNORED[key]} is not imported", "note")
            elif key != "cv":
                self.notice((key,), f"'{key}' is not part of a RenderCV input; not imported")
        self._person(cv)
        sections = cv.get("sections")
        if isinstance(sections, dict):
            for key, entries in sections.items():
                self._section(str(key), entries, ("cv", "sections", str(key)))
        elif sections is not None:
            self.notice(("cv", "sections"), "expected a mapping of titles to lists; not imported")
        return self._finish()

    def _person(self, cv: dict[str, Any]) -> None:
        name = _text(cv.get("name"))
        if not name:
            name = "Your Name"
            self.notice(("cv", "name"), "no name; cv.yaml says 'Your Name': edit it")
        self.record["name"] = name
        self.record["headline"] = _text(cv.get("headline")) or _text(cv.get("label"))
        contact: dict[str, Any] = {"location": _text(cv.get("location")), "profiles": []}
        self.record["contact"] = contact
        for field, network in (("email", "Email"), ("phone", "Phone"), ("website", "Website")):
            values = cv.get(field)
            texts = [_text(v) for v in (values if isinstance(values, list) else [values])]
            texts = [text.removeprefix("tel:") for text in texts if text]
            if texts:
                contact[field] = texts[0]
            for extra in texts[1:]:  # the record has one of each; the others become profiles
                url = {"Email": "mailto:", "Phone": "tel:"}.get(network, "") + extra
                contact["profiles"].append({"network": network, "username": extra, "url": url})
        self._networks(cv.get("social_networks"), contact)
        self._connections(cv.get("custom_connections"), contact)
        self._photo(_text(cv.get("photo")))
        for key in cv:
            if key not in _CV_FIELDS:
                self.notice(("cv", key), f"'{key}' is not a field of RenderCV's cv; not imported")

    def _networks(self, networks: Any, contact: dict[str, Any]) -> None:
        if not isinstance(networks, list):
            if networks is not None:
                self.notice(("cv", "social_networks"), "expected a list; not imported")
            return
        fields = {network.lower(): field for field, (network, _) in NETWORKS.items()}
        fields["twitter"] = "x"
        prefixes = {**dict(NETWORKS.values()), **OTHER_NETWORKS}
        for index, item in enumerate(networks):
            network = _text(item.get("network")) if isinstance(item, dict) else ""
            username = _text(item.get("username")) if isinstance(item, dict) else ""
            if not network or not username:
                where = ("cv", "social_networks", index)
                self.notice(where, "expected a network and a username; not imported")
                continue
            field = fields.get(network.lower())
            if field and not contact.get(field):
                contact[field] = username
                continue
            profile = {"network": network, "username": username}
            if prefixes.get(network):
                profile["url"] = prefixes[network] + username
            contact["profiles"].append(profile)

    def _connections(self, connections: Any, contact: dict[str, Any]) -> None:
        if not isinstance(connections, list):
            if connections is not None:
                self.notice(("cv", "custom_connections"), "expected a list; not imported")
            return
        for index, item in enumerate(connections):
            text = _text(item.get("placeholder")) if isinstance(item, dict) else ""
            url = _text(item.get("url")) if isinstance(item, dict) else ""
            if not text and not url:
                where = ("cv", "custom_connections", index)
                self.notice(where, "expected a placeholder or a url; not imported")
                continue
            scholar = _SCHOLAR.search(url)
            if scholar and not contact.get("google_scholar"):
                contact["google_scholar"] = scholar.group(1)
            elif url.startswith("tel:") and not contact.get("phone"):
                contact["phone"] = url.removeprefix("tel:")
            else:
                contact["profiles"].append({"network": text or url, "url": url})

    def _photo(self, photo: str) -> None:
        if not photo:
            return
        from cv.files import read_bounded

        folder = self.base_dir.resolve() if self.base_dir else None
        path = (folder / photo).resolve() if folder and "://" not in photo else None
        suffix = path.suffix.lower() if path else ""
        if (
            path
            and folder
            and path.is_relative_to(folder)  # a photo beside the file, not any file of the disk
            and path.is_file()
            and suffix in (".jpg", ".jpeg", ".png", ".webp")
        ):
            self.files[f"photo{suffix}"] = read_bounded(path, _MAX_PHOTO, "a photo")
            self.record["photo"] = f"photo{suffix}"
            return
        self.notice(
            ("cv", "photo"),
            f"photo {photo!r} is not a JPEG, PNG or WebP file beside the input; not imported "
            "(put the image in the data folder and set `photo:`)",
        )

    # --- sections -----------------------------------------------------------------------------

    def _section(self, key: str, entries: Any, path: Path_) -> None:
        title = " ".join(section_title(key).split()) or "Untitled"
        if entries is None or entries == []:
            if self.line(path)[0] not in self.problem_lines:  # else a warning says why
                self.notice(path, "empty section; nothing to import", "note")
            return
        if isinstance(entries, (str, dict)):
            self.notice(path, "expected a list of entries; read as a list of one")
            entries = [entries]
        if not isinstance(entries, list):
            self.notice(path, f"expected a list of entries, got {_text(entries)!r}; not imported")
            return
        items: list[Item] = []
        for index, entry in enumerate(entries):
            where: Path_ = (*path, index)
            found = entry_type(entry)
            if found is None:
                text = _describe(entry)
                if not text:
                    if entry is not None and self.line(where)[0] not in self.problem_lines:
                        self.notice(where, "an empty entry; nothing to import")
                    continue
                fields = ", ".join(map(str, entry)) if isinstance(entry, dict) else _kind(entry)
                self.notice(where, f"an entry of no RenderCV type ({fields}); kept as a line")
                found, entry = "TextEntry", text
            if found == "PublicationEntry":
                self._publication(where, entry)
                if title not in self.publication_titles:
                    self.publication_titles.append(title)
                    self._place("publications", title)
                continue
            items.append((where, found, entry))
        if items:
            self._entries(title, items, path)

    def _order_keys(self) -> list[str]:
        return [item if isinstance(item, str) else next(iter(item)) for item in self.order]

    def _place(self, key: str, title: str) -> None:
        if key in self._order_keys():
            return
        kind = BUILT_IN.get(key)
        self.order.append(key if kind is None or kind.title == title else {key: {"title": title}})

    def _entries(self, title: str, items: list[Item], path: Path_) -> None:
        key = _section_of(title)
        if key == "about" or (key is None and _INTERESTS.search(title)):
            if self._about(title, items):
                return
            key = "about"
        place = place_of(key, BUILT_IN[key].model) if key else None
        this = key == "publications" and title in self.publication_titles  # its own papers
        if key and key in self._order_keys() and not this:
            self.notice(
                path,
                f"the record has one {BUILT_IN[key].title} section, taken by an earlier one; "
                f"'{title}' is kept as a section of your own",
                "note",
            )
        elif key and place:
            converted, problems, said = [], [], len(self.notices)
            for where, kind_name, entry in items:
                try:
                    converted.append(self._fit(key, place, title, where, kind_name, entry))
                except _NoFit as error:
                    problems.append((where, str(error)))
            if not problems:
                self.record[key] = converted
                self._place(key, title)
                return
            del self.notices[said:]  # the section of one's own says them again
            for where, reason in problems:
                self.notice(
                    where,
                    f"not understood as an entry of {BUILT_IN[key].title} ({reason}); "
                    f"'{title}' is kept as a section of your own",
                )
        elif key:  # about and publications take only their own entry types
            types = ", ".join(sorted({kind for _, kind, _ in items}))
            self.notice(
                path,
                f"the record's {BUILT_IN[key].title} takes no {types}; '{title}' is kept as a "
                "section of your own",
            )
        self._custom(title, items)

    def _about(self, title: str, items: list[Item]) -> bool:
        """Text entries -> about; one-line entries and bullets -> interests. False: neither."""
        kinds = {kind for _, kind, _ in items}
        if kinds == {"TextEntry"} and not self.about:
            self.about += [_text(entry) for _, _, entry in items]
        elif kinds <= {"OneLineEntry", *_LINES} and not self.interests:
            for _, kind, entry in items:
                if kind == "OneLineEntry":
                    label, details = _text(entry.get("label")), _text(entry.get("details"))
                    self.interests.append(
                        {"title": label, "details": details} if label else details
                    )
                else:
                    self.interests.append(_text(entry.get(_LINES[kind])))
        else:
            return False
        self._place("about", title)
        return True

    # --- one entry into one of the record's sections ------------------------------------------

    def _fit(
        self, key: str, place: Place, title: str, where: Path_, kind_name: str, entry: Any
    ) -> dict[str, Any]:
        schema = BUILT_IN[key].model
        assert schema is not None  # a section with a place has entries
        shape = next((s for s in place.shapes if s.entry_type == kind_name), None)
        if shape is not None:
            item = self._shaped(shape, schema, where, entry)
        elif place.line and kind_name in ("TextEntry", "OneLineEntry", *_LINES):
            shape = place.shapes[0]
            item = self._line(place, schema, kind_name, entry)
        else:
            raise _NoFit(f"a {kind_name} has no place there")
        return _validated(schema, shape, title, item)

    def _shaped(
        self, shape: Shape, schema: type[BaseModel], where: Path_, entry: dict[str, Any]
    ) -> dict[str, Any]:
        known = ENTRY_FIELDS[shape.entry_type]
        entry = self._known_fields(entry, known, where, shape.entry_type)
        item: dict[str, Any] = {}
        details: list[str] = []
        for target, name in shape.fields.items():
            text = _text(entry.pop(target, None))
            if text:
                item[name] = split_top(text) if _is_list(schema, name) else text
        if shape.swap:
            first, second = (shape.fields[name] for name in shape.swap)
            if not item.get(second) and item.get(first):
                item[second] = item.pop(first)
        if shape.link:
            main = shape.fields[shape.link]
            found = markdown_link(item[main]) if isinstance(item.get(main), str) else None
            if found:
                item[main], item["url"] = found
        one = shape.dates not in (None, "period", "either")
        required = one and schema.model_fields[str(shape.dates)].is_required()
        self._dates(shape.dates, entry, item, details, where, required)
        highlights = entry.pop("highlights", None)
        summary = _text(entry.pop("summary", None))
        if summary:
            details.append(summary)
        for name, value in entry.items():  # RenderCV fields the shape has no place for, and the
            if _text(value):  # fields of no RenderCV type (a notice said so)
                details.append(f"{_label(name) if name in known else name}: {_text(value)}")
        details += self._labels(shape, schema, highlights, item, (*where, "highlights"))
        if details:
            item["details"] = details
        return item

    def _known_fields(
        self, entry: dict[str, Any], known: Sequence[str], where: Path_, type_name: str
    ) -> dict[str, Any]:
        """The entry with misspelt fields read as the field meant, and a notice for the rest."""
        out: dict[str, Any] = {}
        for key, value in entry.items():
            name = str(key)
            if name in known or value is None:
                out[name] = value
                continue
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.8)
            is_text = not isinstance(value, (dict, list)) or (
                isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value)
            )
            if close and close[0] not in entry:
                message = f"'{name}' is not a field of {type_name}; read as '{close[0]}'"
                out[close[0]] = value
            elif is_text:
                message = f"'{name}' is not a field of {type_name}; kept as a detail line"
                out[name] = ", ".join(map(_text, value)) if isinstance(value, list) else value
            else:
                message = f"'{name}' is not a field of {type_name}; not imported"
            self.notice((*where, name), message)
        return out

    def _labels(
        self,
        shape: Shape,
        schema: type[BaseModel],
        highlights: Any,
        item: dict[str, Any],
        where: Path_,
    ) -> list[str]:
        """Highlights -> the fields their labels name (``Advisor: X``), and the details left."""
        if highlights is None:
            return []
        labels = {
            text.casefold(): label
            for label in shape.labels
            if label.read
            for text in (label.text, *label.aliases)
        }
        details = []
        for index, highlight in enumerate(
            highlights if isinstance(highlights, list) else [highlights]
        ):
            text = _text(highlight)
            if not text:
                if highlight is not None:
                    self.notice((*where, index), "not text; not imported")
                continue
            label, value = _label_of(text, labels)
            if label is None or item.get(label.field):
                details.append(text)
                continue
            if label.url:
                found = markdown_link(value)
                if found:
                    value, item[label.url] = found
            item[label.field] = split_top(value) if _is_list(schema, label.field) else value
        return details

    def _line(
        self, place: Place, schema: type[BaseModel], kind_name: str, entry: Any
    ) -> dict[str, Any]:
        """A one-line entry (a bullet, a numbered line, a text): its text, link and date."""
        assert place.line is not None
        shape = place.shapes[0]
        written = None
        if kind_name == "TextEntry":
            text = _text(entry)
        elif kind_name == "OneLineEntry":
            label, details = _text(entry.get("label")), _text(entry.get("details"))
            if normalize_date(label) and details:
                written, text = label, details
            else:
                text = f"{label}: {details}" if label and details else label or details
        else:
            text = _text(entry.get(_LINES[kind_name]))
        item: dict[str, Any] = {}
        found = markdown_link(text)
        if found and shape.link:
            text, item["url"] = found
        period = shape.dates in ("period", "either")
        one = None if period or shape.dates is None else shape.dates
        split: tuple[str | None, str | None, str] | None = None
        if written:
            split = (normalize_date(written), None, text)
        elif one or period:
            split = split_date_prefix(text) or split_date_suffix(text)
        if split and split[2]:
            start, end, rest = split
            if rest.count("(") != rest.count(")"):  # "Fellow ($10K, 2021)": the date, not cut
                rest, end = text, end or start
            if period:
                item["start"], item["end"] = (start, end) if end else (None, start)
                text = rest
            elif one:
                item[one] = start
                text = rest if end is None else text  # a period stays written in the text
        elif one and schema.model_fields[one].is_required():
            year = _YEAR.search(plain(text))
            if year:  # "Fellow, NOAA (2024, $2.5K)": the year, and the text as written
                item[one] = year.group()
        item[place.line] = text
        return item

    def _dates(
        self,
        dates: str | None,
        entry: dict[str, Any],
        item: dict[str, Any],
        details: list[str],
        where: Path_,
        required: bool = False,
    ) -> None:
        """RenderCV's ``date``, ``start_date`` and ``end_date`` -> the entry's dates.

        Raises:
            _NoFit: When the entry has a period or several dates where one date is taken, or
                no date where one is ``required``.
        """
        written = {
            name: _text(entry.pop(name, None)) for name in ("date", "start_date", "end_date")
        }
        if not any(written.values()):
            return
        if dates is None:
            details.insert(0, written["date"] or " – ".join(_present(written)))
            return
        start = self._date(written["start_date"], (*where, "start_date"), details)
        end = self._date(written["end_date"], (*where, "end_date"), details)
        single = written["date"]
        if dates in ("period", "either"):
            if single and (start or end):
                details.insert(0, single)
            elif single and dates == "either" and normalize_date(single):
                item["date"] = normalize_date(single)
            elif single:
                start, end = self._period(single, (*where, "date"), details)
            item["start"], item["end"] = start, end
            return
        if not single:
            if start and end:
                raise _NoFit(f"{start} – {end} is a period; the entries here take one date")
            single = start or end or ""
        elif start or end:
            details.insert(0, " – ".join(value for value in (start, end) if value))
        date = normalize_date(single)
        if date is None and split_date_prefix(single):
            raise _NoFit(f"{single!r} is more than one date; the entries here take one")
        if date is None and required:
            raise _NoFit(f"{single!r} is not a date")
        if date is None:
            self.notice((*where, "date"), f"{single!r} is not a date; kept as a detail line")
            details.insert(0, single)
        item[dates] = date

    def _date(self, text: str, where: Path_, details: list[str]) -> str | None:
        if not text:
            return None
        date = normalize_date(text)
        if date is None:
            self.notice(
                where,
                f"{text!r} is not a date (expected YYYY-MM-DD, YYYY-MM, YYYY or "
                "present); kept as a detail line",
            )
            details.insert(0, text)
        return date

    def _period(self, text: str, where: Path_, details: list[str]) -> tuple[str | None, str | None]:
        """A free-text ``date`` -> a period: ``2016 - 2019``, ``Fall 2023``, ``2021``."""
        split = split_date_prefix(text)
        if split is None:
            self.notice(where, f"{text!r} is not a date; kept as a detail line")
            details.insert(0, text)
            return None, None
        start, end, rest = split
        if rest:
            self.notice(where, f"{text!r} is not one date or period; kept as a detail line too")
            details.insert(0, text)
        return (start, end) if end else (None, start)

    # --- sections of the user's own ------------------------------------------------------------

    def _custom(self, title: str, items: list[Item]) -> None:
        from cv.model import MAX_CUSTOM

        entries = [e for e in (self._custom_entry(*item) for item in items) if e is not None]
        if not entries:
            return
        if len(self.custom) >= MAX_CUSTOM:
            self.notice(
                items[0][0][:-1],
                f"the record takes at most {MAX_CUSTOM} sections of your own; '{title}' is kept "
                "as text in `about`",
            )
            self.kept += [f"**{title}**", "", *(f"- {e['title']}" for e in entries), ""]
            return
        base = _slug(title)
        base = base if re.fullmatch(KEY_PATTERN, base) else f"section_{base}".strip("_")
        key, number = base, 2
        while key in BUILT_IN or key in self.custom:
            key, number = f"{base}_{number}", number + 1
        self.custom[key] = {"title": title, "entries": entries}
        self.order.append(key)

    def _custom_entry(self, where: Path_, kind_name: str, entry: Any) -> dict[str, Any] | None:
        """Any entry as a generic one: a title, a subtitle, dates, a location, details."""
        item: dict[str, Any] = {}
        if kind_name == "TextEntry" or kind_name in _LINES:
            text = _text(entry) if kind_name == "TextEntry" else _text(entry.get(_LINES[kind_name]))
            found = markdown_link(text)
            item["title"], item["url"] = found if found else (text, None)
        else:
            title_field, subtitle_field = _CUSTOM_FIELDS[kind_name]
            entry = self._known_fields(entry, ENTRY_FIELDS[kind_name], where, kind_name)
            details: list[str] = []
            if kind_name == "EducationEntry":
                degree, area = _text(entry.pop("degree", None)), _text(entry.pop("area", None))
                item["subtitle"] = f"{degree} in {area}" if degree and area else degree or area
            found = markdown_link(_text(entry.get(title_field)))
            item["title"], item["url"] = found if found else (_text(entry.get(title_field)), None)
            entry.pop(title_field, None)
            if subtitle_field:
                item["subtitle"] = _text(entry.pop(subtitle_field, None))
            item["location"] = _text(entry.pop("location", None))
            self._dates("either", entry, item, details, where)
            highlights = entry.pop("highlights", None)
            if _text(entry.get("summary")):
                details.append(_text(entry.pop("summary")))
            for name, value in entry.items():
                if _text(value):
                    details.append(f"{_label(name)}: {_text(value)}")
            highlights = highlights if isinstance(highlights, list) else [highlights]
            details += [_text(h) for h in highlights if _text(h)]
            item["details"] = details
            if not item["title"]:  # a one-line entry without a label, an education without
                item["title"] = item.pop("subtitle", None) or (details.pop(0) if details else "")
        item = {name: value for name, value in item.items() if value not in (None, "", [])}
        try:
            CustomEntry.model_validate(item)
        except ValidationError as error:
            detail = error.errors()[0]
            field = ".".join(str(part) for part in detail["loc"])
            self.notice(
                where, f"not understood ({field}: {detail['msg']}); kept as text in `about`"
            )
            text = _describe(entry)
            if text:
                self.kept.append(f"- {text}")
            return None
        return item

    # --- publications ---------------------------------------------------------------------------

    def _publication(self, where: Path_, entry: dict[str, Any]) -> None:
        known = ENTRY_FIELDS["PublicationEntry"]
        entry = self._known_fields(entry, known, where, "PublicationEntry")
        title = plain(_text(entry.get("title")))
        if not title:
            self.notice(where, "a publication without a title; not imported")
            return
        authors = self._authors(entry.get("authors"))
        venue = plain(_text(entry.get("journal")))
        written = _text(entry.get("date"))
        date = normalize_date(written) if written else None
        year = month = None
        if date:
            parsed = parse_date(date)
            year, month = parsed.year, parsed.month
        elif written:
            self.notice((*where, "date"), f"{written!r} is not a date; kept as a note")
        entry_type_, venue_field = _publication_type(venue)
        fields = {"title": bibtex_escape(title)}
        if authors:
            fields["author"] = " and ".join(authors)
        if venue:
            fields[venue_field] = bibtex_escape(venue)
        if year:
            fields["year"] = str(year)
        if month:
            fields["month"] = str(month)
        for name in ("doi", "url"):
            if _text(entry.get(name)):
                fields[name] = bibtex_field(name, _text(entry.get(name)))
        notes = [_text(entry.get("summary")), "" if date else written]
        notes += [f"{k}: {_text(v)}" for k, v in entry.items() if k not in known and _text(v)]
        if any(notes):
            fields["annotation"] = bibtex_escape("; ".join(note for note in notes if note))
        first = next((a for a in authors if a != "others"), self.record.get("name", "anon"))
        key = make_key(first.replace("\\", ""), year, title, self.keys)
        self.entries.append(BibEntry(entry_type_, key, fields))

    def _authors(self, value: Any) -> list[str]:
        """RenderCV's authors (``**Owner**``, ``Name*``) -> BibTeX names with their marks."""
        authors: list[str] = []
        for written in value if isinstance(value, list) else split_top(_text(value)):
            text = _text(written)
            bold = "**" in text or "__" in text
            while (emphasis := _EMPHASIS.fullmatch(text)) is not None:
                text = emphasis.group(2).strip()
            marks_at = _MARKS.search(text)
            marks = marks_at.group().replace("\\", "") if marks_at else ""
            name = plain(text[: marks_at.start()] if marks_at else text).strip(" ,")
            if name.lower().rstrip(".") in ("et al", "others", "", "…", "..."):
                if name:
                    authors.append("others")
                continue
            if bold:
                self.owners.append(name)
            authors.append(bibtex_escape(name) + marks)
        return authors

    # --- the record -----------------------------------------------------------------------------

    def _finish(self) -> Imported:
        from cv.names import derive_highlight

        about = "\n\n".join(self.about)
        if self.kept:
            about += "\n\n**Kept from the RenderCV file**\n\n" + "\n".join(self.kept)
        self.record["about"] = about.strip()
        self.record["interests"] = self.interests
        self.record["custom"] = self.custom
        if len(self.publication_titles) > 1:  # merged: the CV groups them by type
            self.notice(
                ("cv", "sections"),
                f"{', '.join(repr(t) for t in self.publication_titles)} are merged into the "
                "publications, which the CV groups by type",
                "note",
            )
            self.order = [
                "publications" if k == "publications" else item
                for item, k in zip(self.order, self._order_keys(), strict=True)
            ]
        if self.order:
            self.record["sections"] = self.order
        options: dict[str, Any] = {"bibtex": ["publications.bib"]}
        unmatched = _unmatched(self.owners, derive_highlight(self.record["name"]))
        if unmatched:
            options["highlight"] = [self.record["name"], *unmatched]
        self.record["publications"] = options
        return Imported(
            clean_record(self.record), self.entries, self.notices, self.files, self.source
        )


_CUSTOM_FIELDS: dict[str, tuple[str, str | None]] = {
    "OneLineEntry": ("label", "details"),
    "NormalEntry": ("name", "summary"),
    "ExperienceEntry": ("position", "company"),
    "EducationEntry": ("institution", None),
}
"""An entry type's title and subtitle fields, as an entry of a section of one's own."""
_MAX_PHOTO = 20_000_000
_SCHOLAR = re.compile(r"scholar\.google\.[a-z.]+/citations\?(?:.*&)?user=([\w-]+)")
_CONFERENCES = re.compile(
    r"\b(?:NeurIPS|NIPS|ICML|ICLR|CVPR|ICCV|ECCV|AAAI|IJCAI|ACL|EMNLP|NAACL|KDD|SIGGRAPH|CHI|WWW"
    r"|SIGIR|ICRA|IROS|CoRL|MICCAI|Interspeech|ICASSP|USENIX|OSDI|SOSP|NSDI|SIGCOMM|ISCA|ASPLOS"
    r"|PLDI|POPL|FOCS|STOC|SODA|UAI|AISTATS|COLT)\b"
)


def _validated(
    schema: type[BaseModel], shape: Shape, title: str, item: dict[str, Any]
) -> dict[str, Any]:
    """The item, valid for the section's model (a field the title gives filled from it)."""
    item = {name: value for name, value in item.items() if value not in (None, "", [])}
    try:
        schema.model_validate(item)
        return item
    except ValidationError as error:
        detail = error.errors()[0]
        field = str(detail["loc"][0]) if detail["loc"] else ""
        if field in shape.title_fills:
            filled = _from_title(schema, field, title, item)
            if filled is not None:
                return filled
        raise _NoFit(f"{field or 'entry'}: {detail['msg']}") from None


def _from_title(
    schema: type[BaseModel], field: str, title: str, item: dict[str, Any]
) -> dict[str, Any] | None:
    """The item with ``field`` taken from a word of the section's title ("PhD Advisees")."""
    for word in re.findall(r"[\w.-]+", title):
        candidate = {**item, field: word}
        if item.get(field):  # what the entry said there, kept as a detail
            candidate["details"] = [str(item[field]), *item.get("details", [])]
        try:
            schema.model_validate(candidate)
            return candidate
        except ValidationError:
            continue
    return None


def _label_of(text: str, labels: dict[str, Label]) -> tuple[Label | None, str]:
    """The label a highlight starts with (``Advisor: X``, ``[Video](url)``), and its value."""
    found = markdown_link(text)
    if found and found[0].casefold() in labels and labels[found[0].casefold()].link:
        return labels[found[0].casefold()], found[1]
    match = _LABELLED.match(text)
    if match:
        label = labels.get(match.group(1).strip().casefold())
        if label is not None and not label.link:
            return label, match.group(2).strip()
    return None, text


def _publication_type(venue: str) -> tuple[str, str]:
    """The BibTeX entry type of a venue, and the field it goes in."""
    if not venue or VENUE_PREPRINT.search(venue) or VENUE_THESIS.search(venue):
        return "misc", "howpublished"
    if VENUE_JOURNAL.search(venue):
        return "article", "journal"
    if VENUE_CONFERENCE.search(venue) or _CONFERENCES.search(venue):
        return "inproceedings", "booktitle"
    return "article", "journal"


def _unmatched(owners: Sequence[str], variants: list[str]) -> list[str]:
    """The names set in bold among the authors that the record's name does not match."""
    from cv.names import InvalidNameError, OwnerMatcher, parse_name

    matcher = OwnerMatcher(variants)
    unmatched = []
    for name in dict.fromkeys(owners):
        try:
            person = parse_name(name)
        except (InvalidNameError, ValueError):
            continue
        if not matcher.matches(person.first, person.last):
            unmatched.append(name)
    return unmatched


def _is_list(schema: type[BaseModel], field: str) -> bool:
    """Whether the entry field is a list of texts (investigators, venues, keywords)."""
    info = schema.model_fields.get(field)
    return (
        info is not None
        and typing.get_origin(info.annotation) is list
        and (typing.get_args(info.annotation) == (str,))
    )


def _section_of(title: str) -> str | None:
    """The record's section a RenderCV section's title names, if any."""
    words = [title, *(word for pattern, word in _SYNONYMS if pattern.search(title))]
    return next(
        (key for key, pattern in _TITLES if any(pattern.search(word) for word in words)), None
    )


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _present(written: dict[str, str]) -> list[str]:
    return [value for value in (written["start_date"], written["end_date"]) if value]


def _kind(value: Any) -> str:
    names: dict[type, str] = {dict: "a mapping", list: "a list", str: "text"}
    return names.get(type(value), type(value).__name__)


def _describe(entry: Any) -> str:
    """A one-line summary of an entry of no known type, for text kept elsewhere."""
    if isinstance(entry, dict):
        return "; ".join(part for part in (_describe(value) for value in entry.values()) if part)
    if isinstance(entry, list):
        return ", ".join(part for part in (_describe(value) for value in entry) if part)
    return _text(entry)
