"""No output links to a file of the build machine; a theme is a name; user CSS stays CSS.

Every case here was reproduced on the previous main: relative links came out of the PDFs as
``file:///…/data/…`` links, ``theme: /some/dir`` loaded templates from anywhere, and a
``</style><script>`` in custom.css ran in cv.html.
"""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import pypdf
import pytest
from typer.testing import CliRunner, Result

from cv.cli import app
from cv.links import link_base, resolve

BASE = Path(__file__).parent / "broken" / "_base"
runner = CliRunner()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(BASE, folder)
    return folder


def run(*args: str) -> Result:
    result = runner.invoke(app, list(args), env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def build(data: Path, out: Path, *options: str) -> Result:
    return run("build", "--data", str(data), "--out", str(out), "-q", *options)


def pdf_links(path: Path) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    found = []
    for page in reader.pages:
        for annotation in page.get("/Annots", []):
            action = annotation.get_object().get("/A", {})
            if "/URI" in action:
                found.append(str(action["/URI"]))
            if "/F" in annotation.get_object() or action.get("/S") == "/Launch":
                found.append("file-spec")
    return found


def record(data: Path, extra: str, website: bool = False) -> None:
    text = (BASE / "cv.yaml").read_text(encoding="utf-8")
    if not website:
        text = text.replace("  website: https://jane.example.org\n", "")
    (data / "cv.yaml").write_text(text + extra, encoding="utf-8")


def build_with_a_relative_pdf(data: Path, out: Path) -> Result:
    """Build with one publication whose pdf is al-folio's relative ``paper.pdf``."""
    (data / "publications.bib").write_text(
        "@article{a, title = {T}, author = {Doe, Jane}, journal = {J}, year = {2024},\n"
        "  pdf = {paper.pdf}}\n",
        encoding="utf-8",
    )
    result = build(data, out)
    assert result.exit_code == 0, result.output
    return result


RELATIVE = """\
talks:
  - {date: 2023, title: "A talk", url: cv.yaml, slides: ../../etc/passwd, video: //v.example.org/v}
service:
  - {role: "Reviewer, see [notes](../notes.txt) and <file:///etc/passwd>", venues: [ICML]}
"""


def test_relative_links_without_a_web_address_become_no_link_and_a_located_warning(
    data: Path, tmp_path: Path
) -> None:
    record(data, RELATIVE)
    out = tmp_path / "out"
    result = build_with_a_relative_pdf(data, out)
    for output in ("cv.pdf", "bio.pdf"):
        links = pdf_links(out / output)
        assert not [u for u in links if not u.startswith(("https://", "mailto:"))], links
    assert "https://v.example.org/v" in pdf_links(out / "cv.pdf")
    html = (out / "cv.html").read_text(encoding="utf-8")
    assert 'href="cv.yaml"' not in html and '../notes.txt"' not in html
    assert "file:" not in html.split("</style>", 1)[1].replace("&lt;file:///etc/passwd&gt;", "")
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    cv_yaml = str(data / "cv.yaml")
    assert f"warning: {cv_yaml}:17:40: relative link 'cv.yaml' is not made a link" in result.stderr
    assert f"warning: {cv_yaml}:17:57: relative link '../../etc/passwd'" in result.stderr
    assert f"warning: {cv_yaml}:19:12: relative link '../notes.txt'" in result.stderr
    assert (
        f"warning: {cv_yaml}:19:12: link 'file:///etc/passwd' is not made a link" in result.stderr
    )
    bib = str(data / "publications.bib")
    assert f"warning: {bib}:2:3: pdf of entry 'a': relative link 'paper.pdf'" in result.stderr
    assert len(warnings) == 5, warnings

    strict = build(data, tmp_path / "strict", "--strict")
    assert strict.exit_code == 1
    assert "relative link 'paper.pdf' is not made a link" in strict.stderr
    assert "(an error under --strict)" in strict.stderr
    assert not (tmp_path / "strict").exists()


def test_relative_links_resolve_against_the_homepage(data: Path, tmp_path: Path) -> None:
    record(data, RELATIVE + "base_url: https://jane.github.io/\n")
    out = tmp_path / "out"
    result = build_with_a_relative_pdf(data, out)
    links = pdf_links(out / "cv.pdf")
    assert "https://jane.github.io/cv.yaml" in links
    assert "https://jane.github.io/etc/passwd" in links  # ../ cannot climb above the site
    assert "https://jane.github.io/notes.txt" in links
    assert "https://jane.github.io/assets/pdf/paper.pdf" in links
    assert result.stderr.count("warning:") == 1  # only the file: link
    assert "link 'file:///etc/passwd' is not made a link" in result.stderr


def test_the_website_is_the_web_address_when_there_is_no_base_url() -> None:
    class Contact:
        website: str | None = "jane.github.io"

    class Record:
        base_url: str | None = None
        contact = Contact()

    assert link_base(Record()) == "https://jane.github.io/"
    Record.contact.website = "https://x.org/~jane"
    assert link_base(Record()) == "https://x.org/~jane/"
    Record.base_url = "https://lab.org/jane/"
    assert link_base(Record()) == "https://lab.org/jane/"
    Record.base_url, Record.contact.website = None, "Jane's page"
    assert link_base(Record()) is None


@pytest.mark.parametrize(
    ("url", "base", "made"),
    [
        ("https://a.org/x", None, "https://a.org/x"),
        ("mailto:a@b.org", None, "mailto:a@b.org"),
        ("FILE:///etc/passwd", "https://a.org/", None),
        (" javascript:alert(1)", "https://a.org/", None),
        ("data:text/html,x", "https://a.org/", None),
        ("#publications", None, "#publications"),
        ("//host/x", None, "https://host/x"),
        ("paper.pdf", None, None),
        ("paper.pdf", "https://a.org/b/", "https://a.org/b/paper.pdf"),
        ("/root.pdf", "https://a.org/b/", "https://a.org/root.pdf"),
        ("%2e%2e/x", None, None),
        ("", "https://a.org/", None),
    ],
)
def test_resolve(url: str, base: str | None, made: str | None) -> None:
    assert resolve(url, base) == made


def test_a_template_s_own_relative_link_is_left_out_of_the_pdf(data: Path, tmp_path: Path) -> None:
    theme = data / "theme"
    theme.mkdir()
    (theme / "cv.html.j2").write_text(
        '{% extends "base/cv.html.j2" %}\n{% block header %}{{ super() }}'
        '<a href="notes.txt">notes</a><a href="file:///etc/passwd">p</a>{% endblock %}\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = build(data, out, "--only", "cv")
    assert result.exit_code == 0, result.output
    assert not [u for u in pdf_links(out / "cv.pdf") if not u.startswith(("https:", "mailto:"))]
    assert result.stderr.count("was left out: a PDF links only to the web") == 2


# --- themes --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["{evil}", "../evil", "classic/../modern", "base", "Classic"])
def test_a_theme_is_a_name_cv_themes_lists(name: str, data: Path, tmp_path: Path) -> None:
    evil = tmp_path / "evil"  # a theme folder outside the data folder
    evil.mkdir()
    (evil / "theme.yaml").write_text("description: not ours\n", encoding="utf-8")
    (evil / "cv.html.j2").write_text("{{ meta }}", encoding="utf-8")
    name = name.format(evil=evil)
    text = (data / "cv.yaml").read_text(encoding="utf-8")
    (data / "cv.yaml").write_text(text + f"theme: {{name: '{name}'}}\n", encoding="utf-8")
    for command in ("check", "build"):
        args = ["--out", str(tmp_path / "out")] if command == "build" else []
        result = run(command, "--data", str(data), *args)
        assert result.exit_code == 1, result.output
        line = result.stderr.splitlines()[0]
        assert line.startswith(f"error: {data / 'cv.yaml'}:17:15: unknown theme {name!r}"), line
        assert "expected one of: classic, modern" in line
    assert not (tmp_path / "out").exists()


def test_an_unknown_theme_option_is_a_usage_error(data: Path, tmp_path: Path) -> None:
    result = build(data, tmp_path / "out", "--theme", "../../etc")
    assert result.exit_code == 2


def test_a_theme_override_that_is_a_file_is_an_error(data: Path, tmp_path: Path) -> None:
    (data / "theme").write_text("not a folder", encoding="utf-8")
    result = build(data, tmp_path / "out")
    assert result.exit_code == 1
    assert f"error: {data / 'theme'}: theme is not a folder" in result.stderr


# --- user CSS ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("css", "where", "message"),
    [
        ("h1 { color: red; }\n</style><script>alert(1)</script>\n", "2:1", "'</style' would end"),
        ("/* </STYLE > */ h1 { color: red; }\n", "1:4", "'</STYLE' would end"),
        ("h1 { color: red; }\n}\n", "2:2", "invalid CSS: EOF reached before {} block"),
        ("h1 { color: red; ; : ; }\nh2 { font-size: }\n", "1:22", "invalid CSS:"),
    ],
)
def test_custom_css_is_checked_as_css(
    css: str, where: str, message: str, data: Path, tmp_path: Path
) -> None:
    (data / "theme").mkdir()
    (data / "theme" / "custom.css").write_text(css, encoding="utf-8")
    result = build(data, tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert f"error: {data / 'theme' / 'custom.css'}:{where}: {message}" in result.stderr
    assert not (tmp_path / "out").exists()


def test_valid_custom_css_is_applied_and_cannot_close_its_element(
    data: Path, tmp_path: Path
) -> None:
    (data / "theme").mkdir()
    css = 'h2::after { content: "<\\/b>"; }\n@media print { h1 { color: #123456; } }\n'
    (data / "theme" / "custom.css").write_text(css, encoding="utf-8")
    out = tmp_path / "out"
    result = build(data, out, "--only", "html")
    assert result.exit_code == 0, result.output
    html = (out / "cv.html").read_text(encoding="utf-8")
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "color: #123456" in style and "</" not in style
    assert html.count("</style>") == 1


def test_a_named_pipe_in_the_theme_override_is_an_error_not_a_hang(
    data: Path, tmp_path: Path
) -> None:
    (data / "theme").mkdir()
    os.mkfifo(data / "theme" / "custom.css")
    result = build(data, tmp_path / "out")
    assert result.exit_code == 1
    assert (
        f"error: {data / 'theme' / 'custom.css'}: this is not a file or a folder" in result.stderr
    )


def test_a_huge_photo_is_refused_before_it_is_read(data: Path, tmp_path: Path) -> None:
    with (data / "photo.jpg").open("wb") as file:
        file.truncate(65_000_000)  # sparse: nothing is written, nothing need be read
    text = (data / "cv.yaml").read_text(encoding="utf-8")
    (data / "cv.yaml").write_text(text + "photo: photo.jpg\n", encoding="utf-8")
    result = build(data, tmp_path / "out")
    assert result.exit_code == 1
    assert (
        f"error: {data / 'cv.yaml'}:17:8: photo 'photo.jpg' is larger than 64 MB" in result.stderr
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "base_url: file:///etc/",
            "base_url: 'file:///etc/' is not valid: expected the homepage's",
        ),
        ("base_url: javascript:alert(1)//", "base_url: 'javascript:alert(1)//' is not valid"),
        (
            'base_url: "https://x.org/\\" onclick=\\"a"',
            "base_url: 'https://x.org/\" onclick=\"a' is",
        ),
        ("base_url: ../site", "base_url: '../site' is not valid"),
        (
            'lang: "en\\" onload=\\"x"',
            "lang: 'en\" onload=\"x' is not valid: expected a language tag",
        ),
        ("lang: ../../etc/passwd", "lang: '../../etc/passwd' is not valid"),
    ],
)
def test_base_url_and_lang_are_validated(line: str, message: str, data: Path) -> None:
    text = (data / "cv.yaml").read_text(encoding="utf-8")
    (data / "cv.yaml").write_text(text + line + "\n", encoding="utf-8")
    result = run("check", "--data", str(data))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {data / 'cv.yaml'}:17:"), result.stderr
    assert message in result.stderr


