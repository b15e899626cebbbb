"""Reading .bib files into raw entries: splitting, ``@string`` macros, ``#``, crossref, keys.

bibtexparser splits the files into blocks; everything it leaves out is done here, on the raw
values: ``@string`` macros and ``#`` concatenation, month macros, ``crossref`` inheritance,
duplicate keys across files and in any case, and limits on what a file may hold. Nothing here
decodes LaTeX: :mod:`cv.bibliography` decodes only the fields a CV shows.

What al-folio (jekyll-scholar on bibtex-ruby) builds is read, with a located notice where the
file says something twice or names what it never defines (``--strict`` makes notices errors):

- a key used twice keeps both entries, as bibtex-ruby does; the later one is renamed
  (``key-2``) so the CV's anchors stay unique, and a ``crossref`` to the key means the first;
- a field set twice keeps its first value, as BibTeX does;
- an undefined ``@string`` macro stands for its own name, as bibtex-ruby leaves it;
- ``@comment{...}`` hides everything between its braces, entries too (al-folio's own example
  entries are often kept that way), as bibtex-ruby reads it.
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
    Block,
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    ParsingFailedBlock,
    String,
)

from cv.dates import MONTH_NAMES, MONTHS
from cv.errors import CVError, Problem
from cv.files import format_size, read_bounded

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
    #: The key of the entry an inherited field is written in (by crossref), by field name.
    origin: dict[str, str] = field(default_factory=dict)
    #: A field was refused (too long, control characters): the entry is not built.
    broken: bool = False
    #: Every field is commented out with '%' (the whole entry was): the entry is not built.
    commented: bool = False

    @property
    def file(self) -> Path:
        return self.spot[0]

    @property
    def line(self) -> int:
        return self.spot[2]

    def at(self, name: str | None = None) -> tuple[Path, int, int]:
        """File, line and column of a field (or of the entry itself)."""
        return _locate(self.where.get(name, self.spot) if name else self.spot)

    def owner(self, name: str) -> str:
        """The key of the entry the field is written in: this one, or the crossref it came from."""
        return self.origin.get(name, self.key)


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
"""What the .bib files may hold together (a file named twice counts twice)."""
MAX_FIELDS = 1_000_000
"""``=`` signs the files may hold: a hundred an entry. The splitter makes an object of each field
(3 s and 250 MB a million), and a 50 MB file of ``a=b,`` would hold twelve million."""
MAX_KEY = 200
"""Characters of an entry key: keys are quoted in messages and make the CV's link anchors."""
MAX_APART = 20
"""Fields of one entry read apart where a comma is missing before them: each is read from the
rest of the value, so ten thousand would take minutes, and no entry misses twenty commas."""
MAX_NAME = 100
"""Characters of an entry type or a field name (``inproceedings``, ``bdsk-url-1``)."""
MAX_SHOWN_CHARS = 10_000
"""Characters a field the CV shows may hold (a title, a venue, a note): layout of a longer one
takes minutes, and no title is a page long."""
MAX_FIELD_CHARS = 100_000
"""Characters any other field may hold: an abstract, keywords, a ``@string``, and the names
(a collaboration lists thousands; they are shortened to ``max_authors`` before being shown)."""
MAX_SHOWN_TOTAL = 5_000_000
"""Characters the shown fields of all entries may hold together, crossref copies included:
five hundred an entry at the most entries; layout takes about 20 µs a character."""
MAX_EXPANDED = 10_000_000
"""Characters ``@string`` macros may add in all, where they are used: each use copies the value,
so a few doubling macros (``@string{b = a # a}``) would otherwise fill the memory."""
#: The fields :mod:`cv.bibliography` decodes and shows whole (the others are never decoded, or
#: shortened first, as author lists are).
SHOWN_FIELDS = frozenset({
    "title", "journal", "booktitle", "volume", "number", "issue", "pages",
    "type", "school", "institution", "publisher", "organization", "howpublished", "series",
    "address", "year", "month", "date", "note", "annotation", "additional_info", "abbr", "award",
    "award_name", "selected", "google_scholar_id", "preview", "crossref", "arxiv", "eprint",
    "archiveprefix", "eprinttype", "url", "doi", "pdf", "html", "code", "slides", "poster",
    "video", "website", "blog", "supp",
})  # fmt: skip
# C0 controls but tab, line feed and carriage return, and DEL: invisible, and some (NUL, ESC)
# would reach the HTML and the terminal as they are.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_OR_BREAK = re.compile(r"[\x00-\x1f\x7f]")  # keys and field names are one line
_ENTRY_HEAD = re.compile(r"^[ \t]*@[ \t]*(?!(?:string|comment|preamble)\b)\w", re.M | re.I)


