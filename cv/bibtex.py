"""Reading .bib files into raw entries: splitting, ``@string`` macros, ``#``, crossref, keys.

bibtexparser splits the files into blocks; everything it leaves out is done here, on the raw
values: ``@string`` macros and ``#`` concatenation, month macros, ``crossref`` inheritance,
duplicate keys across files and in any case, and limits on what a file may hold. Nothing here
decodes LaTeX: :mod:`cv.bibliography` decodes only the fields a CV shows.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    ParsingFailedBlock,
    String,
)

from cv.errors import CVError, Problem

# Where a value is: file, its lines, 1-based line, and the text to find the column by. Columns
# are only computed for messages, as finding them for every field would cost more than parsing.
_Spot = tuple[Path, list[str], int, str]


def _locate(spot: _Spot) -> tuple[Path, int, int]:
    """File, line and column of a spot."""
    path, lines, line, needle = spot
    column = 1
    if 1 <= line <= len(lines):
        text = lines[line - 1]
        found = text.find(needle)
        if found < 0:
            found = text.lower().find(needle.lower())
        column = found + 1 if found >= 0 else 1
    return path, line, column


@dataclass
class RawEntry:
    """An entry between splitting and building: raw LaTeX values and where each one is."""

    key: str
    entry_type: str
    spot: _Spot
    raw: dict[str, str] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)
    where: dict[str, _Spot] = field(default_factory=dict)

    @property
    def file(self) -> Path:
        return self.spot[0]

    @property
    def line(self) -> int:
        return self.spot[2]

    def at(self, name: str | None = None) -> tuple[Path, int, int]:
        """File, line and column of a field (or of the entry itself)."""
        return _locate(self.where.get(name, self.spot) if name else self.spot)


MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@contextmanager
def _quiet_splitter() -> Iterator[None]:
    """Drop bibtexparser's log lines for broken blocks: each becomes a located Problem."""
    splitter_log = logging.getLogger("bibtexparser.splitter")

    def drop(record: logging.LogRecord) -> bool:
        return record.levelno >= logging.ERROR  # its own bugs still show

    splitter_log.addFilter(drop)
    try:
        yield
    finally:
        splitter_log.removeFilter(drop)


MAX_ENTRIES = 10_000
"""More entries than a publication list has (each is shown in the CV): refused before parsing,
which takes about 0.2 ms an entry, and layout about 7 ms."""
MAX_BYTES = 50_000_000
_ENTRY_HEAD = re.compile(r"^[ \t]*@[ \t]*(?!(?:string|comment|preamble)\b)\w", re.M | re.I)


def _count_entries(path: Path, text: str, room: int, problems: list[Problem]) -> int:
    """The room left for entries after this file's; below 0 (and a Problem) when too many."""
    count = 0
    for count, head in enumerate(_ENTRY_HEAD.finditer(text), start=1):
        if count > room:
            line = text.count("\n", 0, head.start()) + 1
            message = (f"more than {MAX_ENTRIES:,} entries in the .bib files; expected a list of "
                       "publications (each entry is shown in the CV)")  # fmt: skip
            problems.append(Problem(message, path, line, 1))
            return -1
    return room - count


