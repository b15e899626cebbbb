"""Real al-folio bibliographies, as their owners keep them, never link to the build machine.

tests/real/alfolio/ holds ``_bibliography/papers.bib`` files of real academics' al-folio sites,
byte for byte (SOURCES.md says where each comes from). al-folio names the site's own files with
relative fields (``pdf = {paper.pdf}`` means ``/assets/pdf/paper.pdf``; likewise ``supp``,
``poster`` and ``slides``). Built into a CV, such a field must never become a ``file:`` link to
the folder the CV was built in: without a web address it stays plain text and the build warns,
naming the field and the entry; with ``base_url:`` it links the homepage's ``assets/pdf/``.

Every file of the corpus builds, with every entry (``tests/test_real_bib.py``); here, those
whose ``expected.yaml`` names the ``relative-pdf`` quirk are built for their links.
"""

from __future__ import annotations

import datetime
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import pypdf
import pytest
import yaml

import cv

CORPUS = Path(__file__).resolve().parent / "real" / "alfolio"
TODAY = datetime.date(2026, 11, 1)
BASE_URL = "https://example.github.io/"

#: The owners of some files (the most frequent author, for ``name:``); others get a stand-in.
OWNERS: dict[str, str] = {
    "0x404-0x404.github.io.bib": "Qunhong Zeng",
    "12wang3-12wang3.github.io.bib": "Zhuo Wang",
    "201younghanlee-taislab.github.io.bib": "Younghan Lee",
    "594zyc-594zyc.github.io.bib": "Yichi Zhang",
    # Once refused (al-folio's example entries inside @comment{...}, a duplicate key): builds now.
    "2jungeuni-2jungeuni.github.io.bib": "Jungeun Lee",
}

QUIRKS: dict[str, list[str]] = {
    name: info["quirks"]
    for name, info in yaml.safe_load((CORPUS / "expected.yaml").read_text("utf-8")).items()
}
LOADING = sorted(name for name, quirks in QUIRKS.items() if "relative-pdf" in quirks)

_ENTRY = re.compile(r"@(\w+)\s*\{\s*([^,\s]+)\s*,")
_ASSET = re.compile(r"\b(pdf|supp|poster|slides)\s*=\s*(?:\{([^{}]*)\}|\"([^\"]*)\")", re.I)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


_COMMENT = re.compile(r"@comment\s*\{", re.I)
_COMMENTED_LINE = re.compile(r"^[ \t]*%.*$", re.M)


def _without_comments(text: str) -> str:
    """``text`` without its ``@comment{...}`` blocks and its lines that start with '%'."""
    while (head := _COMMENT.search(text)) is not None:
        depth, end = 0, len(text)
        for index in range(head.end() - 1, len(text)):
            depth += {"{": 1, "}": -1}.get(text[index], 0)
            if depth == 0:
                end = index + 1
                break
        text = text[: head.start()] + text[end:]
    return _COMMENTED_LINE.sub("", text)


def _closing_brace(body: str) -> int:
    """Where the entry whose fields start ``body`` closes (its opening brace is before it)."""
    depth = 1
    for index, char in enumerate(body):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0:
            return index
    return len(body)


def relative_assets(text: str) -> list[tuple[str, str, str]]:
    """``(key, field, value)`` for every relative pdf/supp/poster/slides field of a .bib text.

    A simple scan, not a parser: ``@comment{...}`` blocks and lines that start with '%' are
    left out first (al-folio's example entries, fields taken out by their owners); a value's
    spaces are written %20, as a browser sends them.
    """
    text = _without_comments(text)
    not_entries = ("string", "comment", "preamble")
    starts = [m for m in _ENTRY.finditer(text) if m.group(1).lower() not in not_entries]
    found = []
    for entry, following in zip(starts, [*starts[1:], None], strict=True):
        body = text[entry.end() : following.start() if following else len(text)]
        body = body[: _closing_brace(body)]  # what follows an entry's brace is no field of it
        for field in _ASSET.finditer(body):
            value = (field.group(2) if field.group(2) is not None else field.group(3)).strip()
            if value and not _SCHEME.match(value) and not value.startswith(("/", "#")):
                found.append((entry.group(2), field.group(1).lower(), value.replace(" ", "%20")))
    return found


