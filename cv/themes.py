"""Finding themes and user overrides, their CSS and options, and the Jinja environment.

Search order: the user's ``data/theme/`` folder, the theme, its parents, then ``base/``. Every
theme is also reachable by prefix (``"base/cv.html.j2"``, ``"classic/sections/news.html.j2"``),
which names that theme's version of a template (its own file or the one it inherits), so that
an override can extend the template it replaces.

CSS is applied in this order: each folder's ``print.css``, ``style.css`` (and ``bio.css`` for
the bio) from base to theme, then the options of the record (``theme: {accent_color, ...}``,
defaults in each ``theme.yaml``) as custom properties, then the user's ``custom.css``.
"""

from __future__ import annotations

import difflib
import os
import re
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import tinycss2
import yaml
from jinja2.exceptions import SecurityError
from markupsafe import Markup
from pydantic import ValidationError

from cv import model
from cv.cache import bytecode_cache
from cv.errors import CVError, Problem
from cv.files import real_path
from cv.i18n import template_words
from cv.sandbox import TemplateSandbox, TemplateTimeout, active_content, deadline
from cv.templates import THEME_FILE, templates_root
from cv.typeset import typeset
from cv.views import check_plain

USER_THEME_DIR = "theme"
OPTIONS = ("accent_color", "font_size", "margins")
"""The options a theme gives defaults for (``page_size`` is the record's: A4 unless it says)."""


@dataclass(frozen=True)
class Theme:
    """A theme: its name, description, option defaults and the folders searched for templates."""

    name: str
    description: str
    folders: tuple[Path, ...]  # most specific first: user override, theme, parents, base
    defaults: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def user_folder(self) -> Path | None:
        """The record's ``theme/`` override folder, when it has one."""
        first = self.folders[0]
        return first if first.parent != templates_root() else None

    def stylesheets(self, page: str = "cv") -> list[Path]:
        """CSS files applied in order: base first, the user's ``custom.css`` last.

        Args:
            page: ``cv``, ``bio`` or ``web`` (cv.html); the bio adds each folder's ``bio.css``
                after ``style.css``, the web page each folder's ``screen.css``.
        """
        names = ["print.css", "style.css", "bio.css", "screen.css", "custom.css"]
        if page != "bio":
            names.remove("bio.css")
        if page != "web":
            names.remove("screen.css")
        ordered = [folder / name for name in names for folder in reversed(self.folders)]
        return [sheet for sheet in ordered if sheet.is_file()]

    def css(self, page: str = "cv", chosen: model.Theme | None = None) -> str:
        """The page's whole stylesheet: the theme's files, the options, then ``custom.css``.

        Args:
            page: ``cv``, ``bio`` or ``web``.
            chosen: The record's ``theme:`` options; what it leaves out comes from ``theme.yaml``.
                The bio has margins of its own and keeps them unless the record sets some.
        """
        sheets = self.stylesheets(page)
        custom = [sheet for sheet in sheets if sheet.name == "custom.css"]
        parts = [sheet.read_text(encoding="utf-8") for sheet in sheets if sheet not in custom]
        parts.append(self.options_css(page, chosen))
        parts += [sheet.read_text(encoding="utf-8") for sheet in custom]
        return "\n".join(parts)

    def options(self, chosen: model.Theme | None = None) -> dict[str, str]:
        """Every option's value: the record's where it sets one, else the theme's default."""
        values = dict(self.defaults)
        if chosen is not None:
            values.update({k: v for k in OPTIONS if (v := getattr(chosen, k)) is not None})
        return values

    def options_css(self, page: str = "cv", chosen: model.Theme | None = None) -> str:
        """``:root`` custom properties and ``@page`` margins for the options (validated values)."""
        values = self.options(chosen)
        properties = {
            "--accent-color": values.get("accent_color"),
            "--font-size": values.get("font_size"),
        }
        if page == "bio":
            properties.pop("--font-size")  # the bio's type is set by its fitting
        margins = values.get("margins")
        if page == "bio" and (chosen is None or chosen.margins is None):
            margins = None
        lines = ["/* options: theme.yaml defaults and the record's theme: */"]
        declared = "; ".join(f"{name}: {value}" for name, value in properties.items() if value)
        if declared:
            lines.append(f":root {{ {declared}; }}")
        if margins:
            lines.append(f"@page {{ margin: {margins}; }}")
        return "\n".join(lines)