def _read(path: Path, problems: list[Problem]) -> str | None:
    """The text of a .bib file, or None (and a Problem) when it cannot be read."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)
    except FileNotFoundError:
        problems.append(Problem("file not found (expected a .bib file at this path)", path))
        return None
    except OSError as error:
        problems.append(Problem(f"cannot read bibliography file '{path}': {error.strerror}", path))
        return None
    if len(data) > MAX_BYTES:
        message = f"larger than {MAX_BYTES // 1_000_000} MB; expected a list of publications"
        problems.append(Problem(message, path, 1, 1))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        line_start = data.rfind(b"\n", 0, error.start) + 1
        column = len(data[line_start : error.start].decode("utf-8", "replace")) + 1
        byte = data[error.start]
        message = f"byte 0x{byte:02x} is not UTF-8 (expected a UTF-8 encoded .bib file)"
        problems.append(Problem(message, path, line, column, "re-save the file as UTF-8"))
        return None


def _entry_head(raw: str | None) -> str:
    """'@article tang2024' from the raw text of a broken block, for messages."""
    match = re.match(r"@\s*(\w+)\s*[{(]\s*([^,\s]*)", raw or "")
    if not match:
        return "entry"
    return (
        f"@{match.group(1).lower()} entry '{match.group(2)}'"
        if match.group(2)
        else f"@{match.group(1).lower()} entry"
    )


_HYPHENATED_TYPE = re.compile(r"^[ \t]*@\w+(?:-\w+)+(?=[ \t]*[{(])", re.M)


def _parse_file(
    path: Path, text: str, macros: dict[str, str], problems: list[Problem]
) -> list[RawEntry]:
    """Split one file: define its macros, collect its entries, report its broken blocks."""
    # The splitter only knows \w+ entry types: "@proceedings-paper{" would vanish into a
    # comment. Same-length stand-ins keep every line and column where it was.
    text = _HYPHENATED_TYPE.sub(lambda m: m.group().replace("-", "_"), text)
    try:
        with _quiet_splitter():
            library = bibtexparser.parse_string(text, parse_stack=[])
    except Exception as error:  # noqa: BLE001 - the splitter's own bugs must not crash a build
        message = f"cannot parse this file: {error} (expected BibTeX entries)"
        problems.append(Problem(message, path, 1, 1))
        return []
    lines = text.splitlines()
    entries: list[RawEntry] = []
    for block in library.blocks:
        if isinstance(block, DuplicateBlockKeyBlock):
            block = block.ignore_error_block  # we report duplicates ourselves, across files
        if isinstance(block, DuplicateFieldKeyBlock):
            # Every field is kept, repeats too: _raw_entry reports each repeat at its own line.
            block = block.ignore_error_block
        if isinstance(block, String):
            line = (block.start_line or 0) + 1
            where = _locate((path, lines, line, "@"))
            value, undefined = _resolve_value(block.value, macros)
            _report_undefined(undefined, f"@string '{block.key}'", where, problems)
            macros[block.key.lower()] = value
        elif isinstance(block, Entry):
            entries.append(_raw_entry(block, path, lines, problems))
        elif isinstance(block, ParsingFailedBlock):
            line = (block.start_line or 0) + 1
            reason = getattr(block.error, "abort_reason", "") or str(block.error) or "syntax error"
            message = f"cannot parse {_entry_head(block.raw)}: {reason.strip()}"
            hint = "expected @type{key, field = {value}, ...} with balanced braces"
            problems.append(Problem(message, *_locate((path, lines, line, "@")), hint))
    return entries


def _raw_entry(block: Entry, path: Path, lines: list[str], problems: list[Problem]) -> RawEntry:
    line = (block.start_line or 0) + 1
    entry_type = block.entry_type.lower().replace("_", "-")
    entry = RawEntry(block.key.strip(), entry_type, (path, lines, line, "@"))
    for item in block.fields:
        name = item.key.strip().lower()
        field_line = (item.start_line if item.start_line is not None else line - 1) + 1
        where = (path, lines, field_line, item.key.strip())
        if name in entry.raw:
            message = f"entry '{entry.key}' sets field '{name}' twice (expected each field once)"
            problems.append(Problem(message, *_locate(where)))
            continue
        entry.raw[name] = item.value
        entry.where[name] = where
    return entry


# --------------------------------------------------------------------------------------------
# Macros and concatenation

_BRACE = re.compile(r"(?<!\\)[{}]")
_QUOTE_OR_BRACE = re.compile(r'(?<!\\)[{}"]')
_BARE = re.compile(r"[^\s#{}\"]+")
_INNER_DELIMITER = re.compile(r'[{}"\\]')
# Bare words BibTeX would call undefined macros, but that al-folio records write unbraced.
_LITERAL_WORDS = {"true", "false", "yes", "no"}


def _closing(raw: str, start: int, pattern: re.Pattern[str], closer: str) -> int:
    """Index of the delimiter closing the one at ``start`` (or len(raw) when unclosed)."""
    depth = 0
    for match in pattern.finditer(raw, start + 1):
        char = match.group()
        if char == "{":
            depth += 1
        elif char == "}" and depth > 0:
            depth -= 1
        elif char == closer and depth == 0:
            return match.start()
    return len(raw)


def _resolve_value(raw: str, macros: dict[str, str]) -> tuple[str, list[str]]:
    """Resolve a raw field value: strip its delimiters, expand macros, join ``#`` pieces.

    Returns:
        The value, and the names of macros that are not defined (kept as literal text).
    """
    raw = raw.strip()
    if "#" not in raw and len(raw) >= 2:
        inner = raw[1:-1]
        if (raw[0], raw[-1]) in (("{", "}"), ('"', '"')) and not _INNER_DELIMITER.search(inner):
            return inner, []
        if (raw[0], raw[-1]) in (("{", "}"), ('"', '"')):
            closer = "}" if raw[0] == "{" else '"'
            pattern = _BRACE if closer == "}" else _QUOTE_OR_BRACE
            if _closing(raw, 0, pattern, closer) == len(raw) - 1:
                return raw[1:-1], []
    pieces: list[str] = []
    undefined: list[str] = []
    position = 0
    while position < len(raw):
        char = raw[position]
        if char.isspace() or char == "#":
            position += 1
        elif char in '{"':
            pattern = _BRACE if char == "{" else _QUOTE_OR_BRACE
            end = _closing(raw, position, pattern, "}" if char == "{" else '"')
            pieces.append(raw[position + 1 : end])
            position = end + 1
        else:
            match = _BARE.match(raw, position)
            word = match.group() if match else char
            position += len(word)
            if word.isdigit() or (word.lower() in _LITERAL_WORDS and word.lower() not in macros):
                pieces.append(word)
            elif word.lower() in macros:
                pieces.append(macros[word.lower()])
            else:
                undefined.append(word)
                pieces.append(word)
    return "".join(pieces), undefined


def _report_undefined(
    names: list[str], what: str, where: tuple[Path, int, int], problems: list[Problem]
) -> None:
    for name in names:
        message = (
            f"undefined @string macro '{name}' in {what} "
            "(expected a @string definition, or the value in braces)"
        )
        problems.append(Problem(message, *where))


def _resolve_entries(
    entries: list[RawEntry], macros: dict[str, str], problems: list[Problem]
) -> None:
    for entry in entries:
        for name, raw in entry.raw.items():
            value, undefined = _resolve_value(raw, macros)
            if undefined:
                what = f"field '{name}' of entry '{entry.key}'"
                _report_undefined(undefined, what, entry.at(name), problems)
            entry.fields[name] = value


def _unique(entries: list[RawEntry], problems: list[Problem]) -> list[RawEntry]:
    """Entries with a key, first definition of each key (BibTeX keys ignore case)."""
    seen: dict[str, RawEntry] = {}
    for entry in entries:
        if not entry.key:
            message = (
                f"@{entry.entry_type} entry has no key (expected @{entry.entry_type}{{key, ...}})"
            )
            problems.append(Problem(message, *entry.at()))
            continue
        first = seen.setdefault(entry.key.casefold(), entry)
        if first is entry:
            continue
        spelled = "" if first.key == entry.key else f" as '{first.key}'; keys ignore case"
        message = (
            f"duplicate key '{entry.key}' (first defined at {first.file}:{first.line}{spelled})"
        )
        problems.append(Problem(message, *entry.at()))
    return list(seen.values())


_INHERITED = ("year", "month", "date", "publisher", "editor", "address", "organization", "series")


def _apply_crossrefs(entries: list[RawEntry], problems: list[Problem]) -> set[str]:
    """Fill in what entries inherit from their crossref target; return the targets' keys."""
    by_key = {entry.key.casefold(): entry for entry in entries}
    targets: set[str] = set()
    for entry in entries:
        reference = entry.fields.get("crossref", "").strip()
        if not reference:
            continue
        target = by_key.get(reference.casefold())
        if target is None or target is entry:
            message = (
                f"crossref '{reference}' of entry '{entry.key}' not found "
                "(expected the key of another entry)"
            )
            problems.append(Problem(message, *entry.at("crossref")))
            continue
        targets.add(target.key.casefold())
        if "booktitle" not in entry.fields:
            source = "booktitle" if "booktitle" in target.fields else "title"
            if source in target.fields:
                entry.fields["booktitle"] = target.fields[source]
                entry.where["booktitle"] = target.at(source)
        for name in _INHERITED:
            if name not in entry.fields and name in target.fields:
                entry.fields[name] = target.fields[name]
                entry.where[name] = target.at(name)
    return targets


