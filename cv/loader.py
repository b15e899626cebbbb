"""YAML -> model, keeping the line and column of every value for messages.

The YAML is composed into nodes (never constructed by PyYAML, so no tag is ever executed), turned
into plain Python values while recording where each came from, then validated by the pydantic
models. Every problem of the file is collected and raised at once as one :class:`CVError`.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from cv import texts
from cv.errors import CVError, Problem
from cv.files import is_file, lookup_problem, name_problem, not_a_file, read_bounded, real_path
from cv.model import Publications, Record
from cv.sections.registry import BUILT_IN

RECORD_FILE = "cv.yaml"
MAX_BYTES = 500_000
"""Larger files are refused unread: a record is 5-100 KB, and PyYAML parses only 0.1-1 MB/s."""
MAX_VALUES = 100_000
"""Values a record may hold once its aliases are expanded (``*name`` can repeat a whole tree)."""
MAX_DEPTH = 100
"""How deep values may nest; a record needs five levels (PyYAML recurses, and would crash)."""
MAX_TEXT = 20_000
"""Characters one text value may hold: an about of a page is 3,000; more takes pages of layout."""
MAX_CHARACTERS = 1_000_000
"""Characters of text the record may hold once its aliases are expanded: a 500 KB file holds
fewer, but ``*name`` repeats a text without copying it, and each repeat would be laid out."""
MAX_NUMBER = 100
"""Characters a number may be written with: Python refuses ints of 4,300 digits, and PyYAML's
``1:2:3`` (base 60) takes time with the square of its length."""
_TOO_DEEP = f"values nest more than {MAX_DEPTH} levels deep; expected a record a few levels deep"
_YAML = "tag:yaml.org,2002:"
_PLAIN_SCALARS = {f"{_YAML}{t}" for t in ("int", "float", "bool", "null")}
_TEXT_SCALARS = {f"{_YAML}str", f"{_YAML}timestamp"}  # dates stay as written
_TYPE_MISMATCH = {
    "string_type", "dict_type", "model_type", "model_attributes_type", "list_type",
    "int_type", "int_parsing", "bool_type", "bool_parsing", "float_type", "float_parsing",
}  # fmt: skip

Path_ = tuple[str | int, ...]


@dataclass
class Positions:
    """Where each value (and each mapping key) of the YAML file starts, by path."""

    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def of(self, path: Path_, *, key: bool = False) -> tuple[int, int] | None:
        """Line and column of ``path`` (or of the nearest enclosing value that has one)."""
        table = self.keys if key else self.values
        while True:
            if path in table:
                return table[path]
            if path in self.values:
                return self.values[path]
            if not path:
                return None
            path = path[:-1]


@dataclass
class Source:
    """A validated record, with the file it came from and where each of its values is."""

    record: Record
    file: Path
    data_dir: Path
    positions: Positions
    #: The record as plain values, to read its texts in another language (:meth:`record_in`).
    data: Any = None

    def problem(self, path: Path_, message: str, hint: str | None = None) -> Problem:
        """A problem located at the value at ``path``."""
        line, column = self.positions.of(path) or (None, None)
        return Problem(message, self.file, line, column, hint)

    def record_in(self, lang: str | None) -> Record:
        """The record with its texts by language (``{en: …, de: …}``) read in ``lang``."""
        if lang is None or lang == self.record.lang or self.data is None:
            return self.record
        record = _validate(self.data, self.positions, self.file, lang)
        return record.model_copy(update={"lang": self.record.lang})


def load_record(data_dir: Path) -> Source:
    """Read and validate ``data_dir/cv.yaml`` and check the files it names.

    Raises:
        CVError: With every problem of the file, each located by line and column.
    """
    file = data_dir / RECORD_FILE
    real, root = real_path(file), real_path(data_dir)
    if real is None or root is None:
        looping = file if root is not None else data_dir
        raise CVError.at(f"symbolic links loop here; expected the record in {file}", looping)
    if not real.is_relative_to(root):
        raise CVError.at(
            f"{RECORD_FILE} links to {real}, outside the data folder; "
            f"expected the record itself in {data_dir}",
            file,
        )
    try:
        # Never more than the cap, and never waiting: it might be huge, /dev/zero or a FIFO.
        raw = read_bounded(file, MAX_BYTES, f"the record, a {RECORD_FILE} of tens of KB")
    except FileNotFoundError:
        raise CVError.at(
            f"no {RECORD_FILE} here; expected the record in {file} (run `cv init` to start one)",
            file,
        ) from None

    text = _decode(raw, file)
    data, positions, problems = _compose(text, file)
    if problems:
        raise CVError(problems)
    try:
        record = _validate(data, positions, file)
    except CVError as error:
        named = _named_files(data)  # checked all the same: a missing .bib in the same run
        if named is None:
            raise
        found = check_files(Source(named, file, data_dir, positions))
        raise CVError([*error.problems, *found]) from None
    source = Source(record, file, data_dir, positions, data)
    problems = check_sections(source) + check_files(source)
    if problems:
        raise CVError(problems)
    return source


def _validate(data: Any, positions: Positions, file: Path, lang: str | None = None) -> Record:
    """The record; a text given in several languages is read in ``lang`` (else its ``lang:``)."""
    if lang is None:
        written = data.get("lang") if isinstance(data, dict) else None
        lang = written if isinstance(written, str) else "en"
    try:
        return Record.model_validate(data)
    except ValidationError as error:
        mappings = [
            _data_path(details["loc"], data)[0]
            for details in error.errors(include_url=False)
            if details["type"] == "string_type" and isinstance(details["input"], dict)
        ]
        chosen, wrong = texts.choose(data, mappings, lang)
        if chosen is None:
            raise CVError(_problems_from(error, data, positions, file)) from None
    if wrong:
        raise CVError(
            Problem(
                f"{_dotted(path)}: {message}", file, *(positions.of(path, key=key) or (None, None))
            )
            for path, key, message in wrong
        )
    try:
        return Record.model_validate(chosen)
    except ValidationError as error:
        raise CVError(_problems_from(error, chosen, positions, file)) from None


def _decode(raw: bytes, file: Path) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CVError.at("this file is UTF-16; expected UTF-8 (save it as UTF-8)", file, 1, 1)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        start = error.start
        line = raw.count(b"\n", 0, start) + 1
        column = start - (raw.rfind(b"\n", 0, start) + 1) + 1
        bad = raw[start : start + 1].hex()
        raise CVError.at(
            f"byte 0x{bad} is not UTF-8; expected a UTF-8 text file (save it as UTF-8)",
            file,
            line,
            column,
        ) from None


def _compose(text: str, file: Path) -> tuple[Any, Positions, list[Problem]]:
    """Parse YAML into plain values and their positions, without constructing any tag."""
    positions = Positions()
    problems: list[Problem] = []
    too_deep = _bracket_nesting(text, file)
    if too_deep:
        return None, positions, [too_deep]
    try:
        root = _parse(text)
    except yaml.MarkedYAMLError as error:
        return None, positions, [_syntax_problem(error, file)]
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        code = error.character if isinstance(error.character, int) else ord(error.character)
        message = f"character {chr(code)!r} (U+{code:04X}) is not allowed in YAML; remove it"
        return None, positions, [Problem(message, file, line, column)]
    except RecursionError:
        return None, positions, [_too_deep(text, file)]
    if root is None:
        return (
            None,
            positions,
            [Problem(f"{RECORD_FILE} is empty; expected at least `name:`", file, 1, 1)],
        )
    if not isinstance(root, yaml.MappingNode):
        line, column = _mark(root)
        problems.append(
            Problem(
                "expected a mapping of keys (name:, about:, ...) at the top", file, line, column
            )
        )
        return None, positions, problems
    constructor = yaml.constructor.SafeConstructor()
    count = characters = 0
    seen: set[int] = set()
    expanding: Path_ | None = None  # the path where an alias started repeating a tree

    def too_much(what: str, repeated: Path_ | None, path: Path_) -> _TooBig:
        line, column = positions.of((repeated or path)[:1], key=True) or (1, 1)  # its key
        aliases = " once its aliases (*name) are expanded" if repeated else ""
        return _TooBig(f"the record holds more than {what}{aliases}; expected fewer", line, column)

    def build(node: yaml.Node, path: Path_) -> Any:
        nonlocal count, characters, expanding
        count += 1
        if len(path) > MAX_DEPTH:
            raise _TooBig(_TOO_DEEP, *_mark(node))
        if count > MAX_VALUES:
            raise too_much(f"{MAX_VALUES:,} values", expanding, path)
        if isinstance(node, yaml.ScalarNode):
            characters += len(node.value)
            if characters > MAX_CHARACTERS:
                repeated = expanding or (path if id(node) in seen else None)
                raise too_much(f"{MAX_CHARACTERS:,} characters of text", repeated, path)
            seen.add(id(node))
        outer = expanding
        if isinstance(node, yaml.CollectionNode):
            if id(node) in seen and expanding is None:
                expanding = path
            seen.add(id(node))
        try:
            return construct(node, path)
        finally:
            expanding = outer

    def construct(node: yaml.Node, path: Path_) -> Any:
        positions.values[path] = _mark(node)
        tag = node.tag
        if isinstance(node, yaml.MappingNode) and tag == f"{_YAML}map":
            written = sum(1 for k, _ in node.value if k.tag != f"{_YAML}merge")
            try:
                constructor.flatten_mapping(node)  # `<<:` merge keys go first
            except yaml.MarkedYAMLError as error:
                problems.append(_syntax_problem(error, file))
                return {}
            merged = len(node.value) - written
            result: dict[str, Any] = {}
            from_merge: set[str] = set()
            for index, (key_node, value_node) in enumerate(node.value):
                if not isinstance(key_node, yaml.ScalarNode):
                    line, column = _mark(key_node)
                    problems.append(Problem("a key must be plain text", file, line, column))
                    continue
                key = key_node.value
                if len(key) > MAX_TEXT:
                    problems.append(_too_long(key_node, path, file, key=True))
                    continue
                if key in from_merge and index >= merged:
                    from_merge.discard(key)  # a key written here overrides the merged one
                    del result[key]
                elif key in result and index < merged:
                    continue  # the first merged mapping wins among merged ones
                if index < merged:
                    from_merge.add(key)
                if key in result:
                    line, column = _mark(key_node)
                    first = positions.keys[(*path, key)]
                    problems.append(
                        Problem(
                            f"duplicate key '{_one_line(str(key))}' (first at line {first[0]}); "
                            "expected each key once",
                            file,
                            line,
                            column,
                        )
                    )
                    continue
                positions.keys[(*path, key)] = _mark(key_node)
                result[key] = build(value_node, (*path, key))
            return result
        if isinstance(node, yaml.SequenceNode) and tag == f"{_YAML}seq":
            return [build(item, (*path, index)) for index, item in enumerate(node.value)]
        if isinstance(node, yaml.ScalarNode) and tag in _TEXT_SCALARS:
            if len(node.value) > MAX_TEXT:
                problems.append(_too_long(node, path, file))
                return ""
            control = _TEXT_CONTROL.search(node.value)
            if control:  # the reader refuses them as written, but "\0" and "\e" escapes make them
                problems.append(_control_problem(node, path, file, control.group()))
                return ""
            return node.value
        if isinstance(node, yaml.ScalarNode) and tag in _PLAIN_SCALARS:
            return _plain_scalar(constructor, node, path, file, problems)
        line, column = _mark(node)
        shown = tag.replace(_YAML, "!!", 1)
        problems.append(
            Problem(
                f"YAML tag '{shown}' is not allowed; "
                "expected plain values (tags are never executed)",
                file,
                line,
                column,
            )
        )
        return None

    try:
        return build(root, ()), positions, problems
    except _TooBig as error:
        return None, positions, [Problem(error.message, file, error.line, error.column)]


def _parse(text: str) -> yaml.Node | None:
    """The node tree of ``text``, parsed by libyaml when PyYAML has it.

    libyaml is ten times as fast as PyYAML's own parser (0.01-0.02 s of every load). A text it
    rejects is parsed again by PyYAML's own parser, whose messages and marks the problems
    quote. Both give the same nodes at the same lines and columns.
    """
    if yaml.__with_libyaml__:
        try:
            return yaml.compose(text, Loader=yaml.CSafeLoader)
        except (yaml.YAMLError, RecursionError):
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


_SCALAR_KINDS = {  # what a tag's value must be, and an example of one
    f"{_YAML}int": ("a whole number", "digits such as 42"),
    f"{_YAML}float": ("a number", "a number such as 1.5"),
    f"{_YAML}bool": ("true or false", "true or false"),
    f"{_YAML}null": ("null", "null or nothing"),
}


def _plain_scalar(
    constructor: yaml.constructor.SafeConstructor,
    node: yaml.ScalarNode,
    path: Path_,
    file: Path,
    problems: list[Problem],
) -> Any:
    """A number, boolean or null, or None (and a located problem) when PyYAML cannot make it.

    PyYAML raises plain exceptions for these (``!!int abc``, ``0x_``, ``!!bool maybe``, an int
    of 4,300 digits), which would end the build in a traceback.
    """
    what, example = _SCALAR_KINDS.get(node.tag, ("a value", "plain text"))
    name = f"{_dotted(path)}: " if path else ""
    line, column = _mark(node)
    if len(node.value) > MAX_NUMBER:
        digits = sum(char.isdigit() for char in node.value)
        message = (
            f"{name}number {_show(node.value)} is {digits:,} digits long; expected a number "
            f"of at most {MAX_NUMBER} digits (or the value in quotes, as text)"
        )
        problems.append(Problem(message, file, line, column))
        return None
    try:
        return constructor.construct_object(node)
    except (ValueError, KeyError, TypeError, IndexError, OverflowError):
        tag = "" if _implicit(node) else f" (tag {node.tag.replace(_YAML, '!!', 1)})"
        message = (
            f"{name}{_show(node.value)} is not {what}{tag}; expected {example}, "
            "or the value in quotes as text"
        )
        problems.append(Problem(message, file, line, column))
        return None


def _implicit(node: yaml.ScalarNode) -> bool:
    """Whether the node's tag comes from its text (``0x_``) rather than a tag (``!!int``)."""
    return yaml.resolver.Resolver().resolve(yaml.ScalarNode, node.value, (True, False)) == node.tag


