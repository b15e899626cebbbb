"""Tests for cv.bibliography and cv.latex: BibTeX in, decoded publications and problems out."""

from __future__ import annotations

import datetime
import logging
import re
import tempfile
import time
from pathlib import Path

import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup

import cv
from cv.bibliography import (
    Author,
    Link,
    Publication,
    derive_highlight,
    group_publications,
    load_bibliography,
    used_marks,
)
from cv.errors import CVError, Problem
from cv.latex import TAGS, latex_to_html, latex_to_text

BIB = Path(__file__).parent / "bib"
OWNER = ["Zhenheng Tang"]


def write(tmp_path: Path, text: str, name: str = "refs.bib") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load(tmp_path: Path, text: str, **options: object) -> list[Publication]:
    options.setdefault("highlight", OWNER)
    return load_bibliography([write(tmp_path, text)], **options)  # type: ignore[arg-type]


def one(tmp_path: Path, text: str, **options: object) -> Publication:
    (publication,) = load(tmp_path, text, **options)
    return publication


def problems_of(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(CVError) as caught:
        load(tmp_path, text)
    return [str(problem) for problem in caught.value.problems]


def noticed(
    tmp_path: Path, text: str, **options: object
) -> tuple[list[Publication], list[Problem]]:
    """The publications of a file that builds, and its notices (warnings)."""
    notices: list[Problem] = []
    return load(tmp_path, text, notices=notices, **options), notices


def names(publication: Publication) -> list[str]:
    return [author.name for author in publication.authors]


def entry(title: str = "T", **fields: str) -> str:
    body = "".join(f"  {key} = {value},\n" for key, value in fields.items())
    return f"@article{{k,\n  title = {{{title}}},\n{body}}}\n"


def authored(authors: str) -> str:
    return entry(author="{" + authors + "}")


# --------------------------------------------------------------------------------------------
# LaTeX decoding


@pytest.mark.parametrize(
    ("latex", "html"),
    [
        (r"M{\"u}ller", "Müller"),
        (r"\'{e}t\'e", "été"),
        (r"Gar{\c c}on", "Garçon"),
        (r"{\v r}", "ř"),
        (r"Bj{\o}rn", "Bjørn"),
        (r"\"{\i}", "ï"),
        (r"R\&D", "R&amp;D"),
        (r"50\%", "50%"),
        (r"snake\_case", "snake_case"),
        ("pages 1--10", "pages 1–10"),
        ("yes---no", "yes—no"),
        ("``quoted''", "“quoted”"),
        ("{Deep} {L}earning on {GPUs}", "Deep Learning on GPUs"),
        (r"\emph{Fast} training", "<em>Fast</em> training"),
        (r"\textit{in situ}", "<em>in situ</em>"),
        (r"\textbf{Bold} claim", "<strong>Bold</strong> claim"),
        (r"{\em switched} back", "<em>switched</em> back"),
        (r"Sparse $\ell_1$ methods", "Sparse ℓ<sub>1</sub> methods"),
        ("<b>x</b> & y", "&lt;b&gt;x&lt;/b&gt; &amp; y"),
        ("multi\n   line\ttitle", "multi line title"),
        (r"a~b", "a\u00a0b"),
    ],
)
def test_latex_to_html_decodes(latex: str, html: str) -> None:
    result = latex_to_html(latex)
    assert isinstance(result, Markup)
    assert str(result) == html


@pytest.mark.parametrize(
    "math",
    [
        r"$\ell_1$",
        r"$O(n \log n)$",
        r"$\alpha + \beta \leq \gamma$",
        r"$\mathbb{R}^n$",
        r"$\frac{1}{2}$",
        r"$x^{2}_{i}$",
        r"$\unknowncommand x$",
        r"$$",
    ],
)
def test_math_leaves_no_dollar_or_backslash(math: str) -> None:
    text = latex_to_text(f"before {math} after")
    assert "$" not in text
    assert "\\" not in text
    assert text.startswith("before ") and text.endswith(" after")


def test_latex_to_text_is_plain_readable_math() -> None:
    assert latex_to_text(r"$\ell_1$-regularised $\alpha$") == "ℓ1-regularised α"
    assert latex_to_text(r"\emph{Fast} \& \textbf{safe}") == "Fast & safe"


_LATEX_PIECES = st.sampled_from(
    ["a", " ", "<", ">", "&", '"', "'", "\\", "{", "}", "$", "^", "_", "~", "-", "`", "%",
     "\\emph{", "\\textbf{", "$\\ell_", "\\'", '\\"', "\\c ", "{\\em ", "\\url{", "<script>",
     "\\mathbb{", "\\frac", "\\href{", "\\(", "\\textsuperscript{", "\\i"]
)  # fmt: skip
_TAG = re.compile("</?(?:" + "|".join(TAGS) + ")>")


@given(st.text(st.characters(blacklist_categories=("Cs",))) | st.lists(_LATEX_PIECES).map("".join))
def test_decoded_titles_are_always_escaped(title: str) -> None:
    html = str(latex_to_html(title))
    assert "<" not in _TAG.sub("", html)
    assert ">" not in _TAG.sub("", html)


def test_title_html_is_escaped_end_to_end(tmp_path: Path) -> None:
    publication = one(tmp_path, entry(r"<img src=x onerror=alert(1)> \emph{ok}"))
    assert str(publication.title) == "&lt;img src=x onerror=alert(1)&gt; <em>ok</em>"


# --------------------------------------------------------------------------------------------
# Parsing: macros, concatenation, months, dates, entry types


def test_string_macros_and_concatenation(tmp_path: Path) -> None:
    text = (
        '@string{acm = "ACM"}\n'
        '@string{proc = "Proceedings of the " # acm}\n'
        '@inproceedings{k, title = {T}, booktitle = proc # { Conference on } # "Things"}\n'
    )
    assert str(one(tmp_path, text).venue) == "Proceedings of the ACM Conference on Things"


def test_string_macros_are_visible_in_later_files(tmp_path: Path) -> None:
    strings = write(tmp_path, "@string{tpds = {IEEE TPDS}}\n", "strings.bib")
    refs = write(tmp_path, "@article{k, title = {T}, journal = TPDS}\n")
    (publication,) = load_bibliography([strings, refs], highlight=OWNER)
    assert str(publication.venue) == "IEEE TPDS"


def test_an_undefined_macro_stands_for_its_name_with_a_notice(tmp_path: Path) -> None:
    # bibtex-ruby (al-folio) leaves an undefined symbol as its name: the entry builds.
    text = "@article{k,\n  title = {T},\n  journal = {Trans. on } # pami,\n}\n"
    (publication,), (notice,) = noticed(tmp_path, text)
    assert str(publication.journal) == "Trans. on pami"
    assert (notice.file, notice.line, notice.column) == (tmp_path / "refs.bib", 3, 3)
    assert notice.message == (
        "undefined @string macro 'pami' in field 'journal' of entry 'k' is kept as the text "
        "'pami' (expected a @string definition, or the value in braces)"
    )


def test_an_undefined_macro_in_a_string_is_noticed_where_it_is_defined(tmp_path: Path) -> None:
    text = "@string{tpami = {IEEE } # pami}\n\n@article{k, title = {T}, journal = tpami}\n"
    (publication,), (notice,) = noticed(tmp_path, text)
    assert str(publication.journal) == "IEEE pami"
    assert (notice.line, notice.column) == (1, 1)
    assert "undefined @string macro 'pami' in @string 'tpami'" in notice.message


@pytest.mark.parametrize(
    ("month", "number"),
    [("jan", 1), ("may", 5), ("DEC", 12), ("5", 5), ("{May}", 5), ('"September"', 9)],
)
def test_month_macros_and_numbers(tmp_path: Path, month: str, number: int) -> None:
    assert one(tmp_path, entry(year="2024", month=month)).month == number


def test_biblatex_date(tmp_path: Path) -> None:
    publication = one(tmp_path, entry(date="{2024-01-31}"))
    assert (publication.year, publication.month) == (2024, 1)


def test_online_entry(tmp_path: Path) -> None:
    text = "@online{web, title = {A Web Page}, date = {2021-07}, url = {https://example.org}}\n"
    publication = one(tmp_path, text)
    assert (publication.entry_type, publication.kind) == ("online", "other")
    assert (publication.year, publication.month) == (2021, 7)
    assert publication.links == (Link("URL", "https://example.org"),)


def test_hyphenated_entry_type_is_not_lost(tmp_path: Path) -> None:
    publication = one(tmp_path, "@proceedings-paper{pp,\n  title = {P},\n}\n")
    assert (publication.entry_type, publication.kind, publication.line) == (
        "proceedings-paper",
        "conference",
        1,
    )


def test_fixture_file_alfolio() -> None:
    publications = load_bibliography(
        [BIB / "alfolio.bib"], highlight=derive_highlight("Zhenheng Tang")
    )
    assert [p.key for p in publications] == [
        "tang2025preprint",
        "tang2024fusionai",
        "tang2023survey",
    ]
    preprint, fusion, survey = publications
    assert (
        str(preprint.title) == "Beyond ℓ<sub>1</sub>: Benchmarking Sparse Communication — a Study"
    )
    assert names(preprint) == ["Z. Tang", "Jörg Müller", "et al."]
    assert [a.is_owner for a in preprint.authors] == [True, False, False]
    assert preprint.kind == "preprint"
    assert str(preprint.venue) == "arXiv:2402.07011"
    assert preprint.links == (Link("arXiv", "https://arxiv.org/abs/2402.07011"),)
    assert str(fusion.venue) == "Advances in Neural Information Processing Systems (Workshop)"
    assert str(fusion.title) == (
        "FusionAI: Decentralized Training and Deploying LLMs with Massive Consumer-Level GPUs"
    )
    assert (fusion.abbr, fusion.selected, fusion.award) == ("NeurIPS", True, "Oral")
    assert fusion.google_scholar_id == "u5HHmVD_uO8C"
    assert [(a.name, a.marks) for a in fusion.authors[:3]] == [
        ("Zhenheng Tang", "*"),
        ("Yuxin Wang", "*"),
        ("Xin He", ""),
    ]
    assert len(fusion.authors) == 10 and fusion.authors[-1].is_others
    assert str(survey.venue) == "IEEE Transactions on Parallel and Distributed Systems 34(5), 1–20"
    assert survey.note == "Top 1% most cited"
    assert (survey.file, survey.line) == (BIB / "alfolio.bib", 18)


# --------------------------------------------------------------------------------------------
# Order, crossref


def test_sorted_newest_first_with_undated_first(tmp_path: Path) -> None:
    text = (
        "@article{old, title = {Old}, year = 2022}\n"
        "@article{mar, title = {March}, year = 2024, month = mar}\n"
        "@article{soon, title = {Forthcoming}}\n"
        "@article{nov, title = {November}, year = 2024, month = nov}\n"
        "@article{y24, title = {No month}, year = 2024}\n"
    )
    assert [p.key for p in load(tmp_path, text)] == ["soon", "nov", "mar", "y24", "old"]


_CROSSREF = """@inproceedings{paper,
  title = {The Paper},
  author = {Zhenheng Tang},
  crossref = {conf24},
}
@inproceedings{own,
  title = {Own Booktitle},
  booktitle = {Workshop on Things},
  crossref = {conf24},
}
@proceedings{conf24,
  title = {Proceedings of the {Big} Conference},
  year = {2024},
  month = jun,
  publisher = {PMLR},
  editor = {Ada Lovelace and Alan Turing},
  address = {Vienna},
}
"""


def test_crossref_inherits_and_target_is_not_listed(tmp_path: Path) -> None:
    publications = {p.key: p for p in load(tmp_path, _CROSSREF)}
    assert set(publications) == {"paper", "own"}
    paper = publications["paper"]
    assert str(paper.venue) == "Proceedings of the Big Conference"
    assert (paper.year, paper.month, paper.publisher, paper.address) == (2024, 6, "PMLR", "Vienna")
    assert [e.name for e in paper.editors] == ["Ada Lovelace", "Alan Turing"]
    assert str(publications["own"].venue) == "Workshop on Things"


def test_crossref_target_with_authors_stays_listed(tmp_path: Path) -> None:
    text = (
        "@inbook{ch, title = {Chapter}, crossref = {bk}}\n"
        "@book{bk, title = {My Book}, author = {Zhenheng Tang}, year = 2020,\n"
        "  publisher = {MIT Press}}\n"
    )
    publications = {p.key: p for p in load(tmp_path, text)}
    assert set(publications) == {"ch", "bk"}
    assert (str(publications["ch"].venue), publications["ch"].year) == ("My Book", 2020)


def test_a_missing_crossref_target_inherits_nothing_with_a_notice(tmp_path: Path) -> None:
    # bibtex-ruby: no parent, nothing inherited, the entry listed (real: iridia-ulb/references
    # biblio.bib, whose proceedings are in another file of the repository).
    text = "@inproceedings{p,\n  title = {T},\n  crossref = {nope},\n}\n"
    (publication,), (notice,) = noticed(tmp_path, text)
    assert (str(publication.title), str(publication.booktitle)) == ("T", "")
    assert str(notice).startswith(
        f"{tmp_path / 'refs.bib'}:3:3: crossref 'nope' of entry 'p' not found, so it inherits "
        "nothing"
    )


# --------------------------------------------------------------------------------------------
# Names in entries (splitting, marks and the owner are tested in test_names.py)


def test_author_order_and_others(tmp_path: Path) -> None:
    publication = one(
        tmp_path,
        authored("Tang, Zhenheng and Ludwig van Beethoven and {The XYZ Consortium} and others"),
    )
    assert names(publication) == [
        "Zhenheng Tang",
        "Ludwig van Beethoven",
        "The XYZ Consortium",
        "et al.",
    ]
    assert [a.is_others for a in publication.authors] == [False, False, False, True]
    assert publication.authors[0] == Author("Zhenheng Tang", is_owner=True)


def test_has_marks_and_used_marks(tmp_path: Path) -> None:
    marked = one(tmp_path, authored("Tang*, Zhenheng and Bo Li$^\\dagger$"))
    plain = one(tmp_path, authored("Zhenheng Tang and Bo Li"))
    assert marked.has_marks and not plain.has_marks
    assert used_marks([plain, marked]) == "*†"
    assert used_marks([plain]) == ""


def test_a_malformed_name_is_kept_as_written_with_a_notice(tmp_path: Path) -> None:
    text = "@article{k,\n  title = {T},\n  author = {Tang, Zhenheng, Li, Bo},\n}\n"
    (publication,), (notice,) = noticed(tmp_path, text)
    assert names(publication) == ["Tang, Zhenheng, Li, Bo"]
    assert str(notice).endswith(
        ":3:3: author 'Tang, Zhenheng, Li, Bo' of entry 'k' is no BibTeX name (too many "
        "commas): kept as written (expected names separated by 'and', each 'First Last' or "
        "'Last, First')"
    )


def test_names_separated_by_commas_are_read_as_names(tmp_path: Path) -> None:
    # real: ifnspaml/bibliography ifn_spaml_bibliography.bib, entry Yang2023a
    text = authored("Dong Yang, Fei Jiang, Wei Wu, Xuefei Fang, Muyong Cao")
    (publication,), (notice,) = noticed(tmp_path, text)
    assert names(publication) == ["Dong Yang", "Fei Jiang", "Wei Wu", "Xuefei Fang", "Muyong Cao"]
    assert "read as 5 names separated by commas" in notice.message


def test_a_trailing_comma_is_read_as_bibtex_reads_it(tmp_path: Path) -> None:
    # real: 0xAdriaTorralba/0xAdriaTorralba.github.io papers.bib, "Torralba-Agell, Adrià,"
    text = authored("Torralba-Agell, Adrià, and Tang, Zhenheng")
    (publication,), (notice,) = noticed(tmp_path, text)
    assert names(publication) == ["Adrià Torralba-Agell", "Zhenheng Tang"]
    assert publication.authors[1].is_owner
    assert "(trailing comma at end of name): read as 'Adrià Torralba-Agell'" in notice.message


def test_max_authors_shortens_and_keeps_the_owner(tmp_path: Path) -> None:
    people = " and ".join(f"Author{chr(65 + i)} Person" for i in range(11))
    authors = one(tmp_path, authored(people + " and Tang, Z."), max_authors=10).authors
    assert [a.name for a in authors[-2:]] == ["…", "Z. Tang"] and authors[-1].is_owner
    assert len(one(tmp_path, authored(people), max_authors=0).authors) == 11


def test_editors_are_names_too(tmp_path: Path) -> None:
    text = entry(booktitle="{Proc}", editor="{Tang, Zhenheng and Bo Li}", publisher="{PMLR}")
    publication = one(tmp_path, text.replace("@article", "@inproceedings"))
    assert publication.editors == (Author("Zhenheng Tang", is_owner=True), Author("Bo Li"))
    assert (str(publication.booktitle), publication.publisher) == ("Proc", "PMLR")


# --------------------------------------------------------------------------------------------
# Kinds and venues


@pytest.mark.parametrize(
    ("entry_type", "fields", "kind"),
    [
        ("article", "journal = {Nature}", "journal"),
        ("article", "journal = {arXiv preprint arXiv:2402.07011}", "preprint"),
        ("article", "journal = {CoRR}, volume = {abs/2402.07011}", "preprint"),
        ("article", "journal = {bioRxiv}", "preprint"),
        ("article", "eprint = {2402.07011}, archivePrefix = {arXiv}", "preprint"),
        ("article", "", "journal"),
        ("inproceedings", "booktitle = {ICML}", "conference"),
        ("conference", "booktitle = {ICML}", "conference"),
        ("misc", "eprint = {2402.07011}, archivePrefix = {arXiv}", "preprint"),
        ("misc", "arxiv = {2402.07011}", "preprint"),
        ("online", "url = {https://arxiv.org/abs/2402.07011}", "preprint"),
        ("unpublished", "note = {Manuscript}", "other"),
        ("misc", "howpublished = {Blog post}", "other"),
        ("book", "publisher = {MIT Press}", "book"),
        ("inbook", "publisher = {MIT Press}", "book"),
        ("incollection", "booktitle = {Handbook}", "book"),
        ("phdthesis", "school = {HKBU}", "thesis"),
        ("mastersthesis", "school = {HKBU}", "thesis"),
        ("thesis", "school = {HKBU}", "thesis"),
        ("techreport", "institution = {HKBU}", "report"),
        ("report", "institution = {HKBU}", "report"),
        ("patent", "number = {123}", "other"),
    ],
)
def test_kinds(tmp_path: Path, entry_type: str, fields: str, kind: str) -> None:
    publication = one(tmp_path, f"@{entry_type}{{k, title = {{T}}, {fields}}}\n")
    assert (publication.entry_type, publication.kind) == (entry_type, kind)


@pytest.mark.parametrize(
    ("fields", "venue"),
    [
        (
            "journal = {J. Things}, volume = 45, number = 3, pages = {1--10}",
            "J. Things 45(3), 1–10",
        ),
        ("journal = {J. Things}, volume = 45, pages = {7-9}", "J. Things 45, 7–9"),
        ("journal = {R\\&D Letters}", "R&amp;D Letters"),
        ("booktitle = {Proc. {ICML}}", "Proc. ICML"),
        ("publisher = {MIT Press}", "MIT Press"),
        ("eprint = {2402.07011}, archivePrefix = {arXiv}", "arXiv:2402.07011"),
        ("", ""),
    ],
)
def test_venues(tmp_path: Path, fields: str, venue: str) -> None:
    publication = one(tmp_path, f"@misc{{k, title = {{T}}, {fields}}}\n")
    assert isinstance(publication.venue, Markup)
    assert str(publication.venue) == venue


def test_thesis_and_report_venues(tmp_path: Path) -> None:
    text = (
        "@phdthesis{t, title = {T}, school = {HKBU}, year = 2024}\n"
        "@techreport{r, title = {R}, institution = {HKBU}, year = 2023}\n"
        "@techreport{n, title = {N}, institution = {HKBU}, number = {TR-7}, year = 2022}\n"
    )
    assert [str(p.venue) for p in load(tmp_path, text)] == [
        "PhD thesis, HKBU",
        "Technical report, HKBU",
        "Technical report TR-7, HKBU",
    ]


def test_the_fields_a_citation_is_made_of_are_kept(tmp_path: Path) -> None:
    text = (
        "@incollection{k, title = {T}, booktitle = {The \\emph{Big} Handbook},\n"
        "  series = {Lecture Notes}, volume = {7}, issue = {2}, pages = {3--9}, chapter = {4},\n"
        "  edition = {2}, school = {S}, institution = {I}, organization = {O},\n"
        "  howpublished = {H}, type = {Survey}, doi = {https://doi.org/10.1000/X\\_1},\n"
        "  eprint = {2402.07011}, archivePrefix = {arXiv}, url = {\\url{https://example.org}}}\n"
    )
    p = one(tmp_path, text)
    assert (str(p.booktitle), str(p.series), str(p.journal)) == (
        "The <em>Big</em> Handbook",
        "Lecture Notes",
        "",
    )
    assert (p.volume, p.number, p.pages, p.chapter, p.edition) == ("7", "2", "3–9", "4", "2")
    assert (p.school, p.institution, p.organization, p.howpublished, p.genre) == (
        "S",
        "I",
        "O",
        "H",
        "Survey",
    )
    assert (p.doi, p.arxiv, p.url) == ("10.1000/X_1", "2402.07011", "https://example.org")


# --------------------------------------------------------------------------------------------
# Grouping and numbering


def _mixed(tmp_path: Path) -> list[Publication]:
    text = (
        "@article{j1, title = {J1}, journal = {J}, year = 2024}\n"
        "@inproceedings{c1, title = {C1}, booktitle = {C}, year = 2023}\n"
        "@misc{p1, title = {P1}, arxiv = {2402.07011}}\n"
        "@article{j2, title = {J2}, journal = {J}, year = 2022}\n"
        "@phdthesis{t1, title = {T1}, school = {S}, year = 2023}\n"
    )
    return load(tmp_path, text)


def _layout(groups: list) -> list[tuple[str, list[tuple[int | None, str]]]]:
    return [(g.title, [(number, p.key) for number, p in g.entries]) for g in groups]


def test_group_by_type_reverse_numbering(tmp_path: Path) -> None:
    assert _layout(group_publications(_mixed(tmp_path), "type", "reverse")) == [
        ("Journal Articles", [(5, "j1"), (4, "j2")]),
        ("Conference Papers", [(3, "c1")]),
        ("Preprints", [(2, "p1")]),
        ("Theses", [(1, "t1")]),
    ]


def test_group_titles_in_order(tmp_path: Path) -> None:
    text = (
        "".join(
            f"@{kind}{{k{i}, title = {{T}}}}\n"
            for i, kind in enumerate(
                ["misc", "techreport", "phdthesis", "book", "inproceedings", "article"]
            )
        )
        + "@misc{pre, title = {T}, arxiv = {2402.07011}}\n"
    )
    assert [g.title for g in group_publications(load(tmp_path, text))] == [
        "Journal Articles",
        "Conference Papers",
        "Preprints",
        "Books and Chapters",
        "Theses",
        "Technical Reports",
        "Other",
    ]


def test_group_by_year_forward_numbering(tmp_path: Path) -> None:
    assert _layout(group_publications(_mixed(tmp_path), "year", "forward")) == [
        ("Forthcoming", [(1, "p1")]),
        ("2024", [(2, "j1")]),
        ("2023", [(3, "c1"), (4, "t1")]),
        ("2022", [(5, "j2")]),
    ]


def test_group_by_none_without_numbers(tmp_path: Path) -> None:
    assert _layout(group_publications(_mixed(tmp_path), "none", "none")) == [
        ("", [(None, "p1"), (None, "j1"), (None, "c1"), (None, "t1"), (None, "j2")]),
    ]


def test_group_nothing() -> None:
    assert group_publications([], "none") == []


def test_unknown_grouping_is_a_bug() -> None:
    with pytest.raises(ValueError, match="group_by"):
        group_publications([], "venue")
    with pytest.raises(ValueError, match="numbering"):
        group_publications([], "type", "roman")


# --------------------------------------------------------------------------------------------
# Links and al-folio fields


def test_alfolio_links(tmp_path: Path) -> None:
    labels = ("pdf", "code", "html", "slides", "poster", "video", "website", "blog", "supp")
    fields = {name: f"{{https://example.org/{name}}}" for name in labels}
    fields |= {
        "arxiv": "{2402.07011}",
        "doi": "{https://doi.org/10.1000/xyz}",
        "url": "{https://e.org}",
    }
    links = one(tmp_path, entry(**fields)).links
    assert links == (
        Link("PDF", "https://example.org/pdf"),
        Link("HTML", "https://example.org/html"),
        Link("Code", "https://example.org/code"),
        Link("Slides", "https://example.org/slides"),
        Link("Poster", "https://example.org/poster"),
        Link("Video", "https://example.org/video"),
        Link("Website", "https://example.org/website"),
        Link("Blog", "https://example.org/blog"),
        Link("Supp", "https://example.org/supp"),
        Link("arXiv", "https://arxiv.org/abs/2402.07011"),
        Link("DOI", "https://doi.org/10.1000/xyz"),
    )


def test_url_only_without_pdf_or_html(tmp_path: Path) -> None:
    with_code = one(tmp_path, entry(url="{https://e.org/a\\_b}", code="{https://c.org}"))
    assert with_code.links == (Link("URL", "https://e.org/a_b"), Link("Code", "https://c.org"))
    with_pdf = one(tmp_path, entry(url="{https://e.org}", pdf="{https://e.org/paper.pdf}"))
    assert with_pdf.links == (Link("PDF", "https://e.org/paper.pdf"),)


def test_unsafe_link_schemes_are_skipped_with_a_notice(tmp_path: Path) -> None:
    text = entry(
        pdf="{javascript:alert(1)}",
        code="{data:text/html,x}",
        video="{file:///etc/passwd}",
        doi="{doi:10.1/abc}",
    )
    notices: list[Problem] = []
    assert one(tmp_path, text, notices=notices).links == (Link("DOI", "https://doi.org/10.1/abc"),)
    assert [str(n).split(": ", 1)[1] for n in notices] == [
        "pdf of entry 'k': link 'javascript:alert(1)' is not made a link: javascript: links do not "
        "work in a CV; expected an http(s), mailto: or tel: address",
        "code of entry 'k': link 'data:text/html,x' is not made a link: data: links do not work in "
        "a CV; expected an http(s), mailto: or tel: address",
        "video of entry 'k': link 'file:///etc/passwd' is not made a link: file: links do not work "
        "in a CV; expected an http(s), mailto: or tel: address",
    ]
    assert [(n.line, n.column) for n in notices] == [(3, 3), (4, 3), (5, 3)]


def test_relative_links_resolve_against_the_site_as_al_folio_does(tmp_path: Path) -> None:
    """al-folio links ``pdf = {paper.pdf}`` as /assets/pdf/paper.pdf of the site; code as is."""
    text = entry(
        pdf="{paper.pdf}",
        supp="{s/x.pdf}",
        slides="{/talks/t.pdf}",
        html="{demo/}",
        code="{https://github.com/a/b}",
    )
    links = one(tmp_path, text, link_base="https://me.github.io/lab/").links
    assert links == (
        Link("PDF", "https://me.github.io/lab/assets/pdf/paper.pdf"),
        Link("HTML", "https://me.github.io/lab/demo/"),
        Link("Code", "https://github.com/a/b"),
        Link("Slides", "https://me.github.io/talks/t.pdf"),
        Link("Supp", "https://me.github.io/lab/assets/pdf/s/x.pdf"),
    )


def test_relative_links_without_a_web_address_are_left_out_with_a_notice(tmp_path: Path) -> None:
    notices: list[Problem] = []
    text = entry(pdf="{paper.pdf}", url="{../../etc/passwd}", doi="{10.1/x}")
    assert one(tmp_path, text, notices=notices).links == (Link("DOI", "https://doi.org/10.1/x"),)
    assert [str(n).split(": ", 1)[1].split(":")[0] for n in notices] == [
        "pdf of entry 'k'",
        "url of entry 'k'",
    ]
    assert "relative link 'paper.pdf' is not made a link" in str(notices[0])


@pytest.mark.parametrize(
    ("value", "selected"),
    [("{true}", True), ("{yes}", True), ("{1}", True), ("{True}", True), ("{false}", False),
     ("{no}", False), ("{0}", False), (None, False), ("true", True), ("false", False)],
)  # fmt: skip
def test_selected(tmp_path: Path, value: str | None, selected: bool) -> None:
    text = entry(selected=value) if value is not None else entry()
    assert one(tmp_path, text).selected is selected


def test_text_fields(tmp_path: Path) -> None:
    fields = {
        "abbr": "{ICML}",
        "note": "{Oral, top 1\\%}",
        "award": "{Best Paper Award}",
        "google_scholar_id": "{abcDEF}",
        "preview": "{thumb.png}",
    }
    publication = one(tmp_path, entry(**fields))
    assert (publication.abbr, publication.note, publication.award) == (
        "ICML",
        "Oral, top 1%",
        "Best Paper Award",
    )
    assert (publication.google_scholar_id, publication.preview) == ("abcDEF", "thumb.png")


# --------------------------------------------------------------------------------------------
# Problems


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.bib"
    with pytest.raises(CVError) as caught:
        load_bibliography([missing], highlight=OWNER)
    (problem,) = caught.value.problems
    assert problem.file == missing
    assert "not found" in problem.message


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.bib"
    path.write_bytes("@article{k,\n  title = {Ça caf".encode() + b"\xe9},\n}\n")
    with pytest.raises(CVError) as caught:
        load_bibliography([path], highlight=OWNER)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.column) == (path, 2, 18)
    assert "0xe9" in problem.message and "UTF-8" in problem.message