def _count_entries(path: Path, text: str, room: int, problems: list[Problem]) -> int:
    """The room left for entries after this file's; below 0 (and a Problem) when too many."""
    count = 0
    for count, head in enumerate(_ENTRY_HEAD.finditer(text), start=1):
        if count > room:
            line = text.count("\n", 0, head.start()) + 1
            message = (
                f"more than {MAX_ENTRIES:,} entries in the .bib files; expected a list of "
                "publications (each entry is shown in the CV)"
            )
            problems.append(Problem(message, path, line, 1))
            return -1
    return room - count


def _count_fields(path: Path, text: str, room: int, problems: list[Problem]) -> int:
    """The room left for fields after this file's; below 0 (and a Problem) when too many."""
    count = text.count("=")
    if count <= room:
        return room - count
    sign = next(m for i, m in enumerate(re.finditer("=", text)) if i == room)
    line = text.count("\n", 0, sign.start()) + 1
    message = (
        f"more than {MAX_FIELDS:,} fields ('=') in the .bib files; expected a list of "
        f"publications (at most {MAX_ENTRIES:,} entries of a few dozen fields)"
    )
    problems.append(Problem(message, path, line, sign.start() - text.rfind("\n", 0, sign.start())))
    return -1


def _read(path: Path, problems: list[Problem]) -> bytes | None:
    """The bytes of a .bib file, or None (and a Problem) when it cannot be read.

    Raises:
        CVError: When it is not a file (a FIFO would block), cannot be read, or is too large.
    """
    try:
        return read_bounded(path, MAX_BYTES, "a .bib file")
    except FileNotFoundError:
        problems.append(Problem("file not found (expected a .bib file at this path)", path))
        return None


def _decode(path: Path, data: bytes, problems: list[Problem]) -> str | None:
    """The text of a .bib file, or None (and a located Problem) when it is not UTF-8."""
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
    match = re.match(r"@\s*(\w{1,40})\w*\s*[{(]\s*([^,\s]{0,60})", raw or "")
    if not match:
        return "entry"
    return (
        f"@{match.group(1).lower()} entry '{_visible(match.group(2))}'"
        if match.group(2)
        else f"@{match.group(1).lower()} entry"
    )


def _visible(text: str) -> str:
    """``text`` with control characters and line breaks written as ``\\x00``, for messages."""
    return _CONTROL_OR_BREAK.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _control_problem(
    what: str, text: str, where: tuple[Path, int, int], control: re.Pattern[str] = _CONTROL
) -> Problem | None:
    """A problem when ``text`` holds a control character (by default: but tab and line ends)."""
    bad = control.search(text)
    if bad is None:
        return None
    message = (
        f"{what} holds the control character U+{ord(bad.group()):04X}; expected text "
        "without control characters (remove it)"
    )
    return Problem(message, *where)


_LONG_WORD = re.compile(r"([^\s`]{40})[^\s`]{4,}")
_HYPHENATED_TYPE = re.compile(r"^[ \t]*@\w+(?:-\w+)+(?=[ \t]*[{(])", re.M)
_AT_LINE = re.compile(r"[ \t]*@")
_COMMENT_HEAD = re.compile(r"@[ \t]*comment[ \t]*([{(])", re.I)
_PAREN_OR_BRACE = re.compile(r"(?<!\\)[{})]")
_NOT_LINE_END = re.compile(r"[^\n]")


def _blank_comments(text: str) -> str:
    """``text`` with what ``@comment{...}`` holds turned into spaces (line ends kept).

    bibtex-ruby skips a comment's braces whole; the splitter stops at an ``@`` that starts a
    line inside them ("Unexpected block start"), which is how al-folio's example entries are
    kept. An unclosed comment is left for the splitter to report.
    """
    pieces: list[str] = []
    position = 0
    while (head := _COMMENT_HEAD.search(text, position)) is not None:
        opener = head.end() - 1
        braced = head.group(1) == "{"
        end = _closing(text, opener, _BRACE if braced else _PAREN_OR_BRACE, "}" if braced else ")")
        if end >= len(text):
            break
        pieces += [text[position : opener + 1], _NOT_LINE_END.sub(" ", text[opener + 1 : end])]
        position = end
    return "".join(pieces) + text[position:] if pieces else text


