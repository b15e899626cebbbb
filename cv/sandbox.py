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

import gc
import re
import signal
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from types import BuiltinMethodType, FrameType, MappingProxyType, MethodType
from typing import Any

import jinja2
import jinja2.compiler
import jinja2.runtime
import jinja2.utils
from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from cv.views import VIEW_FIELDS

MAX_TEXT = 2_000_000
"""The longest text a template may make in one step (a whole CV page is a few hundred KB)."""

MAX_INT_BITS = 4_000
"""The largest number a template may compute, in bits (about 1,200 digits)."""

MAX_ARGUMENT = 100_000
"""The largest number a filter or method may be given (a width, a count)."""

MAX_WRITTEN = 30_000_000
"""The most text one render's ``{{ ... }}`` may write, counting what blocks and macros capture
(a 1,500-paper CV writes about 6 MB)."""

DEADLINE = 10.0
"""Seconds a user's template may take to render (the bundled ones take a few hundredths)."""

_TEXT_METHODS = frozenset(
    {
        "capitalize",
        "casefold",
        "center",
        "count",
        "endswith",
        "find",
        "format",
        "index",
        "isalnum",
        "isalpha",
        "isdecimal",
        "isdigit",
        "islower",
        "isnumeric",
        "isspace",
        "istitle",
        "isupper",
        "join",
        "ljust",
        "lower",
        "lstrip",
        "partition",
        "removeprefix",
        "removesuffix",
        "replace",
        "rfind",
        "rindex",
        "rjust",
        "rpartition",
        "rsplit",
        "rstrip",
        "split",
        "splitlines",
        "startswith",
        "strip",
        "striptags",
        "swapcase",
        "title",
        "unescape",
        "upper",
        "zfill",
    }
)
_MAPPING_METHODS = frozenset({"get", "items", "keys", "values"})
_SEQUENCE_METHODS = frozenset({"count", "index"})
_LOOP_ATTRIBUTES = frozenset(
    {
        "index",
        "index0",
        "revindex",
        "revindex0",
        "first",
        "last",
        "length",
        "depth",
        "depth0",
        "previtem",
        "nextitem",
        "cycle",
        "changed",
    }
)
_CYCLER_ATTRIBUTES = frozenset({"current", "next", "reset"})

_Cycler = jinja2.utils.Cycler
_Joiner = jinja2.utils.Joiner
_Namespace = jinja2.utils.Namespace
_Loop = jinja2.runtime.LoopContext
_Macro = jinja2.runtime.Macro
_Block = jinja2.runtime.BlockReference
_TemplateReference = jinja2.runtime.TemplateReference
_REACHABLE = (
    str,
    tuple,
    list,
    dict,
    MappingProxyType,
    range,
    _TemplateReference,
    _Loop,
    _Cycler,
    _Block,
    _Namespace,
    _Joiner,
    jinja2.Undefined,
)
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
    """Jinja's code generator, with every ``~`` concatenation and every output measured."""

    def visit_Concat(self, node: nodes.Concat, frame: jinja2.compiler.Frame) -> None:
        self.write("environment.bounded(")
        super().visit_Concat(node, frame)
        self.write(")")

    # Each {{ ... }} goes through environment.counted, wherever it is written: into the page,
    # or into the buffer of a {% set %} block, a macro or a {% filter %} block, which Jinja
    # joins only at their end (a loop filling one would otherwise grow without a check).
    def _output_child_pre(
        self, node: nodes.Expr, frame: jinja2.compiler.Frame, finalize: Any
    ) -> None:
        self.write("environment.counted(")
        super()._output_child_pre(node, frame, finalize)

    def _output_child_post(
        self, node: nodes.Expr, frame: jinja2.compiler.Frame, finalize: Any
    ) -> None:
        super()._output_child_post(node, frame, finalize)
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
        raise SecurityError(
            f"access to attribute {attribute!r} of {type(obj).__name__!r} object is unsafe."
        )

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

    def call(
        __self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any
    ) -> Any:  # noqa: N805
        if not __self.is_safe_callable(__obj):
            raise SecurityError(f"a template cannot call {type(__obj).__name__!r} objects")
        if isinstance(getattr(__obj, "__self__", None), str):  # a width, a count of copies
            _check_arguments(args, kwargs)
        return _bounded(__context.call(__obj, *args, **kwargs))

    def call_binop(
        self, context: jinja2.runtime.Context, operator_: str, left: Any, right: Any
    ) -> Any:
        _check_binop(operator_, left, right)
        return _bounded(self.binop_table[operator_](left, right))

    def bounded(self, text: str) -> str:
        """The text a ``~`` made, refused when longer than :data:`MAX_TEXT`."""
        return _bounded(text)

    def start_render(self) -> None:
        """Start counting what a render writes (:meth:`counted`) from zero."""
        self._written = 0

    def counted(self, text: Any) -> Any:
        """Text a ``{{ ... }}`` writes, refused once a render has written :data:`MAX_WRITTEN`."""
        if isinstance(text, str):
            self._written = getattr(self, "_written", 0) + len(text)
        if getattr(self, "_written", 0) > MAX_WRITTEN:
            raise SecurityError(
                f"the template wrote more than {MAX_WRITTEN:,} characters; "
                "expected a page of a few hundred thousand"
            )
        return text