def available_themes() -> dict[str, str]:
    """Theme name -> one-line description, for every theme with a ``theme.yaml``."""
    themes = {}
    for folder in sorted(templates_root().iterdir()):
        if (folder / THEME_FILE).is_file():
            themes[folder.name] = str(_read_theme_yaml(folder).get("description", ""))
    return themes


def load_theme(name: str, data_dir: Path | None = None) -> Theme:
    """Resolve a theme by name, with its parents and the user's override folder.

    Raises:
        CVError: When no theme has that name, or its ``theme.yaml`` is not valid.
    """
    known = available_themes()
    if name not in known:
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"did you mean '{close[0]}'?" if close else None
        raise CVError.at(
            f"unknown theme {name!r}; expected one of: {', '.join(known)} (a theme "
            "is a name; your own templates go in the data folder's theme/)",
            hint=hint,
        )
    folders = _user_folder(data_dir) if data_dir is not None else []
    chain = _chain(name)
    description = (
        str(_read_theme_yaml(chain[0]).get("description", "")) if chain[0].name != "base" else ""
    )
    defaults: dict[str, str] = {}
    for folder in reversed(chain):  # base first: a theme's defaults override its parent's
        defaults.update(_defaults(folder))
    return Theme(name, description, (*folders, *chain), defaults)


MAX_THEME_FILE = 2_000_000
"""The largest file of a theme override (a template or a stylesheet is a few KB)."""

_TEXT_SUFFIXES = (".j2", ".jinja", ".html", ".htm", ".css", ".svg", ".txt")


def _user_folder(data_dir: Path) -> list[Path]:
    """``data/theme/`` when there is one, once every file in it is checked.

    It comes with the data, so nothing in it may lead out of the data folder: templates are
    read by Jinja and stylesheets by us, neither of which goes through the PDF sandbox.

    Raises:
        CVError: For each file (or the folder) linking outside the data folder, and each
            template or stylesheet that is not UTF-8, located in its file.
    """
    folder = data_dir / USER_THEME_DIR
    if not folder.is_dir():
        if folder.exists() or folder.is_symlink():
            raise CVError.at(
                f"{USER_THEME_DIR} is not a folder; expected a folder of template "
                "overrides (or nothing by that name)",
                folder,
            )
        return []
    root = data_dir.resolve()
    problems: list[Problem] = []
    paths = [folder]
    for parent, dirs, files in os.walk(folder):  # does not descend into linked folders
        paths += [Path(parent, name) for name in sorted(dirs + files)]
    for path in paths:
        target = real_path(path)
        if target is None:
            problems.append(
                Problem("its links go round in a loop; expected a file or a folder", path)
            )
        elif not target.is_relative_to(root):
            problems.append(
                Problem(
                    f"links to {target}, outside the data folder; expected the "
                    "theme override's own files (copy the file here)",
                    path,
                )
            )
        elif not (path.is_dir() or path.is_file()):
            problems.append(
                Problem(
                    "this is not a file or a folder (a named pipe, a socket or a "
                    "device); expected the theme override's own files",
                    path,
                )
            )
        elif path.is_file() and path.stat().st_size > MAX_THEME_FILE:
            problems.append(
                Problem(
                    f"larger than {MAX_THEME_FILE // 1_000_000} MB; expected a "
                    "template, a stylesheet or an image of a theme",
                    path,
                )
            )
        elif path.suffix in _TEXT_SUFFIXES and path.is_file():
            data = path.read_bytes()
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as error:
                line = data.count(b"\n", 0, error.start) + 1
                column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
                problems.append(
                    Problem(
                        f"byte 0x{data[error.start]:02x} is not UTF-8; expected a "
                        "UTF-8 text file (save it as UTF-8)",
                        path,
                        line,
                        column,
                    )
                )
            else:
                if path.suffix == ".css":
                    problems += css_problems(text, path)
    if problems:
        raise CVError(problems)
    return [folder]