def _parse_file(
    path: Path, text: str, macros: _Macros, problems: list[Problem], notices: list[Problem]
) -> list[RawEntry]:
    """Split one file: define its macros, collect its entries, report its broken blocks."""
    # The splitter only knows \w+ entry types: "@proceedings-paper{" would vanish into a
    # comment. Same-length stand-ins keep every line and column where it was.
    text = _HYPHENATED_TYPE.sub(lambda m: m.group().replace("-", "_"), text)
    text = _blank_comments(text)
    try:
        with _quiet_splitter():
            library = bibtexparser.parse_string(text, parse_stack=[])
    except Exception as error:  # noqa: BLE001 - the splitter's own bugs must not crash a build
        message = f"cannot parse this file: {error} (expected BibTeX entries)"
        problems.append(Problem(message, path, 1, 1))
        return []
    lines = text.split("\n")  # as the splitter counts them (splitlines() breaks at \f, U+2028 too)
    entries: list[RawEntry] = []
    block: Block | None  # a failed block's ignore_error_block may be None: then it is skipped
    for block in library.blocks:
        if isinstance(block, DuplicateBlockKeyBlock):
            block = block.ignore_error_block  # we report duplicates ourselves, across files
        if isinstance(block, DuplicateFieldKeyBlock):
            # Every field is kept, repeats too: _raw_entry reports each repeat at its own line.
            block = block.ignore_error_block
        if isinstance(block, String):
            where = _locate((path, lines, (block.start_line or 0) + 1, "@"))
            _define(block, where, macros, problems, notices)
        elif isinstance(block, Entry):
            entry = _raw_entry(block, path, lines, problems, notices)
            if entry is not None:
                entries.append(entry)
        elif isinstance(block, ParsingFailedBlock):
            line = (block.start_line or 0) + 1
            reason = getattr(block.error, "abort_reason", "") or str(block.error) or "syntax error"
            unclosed = (
                "Unexpected block start" in reason and "closing `,` or" in reason
            ) or "reached end of file" in reason
            reread = _reread(block, unclosed, "after entry key `%`" in reason)
            if reread is not None:
                entry = _raw_entry(reread, path, lines, problems, notices, line - 1)
                if entry is not None:
                    entries.append(entry)
                    if unclosed:
                        notices.append(_unclosed(entry, block, lines))
                    continue
            # The splitter quotes what it found whole: a key or "@..." may be thousands long.
            reason = _visible(_LONG_WORD.sub(r"\1...", reason.strip()))
            reason = reason if len(reason) <= 300 else reason[:297] + "..."
            message = f"cannot parse {_entry_head(block.raw)}: {reason}"
            hint = "expected @type{key, field = {value}, ...} with balanced braces"
            problems.append(Problem(message, *_locate((path, lines, line, "@")), hint))
    return entries


def _reread(block: ParsingFailedBlock, unclosed: bool, percent: bool) -> Entry | None:
    """The entry of a block the splitter refused that BibTeX reads, or None.

    Args:
        block: The refused block.
        unclosed: Its closing brace is missing before the next entry (or the end of the file),
            and its last value was complete (the splitter was looking for the ',' or '}' after
            it, or the block reads with a '}' added): BibTeX reads the fields it found, then
            goes on at the next '@'. A brace left open inside a value stays a problem.
        percent: It ends ``%}`` after a comma (its last lines commented out with '%'): read up
            to the '%', those lines being the comments they are meant as.
    """
    raw = (block.raw or "").rstrip()
    if percent:
        raw = raw[: raw.rfind("%")].rstrip()
    elif not unclosed:
        return None
    closer = ")" if re.match(r"@\s*\w+\s*\(", raw) else "}"
    try:
        with _quiet_splitter():
            blocks = bibtexparser.parse_string(raw + closer, parse_stack=[]).blocks
    except Exception:  # noqa: BLE001 - the splitter's own bugs must not crash a build
        return None
    return blocks[0] if len(blocks) == 1 and isinstance(blocks[0], Entry) else None


def _unclosed(entry: RawEntry, block: ParsingFailedBlock, lines: list[str]) -> Problem:
    """The notice of an entry read up to the next entry, its closing brace missing."""
    last = entry.line + (block.raw or "").rstrip().count("\n")
    end = next((n for n in range(last + 1, len(lines) + 1) if _AT_LINE.match(lines[n - 1])), 0)
    where = f"before line {end}, where the next entry starts" if end else "at the end of the file"
    message = (
        f"{_entry_head(block.raw)} is not closed: its closing brace is missing {where}; read "
        "up to there, as BibTeX does (expected a '}' at its end)"
    )
    return Problem(message, *entry.at())


