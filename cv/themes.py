"""Finding themes and user overrides, and the Jinja environment that searches them in order.

Search order: the user's ``data/theme/`` folder, the theme, its parents, then ``base/``. Every
theme is also reachable by prefix (``"base/cv.html.j2"``, ``"classic/..."``) so that an override
can extend the template it replaces.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2
import yaml

from cv.errors import CVError

USER_THEME_DIR = "theme"


def templates_root() -> Path:
    """The installed templates (in a wheel) or the repository's (in a checkout)."""
    installed = Path(__file__).parent / "templates"
    return installed if installed.is_dir() else Path(__file__).parent.parent / "templates"


@dataclass(frozen=True)
class Theme:
    """A theme: its name, description and the folders searched for its templates and CSS."""

    name: str
    description: str
    folders: tuple[Path, ...]  # most specific first: user override, theme, parents, base

    def stylesheets(self, page: str = "cv") -> list[Path]:
        """CSS files applied in order: base first, the user's ``custom.css`` last.

        Args:
            page: ``cv`` or ``bio``; the bio adds each folder's ``bio.css`` after ``style.css``.
        """
        names = ["print.css", "style.css", "bio.css", "custom.css"]
        if page != "bio":
            names.remove("bio.css")
        ordered = [folder / name for name in names for folder in reversed(self.folders)]
        return [sheet for sheet in ordered if sheet.is_file()]


def available_themes() -> dict[str, str]:
    """Theme name -> one-line description, for every theme with a ``theme.yaml``."""
    themes = {}
    for folder in sorted(templates_root().iterdir()):
        if (folder / "theme.yaml").is_file():
            themes[folder.name] = _read_theme_yaml(folder).get("description", "")
    return themes


def load_theme(name: str, data_dir: Path | None = None) -> Theme:
    """Resolve a theme by name, with its parents and the user's override folder.

    Raises:
        CVError: When no theme has that name.
    """
    root = templates_root()
    folders: list[Path] = []
    if data_dir is not None and (data_dir / USER_THEME_DIR).is_dir():
        folders.append(data_dir / USER_THEME_DIR)
    current: str | None = name
    description = ""
    while current and current != "base":
        folder = root / current
        if not (folder / "theme.yaml").is_file() or folder in folders:
            known = ", ".join(available_themes())
            raise CVError.at(f"unknown theme '{current}'; expected one of: {known}")
        settings = _read_theme_yaml(folder)
        description = description or settings.get("description", "")
        folders.append(folder)
        current = settings.get("parent")
    if root / "base" not in folders:
        folders.append(root / "base")
    return Theme(name, description, tuple(folders))


def _read_theme_yaml(folder: Path) -> dict[str, str]:
    data = yaml.safe_load((folder / "theme.yaml").read_text(encoding="utf-8")) or {}
    return {str(k): str(v) for k, v in data.items()}


def environment(theme: Theme) -> jinja2.Environment:
    """The Jinja environment for a theme: autoescaped, strict, searching the theme's folders."""
    root = templates_root()
    prefixes = {folder.name: jinja2.FileSystemLoader(folder)
                for folder in root.iterdir() if folder.is_dir()}  # fmt: skip
    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader([str(folder) for folder in theme.folders]),
        jinja2.PrefixLoader(prefixes),
    ])  # fmt: skip
    return jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