def css_problems(text: str, file: Path) -> list[Problem]:
    """What is wrong with a user's stylesheet: CSS syntax errors, and anything ending its page.

    The stylesheet is put inside the page's ``<style>`` element, which ``</style`` would close
    (whatever follows it would be HTML: a ``<script>`` in cv.html); no stylesheet needs it.
    """
    problems = []
    for match in re.finditer(r"</style", text, re.IGNORECASE):
        line, column = _line_column(text, match.start())
        problems.append(
            Problem(
                f"'{match.group()}' would end the page's <style> element; expected "
                "CSS only (no HTML)",
                file,
                line,
                column,
            )
        )
    if len(text) > MAX_CSS:
        problems.append(
            Problem(
                f"a stylesheet of {len(text):,} characters; expected at most "
                f"{MAX_CSS:,} (a theme's is a few thousand)",
                file,
                1,
                1,
            )
        )
        return problems
    rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
    errors = [rule for rule in rules if rule.type == "error"]
    pending = [rule for rule in rules if rule.type in ("qualified-rule", "at-rule")]
    count = 0
    while pending:
        rule = pending.pop()
        count += 1
        if rule.content is None:
            continue
        inner = tinycss2.parse_blocks_contents(
            rule.content, skip_comments=True, skip_whitespace=True
        )
        errors += [item for item in inner if item.type == "error"]
        pending += [item for item in inner if item.type in ("qualified-rule", "at-rule")]
        problems += [_costly(item, file) for item in inner if item.type == "declaration"]
    if count > MAX_CSS_RULES:
        problems.append(Problem(f"{count:,} rules; expected at most {MAX_CSS_RULES:,}", file, 1, 1))
    problems = [problem for problem in problems if problem.message]
    for error in errors:
        problems.append(
            Problem(
                f"invalid CSS: {error.message}; expected rules such as 'h2 {{ color: #333; }}'",
                file,
                error.source_line,
                error.source_column,
            )
        )
    return problems


MAX_CSS = 200_000
"""The longest stylesheet of a theme override, in characters (the bundled ones are 3,000)."""

MAX_CSS_RULES = 3_000
MAX_COLUMNS = 12
MAX_CONTENT = 2_000


def _costly(declaration: Any, file: Path) -> Problem:
    """A problem for a declaration that makes layout take minutes, else an empty one.

    ``columns: 1000`` on every element, or ``content:`` strings of thousands of characters
    on every element, lay a CV out for minutes; no CV needs either.
    """
    name = declaration.lower_name
    where = (file, declaration.source_line, declaration.source_column)
    if name in ("columns", "column-count"):
        numbers = [t.int_value for t in declaration.value if t.type == "number" and t.is_integer]
        if any(n > MAX_COLUMNS for n in numbers):
            return Problem(
                f"{name}: {max(numbers)} columns; expected at most {MAX_COLUMNS}", *where
            )
    if name == "content":
        written = sum(len(t.value) for t in declaration.value if t.type == "string")
        if written > MAX_CONTENT:
            return Problem(
                f"content: {written:,} characters of text; expected at most "
                f"{MAX_CONTENT:,} (write text in a template)",
                *where,
            )
    return Problem("")


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _chain(name: str) -> tuple[Path, ...]:
    """The theme's folder, its parents' and ``base/``, most specific first."""
    root = templates_root()
    folders: list[Path] = []
    current: str | None = name
    while current and current != "base":
        folder = root / current
        if not (folder / THEME_FILE).is_file() or folder in folders:
            known = ", ".join(available_themes())
            raise CVError.at(f"unknown theme '{current}'; expected one of: {known}")
        folders.append(folder)
        parent = _read_theme_yaml(folder).get("parent")
        current = str(parent) if parent else None
    folders.append(root / "base")
    return tuple(folders)