def _define(
    block: String,
    where: tuple[Path, int, int],
    macros: _Macros,
    problems: list[Problem],
    notices: list[Problem],
) -> None:
    """Define a ``@string`` macro; one too long or holding control characters is left empty."""
    name = _visible(block.key)
    value = _resolve_value(block.value, macros, MAX_FIELD_CHARS)
    _spend(macros, value, f"@string '{name}'", where, problems)
    bad = _control_problem(f"@string '{name}'", block.key + value.text, where)
    if value.length > MAX_FIELD_CHARS:
        message = (
            f"@string '{name}' is {value.length:,} characters long once expanded; "
            f"expected at most {MAX_FIELD_CHARS:,}"
        )
        problems.append(Problem(message, *where))
    elif bad is not None:
        problems.append(bad)
    else:
        if value.undefined:
            _note_undefined(macros, value.undefined, f"@string '{name}'", where)
        macros.values[block.key.lower()] = value.text
        return
    macros.values[block.key.lower()] = ""  # defined: its uses are no further problem


def _raw_entry(
    block: Entry,
    path: Path,
    lines: list[str],
    problems: list[Problem],
    notices: list[Problem],
    shift: int = 0,
) -> RawEntry | None:
    """The raw entry of a block, or None (and a Problem) when its key cannot be one.

    ``shift`` is the line the block starts on when it was split alone (:func:`_reread`).
    """
    line = (block.start_line or 0) + 1 + shift
    entry_type = block.entry_type.lower().replace("_", "-")
    entry = RawEntry(block.key.strip(), entry_type, (path, lines, line, "@"))
    if len(entry_type) > MAX_NAME:
        message = (
            f"the type of this entry is {len(entry_type):,} characters long; expected one "
            "such as @article or @inproceedings"
        )
        problems.append(Problem(message, *entry.at()))
        return None
    if len(entry.key) > MAX_KEY:
        message = (
            f"the key of this @{entry_type} entry is {len(entry.key):,} characters long; "
            f"expected a short key such as doe2024 (at most {MAX_KEY})"
        )
        problems.append(Problem(message, *entry.at()))
        return None
    what = f"the key '{_visible(entry.key)}'"
    bad = _control_problem(what, entry.key, entry.at(), _CONTROL_OR_BREAK)
    if bad is not None:
        problems.append(bad)
        return None
    commented: list[int] = []
    for item in block.fields:
        name = item.key.strip().lower()
        field_line = (item.start_line + shift if item.start_line is not None else line - 1) + 1
        if name.startswith("%"):
            commented.append(field_line)
            continue
        where = (path, lines, field_line, item.key.strip())
        bad = _field_name_problem(entry, name, _locate(where))
        if bad is not None:
            problems.append(bad)
            entry.broken = True
            continue
        if name in entry.raw:
            first = entry.where[name][2]
            message = (
                f"entry '{entry.key}' sets field '{name}' twice (first at line {first}); the "
                "first value is kept, as BibTeX does (expected each field once)"
            )
            notices.append(Problem(message, *_locate(where)))
            continue
        entry.raw[name] = item.value
        entry.where[name] = where
    if commented:
        entry.commented = not entry.raw
        _report_commented(entry, commented, notices)
    return entry


def _report_commented(entry: RawEntry, commented: list[int], notices: list[Problem]) -> None:
    """``%  title = {...}`` inside an entry: meant as a comment, which BibTeX does not know
    there (it reads the line as a field named '%'). Read as the comment it is meant to be."""
    shown = ", ".join(map(str, commented[:5])) + (", ..." if len(commented) > 5 else "")
    lines = f"line{'s' if len(commented) > 1 else ''} {shown}"
    what = (
        "every field is commented out with '%': the entry is left out of the CV"
        if entry.commented
        else f"{lines} start{'' if len(commented) > 1 else 's'} with '%': read as comments"
    )
    message = (
        f"entry '{entry.key}': {what} (BibTeX has no comments inside an entry; expected the "
        "entry without those lines, or inside @comment{...})"
    )
    notices.append(Problem(message, *entry.at()))


# --------------------------------------------------------------------------------------------
# Macros and concatenation