def test_broken_fixture_reports_everything_located(caplog: pytest.LogCaptureFixture) -> None:
    path = BIB / "broken.bib"
    with caplog.at_level(logging.DEBUG), pytest.raises(CVError) as caught:
        load_bibliography([path], highlight=OWNER)
    found = [(p.line, p.column, p.message) for p in caught.value.problems]
    # A year in words ('in press', line 17) is a notice now: the work is forthcoming.
    assert [(line, column) for line, column, _ in found] == [(6, 1), (10, 1)]
    assert found[0][2].startswith("cannot parse @article entry 'broken': Unexpected block start")
    assert "Was still looking for field-value closing `}`" in found[0][2]
    assert found[1][2] == "entry 'notitle' has no title (expected title = {...})"
    assert all(p.file == path for p in caught.value.problems)
    assert not [r for r in caplog.records if r.name.startswith("bibtexparser")]


def test_a_duplicate_key_keeps_both_entries_with_a_notice(tmp_path: Path) -> None:
    # bibtex-ruby keeps both (renaming the second), and jekyll-scholar lists both.
    text = "@article{a, title = {One}, year = 2020}\n\n@article{a, title = {Two}, year = 2021}\n"
    publications, (notice,) = noticed(tmp_path, text)
    assert [(p.key, str(p.title)) for p in publications] == [("a-2", "Two"), ("a", "One")]
    refs = tmp_path / "refs.bib"
    assert str(notice) == (
        f"{refs}:3:1: duplicate key 'a' (first defined at {refs}:1); both entries are kept, "
        "this one as 'a-2', and a crossref to 'a' means the first (expected each key once)"
    )