def read_entries(paths: Sequence[Path]) -> tuple[list[RawEntry], set[str]]:
    """Every entry of the files, macros and ``#`` resolved and crossref fields inherited.

    Args:
        paths: The .bib files, in order (a ``@string`` is visible to the files after it).

    Returns:
        The entries in the files' order, and the (case-folded) keys that other entries
        ``crossref``.

    Raises:
        CVError: With every problem of every file, each located at file:line:column.
    """
    problems: list[Problem] = []
    found = collect_entries(paths, problems)
    if problems:
        raise CVError(problems)
    return found


def collect_entries(paths: Sequence[Path], problems: list[Problem]) -> tuple[list[RawEntry], set[str]]:
    """:func:`read_entries`, adding the problems to ``problems`` instead of raising them.

    Raises:
        CVError: Only when the files hold so many entries that parsing them would take minutes.
    """
    macros = {abbr: name for abbr, name in zip(MONTHS, _MONTH_NAMES, strict=True)}
    entries: list[RawEntry] = []
    room = MAX_ENTRIES
    for path in map(Path, paths):
        text = _read(path, problems)
        if text is None:
            continue
        room = _count_entries(path, text, room, problems)
        if room < 0:
            raise CVError(problems)  # parsing them all would take minutes
        entries += _parse_file(path, text, macros, problems)
    entries = _unique(entries, problems)
    _resolve_entries(entries, macros, problems)
    return entries, _apply_crossrefs(entries, problems)