_BRACE = re.compile(r"(?<!\\)[{}]")
_QUOTE_OR_BRACE = re.compile(r'(?<!\\)[{}"]')
_BARE = re.compile(r"[^\s#{}\"]+")
_INNER_DELIMITER = re.compile(r'[{}"\\]')
# Bare words BibTeX would call undefined macros, but that al-folio records write unbraced.
_LITERAL_WORDS = {"true", "false", "yes", "no"}


def _field_name_problem(entry: RawEntry, name: str, where: tuple[Path, int, int]) -> Problem | None:
    """A problem with a field name that is too long, or holds a control character or line break."""
    if len(name) > MAX_NAME:
        message = (
            f"a field name of entry '{entry.key}' is {len(name):,} characters long; "
            f"expected a name such as title (at most {MAX_NAME})"
        )
        return Problem(message, *where)
    what = f"field name '{_visible(name)}' of entry '{entry.key}'"
    return _control_problem(what, name, where, _CONTROL_OR_BREAK)


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


@dataclass
class _Macros:
    """The ``@string`` values by lower-case name, and the characters their uses have added.

    Attributes:
        undefined: Each undefined name used (as written the first time), with where it is
            first used and how many values use it: one notice each.
    """

    values: dict[str, str]
    expanded: int = 0
    undefined: dict[str, tuple[str, str, tuple[Path, int, int], int]] = field(default_factory=dict)


@dataclass
class _Value:
    """A resolved field value.

    Attributes:
        text: The value; "" when it is longer than the limit it was resolved with.
        length: Its length once expanded (computed without building a value that is too long).
        undefined: Names of macros that are not defined (kept as literal text).
        expanded: Characters that macros added.
        next_field: ``(name, offset in the raw value)`` of a ``name =`` right after a value: the
            comma before the next field is missing, and ``text`` is what came before it.
    """

    text: str
    length: int
    undefined: list[str] = field(default_factory=list)
    expanded: int = 0
    next_field: tuple[str, int] | None = None


_NEXT_FIELD = re.compile(r"([A-Za-z_][\w:.+/-]*)\s*=")


def _resolve_value(raw: str, macros: _Macros, limit: int) -> _Value:
    """Resolve a raw field value: strip its delimiters, expand macros, join ``#`` pieces.

    Args:
        raw: The value as written, delimiters included.
        macros: The macros defined so far.
        limit: The longest value to build; the length of a longer one is still computed.
    """
    raw = raw.strip()
    if "#" not in raw and len(raw) >= 2:
        inner = raw[1:-1]
        if (raw[0], raw[-1]) in (("{", "}"), ('"', '"')) and not _INNER_DELIMITER.search(inner):
            return _Value(inner, len(inner))
        if (raw[0], raw[-1]) in (("{", "}"), ('"', '"')):
            closer = "}" if raw[0] == "{" else '"'
            pattern = _BRACE if closer == "}" else _QUOTE_OR_BRACE
            if _closing(raw, 0, pattern, closer) == len(raw) - 1:
                return _Value(inner, len(inner))
    if len(raw) > 2 * limit + 1_000:
        return _Value("", len(raw))  # too long as written: reading it piece by piece takes long
    pieces: list[str] = []
    value = _Value("", 0)
    position = 0
    joined = False  # the last thing read was a '#' (or nothing yet): a piece may follow
    while position < len(raw):
        char = raw[position]
        if char.isspace() or char == "#":
            joined = joined or char == "#"
            position += 1
            continue
        next_field = _NEXT_FIELD.match(raw, position)
        if next_field and pieces and not joined:
            value.next_field = (next_field.group(1), position)
            break
        joined = False
        if char in '{"':
            pattern = _BRACE if char == "{" else _QUOTE_OR_BRACE
            end = _closing(raw, position, pattern, "}" if char == "{" else '"')
            pieces.append(raw[position + 1 : end])
            position = end + 1
            continue
        match = _BARE.match(raw, position)
        word = match.group() if match else char
        position += len(word)
        if word.isdigit() or (word.lower() in _LITERAL_WORDS and word.lower() not in macros.values):
            pieces.append(word)
        elif word.lower() in macros.values:
            pieces.append(macros.values[word.lower()])
            value.expanded += len(pieces[-1])
        else:
            value.undefined.append(word)
            pieces.append(f" {word} ")  # a word of its own: {Doe, J.} # and # {Roe, R.}
    if value.undefined and len(pieces) == 1:
        pieces[0] = pieces[0].strip()
    value.length = sum(map(len, pieces))
    if value.length <= limit:
        value.text = "".join(pieces)
    else:
        value.expanded = 0  # never built
    return value