def test_duplicate_key_across_files_ignoring_case(tmp_path: Path) -> None:
    other = write(tmp_path, "% header\n\n@article{tang2024, title = {A}}\n", "other.bib")
    refs = write(tmp_path, "@article{Tang2024, title = {B}}\n")
    notices: list[Problem] = []
    publications = load_bibliography([other, refs], highlight=OWNER, notices=notices)
    assert sorted(p.key for p in publications) == ["Tang2024-2", "tang2024"]
    (notice,) = notices
    assert (notice.file, notice.line) == (refs, 1)
    assert notice.message.startswith(f"duplicate key 'Tang2024' (first defined at {other}:3")
    assert "as 'tang2024'; keys ignore case" in notice.message


def test_a_renamed_duplicate_never_takes_a_key_in_use(tmp_path: Path) -> None:
    text = "@misc{a, title = {1}}\n@misc{a-2, title = {2}}\n@misc{A, title = {3}}\n"
    publications, notices = noticed(tmp_path, text)
    assert sorted(p.key for p in publications) == ["A-3", "a", "a-2"]
    assert len(notices) == 1 and "this one as 'A-3'" in notices[0].message


def test_a_crossref_to_a_duplicate_key_means_the_first(tmp_path: Path) -> None:
    text = (
        "@proceedings{proc, title = {First Proceedings}, year = 2020}\n"
        "@proceedings{proc, title = {Second Proceedings}, year = 2021}\n"
        "@inproceedings{p, title = {P}, author = {Doe, Jane}, crossref = {proc}}\n"
    )
    publications, notices = noticed(tmp_path, text)
    by_key = {p.key: p for p in publications}
    # The first lends its fields (and so is not listed); the second is an entry of its own.
    assert sorted(by_key) == ["p", "proc-2"]
    assert (str(by_key["p"].booktitle), by_key["p"].year) == ("First Proceedings", 2020)
    assert [n.line for n in notices] == [2]


