"""The template sandbox: an allowlist of what a template may read and call, and bounds on it.

Templates in ``data/theme/`` come with the data, which may be a stranger's. Jinja's own
sandbox refuses ``_private`` attributes and lets everything else through, so any object a
context ever carried (a ``Path``, a model) would hand a template its methods. This one turns
that around: a template may read only

- the fields of the view records of :mod:`cv.views` (never their methods),
- the harmless methods of text (``upper``, ``split``, ``format`` ...), and ``get``, ``items``,
  ``keys`` and ``values`` of mappings,
- what Jinja gives every template (``loop``, ``namespace``, ``cycler``, ``joiner``,
  ``self`` for blocks, ``super()`` and macros),

and call only those methods, macros, blocks and the globals left (``range``, ``dict``,
``namespace``, ``cycler``, ``joiner``; ``lipsum`` is removed). Every other attribute is a
:class:`~jinja2.exceptions.SecurityError`.

Work is bounded as well, so that a template cannot take the build's memory or time: text made
by ``~``, ``+``, ``*``, ``%``, ``format``, a method or a filter is at most
:data:`MAX_TEXT` characters, numbers at most :data:`MAX_INT_BITS` bits, and a render of a
user's template at most :data:`DEADLINE` seconds (:func:`deadline`).
"""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import wraps
from html.parser import HTMLParser
from types import BuiltinMethodType, FrameType, MappingProxyType, MethodType
from typing import Any

import jinja2
import jinja2.compiler
import jinja2.runtime
import jinja2.utils
from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from cv.views import VIEW_FIELDS

MAX_TEXT = 2_000_000
"""The longest text a template may make in one step (a whole CV page is a few hundred KB)."""

MAX_INT_BITS = 4_000
"""The largest number a template may compute, in bits (about 1,200 digits)."""

MAX_ARGUMENT = 100_000
"""The largest number a filter or method may be given (a width, a count)."""

DEADLINE = 10.0
"""Seconds a user's template may take to render (the bundled ones take a few hundredths)."""

_TEXT_METHODS = frozenset({
    "capitalize", "casefold", "center", "count", "endswith", "find", "format", "index",
    "isalnum", "isalpha", "isdecimal", "isdigit", "islower", "isnumeric", "isspace", "istitle",
    "isupper", "join", "ljust", "lower", "lstrip", "partition", "removeprefix", "removesuffix",
    "replace", "rfind", "rindex", "rjust", "rpartition", "rsplit", "rstrip", "split",
    "splitlines", "startswith", "strip", "striptags", "swapcase", "title", "unescape", "upper",
    "zfill",
})  # fmt: skip
_MAPPING_METHODS = frozenset({"get", "items", "keys", "values"})
_SEQUENCE_METHODS = frozenset({"count", "index"})
_LOOP_ATTRIBUTES = frozenset({
    "index", "index0", "revindex", "revindex0", "first", "last", "length", "depth", "depth0",
    "previtem", "nextitem", "cycle", "changed",
})  # fmt: skip
_CYCLER_ATTRIBUTES = frozenset({"current", "next", "reset"})

_Cycler = jinja2.utils.Cycler
_Joiner = jinja2.utils.Joiner
_Namespace = jinja2.utils.Namespace
_Loop = jinja2.runtime.LoopContext
_Macro = jinja2.runtime.Macro
_Block = jinja2.runtime.BlockReference
_TemplateReference = jinja2.runtime.TemplateReference
_REACHABLE = (
    str, tuple, list, dict, MappingProxyType, range, _TemplateReference,
    _Loop, _Cycler, _Block, _Namespace, _Joiner, jinja2.Undefined,
)  # fmt: skip
"""What a template may look into, besides views: its attributes or items."""


class TemplateTimeout(Exception):
    """A user's template ran past :data:`DEADLINE`."""


class _FormatCall:
    """``text.format`` as a template calls it: sandboxed (Jinja's formatter) and bounded."""

    def __init__(self, format: Callable[..., str], template: str) -> None:
        self._format = format
        self._template = template

    def __call__(self, *args: Any, **kwargs: Any) -> str:
        # A width or precision written into the format ("{:>999999999}") makes its text before
        # anything could measure it.
        if re.search(r"\d{7,}|\{[^{}]*:[^{}]*\{", self._template):
            raise SecurityError("a format width over 999,999 (or one taken from an argument)")
        return _bounded(self._format(*args, **kwargs))


