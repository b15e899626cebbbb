"""Variants from one record: documents with sections, tags, selected papers and page limits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pypdf
import pytest

import cv

from .conftest import EXAMPLE

TODAY = dt.date(2026, 1, 1)


def text_of(path: Path) -> tuple[int, str]:
    reader = pypdf.PdfReader(path)
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_the_example_short_cv_keeps_its_sections_selected_papers_and_two_pages(
    tmp_path: Path,
) -> None:
    result = cv.build(EXAMPLE, tmp_path, only=["cv-short"], today=TODAY)
    assert [o.path.name for o in result.outputs] == ["cv-short.pdf"]
    pages, text = text_of(tmp_path / "cv-short.pdf")
    assert pages <= 2
    assert "News" not in text and "COMP 7940" not in text  # sections left out
    assert "FedImpro" in text and "GossipFL" in text  # selected = {true}
    assert "NAS-LID" not in text  # not selected
    assert pypdf.PdfReader(tmp_path / "cv-short.pdf").metadata.title == "Zhenheng Tang – Short CV"


BIB = "\n".join(
    f"@article{{p{i}, title={{Paper number {i} on a topic}}, author={{Doe, Jane and Roe, Rick}}, "
    f"journal={{Journal of Things}}, year={{{1990 + i}}}}}"
    for i in range(60)
)


def test_tags_and_since_pick_entries(write_record: Callable[..., Path], tmp_path: Path) -> None:
    data = write_record(
        """
        name: Jane Doe
        news:
          - {date: 2024-01, text: Teaching news, tags: [teaching]}
          - {date: 2023-01, text: Research news, tags: [research]}
          - {date: 2022-01, text: Untagged news}
        documents:
          research:
            sections: [news, publications]
            include_tags: [research]
            publications: {since: 2045}
          no-teaching:
            sections: [news]
            exclude_tags: [teaching]
        """,
        {"publications.bib": BIB},
    )
    cv.build(data, tmp_path, only=["research", "no-teaching"], today=TODAY)
    _, research = text_of(tmp_path / "research.pdf")
    assert (
        "Research news" in research
        and "Teaching news" not in research
        and "Untagged" not in research
    )
    assert "Paper number 59" in research and "Paper number 55" in research
    assert "Paper number 54" not in research
    _, no_teaching = text_of(tmp_path / "no-teaching.pdf")
    assert "Research news" in no_teaching and "Untagged news" in no_teaching
    assert "Teaching news" not in no_teaching


def test_a_page_limit_is_respected_and_reported(
    write_record: Callable[..., Path], tmp_path: Path
) -> None:
    data = write_record(
        """
        name: Jane Doe
        documents:
          one-page: {sections: [publications], pages: 1}
        """,
        {"publications.bib": BIB},
    )
    result = cv.build(data, tmp_path, only=["one-page", "cv"], today=TODAY)
    full_pages, _ = text_of(tmp_path / "cv.pdf")
    pages, text = text_of(tmp_path / "one-page.pdf")
    assert full_pages > 1 and pages == 1
    (note,) = result.notes
    assert (
        note.startswith("one-page: ") and "of 60 publications entries shown to fit 1 page" in note
    )
    assert "Paper number 59" in text  # the newest stay


def test_documents_are_validated(write_record: Callable[..., Path]) -> None:
    data = write_record(
        "name: X\ndocuments:\n  bio: {pages: 0}\n  'a b': {}\n", {"publications.bib": ""}
    )
    with pytest.raises(cv.CVError) as caught:
        cv.check(data)
    messages = [str(p) for p in caught.value.problems]
    assert any("'bio' is already an output" in m for m in messages), messages
    assert any("documents.bio.pages: 0 is too small" in m for m in messages), messages
    assert any("'a b' is not a valid name" in m for m in messages), messages


def test_only_accepts_document_names(tmp_path: Path) -> None:
    from cv.builder import UnknownOutput

    with pytest.raises(UnknownOutput, match="expected some of: cv, bio, html, md, docx, cv-short"):
        cv.build(EXAMPLE, tmp_path, only=["cv-long"], today=TODAY)