def test_duplicate_field_keeps_the_first_with_a_notice(tmp_path: Path) -> None:
    # BibTeX: "I'm ignoring k's extra "title" field"; the first value is the one it uses.
    text = "@article{k,\n  title = {A},\n  Title = {B},\n}\n"
    (publication,), (notice,) = noticed(tmp_path, text)
    assert str(publication.title) == "A"
    assert str(notice).endswith(
        ":3:3: entry 'k' sets field 'title' twice (first at line 2); the first value is kept, "
        "as BibTeX does (expected each field once)"
    )


def test_entries_kept_in_a_comment_are_not_read(tmp_path: Path) -> None:
    # al-folio's example entries, kept inside @comment{...} (real: 2jungeuni/2jungeuni.github.io,
    # _bibliography/papers.bib); the splitter stops at an '@' starting a line inside braces.
    text = (
        "@comment{\n  @book{einstein1920relativity,\n    title={Relativity},\n  }\n}\n"
        "@article{real, title = {Real}}\n@comment(x @misc{y, title = {Y}} )\n"
    )
    publications, notices = noticed(tmp_path, text)
    assert [p.key for p in publications] == ["real"]
    assert notices == []


def test_a_year_in_words_is_forthcoming_with_a_located_notice(tmp_path: Path) -> None:
    text = "@article{k,\n  title = {T},\n    year = {forthcoming},\n}\n"
    (publication,), (notice,) = noticed(tmp_path, text)
    assert publication.year is None
    assert str(notice).endswith(
        ":3:5: year 'forthcoming' of entry 'k' is not a number: left out, so it is listed as "
        "forthcoming (expected a year like 2024) (leave the year out for forthcoming work)"
    )


