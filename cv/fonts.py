"""The fonts a CV may use: only those installed with the package, never the system's.

Two families ship as pip packages (Source Serif Pro and Source Sans Pro, each with regular,
italic, semibold, semibold italic, bold and bold italic faces). Noto Sans CJK JP is used for
Chinese, Japanese and Korean when the optional extra ``academic-cv[cjk]`` is installed.

What the fonts cannot draw is found before rendering, from the fonts' character maps
(:func:`undrawable`), and after it, from the fonts WeasyPrint actually embedded
(:func:`foreign_fonts`): Pango would otherwise quietly take the missing letters from whatever
the machine has.
"""

from __future__ import annotations

import base64
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cv.cache import keep, read_kept

if TYPE_CHECKING:
    from cv.bibliography import Publication
    from cv.loader import Source

CJK_EXTRA = "academic-cv[cjk]"
"""What to install for Chinese, Japanese and Korean names (the Noto CJK font package)."""

CJK_FAMILY = "Noto Sans CJK JP"
CJK_PACKAGE = "noto_cjk_sans_jp_regular"


@dataclass(frozen=True)
class Face:
    """One font file of a family, with the CSS weight and style it is declared for."""

    weight: int
    style: str
    file: Path


@dataclass(frozen=True)
class Family:
    """A font family shipped by a pip package, with its faces."""

    name: str
    package: str
    prefix: str

    FACES = (
        (400, "normal", "Regular"), (400, "italic", "It"),
        (600, "normal", "Semibold"), (600, "italic", "SemiboldIt"),
        (700, "normal", "Bold"), (700, "italic", "BoldIt"),
    )  # fmt: skip
    """Regular, italic, bold and bold italic, and the semibold pair the themes use for headings."""

    @property
    def folder(self) -> Path:
        module = import_module(self.package)
        return Path(module.__file__ or "").parent / "files"

    def faces(self) -> list[Face]:
        """Every face, regular first."""
        return [
            Face(w, s, self.folder / f"{self.prefix}-{suffix}.otf") for w, s, suffix in self.FACES
        ]

    def face(self, weight: int, style: str) -> Face:
        return next(f for f in self.faces() if (f.weight, f.style) == (weight, style))


FAMILIES = {
    "serif": Family("Source Serif Pro", "font_source_serif_pro", "SourceSerifPro"),
    "sans": Family("Source Sans Pro", "font_source_sans_pro", "SourceSansPro"),
}


@lru_cache(maxsize=1)
def cjk_font() -> Path | None:
    """The CJK font file of the optional extra, or None when it is not installed."""
    try:
        module = import_module(CJK_PACKAGE)
    except ImportError:
        return None
    path = Path(module.__file__ or "").parent / str(getattr(module, "FONT_FILE", ""))
    return path if path.is_file() else None


def family_names() -> set[str]:
    """The names of every family a document may be set in."""
    return {family.name for family in FAMILIES.values()} | ({CJK_FAMILY} if cjk_font() else set())


# --- character coverage -------------------------------------------------------------------------


@cache
def _cmap(file: Path) -> frozenset[int]:
    """The characters a font file has glyphs for, read once and then from the cache.

    Reading a face's character map with fontTools takes 0.01-0.03 s (a CJK face 0.1 s), and
    importing fontTools 0.05 s where WeasyPrint is not imported (cv.html, a preview); it is
    kept per file, its size and time (see :mod:`cv.cache`).
    """
    found = file.stat()
    key = f"cmap {file} {found.st_size} {found.st_mtime_ns}"
    kept = read_kept("cmaps", key)
    if isinstance(kept, frozenset):
        return kept
    from fontTools.ttLib import TTFont  # a WeasyPrint dependency; only needed here

    with TTFont(file, lazy=True) as font:
        codes = frozenset(font.getBestCmap())
    keep("cmaps", key, codes)
    return codes


def _faces_in_use() -> list[Path]:
    files = [face.file for family in FAMILIES.values() for face in family.faces()]
    cjk = cjk_font()
    return files + ([cjk] if cjk else [])


@lru_cache(maxsize=1)
def drawable() -> frozenset[int]:
    """Every character some installed face can draw."""
    return frozenset().union(*(_cmap(file) for file in _faces_in_use()))


def _needs_glyph(char: str) -> bool:
    # Spaces, line breaks, controls and format characters (soft hyphens, joiners, variation
    # selectors) are laid out without a glyph of their own.
    return unicodedata.category(char)[0] not in "CZ" and not 0xFE00 <= ord(char) <= 0xFE0F