def _read_theme_yaml(folder: Path) -> dict[str, Any]:
    data = yaml.safe_load((folder / THEME_FILE).read_text(encoding="utf-8")) or {}
    return {str(k): v for k, v in data.items()}


def _defaults(folder: Path) -> dict[str, str]:
    """A theme's ``defaults:``, validated like the record's own options."""
    if not (folder / THEME_FILE).is_file():
        return {}
    raw = _read_theme_yaml(folder).get("defaults") or {}
    try:
        options = model.Theme.model_validate(raw)
    except ValidationError as error:
        file = folder / THEME_FILE
        problems = [
            Problem(f"defaults.{'.'.join(map(str, e['loc']))}: {e['msg']}", file)
            for e in error.errors(include_url=False)
        ]
        raise CVError(problems) from None
    return {k: str(getattr(options, k)) for k in OPTIONS if getattr(options, k) is not None}


# --- templates ------------------------------------------------------------------------------------


@lru_cache(maxsize=16)
def environment(theme: Theme) -> TemplateSandbox:
    """The Jinja environment for a theme: sandboxed, autoescaped, strict, searching its folders.

    Sandboxed because ``data/theme/`` templates come with the data: a template may format what
    it is given, never reach Python's internals (and through them files or the network).
    """
    root = templates_root()
    prefixes: dict[str, jinja2.BaseLoader] = {"base": jinja2.FileSystemLoader(root / "base")}
    for name in available_themes():
        prefixes[name] = jinja2.FileSystemLoader([str(folder) for folder in _chain(name)])
    loader = jinja2.ChoiceLoader(
        [
            jinja2.FileSystemLoader([str(folder) for folder in theme.folders]),
            jinja2.PrefixLoader(prefixes),
        ]
    )
    sandbox = TemplateSandbox(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        bytecode_cache=bytecode_cache(),
    )
    sandbox.filters["css_string"] = css_string
    return sandbox


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string, for a ``<style>`` block: every character that could end
    the string, the declaration or the element written as a CSS escape."""
    escaped = "".join(
        char if char.isalnum() or char in " .,-_'’()" else f"\\{ord(char):x} " for char in text
    )
    return Markup(f'"{escaped}"')


MAX_OUTPUT = 10_000_000
"""The most HTML a user's templates may make for one page (a 1,500-paper CV makes 2.5 MB)."""


def render_template(theme: Theme, name: str, context: Mapping[str, Any]) -> str:
    """Render one of the theme's templates with plain data (:func:`cv.views.check_plain`).

    Raises:
        CVError: Located in the user's ``theme/`` template that failed: a syntax error, an
            unknown variable, a template it names that does not exist, a forbidden attribute
            or call, an error of Python's raised while it ran (``1 // 0``), a template that
            extends or includes itself, one that runs too long or makes too much.
            A failure in a bundled template is a bug and propagates as it is.
    """
    # The fixed words of the current language (cv.i18n): every page template may use them.
    context = {"words": template_words(), **context}
    check_plain(context)
    template_env = environment(theme)
    user = theme.user_folder
    lang = _hyphenation_language(context)
    if user is None:
        return typeset(template_env.get_template(name).render(context), lang)
    try:
        with deadline():
            template_env.start_render()
            html = template_env.get_template(name).render(context)
            if len(html) > MAX_OUTPUT:
                raise SecurityError(
                    f"the templates made {len(html):,} characters of HTML for "
                    f"{name}; expected at most {MAX_OUTPUT:,}"
                )
            # Parsed under the same deadline: a page nesting thousands of elements takes an
            # HTML parser (WeasyPrint's too) minutes.
            active = active_content(html)
    except Exception as error:  # noqa: BLE001 - any failure of a user's template is located
        located = _template_location(error, user)
        if located is None and not isinstance(error, _LIMITS):
            raise
        page = user / name
        where = located or ((page, None) if page.is_file() else (user, None))
        raise CVError.at(f"template error: {_template_message(error, user)}", *where) from None
    if active is not None:
        file, line = _source_of(active, user, name)
        raise CVError.at(
            f"template error: the page would hold {active}; expected HTML that runs "
            "nothing (a CV page has no scripts)",
            file,
            line,
        )
    return typeset(html, lang)


