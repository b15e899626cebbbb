"""Real AcadHomepage sites (tests/real/homepages) imported and built, against their truth.

Each site is imported as ``cv import acadhomepage _pages/about.md --config _config.yml`` does and
built to cv.html and cv.pdf by the corpus harness (:mod:`tests.corpus`), which compares the CV
with the ``expected.yaml`` written by reading the page in a browser. The tests assert the
targets over the whole corpus: at most 5 % of the papers whose year is on the page come out
"forthcoming", the owner is bold in at least 95 % of the papers that list them, no raw HTML,
Markdown, LaTeX or Liquid reaches a PDF, every heading of the page is a section of the CV in the
page's order, and every paper of the page is in the CV. ``python bench/corpus.py --details``
prints the same measures site by site.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cv.interop.acadhomepage import section_of_heading
from tests.corpus import (
    MAX_FORTHCOMING,
    MIN_OWNER_BOLD,
    HomepageResult,
    Totals,
    homepage_sites,
    measure_homepage,
    totals,
)

SITES = homepage_sites()


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> list[HomepageResult]:
    return [measure_homepage(site, tmp_path_factory.mktemp(site.name)) for site in SITES]


@pytest.fixture(scope="module")
def figures(results: list[HomepageResult]) -> Totals:
    return totals(results, [])


def _listed(results: list[HomepageResult], what: str) -> str:
    return "\n".join(f"{r.site}: {item}" for r in results for item in getattr(r, what))


def test_the_corpus_is_there() -> None:
    assert len(SITES) >= 20, "tests/real/homepages holds at least 20 sites with their truth"


def test_every_site_imports_and_builds(results: list[HomepageResult]) -> None:
    failed = [f"{r.site} ({r.stage}): {r.error}" for r in results if r.error]
    assert failed == []


def test_years_on_the_page_are_kept(results: list[HomepageResult], figures: Totals) -> None:
    assert figures.with_year > 0
    assert figures.forthcoming_rate <= MAX_FORTHCOMING, _listed(results, "year_lost")


def test_the_owner_is_bold(results: list[HomepageResult], figures: Totals) -> None:
    assert figures.with_owner > 0
    assert figures.owner_bold_rate >= MIN_OWNER_BOLD, _listed(results, "owner_not_bold")


def test_no_markup_reaches_a_pdf(results: list[HomepageResult]) -> None:
    assert all(r.pdf_checked for r in results if r.error is None)
    assert _listed(results, "leaks") == ""


def test_every_heading_is_a_section_in_the_pages_order(results: list[HomepageResult]) -> None:
    """Every heading is a section of the CV, in the page's order. A second heading of a section
    the CV shows once (``# Full Publication List`` after ``# Publications``, ``# Selected
    Honors`` after ``# Selected Awards``) is that section: its entries are there."""
    not_kept = []
    for result in results:
        for heading in result.headings_missing:
            key = section_of_heading(heading)
            earlier = result.truth.headings[: result.truth.headings.index(heading)]
            if key is None or not any(
                section_of_heading(other) == key and other in result.headings_found
                for other in earlier
            ):
                not_kept.append(f"{result.site}: {heading}")
    assert not_kept == []
    assert [r.site for r in results if r.error is None and not r.headings_in_order] == []


def test_every_paper_on_the_page_is_in_the_cv(results: list[HomepageResult]) -> None:
    assert _listed(results, "missing") == ""


def test_every_news_item_is_in_the_cv(results: list[HomepageResult]) -> None:
    short = [f"{r.site}: {r.news_found} of {r.truth.news}" for r in results]
    assert [
        line for r, line in zip(results, short, strict=True) if r.news_found < r.truth.news
    ] == []


def test_the_corpus_names_its_sources() -> None:
    sources = (Path(__file__).parent / "real" / "homepages" / "SOURCES.md").read_text("utf-8")
    assert all(f"`{site.name}`" in sources for site in SITES)