@lru_cache(maxsize=1)
def _first_face() -> frozenset[int]:
    return _cmap(FAMILIES["serif"].faces()[0].file)


def undrawable(text: str) -> list[str]:
    """The characters of ``text`` that no installed font can draw, each once, in order."""
    # The regular serif face has every Latin letter: the other faces' character maps (0.1-0.2 s
    # to read them all, bench/RESULTS.md) are read only for a character it lacks.
    first = _first_face()
    chars = [char for char in dict.fromkeys(text) if ord(char) not in first and _needs_glyph(char)]
    if not chars:
        return []
    covered = drawable()
    return [char for char in chars if ord(char) not in covered]


def is_cjk(char: str) -> bool:
    """Han, kana, hangul, CJK punctuation and full-width forms."""
    code = ord(char)
    return any(start <= code <= end for start, end in _CJK_RANGES)


_CJK_RANGES = (
    (0x1100, 0x11FF), (0x2E80, 0x2FDF), (0x3000, 0x30FF), (0x3100, 0x31FF), (0x3200, 0x9FFF),
    (0xA960, 0xA97F), (0xAC00, 0xD7FF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF),
    (0x20000, 0x3FFFF),
)  # fmt: skip


def missing_glyphs_message(chars: list[str]) -> str:
    """``no installed font can draw 唐, 振, 衡 (install academic-cv[cjk])``: at most 12 named."""
    shown = ", ".join(chars[:12]) + (f" and {len(chars) - 12} more" if len(chars) > 12 else "")
    hint = f" (install {CJK_EXTRA})" if cjk_font() is None and any(map(is_cjk, chars)) else ""
    return f"no installed font can draw {shown}{hint}"