@pytest.mark.parametrize(("year", "read"), [("1991,", 1991), ("{2019}a", 2019), ("٢٠٢٤", 2024)])
def test_a_year_written_in_a_text_is_read_with_a_notice(
    tmp_path: Path, year: str, read: int
) -> None:
    # real: ifnspaml/bibliography, entry Anderson1991: year = {1991,}
    (publication,), (notice,) = noticed(tmp_path, entry(year="{" + year + "}"))
    assert publication.year == read
    assert f"is not a number: read as {read}" in notice.message


@pytest.mark.parametrize(
    ("month", "number"), [("28–30 Mar", 3), ("22--25 Jul", 7), ("2016-06-03T00:00:00", 6)]
)
def test_months_written_in_a_date_are_read(tmp_path: Path, month: str, number: int) -> None:
    # real: PMLR's "28–30 Mar" (plai-group/bibliography), an ISO time (4C-multiphysics/website)
    publications, notices = noticed(tmp_path, entry(year="2020", month="{" + month + "}"))
    assert (publications[0].month, notices) == (number, [])


def test_a_month_that_is_none_is_left_out_with_a_notice(tmp_path: Path) -> None:
    (publication,), (notice,) = noticed(tmp_path, entry(year="2020", month="{13}"))
    assert publication.month is None
    assert "month '13' of entry 'k' is not a month: left out" in notice.message


