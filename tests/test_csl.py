"""Tests for cv.csl and cv.csljson: CSL styles by name or file, what the CV adds kept in each.

The record of tricky names (tests/records/tricky-names) has particles, a suffix, a hyphenated
given name, a corporate name, a CJK name, a single name, contribution marks and an author list
long enough for every style's et-al rule, with the owner ninth.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from markupsafe import Markup
from typer.testing import CliRunner

import cv
from cv.bibliography import Publication
from cv.builder import read_inputs
from cv.citation import format_citation, to_text, using_style
from cv.cli import app
from cv.csl import CSLStyle, StyleError, close_styles, load_style, style_names
from cv.errors import CVError

from .test_real_alfolio import OWNERS

TRICKY = Path(__file__).parent / "records" / "tricky-names"
STYLES = ("apa", "ieee", "acm", "chicago", "vancouver", "nature")


@pytest.fixture(scope="module")
def publications() -> dict[str, Publication]:
    return {p.key: p for p in read_inputs(TRICKY).publications}


@pytest.fixture(scope="module")
def styles() -> dict[str, CSLStyle]:
    return {name: load_style(name, TRICKY) for name in STYLES}


# --- each entry as the style's own rules write it -----------------------------------------------

SAMPLES = {
    "apa": (
        "van der Berg, J., Smith, J., Jr., de la Fontaine, J.-L., Müller-Lüdenscheidt, A.-M., & "
        "The XYZ Consortium. (2024). Particles and Suffixes in Author Names. Journal of Names, "
        "12(3), 1–20. https://doi.org/10.1000/names.2024"
    ),
    "ieee": (
        "J. van der Berg, J. Smith Jr., J.-L. de la Fontaine, A.-M. Müller-Lüdenscheidt, and The "
        "XYZ Consortium, “Particles and Suffixes in Author Names”, Journal of Names, vol. 12, "
        "no. 3, pp. 1–20, Mar. 2024, doi: 10.1000/names.2024."
    ),
    "acm": (
        "Jan van der Berg, John Smith Jr., Jean-Luc de la Fontaine, Anna-Maria "
        "Müller-Lüdenscheidt, and The XYZ Consortium. 2024. Particles and Suffixes in Author "
        "Names. Journal of Names 12, 3 (March 2024), 1–20. https://doi.org/10.1000/names.2024"
    ),
    "chicago": (
        "Berg, Jan van der, John Smith Jr., Jean-Luc de la Fontaine, Anna-Maria "
        "Müller-Lüdenscheidt, and The XYZ Consortium. “Particles and Suffixes in Author Names”. "
        "Journal of Names 12, no. 3 (2024): 1–20. https://doi.org/10.1000/names.2024."
    ),
    "vancouver": (
        "van der Berg J, Smith J Jr., de la Fontaine JL, Müller-Lüdenscheidt AM, The XYZ "
        "Consortium. Particles and Suffixes in Author Names. Journal of Names. "
        "2024 Mar;12(3):1–20. doi:10.1000/names.2024"
    ),
    "nature": (
        "van der Berg, J., Smith, J., Jr., de la Fontaine, J.-L., Müller-Lüdenscheidt, A.-M. & "
        "The XYZ Consortium. Particles and Suffixes in Author Names. Journal of Names 12, 1–20 "
        "(2024)."
    ),
}


@pytest.mark.parametrize("name", STYLES)
def test_each_style_writes_the_entry_by_its_own_rules(
    name: str, styles: dict[str, CSLStyle], publications: dict[str, Publication]
) -> None:
    text = to_text(styles[name].write(publications["particle2024"], "en"))
    assert text.startswith(SAMPLES[name])


@pytest.mark.parametrize("name", STYLES)
@pytest.mark.parametrize("lang", ["en", "de", "fr", "zh"])
def test_the_owner_is_bold_in_every_entry_style_and_language(
    name: str, lang: str, styles: dict[str, CSLStyle], publications: dict[str, Publication]
) -> None:
    for publication in publications.values():
        html = str(styles[name].write(publication, lang))
        owners = re.findall(r'<strong class="owner">(.*?)</strong>', html)
        assert len(owners) == 1, (publication.key, html)
        assert "Berg" in owners[0] and "J" in owners[0], html
        assert not re.search("[\ue000-\ue003]", html)  # no marker left over


def test_the_owner_bold_covers_the_whole_name_in_each_form(
    styles: dict[str, CSLStyle], publications: dict[str, Publication]
) -> None:
    forms = {
        "apa": "van der Berg, J.",
        "ieee": "J. van der Berg",
        "acm": "Jan van der Berg",
        "chicago": "Berg, Jan van der",
        "vancouver": "van der Berg J",
        "nature": "van der Berg, J.",
    }
    for name, form in forms.items():
        html = str(styles[name].write(publications["particle2024"], "en"))
        assert f'<strong class="owner">{form}</strong>' in html


def test_contribution_marks_follow_the_name_in_every_style(
    styles: dict[str, CSLStyle], publications: dict[str, Publication]
) -> None:
    for style in styles.values():
        html = str(style.write(publications["cjk2023"], "en"))
        assert re.search(r'</strong><sup class="mark">\*</sup>', html), html
        assert re.search(r'Li(, S\.| S|, Si| Si)?\.?<sup class="mark">\*</sup>', html), html


def test_an_et_al_rule_never_cuts_the_owner(
    styles: dict[str, CSLStyle], publications: dict[str, Publication]
) -> None:
    # IEEE cuts lists of 7 or more to the first author, Vancouver to 6: the owner is ninth.
    for name in ("ieee", "vancouver", "chicago"):
        text = to_text(styles[name].write(publications["many2022"], "en"))
        assert "Berg" in text
        assert "A12" not in text  # the list is still cut after the owner
    ieee = to_text(styles["ieee"].write(publications["many2022"], "en"))
    assert ieee.startswith("B. A1, B. A2,") and "J. van der Berg, et al." in ieee


def test_cjk_and_single_names_are_kept_whole(
    styles: dict[str, CSLStyle], publications: dict[str, Publication]
) -> None:
    for style in styles.values():
        text = to_text(style.write(publications["cjk2023"], "en"))
        assert "王小明" in text and "Plato" in text


def test_words_of_the_style_follow_the_language(
    styles: dict[str, CSLStyle], publications: dict[str, Publication]
) -> None:
    german = to_text(styles["ieee"].write(publications["particle2024"], "de"))
    assert "Bd. 12, Nr. 3, S. 1–20, März 2024" in german
    thesis = to_text(styles["apa"].write(publications["thesis2020"], "de"))
    assert "Dissertation" in thesis and "PhD" not in thesis
    french = to_text(styles["apa"].write(publications["cjk2023"], "fr"))
    assert "(éds.)" in french


def test_the_cv_numbers_entries_itself(
    styles: dict[str, CSLStyle], publications: dict[str, Publication]
) -> None:
    for name in ("ieee", "vancouver", "nature"):
        text = to_text(styles[name].write(publications["book2017"], "en"))
        assert not re.match(r"\[?\d+[\].]", text), text


# --- in the CV ------------------------------------------------------------------------------


def _copy(tmp_path: Path, extra: str = "", lang: str = "en") -> Path:
    data = tmp_path / "data"
    shutil.copytree(TRICKY, data)
    text = (data / "cv.yaml").read_text(encoding="utf-8").replace("lang: en", f"lang: {lang}")
    (data / "cv.yaml").write_text(text + extra, encoding="utf-8")
    return data


def test_a_styled_cv_keeps_badges_links_numbers_and_groups(tmp_path: Path) -> None:
    data = _copy(tmp_path, "  style: ieee\n")
    result = cv.build(data, tmp_path / "out", only=["html"])
    html = result.outputs[0].path.read_text(encoding="utf-8")
    assert '<span class="badge">ICML</span> S. Zhang' in html
    assert re.search(r'<a class="link-pdf"[^>]* href="https://example.org/cjk.pdf">PDF</a>', html)
    assert html.count('class="pub-entry"') == 9
    numbers = re.findall(r'pub-number">\[(\d+)\]', html)
    assert numbers == [str(n) for n in range(9, 0, -1)]  # reverse, across the groups
    assert "Journal Articles" in html and "Conference Papers" in html
    assert "<sup>*</sup> equal contribution" in html


def test_a_document_has_its_own_style_and_language(tmp_path: Path) -> None:
    extra = "documents:\n  nsf:\n    lang: de\n    publications: {style: ieee}\n"
    data = _copy(tmp_path, "  style: apa\n" + extra)
    result = cv.build(data, tmp_path / "out", only=["cv", "nsf"])
    main, nsf = (_pdf_text(output.path) for output in result.outputs)
    assert "van der Berg, J., Smith, J., Jr." in main
    assert "J. van der Berg, J. Smith Jr." in nsf
    assert "Zeitschriftenartikel" in nsf and "Journal Articles" in main


def test_the_bio_markdown_cites_in_the_style(tmp_path: Path) -> None:
    data = _copy(tmp_path, "  style: nature\n")
    (data / "publications.bib").write_text(
        (data / "publications.bib")
        .read_text(encoding="utf-8")
        .replace("year = {2020}", "year = {2020}, selected = {true}"),
        encoding="utf-8",
    )
    result = cv.build(data, tmp_path / "out", only=["md"])
    text = result.outputs[0].path.read_text(encoding="utf-8")
    assert "**van der Berg, J.** A Thesis on Things. (Delft University of Technology" in text


# --- errors ---------------------------------------------------------------------------------


def _check(data: Path) -> str:
    result = CliRunner().invoke(app, ["check", "--data", str(data)])
    assert result.exit_code == 1, result.output
    return result.stderr


def test_an_unknown_style_is_located_with_close_names(tmp_path: Path) -> None:
    data = _copy(tmp_path, "  style: ieeee\n")
    said = _check(data)
    line = said.splitlines()[0]
    assert re.match(rf"error: {re.escape(str(data / 'cv.yaml'))}:\d+:10: unknown citation", line)
    assert "did you mean ieee" in line
    assert "Traceback" not in said


def test_an_unknown_document_style_is_located_at_the_document(tmp_path: Path) -> None:
    data = _copy(tmp_path, "documents:\n  nsf:\n    publications: {style: nautre}\n")
    said = _check(data)
    assert re.search(r"cv\.yaml:\d+:\d+: unknown citation style 'nautre'.*nature", said)


def test_close_names_and_the_listing() -> None:
    assert "apa" in close_styles("apaa")
    names = style_names()
    assert {"apa", "ieee", "acm", "vancouver", "nature", "chicago"} <= set(names)
    result = CliRunner().invoke(app, ["styles"])
    assert result.exit_code == 0
    assert (
        "\napa\n" in result.stdout
        and "acm        = association-for-computing-machinery" in result.stdout
    )


CSL_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n'
MINIMAL = (
    '<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">'
    "<info><title>Mine</title><id>mine</id><updated>2024-01-01T00:00:00+00:00</updated></info>"
    '<citation><layout><text variable="title"/></layout></citation>'
    '<bibliography><layout><names variable="author"><name initialize-with=". "/></names>'
    '<text variable="title" prefix=": "/></layout></bibliography></style>'
)


def test_a_csl_file_in_the_data_folder(tmp_path: Path) -> None:
    data = _copy(tmp_path, "  style: styles/mine.csl\n")
    (data / "styles").mkdir()
    (data / "styles" / "mine.csl").write_text(CSL_HEAD + MINIMAL, encoding="utf-8")
    inputs = read_inputs(data)
    with using_style(inputs.style_for(inputs.source.record)):
        entry = format_citation(inputs.publications[0]).entry
    assert str(entry) == '<strong class="owner">J. van der Berg</strong>, R. Roe: A Preprint'


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"not xml at all", r"mine\.csl:1:1: styles/mine\.csl is not XML"),
        (CSL_HEAD.encode() + b"<style><oops></style>", r"mine\.csl:2:\d+: .*is not XML"),
        (
            b"<html><body/></html>",
            r"mine\.csl:1:1: .*is not a CSL style: its root element is <html>",
        ),
        (
            MINIMAL.replace("<bibliography><layout>", "<xbib><layout>")
            .replace("</layout></bibliography>", "</layout></xbib>")
            .encode(),
            r"mine\.csl:1:1: .*has no <bibliography>",
        ),
        (
            (
                b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
            )
            + MINIMAL.replace("<title>Mine</title>", "<title>&lol3;</title>").encode(),
            r"mine\.csl:1:1: .*declares a DTD",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            + MINIMAL.replace("<title>Mine</title>", "<title>&x;</title>").encode(),
            r"mine\.csl:1:1: .*declares a DTD",
        ),
    ],
    ids=[
        "not-xml",
        "broken-xml",
        "not-csl",
        "no-bibliography",
        "billion-laughs",
        "external-entity",
    ],
)
def test_a_broken_csl_file_is_one_located_line(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    data = _copy(tmp_path, "  style: styles/mine.csl\n")
    (data / "styles").mkdir()
    (data / "styles" / "mine.csl").write_bytes(content)
    said = _check(data)
    assert len(said.splitlines()) == 2, said  # the problem, and the count
    assert re.search(expected, said.splitlines()[0]), said
    assert "passwd" not in said and "root:" not in said


def test_a_csl_file_outside_the_data_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.csl"
    outside.write_text(CSL_HEAD + MINIMAL, encoding="utf-8")
    data = _copy(tmp_path, "  style: ../elsewhere.csl\n")
    assert re.search(r"cv\.yaml:\d+:10: the style file ../elsewhere.csl is outside", _check(data))
    (data / "linked.csl").symlink_to(outside)
    text = (data / "cv.yaml").read_text(encoding="utf-8").replace("../elsewhere.csl", "linked.csl")
    (data / "cv.yaml").write_text(text, encoding="utf-8")
    assert "is outside the data folder" in _check(data)


def test_a_fifo_and_an_oversized_csl_file_are_refused_unread(tmp_path: Path) -> None:
    data = _copy(tmp_path, "  style: pipe.csl\n")
    os.mkfifo(data / "pipe.csl")
    assert "is a named pipe" in _check(data)
    text = (data / "cv.yaml").read_text(encoding="utf-8").replace("pipe.csl", "big.csl")
    (data / "cv.yaml").write_text(text, encoding="utf-8")
    (data / "big.csl").write_bytes(b" " * 2_000_001)
    assert "larger than" in _check(data) or "too large" in _check(data)


def test_a_missing_csl_file(tmp_path: Path) -> None:
    data = _copy(tmp_path, "  style: nothing.csl\n")
    assert re.search(r"cv\.yaml:\d+:10: no style file nothing\.csl", _check(data))


def test_load_style_raises_style_errors() -> None:
    with pytest.raises(StyleError, match="unknown citation style 'zzz'"):
        load_style("zzz", TRICKY)
    with pytest.raises(CVError):
        read_inputs(TRICKY.parent / "no-such-folder")


def _pdf_text(path: Path) -> str:
    return " ".join(
        subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
        ).stdout.split()
    )


# --- BibTeX -> CSL-JSON, field by field -----------------------------------------------------

FIELDS = r"""
@inproceedings{every,
  title = {Every {Field}},
  author = {van der Berg, Jr., Jan and {The XYZ Consortium} and Lin*, Mei and Plato},
  editor = {Krause, Andreas},
  booktitle = {Proceedings of Things}, series = {Lecture Notes}, volume = {7}, number = {2},
  pages = {10--20}, chapter = {3}, edition = {2}, publisher = {Springer}, address = {Berlin},
  year = {2023}, month = {jun}, doi = {https://doi.org/10.1000/X.1}, url = {https://x.org/p},
  note = {Best paper}
}
@phdthesis{thesis, title = {T}, author = {Lin, Mei}, school = {Zeta U}, year = {2020}}
@mastersthesis{msc, title = {M}, author = {Lin, Mei}, school = {Zeta U}, type = {Diploma thesis},
  year = {2016}}
@techreport{report, title = {R}, author = {Lin, Mei}, institution = {Zeta Lab},
  number = {TR-7}, year = {2019}}
@misc{preprint, title = {P}, author = {Lin, Mei}, eprint = {2501.01234},
  archiveprefix = {arXiv}, year = {2025}}
@misc{web, title = {W}, author = {Lin, Mei}, howpublished = {\url{https://x.org/w}}, year = {2018}}
@misc{talk, title = {K}, author = {Lin, Mei}, howpublished = {Keynote at Zeta}, year = {2017}}
@article{journal, title = {J}, author = {Lin, Mei}, journal = {Zeta Letters}, volume = {5},
  number = {1}, pages = {7}}
@book{book, title = {B}, editor = {Lin, Mei}, publisher = {Zeta Press}, year = {2015}}
@incollection{chapter, title = {C}, author = {Lin, Mei}, booktitle = {Collected},
  editor = {Krause, Andreas}, pages = {1--9}, year = {2014}}
@unpublished{draft, title = {D}, author = {Lin, Mei}, note = {In preparation}, year = {2024}}
"""


@pytest.fixture(scope="module")
def items(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    from cv.bibliography import load_bibliography
    from cv.csljson import csl_item

    path = tmp_path_factory.mktemp("bib") / "fields.bib"
    path.write_text(FIELDS, encoding="utf-8")
    loaded = load_bibliography([path], highlight=["Mei Lin"])
    return {p.key: csl_item(p) for p in loaded}


def test_every_field_of_a_paper_maps(items: dict[str, dict]) -> None:
    assert items["every"] == {
        "id": "every",
        "type": "paper-conference",
        "title": "Every Field",
        "author": [
            {"family": "Berg", "given": "Jan", "non-dropping-particle": "van der", "suffix": "Jr."},
            {"literal": "The XYZ Consortium"},
            {"family": "Lin", "given": "Mei"},
            {"family": "Plato"},
        ],
        "editor": [{"family": "Krause", "given": "Andreas"}],
        "issued": {"date-parts": [[2023, 6]]},
        "container-title": "Proceedings of Things",
        "collection-title": "Lecture Notes",
        "volume": "7",
        "issue": "2",
        "page": "10-20",
        "chapter-number": "3",
        "edition": "2",
        "publisher": "Springer",
        "publisher-place": "Berlin",
        "DOI": "10.1000/X.1",
        "URL": "https://x.org/p",
        "note": "Best paper",
    }


def test_the_owner_and_marks_carry_markers_only_when_asked(
    publications: dict[str, Publication],
) -> None:
    from cv.csljson import csl_item

    item = csl_item(publications["cjk2023"], owner=("<", ">"), mark=("[", "]"))
    assert item["author"][3] == {
        "family": "<Berg>",
        "given": "<Jan>",
        "non-dropping-particle": "<van der>",
        "suffix": "[*]",
    }
    assert item["author"][4] == {"family": "Li", "given": "Si", "suffix": "[*]"}
    assert item["author"][1] == {"family": "王小明"}


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("thesis", {"type": "thesis", "publisher": "Zeta U", "genre": "PhD thesis"}),
        ("msc", {"type": "thesis", "publisher": "Zeta U", "genre": "Diploma thesis"}),
        ("report", {"type": "report", "publisher": "Zeta Lab", "number": "TR-7"}),
        (
            "preprint",
            {
                "type": "article",
                "publisher": "arXiv",
                "number": "arXiv:2501.01234",
                "URL": "https://arxiv.org/abs/2501.01234",
            },
        ),
        ("web", {"type": "article", "URL": "https://x.org/w"}),
        ("talk", {"type": "article", "publisher": "Keynote at Zeta"}),
        (
            "journal",
            {
                "type": "article-journal",
                "container-title": "Zeta Letters",
                "volume": "5",
                "issue": "1",
                "page": "7",
                "status": "forthcoming",
            },
        ),
        (
            "book",
            {
                "type": "book",
                "publisher": "Zeta Press",
                "editor": [{"family": "Lin", "given": "Mei"}],
            },
        ),
        ("chapter", {"type": "chapter", "container-title": "Collected", "page": "1-9"}),
        ("draft", {"type": "manuscript", "note": "In preparation"}),
    ],
)
def test_each_entry_type_maps(items: dict[str, dict], key: str, expected: dict) -> None:
    item = items[key]
    assert {name: item.get(name) for name in expected} == expected


def test_a_dependent_style_cites_as_its_parent(
    publications: dict[str, Publication], styles: dict[str, CSLStyle]
) -> None:
    dependent = load_style("nature-communications", TRICKY)  # a dependent style of nature
    entry = publications["particle2024"]
    assert dependent.write(entry, "en") == styles["nature"].write(entry, "en")


def test_a_dependent_csl_file_uses_its_parent_from_the_package(tmp_path: Path) -> None:
    data = _copy(tmp_path, "  style: mine.csl\n")
    (data / "mine.csl").write_text(
        '<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0"><info><title>Mine</title>'
        '<link href="http://www.zotero.org/styles/ieee" rel="independent-parent"/></info></style>',
        encoding="utf-8",
    )
    inputs = read_inputs(data)
    with using_style(inputs.style_for(inputs.source.record)):
        entry = to_text(format_citation(inputs.publications[1]).entry)
    assert entry.startswith("J. van der Berg, J. Smith Jr.")


REAL = Path(__file__).parent / "real" / "alfolio"
REAL_OWNERS = OWNERS  # the files whose owner is known (every file loads)


@pytest.mark.parametrize("bib", sorted(REAL_OWNERS))
def test_real_bibliographies_cite_in_every_style(bib: str, styles: dict[str, CSLStyle]) -> None:
    """Real al-folio bibliographies (tests/real/alfolio/SOURCES.md): no entry fails, no marker
    is left, and every entry with the owner among its authors shows the owner bold once."""
    from cv.bibliography import load_bibliography
    from cv.names import derive_highlight

    entries = load_bibliography([REAL / bib], highlight=derive_highlight(REAL_OWNERS[bib]))
    owned = [entry for entry in entries if any(a.is_owner for a in entry.authors)]
    assert owned
    for style in styles.values():
        for entry in entries:
            html = str(style.write(entry, "en"))
            assert not re.search("[\ue000-\ue003]", html), html
            if entry in owned:
                assert html.count('class="owner"') == 1, html


def test_a_group_whose_variables_are_empty_is_left_out(
    styles: dict[str, CSLStyle], publications: dict[str, Publication]
) -> None:
    # APA writes "(Publication No. 123)" for a numbered thesis; without a number, nothing.
    text = to_text(styles["apa"].write(publications["thesis2020"], "en"))
    thesis = "A Thesis on Things [PhD thesis]. Delft University of Technology."
    assert text == f"van der Berg, J. (2020). {thesis}"
    # A group of terms only (IEEE's "[Online]") stays.
    assert "[Online]. Available: https://example.org/thing" in to_text(
        styles["ieee"].write(publications["web2018"], "en")
    )


def test_a_styled_document_keeps_selected_and_forward_numbering(tmp_path: Path) -> None:
    data = _copy(tmp_path, "  style: nature\n")
    record = (
        (data / "cv.yaml").read_text("utf-8").replace("numbering: reverse", "numbering: forward")
    )
    (data / "cv.yaml").write_text(record.replace("group_by: type", "group_by: none"), "utf-8")
    bib = data / "publications.bib"
    text = bib.read_text(encoding="utf-8")
    text = text.replace("year = {2020}", "year = {2020}, selected = {true}")
    bib.write_text(text.replace("year = {2016}", "year = {2016}, selected = {true}"), "utf-8")
    extra = "documents:\n  short:\n    publications: {selected: true, style: vancouver}\n"
    (data / "cv.yaml").write_text((data / "cv.yaml").read_text("utf-8") + extra, "utf-8")
    result = cv.build(data, tmp_path / "out", only=["cv", "short"])
    full, short = (_pdf_text(output.path) for output in result.outputs)
    assert "[1] van der Berg, J. & Roe, R. A Preprint." in full and "[9]" in full
    assert "[1] van der Berg J. A Thesis on Things [PhD thesis]." in short
    assert "[2] van der Berg J. A Chapter." in short and "[3]" not in short


def test_a_style_name_is_only_ever_a_name_of_the_package() -> None:
    for name in ("../../../../etc/passwd", "/etc/passwd", "dependent/../apa", "apa\0"):
        with pytest.raises(StyleError, match="unknown citation style"):
            load_style(name, TRICKY)
    assert load_style("APA", TRICKY).xml == load_style("apa", TRICKY).xml


def test_a_style_that_fails_on_an_entry_is_a_located_error(tmp_path: Path) -> None:
    # A macro the style calls but does not define: citeproc-py fails on every entry.
    broken = MINIMAL.replace('<text variable="title" prefix=": "/>', '<text macro="nowhere"/>')
    data = _copy(tmp_path, "  style: mine.csl\n")
    (data / "mine.csl").write_text(broken, encoding="utf-8")
    result = CliRunner().invoke(app, ["build", "--data", str(data), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    line = result.stderr.splitlines()[0]
    assert re.match(rf"error: {re.escape(str(data / 'cv.yaml'))}:\d+:10: the style mine.csl", line)
    assert "cannot cite entry" in line and "Traceback" not in result.output
    assert not (tmp_path / "o").exists()


def test_ordinals_and_dates_follow_the_locale(
    styles: dict[str, CSLStyle], publications: dict[str, Publication]
) -> None:
    book = publications["book2017"]
    assert "(2nd ed.)" in to_text(styles["apa"].write(book, "en"))
    assert "(2. Aufl.)" in to_text(styles["apa"].write(book, "de"))
    assert "2ᵉ éd." in to_text(styles["vancouver"].write(book, "fr"))
    assert "2024 Mar;12(3)" in to_text(
        styles["vancouver"].write(publications["particle2024"], "en")
    )


@pytest.mark.parametrize("style", ["apa", "ieee"])
def test_an_identifier_the_style_prints_is_not_printed_again_below_it(
    tmp_path: Path, style: str
) -> None:
    """A style that writes the DOI ("https://doi.org/10.…", "doi: 10.…") leaves the links under
    the entry with the DOI's name only, not the identifier a second time."""
    result = cv.build(_copy(tmp_path, f"  style: {style}\n"), tmp_path / "out", only=["html"])
    html = result.outputs[0].path.read_text(encoding="utf-8")
    entries = re.findall(
        r'<div class="pub-entry">(.*?)</div>\s*<div class="entry-links[^"]*">(.*?)</div>',
        html,
        re.S,
    )
    printed = [(entry, links) for entry, links in entries if "10.1000/names.2024" in entry]
    assert printed, entries
    for _, links in printed:
        assert "10.1000/names.2024" not in re.sub(r'href="[^"]*"', "", links), links


# --- entries kept for the next build (cv.cache) -----------------------------------------------


def _new_process(monkeypatch: pytest.MonkeyPatch, cache: Path) -> None:
    """What a new process starts with: no entry in memory, ``cache`` as the cache folder."""
    import cv.csl as module

    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setattr(module, "_WRITTEN", {})
    monkeypatch.setattr(module, "_CHANGED", set())


def _never_run(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("citeproc-py ran: the kept entry was not used")


def test_entries_a_style_wrote_are_read_back_by_the_next_build_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, publications: dict[str, Publication]
) -> None:
    import cv.csl as module

    style = load_style("apa", TRICKY)
    _new_process(monkeypatch, tmp_path)
    first = {key: style.write(p, "de") for key, p in publications.items()}
    module.keep_written()
    _new_process(monkeypatch, tmp_path)
    monkeypatch.setattr(module, "engine", _never_run)
    again = {key: style.write(p, "de") for key, p in publications.items()}
    assert again == first
    assert all(isinstance(html, Markup) for html in again.values())  # safe HTML, as written
    with pytest.raises(CVError):  # another language is not one of them: it is written anew
        style.write(next(iter(publications.values())), "fr")


def test_a_kept_entry_is_not_used_by_another_style_or_changed_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, publications: dict[str, Publication]
) -> None:
    import cv.csl as module

    paper = next(iter(publications.values()))
    _new_process(monkeypatch, tmp_path)
    load_style("apa", TRICKY).write(paper, "en")
    module.keep_written()
    _new_process(monkeypatch, tmp_path)
    written = []
    real_engine = module.engine

    def counted(*args: object) -> object:
        written.append(args[0])
        return real_engine(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(module, "engine", counted)
    load_style("ieee", TRICKY).write(paper, "en")
    assert len(written) == 1, "IEEE used APA's entry"
    _new_process(monkeypatch, tmp_path)
    monkeypatch.setattr(module, "engine", counted)
    monkeypatch.setattr(module, "_salt", lambda: "cv and citeproc-py changed")
    load_style("apa", TRICKY).write(paper, "en")
    assert len(written) == 2, "an entry written by other code was used"


@pytest.mark.parametrize("kept", [b"", b"\x00garbage", "a list", "not text", "bytes"])
def test_a_damaged_file_of_kept_entries_is_written_anew(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    publications: dict[str, Publication],
    kept: bytes | str,
) -> None:
    import marshal

    import cv.csl as module
    from cv.cache import cache_folder

    paper = next(iter(publications.values()))
    style = load_style("apa", TRICKY)
    _new_process(monkeypatch, tmp_path)
    expected = style.write(paper, "en")
    module.keep_written()
    (file,) = cache_folder("citations").glob("*.marshal")
    entries = marshal.loads(file.read_bytes())
    if kept == "a list":
        file.write_bytes(marshal.dumps(list(entries.values())))
    elif kept == "not text":  # the entry's own key, with a number where its HTML goes
        file.write_bytes(marshal.dumps(dict.fromkeys(entries, 1)))
    elif kept == "bytes":  # bytes where its HTML goes: only text is read back
        file.write_bytes(marshal.dumps(dict.fromkeys(entries, b"<script>x</script>")))
    else:
        file.write_bytes(kept)  # type: ignore[arg-type]
    _new_process(monkeypatch, tmp_path)
    assert style.write(paper, "en") == expected