def _control_problem(node: yaml.ScalarNode, path: Path_, file: Path, character: str) -> Problem:
    """A problem at a text value holding a control character (made by an escape)."""
    line, column = _mark(node)
    name = f"{_dotted(path)}: " if path else ""
    message = (
        f"{name}text holds the control character U+{ord(character):04X}; expected text "
        "without control characters (remove the escape)"
    )
    return Problem(message, file, line, column)


# C0 controls but tab and line ends, and DEL, as in .bib values (cv.bibtex).
_TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _too_long(node: yaml.ScalarNode, path: Path_, file: Path, *, key: bool = False) -> Problem:
    """A problem at a text value (or a key of the mapping at ``path``) over :data:`MAX_TEXT`."""
    line, column = _mark(node)
    name = f"{_dotted(path)}: " if path else ""
    what = "a key" if key else "text"
    message = (
        f"{name}{what} of {len(node.value):,} characters is too long; expected at most "
        f"{MAX_TEXT:,} characters"
    )
    return Problem(message, file, line, column)


class _TooBig(Exception):
    """Too deep, or too many values: stops building at once, with where it happened."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


_BRACKETS = re.compile(r"[\[\]{}]")


def _bracket_nesting(text: str, file: Path) -> Problem | None:
    """A problem where ``[``/``{`` nest too deep: PyYAML's time grows with the square of it.

    Brackets in quotes and comments count too: a real record never has a hundred open at once.
    """
    depth = 0
    for match in _BRACKETS.finditer(text):
        if match.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                start = match.start()
                line = text.count("\n", 0, start) + 1
                column = start - (text.rfind("\n", 0, start) + 1) + 1
                return Problem(_TOO_DEEP, file, line, column)
        elif depth:
            depth -= 1
    return None


def _too_deep(text: str, file: Path) -> Problem:
    """Where values first nest deeper than :data:`MAX_DEPTH` (PyYAML's parser does not recurse)."""
    depth = 0
    line, column = 1, 1
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark  # typed optional; the parser marks every event it makes
                if mark is not None:
                    line, column = mark.line + 1, mark.column + 1
                break
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return Problem(_TOO_DEEP, file, line, column)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _syntax_problem(error: yaml.MarkedYAMLError, file: Path) -> Problem:
    mark = error.problem_mark or error.context_mark
    if "end of stream" in (error.problem or "") and error.context_mark:
        mark = error.context_mark  # where the unclosed quote or bracket starts, not the file's end
    line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
    message = f"invalid YAML: {error.problem or error.context}"
    tab = "\\t" in (error.problem or "") or "\t" in (error.problem or "")
    hint = "YAML does not allow tabs for indentation; use spaces" if tab else None
    if error.context and error.problem:
        message += f" ({error.context})"
    return Problem(_LONG_QUOTE.sub(r"\1...'", message), file, line, column, hint)


# PyYAML quotes what it found whole: an undefined alias may be thousands of characters long.
_LONG_QUOTE = re.compile(r"('[^'\n]{37})[^'\n]{4,}'")


# --- pydantic errors -> located problems -------------------------------------------------------


def _problems_from(
    error: ValidationError, data: Any, positions: Positions, file: Path
) -> list[Problem]:
    """Turn pydantic's errors into one located, readable problem per bad value."""
    by_union: dict[Path_, list[tuple[Path_, ErrorDetails]]] = {}
    plain: list[tuple[Path_, ErrorDetails]] = []
    for details in error.errors(include_url=False):
        path, union_at = _data_path(details["loc"], data)
        if union_at is None:
            plain.append((path, details))
        else:
            by_union.setdefault(union_at, []).append((path, details))
    for union_at, group in by_union.items():
        # Keep the branch that fits the value's shape; if none does, say what would.
        fitting = [item for item in group if item[1]["type"] not in _TYPE_MISMATCH]
        if fitting:
            plain.extend(fitting)
        else:
            expected = " or ".join(sorted({_expected_type(d["type"]) for _, d in group}))
            value = group[0][1]["input"]
            plain.append(
                (
                    union_at,
                    {
                        **group[0][1],
                        "type": "union_mismatch",
                        "msg": f"expected {expected}, got {_show(value)}",
                    },
                )
            )
    problems = []
    seen: set[tuple[Path_, str]] = set()
    for path, details in plain:
        message, hint, at_key = _describe(path, details)
        at_key = at_key or details["loc"][-1:] == ("[key]",)
        if (path, message) in seen:
            continue
        seen.add((path, message))
        line, column = positions.of(path, key=at_key) or (None, None)
        problems.append(Problem(message, file, line, column, hint))
    return problems


def _data_path(loc: tuple[int | str, ...], data: Any) -> tuple[Path_, Path_ | None]:
    """Follow pydantic's error location through the data, skipping union-member tags."""
    path: list[str | int] = []
    union_at: Path_ | None = None
    node = data
    for part in loc:
        if part == "[key]":
            continue  # the key itself is wrong: the path already ends at it
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if (isinstance(node, dict) and part in node) or in_list:
            node = node[part]
        elif isinstance(node, dict) and part in _known_keys(tuple(path)):
            path.append(part)  # a missing key: the end of the path
            node = None
            continue
        else:
            union_at = union_at or tuple(path)  # a tag naming the union member tried
            continue
        path.append(part)
    return tuple(path), union_at


def _describe(path: Path_, details: ErrorDetails) -> tuple[str, str | None, bool]:
    """Message, hint and whether it points at the key (rather than the value)."""
    kind = details["type"]
    value = details["input"]
    ctx = details.get("ctx") or {}
    name = _dotted(path)
    if kind == "extra_forbidden":
        key = _short(str(path[-1]))
        known = _known_keys(path[:-1])
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else None
        where = _dotted(path[:-1]) or "the top level"
        expected = ", ".join(known)
        return f"unknown key '{key}' in {where}; expected one of: {expected}", hint, True
    if kind == "missing":
        where = _dotted(path[:-1]) or "the top level"
        return f"{where}: required key '{path[-1]}' is missing", None, False
    if kind == "value_error":
        reason = str(ctx.get("error", details["msg"]))
        return f"{name}: {_show(value)} is not valid: {reason}", None, False
    if kind == "literal_error":
        options = [
            o.strip(" '") for o in str(ctx.get("expected", "")).replace(" or ", ", ").split(",")
        ]
        close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'?" if close else None
        return f"{name}: {_show(value)} is not allowed; expected {ctx.get('expected')}", hint, False
    if kind == "union_mismatch":
        return f"{name}: {details['msg']}", None, False
    if kind in _TYPE_MISMATCH:
        return f"{name}: expected {_expected_type(kind)}, got {_show(value)}", None, False
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        return (
            f"{name}: {_show(value)} is too small; expected a number of at least {bound}",
            None,
            False,
        )
    if kind == "string_pattern_mismatch":
        return (
            (
                f"{name}: {_show(value)} is not a valid name; "
                "expected letters, digits, '-' and '_' (like cv-short)"
            ),
            None,
            False,
        )
    if kind == "string_too_short":
        return f"{name}: must not be empty", None, False
    return f"{name}: {details['msg']}, got {_show(value)}", None, False


def _expected_type(kind: str) -> str:
    return {
        "string_type": "text",
        "dict_type": "a mapping (key: value lines)",
        "model_type": "a mapping (key: value lines)",
        "model_attributes_type": "a mapping (key: value lines)",
        "list_type": "a list (lines starting with '- ')",
        "int_type": "a whole number",
        "int_parsing": "a whole number",
        "bool_type": "true or false",
        "bool_parsing": "true or false",
        "float_type": "a number",
        "float_parsing": "a number",
    }.get(kind, kind.replace("_", " "))


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "...'"


def _dotted(path: Path_) -> str:
    text = ""
    for part in path:
        shown = _short(str(part))  # a key may be a long text the user never meant as a key
        text += f"[{part}]" if isinstance(part, int) else (f".{shown}" if text else shown)
    return text


def _short(text: str) -> str:
    """A key for a message: on one line, shortened."""
    text = _one_line(text)
    return text if len(text) <= 40 else text[:37] + "..."


def _one_line(text: str) -> str:
    """``text`` with line breaks and control characters written as ``\\x0a``, for messages."""
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _known_keys(path: Path_) -> list[str]:
    """The field names of the model(s) that the mapping at ``path`` is validated against."""
    models: list[type[BaseModel]] = [Record]
    for part in path:
        if isinstance(part, int):
            continue
        inner = [
            m
            for model in models
            if part in model.model_fields
            for m in _models_in(model.model_fields[part].annotation)
        ]
        if inner:
            models = inner
        # else: a dict key (like a section name) that keeps the same value type
    return sorted({name for model in models for name in model.model_fields})


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = typing.get_origin(annotation)
    if origin in (typing.Annotated,):
        return _models_in(typing.get_args(annotation)[0])
    if origin is dict:
        return _models_in(typing.get_args(annotation)[1])
    if origin in (list, typing.Union, types.UnionType):
        return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]
    return []


# --- files the record names ----------------------------------------------------------------------


def check_sections(source: Source) -> list[Problem]:
    """Every key ``sections:`` names is a section; no ``custom:`` key is a built-in one."""
    record = source.record
    problems = []
    for key in record.custom:
        if key in BUILT_IN:
            line, column = source.positions.of(("custom", key), key=True) or (None, None)
            problems.append(
                Problem(
                    f"custom section '{key}' has the key of a built-in section; expected "
                    f"another key (or the built-in `{key}:` list)",
                    source.file,
                    line,
                    column,
                )
            )
    known = [*BUILT_IN, *(key for key in record.custom if key not in BUILT_IN)]
    lists: list[tuple[Path_, list[Any] | None]] = [(("sections",), record.sections)]
    lists += [
        (("documents", name, "sections"), document.sections)
        for name, document in record.documents.items()
    ]
    for where, sections in lists:
        for index, item in enumerate(sections or []):
            for key in [item] if isinstance(item, str) else list(item):
                if key in known:
                    continue
                path = (*where, index) if isinstance(item, str) else (*where, index, key)
                close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
                line, column = source.positions.of(path, key=not isinstance(item, str)) or (
                    None,
                    None,
                )
                problems.append(
                    Problem(
                        f"{_dotted((*where, index))}: unknown section '{key}'; expected one of: "
                        f"{', '.join(known)} "
                        "(or a section of your own under `custom:`)",
                        source.file,
                        line,
                        column,
                        f"did you mean '{close[0]}'?" if close else None,
                    )
                )
    return problems


def check_files(source: Source) -> list[Problem]:
    """Every file the record names must exist inside the data folder.

    A name no file can have (too long for the system, a NUL character) is a problem at the
    value like a missing file: never the ``OSError`` of looking it up (:mod:`cv.files`).
    """
    record = source.record
    named: list[tuple[Path_, str, str]] = []
    if record.photo:
        named.append((("photo",), record.photo, "an image file (JPEG, PNG or WebP)"))
    for index, name in enumerate(record.publications.bibtex):
        named.append((("publications", "bibtex", index), name, "a BibTeX file"))
    if record.publications.scholar:
        named.append(
            (("publications", "scholar"), record.publications.scholar, "a gs_data.json snapshot")
        )
    problems = []
    root = real_path(source.data_dir) or source.data_dir  # load_record has resolved it once
    for path, written, what in named:
        given = source.data_dir / written
        name = _shown_name(written)
        if reason := name_problem(given):  # before any look-up, which it would fail
            message = f"'{name}' {reason}; expected {what}"
        elif (resolved := real_path(given)) is None:
            message = f"'{name}' is a symbolic link that loops, or not a file name; expected {what}"
        elif not resolved.is_relative_to(root):
            message = f"'{name}' is outside the data folder; expected {what} in {source.data_dir}"
        elif reason := lookup_problem(resolved):  # only inside: it tells what is there
            message = f"'{name}' {reason}; expected {what}"
        elif kind := not_a_file(resolved):
            message = f"'{name}' is {kind}, not a file; expected {what}"
        elif not is_file(resolved):
            message = f"file '{name}' not found; expected {what} at {source.data_dir / name}"
        else:
            continue
        problems.append(source.problem(path, message))
    return problems


def _named_files(data: Any) -> Record | None:
    """The files a record that did not validate names, as a record of those alone (None when
    they are not plain file names either: their own errors say so)."""
    if not isinstance(data, dict):
        return None
    publications = data.get("publications", {})
    publications = publications if isinstance(publications, dict) else {}
    bibtex = publications.get("bibtex", [])  # the files it names; the default is checked once valid
    bibtex = [bibtex] if isinstance(bibtex, str) else bibtex
    photo, scholar = data.get("photo"), publications.get("scholar")
    names = [*bibtex, photo or "", scholar or ""] if isinstance(bibtex, list) else [None]
    if not all(isinstance(name, str) for name in names):
        return None
    return Record.model_construct(
        photo=photo, publications=Publications.model_construct(bibtex=bibtex, scholar=scholar)
    )


def _shown_name(written: str) -> str:
    """A file name for a message: on one line (a YAML escape can put a line break in it), and
    shortened when it is longer than a message line."""
    name = _one_line(written)
    return name if len(name) <= 80 else name[:60] + "..."
