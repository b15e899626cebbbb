"""Tests for cv.citation: real BibTeX entry shapes in, the same citation out of every output."""

from __future__ import annotations

import datetime
from dataclasses import replace
from pathlib import Path

import pytest
from markupsafe import Markup

import cv
from cv.bibliography import Publication, load_bibliography
from cv.bio import bio_content, render_bio
from cv.builder import read_inputs
from cv.citation import (
    DEFAULT_STYLE,
    Citation,
    CVStyle,
    format_citation,
    resume_fields,
    to_markdown,
    to_text,
)
from cv.interop.acadhomepage_export import export_acadhomepage
from cv.interop.jsonresume_export import export_jsonresume
from cv.views import publication_view

REAL = Path(__file__).parent / "real" / "alfolio"


def real(file: str, key: str, owner: str) -> Publication:
    """One entry of a real al-folio bibliography, loaded as a build loads it."""
    publications = load_bibliography([REAL / file], highlight=[owner])
    return next(p for p in publications if p.key == key)


def written(tmp_path: Path, text: str, owner: str = "Ilya Sutskever") -> Publication:
    path = tmp_path / "refs.bib"
    path.write_text(text, encoding="utf-8")
    (publication,) = load_bibliography([path], highlight=[owner])
    return publication


def lines(publication: Publication) -> tuple[str, str, str]:
    """The author line, the venue line and the one-line reference, as HTML."""
    f = format_citation(publication)
    return str(f.author_line), str(f.venue_line), str(f.reference)


# --- the entry shapes -------------------------------------------------------------------------


def test_article_with_volume_number_and_pages() -> None:
    p = real("12wang3-12wang3.github.io.bib", "wang2022random", "Zhuo Wang")
    citation = format_citation(p).citation
    assert (str(citation.container), str(citation.details)) == (
        "Journal of personalized medicine",
        "12(1), 37",
    )
    assert not citation.contained and citation.imprint == ""  # a journal's publisher: not cited
    authors, venue, reference = lines(p)
    assert authors.startswith('Jie Wang, <strong class="owner">Zhuo Wang</strong>, Ning Liu')
    assert authors.endswith('Dan Lei, <span class="et-al">et al.</span>')  # max_authors: 10
    assert venue == "<em>Journal of personalized medicine</em> 12(1), 37, 2022."  # the name only
    assert to_markdown(reference) == (
        "Jie Wang, **Zhuo Wang**, Ning Liu, Caiyan Liu, Chenhui Mao, Liling Dong, Jie Li, "
        "Xinying Huang, Dan Lei, et al. *Random Forest Model in the Diagnosis of Dementia "
        "Patients with Normal Mini-Mental State Examination Scores*. Journal of personalized "
        "medicine 12(1), 37, 2022."
    )


def test_article_with_volume_and_pages_only() -> None:
    p = real("12wang3-12wang3.github.io.bib", "wang2021scalable", "Zhuo Wang")
    assert lines(p)[1] == (
        "<em>Advances in Neural Information Processing Systems</em> 34, 30479–30491, 2021."
    )


def test_an_issue_without_a_volume_is_not_shown() -> None:
    # A real entry: number = {Preprint}, no volume. "no. Preprint" would say nothing.
    p = real("12wang3-12wang3.github.io.bib", "wang2022learning", "Zhuo Wang")
    assert str(p.venue) == "Journal of Alzheimer’s Disease, 1–16"


def test_inproceedings_with_booktitle_pages_editors_and_publisher() -> None:
    p = real("594zyc-594zyc.github.io.bib", "zhang-etal-2023-grounding", "Yichi Zhang")
    citation = format_citation(p).citation
    assert citation.contained and str(citation.details) == "pp. 5718–5728"
    assert str(citation.imprint) == "Association for Computational Linguistics, Singapore"
    assert lines(p)[1] == (
        "In <em>Proceedings of the 2023 Conference on Empirical Methods in Natural Language "
        "Processing</em>, pp. 5718–5728, edited by Houda Bouamor, Juan Pino, and Kalika Bali, "
        "Association for Computational Linguistics, Singapore, 2023."
    )
    assert to_text(citation.venue) == (
        "Proceedings of the 2023 Conference on Empirical Methods in Natural Language "
        "Processing, pp. 5718–5728"
    )


def test_a_volume_of_a_series_and_a_note() -> None:
    p = real("201younghanlee-taislab.github.io.bib", "cho2026datareconstruction", "Younghan Lee")
    assert str(format_citation(p).citation.details) == (
        "vol. 2961 of Communications in Computer and Information Science"
    )
    venue = lines(p)[1]
    assert venue.startswith("In <em>Artificial Intelligence Computing and Systems: Second")
    assert venue.endswith(
        "Revised Selected Papers</em>, vol. 2961 of Communications in Computer and Information "
        "Science, edited by Brent Byunghoon Kang and Daehee Jang, Springer Singapore, "
        "2026. Accepted regular paper; forthcoming. Chapter 21 in production; final pages and "
        "DOI pending."
    )


