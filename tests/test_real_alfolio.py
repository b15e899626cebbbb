"""Real al-folio bibliographies, as their owners keep them, never link to the build machine.

tests/real/alfolio/ holds ``_bibliography/papers.bib`` files of real academics' al-folio sites,
byte for byte (SOURCES.md says where each comes from). al-folio names the site's own files with
relative fields (``pdf = {paper.pdf}`` means ``/assets/pdf/paper.pdf``; likewise ``supp``,
``poster`` and ``slides``). Built into a CV, such a field must never become a ``file:`` link to
the folder the CV was built in: without a web address it stays plain text and the build warns,
naming the field and the entry; with ``base_url:`` it links the homepage's ``assets/pdf/``.

Some files do not load today (see ``EXPECTED``); for those the build must fail with a
``cv.CVError`` whose every problem is located, never with a traceback or a half-written CV.
"""

from __future__ import annotations

import datetime
import re
import shutil
from pathlib import Path

import pypdf
import pytest

import cv

CORPUS = Path(__file__).resolve().parent / "real" / "alfolio"
TODAY = datetime.date(2026, 11, 1)
BASE_URL = "https://example.github.io/"

#: Each file of the corpus: the owner's name (the most frequent author, for ``name:``) and
#: whether it builds today. A failing file's comment quotes why it fails.
EXPECTED: dict[str, tuple[str, bool]] = {
    "0x404-0x404.github.io.bib": ("Qunhong Zeng", True),
    "12wang3-12wang3.github.io.bib": ("Zhuo Wang", True),
    "201younghanlee-taislab.github.io.bib": ("Younghan Lee", True),
    "594zyc-594zyc.github.io.bib": ("Yichi Zhang", True),
    # Fails: papers.bib:3:1 and :106:1 "cannot parse @comment entry: Unexpected block start:
    # `@book`. Was still looking for closing bracket" (al-folio's example entries kept inside
    # @comment{...}), and papers.bib:140:1 "duplicate key 'hhnoh2018beamforming' (first defined
    # at papers.bib:129)" (a real duplicate key in the file).
    "2jungeuni-2jungeuni.github.io.bib": ("Jungeun Lee", False),
}

LOADING = sorted(name for name, (_, loads) in EXPECTED.items() if loads)
FAILING = sorted(name for name, (_, loads) in EXPECTED.items() if not loads)

_ENTRY = re.compile(r"@(\w+)\s*\{\s*([^,\s]+)\s*,")
_ASSET = re.compile(r"\b(pdf|supp|poster|slides)\s*=\s*(?:\{([^{}]*)\}|\"([^\"]*)\")", re.I)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def relative_assets(text: str) -> list[tuple[str, str, str]]:
    """``(key, field, value)`` for every relative pdf/supp/poster/slides field of a .bib text.

    A simple scan, not a parser: entries written inside an ``@comment{...}`` are counted too.
    """
    not_entries = ("string", "comment", "preamble")
    starts = [m for m in _ENTRY.finditer(text) if m.group(1).lower() not in not_entries]
    found = []
    for entry, following in zip(starts, [*starts[1:], None], strict=True):
        body = text[entry.end() : following.start() if following else len(text)]
        for field in _ASSET.finditer(body):
            value = (field.group(2) if field.group(2) is not None else field.group(3)).strip()
            if value and not _SCHEME.match(value) and not value.startswith(("/", "#")):
                found.append((entry.group(2), field.group(1).lower(), value))
    return found


def make_record(tmp_path: Path, bib: str, *, base_url: str | None = None) -> Path:
    """A data folder with ``papers.bib`` (the corpus file) and a minimal cv.yaml."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(CORPUS / bib, data / "papers.bib")
    lines = [f"name: {EXPECTED[bib][0]}", "publications:", "  bibtex: [papers.bib]"]
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


def test_every_corpus_file_is_listed() -> None:
    assert sorted(p.name for p in CORPUS.glob("*.bib")) == sorted(EXPECTED)
    assert all(relative_assets((CORPUS / name).read_text(encoding="utf-8")) for name in EXPECTED)


@pytest.mark.parametrize("bib", LOADING)
def test_relative_fields_warn_without_a_web_address(tmp_path: Path, bib: str) -> None:
    result, out = build(tmp_path, bib)
    assert_no_machine_links(out)
    relative = relative_assets((CORPUS / bib).read_text(encoding="utf-8"))
    missing = [
        (key, field, value)
        for key, field, value in relative
        if not any(f"{field} of entry '{key}'" in w and repr(value) in w for w in result.warnings)
    ]
    assert missing == [], result.warnings


@pytest.mark.parametrize("bib", LOADING)
def test_relative_fields_link_the_homepage_with_base_url(tmp_path: Path, bib: str) -> None:
    result, out = build(tmp_path, bib, base_url=BASE_URL)
    uris = assert_no_machine_links(out)
    relative = relative_assets((CORPUS / bib).read_text(encoding="utf-8"))
    unlinked = [value for _, _, value in relative if f"{BASE_URL}assets/pdf/{value}" not in uris]
    assert unlinked == [], uris
    assert [w for w in result.warnings if "relative link" in w] == []
    for key, field, _ in relative:
        assert not [w for w in result.warnings if f"{field} of entry '{key}'" in w]


@pytest.mark.parametrize("bib", FAILING)
def test_a_file_that_does_not_load_fails_with_located_problems(tmp_path: Path, bib: str) -> None:
    with pytest.raises(cv.CVError) as caught:
        build(tmp_path, bib)
    problems = caught.value.problems
    assert problems
    assert [str(p) for p in problems if p.file is None or p.line is None] == []
    assert not (tmp_path / "out" / "cv.pdf").exists()