def _hyphenation_language(context: Mapping[str, Any]) -> str | None:
    """The language a page is hyphenated in: its own on paper, none on screen (cv.html)."""
    meta = context.get("meta")
    lang = meta.get("lang") if isinstance(meta, Mapping) else None
    return str(lang) if lang and context.get("for_print", True) else None


_ACTIVE_SOURCE = re.compile(
    r"<\s*(script|i?frame|object|embed|applet|base|portal|no(script|embed)|form|template|input|button|select|textarea)\b"
    r"|\son\w+\s*=|srcdoc|javascript:|vbscript:|http-equiv|<\s*use\b",
    re.IGNORECASE,
)


_LIMITS = (TemplateTimeout, MemoryError, RecursionError, SecurityError)
"""What a runaway template raises wherever it is (in Jinja's joining of the page, say)."""


def _source_of(what: str, user: Path, name: str) -> tuple[Path, int | None]:
    """Where in the user's templates active content is written: the first file and line that
    looks like it, else the user's version of the page's template (or the folder)."""
    for path in sorted(user.rglob("*")):
        if path.suffix in _TEXT_SUFFIXES and path.suffix != ".css" and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            match = _ACTIVE_SOURCE.search(text)
            if match:
                return path, text.count("\n", 0, match.start()) + 1
    page = user / name
    return (page, None) if page.is_file() else (user, None)


def _template_message(error: Exception, user: Path) -> str:
    """What went wrong in a user's template, in one line."""
    if isinstance(error, UnicodeDecodeError):  # it included a file that is not text
        return "it includes a file that is not UTF-8 text; expected a template"
    if isinstance(error, jinja2.TemplateNotFound):
        return f"template '{error.name}' not found; expected a file in {user} or a theme"
    if isinstance(error, RecursionError):
        return (
            "the template extends, includes or calls itself without end; expected it to "
            'extend the template it replaces by its prefix ({% extends "base/cv.html.j2" %})'
        )
    if isinstance(error, MemoryError):
        return (
            "the template needs more memory than a CV can; "
            "expected a template that formats what it is given"
        )
    if isinstance(error, TemplateTimeout):
        return str(error)
    if isinstance(error, jinja2.TemplateError):
        return " ".join((error.message or type(error).__name__).split())
    return f"{type(error).__name__}: {' '.join(str(error).split())[:300]}"


def _template_location(error: Exception, user: Path) -> tuple[Path, int | None] | None:
    """Where in a user template an error happened, or None when it is not in one.

    Jinja rewrites a template's traceback so that its frames carry the template's file and
    line; the innermost frame in the user's folder is where it failed.
    """
    root = user.resolve()
    filename = getattr(error, "filename", None)
    if filename and Path(filename).resolve().is_relative_to(root):
        return Path(filename), getattr(error, "lineno", None)
    frames = list(traceback.extract_tb(error.__traceback__))
    if isinstance(error, RecursionError):
        frames = frames[-200:]  # the innermost are enough, and a thousand take a while
    for frame in reversed(frames):
        if Path(frame.filename).resolve().is_relative_to(root):
            return Path(frame.filename), frame.lineno
    return None