def test_links_going_round_in_the_theme_override_are_an_error(data: Path, tmp_path: Path) -> None:
    theme = data / "theme"
    theme.mkdir()
    (theme / "a.html.j2").symlink_to("b.html.j2")
    (theme / "b.html.j2").symlink_to("a.html.j2")
    result = build(data, tmp_path / "out")
    assert result.exit_code == 1
    assert f"error: {theme / 'a.html.j2'}: its links go round in a loop" in result.stderr


@pytest.mark.parametrize(
    "url",
    ["java\tscript:alert(1)", "java\nscript:alert(1)", "javascript\t:alert(1)", " javascript:x"],
)
def test_a_script_link_split_by_tabs_is_no_link(url: str, data: Path, tmp_path: Path) -> None:
    """Browsers drop tabs and line breaks inside URLs: ``java<TAB>script:`` is ``javascript:``."""
    text = (
        (data / "cv.yaml")
        .read_text(encoding="utf-8")
        .replace(
            "  - {date: 2022, title: Best Paper Award}",
            f"  - {{date: 2022, title: Prize, url: {json.dumps(url)}}}",
        )
    )
    (data / "cv.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = build(data, out)
    assert result.exit_code == 0, result.output
    html = (out / "cv.html").read_text(encoding="utf-8")
    assert "script:" not in html.replace("\t", "").replace("\n", "").split("</style>", 1)[1]
    assert "is not made a link: javascript: links do not work" in result.stderr


def test_an_svg_that_repeats_itself_is_not_drawn(data: Path, tmp_path: Path) -> None:
    levels = ['<g id="a0"><rect width="1" height="1"/></g>']
    levels += [f'<g id="a{n}">' + f'<use href="#a{n - 1}"/>' * 10 + "</g>" for n in range(1, 9)]
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><defs>' + "".join(levels) + "</defs>"
    (data / "theme").mkdir()
    (data / "theme" / "x.svg").write_text(svg + '<use href="#a8"/></svg>', encoding="utf-8")
    (data / "theme" / "custom.css").write_text("main { background: url(theme/x.svg); }\n")
    result = build(data, tmp_path / "out", "--only", "cv")
    assert result.exit_code == 0, result.output
    assert "an SVG that repeats itself (81 <use> elements" in result.stderr


@pytest.mark.parametrize(
    ("css", "message"),
    [
        ("* { columns: 1000 1px; }\n", "columns: 1000 columns; expected at most 12"),
        ("@media print { p { column-count: 99; } }\n", "column-count: 99 columns"),
        ('*::before { content: "' + "x " * 1500 + '"; }\n', "content: 3,000 characters"),
        ("a{color:red}" * 3001, "3,001 rules; expected at most 3,000"),
        ("a{color:red}" * 20000, "a stylesheet of 240,000 characters; expected at most 200,000"),
    ],
    ids=["columns", "column-count", "content", "rules", "size"],
)
def test_css_that_would_take_minutes_to_lay_out_is_refused(
    css: str, message: str, data: Path, tmp_path: Path
) -> None:
    (data / "theme").mkdir()
    (data / "theme" / "custom.css").write_text(css, encoding="utf-8")
    result = build(data, tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert message in result.stderr


def test_at_most_twenty_documents(data: Path) -> None:
    text = (data / "cv.yaml").read_text(encoding="utf-8")
    documents = "".join(f"  d{n}: {{title: x}}\n" for n in range(21))
    (data / "cv.yaml").write_text(text + "documents:\n" + documents, encoding="utf-8")
    result = run("check", "--data", str(data))
    assert result.exit_code == 1
    assert "documents:" in result.stderr and "20" in result.stderr, result.stderr
