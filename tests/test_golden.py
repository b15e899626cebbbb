"""Golden HTML: the body of the CV and the bio of a record using every field, per theme.

A change to the templates or the rendering shows here as a diff to review; refresh the files
with ``pytest tests/test_golden.py --update-golden`` when the change is meant.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from cv.bio import bio_content, render_bio
from cv.builder import read_inputs
from cv.render import render_html
from cv.themes import available_themes

from .conftest import TESTDATA

GOLDEN = Path(__file__).parent / "golden"


def body(html: str) -> str:
    """The page without its <head> (CSS and font paths differ between machines)."""
    return re.sub(r"<head>.*?</head>", "<head>…</head>", html, flags=re.S)


def compare(name: str, text: str, update: bool) -> None:
    path = GOLDEN / name
    if update or not path.exists():
        path.write_text(text, encoding="utf-8")
        if not update:
            pytest.fail(f"{path} did not exist and was written: review it and commit it")
    assert text == path.read_text(encoding="utf-8"), f"{path} differs: review, then --update-golden"


@pytest.mark.parametrize("theme", list(available_themes()))
def test_cv_and_bio_html_match_the_golden_files(theme: str, update_golden: bool) -> None:
    inputs = read_inputs(TESTDATA / "full", theme)
    record = inputs.source.record
    cv_html = render_html(record, inputs.publications, inputs.theme, today=dt.date(2026, 1, 2))
    compare(f"full-{theme}-cv.html", body(cv_html), update_golden)
    content = bio_content(record, inputs.publications)
    bio_html = render_bio(record, content, content.full_plan(), inputs.theme, photo=None)
    compare(f"full-{theme}-bio.html", body(bio_html), update_golden)
