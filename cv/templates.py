"""Where the bundled templates are, and which themes they hold: read without the theme machinery
(Jinja, the record's model), so that ``cv --help`` can list the themes and stay fast."""

from __future__ import annotations

from pathlib import Path

THEME_FILE = "theme.yaml"


def templates_root() -> Path:
    """The installed templates (in a wheel) or the repository's (in a checkout)."""
    installed = Path(__file__).parent / "templates"
    return installed if installed.is_dir() else Path(__file__).parent.parent / "templates"


def theme_names() -> list[str]:
    """The bundled themes' names: the folders with a ``theme.yaml``, sorted."""
    return sorted(f.name for f in templates_root().iterdir() if (f / THEME_FILE).is_file())