def _bounded(value: Any) -> Any:
    """``value`` when it is not too big: text up to MAX_TEXT, numbers up to MAX_INT_BITS."""
    if isinstance(value, str | list | tuple) and len(value) > MAX_TEXT:
        raise SecurityError(
            f"a value of {len(value):,} characters or items; the most a template "
            f"may make is {MAX_TEXT:,}"
        )
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise SecurityError(f"a number of more than {MAX_INT_BITS:,} bits")
    return value


def _check_arguments(args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_ARGUMENT:
            raise SecurityError(
                f"an argument of {value:,}; the largest allowed is {MAX_ARGUMENT:,}"
            )


def _length(value: Any) -> int:
    return len(value) if isinstance(value, str | list | tuple) else 0


def _check_binop(name: str, left: Any, right: Any) -> None:
    """Refuse an operation whose result would be too big before it is computed."""
    if name == "*":
        for sized, count in ((left, right), (right, left)):
            if _length(sized) and isinstance(count, int) and _length(sized) * count > MAX_TEXT:
                raise SecurityError(
                    f"repeating {_length(sized):,} characters or items {count:,} "
                    f"times; the most a template may make is {MAX_TEXT:,}"
                )
        if (
            isinstance(left, int)
            and isinstance(right, int)
            and left.bit_length() + right.bit_length() > MAX_INT_BITS
        ):
            raise SecurityError(f"a number of more than {MAX_INT_BITS:,} bits")
    elif name == "**" and isinstance(left, int) and isinstance(right, int):
        if right > 0 and abs(left) > 1 and left.bit_length() * right > MAX_INT_BITS:
            raise SecurityError(f"{left} ** {right} is a number of more than {MAX_INT_BITS:,} bits")
    elif name == "%" and isinstance(left, str):
        if re.search(r"\d{7,}|%[^a-zA-Z%]*\*", left):
            raise SecurityError("a %-format width over 999,999 (or one taken from an argument)")
    elif name == "+" and _length(left) + _length(right) > MAX_TEXT:
        raise SecurityError(
            f"text of {_length(left) + _length(right):,} characters; the most a "
            f"template may make is {MAX_TEXT:,}"
        )


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
            growth = max(
                (
                    _length(a) if isinstance(a, str) else a if isinstance(a, int) else 0
                    for a in (*args[skip:], *kwargs.values())
                ),
                default=0,
            )
            if _length(value) * (1 + growth) > 50 * MAX_TEXT:
                raise SecurityError(f"the {name} filter would make too much text")
        return _bounded(function(*args, **kwargs))

    return bounded


# fmt: off
_REFUSED_ELEMENTS = frozenset({
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal",
    "noscript", "noembed", "form", "template", "input", "button", "select", "textarea",
})
# fmt: on
"""What runs code or loads another page in a browser, hides markup from a parser, or makes a
form of the PDF."""

_LINK_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "data", "poster"})
_URL_ATTRIBUTES = _LINK_ATTRIBUTES | {
    "background",
    "srcset",
    "ping",
    "cite",
    "manifest",
    "codebase",
    "lowsrc",
    "dynsrc",
    "values",
    "to",
    "from",
    "by",
    "style",  # SVG animations set a link; CSS has url()
}
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
MAX_SVG_USES = 50
"""The most SVG ``<use>`` elements a page may hold (each can repeat others without end)."""


_SCRIPT_SCHEME = re.compile(r"(?:^|[;,]|url\(['\"]?)(?:javascript|vbscript):")


def _runs_script(name: str, plain: str) -> bool:
    """Whether an attribute's value (without spaces, lower case) is or holds a script link:
    the whole value of a link, an item of an animation's or srcset's list, a CSS url()."""
    if name in ("values", "srcset", "style"):
        return _SCRIPT_SCHEME.search(plain) is not None
    return plain.startswith(("javascript:", "vbscript:"))


