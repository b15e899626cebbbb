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

import os
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox
import yaml
from pydantic import ValidationError

from cv import model
from cv.errors import CVError, Problem

USER_THEME_DIR = "theme"
THEME_FILE = "theme.yaml"
OPTIONS = ("accent_color", "font_size", "margins")
"""The options a theme gives defaults for (``page_size`` is the record's: A4 unless it says)."""


def templates_root() -> Path:
    """The installed templates (in a wheel) or the repository's (in a checkout)."""
    installed = Path(__file__).parent / "templates"
    return installed if installed.is_dir() else Path(__file__).parent.parent / "templates"


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
    folders = _user_folder(data_dir) if data_dir is not None else []
    chain = _chain(name)
    description = (
        str(_read_theme_yaml(chain[0]).get("description", "")) if chain[0].name != "base" else ""
    )
    defaults: dict[str, str] = {}
    for folder in reversed(chain):  # base first: a theme's defaults override its parent's
        defaults.update(_defaults(folder))
    return Theme(name, description, (*folders, *chain), defaults)


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
        return []
    root = data_dir.resolve()
    problems: list[Problem] = []
    paths = [folder]
    for parent, dirs, files in os.walk(folder):  # does not descend into linked folders
        paths += [Path(parent, name) for name in sorted(dirs + files)]
    for path in paths:
        target = path.resolve()
        if not target.is_relative_to(root):
            problems.append(Problem(f"links to {target}, outside the data folder; expected the "
                                    "theme override's own files (copy the file here)", path))  # fmt: skip
        elif path.suffix in _TEXT_SUFFIXES and path.is_file():
            data = path.read_bytes()
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as error:
                line = data.count(b"\n", 0, error.start) + 1
                column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
                problems.append(Problem(f"byte 0x{data[error.start]:02x} is not UTF-8; expected a "
                                        "UTF-8 text file (save it as UTF-8)", path, line, column))  # fmt: skip
    if problems:
        raise CVError(problems)
    return [folder]


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
        problems = [Problem(f"defaults.{'.'.join(map(str, e['loc']))}: {e['msg']}", file)
                    for e in error.errors(include_url=False)]  # fmt: skip
        raise CVError(problems) from None
    return {k: str(getattr(options, k)) for k in OPTIONS if getattr(options, k) is not None}


# --- templates ------------------------------------------------------------------------------------


@lru_cache(maxsize=16)
def environment(theme: Theme) -> jinja2.Environment:
    """The Jinja environment for a theme: sandboxed, autoescaped, strict, searching its folders.

    Sandboxed because ``data/theme/`` templates come with the data: a template may format what
    it is given, never reach Python's internals (and through them files or the network).
    """
    root = templates_root()
    prefixes: dict[str, jinja2.BaseLoader] = {"base": jinja2.FileSystemLoader(root / "base")}
    for name in available_themes():
        prefixes[name] = jinja2.FileSystemLoader([str(folder) for folder in _chain(name)])
    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader([str(folder) for folder in theme.folders]),
        jinja2.PrefixLoader(prefixes),
    ])  # fmt: skip
    return jinja2.sandbox.SandboxedEnvironment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def render_template(theme: Theme, name: str, context: Mapping[str, Any]) -> str:
    """Render one of the theme's templates.

    Raises:
        CVError: Located in the user's ``theme/`` template that failed (a syntax error, an
            unknown variable, a template it names that does not exist, a forbidden attribute).
            A failure in a bundled template is a bug and propagates as it is.
    """
    try:
        return environment(theme).get_template(name).render(context)
    except (jinja2.TemplateError, UnicodeDecodeError) as error:
        user = theme.user_folder
        if user is None:
            raise
        located = _template_location(error, user)
        if located is None:
            raise
        file, line = located
        if isinstance(error, UnicodeDecodeError):  # it included a file that is not text
            raise CVError.at("template error: it includes a file that is not UTF-8 text; expected "
                             "a template", file, line) from None  # fmt: skip
        message = error.message or type(error).__name__
        if isinstance(error, jinja2.TemplateNotFound):
            message = f"template '{error.name}' not found; expected a file in {user} or a theme"
        raise CVError.at(f"template error: {message}", file, line) from None


def _template_location(error: Exception, user: Path) -> tuple[Path, int | None] | None:
    """Where in a user template an error happened, or None when it is not in one."""
    filename = getattr(error, "filename", None)
    if filename and Path(filename).resolve().is_relative_to(user.resolve()):
        return Path(filename), getattr(error, "lineno", None)
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if Path(frame.filename).resolve().is_relative_to(user.resolve()):
            return Path(frame.filename), frame.lineno
    return None