def _spend(
    macros: _Macros, value: _Value, what: str, where: tuple[Path, int, int], problems: list[Problem]
) -> None:
    """Count what macros added to ``value``.

    Raises:
        CVError: When macros have added more than :data:`MAX_EXPANDED` characters in all: the
            rest would take the memory and minutes.
    """
    macros.expanded += value.expanded
    if macros.expanded > MAX_EXPANDED:
        message = (
            f"@string macros expand to more than {MAX_EXPANDED:,} characters in all "
            f"(here, in {what}); expected abbreviations of names, used in a few fields an "
            "entry"
        )
        problems.append(Problem(message, *where))
        raise CVError(problems)


def _note_undefined(
    macros: _Macros, names: list[str], what: str, where: tuple[Path, int, int]
) -> None:
    """Count the uses of undefined macros; the first use of each is where its notice goes."""
    for name in dict.fromkeys(names):
        known = macros.undefined.get(name.lower())
        if known is None:
            macros.undefined[name.lower()] = (name, what, where, 1)
        else:
            macros.undefined[name.lower()] = (*known[:3], known[3] + 1)


def _report_undefined(macros: _Macros, notices: list[Problem]) -> None:
    """A notice for each undefined macro, at its first use: it stands for its own name, as in
    bibtex-ruby (a lab's file used without its file of @strings names hundreds)."""
    for name, what, where, uses in macros.undefined.values():
        shown = _visible(name[:60])
        more = f" (and {uses - 1:,} more value{'s' if uses > 2 else ''})" if uses > 1 else ""
        message = (
            f"undefined @string macro '{shown}' in {what}{more} is kept as the text "
            f"'{shown}' (expected a @string definition, or the value in braces)"
        )
        notices.append(Problem(message, *where))


def _resolve_entries(
    entries: list[RawEntry], macros: _Macros, problems: list[Problem], notices: list[Problem]
) -> None:
    """Resolve every field; refuse values too long or holding control characters.

    A field written right after another's value without a comma (``title = {X} year = 2024``)
    is read as a field of its own, with a notice.
    """
    for entry in entries:
        pending = list(entry.raw.items())
        apart = 0  # fields read apart after a missing comma
        while pending:
            name, raw = pending.pop(0)
            what = f"field '{name}' of entry '{entry.key}'"
            limit = MAX_SHOWN_CHARS if name in SHOWN_FIELDS else MAX_FIELD_CHARS
            value = _resolve_value(raw, macros, limit)
            if value.expanded:  # where it is is found only when it is needed
                _spend(macros, value, what, entry.at(name), problems)
            problem = _field_problem(entry, name, value, limit, what)
            if problem is not None:
                problems.append(problem)
                entry.broken = True  # not built: its other problems would only follow from this
                continue
            if value.next_field is not None:
                apart += 1
                if apart > MAX_APART:
                    message = (
                        f"entry '{entry.key}' has more than {MAX_APART} fields without a comma "
                        "before them; expected a comma between fields"
                    )
                    problems.append(Problem(message, *entry.at(name)))
                    entry.broken = True
                    break
                following = _missing_comma(entry, name, raw, value.next_field, notices)
                if following is not None:
                    pending.insert(0, following)
            elif value.undefined:
                _note_undefined(macros, value.undefined, what, entry.at(name))
            entry.fields[name] = value.text


def _field_problem(
    entry: RawEntry, name: str, value: _Value, limit: int, what: str
) -> Problem | None:
    """A problem with a value that is not to be kept at all: too long, or control characters."""
    if value.length > limit:
        shown = "the CV shows" if limit == MAX_SHOWN_CHARS else "a field"
        message = (
            f"{what} is {value.length:,} characters long; expected at most {limit:,} "
            f"(the most {shown} may hold)"
        )
        return Problem(message, *entry.at(name))
    return _control_problem(what, value.text, entry.at(name))