class _BoundedCodeGenerator(jinja2.compiler.CodeGenerator):
    """Jinja's code generator, with every ``~`` concatenation measured."""

    def visit_Concat(self, node: nodes.Concat, frame: jinja2.compiler.Frame) -> None:
        self.write("environment.bounded(")
        super().visit_Concat(node, frame)
        self.write(")")


class TemplateSandbox(ImmutableSandboxedEnvironment):
    """A sandbox that allowlists attributes and calls and bounds what templates make."""

    code_generator_class = _BoundedCodeGenerator
    intercepted_binops = frozenset({"+", "*", "**", "%", "//", "/", "-"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals.pop("lipsum", None)  # makes any amount of text
        self.filters = {name: _bounded_filter(name, f) for name, f in self.filters.items()}
        self.filters.pop("random", None)  # a build is deterministic

    # --- what a template may read ---

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if attr.startswith("_"):
            return False
        kind = type(obj)
        if kind in VIEW_FIELDS:
            return attr in VIEW_FIELDS[kind]
        if isinstance(obj, str):
            return attr in _TEXT_METHODS
        if isinstance(obj, dict | MappingProxyType):
            return attr in _MAPPING_METHODS
        if isinstance(obj, tuple | list):
            return attr in _SEQUENCE_METHODS
        if isinstance(obj, _Loop):
            return attr in _LOOP_ATTRIBUTES
        if isinstance(obj, _Cycler):
            return attr in _CYCLER_ATTRIBUTES
        if isinstance(obj, _Block):
            return attr == "super"
        # A namespace holds only what the template itself set on it.
        return isinstance(obj, _Namespace)

    def getattr(self, obj: Any, attribute: str) -> Any:
        if not self._reachable(obj):
            return self._refused(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if not self._reachable(obj):
            return self._refused(obj, argument)
        return super().getitem(obj, argument)

    def _reachable(self, obj: Any) -> bool:
        """Whether a template may look into ``obj`` at all (attributes or items)."""
        return isinstance(obj, _REACHABLE) or type(obj) in VIEW_FIELDS

    def _refused(self, obj: Any, name: Any) -> jinja2.Undefined:
        return self.unsafe_undefined(obj, str(name))

    def unsafe_undefined(self, obj: Any, attribute: str) -> jinja2.Undefined:
        # Raised at once: an undefined value would pass quietly through a filter (``map``).
        raise SecurityError(f"access to attribute {attribute!r} of {type(obj).__name__!r} "
                            "object is unsafe.")  # fmt: skip

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        return _FormatCall(wrapped, str(value.__self__))

    # --- what a template may call ---

    def is_safe_callable(self, obj: Any) -> bool:
        if isinstance(obj, _Macro | _Block | _Joiner | _Loop | _FormatCall):
            return True
        if obj in (self.globals.get("range"), dict, _Namespace, _Cycler, _Joiner):
            return True
        if isinstance(obj, MethodType | BuiltinMethodType):
            owner, name = getattr(obj, "__self__", None), obj.__name__
            return (
                (isinstance(owner, str) and name in _TEXT_METHODS)
                or (isinstance(owner, dict | MappingProxyType) and name in _MAPPING_METHODS)
                or (isinstance(owner, tuple | list) and name in _SEQUENCE_METHODS)
                or (isinstance(owner, _Loop) and name in ("cycle", "changed"))
                or (isinstance(owner, _Cycler) and name in ("next", "reset"))
            )
        return False

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        if not __self.is_safe_callable(__obj):
            raise SecurityError(f"a template cannot call {type(__obj).__name__!r} objects")
        if isinstance(getattr(__obj, "__self__", None), str):  # a width, a count of copies
            _check_arguments(args, kwargs)
        return _bounded(__context.call(__obj, *args, **kwargs))

    def call_binop(self, context: jinja2.runtime.Context, operator_: str, left: Any, right: Any) -> Any:
        _check_binop(operator_, left, right)
        return _bounded(self.binop_table[operator_](left, right))

    def bounded(self, text: str) -> str:
        """The text a ``~`` made, refused when longer than :data:`MAX_TEXT`."""
        return _bounded(text)


def _bounded(value: Any) -> Any:
    """``value`` when it is not too big: text up to MAX_TEXT, numbers up to MAX_INT_BITS."""
    if isinstance(value, str | list | tuple) and len(value) > MAX_TEXT:
        raise SecurityError(f"a value of {len(value):,} characters or items; the most a template "
                            f"may make is {MAX_TEXT:,}")  # fmt: skip
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise SecurityError(f"a number of more than {MAX_INT_BITS:,} bits")
    return value


def _check_arguments(args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_ARGUMENT:
            raise SecurityError(f"an argument of {value:,}; the largest allowed is {MAX_ARGUMENT:,}")


def _length(value: Any) -> int:
    return len(value) if isinstance(value, str | list | tuple) else 0


def _check_binop(name: str, left: Any, right: Any) -> None:
    """Refuse an operation whose result would be too big before it is computed."""
    if name == "*":
        for sized, count in ((left, right), (right, left)):
            if _length(sized) and isinstance(count, int) and _length(sized) * count > MAX_TEXT:
                raise SecurityError(f"repeating {_length(sized):,} characters or items {count:,} "
                                    f"times; the most a template may make is {MAX_TEXT:,}")  # fmt: skip
        if isinstance(left, int) and isinstance(right, int):
            if left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise SecurityError(f"a number of more than {MAX_INT_BITS:,} bits")
    elif name == "**" and isinstance(left, int) and isinstance(right, int):
        if right > 0 and abs(left) > 1 and left.bit_length() * right > MAX_INT_BITS:
            raise SecurityError(f"{left} ** {right} is a number of more than {MAX_INT_BITS:,} bits")
    elif name == "%" and isinstance(left, str):
        if re.search(r"\d{7,}|%[^a-zA-Z%]*\*", left):
            raise SecurityError("a %-format width over 999,999 (or one taken from an argument)")
    elif name == "+" and _length(left) + _length(right) > MAX_TEXT:
        raise SecurityError(f"text of {_length(left) + _length(right):,} characters; the most a "
                            f"template may make is {MAX_TEXT:,}")  # fmt: skip


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter whose numeric arguments and result are bounded like every other step."""

    # The value filtered comes after the context or environment of filters that take one.
    skip = 2 if hasattr(function, "jinja_pass_arg") else 1

    @wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _check_arguments(args[skip:], kwargs)
        value = args[skip - 1] if len(args) >= skip else None
        if name == "format":  # "%999999999d"|format(1): the value is a %-format
            _check_binop("%", value, None)
        elif name in ("indent", "replace") and _length(value):
            # Each line (indent) or each match (replace) can grow by the size of an argument.
            growth = max((_length(a) if isinstance(a, str) else a if isinstance(a, int) else 0
                          for a in (*args[skip:], *kwargs.values())), default=0)  # fmt: skip
            if _length(value) * (1 + growth) > 50 * MAX_TEXT:
                raise SecurityError(f"the {name} filter would make too much text")
        return _bounded(function(*args, **kwargs))

    return bounded


_SCRIPT_URL = re.compile(r"^(javascript|vbscript|data:\s*text/html)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


class _ActiveContent(HTMLParser):
    """Finds what would run in a browser: scripts, event handlers, script URLs, refreshes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: tuple[str, int] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.found is not None:
            return
        if tag == "script":
            self.found = ("a <script> element", self.getpos()[0])
        for name, value in attrs:
            if name.startswith("on"):
                self.found = (f"an event handler ({name}=)", self.getpos()[0])
            elif value and _SCRIPT_URL.match(_CONTROL.sub("", value)):
                self.found = (f"a script link ({name}={value[:40]!r})", self.getpos()[0])
            elif tag == "meta" and name == "http-equiv" and (value or "").lower() == "refresh":
                self.found = ("a <meta> refresh", self.getpos()[0])

    handle_startendtag = handle_starttag


def active_content(html: str) -> tuple[str, int] | None:
    """The first thing in ``html`` that would run code in a browser, and its line; or None.

    The bundled templates make none, and text from the record is escaped, so anything found
    came from a user's template (``{% autoescape false %}``, ``|safe``, or its own HTML).
    """
    parser = _ActiveContent()
    parser.feed(html)
    parser.close()
    return parser.found


@contextmanager
def deadline(seconds: float | None = None) -> Iterator[None]:
    """Raise :class:`TemplateTimeout` in the code running when ``seconds`` have passed.

    Args:
        seconds: The time allowed; :data:`DEADLINE` by default.

    Only in the main thread of a process that has ``SIGALRM`` (a build, ``cv watch``); elsewhere
    (the API called from a thread) the render runs without a deadline.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    seconds = DEADLINE if seconds is None else seconds

    def expire(_signal: int, _frame: FrameType | None) -> None:
        raise TemplateTimeout(f"the template took longer than {seconds:g} s to render; expected "
                              "a template that formats what it is given")  # fmt: skip

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


__all__ = ["TemplateSandbox", "TemplateTimeout", "active_content", "deadline"]
