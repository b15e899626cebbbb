"""Themes: every listed theme builds the example (CV and bio, A4 and Letter) with only the
installed fonts, complete metadata, bookmarks and working links; theme options, user overrides
and custom.css; the fonts checks; PDF variants; and cv.html as one self-contained page."""

from __future__ import annotations

import datetime as dt
import gc
import html.parser
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest
from typer.testing import CliRunner

import cv
from cv import fonts
from cv.cli import app
from cv.themes import available_themes, load_theme

from .conftest import EXAMPLE, TESTDATA

TODAY = dt.date(2026, 11, 1)
THEMES = sorted(available_themes())
FAMILY_OF = {"classic": "Source-Serif-Pro", "modern": "Source-Sans-Pro"}
PAGE_POINTS = {"A4": (595, 842), "Letter": (612, 792)}


def test_cv_themes_lists_both_themes_with_a_description() -> None:
    result = CliRunner().invoke(app, ["themes"])
    assert result.exit_code == 0
    lines = dict(line.split(None, 1) for line in result.stdout.splitlines() if line.strip())
    assert {"classic", "modern"} <= lines.keys()
    assert all(len(description) > 20 for description in lines.values())
    assert sorted(lines) == THEMES


# --- the example in every theme and paper size -------------------------------------------------


def copy_example(target: Path, theme_yaml: str) -> Path:
    """The example record with a different ``theme:``."""
    shutil.copytree(EXAMPLE, target)
    record = target / "cv.yaml"
    text = re.sub(r"(?m)^theme:.*\n", "", record.read_text(encoding="utf-8"))
    record.write_text(text + f"\ntheme: {theme_yaml}\n", encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def builds(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[tuple[str, str], tuple[Path, cv.BuildResult]]:
    """Every theme in A4 and Letter: (theme, size) -> (output folder, result)."""
    done = {}
    for theme in THEMES:
        for size in PAGE_POINTS:
            root = tmp_path_factory.mktemp(f"{theme}-{size}")
            data = copy_example(root / "data", f"{{name: {theme}, page_size: {size}}}")
            result = cv.build(data, root / "out", only=["cv", "bio", "html"], today=TODAY)
            done[theme, size] = (root / "out", result)
    return done


CASES = [(theme, size) for theme in THEMES for size in PAGE_POINTS]


def embedded_fonts(path: Path) -> set[str]:
    """Base names of every font in the PDF; fails on any font that is not embedded."""
    names = set()
    for page in pypdf.PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (
                font.get("/FontDescriptor")
                or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            )
            descriptor = descriptor.get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font[
                "/BaseFont"
            ]
            names.add(str(font["/BaseFont"]).split("+", 1)[-1])
    return names


@pytest.mark.parametrize(("theme", "size"), CASES)
def test_every_theme_builds_the_example_cleanly(builds, theme: str, size: str) -> None:  # type: ignore[no-untyped-def]
    out, result = builds[theme, size]
    assert result.warnings == (), "no font fallback, no missing glyph, no refused resource"
    cv_pdf, bio_pdf = pypdf.PdfReader(out / "cv.pdf"), pypdf.PdfReader(out / "bio.pdf")
    assert 2 <= len(cv_pdf.pages) <= 6
    assert len(bio_pdf.pages) == 1
    for reader in (cv_pdf, bio_pdf):
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == PAGE_POINTS[size]


@pytest.mark.parametrize(("theme", "size"), CASES)
def test_fonts_are_embedded_and_only_the_themes_family(builds, theme: str, size: str) -> None:  # type: ignore[no-untyped-def]
    out, _ = builds[theme, size]
    for name in ("cv.pdf", "bio.pdf"):
        found = embedded_fonts(out / name)
        assert found, name
        assert all(font.startswith(FAMILY_OF[theme]) for font in found), (name, found)


@pytest.mark.parametrize("theme", THEMES)
def test_metadata_bookmarks_and_links(builds, theme: str) -> None:  # type: ignore[no-untyped-def]
    out, _ = builds[theme, "A4"]
    reader = pypdf.PdfReader(out / "cv.pdf")
    info = reader.metadata
    assert info is not None
    assert info.title == "Zhenheng Tang – Curriculum Vitae"
    assert info.author == "Zhenheng Tang"
    assert info.subject == "PhD Candidate in Computer Science"
    assert "ML optimization" in str(info.get("/Keywords"))
    assert info.creator == "cv" and str(info.producer).startswith("WeasyPrint")
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "/StructTreeRoot" in reader.trailer["/Root"], "tagged PDF"

    page = (out / "cv.html").read_text(encoding="utf-8")
    titles = [t.replace("&amp;", "&") for t in re.findall(r"<h2>([^<]+)</h2>", page)]
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline == titles, "one bookmark per section, in order"
    assert len(titles) >= 8

    uris = {
        a.get_object()["/A"]["/URI"]
        for p in reader.pages
        for a in p.get("/Annots", [])
        if "/URI" in a.get_object().get("/A", {})
    }
    assert {"https://github.com/wizard1203", "https://arxiv.org/abs/2402.07011"} <= uris
    assert all(uri.startswith(("https://", "http://", "mailto:", "tel:")) for uri in uris), uris


@pytest.mark.parametrize("theme", THEMES)
def test_text_extracts_in_reading_order(builds, theme: str) -> None:  # type: ignore[no-untyped-def]
    out, _ = builds[theme, "A4"]
    reader = pypdf.PdfReader(out / "cv.pdf")
    first = reader.pages[0].extract_text()
    order = [
        "Zhenheng Tang",
        "PhD Candidate in Computer Science",
        "Profile",
        "Democratizing",
        "Research Interests",
        "ML optimization",
        "Experience",
        "Sep 2023 – present",
        "Visiting Researcher",
        "Feb 2023 – May 2023",
        "Education",
        "Publications",
        "[11]",
        "GossipFL",
        "[10]",
    ]
    positions = [first.index(phrase) for phrase in order]
    assert positions == sorted(positions), list(zip(order, positions, strict=True))
    assert "•" not in first.split("Profile")[0], "no list bullets in the masthead"
    # poppler's extraction (what applicant-tracking systems use) reads each date just before
    # its entry's title, the entries in order.
    poppler = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(out / "cv.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = [" ".join(line.split()) for line in poppler.splitlines() if line.strip()]
    for date, title in [
        ("Sep 2023 – present", "Visiting Researcher"),
        ("Jun 2022 – Oct 2022", "Research Intern"),
        ("Sep 2020 – present", "PhD in Computer Science"),
    ]:
        at = lines.index(date)
        assert lines[at + 1] == title, (date, lines[at : at + 2])
    assert poppler.index("[11]") < poppler.index("GossipFL") < poppler.index("[10]")
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    news = text.index("Jan 2024"), text.index("Our paper “FedImpro")
    assert news[0] < news[1], "a date comes before its entry"


@pytest.mark.parametrize("theme", THEMES)
def test_every_section_of_the_full_record_renders_without_warnings(
    theme: str, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(TESTDATA / "full", data)
    result = cv.build(data, tmp_path / "out", theme=theme, only=["cv", "bio"], today=TODAY)
    assert result.warnings == ()
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "out" / "cv.pdf").pages)
    for title in [
        "Profile",
        "News",
        "Experience",
        "Education",
        "Courses Taught",
        "Professional Service",
        "Honors and Awards",
        "Publications",
        "Invited Talks",
        "Internships",
        "Ада Киспе-Мюллер",
    ]:
        assert title in text, title
    assert all(
        font.startswith(FAMILY_OF[theme]) for font in embedded_fonts(tmp_path / "out" / "cv.pdf")
    )


# --- PDF variants -------------------------------------------------------------------------------


# WeasyPrint 70 opens its sRGB profile for PDF/A output without closing it (pdf/__init__.py).
@pytest.mark.filterwarnings(
    "ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning"
)
@pytest.mark.parametrize("variant", ["pdf/ua-1", "pdf/a-3u"])
def test_pdf_variants_are_written_and_deterministic(variant: str, tmp_path: Path) -> None:
    outputs = []
    for run in ("a", "b"):
        cv.build(EXAMPLE, tmp_path / run, only=["cv", "bio"], today=TODAY, pdf_variant=variant)
        outputs.append([(tmp_path / run / name).read_bytes() for name in ("cv.pdf", "bio.pdf")])
    assert outputs[0] == outputs[1], "same inputs, same bytes"
    reader = pypdf.PdfReader(tmp_path / "a" / "cv.pdf")
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    part = "pdfuaid:part" if variant == "pdf/ua-1" else "pdfaid:part"
    assert part in xmp or part.replace(":part", ":part>") in xmp
    assert (
        reader.metadata is not None and reader.metadata.title == "Zhenheng Tang – Curriculum Vitae"
    )
    assert reader.trailer["/Root"]["/Lang"] == "en"
    gc.collect()  # the leaked profile is reported here, where it is ignored


def test_cli_pdf_variant_option(tmp_path: Path) -> None:
    runner = CliRunner()
    arguments = ["build", "--data", str(EXAMPLE), "--out", str(tmp_path), "--only", "cv"]
    result = runner.invoke(app, [*arguments, "--pdf-variant", "pdf/ua-1", "--quiet"])
    assert result.exit_code == 0, result.output
    xmp = pypdf.PdfReader(tmp_path / "cv.pdf").trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"pdfuaid" in xmp
    result = runner.invoke(app, ["build", "--data", str(EXAMPLE), "--pdf-variant", "pdf/x-4"])
    assert result.exit_code == 2
    assert "pdf/ua-1, pdf/a-3u" in result.output


# --- theme options ------------------------------------------------------------------------------


def test_theme_options_become_custom_properties_after_the_theme(
    write_record: Callable[..., Path], tmp_path: Path
) -> None:
    data = write_record(
        """
        name: Jane Doe
        theme: {name: modern, accent_color: "#8a1c1c", font_size: 10.5pt, margins: 25mm 20mm}
    """,
        {"publications.bib": ""},
    )
    result = cv.build(data, tmp_path, only=["cv", "html"], today=TODAY)
    assert result.warnings == ()
    page = (tmp_path / "cv.html").read_text(encoding="utf-8")
    block = ":root { --accent-color: #8a1c1c; --font-size: 10.5pt; }"
    assert block in page and "@page { margin: 25mm 20mm; }" in page
    assert page.index("Source Sans Pro") < page.index(block), "options come after the theme's CSS"
    # 25 mm top margin: the name starts lower than with the theme's 17 mm.
    reader = pypdf.PdfReader(tmp_path / "cv.pdf")
    assert (
        round(float(reader.pages[0].mediabox.width)),
        round(float(reader.pages[0].mediabox.height)),
    ) == (595, 842)


def test_theme_defaults_come_from_theme_yaml() -> None:
    classic, modern = load_theme("classic"), load_theme("modern")
    assert classic.options()["accent_color"] == "#1f3a68"
    assert modern.options()["accent_color"] != classic.options()["accent_color"]
    assert modern.options()["font_size"] == "10pt"
    assert "@page { margin: 17mm 18mm 20mm; }" in modern.options_css()
    assert "margin" not in modern.options_css("bio"), "the bio keeps its own margins by default"


def test_theme_as_a_plain_name_still_works(
    write_record: Callable[..., Path], tmp_path: Path
) -> None:
    data = write_record("name: Jane Doe\ntheme: modern\n", {"publications.bib": ""})
    cv.build(data, tmp_path, only=["html"], today=TODAY)
    assert '"Source Sans Pro"' in (tmp_path / "cv.html").read_text(encoding="utf-8")


def test_bad_theme_options_are_located_errors(write_record: Callable[..., Path]) -> None:
    data = write_record("""
        name: Jane Doe
        theme:
          accent_color: blue
          font_size: 30pt
          margins: 2 cm
          page_size: A5
    """)
    with pytest.raises(cv.CVError) as caught:
        cv.check(data)
    messages = [str(p) for p in caught.value.problems]
    assert len(messages) == 4
    assert re.search(
        r"cv\.yaml:3:17: theme\.accent_color: 'blue' is not valid: expected a colour as #rrggbb",
        messages[0],
    )
    assert re.search(
        r"cv\.yaml:4:14: theme\.font_size: '30pt' is not valid: expected a size in points",
        messages[1],
    )
    assert re.search(
        r"cv\.yaml:5:12: theme\.margins: '2 cm' is not valid: expected 1 to 4 lengths", messages[2]
    )
    assert re.search(r"cv\.yaml:6:14: theme\.page_size: 'A5' is not allowed", messages[3])


def test_cli_reports_a_bad_option_with_its_line(write_record: Callable[..., Path]) -> None:
    data = write_record("name: Jane Doe\ntheme: {accent_color: '#12345'}\n")
    result = CliRunner().invoke(app, ["check", "--data", str(data)])
    assert result.exit_code == 1
    assert "cv.yaml:2:23: theme.accent_color: '#12345' is not valid" in result.stderr


# --- user overrides -----------------------------------------------------------------------------


def test_user_templates_replace_and_extend_theme_templates(
    write_record: Callable[..., Path], tmp_path: Path
) -> None:
    data = write_record(
        """
        name: Jane Doe
        news: [{date: 2024-01, text: Something happened}]
        awards: [{date: 2020, title: An award}]
    """,
        {
            "publications.bib": "",
            "theme/sections/news.html.j2": """
            {% extends "base/sections/news.html.j2" %}
            {% block news_text %}<span class="mine">{{ super() }}</span>{% endblock %}
        """,
            "theme/cv.html.j2": """
            {% extends "classic/cv.html.j2" %}
            {% block footer %}<footer class="mine">Printed from my record</footer>{% endblock %}
        """,
            "theme/custom.css": "h2 { color: #ff0000; }\n",
        },
    )
    result = cv.build(data, tmp_path, only=["cv", "html"], today=TODAY)
    assert result.warnings == ()
    page = (tmp_path / "cv.html").read_text(encoding="utf-8")
    assert '<span class="mine">Something happened</span>' in page, (
        "the block replaced, super() kept"
    )
    assert '<footer class="mine">Printed from my record</footer>' in page
    assert "Last updated" not in page
    assert "<h2>Honors and Awards</h2>" in page, "everything else comes from the theme"
    assert page.rindex("h2 { color: #ff0000; }") > page.index("/* options:"), (
        "custom.css comes last"
    )
    text = pypdf.PdfReader(tmp_path / "cv.pdf").pages[0].extract_text()
    assert "Printed from my record" in text and "Something happened" in text


def test_an_override_can_extend_the_themes_own_version(write_record: Callable[..., Path]) -> None:
    data = write_record(
        "name: Jane Doe\ntheme: modern\n",
        {
            "publications.bib": "",
            "theme/header.html.j2": '{% extends "modern/header.html.j2" %}',
            "theme/sections/entries.html.j2": """
            {% extends "modern/sections/entries.html.j2" %}
            {% block entry_date %}<b>{{ super() }}</b>{% endblock %}
        """,
        },
    )
    inputs = cv.check(data)
    assert inputs.theme.folders[0] == data / "theme"


def test_custom_css_wins_in_the_pdf(write_record: Callable[..., Path], tmp_path: Path) -> None:
    data = write_record(
        "name: Jane Doe\n",
        {"publications.bib": "", "theme/custom.css": "@page { size: 100mm 100mm; }\n"},
    )
    cv.build(data, tmp_path, only=["cv"], today=TODAY)
    box = pypdf.PdfReader(tmp_path / "cv.pdf").pages[0].mediabox
    assert round(float(box.width) / 72 * 25.4) == 100


def test_an_error_in_a_user_template_is_located(write_record: Callable[..., Path]) -> None:
    data = write_record(
        "name: Jane Doe\n",
        {
            "publications.bib": "",
            "theme/header.html.j2": "<header>\n{{ person.nmae }}\n</header>\n",
        },
    )
    with pytest.raises(cv.CVError) as caught:
        cv.check(data)
    problem = caught.value.problems[0]
    assert problem.file == data / "theme" / "header.html.j2" and problem.line == 2
    assert "nmae" in problem.message


def test_user_templates_are_sandboxed(write_record: Callable[..., Path]) -> None:
    data = write_record(
        "name: Jane Doe\n",
        {
            "publications.bib": "",
            "theme/header.html.j2": "{{ person.__class__.__mro__[1].__subclasses__() }}\n",
        },
    )
    with pytest.raises(cv.CVError, match="unsafe|not safely"):
        cv.check(data)


# --- fonts --------------------------------------------------------------------------------------


def test_every_family_has_all_its_faces() -> None:
    for family in fonts.FAMILIES.values():
        faces = {(face.weight, face.style) for face in family.faces()}
        assert {(400, "normal"), (400, "italic"), (700, "normal"), (700, "italic")} <= faces
        assert all(face.file.is_file() for face in family.faces()), family.name
    css = fonts.font_face_css()
    assert css.count("@font-face") >= 12
    assert "local(" not in css and "http" not in css


def test_every_bundled_face_draws_latin() -> None:
    """Pages of only these characters are laid out without the CJK font (fonts.add_print_fonts)."""
    for family in fonts.FAMILIES.values():
        for face in family.faces():
            missing = sorted(chr(code) for code in fonts.LATIN - fonts._cmap(face.file))
            assert missing == [], (face.file.name, missing)


@pytest.mark.skipif(fonts.cjk_font() is None, reason="the cjk extra is not installed")
@pytest.mark.parametrize(
    ("text", "declared"),
    [
        ("Zoë Ångström — “Fédération” 1–2 € … ™", False),
        ("唐振衡", True),
        ("Dvořák", True),  # beyond LATIN: the CJK font is declared, as it might draw a letter
        ("x → y", True),
    ],
)
def test_the_cjk_font_is_declared_only_for_a_page_that_may_need_it(
    text: str, declared: bool
) -> None:
    html = fonts.add_print_fonts(f"<style>{fonts.PRINT_FONTS}</style><p>{text}</p>")
    assert html.count("@font-face") == 12 + declared
    assert (f'font-family: "{fonts.CJK_FAMILY}"' in html) == declared
    assert fonts.PRINT_FONTS not in html


@pytest.fixture
def without_cjk(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """As if the cjk extra were not installed."""
    caches = (fonts.drawable, fonts.font_face_css, fonts.cjk_font)
    for cache in caches:
        cache.cache_clear()
    monkeypatch.setattr(fonts, "cjk_font", lambda: None)
    yield
    monkeypatch.undo()
    for cache in caches:
        cache.cache_clear()


def test_without_the_cjk_extra_the_build_names_what_it_cannot_draw(
    without_cjk: None, write_record: Callable[..., Path], tmp_path: Path
) -> None:
    data = write_record("name: Zhenheng Tang\nname_native: 唐振衡\n", {"publications.bib": ""})
    result = cv.build(data, tmp_path, only=["html"], today=TODAY)
    assert result.warnings == (
        f"{data / 'cv.yaml'}:2:14: no installed font can draw 唐, 振, 衡 "
        "(install academic-cv[cjk])",
    )
    with pytest.raises(cv.CVError, match="no installed font can draw 唐"):
        cv.build(data, tmp_path, only=["html"], today=TODAY, strict=True)


def test_undrawable_characters_of_a_bib_file_are_named(
    write_record: Callable[..., Path], tmp_path: Path
) -> None:
    bib = "\n@article{a, title={Fire 🔥 and ice}, author={Doe, Jane}, journal={J}, year=2020}\n"
    data = write_record("name: Jane Doe\n", {"publications.bib": bib})
    result = cv.build(data, tmp_path, only=["html"], today=TODAY)
    assert len(result.warnings) == 1
    assert re.fullmatch(
        r".*publications\.bib:\d+: no installed font can draw 🔥", result.warnings[0]
    )


@pytest.mark.skipif(
    fonts.cjk_font() is None, reason="the cjk extra (noto-cjk-sans-jp-regular) is not installed"
)
@pytest.mark.parametrize("theme", THEMES)
def test_with_the_cjk_extra_cjk_names_render_in_noto(
    theme: str, write_record: Callable[..., Path], tmp_path: Path
) -> None:
    data = write_record(
        f"name: Zhenheng Tang\nname_native: 唐振衡\ntheme: {theme}\n", {"publications.bib": ""}
    )
    result = cv.build(data, tmp_path, only=["cv", "bio", "html"], today=TODAY)
    assert result.warnings == ()
    found = embedded_fonts(tmp_path / "cv.pdf")
    assert any(name.startswith("Noto-Sans-CJK-JP") for name in found), found
    assert all(name.startswith((FAMILY_OF[theme], "Noto-Sans-CJK-JP")) for name in found), found
    assert "唐振衡" in pypdf.PdfReader(tmp_path / "cv.pdf").pages[0].extract_text()
    assert f'font-family: "{fonts.CJK_FAMILY}"' in (tmp_path / "cv.html").read_text(
        encoding="utf-8"
    )


def test_weasyprint_font_problems_become_warnings(
    write_record: Callable[..., Path], tmp_path: Path
) -> None:
    """A face that cannot load, a glyph no font has, a letter taken from a system font: each is
    a warning (an error under --strict), whatever this machine's fonts are."""
    data = write_record(
        "name: Jane Doe\nheadline: Kite 🪁 and שלום\n",
        {
            "publications.bib": "",
            "theme/custom.css": '@font-face { font-family: "Broken"; src: url("missing.otf"); }\n'
            'h2 { font-family: "Broken", serif; }\n',
        },
    )
    result = cv.build(data, tmp_path, only=["cv"], today=TODAY)
    warnings = "\n".join(result.warnings)
    assert "Font-face 'Broken' cannot be loaded" in warnings
    assert "no installed font can draw 🪁, ש, ל, ו, ם" in warnings
    pdf_warnings = [w for w in result.warnings if w.startswith("cv.pdf:")]
    # 🪁 and the Hebrew are drawn from a system font or as .notdef boxes: either is reported.
    assert any("🪁" in w for w in pdf_warnings), pdf_warnings
    assert any("ש" in w for w in pdf_warnings), pdf_warnings
    with pytest.raises(cv.CVError, match="an error under --strict"):
        cv.build(data, tmp_path, only=["cv"], today=TODAY, strict=True)


# --- cv.html ------------------------------------------------------------------------------------


class Resources(html.parser.HTMLParser):
    """Every URL a page would load (not the ones it links to), and its inline CSS."""

    LOADING = {("link", "href"), ("script", "src"), ("img", "src"), ("img", "srcset"),
               ("iframe", "src"), ("source", "src"), ("source", "srcset"), ("video", "src"),
               ("video", "poster"), ("audio", "src"), ("embed", "src"), ("object", "data"),
               ("input", "src"), ("track", "src")}  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.css: list[str] = []
        self.tags: set[str] = set()
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self._in_style = tag == "style"
        for name, value in attrs:
            if (tag, name) in self.LOADING and value:
                self.urls.append(value)
            if name == "style" and value:
                self.css.append(value)

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.css.append(data)


@pytest.mark.parametrize("theme", THEMES)
def test_cv_html_loads_nothing_from_elsewhere(builds, theme: str) -> None:  # type: ignore[no-untyped-def]
    out, _ = builds[theme, "A4"]
    page = (out / "cv.html").read_text(encoding="utf-8")
    parser = Resources()
    parser.feed(page)
    assert "script" not in parser.tags and "link" not in parser.tags
    assert all(url.startswith("data:") for url in parser.urls), parser.urls
    css = "\n".join(parser.css)
    assert "@import" not in css
    css_urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", css)
    assert css_urls, "the fonts are embedded"
    assert all(url.startswith("data:") for url in css_urls), [
        u[:40] for u in css_urls if not u.startswith("data:")
    ]
    assert "file:" not in page
    assert len(page.encode()) < 400_000, "fonts cut to the page's characters"


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (.ci/run installs Debian's chromium)"
)
@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize(("width", "scheme"), [(1280, "light"), (390, "light"), (1280, "dark")])
def test_cv_html_renders_in_headless_chromium(  # type: ignore[no-untyped-def]
    builds, theme: str, width: int, scheme: str, tmp_path: Path
) -> None:
    from PIL import Image

    out, _ = builds[theme, "A4"]
    page = (out / "cv.html").read_text(encoding="utf-8")
    assert '<a class="pdf-link" href="cv.pdf">PDF</a>' in page, "the PDF beside the name"
    shot = tmp_path / "shot.png"
    dark_mode = ["--force-dark-mode", "--blink-settings=preferredColorScheme=0"]
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--screenshot={shot}",
        f"--window-size={width},1600",
        *(dark_mode if scheme == "dark" else []),
        (out / "cv.html").as_uri(),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    with Image.open(shot) as image:
        assert image.size == (width, 1600)
        pixels = image.convert("L").tobytes()
    assert len(set(pixels)) > 16, "not a blank page"
    histogram = [pixels.count(value) for value in range(256)]
    dark = sum(histogram[:128]) / len(pixels)
    if scheme == "light":
        assert 0.01 < dark < 0.35, f"{dark:.1%} dark pixels: text on a light page"
    else:
        assert dark > 0.8, f"{dark:.1%} dark pixels: the dark scheme is light text on dark"


def _annotations(page: pypdf.PageObject) -> list[tuple[str, tuple[float, ...]]]:
    found = []
    for annotation in page.get("/Annots") or []:
        annotation = annotation.get_object()
        uri = str(annotation.get("/A", {}).get("/URI", ""))
        found.append((uri, tuple(float(x) for x in annotation["/Rect"])))
    return found


@pytest.mark.parametrize("theme", THEMES)
def test_each_link_is_one_annotation_and_no_separator_is_a_link(builds, theme: str) -> None:  # type: ignore[no-untyped-def]
    out, _ = builds[theme, "A4"]
    reader = pypdf.PdfReader(out / "cv.pdf")
    for number, page in enumerate(reader.pages, 1):
        links = _annotations(page)
        for i, (_, a) in enumerate(links):
            for _, b in links[i + 1 :]:
                overlap = min(a[2], b[2]) - max(a[0], b[0]), min(a[1], b[3]) - max(a[3], b[1])
                assert overlap[0] <= 0.5 or overlap[1] <= 0.5, f"page {number}: {a} and {b}"
        # Every "·" between links lies outside every annotation (poppler's word boxes).
        boxes = subprocess.run(
            ["pdftotext", "-bbox", "-f", str(number), "-l", str(number), str(out / "cv.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        height = float(page.mediabox.height)
        dots = re.findall(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">·<', boxes
        )
        for x0, top, x1 in ((float(a), float(b), float(c)) for a, b, c in dots):
            x, y = (x0 + x1) / 2, height - top - 4
            for uri, (left, bottom, right, upper) in links:
                inside = left <= x <= right and min(bottom, upper) <= y <= max(bottom, upper)
                assert not inside, f"page {number}: the dot at {x:.0f},{y:.0f} opens {uri}"
    assert any("doi.org/10.1109/TPDS" in uri for uri, _ in _annotations(reader.pages[0]))


def _tags(node: object, depth: int = 0) -> Iterator[tuple[int, str, object]]:
    node = node.get_object() if hasattr(node, "get_object") else node
    if not isinstance(node, dict):
        return
    if "/S" in node:
        yield depth, str(node["/S"]), node
    kids = node.get("/K")
    for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
        yield from _tags(kid, depth + 1)


@pytest.mark.parametrize("theme", THEMES)
def test_entries_are_tagged_as_list_items_in_reading_order(builds, theme: str) -> None:  # type: ignore[no-untyped-def]
    out, _ = builds[theme, "A4"]
    reader = pypdf.PdfReader(out / "cv.pdf")
    tags = list(_tags(reader.trailer["/Root"]["/StructTreeRoot"]))
    items = [node for _, name, node in tags if name == "/LI"]
    lists = [name for _, name, _ in tags if name == "/L"]
    # Experience (4), education (2), publications (11), awards (7), teaching (5), news (5), ...
    assert len(items) >= 4 + 2 + 11 + 7 + 5 + 5 and len(lists) >= 6
    # An item's marked content, in its order: the date (or "[n]") and then its entry.
    texts = []
    page_text = reader.pages[0].extract_text()
    for item in items[:6]:
        marked = [
            mcid
            for _, _, node in _tags(item)
            for kid in (node.get("/K") if isinstance(node.get("/K"), list) else [node.get("/K")])
            if isinstance(kid, int)
            for mcid in [kid]
        ]
        texts.append(marked)
    assert all(texts), "every entry holds its content"
    assert [sorted(t) for t in texts] == texts, "an entry's content is drawn in reading order"
    assert page_text.index("Sep 2023 – present") < page_text.index("Visiting Researcher")


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("output", ["cv.pdf", "bio.pdf"])
def test_hyphenation_spares_acronyms_identifiers_and_compounds(
    builds, theme: str, output: str
) -> None:  # type: ignore[no-untyped-def]
    out, _ = builds[theme, "A4"]
    lines = [
        line
        for page in pypdf.PdfReader(out / output).pages
        for line in page.extract_text().splitlines()
    ]
    ends = [line.split()[-1] if line.split() else "" for line in lines]
    hyphenated = [bool(re.search(r"[a-z]-$", end)) for end in ends]
    runs = "".join("h" if h else "." for h in hyphenated)
    assert "hhh" not in runs, "at most two hyphenated lines in a row"
    for index, (end, h) in enumerate(zip(ends, hyphenated, strict=True)):
        if not h:
            continue
        part = end.rstrip("-").split("-")[-1]
        assert not re.search(r"[A-Z].*[A-Z]|\d|[a-z][A-Z]", part), end  # "IJ-", "arX-"
        following = lines[index + 1].split()[:1] if index + 1 < len(lines) else []
        # "hard-" over "ware-friendly": a compound broken away from its own hyphen.
        assert not (following and "-" in following[0].strip(",.;:")), (end, following)
    assert "know-" not in ends, "en is US English: knowl-edge"


def test_a_hostile_name_in_the_web_pages_print_footer_stays_a_css_string(
    write_record: Callable[..., Path], tmp_path: Path
) -> None:
    name = 'Eve"; } body { display: none } </style><script>x()</script> /* \\'
    data = write_record(f"name: '{name.replace(chr(39), chr(39) * 2)}'\n", {"publications.bib": ""})
    cv.build(data, tmp_path / "out", only=["html"], today=TODAY)
    page = (tmp_path / "out" / "cv.html").read_text(encoding="utf-8")
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    footer = re.search(r"@bottom-left \{ content: (\"[^\"]*\"); \}", style)
    assert footer is not None, "one CSS string, not ended early"
    assert "display: none" not in footer.group(1) and "<" not in footer.group(1)
    assert "<script" not in page
    # Read back by a CSS parser, the string is the name.
    import tinycss2

    token = tinycss2.parse_one_component_value(footer.group(1))
    assert token.type == "string" and token.value == name


@pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (.ci/run installs Debian's chromium)"
)
def test_the_browsers_own_print_of_cv_html_keeps_the_footer_and_the_bookmarks(  # type: ignore[no-untyped-def]
    builds, tmp_path: Path
) -> None:
    out, _ = builds["classic", "A4"]
    printed = tmp_path / "printed.pdf"
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--no-pdf-header-footer",
        "--generate-pdf-document-outline",
        f"--print-to-pdf={printed}",
        (out / "cv.html").as_uri(),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    reader = pypdf.PdfReader(printed)
    lines = reader.pages[0].extract_text().splitlines()
    assert f"Page 1 of {len(reader.pages)}" in " ".join(lines)
    assert not any(line.endswith("TangPDF") or line == "PDF" for line in lines), "no PDF link"
    # Page 2 has no masthead: a line that is the name alone is the footer's.
    second = [line.strip() for line in reader.pages[1].extract_text().splitlines()]
    assert any(line.endswith("Zhenheng Tang") and "," not in line for line in second), second

    def titles(outline: list[Any]) -> list[str]:
        return [
            t
            for item in outline
            for t in (titles(item) if isinstance(item, list) else [item.title])
        ]

    bookmarks = titles(reader.outline)
    for section in ("Profile", "Experience", "Education", "Publications", "Teaching"):
        assert section in bookmarks, bookmarks


def test_a_fonts_character_map_is_read_back_from_the_cache_as_fonttools_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fontTools.ttLib import TTFont

    from cv import fonts
    from cv.cache import cache_folder

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    face = fonts.FAMILIES["serif"].faces()[0].file
    with TTFont(face, lazy=True) as font:
        expected = frozenset(font.getBestCmap())
    fonts._cmap.cache_clear()
    assert fonts._cmap(face) == expected
    (kept,) = cache_folder("cmaps").glob("*.marshal")
    fonts._cmap.cache_clear()
    monkeypatch.setattr(TTFont, "__init__", _not_read)
    assert fonts._cmap(face) == expected  # from the cache: the font is not opened
    kept.write_bytes(kept.read_bytes()[:100])  # cut short: read from the font again
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    fonts._cmap.cache_clear()
    assert fonts._cmap(face) == expected
    fonts._cmap.cache_clear()


def _not_read(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("the font was opened: its kept character map was not used")