def _missing_comma(
    entry: RawEntry, name: str, raw: str, next_field: tuple[str, int], notices: list[Problem]
) -> tuple[str, str] | None:
    """``title = {X}  volume = {3}``: a notice at ``volume``, which a comma should precede.

    Returns:
        The field that follows, as ``(name, raw value)``, to be read as a field of its own
        (None when the entry already sets it: the first value is kept).
    """
    word, offset = next_field
    path, lines, line, _needle = entry.where[name]
    raw = raw.strip()
    line += raw[:offset].count("\n")
    pattern = re.compile(rf"(?<![\w-]){re.escape(word)}\s*=")
    # The value may start on a line after its '=' (the splitter strips the space before it).
    line = next(
        (n for n in range(line, min(line + 4, len(lines)) + 1) if pattern.search(lines[n - 1])),
        line,
    )
    following = word.lower()
    kept = following not in entry.where and len(following) <= MAX_NAME
    read = "read as a field of its own" if kept else "a repeat of it, left out"
    message = (
        f"missing ',' after field '{name}' of entry '{entry.key}'? "
        f"'{word} =' follows its value, {read}; expected a comma between fields"
    )
    spot = (path, lines, line, word)
    notices.append(Problem(message, *_locate(spot)))
    if not kept:
        return None
    entry.where[following] = spot
    assignment = _NEXT_FIELD.match(raw, offset)
    return following, raw[assignment.end() if assignment else offset :]


def _unique(
    entries: list[RawEntry], problems: list[Problem], notices: list[Problem]
) -> list[RawEntry]:
    """Every entry with a key, each key made unique (BibTeX keys ignore case).

    A key used again keeps its entry, as bibtex-ruby does: the later one is renamed
    ``key-2`` (``key-3``, ...), which the CV's anchors and Scholar's counts use, and a
    ``crossref`` to the key finds the first.
    """
    first: dict[str, RawEntry] = {}
    taken = {entry.key.casefold() for entry in entries}
    kept = []
    for entry in entries:
        if not entry.key:
            message = (
                f"@{entry.entry_type} entry has no key (expected @{entry.entry_type}{{key, ...}})"
            )
            problems.append(Problem(message, *entry.at()))
            continue
        kept.append(entry)
        earlier = first.setdefault(entry.key.casefold(), entry)
        if earlier is entry:
            continue
        number = 2
        while f"{entry.key}-{number}".casefold() in taken:
            number += 1
        written, entry.key = entry.key, f"{entry.key}-{number}"
        taken.add(entry.key.casefold())
        spelled = "" if earlier.key == written else f" as '{earlier.key}'; keys ignore case"
        message = (
            f"duplicate key '{written}' (first defined at {earlier.file}:{earlier.line}{spelled});"
            f" both entries are kept, this one as '{entry.key}', and a crossref to "
            f"'{written}' means the first (expected each key once)"
        )
        notices.append(Problem(message, *entry.at()))
    return kept


_INHERITED = ("year", "month", "date", "publisher", "editor", "address", "organization", "series")


def _apply_crossrefs(
    entries: list[RawEntry], problems: list[Problem], notices: list[Problem]
) -> set[str]:
    """Fill in what entries inherit from their crossref targets; return the targets' keys.

    As biber does, inheritance is transitive: an entry inherits what its target inherited from
    its own (``a`` -> ``b`` -> proceedings ``c``). A loop of crossrefs is a problem, located at
    the crossref that closes it, and its entries inherit nothing from one another.
    """
    by_key = {entry.key.casefold(): entry for entry in entries}
    targets: set[str] = set()
    resolved: set[int] = set()
    for entry in entries:
        chain = _crossref_chain(entry, by_key, resolved, problems, notices)
        for child, target in reversed(chain):  # the far end first: it lends what it inherited
            if target is not None:
                targets.add(target.key.casefold())
                _inherit(child, target)
            resolved.add(id(child))
    return targets


def _crossref_chain(
    entry: RawEntry,
    by_key: dict[str, RawEntry],
    resolved: set[int],
    problems: list[Problem],
    notices: list[Problem],
) -> list[tuple[RawEntry, RawEntry | None]]:
    """The entries from ``entry`` along its crossrefs not yet resolved, each with its target.

    Followed iteratively, so a chain of any length takes no stack; each entry is on one chain.
    """
    chain: list[tuple[RawEntry, RawEntry | None]] = []
    on_chain: dict[int, int] = {}
    current: RawEntry | None = entry
    while current is not None and id(current) not in resolved:
        if id(current) in on_chain:  # went round: report the loop once, break it
            start = on_chain[id(current)]
            loop = [member for member, _target in chain[start:]]
            problems.append(_loop_problem(loop))
            chain[start:] = [(member, None) for member in loop]
            break
        on_chain[id(current)] = len(chain)
        reference = current.fields.get("crossref", "").strip()
        target = by_key.get(reference.casefold()) if reference else None
        if reference and target is None:
            shown = _visible(" ".join(reference.split())[:60])
            message = (
                f"crossref '{shown}' of entry '{current.key}' not found, so it inherits "
                "nothing, as in bibtex-ruby (expected the key of another entry; is its .bib "
                "file in publications.bibtex?)"
            )
            notices.append(Problem(message, *current.at("crossref")))
        chain.append((current, target))
        current = target
    return chain