def make_record(tmp_path: Path, bib: str, *, base_url: str | None = None) -> Path:
    """A data folder with ``papers.bib`` (the corpus file) and a minimal cv.yaml."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(CORPUS / bib, data / "papers.bib")
    lines = [f"name: {OWNERS.get(bib, 'A. Reader')}", "publications:", "  bibtex: [papers.bib]"]
    if base_url:
        lines.append(f"base_url: {base_url}")
    (data / "cv.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return data


def build(tmp_path: Path, bib: str, *, base_url: str | None = None) -> tuple[cv.BuildResult, Path]:
    data = make_record(tmp_path, bib, base_url=base_url)
    out = tmp_path / "out"
    return cv.build(data, out, only=["cv", "html"], today=TODAY), out


def pdf_links(path: Path) -> list[str]:
    """Every link annotation's /URI; fails on any link that is not a URI or an in-document jump."""
    reader = pypdf.PdfReader(path)
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {}), "embedded file"
    uris = []
    for number, page in enumerate(reader.pages, 1):
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            action = annotation.get("/A")
            if action is None:
                assert "/Dest" in annotation, f"page {number}: a link going nowhere: {annotation}"
                continue
            action = action.get_object()
            assert action["/S"] in ("/URI", "/GoTo"), f"page {number}: {action['/S']} link"
            if action["/S"] == "/URI":
                uris.append(str(action["/URI"]))
    return uris


def assert_no_machine_links(out: Path) -> list[str]:
    """(a) the CV PDF links only the web and mail; (b) so does cv.html. Returns the PDF's links."""
    uris = pdf_links(out / "cv.pdf")
    assert not [uri for uri in uris if uri.lower().startswith("file:")]
    assert [uri for uri in uris if not uri.startswith(("http://", "https://", "mailto:"))] == []
    html = (out / "cv.html").read_text(encoding="utf-8")
    assert 'href="file:' not in html.lower()
    return uris


def test_the_relative_pdf_quirk_is_where_relative_fields_are() -> None:
    assert sorted(p.name for p in CORPUS.glob("*.bib")) == sorted(QUIRKS)
    relative = [n for n in sorted(QUIRKS) if relative_assets((CORPUS / n).read_text("utf-8"))]
    assert relative == LOADING
    assert set(OWNERS) <= set(LOADING)


@pytest.mark.parametrize("bib", LOADING)
def test_relative_fields_warn_without_a_web_address(tmp_path: Path, bib: str) -> None:
    result, out = build(tmp_path, bib)
    assert_no_machine_links(out)
    relative = relative_assets((CORPUS / bib).read_text(encoding="utf-8"))
    missing = [
        (key, field, value)
        for key, field, value in relative
        if not any(
            re.search(rf"{field} of entry '{re.escape(key)}(-[0-9]+)?'", w) and repr(value) in w
            for w in result.warnings
        )
    ]
    assert missing == [], result.warnings


@pytest.mark.parametrize("bib", LOADING)
def test_relative_fields_link_the_homepage_with_base_url(tmp_path: Path, bib: str) -> None:
    result, out = build(tmp_path, bib, base_url=BASE_URL)
    uris = assert_no_machine_links(out)
    relative = relative_assets((CORPUS / bib).read_text(encoding="utf-8"))
    shown = {unquote(uri) for uri in uris}  # as WeasyPrint writes them (à is %C3%A0)
    unlinked = [v for _, _, v in relative if unquote(f"{BASE_URL}assets/pdf/{v}") not in shown]
    assert unlinked == [], uris
    assert [w for w in result.warnings if "relative link" in w] == []
    for key, field, _ in relative:
        assert not [w for w in result.warnings if f"{field} of entry '{key}'" in w]