def active_content(html: str) -> str | None:
    """The first thing in the page that would run code in a browser, or None.

    The page is parsed as a browser parses it (tinyhtml5, the HTML5 parser WeasyPrint reads
    pages with), so comments, CDATA, raw-text elements and SVG are read the way they would
    run. The bundled templates make none of this and text from the record is escaped, so
    anything found came from a user's template (its own HTML, ``|safe``, or
    ``{% autoescape false %}``).
    """
    import tinyhtml5  # a WeasyPrint dependency

    uses = 0
    for element in tinyhtml5.parse(html).iter():
        if not isinstance(element.tag, str):
            continue  # a comment
        tag = element.tag.rpartition("}")[2].lower()
        if tag in _REFUSED_ELEMENTS:
            return f"a <{tag}> element"
        if tag == "meta" and (element.get("http-equiv") or "").strip().lower() == "refresh":
            return "a <meta> refresh"
        uses += tag == "use"
        if uses > MAX_SVG_USES:
            return f"more than {MAX_SVG_USES} SVG <use> elements"
        for qualified, value in element.attrib.items():
            name = qualified.rpartition("}")[2].lower()
            plain = _INVISIBLE.sub("", value).lower()
            if name.startswith("on"):
                return f"an event handler ({name}=)"
            if name == "srcdoc":
                return "an srcdoc= page"
            if name in _URL_ATTRIBUTES and _runs_script(name, plain):
                return f"a script link ({name}={value[:40]!r})"
            if name in _LINK_ATTRIBUTES and plain.startswith("data:") and tag != "img":
                return f"a data: link ({name}={value[:40]!r})"
    return None


BUILD_BUDGET = 20.0
"""Seconds all renders of user templates may take together in one build (:func:`budget`)."""

_BUDGET: ContextVar[list[float] | None] = ContextVar("template_budget", default=None)


@contextmanager
def budget(seconds: float | None = None) -> Iterator[None]:
    """Share one time budget among every user-template render in the block (a build renders
    the CV, the bio several times while fitting it, and each document)."""
    token = _BUDGET.set([BUILD_BUDGET if seconds is None else seconds])
    try:
        yield
    finally:
        _BUDGET.reset(token)


ALARM_REPEAT = 0.05
"""Seconds between the alarms after a deadline, until one stops the render."""


def _in_finalizer(frame: FrameType | None) -> bool:
    """Whether ``frame`` runs where an exception cannot get out: a ``__del__``, a
    ``weakref.finalize`` or a garbage collector's callback (Python prints and drops it)."""
    stuck = {weakref.finalize.__call__.__code__}
    stuck |= {code for code in (getattr(c, "__code__", None) for c in gc.callbacks) if code}
    while frame is not None:
        if frame.f_code.co_name == "__del__" or frame.f_code in stuck:
            return True
        frame = frame.f_back
    return False


@contextmanager
def deadline(seconds: float | None = None) -> Iterator[None]:
    """Raise :class:`TemplateTimeout` in the code running when ``seconds`` have passed.

    Args:
        seconds: The time allowed; :data:`DEADLINE` by default, and never more than what is
            left of the build's :func:`budget`.

    Only in the main thread of a process that has ``SIGALRM`` (a build, ``cv watch``); elsewhere
    (the API called from a thread) the render runs without a deadline.
    """
    seconds = DEADLINE if seconds is None else seconds
    shared = _BUDGET.get()
    if shared is not None:
        if shared[0] <= 0:
            raise TemplateTimeout(
                f"the templates took more than {BUILD_BUDGET:g} s in this "
                "build; expected templates that format what they are given"
            )
        seconds = min(seconds, shared[0])
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return

    armed = [True]

    def expire(_signal: int, frame: FrameType | None) -> None:
        # An exception raised inside a finalizer (a temporary file's __del__, run by the
        # garbage collector in the middle of the render) is printed and lost, and the render
        # would run on: the alarm repeats, and waits until the finalizer is done.
        if armed[0] and not _in_finalizer(frame):
            raise TemplateTimeout(
                f"the template took longer than {seconds:g} s to render; expected "
                "a template that formats what it is given"
            )

    previous = signal.signal(signal.SIGALRM, expire)
    started = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, seconds, ALARM_REPEAT)
    try:
        yield
    finally:
        while armed[0]:
            try:  # noqa: SIM105 - contextlib.suppress runs Python code an alarm can break into
                armed[0] = False  # from here on a late alarm raises nothing
            except TemplateTimeout:
                pass  # the deadline came as the block ended: nothing is left to stop
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if shared is not None:
            shared[0] -= time.monotonic() - started


__all__ = ["TemplateSandbox", "TemplateTimeout", "active_content", "budget", "deadline"]