def _loop_problem(loop: list[RawEntry]) -> Problem:
    """The problem of crossrefs that go round (``a`` -> ``b`` -> ``a``), at the first one."""
    first = loop[0]
    reference = first.fields.get("crossref", "").strip()
    path = " → ".join(member.key for member in [*loop, first])
    message = (
        f"crossref '{reference}' of entry '{first.key}' goes round in a loop ({path}); "
        "expected crossrefs that end at an entry without one"
    )
    return Problem(message, *first.at("crossref"))


def _inherit(entry: RawEntry, target: RawEntry) -> None:
    """Copy the fields ``entry`` lacks from ``target``, with where they are written."""
    if "booktitle" not in entry.fields:
        source = "booktitle" if "booktitle" in target.fields else "title"
        if source in target.fields:
            _lend(entry, "booktitle", target, source)
    for name in _INHERITED:
        if name not in entry.fields and name in target.fields:
            _lend(entry, name, target, name)


def _lend(entry: RawEntry, name: str, target: RawEntry, source: str) -> None:
    # A problem with the value is located where it is written: in the target (or its target).
    entry.fields[name] = target.fields[source]
    entry.where[name] = target.where.get(source, target.spot)
    entry.origin[name] = target.owner(source)


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


def collect_entries(
    paths: Sequence[Path], problems: list[Problem], notices: list[Problem] | None = None
) -> tuple[list[RawEntry], set[str]]:
    """:func:`read_entries`, adding the problems to ``problems`` instead of raising them.

    What al-folio builds but the files should not say (a key or a field twice, an undefined
    macro) goes to ``notices`` (and is dropped without one).

    Raises:
        CVError: Only when the files are so large, hold so many entries or fields, or their
            macros expand so far, that going on would take minutes and the memory; and for a
            file that is not a regular file (a FIFO, a device, a folder).
    """
    notices = [] if notices is None else notices
    macros = _Macros({abbr: name for abbr, name in zip(MONTHS, MONTH_NAMES, strict=True)})
    entries: list[RawEntry] = []
    room, fields, size = MAX_ENTRIES, MAX_FIELDS, MAX_BYTES
    for path in map(Path, paths):
        data = _read(path, problems)
        if data is None:
            continue
        size -= len(data)
        if size < 0:
            message = (
                f"the .bib files hold more than {format_size(MAX_BYTES)} together; expected "
                "lists of publications (is a file named twice?)"
            )
            problems.append(Problem(message, path, 1, 1))
            raise CVError(problems)  # reading on could go on for ever
        text = _decode(path, data, problems)
        if text is None:
            continue
        room = _count_entries(path, text, room, problems)
        fields = _count_fields(path, text, fields, problems) if room >= 0 else fields
        if room < 0 or fields < 0:
            raise CVError(problems)  # parsing them all would take minutes
        entries += _parse_file(path, text, macros, problems, notices)
    entries = _unique(entries, problems, notices)
    _resolve_entries(entries, macros, problems, notices)
    _report_undefined(macros, notices)
    targets = _apply_crossrefs(entries, problems, notices)
    _check_shown_total(entries, problems)
    return entries, targets


def _check_shown_total(entries: list[RawEntry], problems: list[Problem]) -> None:
    """Refuse entries that would show more than :data:`MAX_SHOWN_TOTAL` characters together.

    Raises:
        CVError: At the entry that passes the limit: laying them all out would take an hour.
    """
    total = 0
    for entry in entries:
        total += sum(len(value) for name, value in entry.fields.items() if name in SHOWN_FIELDS)
        if total > MAX_SHOWN_TOTAL:
            message = (
                f"the entries up to '{entry.key}' show more than {MAX_SHOWN_TOTAL:,} "
                "characters of titles, venues and notes, crossrefs included; expected a "
                "publication list (a few hundred characters an entry)"
            )
            problems.append(Problem(message, *entry.at()))
            raise CVError(problems)
