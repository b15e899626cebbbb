"""cv.docx: built with ``--only docx`` and read back with python-docx."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from cv.builder import build, read_inputs
from cv.render import sections
from cv.views import PublicationGroupView

from .conftest import EXAMPLE, TESTDATA

TODAY = dt.date(2026, 11, 1)


def build_docx(data: Path, out: Path) -> bytes:
    result = build(data, out, only=["docx"], today=TODAY)
    assert [output.path.name for output in result.outputs] == ["cv.docx"]
    return (out / "cv.docx").read_bytes()


def open_docx(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


def headings(document: Document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def link_targets(document: Document) -> set[str]:
    return {
        rel.target_ref
        for rel in document.part.rels.values()
        if rel.reltype == RT.HYPERLINK and rel.is_external
    }


def text_of(document: Document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return build_docx(EXAMPLE, tmp_path_factory.mktemp("docx"))


def test_sections_are_word_headings_in_the_cvs_order(example: bytes) -> None:
    document = open_docx(example)
    inputs = read_inputs(EXAMPLE)
    shown = sections(inputs.source.record, inputs.publications, inputs.scholar)
    assert headings(document, 1) == [section.title for section in shown]
    assert document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[0].text == "Zhenheng Tang"
    assert {"Journal Articles", "Conference Papers"} <= set(headings(document, 2))


def test_every_publication_is_numbered_with_the_owner_bold(example: bytes) -> None:
    document = open_docx(example)
    text = text_of(document)
    inputs = read_inputs(EXAMPLE)
    [publications] = [
        s
        for s in sections(inputs.source.record, inputs.publications, inputs.scholar)
        if s.key == "publications"
    ]
    groups = [g for g in publications.entries if isinstance(g, PublicationGroupView)]
    for group in groups:
        for number, pub in group.entries:
            title = re.sub(r"<[^>]+>", "", str(pub.title))
            assert title in text
            assert f"[{number}]\t" in text
    paragraphs = document.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == "Publications")
    runs = [run for p in paragraphs[start:] for run in p.runs]
    assert any(run.bold and run.text == "Zhenheng Tang" for run in runs)


def test_dates_hang_before_a_tab_stop_and_details_are_bullets(example: bytes) -> None:
    document = open_docx(example)
    dated = [p for p in document.paragraphs if p.text.startswith("Sep 2023 – present\t")]
    assert dated
    assert dated[0].paragraph_format.tab_stops[0].position == dated[0].paragraph_format.left_indent
    assert "Jan 2024\tOur paper" in text_of(document)
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert any(text.startswith("Machine Learning: KDD") for text in bullets)


def test_links_are_live_hyperlinks(example: bytes) -> None:
    document = open_docx(example)
    targets = link_targets(document)
    assert {
        "https://github.com/wizard1203",
        "https://sites.google.com/view/chuxiaowen",
        "https://arxiv.org/abs/2402.07011",
    } <= targets
    used = set(re.findall(r'<w:hyperlink r:id="(rId\d+)"', document.element.xml))
    assert used == {key for key, rel in document.part.rels.items() if rel.reltype == RT.HYPERLINK}


def test_the_themes_fonts_are_named(example: bytes) -> None:
    normal = open_docx(example).styles["Normal"]
    assert normal.font.name == "Source Serif Pro"
    fonts = normal.element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")


def test_two_builds_are_byte_identical(example: bytes, tmp_path: Path) -> None:
    assert build_docx(EXAMPLE, tmp_path) == example
    properties = open_docx(example).core_properties
    assert properties.created == properties.modified == dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    assert properties.revision == 1


def test_docx_is_only_built_when_asked(tmp_path: Path) -> None:
    from cv.outputs import chosen_outputs

    record = read_inputs(EXAMPLE).source.record
    assert "docx" not in [kind.name for kind in chosen_outputs(None, record)]
    assert [kind.file for kind in chosen_outputs(["docx", "html"], record)] == [
        "cv.html",
        "cv.docx",
    ]


def test_hostile_text_stays_text_and_makes_no_link(
    write_record: Callable[..., Path], tmp_path: Path
) -> None:
    data = write_record(
        """
        name: "<script>alert(1)</script> Eve"
        contact:
          website: "javascript:alert(1)"
        experience:
          - start: "2020-01"
            end: present
            role: "<b onclick=x>Boss</b> & <img src=x onerror=alert(1)>"
            organization: "[click](javascript:alert(2))"
            advisor: Mallory
            advisor_url: "javascript:alert(3)"
        """,
        {
            "publications.bib": "@article{x, title={<script>x</script> Paper}, author={Doe, Jo},"
            " journal={J}, year={2020}, url={javascript:alert(4)}}\n"
        },
    )
    document = open_docx(build_docx(data, tmp_path / "out"))
    text = text_of(document)
    assert "<script>alert(1)</script> Eve" in text
    assert "<b onclick=x>Boss</b> & <img src=x onerror=alert(1)>" in text
    targets = link_targets(document)
    assert targets  # the website (as the HTML makes it, https://javascript:alert(1)) is one
    assert not any(t.lower().startswith(("javascript:", "file:", "data:")) for t in targets)
    assert "<script>x</script> Paper" in text
    assert "<script>" not in document.element.xml  # escaped as &lt;script&gt; in the XML


def test_a_theme_override_word_cannot_honour_is_named(
    write_record: Callable[..., Path], tmp_path: Path
) -> None:
    data = write_record(
        "name: Ada\n",
        {"publications.bib": "", "theme/custom.css": "h2 { color: red; }\n"},
    )
    result = build(data, tmp_path / "out", only=["docx"], today=TODAY)
    assert any("theme/custom.css" in warning for warning in result.warnings)


def test_the_professor_builds_to_docx_with_every_section(tmp_path: Path) -> None:
    data = TESTDATA / "professor"
    document = open_docx(build_docx(data, tmp_path))
    inputs = read_inputs(data)
    shown = sections(inputs.source.record, inputs.publications, inputs.scholar)
    assert len(shown) > 5
    assert headings(document, 1) == [section.title for section in shown]