def strings_in(
    value: Any, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every string inside a record (nested models, mappings and lists), with its path."""
    fields = getattr(type(value), "model_fields", None)
    if isinstance(value, str):
        yield path, value
    elif fields is not None:
        for name in fields:
            yield from strings_in(getattr(value, name), (*path, name))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_in(item, (*path, key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from strings_in(item, (*path, index))


def glyph_warnings(source: Source, publications: Iterable[Publication]) -> list[str]:
    """One warning per file whose text has characters no installed font can draw.

    Checked before rendering, from the fonts' character maps: WeasyPrint would take such
    letters from a system font without a word, or draw empty boxes.

    Returns:
        ``cv.yaml:2:14: no installed font can draw 唐, 振, 衡 (install academic-cv[cjk])``,
        located at the first value that has one, and the same for each .bib file.
    """
    warnings = []
    first: tuple[str | int, ...] | None = None
    missing: dict[str, None] = {}
    for path, text in strings_in(source.record):
        chars = undrawable(text)
        if chars and first is None:
            first = path
        missing.update(dict.fromkeys(chars))
    if first is not None:
        warnings.append(str(source.problem(first, missing_glyphs_message(list(missing)))))
    by_file: dict[Any, tuple[Any, dict[str, None]]] = {}
    for publication in publications:
        text = " ".join(
            [
                str(publication.title),
                str(publication.venue),
                *(author.name for author in publication.authors),
            ]
        )
        chars = undrawable(text)
        if chars:
            line, found = by_file.setdefault(publication.file, (publication.line, {}))
            found.update(dict.fromkeys(chars))
    for file, (line, found) in by_file.items():
        where = f"{file}:{line}" if file is not None and line else str(file or "publications")
        warnings.append(f"{where}: {missing_glyphs_message(list(found))}")
    return warnings


# --- @font-face rules ---------------------------------------------------------------------------


def _rule(family: str, weight: int, style: str, src: str) -> str:
    descriptors = f'font-family: "{family}"; font-weight: {weight}; font-style: {style}'
    return f"@font-face {{ {descriptors}; src: {src}; }}"


@lru_cache(maxsize=2)
def font_face_css(cjk: bool = True) -> str:
    """``@font-face`` rules for every bundled face, by absolute ``file://`` URI (for print).

    The italics lack Greek and Cyrillic: fontconfig then takes the family's upright face and
    Pango slants it, which keeps such names in the family (measured: no system font). The CJK
    font, when installed and ``cjk``, is a family of its own that every font stack names second.
    """
    rules = []
    for family in FAMILIES.values():
        for face in family.faces():
            rules.append(
                _rule(family.name, face.weight, face.style, f'url("{face.file.as_uri()}")')
            )
    font = cjk_font() if cjk else None
    if font is not None:
        # One face: WeasyPrint copies each declared face to a temporary folder, and this is 16 MB.
        rules.append(_rule(CJK_FAMILY, 400, "normal", f'url("{font.as_uri()}")'))
    return "\n".join(rules)


PRINT_FONTS = "/* cv: print fonts */"
"""Where :func:`add_print_fonts` puts the fonts of a page for print."""

LATIN = frozenset([*range(0x20, 0x7F), *range(0xA0, 0x100), *map(ord, "–—‘’‚“”„†‡•…‰€™")])
"""Characters every bundled face draws (tests/test_themes.py checks it against the fonts)."""


def add_print_fonts(html: str) -> str:
    """Fill the :data:`PRINT_FONTS` marker of a rendered page with its ``@font-face`` rules.

    The CJK font is declared only for a page with a character beyond :data:`LATIN`, which it
    might draw: declaring it costs each PDF 0.03 s (WeasyPrint copies its 16 MB and fontconfig
    reads them), and the letters of a Latin page never reach it.
    """
    needed = any(ord(char) not in LATIN and _needs_glyph(char) for char in set(html))
    return html.replace(PRINT_FONTS, font_face_css(cjk=needed), 1)


def font_folders() -> list[Path]:
    """Folders the PDF renderer may read fonts from."""
    cjk = cjk_font()
    return [family.folder for family in FAMILIES.values()] + ([cjk.parent] if cjk else [])


# --- fonts embedded in the web page -------------------------------------------------------------

WEB_FACES = ((400, "normal"), (400, "italic"), (600, "normal"), (600, "italic"), (700, "normal"))
"""Faces embedded in cv.html; a browser takes semibold italic for the rare bold italic."""


WEB_FONTS = "/* cv: web fonts */"
"""Where :func:`embed_web_fonts` puts the fonts of the web page, in its first ``<style>``."""


def embed_web_fonts(html: str) -> str:
    """Fill the :data:`WEB_FONTS` marker of a rendered page with its fonts as ``data:`` URIs.

    The page's own characters decide the subset, so the fonts are cut once the page exists.
    """
    head, marker, rest = html.partition(WEB_FONTS)
    if not marker:
        return html
    style_end = rest.find("</style>")
    return head + web_font_css(html, rest[:style_end]) + rest


def web_font_css(text: str, css: str) -> str:
    """``@font-face`` rules with ``data:`` URIs of each family ``css`` names, cut to ``text``.

    Only the characters of the page are kept (HarfBuzz subsetting, kerning kept), so the page
    stays self-contained and small: about 20 KB a face.
    """
    codes = sorted({ord(c) for c in text} | set(range(0x20, 0x7F)))
    rules = []
    for family in _families_used(css):
        for weight, style in WEB_FACES:
            data = subset_font(family.face(weight, style).file, tuple(codes))
            uri = "data:font/otf;base64," + base64.b64encode(data).decode("ascii")
            rules.append(_rule(family.name, weight, style, f'url("{uri}") format("opentype")'))
    cjk = cjk_font()
    wanted = [c for c in codes if is_cjk(chr(c))]
    if cjk is not None and wanted:
        data = subset_font(cjk, tuple(c for c in wanted if c in _cmap(cjk)))
        uri = "data:font/otf;base64," + base64.b64encode(data).decode("ascii")
        rules.append(_rule(CJK_FAMILY, 400, "normal", f'url("{uri}") format("opentype")'))
    return "\n".join(rules)


def _families_used(css: str) -> list[Family]:
    """The bundled families the stylesheet sets text in: the last ``--text-font`` and
    ``--heading-font`` it defines (a theme overrides base's), and any ``font-family`` by name."""
    named = []
    for prop in ("--text-font", "--heading-font"):
        values = re.findall(rf"{prop}\s*:\s*([^;}}]+)", css)
        named += values[-1:]
    named += re.findall(r"(?<![-\w])font(?:-family)?\s*:\s*([^;}]+)", css)
    text = " ".join(named)
    return [family for family in FAMILIES.values() if f'"{family.name}"' in text]


@lru_cache(maxsize=64)
def subset_font(file: Path, codes: tuple[int, ...]) -> bytes:
    """The font cut to the given characters: with HarfBuzz when it is there, else fontTools."""
    data = _harfbuzz_subset(file, codes)
    if data is not None:
        return data
    import io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options(hinting=False, layout_features=["kern", "liga"], name_IDs=[1, 2])
    font = TTFont(file, recalcTimestamp=False)  # keep the file's own date: same bytes every run
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codes)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


# HarfBuzz's subsetter, bound by hand through cffi (a WeasyPrint dependency) rather than with
# uharfbuzz: tried against it (uharfbuzz 0.57.0, its own HarfBuzz 15.0.0), it made the same
# deterministic bytes run after run and subset the twelve faces slightly faster (10.6 against
# 11.8 ms), but once installed fontTools imports it with WeasyPrint in every build (12-15 ms),
# and cold builds cost more CPU with it: 1.07-1.11x for `cv build`, 1.11-1.20x for
# `cv build --only html` (two runs of 9 and 11 rounds on this 2-core machine, paired medians).
_HB_CDEF = """
typedef struct hb_blob_t hb_blob_t; typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t; typedef struct hb_subset_input_t hb_subset_input_t;
hb_blob_t *hb_blob_create_from_file_or_fail(const char *file_name);
void hb_blob_destroy(hb_blob_t *blob);
hb_face_t *hb_face_create(hb_blob_t *blob, unsigned int index);
void hb_face_destroy(hb_face_t *face);
hb_blob_t *hb_face_reference_blob(hb_face_t *face);
const char *hb_blob_get_data(hb_blob_t *blob, unsigned int *length);
hb_subset_input_t *hb_subset_input_create_or_fail(void);
hb_set_t *hb_subset_input_set(hb_subset_input_t *input, int set_type);
void hb_subset_input_destroy(hb_subset_input_t *input);
hb_set_t *hb_subset_input_unicode_set(hb_subset_input_t *input);
void hb_set_add(hb_set_t *set, uint32_t codepoint);
void hb_subset_input_set_flags(hb_subset_input_t *input, unsigned value);
hb_face_t *hb_subset_or_fail(hb_face_t *source, const hb_subset_input_t *input);
"""
_HB_NO_HINTING = 0x1
_HB_LAYOUT_FEATURE_TAGS = 6  # hb_subset_sets_t
_EXTRA_FEATURES = ("smcp", "c2sc", "tnum", "lnum")
"""Kept besides HarfBuzz's default features: the themes' small caps and tabular figures."""


@lru_cache(maxsize=1)
def _harfbuzz() -> tuple[Any, Any, Any] | None:
    try:
        from cffi import FFI  # a WeasyPrint dependency

        ffi = FFI()
        ffi.cdef(_HB_CDEF)
        return ffi, ffi.dlopen("libharfbuzz.so.0"), ffi.dlopen("libharfbuzz-subset.so.0")
    except (ImportError, OSError, AttributeError):
        return None


def _harfbuzz_subset(file: Path, codes: tuple[int, ...]) -> bytes | None:
    libraries = _harfbuzz()
    if libraries is None:
        return None
    ffi, hb, hb_subset = libraries
    blob = hb.hb_blob_create_from_file_or_fail(str(file).encode())
    if blob == ffi.NULL:
        return None
    face = hb.hb_face_create(blob, 0)
    request = hb_subset.hb_subset_input_create_or_fail()
    try:
        unicodes = hb_subset.hb_subset_input_unicode_set(request)
        for code in codes:
            hb.hb_set_add(unicodes, code)
        hb_subset.hb_subset_input_set_flags(request, _HB_NO_HINTING)
        features = hb_subset.hb_subset_input_set(request, _HB_LAYOUT_FEATURE_TAGS)
        for tag in _EXTRA_FEATURES:
            hb.hb_set_add(features, int.from_bytes(tag.encode("ascii"), "big"))
        result = hb_subset.hb_subset_or_fail(face, request)
        if result == ffi.NULL:
            return None
        out = hb.hb_face_reference_blob(result)
        length = ffi.new("unsigned int *")
        data = bytes(ffi.buffer(hb.hb_blob_get_data(out, length), length[0]))
        hb.hb_blob_destroy(out)
        hb.hb_face_destroy(result)
        return data or None
    finally:
        hb_subset.hb_subset_input_destroy(request)
        hb.hb_face_destroy(face)
        hb.hb_blob_destroy(blob)


# --- after rendering ----------------------------------------------------------------------------


def foreign_fonts(document: Any) -> list[str]:
    """Warnings for every font in a written WeasyPrint document that is not an installed one.

    Pango takes letters the declared fonts lack from any font of the machine, without a word:
    this names the font and the letters it drew.
    """
    allowed = family_names()
    problems = []
    for font in getattr(document, "fonts", {}).values():
        if font.family in allowed:
            continue
        chars = sorted(
            {c for text in font.to_unicode.values() for c in str(text) if _needs_glyph(c)}
        )
        shown = ", ".join(chars[:12]) + (f" and {len(chars) - 12} more" if len(chars) > 12 else "")
        problems.append(
            f"text drawn with the system font '{font.family}', which cv does not ship: "
            f"{shown or 'some characters'} (no installed font has them)"
        )
    return problems
