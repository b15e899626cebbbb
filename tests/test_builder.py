"""Building the example: what a reader of the PDF sees, and what a failed build leaves behind."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pypdf
import pytest

import cv
from cv.builder import date_from_environment

from .conftest import EXAMPLE, REPO

TODAY = dt.date(2026, 11, 1)


@pytest.fixture(scope="module")
def example_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    result = cv.build(EXAMPLE, out, today=TODAY)
    assert {o.kind for o in result.outputs} == {"cv", "bio", "html", "md", "cv-short"}
    assert result.warnings == ()
    return out / "cv.pdf"


def pdf_text(path: Path) -> str:
    reader = pypdf.PdfReader(path)
    return "\n".join(page.extract_text() for page in reader.pages)


def test_example_is_a_cv_of_several_pages_with_every_section(example_pdf: Path) -> None:
    reader = pypdf.PdfReader(example_pdf)
    assert 2 <= len(reader.pages) <= 6
    text = pdf_text(example_pdf)
    titles = [
        "Profile",
        "Experience",
        "Education",
        "Publications",
        "Honors and Awards",
        "Teaching",
        "Professional Service",
        "Internships",
        "News",
    ]
    positions = [text.index(title) for title in titles]
    assert positions == sorted(positions), "the homepage's sections, in a CV's order"
    assert "Invited Talks" not in text  # the seed's talks are Lorem ipsum placeholders
    for phrase in [
        "Zhenheng Tang",
        "Hong Kong Baptist University",
        "COMP 7940",
        "Research Performance Award",
        "FedImpro",
        "GossipFL",
        "Virtual Homogeneity Learning",
        "Prof. Xiaowen Chu",
        "IEEE Transactions on Neural Networks and Learning Systems",
    ]:
        assert phrase in text, phrase
    assert "Lorem" not in text and "Kaiming" not in text
    assert "\\" not in text and "{" not in text, "no raw LaTeX reaches the page"


def test_sections_are_bookmarked_and_metadata_is_complete(example_pdf: Path) -> None:
    reader = pypdf.PdfReader(example_pdf)
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline[:3] == ["Profile", "Experience", "Education"]
    assert "Publications" in outline
    info = reader.metadata
    assert info is not None
    assert info.title == "Zhenheng Tang – Curriculum Vitae"
    assert info.author == "Zhenheng Tang"
    assert "ML optimization" in str(info.get("/Keywords"))
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_footer_names_the_person_and_counts_pages(example_pdf: Path) -> None:
    reader = pypdf.PdfReader(example_pdf)
    count = len(reader.pages)
    last = reader.pages[-1].extract_text()
    assert f"Page {count} of {count}" in last
    assert "Zhenheng Tang" in last
    assert "Last updated: November 1, 2026" in pdf_text(example_pdf)


def test_links_work(example_pdf: Path) -> None:
    reader = pypdf.PdfReader(example_pdf)
    uris = {
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if "/URI" in annotation.get_object().get("/A", {})
    }
    assert "https://github.com/wizard1203" in uris
    assert "https://sites.google.com/view/chuxiaowen" in uris
    assert "https://arxiv.org/abs/2402.07011" in uris
    assert not any(uri.startswith(("javascript:", "file:")) for uri in uris)


def test_fonts_are_the_bundled_ones_and_embedded(example_pdf: Path) -> None:
    reader = pypdf.PdfReader(example_pdf)
    fonts = set()
    for page in reader.pages:
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
            fonts.add(str(font["/BaseFont"]).split("+", 1)[-1])
    assert fonts, "no fonts found"
    assert all(name.startswith("Source-Serif-Pro") for name in fonts), fonts  # never DejaVu


def test_owner_is_bold_in_author_lists(example_pdf: Path) -> None:
    html = (example_pdf.parent / "cv.html").read_text(encoding="utf-8")
    assert '<strong class="owner">Zhenheng Tang</strong>' in html


def test_two_builds_in_separate_processes_are_byte_identical(tmp_path: Path) -> None:
    def build_in_process(out: Path, seed: str) -> bytes:
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "cv", "build", "--data", str(EXAMPLE), "--out", str(out)],
            check=True,
            env=env,
            cwd=REPO,
            capture_output=True,
        )
        return b"".join(
            (out / name).read_bytes() for name in ("cv.pdf", "bio.pdf", "cv.html", "bio.md")
        )

    assert build_in_process(tmp_path / "a", "1") == build_in_process(tmp_path / "b", "2")


def test_source_date_epoch_sets_the_last_updated_date() -> None:
    assert date_from_environment({"SOURCE_DATE_EPOCH": "1700000000"}) == dt.date(2023, 11, 14)
    with pytest.raises(cv.CVError, match="SOURCE_DATE_EPOCH='soon' is not valid"):
        date_from_environment({"SOURCE_DATE_EPOCH": "soon"})


def test_a_failed_build_leaves_the_previous_outputs_untouched(
    write_record: Callable[..., Path], tmp_path: Path
) -> None:
    bib = {"publications.bib": "@article{a, title={A}, author={Doe, Jane}, journal={J}, year=2020}"}
    data = write_record("name: Jane Doe\n", bib)
    out = tmp_path / "out"
    cv.build(data, out, today=TODAY)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (data / "cv.yaml").write_text(
        "name: Jane Doe\nnews: [{date: 2024-13, text: x}]\n", encoding="utf-8"
    )
    with pytest.raises(cv.CVError):
        cv.build(data, out, today=TODAY)
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after == before


def test_letter_paper_by_option(write_record: Callable[..., Path], tmp_path: Path) -> None:
    bib = {"publications.bib": "@article{a, title={A}, author={Doe, Jane}, journal={J}, year=2020}"}
    data = write_record("name: Jane Doe\ntheme: {page_size: Letter}\n", bib)
    cv.build(data, tmp_path, only=["cv"], today=TODAY)
    box = pypdf.PdfReader(tmp_path / "cv.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    (data / "cv.yaml").write_text("name: Jane Doe\n", encoding="utf-8")
    cv.build(data, tmp_path, only=["cv"], today=TODAY)
    box = pypdf.PdfReader(tmp_path / "cv.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