def test_problems_of_all_files_in_one_error(tmp_path: Path) -> None:
    first = write(tmp_path, "@article{a}\n", "a.bib")
    second = write(tmp_path, "@article{b, title = {B}, title = {A}}\n@article{b}\n", "b.bib")
    with pytest.raises(CVError) as caught:
        load_bibliography([first, second, tmp_path / "c.bib"], highlight=OWNER)
    assert [p.file for p in caught.value.problems] == [first, second, tmp_path / "c.bib"]


_BIB_PIECES = st.sampled_from(
    ["@article{", "@string{", "@comment{", "@", "k", ",", " = ", "{", "}", '"', "#", "\n", "title",
     "author", "year", "2024", "month", "jan", " and ", "others", "\\", "$", "crossref", "x y"]
)  # fmt: skip


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_BIB_PIECES, max_size=40).map("".join))
def test_any_input_gives_publications_or_a_cv_error(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.bib"
        path.write_text(text, encoding="utf-8")
        try:
            publications = load_bibliography([path], highlight=OWNER)
        except CVError as error:
            assert all(p.file == path and p.message for p in error.problems)
        else:
            assert all(isinstance(p, Publication) for p in publications)


_NAME_PIECES = st.sampled_from(
    ["Tang", "Z.", " ", ",", " and ", "others", "{", "}", "\\", "\\'", "$^\\dagger$", "*", "†",
     "~", "van", "Jr.", "唐", "-", '{\\"u}', "$"]
)  # fmt: skip


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_NAME_PIECES, max_size=25).map("".join))
def test_any_author_field_gives_authors_or_a_cv_error(authors: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "names.bib"
        path.write_text(f"@article{{k, title = {{T}}, author = {{{authors}}}}}\n", encoding="utf-8")
        try:
            (publication,) = load_bibliography([path], highlight=OWNER)
        except CVError as error:
            assert all(p.file == path and p.line for p in error.problems)
        else:
            assert all(a.name and "\\" not in a.name for a in publication.authors)


def test_no_entry_is_lost(tmp_path: Path) -> None:
    text = "".join(
        f"@article{{k{i}, title = {{Title {i}}}, year = {2000 + i % 25},\n"
        f'  author = {{Tang, Zhenheng and M{{\\"u}}ller, J.}}}}\n'
        for i in range(500)
    )
    publications = load(tmp_path, text)
    assert sorted(p.key for p in publications) == sorted(f"k{i}" for i in range(500))
    assert all(p.authors[0].is_owner and p.authors[1].name == "J. Müller" for p in publications)


# --------------------------------------------------------------------------------------------
# What a reader sees: a messy multi-file record built into a PDF and read back

RECORD = BIB / "record"
DECODED_TITLES = [
    "A Forthcoming Paper on in situ Learning",
    "Efficient GPU Kernels: A Study of O(n log n) Methods",
    "Sparse ℓ1 Training of Transformers with Provable Guarantees",
    "On the “Convergence” of Federated Learning — A √(n) Bound",
    "LLM Serving at Scale: A Real-World Workload Study",
    "On Öptimization for Large Models",
    "The XYZ Benchmark, Version 2",
    "Notes on Scaling Laws & Data Quality: 50% Less Data",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, list[str]]:
    """The record's cv.pdf as text (whitespace collapsed), its cv.html, and the PDF's links."""
    out = tmp_path_factory.mktemp("record")
    result = cv.build(RECORD, out, only=["cv", "html"], today=datetime.date(2026, 1, 1))
    assert result.warnings == ()
    reader = pypdf.PdfReader(out / "cv.pdf")
    text = " ".join(page.extract_text() for page in reader.pages)
    links = [
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if "/URI" in annotation.get_object().get("/A", {})
    ]
    return re.sub(r"\s+", " ", text), (out / "cv.html").read_text(encoding="utf-8"), links


def test_pdf_shows_every_entry_decoded(built: tuple[str, str, list[str]]) -> None:
    text = built[0]
    for title in DECODED_TITLES:
        assert title in text, title
    for raw in ("\\", "{", "}", "$", "--", "``"):
        assert raw not in text, f"raw LaTeX {raw!r} on the page"
    for name in [
        "Bjørn Åström*",
        "François Leřová",
        "Ludwig van Beethoven",
        "John Doe, Jr.",
        "The XYZ Consortium",
        "Ángel Núñez",
        "Łukasz Kowalski",
        "Zoë Ďurić",
    ]:
        assert name in text, name
    assert "Jörg Müller†, et al." in text  # "and others"
    assert "Zoë Ďurić, …, Jorg Muller, et al." in text  # max_authors: 6, the owner kept


def test_pdf_shows_inherited_fields_notes_awards_and_annotations(
    built: tuple[str, str, list[str]],
) -> None:
    text = built[0]
    assert (
        "In Proceedings of the 41st International Conference on Machine Learning, pp. 1–12, "
        "edited by Ruslan Salakhutdinov and Zico Kolter, PMLR, Vienna, Austria, 2024. Oral"
    ) in text  # crossref: booktitle from the title, year, editors, publisher, address
    assert text.count("41st International") == 1  # the crossref target is not listed itself
    assert "In Advances in Neural Information Processing Systems 35, 2022." in text  # @string #
    assert "Journal of Machine Learning Research 24(3), 100–130, 2023. Extended version" in text
    assert "Nature Machine Intelligence, forthcoming." in text
    assert "Technical report TR-2021-07, XYZ Foundation, 2021." in text
    assert "Spotlight presentation" in text and "Invited post for the lab’s blog series" in text


def test_pdf_groups_numbers_and_counts(built: tuple[str, str, list[str]]) -> None:
    text = built[0]
    headings = [
        "Journal Articles",
        "Conference Papers",
        "Preprints",
        "Theses",
        "Technical Reports",
        "Other",
    ]
    positions = [text.index(heading) for heading in headings]
    assert positions == sorted(positions)
    assert "Books and Chapters" not in text  # empty groups are left out
    numbers = [int(n) for n in re.findall(r"\[(\d+)\]", text)]
    assert numbers == list(range(8, 0, -1))
    titles = [text.index(title) for title in DECODED_TITLES]
    assert titles == sorted(titles), "newest first within groups, forthcoming first"
    assert "1,234 citations · h-index 12 · i10-index 15, as of November 1, 2026" in text
    assert "* equal contribution · † corresponding author" in text
    assert "doi:10.5555/jmlr.2023.100 · Cited by 1,045" in text and "Code · Cited by 321" in text
    assert "arXiv · Cited by 0" in text and text.count("Cited by") == 3


def test_pdf_links(built: tuple[str, str, list[str]]) -> None:
    assert {
        "https://doi.org/10.5555/jmlr.2023.100",
        "https://github.com/example/sparse",
        "https://arxiv.org/abs/2401.17644",
        "https://example.org/blog/scaling_laws",
    } <= set(built[2])


def test_html_sets_the_owner_bold_at_every_appearance(built: tuple[str, str, list[str]]) -> None:
    html = built[1]
    section = html[html.index('id="publications"') :]
    owners = re.findall(r'<strong class="owner">([^<]*)</strong>', section)
    assert sorted(set(owners)) == ["J. Müller", "Jorg Muller", "Jörg Müller"]
    assert len(owners) == 8  # one per entry: every entry has the owner once
    rest = re.sub(r'<strong class="owner">[^<]*</strong>', "", section)
    assert not re.search(r"M(ü|u|&#\d+;)ller", rest), "an owner's name is not bold"
    assert '<span class="badge">ICML</span>' in section
    assert '<span class="badge">NeurIPS</span>' in section
    assert '<span class="award">Oral</span>' in section


def test_a_url_in_howpublished_becomes_the_link(tmp_path: Path) -> None:
    publication = one(
        tmp_path,
        "@misc{m, title={T}, author={Doe, Jane}, year=2022, "
        "howpublished={\\url{https://example.org/a_b}}}",
    )
    assert [(link.label, link.url) for link in publication.links] == [
        ("URL", "https://example.org/a_b")
    ]
    plain = one(
        tmp_path, "@misc{m, title={T}, author={Doe, Jane}, year=2022, howpublished={Blog post}}"
    )
    assert plain.links == ()


# --------------------------------------------------------------------------------------------
# What is read leniently stays quick on hostile input


def test_thousands_of_unclosed_entries_are_read_quickly(tmp_path: Path) -> None:
    text = "".join(f"@misc{{k{i}, title = {{T{i}}}, year = 2020\n" for i in range(5_000))
    started = time.perf_counter()
    publications, notices = noticed(tmp_path, text)
    assert time.perf_counter() - started < 10
    assert len(publications) == 5_000 and len(notices) == 5_000
    assert str(notices[-1]).endswith(
        ":5000:1: @misc entry 'k4999' is not closed: its closing brace is missing at the end of "
        "the file; read up to there, as BibTeX does (expected a '}' at its end)"
    )


def test_thousands_of_fields_without_commas_are_refused_quickly(tmp_path: Path) -> None:
    fields = " ".join(f"f{i} = {{v}}" for i in range(8_000))  # each read from the rest: minutes
    started = time.perf_counter()
    (message,) = problems_of(tmp_path, f"@misc{{k, title = {{T}}, abstract = {{A}} {fields}}}\n")
    assert time.perf_counter() - started < 5
    assert "entry 'k' has more than 20 fields without a comma before them" in message


def test_a_huge_comment_and_unclosed_comments_are_quick(tmp_path: Path) -> None:
    text = (
        "@comment{" + "@misc{x, title = {y}}\n" * 9_000 + "}\n@misc{a, title = {A}}\n"
        + "@comment{ {\n" * 2_000
    )  # fmt: skip
    started = time.perf_counter()
    with pytest.raises(CVError) as caught:
        load(tmp_path, text)
    assert time.perf_counter() - started < 5
    assert all(p.line and p.line > 9_000 for p in caught.value.problems)  # the unclosed ones


def test_an_entry_of_commented_lines_is_quick(tmp_path: Path) -> None:
    lines = "".join(f"%  f{i} = {{v}},\n" for i in range(50_000))
    started = time.perf_counter()
    publications, (notice,) = noticed(tmp_path, f"@misc{{k,\n  title = {{T}},\n{lines}}}\n")
    assert time.perf_counter() - started < 5
    assert [p.key for p in publications] == ["k"]
    assert "lines 3, 4, 5, 6, 7, ... start with '%'" in notice.message
