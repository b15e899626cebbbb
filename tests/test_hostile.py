"""Hostile content: a build runs, embeds and fetches nothing the record or its templates point at.

One test per vector a build must refuse (docs/security.md: attachments, ``../``, absolute
``file://``, ``%2e%2e``, symlinks, ``local()`` fonts, SVG ``<image>``, the network), each reached
the way a user's files can reach it; then a record that uses all of them at once against a
loopback server that must receive nothing; then failed builds that must leave no trace.
"""

from __future__ import annotations

import datetime as dt
import http.server
import io
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pypdf
import pytest
from PIL import Image
from typer.testing import CliRunner, Result

import cv
import cv.bio
from cv.cli import app

from .conftest import REPO, TESTDATA

BASE = Path(__file__).parent / "broken" / "_base"
TODAY = dt.date(2026, 11, 1)
SECRET = "TOP-SECRET-7f3a9c"
SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:")
runner = CliRunner()


def png(color: tuple[int, int, int] = (10, 200, 30), size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


@dataclass
class Server:
    """A loopback HTTP server that records every connection and request it gets."""

    url: str
    connections: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


@pytest.fixture
def server() -> Iterator[Server]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    state = Server(f"http://127.0.0.1:{httpd.server_port}")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            state.requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(png())

        do_POST = do_HEAD = do_GET  # noqa: N815

        def log_message(self, *args: object) -> None:
            pass

    httpd.RequestHandlerClass = Handler
    original = httpd.verify_request

    def verify(request, address):  # type: ignore[no-untyped-def]
        state.connections.append(str(address))
        return original(request, address)

    httpd.verify_request = verify  # type: ignore[method-assign]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the data folder that must never reach an output."""
    path = tmp_path / "secret.txt"
    path.write_text(f"{SECRET}\n", encoding="utf-8")
    (tmp_path / "secret.png").write_bytes(png((255, 0, 0), (13, 17)))
    return path


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(BASE, folder)
    return folder


def build(data: Path, out: Path, *options: str) -> Result:
    result = runner.invoke(
        app,
        ["build", "--data", str(data), "--out", str(out), "--quiet", *options],
        env={"SOURCE_DATE_EPOCH": "1700000000"},
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def override(data: Path, header: str, css: str = "") -> None:
    """A user template override that adds ``header`` to the CV's header, and a custom.css."""
    theme = data / "theme"
    theme.mkdir(exist_ok=True)
    (theme / "cv.html.j2").write_text(
        '{% extends "base/cv.html.j2" %}\n{% block header %}{{ super() }}\n'
        + header
        + "\n{% endblock %}\n",
        encoding="utf-8",
    )
    if css:
        (theme / "custom.css").write_text(css, encoding="utf-8")


def embedded_files(pdf: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    names = reader.trailer["/Root"].get("/Names", {})
    annotations = [a.get_object() for page in reader.pages for a in page.get("/Annots", [])]
    attached = [str(a.get("/FS")) for a in annotations if a.get("/Subtype") == "/FileAttachment"]
    return (["/EmbeddedFiles"] if "/EmbeddedFiles" in names else []) + attached


def images(pdf: bytes) -> list[tuple[int, int]]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [
        (image.image.width, image.image.height)
        for page in reader.pages
        for image in page.images
        if image.image is not None
    ]


def link_targets(pdf: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    targets = []
    for page in reader.pages:
        for annotation in page.get("/Annots", []):
            action = annotation.get_object().get("/A", {})
            if "/URI" in action:
                targets.append(str(action["/URI"]))
            if action.get("/S") in ("/JavaScript", "/Launch", "/ImportData", "/SubmitForm"):
                targets.append(str(action["/S"]))
    return targets


def assert_nothing_leaked(out: Path, secret: Path) -> None:
    for path in out.iterdir():
        content = path.read_bytes()
        assert SECRET.encode() not in content, path.name
        assert (
            b"/JavaScript" not in content and b"/JS " not in content and b"/Launch" not in content
        )
        if path.suffix == ".pdf":
            assert embedded_files(content) == [], path.name
            assert (13, 17) not in images(content), "the secret picture is not in it"
            unsafe = [url for url in link_targets(content) if not url.startswith(SAFE_SCHEMES)]
            assert unsafe == [], path.name


# --- one test per vector --------------------------------------------------------------------------

VECTORS = {
    "attachment-absolute-file-url": '<link rel="attachment" href="{secret_uri}">',
    "attachment-dot-dot": '<a rel="attachment" href="../secret.txt">a</a>',
    "attachment-percent-encoded-dot-dot": '<a rel="attachment" href="%2e%2e/secret.txt">b</a>',
    "attachment-through-a-symlink": '<link rel="attachment" href="link.txt">',
    "image-absolute-file-url": '<img src="{secret_png_uri}">',
    "image-dot-dot": '<img src="../secret.png">',
    "image-through-a-symlink": '<img src="link.png">',
    "svg-image-href": (
        '<svg width="20" height="20"><image href="{secret_png_uri}" width="20" height="20"/></svg>'
    ),
    "svg-xlink-href-dot-dot": (
        '<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="20" height="20">'
        '<image xlink:href="../secret.png" width="20" height="20"/></svg>'
    ),
    "stylesheet-outside": '<link rel="stylesheet" href="{secret_uri}">',
}

EMBEDS = {
    "object": '<object data="{secret_uri}"></object>',
    "embed": '<embed src="../secret.txt">',
    "iframe": '<iframe src="{secret_uri}"></iframe>',
}


@pytest.mark.parametrize("tag", sorted(EMBEDS))
def test_a_template_cannot_embed_another_page_or_object(
    tag: str, data: Path, secret: Path, tmp_path: Path
) -> None:
    override(data, EMBEDS[tag].format(secret_uri=secret.as_uri()))
    result = build(data, tmp_path / "out", "--only", "cv")
    assert result.exit_code == 1, result.output
    assert f"theme/cv.html.j2:3: template error: the page would hold a <{tag}> element" in (
        result.stderr
    )
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("vector", sorted(VECTORS))
def test_a_template_cannot_reach_a_file_outside_the_data_folder(
    vector: str, data: Path, secret: Path, tmp_path: Path
) -> None:
    (data / "link.txt").symlink_to(secret)
    (data / "link.png").symlink_to(secret.with_suffix(".png"))
    header = VECTORS[vector].format(
        secret_uri=secret.as_uri(), secret_png_uri=secret.with_suffix(".png").as_uri()
    )
    override(data, header)
    out = tmp_path / "out"
    result = build(data, out, "--only", "cv")
    assert result.exit_code == 0, result.output
    # An attachment is left out before anything is read; everything else, refused by the fetcher.
    said = "embeds no files" if vector.startswith("attachment") else "refused to read"
    assert said in result.stderr, "the sandbox said what it refused"
    assert_nothing_leaked(out, secret)


def test_a_stylesheet_cannot_reach_outside_either(data: Path, secret: Path, tmp_path: Path) -> None:
    secret_png = secret.with_suffix(".png").as_uri()
    override(
        data,
        '<p class="x">x</p>',
        f"""
        .x {{ background: url("{secret_png}"); }}
        .x::before {{ content: url("../secret.png"); }}
        .x::after {{ content: url("%2e%2e/secret.png"); }}
        @font-face {{ font-family: Leak; src: url("{secret.as_uri()}"); }}
        h1 {{ font-family: Leak, serif; }}
    """,
    )
    out = tmp_path / "out"
    result = build(data, out, "--only", "cv")
    assert result.exit_code == 0, result.output
    assert "refused to read" in result.stderr
    assert_nothing_leaked(out, secret)


def test_a_local_font_is_refused_or_reported(data: Path, tmp_path: Path) -> None:
    override(
        data,
        "",
        '@font-face { font-family: Machine; src: local("DejaVu Sans"); }\n'
        "h1 { font-family: Machine; }\n",
    )
    out = tmp_path / "out"
    result = build(data, out, "--only", "cv")
    assert result.exit_code == 0, result.output
    assert "Machine" in result.stderr or "DejaVu" in result.stderr  # never silently
    strict = build(data, out, "--only", "cv", "--strict")
    assert strict.exit_code == 1


@pytest.mark.parametrize(
    "include",
    ["../../../../../etc/passwd", "/etc/passwd", "base/../../../etc/passwd", "theme/../cv.yaml"],
)
def test_a_template_cannot_include_a_file_outside_the_template_folders(
    include: str, data: Path, tmp_path: Path
) -> None:
    override(data, f'{{% include "{include}" %}}')
    result = build(data, tmp_path / "out", "--only", "html")
    assert result.exit_code == 1
    assert f"theme/cv.html.j2:3: template error: template '{include}' not found" in result.stderr
    assert "root:" not in result.output


@pytest.mark.parametrize("target", ["secret.txt", "."])
def test_a_theme_file_linking_out_of_the_data_folder_is_refused(
    target: str, data: Path, secret: Path, tmp_path: Path
) -> None:
    override(data, '{% include "header.html.j2" %}')
    (data / "theme" / "header.html.j2").symlink_to(secret.parent / target)
    result = build(data, tmp_path / "out", "--only", "html")
    assert result.exit_code == 1
    assert f"error: {data / 'theme' / 'header.html.j2'}: links to" in result.stderr
    assert SECRET not in result.output


def test_a_theme_folder_linking_out_of_the_data_folder_is_refused(
    data: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "custom.css").write_text("body { color: red; }\n", encoding="utf-8")
    (data / "theme").symlink_to(elsewhere)
    result = build(data, tmp_path / "out", "--only", "html")
    assert result.exit_code == 1
    assert (
        f"error: {data / 'theme'}: links to {elsewhere}, outside the data folder" in result.stderr
    )


def test_custom_css_linking_out_of_the_data_folder_is_refused(
    data: Path, secret: Path, tmp_path: Path
) -> None:
    (data / "theme").mkdir()
    (data / "theme" / "custom.css").symlink_to(secret)
    result = build(data, tmp_path / "out", "--only", "html")
    assert result.exit_code == 1
    assert f"error: {data / 'theme' / 'custom.css'}: links to" in result.stderr
    assert SECRET not in result.output


def test_a_template_cannot_reach_python_internals(data: Path, tmp_path: Path) -> None:
    override(data, "{{ cycler.__init__.__globals__.os.popen('id').read() }}")
    result = build(data, tmp_path / "out", "--only", "html")
    assert result.exit_code == 1
    assert "theme/cv.html.j2:3: template error: access to attribute '__init__'" in result.stderr
    assert "uid=" not in result.output


@pytest.mark.parametrize(
    ("yaml_text", "where", "message"),
    [
        ("photo: ../secret.png\n", "cv.yaml:2:8", "'../secret.png' is outside the data folder"),
        ("photo: link.png\n", "cv.yaml:2:8", "'link.png' is outside the data folder"),
        (
            "publications:\n  bibtex: [../secret.txt]\n",
            "cv.yaml:3:12",
            "'../secret.txt' is outside the data folder",
        ),
        (
            "publications:\n  bibtex: [link.bib]\n",
            "cv.yaml:3:12",
            "'link.bib' is outside the data folder",
        ),
        (
            "publications:\n  scholar: /etc/passwd\n",
            "cv.yaml:3:12",
            "'/etc/passwd' is outside the data folder",
        ),
        (
            "publications:\n  scholar: link.json\n",
            "cv.yaml:3:12",
            "'link.json' is outside the data folder",
        ),
    ],
)
def test_paths_and_symlinks_out_of_the_data_folder_are_refused(
    yaml_text: str, where: str, message: str, data: Path, secret: Path, tmp_path: Path
) -> None:
    for name in ("link.png", "link.bib", "link.json"):
        (data / name).symlink_to(secret.with_suffix(".png") if name.endswith(".png") else secret)
    (data / "cv.yaml").write_text("name: Jane Doe\n" + yaml_text, encoding="utf-8")
    result = build(data, tmp_path / "out")
    assert result.exit_code == 1
    assert f"error: {data / where}: {message}" in result.stderr
    assert SECRET not in result.output


def test_a_photo_or_file_named_by_url_is_never_fetched(
    data: Path, server: Server, tmp_path: Path
) -> None:
    (data / "cv.yaml").write_text(
        f"name: Jane Doe\nphoto: {server.url}/me.jpg\n"
        f"publications:\n  scholar: {server.url}/gs.json\n",
        encoding="utf-8",
    )
    result = build(data, tmp_path / "out")
    assert result.exit_code == 1
    assert "error: " in result.stderr and "not found" in result.stderr
    assert server.connections == [] and server.requests == []


def test_an_svg_photo_is_refused_without_fetching_what_it_names(
    data: Path, server: Server, secret: Path, tmp_path: Path
) -> None:
    (data / "me.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        f'<image href="{server.url}/x.png" width="10" height="10"/>'
        f'<image href="{secret.as_uri()}" width="10" height="10"/></svg>\n',
        encoding="utf-8",
    )
    (data / "cv.yaml").write_text("name: Jane Doe\nphoto: me.svg\n", encoding="utf-8")
    result = build(data, tmp_path / "out", "--only", "bio")
    assert result.exit_code == 1
    assert f"error: {data / 'cv.yaml'}:2:8: cannot read photo 'me.svg'" in result.stderr
    assert "expected a JPEG, PNG or WebP image" in result.stderr
    assert server.connections == []


# --- everything at once ---------------------------------------------------------------------------


def hostile_record(url: str, secret: Path) -> tuple[str, str]:
    """A cv.yaml and a .bib full of markup, script links and references to ``url`` and
    ``secret``."""
    js = "javascript:alert(document.cookie)"
    markdown = (
        f"<script>alert(1)</script> <img src='{url}/raw.png' onerror=alert(1)> "
        f"<iframe src='{url}/frame'></iframe> <link rel=attachment href='{secret.as_uri()}'> "
        f"[js]({js}) [JS](JaVaScRiPt:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) "
        f"[file]({secret.as_uri()}) [vb](vbscript:msgbox) ![pixel]({url}/pixel.png) "
        f"<{js}> [loop]({url}/link) <style>@import url({url}/s.css);</style>"
    )
    record = {
        "name": "Jane <b onmouseover=alert(1)>Doe</b>",
        "headline": markdown,
        "affiliation": f"![logo]({url}/logo.png)",
        "contact": {
            "email": 'jane@example.org"><script>alert(1)</script>',
            "website": js,
            "github": "x](javascript:alert(1))[",
            "linkedin": "../../etc/passwd",
            "x": f"{url}/x",
            "orcid": f"{secret.as_uri()}",
            "location": "<b>Here</b>",
            "profiles": [{"network": "Evil", "url": js}],
        },
        "about": markdown + '\n\n<a rel="attachment" href="../secret.txt">attach</a>',
        "interests": [markdown, {"title": "<svg onload=alert(1)>", "details": markdown}],
        "bio": {"text": markdown},
        "news": [{"date": "2024-01", "text": markdown}],
        "experience": [
            {
                "start": 2020,
                "end": "present",
                "role": markdown,
                "organization": "Org",
                "url": js,
                "advisor": "Prof",
                "advisor_url": f"{secret.as_uri()}",
                "details": [markdown],
            }
        ],
        "education": [
            {
                "degree": "PhD",
                "institution": "U",
                "url": "data:text/html,<script>alert(1)</script>",
                "thesis": markdown,
            }
        ],
        "awards": [{"date": 2022, "title": markdown, "url": " javascript:alert(1)"}],
        "talks": [
            {
                "date": "2023-05",
                "title": "Talk",
                "url": f"{url}/talk",
                "video": f"file://{secret}",
                "slides": "java\tscript:alert(1)",
            }
        ],
        "internships": [{"organization": "Lab", "url": "vbscript:msgbox(1)", "mentor": markdown}],
        "service": [{"role": "Reviewer", "venues": [markdown]}],
        "teaching": [{"term": "2022/23", "course": markdown}],
    }
    bib = "".join(
        f"@misc{{{key},\n  title = {{{title}}},\n  author = {{Doe, Jane}},\n  year = {{2024}},\n"
        f"{links}}}\n"
        for key, title, links in [
            (
                "a",
                "<script>alert(1)</script> Title",
                f"  pdf = {{{js}}},\n  code = {{{secret.as_uri()}}},\n"
                f"  url = {{data:text/html,x}},\n  html = {{{url}/paper}},\n"
                f"  preview = {{{url}/preview.png}},\n",
            ),
            (
                "b",
                "Second \\href{javascript:alert(1)}{x}",
                f"  slides = {{\\url{{{js}}}}},\n"
                f"  website = {{vbscript:x}},\n  video = {{{url}/v}},\n"
                "  selected = {true},\n",
            ),
        ]
    )
    import yaml

    return yaml.safe_dump(record, allow_unicode=True, sort_keys=False), bib


def test_a_hostile_record_builds_without_running_embedding_or_fetching_anything(
    data: Path, server: Server, secret: Path, tmp_path: Path
) -> None:
    record, bib = hostile_record(server.url, secret)
    (data / "cv.yaml").write_text(record, encoding="utf-8")
    (data / "publications.bib").write_text(bib, encoding="utf-8")
    (data / "link.txt").symlink_to(secret)
    override(
        data,
        f'<!--override--><img src="{server.url}/tpl.png">'
        f'<link rel="stylesheet" href="{server.url}/tpl.css">'
        f'<link rel="attachment" href="{secret.as_uri()}"><a rel="attachment" href="link.txt">a</a>'
        f'<video poster="{server.url}/poster.png"></video><audio src="{server.url}/a.mp3"></audio>'
        f'<svg><image href="{server.url}/svg.png" width="5" height="5"/></svg>'
        f'<style>@import url("{server.url}/import.css"); '
        f".masthead {{ background: url({server.url}/bg.png); }}</style>"
        "<!--end of the override-->",
        f'@import url("{server.url}/custom-import.css");\n'
        f'body {{ background-image: url("{server.url}/custom-bg.png"); }}\n'
        f'@font-face {{ font-family: Remote; src: url("{server.url}/font.woff2"); }}\n'
        "h1 { font-family: Remote, serif; }\n"
        f'li::before {{ content: url("{server.url}/li.png"); }}\n',
    )
    out = tmp_path / "out"
    result = build(data, out)
    assert result.exit_code == 0, result.output
    assert server.requests == [] and server.connections == [], "a build never opens a connection"
    assert sorted(p.name for p in out.iterdir()) == ["bio.md", "bio.pdf", "cv.html", "cv.pdf"]
    assert_nothing_leaked(out, secret)

    html = (out / "cv.html").read_text(encoding="utf-8")
    body = html.split("</style>", 1)[1]
    head, rest = body.split("<!--override-->", 1)
    user_part = head + rest.split("<!--end of the override-->", 1)[1]  # all but the template's own
    assert not re.search(r"<(script|img|iframe|svg|style|link|object)\b", user_part, re.I), (
        "no raw HTML"
    )
    assert not re.search(r"\son\w+=", "".join(re.findall(r"<[^>]+>", user_part)), re.I), (
        "no handlers"
    )
    hrefs = re.findall(r'href="([^"]*)"', user_part)
    assert all(
        h.startswith(SAFE_SCHEMES) or not re.match(r"\s*[a-z][a-z0-9+.-]*:", h, re.I) for h in hrefs
    ), hrefs
    assert f'href="{server.url}/link"' in html, "a loopback link stays a link: it is never fetched"

    markdown = (out / "bio.md").read_text(encoding="utf-8")
    assert not re.search(r"(?<!\\)<(script|img|iframe|b|svg|style|link)\b", markdown, re.I), (
        markdown
    )
    assert not re.search(r"(?<![\\])\]\(\s*(javascript|data|file|vbscript)", markdown, re.I), (
        markdown
    )
    assert not re.search(r"(?<![\\])!\[", markdown), "no image can be fetched where it is pasted"


# --- nothing half-written -------------------------------------------------------------------------


def previous_build(data: Path, out: Path) -> dict[str, bytes]:
    cv.build(data, out, today=TODAY)
    return {path.name: path.read_bytes() for path in out.iterdir()}


@pytest.mark.parametrize("step", ["cv.pdf", "bio.pdf"])
def test_a_build_failing_in_a_pdf_step_leaves_everything_as_it_was(
    step: str, data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cv.builder
    from cv.pdf import Laid

    out = tmp_path / "out"
    before = previous_build(data, out)
    (data / "cv.yaml").write_text(
        (data / "cv.yaml").read_text(encoding="utf-8") + "name_native: Changed\n", encoding="utf-8"
    )

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the disk caught fire")

    if step == "cv.pdf":
        monkeypatch.setattr(Laid, "to_pdf", crash)
    else:  # the CV is made, then the bio fails (in a child process or here)
        monkeypatch.setattr(cv.bio, "fit_one_page", crash)
    with pytest.raises(RuntimeError, match="caught fire"):
        cv.build(data, out, today=TODAY)
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before, (
        "no file changed or left"
    )


def test_a_template_failing_only_in_the_bio_leaves_the_cv_as_it_was(
    data: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    before = previous_build(data, out)
    (data / "cv.yaml").write_text("name: Jane Doe\nheadline: Someone else now\n", encoding="utf-8")
    (data / "theme").mkdir()
    (data / "theme" / "bio.html.j2").write_text(
        "<html><body>\n{{ bio.nickname }}\n</body></html>\n", encoding="utf-8"
    )
    result = build(data, out)
    assert result.exit_code == 1
    assert f"error: {data / 'theme' / 'bio.html.j2'}:2: template error:" in result.stderr
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before


def test_a_failure_while_writing_leaves_every_previous_output(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    out = tmp_path / "out"
    before = previous_build(data, out)
    (data / "cv.yaml").write_text("name: Jane Doe\nheadline: Changed\n", encoding="utf-8")
    calls = []
    original = tempfile.mkstemp

    def full_disk(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return original(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", full_disk)
    result = build(data, out)
    assert result.exit_code == 1
    assert f"error: {out}: cannot write cv.html here: No space left on device" in result.stderr
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before


# --- determinism ----------------------------------------------------------------------------------


def test_a_record_using_every_feature_builds_byte_identically_in_separate_processes(
    tmp_path: Path,
) -> None:
    data = tmp_path / "full"
    shutil.copytree(TESTDATA / "full", data)
    Image.new("RGB", (300, 400), (120, 80, 40)).save(data / "photo.jpg", "JPEG")
    (data / "gs_data.json").write_text(
        '{"citedby": 1234, "hindex": 12, "i10index": 15, '
        '"updated": "2026-11-01 08:00:00.123456", "publications": {}}\n',
        encoding="utf-8",
    )
    record = (data / "cv.yaml").read_text(encoding="utf-8")
    record = record.replace("name_native:", "photo: photo.jpg\nname_native:")
    record = record.replace("  max_authors: 6\n", "  max_authors: 6\n  scholar: gs_data.json\n")
    (data / "cv.yaml").write_text(
        record + "documents:\n  cv-short:\n    pages: 2\n", encoding="utf-8"
    )
    (data / "theme").mkdir()
    (data / "theme" / "custom.css").write_text("h2 { letter-spacing: 0.02em; }\n", encoding="utf-8")

    def start(out: Path, seed: str) -> subprocess.Popen[bytes]:
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PYTHONHASHSEED": seed}
        return subprocess.Popen(
            [sys.executable, "-m", "cv", "build", "--data", str(data), "--out", str(out), "-q"],
            env=env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )

    runs = [
        (tmp_path / "a", start(tmp_path / "a", "1")),
        (tmp_path / "b", start(tmp_path / "b", "4242")),
    ]
    for _, process in runs:
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr.decode()
    names = ["cv.pdf", "bio.pdf", "cv.html", "bio.md", "cv-short.pdf"]
    first, second = ({name: (out / name).read_bytes() for name in names} for out, _ in runs)
    assert [name for name in names if first[name] != second[name]] == []


def test_cv_check_of_a_hostile_record_passes_and_opens_no_connection(
    data: Path, server: Server, secret: Path
) -> None:
    record, bib = hostile_record(server.url, secret)
    (data / "cv.yaml").write_text(record, encoding="utf-8")
    (data / "publications.bib").write_text(bib, encoding="utf-8")
    result = runner.invoke(app, ["check", "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert server.connections == []