def test_book_with_editors_and_an_edition(tmp_path: Path) -> None:
    p = written(
        tmp_path,
        "@book{arbib2003handbook,\n"
        "  title     = {The Handbook of Brain Theory and Neural Networks},\n"
        "  editor    = {Arbib, Michael A.},\n"
        "  edition   = {2},\n"
        "  publisher = {MIT Press},\n"
        "  address   = {Cambridge, MA},\n"
        "  year      = {2003},\n"
        "}\n",
    )
    authors, venue, reference = lines(p)
    assert authors == "Michael A. Arbib (ed.)"
    assert venue == "2nd ed., MIT Press, Cambridge, MA, 2003."  # a publisher is not in italics
    assert str(p.venue) == "2nd ed., MIT Press, Cambridge, MA"
    assert to_markdown(reference) == (
        "Michael A. Arbib (ed.). *The Handbook of Brain Theory and Neural Networks*. 2nd ed., "
        "MIT Press, Cambridge, MA, 2003."
    )


def test_book_with_authors_and_editors_of_a_chapter(tmp_path: Path) -> None:
    p = written(
        tmp_path,
        "@incollection{lecun1998efficient,\n"
        "  title     = {Efficient {BackProp}},\n"
        "  author    = {LeCun, Yann and Bottou, L{\\'e}on and Orr, Genevieve B. and "
        'M{\\"u}ller, Klaus-Robert},\n'
        "  booktitle = {Neural Networks: Tricks of the Trade},\n"
        '  editor    = {Orr, Genevieve B. and M{\\"u}ller, Klaus-Robert},\n'
        "  series    = {Lecture Notes in Computer Science},\n"
        "  volume    = {1524},\n"
        "  pages     = {9--50},\n"
        "  publisher = {Springer},\n"
        "  year      = {1998},\n"
        "}\n",
    )
    assert lines(p)[:2] == (
        "Yann LeCun, Léon Bottou, Genevieve B. Orr, Klaus-Robert Müller",
        "In <em>Neural Networks: Tricks of the Trade</em>, vol. 1524 of Lecture Notes in Computer "
        "Science, pp. 9–50, edited by Genevieve B. Orr and Klaus-Robert Müller, Springer, "
        "1998.",
    )


@pytest.mark.parametrize(
    ("edition", "shown"),
    [("2", "2nd ed."), ("11", "11th ed."), ("23", "23rd ed."), ("Second", "Second ed."),
     ("3rd edition", "3rd edition")],
)  # fmt: skip
def test_editions(tmp_path: Path, edition: str, shown: str) -> None:
    p = written(tmp_path, f"@book{{k, title = {{B}}, edition = {{{edition}}}, year = 2020}}\n")
    assert str(format_citation(p).citation.details) == shown


def test_thesis(tmp_path: Path) -> None:
    p = written(
        tmp_path,
        "@phdthesis{sutskever2013training,\n"
        "  title  = {Training Recurrent Neural Networks},\n"
        "  author = {Sutskever, Ilya},\n"
        "  school = {University of Toronto},\n"
        "  year   = {2013},\n"
        "}\n",
    )
    authors, venue, reference = lines(p)
    assert authors == '<strong class="owner">Ilya Sutskever</strong>'
    assert venue == "<em>PhD thesis, University of Toronto</em>, 2013."
    assert to_markdown(reference) == (
        "**Ilya Sutskever**. *Training Recurrent Neural Networks*. PhD thesis, University of "
        "Toronto, 2013."
    )


def test_techreport(tmp_path: Path) -> None:
    p = written(
        tmp_path,
        "@techreport{krizhevsky2009learning,\n"
        "  title       = {Learning Multiple Layers of Features from Tiny Images},\n"
        "  author      = {Krizhevsky, Alex},\n"
        "  institution = {University of Toronto},\n"
        "  year        = {2009},\n"
        "}\n",
    )
    assert lines(p)[1] == "<em>Technical report, University of Toronto</em>, 2009."
    numbered = written(
        tmp_path,
        "@techreport{k, title = {T}, type = {Working paper}, number = {42},\n"
        "  institution = {NBER}, publisher = {NBER}, year = 2001}\n",
    )
    assert lines(numbered)[1] == "<em>Working paper 42, NBER</em>, 2001."  # NBER once


def test_misc_arxiv_preprint() -> None:
    data = Path(__file__).parent.parent / "data" / "publications.bib"
    publications = load_bibliography([data], highlight=["Zhenheng Tang"])
    p = next(p for p in publications if p.key == "wang2024towards")
    assert lines(p)[1] == "<em>arXiv preprint arXiv:2401.17644</em>, 2024."
    assert p.arxiv == "2401.17644"


