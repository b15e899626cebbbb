"""The fonts a CV may use: only those installed with the package, never the system's."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import import_module
from pathlib import Path


@dataclass(frozen=True)
class Family:
    """A font family shipped by a pip package, with its four faces."""

    name: str
    package: str
    prefix: str

    @property
    def folder(self) -> Path:
        module = import_module(self.package)
        return Path(module.__file__ or "").parent / "files"

    def faces(self) -> list[tuple[str, str, Path]]:
        """(weight, style, file) of regular, italic, bold and bold italic (and semibold)."""
        names = [
            ("400", "normal", "Regular"), ("400", "italic", "It"),
            ("600", "normal", "Semibold"), ("600", "italic", "SemiboldIt"),
            ("700", "normal", "Bold"), ("700", "italic", "BoldIt"),
        ]  # fmt: skip
        return [(w, s, self.folder / f"{self.prefix}-{suffix}.otf") for w, s, suffix in names]


FAMILIES = {
    "serif": Family("Source Serif Pro", "font_source_serif_pro", "SourceSerifPro"),
    "sans": Family("Source Sans Pro", "font_source_sans_pro", "SourceSansPro"),
}


@lru_cache(maxsize=1)
def font_face_css() -> str:
    """``@font-face`` rules for every bundled face, by absolute ``file://`` URI."""
    rules = []
    for family in FAMILIES.values():
        for weight, style, file in family.faces():
            rules.append(
                f'@font-face {{ font-family: "{family.name}"; font-weight: {weight}; '
                f'font-style: {style}; src: url("{file.as_uri()}"); }}'
            )
    return "\n".join(rules)


def font_folders() -> list[Path]:
    """Folders the PDF renderer may read fonts from."""
    return [family.folder for family in FAMILIES.values()]
