"""What the importers produce and how it is written: notices, cv.yaml, BibTeX, the out folder."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml
from pydantic import BaseModel

from cv.dates import Date, parse_date
from cv.errors import CVError, Problem

if TYPE_CHECKING:  # cv.model's sections read Markdown with this package's helpers
    from cv.model import Record

__all__ = [
    "BibEntry",
    "Imported",
    "Notice",
    "bibtex_escape",
    "dump_bibtex",
    "dump_record",
    "make_key",
    "normalize_date",
    "read_raw_bibtex",
    "record_form",
    "write_import",
]


@dataclass(frozen=True)
class Notice:
    """Something the user should know about an import or export.

    Attributes:
        message: What happened, quoting the text concerned.
        line: The 1-based line of the input it is about, when the input has lines.
        where: A path inside a JSON document (``work[2].startDate``), for JSON input.
        level: ``warning`` (something was not understood or not kept) or ``note`` (skipped on
            purpose, such as the template's Lorem ipsum).
        file: The file it is about when that is not the input itself (a file the page
            includes), as the site names it.
    """

    message: str
    line: int | None = None
    where: str | None = None
    level: Literal["warning", "note"] = "warning"
    file: str | None = None

    def format(self, file: str) -> str:
        """``warning: about.md:12: message``."""
        location = self.file or file
        if self.line is not None:
            location += f":{self.line}"
        if self.where:
            location += f": {self.where}"
        return f"{self.level}: {location}: {self.message}"


@dataclass(frozen=True)
class BibEntry:
    """One BibTeX entry to write: type, key and fields as BibTeX source (already escaped)."""

    entry_type: str
    key: str
    fields: dict[str, str]


@dataclass
class Imported:
    """The result of an import: the record (valid cv.yaml data), its entries and notices."""

    record: dict[str, Any]
    entries: list[BibEntry] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    source: str = ""

    def counts(self) -> dict[str, int]:
        """How many items each list section of the record has (custom ones and the
        publications too)."""
        counts = {
            key: len(value)
            for key, value in self.record.items()
            if isinstance(value, list) and key not in ("interests", "sections")
        }
        custom = self.record.get("custom")
        for key, section in (custom if isinstance(custom, dict) else {}).items():
            entries = section.get("entries") if isinstance(section, dict) else None
            counts[key] = len(entries) if isinstance(entries, list) else 0
        counts["publications"] = len(self.entries)
        return counts


# --- cv.yaml --------------------------------------------------------------------------------


def _prune(value: Any) -> Any:
    """Drop None, empty strings, empty lists and empty mappings, recursively."""
    if isinstance(value, dict):
        pruned = {key: _prune(item) for key, item in value.items()}
        return {key: item for key, item in pruned.items() if item not in (None, "", [], {})}
    if isinstance(value, list):
        return [item for item in (_prune(item) for item in value) if item not in (None, "", [], {})]
    return value


def clean_record(data: dict[str, Any]) -> dict[str, Any]:
    """The record without empty values, validated against the model.

    Raises:
        pydantic.ValidationError: When the importer built something the model rejects (a bug:
            every item is validated as it is built).
    """
    from cv.model import Record

    data = _prune(data)
    Record.model_validate(data)
    return data


class _Dumper(yaml.SafeDumper):
    """Safe YAML, with text of several lines as ``|`` blocks."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value.strip() else None
    return dumper.represent_scalar(
        "tag:yaml.org,2002:str", value.strip() if style else value, style=style
    )


_Dumper.add_representer(str, _text)


def dump_record(data: dict[str, Any], header: str = "") -> str:
    """The record as cv.yaml text, keys in the model's order."""
    from cv.model import Record

    order = list(Record.model_fields)
    ordered = {key: data[key] for key in order if key in data}
    text = yaml.dump(
        ordered, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2
    )
    comment = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    return comment + ("\n" if comment else "") + text


def record_form(value: Any) -> Any:
    """A model as cv.yaml would write it: dates as written, defaults left out."""
    if isinstance(value, Date):
        return value.text
    if isinstance(value, BaseModel):
        out = {}
        for name, info in type(value).model_fields.items():
            item = getattr(value, name)
            if item in (None, [], {}) or item == info.get_default(call_default_factory=True):
                continue
            out[name] = record_form(item)
        return out
    if isinstance(value, list):
        return [record_form(item) for item in value]
    if isinstance(value, dict):
        return {key: record_form(item) for key, item in value.items()}
    return value


# --- dates ------------------------------------------------------------------------------------

_NUMERIC = re.compile(r"\d{1,4}(?:[./-]\d{1,4}){0,2}")
_TERM_WORDS = re.compile(r"\s+(?:semester|term|quarter|session)\b", re.I)


def normalize_date(text: str) -> str | None:
    """An academic date in the record's preferred spelling, or None if it is not a date.

    ``2024.01`` and ``01/2024`` become ``2024-01``; ``2023 Spring Semester`` becomes
    ``Spring 2023``; ``now`` becomes ``present``; other accepted forms stay as written.
    """
    text = " ".join(_TERM_WORDS.sub("", text.strip().strip("()")).split())
    if re.fullmatch(r"\d{4}[./]\d{1,2}[./]\d{1,2}", text):
        text = re.sub(r"[./]", "-", text)
    try:
        date = parse_date(text)
    except ValueError:
        return None
    if date.is_present:
        return "present"
    academic = re.fullmatch(r"(\d{4})[/-](\d{2})", text)
    if academic and int(academic.group(2)) == (int(academic.group(1)) + 1) % 100:
        return text
    if _NUMERIC.fullmatch(text):
        return _numeric(date)
    term = re.fullmatch(r"(\d{4})\s+(spring|summer|fall|autumn|winter)", text, re.I)
    if term:
        return f"{term.group(2).capitalize()} {term.group(1)}"
    return text


def iso_date(text: str | None) -> str | None:
    """A record date as JSON Resume's ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (None for present)."""
    if not text:
        return None
    try:
        date = parse_date(text)
    except ValueError:
        return None
    if date.year is None:
        return None
    return _numeric(date)


def _numeric(date: Date) -> str:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, as precise as the date (which has a year)."""
    parts = [f"{date.year:04d}"]
    if date.month:
        parts.append(f"{date.month:02d}")
        if date.day:
            parts.append(f"{date.day:02d}")
    return "-".join(parts)


# --- BibTeX -----------------------------------------------------------------------------------

_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_URL_FIELDS = {
    "url",
    "pdf",
    "code",
    "html",
    "slides",
    "poster",
    "video",
    "website",
    "blog",
    "supp",
    "preview",
    "doi",
    "arxiv",
    "google_scholar_id",
}


def bibtex_escape(text: str) -> str:
    """Plain text -> a BibTeX value that decodes back to the same text."""
    return "".join(_LATEX_SPECIAL.get(char, char) for char in text)


def bibtex_url(url: str) -> str:
    """A URL as a BibTeX value: only braces (which would unbalance the value) are encoded."""
    return url.strip().replace("{", "%7B").replace("}", "%7D").replace("\\", "%5C")


def bibtex_field(name: str, text: str) -> str:
    """Escape plain text for field ``name`` (URLs and identifiers are kept as written)."""
    return bibtex_url(text) if name in _URL_FIELDS else bibtex_escape(text)


def _balanced(value: str) -> str:
    depth = 0
    for char in re.sub(r"\\[{}]", "", value):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            break
    if depth == 0:
        return value
    return (
        value.replace("\\{", "\0")
        .replace("\\}", "\1")
        .replace("{", "\\{")
        .replace("}", "\\}")
        .replace("\0", "\\{")
        .replace("\1", "\\}")
    )


def dump_bibtex(entries: Sequence[BibEntry], header: str = "") -> str:
    """BibTeX source for the entries, one field a line, values in braces."""
    lines = [f"% {line}".rstrip() for line in header.splitlines()]
    for entry in entries:
        if lines:
            lines.append("")
        lines.append(f"@{entry.entry_type}{{{entry.key},")
        width = max((len(name) for name in entry.fields), default=0)
        items = [(name, value) for name, value in entry.fields.items() if value.strip()]
        for index, (name, value) in enumerate(items):
            comma = "," if index < len(items) - 1 else ""
            lines.append(f"  {name:<{width}} = {{{_balanced(value)}}}{comma}")
        lines.append("}")
    return "\n".join(lines) + "\n"


_KEY_STOP = {"a", "an", "the", "on", "of", "for", "and", "in", "to", "with", "towards", "toward"}


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def make_key(first_author: str, year: int | str | None, title: str, taken: set[str]) -> str:
    """A citation key like ``tang2024fedimpro``, unique among ``taken`` (which it joins)."""
    surname = (
        first_author.replace(",", " ").split()[-1]
        if "," not in first_author
        else first_author.split(",")[0]
    )
    words = [_ascii_word(word) for word in re.split(r"[\s:/-]+", title)]
    word = next((w for w in words if w and w not in _KEY_STOP), "")
    base = f"{_ascii_word(surname) or 'anon'}{year or ''}{word}" or "entry"
    key = base
    suffix = ord("a")
    while key.casefold() in taken:
        key = f"{base}{chr(suffix)}"
        suffix += 1
    taken.add(key.casefold())
    return key


# Reading .bib files back as raw fields (for a lossless JSON Resume export).


def read_raw_bibtex(paths: Iterable[Path]) -> dict[str, tuple[str, dict[str, str]]]:
    """Entry type and LaTeX field values of every entry, by lower-cased key.

    ``@string`` macros and ``#`` are resolved and ``crossref`` fields are merged in
    (:func:`cv.bibtex.read_entries`), so each entry stands on its own.
    """
    from cv.bibtex import read_entries

    entries, _targets = read_entries(list(paths))
    raw = {}
    for entry in entries:
        fields = {name: value for name, value in entry.fields.items() if name != "crossref"}
        raw[entry.key.casefold()] = (entry.entry_type.lower(), fields)
    return raw


# --- writing ----------------------------------------------------------------------------------


def write_import(
    imported: Imported,
    out_dir: Path,
    *,
    force: bool = False,
    record_header: str = "",
    bib_header: str = "",
) -> list[Path]:
    """Write cv.yaml, publications.bib (and copied files) into ``out_dir``.

    Raises:
        CVError: When a file to write already exists and ``force`` is not set; nothing is
            written then.
    """
    files = {
        "cv.yaml": dump_record(imported.record, record_header).encode("utf-8"),
        "publications.bib": dump_bibtex(imported.entries, bib_header).encode("utf-8"),
        **imported.files,
    }
    if not force:
        existing = [out_dir / name for name in files if (out_dir / name).exists()]
        if existing:
            raise CVError(
                Problem("already exists; pass --force to overwrite it", path) for path in existing
            )
    from cv.builder import write_atomically

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in files.items():
        path = out_dir / name
        write_atomically(path, data)
        written.append(path)
    return written


def load_for_export(
    data_dir: Path,
) -> tuple[Record, list[Any], dict[str, tuple[str, dict[str, str]]]]:
    """The record, its publications (every author kept) and their raw BibTeX fields.

    Raises:
        CVError: For any problem in the record or its .bib files.
    """
    from cv.bibliography import load_bibliography
    from cv.loader import load_record
    from cv.names import owner_names

    source = load_record(data_dir)
    record = source.record
    options = record.publications
    highlight = owner_names(record)
    paths = [data_dir / name for name in options.bibtex]
    publications = load_bibliography(paths, highlight=highlight, max_authors=0)
    return record, publications, read_raw_bibtex(paths)
