"""Every real .bib of the corpus builds unmodified, and every entry appears in the CV.

``tests/real/alfolio/`` holds real al-folio ``papers.bib`` files and ``tests/real/labbib/`` large
lab files, byte for byte, each with its entry count and its quirks in ``expected.yaml`` (counted
by a scanner that is not cv's reader). ``tests/corpus.py`` builds a record holding one file and
counts the entries of its ``cv.html``. What al-folio (bibtex-ruby) builds, cv builds: each
quirk gives a warning located at ``file:line:col``, and ``--strict`` turns those into errors.

Below the corpus runs, each real failure the corpus showed is a focused test on a minimal
excerpt of the file it came from (repository and commit in the SOURCES.md of its folder).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import cv
from cv.bibliography import Publication, load_bibliography
from cv.errors import Problem
from cv.latex import unknown_commands
from tests.corpus import (
    ALFOLIO,
    LABBIB,
    BibResult,
    BibTruth,
    bib_files,
    find_leaks,
    measure_bib,
    pdf_text,
)

CORPUS = [(path, truth) for folder in (ALFOLIO, LABBIB) for path, truth in bib_files(folder)]

#: Entries ``expected.yaml`` counts that are not entries: each of their fields is commented out
#: with '%' (so they are left out, with a warning naming them).
NOT_ENTRIES: dict[str, set[str]] = {
    "plai-group-bibliography-group_publications.bib": {"WOO-20", "WAN-19"},
}

#: The warning each quirk of ``expected.yaml`` gives (a fragment of it).
QUIRK_WARNINGS = {
    "duplicate-key": "duplicate key",
    "repeated-field": "twice (first at line",
    "undefined-string": "undefined @string macro",
    "user-macro": "which is no LaTeX command cv knows",
    "percent-comment": "with '%'",
    "unclosed-entry": "is not closed",
    "relative-pdf": "relative link",
}

# file:line:col, or file:line for a character no font draws (cv.fonts)
_LOCATED = re.compile(r"^(?P<file>.+?):[0-9]+(?::[0-9]+)?: ")


@pytest.fixture(scope="module")
def measured() -> dict[str, BibResult]:
    """Each file of the corpus built once (about 10 s for all)."""
    return {path.name: measure_bib(path, truth) for path, truth in CORPUS}


def test_the_corpus_is_there() -> None:
    alfolio = [path for path, _ in CORPUS if path.parent == ALFOLIO]
    labbib = [path for path, _ in CORPUS if path.parent == LABBIB]
    assert len(alfolio) >= 18 and len(labbib) >= 3
    assert sorted(p.name for p in ALFOLIO.glob("*.bib")) == sorted(p.name for p in alfolio)
    assert sorted(p.name for p in LABBIB.glob("*.bib")) == sorted(p.name for p in labbib)


@pytest.mark.parametrize(("bib", "truth"), CORPUS, ids=[path.name for path, _ in CORPUS])
def test_every_file_builds_with_every_entry(
    bib: Path, truth: BibTruth, measured: dict[str, BibResult]
) -> None:
    result = measured[bib.name]
    assert result.error is None
    assert result.found == truth.entries - len(NOT_ENTRIES.get(bib.name, ()))


@pytest.mark.parametrize(("bib", "truth"), CORPUS, ids=[path.name for path, _ in CORPUS])
def test_each_quirk_gives_a_located_warning(
    bib: Path, truth: BibTruth, measured: dict[str, BibResult]
) -> None:
    warnings = measured[bib.name].warnings
    for quirk in truth.quirks:
        fragment = QUIRK_WARNINGS.get(quirk)
        if quirk == "user-macro" and not unknown_commands(bib.read_text("utf-8")):
            continue  # the macro is one cv knows (csquotes' \enquote)
        if fragment is not None:
            assert [w for w in warnings if fragment in w], (quirk, warnings[:5])
    for warning in warnings:
        located = _LOCATED.match(warning)
        assert located, warning
        # the .bib, or the record (the owner's name, which matches no author here)
        assert located["file"] == str(bib) or "cv.yaml" in located["file"], warning
    for name in NOT_ENTRIES.get(bib.name, ()):
        assert [w for w in warnings if f"entry '{name}': every field is commented out" in w]


_STRICT = [
    (path, truth)
    for path, truth in CORPUS
    if set(truth.quirks) & (set(QUIRK_WARNINGS) - {"relative-pdf"})
]


@pytest.mark.parametrize(("bib", "truth"), _STRICT, ids=[path.name for path, _ in _STRICT])
def test_strict_refuses_what_it_warned_about(bib: Path, truth: BibTruth, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "publications.bib").write_bytes(bib.read_bytes())
    (data / "cv.yaml").write_text("name: Corpus Reader\npublications: {highlight: []}\n", "utf-8")
    warnings = cv.build(data, tmp_path / "lenient", only=["html"]).warnings
    with pytest.raises(cv.CVError) as caught:
        cv.build(data, tmp_path / "out", only=["html"], strict=True)
    errors = [problem.message for problem in caught.value.problems]
    assert errors == [f"{warning} (an error under --strict)" for warning in warnings]
    assert all(_LOCATED.match(error) for error in errors)
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------------------------
# Each real failure, on a minimal excerpt


def read(tmp_path: Path, text: str, owner: str = "") -> tuple[list[Publication], list[Problem]]:
    path = tmp_path / "papers.bib"
    path.write_text(text, encoding="utf-8")
    notices: list[Problem] = []
    found = load_bibliography([path], highlight=[owner] if owner else [], notices=notices)
    return found, notices


def test_example_entries_in_a_comment_and_a_duplicate_key(tmp_path: Path) -> None:
    # 2jungeuni/2jungeuni.github.io _bibliography/papers.bib: al-folio's example entries kept
    # in @comment{...} (the splitter stopped at '@book' starting a line), and a key used twice.
    text = (
        "@string{aps = {American Physical Society,}}\n\n@comment{\n"
        "  @book{einstein1920relativity,\n    title={Relativity: the Special and General Theory},\n"
        "    author={Einstein, Albert},\n  }\n}\n\n"
        "@article{hhnoh2018beamforming,\n  title={Beamforming A},\n  year={2018},\n}\n\n"
        "@article{hhnoh2018beamforming,\n  title={Beamforming B},\n  year={2022},\n}\n"
    )
    publications, (notice,) = read(tmp_path, text)
    assert [(p.key, str(p.title)) for p in publications] == [
        ("hhnoh2018beamforming-2", "Beamforming B"),
        ("hhnoh2018beamforming", "Beamforming A"),
    ]
    assert (notice.line, notice.column) == (15, 1)
    assert "duplicate key 'hhnoh2018beamforming' (first defined at" in notice.message


def test_an_entry_without_its_closing_brace(tmp_path: Path) -> None:
    # ifnspaml/bibliography ifn_spaml_bibliography.bib, entry jensen2016algorithm
    text = (
        "@article{jensen2016algorithm,\n"
        "  title           = {{An Algorithm for Predicting the Intelligibility of Speech}},\n"
        "  author          = {Jesper Jensen and Cees H. Taal},\n"
        "  year            = {2016},\n"
        "  publisher       = {IEEE}\n\n"
        "@Book{Jelinek1997,\n  title = {{Statistical Methods for Speech Recognition}},\n"
        "  year = {1997},\n}\n"
    )
    publications, (notice,) = read(tmp_path, text)
    assert sorted(p.key for p in publications) == ["Jelinek1997", "jensen2016algorithm"]
    jensen = next(p for p in publications if p.key == "jensen2016algorithm")
    assert (jensen.year, jensen.publisher) == (2016, "IEEE")
    assert (notice.line, notice.column) == (1, 1)
    assert notice.message.startswith(
        "@article entry 'jensen2016algorithm' is not closed: its closing brace is missing "
        "before line 7, where the next entry starts; read up to there, as BibTeX does"
    )


def test_a_brace_left_open_inside_a_value_is_still_an_error(tmp_path: Path) -> None:
    text = "@article{a,\n  title = {Unclosed,\n  year = {2023},\n\n@misc{b, title = {B}}\n"
    with pytest.raises(cv.CVError) as caught:
        read(tmp_path, text)
    (problem,) = caught.value.problems
    assert (problem.line, "Was still looking for field-value closing `}`" in problem.message) == (
        1,
        True,
    )


def test_a_missing_comma_before_the_last_field(tmp_path: Path) -> None:
    # 98Ali/98ali.github.io _bibliography/papers.bib, entry gorji2024perpsych
    text = (
        "@article{gorji2024perpsych,\n  title={PerPsych},\n  year={2024},\n"
        "  publisher={Elsevier}\n  google_scholar_id={abcdefghijk}\n}\n"
    )
    (publication,), (notice,) = read(tmp_path, text)
    assert (publication.publisher, publication.google_scholar_id) == ("Elsevier", "abcdefghijk")
    assert (notice.line, notice.column) == (5, 3)
    assert "'google_scholar_id =' follows its value, read as a field of its own" in notice.message


def test_lines_commented_out_with_a_percent_sign(tmp_path: Path) -> None:
    # plai-group/bibliography group_publications.bib: entries WAN-19 (every line) and one
    # with a field taken out
    text = (
        "@inproceedings{WAN-19,\n%  title={Safer End-to-End Autonomous Driving},\n"
        "%  year={2019},\n%}\n\n"
        "@inproceedings{CAM-19,\n  title={Sparse Variational Inference},\n"
        "%  pages={1--2},\n  year={2019},\n}\n"
    )
    (publication,), notices = read(tmp_path, text)
    assert (publication.key, publication.pages, publication.year) == ("CAM-19", "", 2019)
    left_out = "every field is commented out with '%': the entry is left out of the CV"
    assert [(n.line, n.message.split(" (")[0]) for n in notices] == [
        (1, f"entry 'WAN-19': {left_out}"),
        (6, "entry 'CAM-19': line 8 starts with '%': read as comments"),
    ]


def test_author_macros_joined_by_an_undefined_and(tmp_path: Path) -> None:
    # iridia-ulb/references articles.bib (its authors.bib, not kept, defines the macros)
    text = (
        "@Article{AfsSilMis2022design,\n"
        "  author = {Afsar, Bekir} #and# {Silvennoinen, Johanna} #and# Ruiz_Francisco,\n"
        "  title = {Designing empirical experiments},\n  year = 2022,\n}\n"
        "@Article{Abr1991,\n  author = {Abramson, D.} #and# Amoura,\n  title = {T},\n}\n"
    )
    publications, notices = read(tmp_path, text, owner="Johanna Silvennoinen")
    afsar = next(p for p in publications if p.key == "AfsSilMis2022design")
    assert [a.name for a in afsar.authors] == [
        "Bekir Afsar",
        "Johanna Silvennoinen",
        "Ruiz_Francisco",
    ]
    assert afsar.authors[1].is_owner
    by_macro = {n.message.split("'")[1]: n for n in notices}
    assert set(by_macro) == {"and", "Ruiz_Francisco", "Amoura"}
    assert "(and 1 more value)" in by_macro["and"].message  # one notice for all its uses
    assert (by_macro["and"].line, by_macro["and"].column) == (2, 3)


def test_a_title_written_with_the_labs_own_macro(tmp_path: Path) -> None:
    # iridia-ulb/references articles.bib, entry PitAlmDoe07: reported "has no title" before,
    # which refused all 1,509 entries of the file
    text = "@Article{PitAlmDoe07,\n  title = {{\\MaxMinAntSystem}},\n  year = 2007,\n}\n"
    (publication,), (notice,) = read(tmp_path, text)
    assert str(publication.title) == "MaxMinAntSystem"
    assert (notice.line, notice.column) == (2, 3)
    assert "uses '\\MaxMinAntSystem', which is no LaTeX command cv knows" in notice.message
    assert "it is shown as its name, 'MaxMinAntSystem'" in notice.message


def test_a_macro_with_an_argument_shows_the_argument(tmp_path: Path) -> None:
    # iridia-ulb/references articles.bib, entry BisLanKot2016mlr: \proglang{R}, \rpackage{mlr}
    text = "@Article{k,\n  title = {{\\rpackage{mlr}}: Machine Learning in \\proglang{R}},\n}\n"
    (publication,), notices = read(tmp_path, text)
    assert str(publication.title) == "mlr: Machine Learning in R"
    assert [n.message.split("'")[3] for n in notices] == ["\\rpackage", "\\proglang"]


def test_csquotes_enquote_is_known(tmp_path: Path) -> None:
    # 4C-multiphysics/website papers.bib, entry gravemeier.wall_2008_space-time
    text = "@Article{k,\n  title = {A \\enquote{space-time} method},\n}\n"
    (publication,), notices = read(tmp_path, text)
    assert (str(publication.title), notices) == ("A “space-time” method", [])


def test_a_proceedings_the_owner_edited_is_listed(tmp_path: Path) -> None:
    text = (
        "@inproceedings{p, author = {Roe, Rick}, title = {P}, crossref = {proc}}\n"
        "@proceedings{proc, editor = {Doe, Jane}, title = {Proceedings of P}, year = 2020}\n"
        "@inproceedings{q, author = {Roe, Rick}, title = {Q}, crossref = {other}}\n"
        "@proceedings{other, editor = {Roe, Rick}, title = {Proceedings of Q}, year = 2021}\n"
    )
    publications, _notices = read(tmp_path, text, owner="Jane Doe")
    assert sorted(p.key for p in publications) == ["p", "proc", "q"]


def test_an_edited_volume_that_entries_crossref_is_listed(tmp_path: Path) -> None:
    # iridia-ulb/references biblio.bib, entry WIS:MOA_vol2 (crossref'd by two chapters)
    text = (
        "@InCollection{ch, author = {Doe, Jane}, title = {Chapter}, crossref = {WIS:MOA_vol2}}\n"
        "@Book{WIS:MOA_vol2,\n  editor = {Savic, D. and Walters, G.},\n"
        "  title = {Water Industry Systems},\n  year = 1999,\n}\n"
    )
    publications, notices = read(tmp_path, text)
    assert sorted(p.key for p in publications) == ["WIS:MOA_vol2", "ch"]
    assert notices == []


def test_a_relative_pdf_with_spaces_links_with_base_url(tmp_path: Path) -> None:
    # 444thLiao/mypage papers.bib: pdf = {2019 tmap GenomeBiology}
    path = tmp_path / "papers.bib"
    path.write_text("@article{t, title = {T}, pdf = {2019 tmap GenomeBiology}}\n", "utf-8")
    (publication,) = load_bibliography([path], highlight=[], link_base="https://x.org/")
    assert [link.url for link in publication.links] == [
        "https://x.org/assets/pdf/2019%20tmap%20GenomeBiology"
    ]


def test_al_folio_markdown_and_html_fields_show_their_text(tmp_path: Path) -> None:
    # 1saacRankin/1saacRankin.github.io papers.bib, al-folio's example entries PhysRev.47.777
    # and einstein1905movement: al-folio renders these fields as Markdown (annotation as HTML)
    text = (
        "@article{PhysRev.47.777,\n  title={Can Quantum-Mechanical Description?},\n"
        "  additional_info={. *More Information* can be [found here](https://github.com/"
        "alshedivat/al-folio/)},\n"
        "  annotation={* Example use of superscripts<br>† Albert Einstein},\n}\n"
        "@article{einstein1905movement,\n  title={Über die Bewegung},\n"
        "  award={Albert Einstein receveid the **Nobel Prize in Physics** 1921},\n}\n"
    )
    publications, notices = read(tmp_path, text)
    by_key = {p.key: p for p in publications}
    physrev = by_key["PhysRev.47.777"]
    assert physrev.additional_info == ". More Information can be found here"
    assert physrev.annotation == "* Example use of superscripts † Albert Einstein"
    assert by_key["einstein1905movement"].award == (
        "Albert Einstein receveid the Nobel Prize in Physics 1921"
    )
    assert notices == []


def test_an_al_folio_badge_with_a_line_break(tmp_path: Path) -> None:
    # 2lambda123/PJLab-ADG-pjlab-adg.github.io papers.bib: abbr={J. Intell. <br> Connect. Veh.}
    text = "@article{k,\n  title={T},\n  abbr={J. Intell. <br> Connect. Veh.},\n}\n"
    (publication,), _notices = read(tmp_path, text)
    assert publication.abbr == "J. Intell. Connect. Veh."


def test_no_markup_of_any_al_folio_file_reaches_the_pdf(tmp_path: Path) -> None:
    # Every al-folio file of the corpus in one record (a key in two files is two entries).
    data = tmp_path / "data"
    data.mkdir()
    names = []
    for path, _truth in CORPUS:
        if path.parent == ALFOLIO:
            (data / path.name).write_bytes(path.read_bytes())
            names.append(path.name)
    listed = "\n".join(f"    - {name}" for name in names)
    (data / "cv.yaml").write_text(f"name: Corpus Reader\npublications:\n  bibtex:\n{listed}\n")
    cv.build(data, tmp_path / "out", only=["cv"])
    assert find_leaks(pdf_text(tmp_path / "out" / "cv.pdf")) == []