def test_misc_with_only_an_eprint_and_an_arxiv_article() -> None:
    p = real("0x404-0x404.github.io.bib", "li2026skillsbench", "Qunhong Zeng")
    assert (p.kind, lines(p)[1]) == ("preprint", "<em>arXiv preprint arXiv:2602.12670</em>, 2026.")


def test_arxiv_eprint_alone(tmp_path: Path) -> None:
    p = written(
        tmp_path,
        "@misc{k, title = {T}, author = {Doe, Jane}, year = 2025,\n"
        "  eprint = {2501.00001}, archivePrefix = {arXiv}}\n",
    )
    assert lines(p)[1] == "<em>arXiv:2501.00001</em>, 2025."


def test_an_entry_with_only_a_title_and_a_year(tmp_path: Path) -> None:
    p = written(tmp_path, "@misc{k, title = {Notes on Things?}, year = {2020}}\n")
    authors, venue, reference = lines(p)
    assert (authors, venue) == ("", "2020.")
    assert to_markdown(reference) == "*Notes on Things?* 2020."
    assert resume_fields(format_citation(p)) == {"name": "Notes on Things?", "releaseDate": "2020"}


def test_forthcoming_and_a_url_is_not_a_venue(tmp_path: Path) -> None:
    p = written(tmp_path, "@misc{k, title = {T}, howpublished = {\\url{https://example.org/t}}}\n")
    assert lines(p)[1] == "forthcoming."
    assert [link.url for link in p.links] == ["https://example.org/t"]


# --- text and Markdown ------------------------------------------------------------------------


def test_user_text_is_escaped_in_html_and_in_markdown(tmp_path: Path) -> None:
    p = written(
        tmp_path,
        "@article{k, title = {A [link](javascript:x) \\emph{and} <b>*stars*</b>},\n"
        "  author = {Doe*, Jane and Roe, Rick}, journal = {J. of <i>\\_x\\_</i>}, year = 2020}\n",
    )
    f = format_citation(p)
    assert str(f.venue_line) == "<em>J. of &lt;i&gt;_x_&lt;/i&gt;</em>, 2020."
    assert to_markdown(f.citation.title) == (
        "A \\[link\\](javascript:x) *and* \\<b>\\*stars\\*\\</b>"
    )
    assert to_markdown(f.author_line) == "Jane Doe\\*, Rick Roe"
    assert to_text(f.citation.title) == "A [link](javascript:x) and <b>*stars*</b>"


def test_a_reference_does_not_double_its_full_stops(tmp_path: Path) -> None:
    p = written(
        tmp_path,
        "@article{k, title = {Why?}, author = {Doe, Jane and others}, journal = {J}, year = 2020,"
        "  note = {Invited.}}\n",
    )
    authors, venue, reference = lines(p)
    assert venue == "<em>J</em>, 2020. Invited."
    assert to_markdown(reference) == "Jane Doe, et al. *Why?* J, 2020."


# --- the style is one swappable object -------------------------------------------------------


class Bare(CVStyle):
    """A style that only shows the venue: proves a style is passed, not assumed."""

    def venue_line(self, citation: Citation) -> Markup:
        return citation.venue


def test_a_style_is_passed_where_citations_are_formatted() -> None:
    p = real("12wang3-12wang3.github.io.bib", "wang2021scalable", "Zhuo Wang")
    assert isinstance(DEFAULT_STYLE, CVStyle)
    view = publication_view(p, style=Bare())
    assert (
        str(view.venue_line) == "Advances in Neural Information Processing Systems 34, 30479–30491"
    )
    assert str(publication_view(p).venue_line).endswith("</em> 34, 30479–30491, 2021.")


def test_the_view_keeps_the_fields_templates_already_use() -> None:
    p = real("594zyc-594zyc.github.io.bib", "zhang-etal-2023-grounding", "Yichi Zhang")
    view = publication_view(p)
    assert view.contained and view.imprint == "Association for Computational Linguistics, Singapore"
    assert view.venue == format_citation(p).citation.venue
    assert [a.name for a in view.editors] == ["Houda Bouamor", "Juan Pino", "Kalika Bali"]
    plain = replace(p, pages="")
    assert "pp." not in str(publication_view(plain).venue)


# --- every output shows the same citation -----------------------------------------------------


def entry_text(path: Path, key: str) -> str:
    """The text of one entry of a .bib file, as its owner wrote it."""
    text = path.read_text(encoding="utf-8")
    start = text.index("{" + key + ",")
    start = text.rindex("@", 0, start)
    depth = 0
    for end in range(text.index("{", start), len(text)):
        depth += {"{": 1, "}": -1}.get(text[end], 0)
        if depth == 0:
            return text[start : end + 1] + "\n"
    raise AssertionError(f"entry {key} does not end")


_BOOK = (
    "@book{arbib2003handbook, title = {The Handbook of Brain Theory and Neural Networks},\n"
    "  editor = {Arbib, Michael A.}, edition = {2}, publisher = {MIT Press},\n"
    "  address = {Cambridge, MA}, year = {2003}}\n"
)
_OUTPUTS = [  # (file, key, owner, the venue's details)
    (REAL / "12wang3-12wang3.github.io.bib", "wang2022random", "Zhuo Wang", "12(1), 37"),
    (REAL / "594zyc-594zyc.github.io.bib", "zhang-etal-2023-grounding", "Yichi Zhang",
     "pp. 5718–5728"),
    (REAL / "201younghanlee-taislab.github.io.bib", "cho2026datareconstruction",
     "Younghan Lee", "vol. 2961 of Communications in Computer and Information Science"),
    (Path(__file__).parent.parent / "data" / "publications.bib", "wang2024towards",
     "Zhenheng Tang", "arXiv preprint arXiv:2401.17644"),
    (None, "arbib2003handbook", "Michael A. Arbib", "2nd ed., MIT Press, Cambridge, MA"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("file", "key", "owner", "details"), _OUTPUTS, ids=[o[1] for o in _OUTPUTS]
)
def test_every_output_shows_the_same_venue_details(
    tmp_path: Path, file: Path | None, key: str, owner: str, details: str
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    bib = entry_text(file, key) if file else _BOOK
    (data / "papers.bib").write_text(bib, encoding="utf-8")
    (data / "cv.yaml").write_text(
        f"name: {owner}\npublications:\n  bibtex: [papers.bib]\n", encoding="utf-8"
    )
    (publication,) = load_bibliography([data / "papers.bib"], highlight=[owner])
    formatted = format_citation(publication)
    venue = to_text(formatted.citation.venue)
    assert details in venue

    out = tmp_path / "out"
    cv.build(data, out, only=["html", "md"], today=datetime.date(2026, 1, 1))
    assert str(formatted.venue_line) in (out / "cv.html").read_text(encoding="utf-8")
    bio_md = (out / "bio.md").read_text(encoding="utf-8")
    assert to_markdown(formatted.venue_line) in bio_md  # the bio cites as the CV does
    assert details in bio_md

    inputs = read_inputs(data)
    content = bio_content(inputs.source.record, inputs.publications)
    bio_html = render_bio(
        inputs.source.record, content, content.full_plan(), inputs.theme, photo=None
    )
    assert str(formatted.venue_line) in bio_html.replace("\u00ad", "")  # bio.pdf

    about = export_acadhomepage(data)
    assert f"\n*{to_markdown(formatted.citation.venue)}*\n" in about
    assert details in about

    (item,) = export_jsonresume(data)["publications"]
    assert item["publisher"] == venue
    fields = resume_fields(formatted)
    fields.pop("authors", None)  # the exports list every author (max_authors does not apply)
    assert {name: item[name] for name in fields} == fields


# --- the style and the language of a document ---------------------------------------------


def test_the_default_style_writes_its_words_in_the_documents_language(tmp_path: Path) -> None:
    from cv.i18n import language

    p = written(
        tmp_path,
        "@inproceedings{k, title = {T}, author = {Sutskever, Ilya and Doe, Jane and Roe, Ray},"
        " booktitle = {Proc. X}, editor = {A, B and C, D}, volume = {7}, series = {S},"
        " pages = {1--9}, chapter = {2}, edition = {3}, publisher = {P}}",
    )
    with language("de"):
        _, venue, _ = lines(p)
    assert venue == (
        "In <em>Proc. X</em>, 3. Aufl., Bd. 7 von S, Kap. 2, S. 1–9, herausgegeben von "
        "B A und D C, P, im Erscheinen."
    )
    _, venue, _ = lines(p)  # outside: English, as before
    assert venue.startswith("In <em>Proc. X</em>, 3rd ed., vol. 7 of S, ch. 2, pp. 1–9, edited by")


def test_a_style_set_for_a_block_is_the_one_every_caller_gets(tmp_path: Path) -> None:
    from cv.citation import current_style, using_style

    class Shouting(CVStyle):
        def reference(self, citation: Citation) -> Markup:
            return Markup("LOUD")

    p = written(tmp_path, "@misc{k, title = {T}, author = {Sutskever, Ilya}, year = {2020}}")
    with using_style(Shouting()):
        assert str(format_citation(p).reference) == "LOUD"
        assert isinstance(current_style(), Shouting)
    assert current_style() is DEFAULT_STYLE
    assert str(format_citation(p).reference) != "LOUD"
