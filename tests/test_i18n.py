"""Tests for cv.i18n and cv.texts: the CV's fixed words and dates in the reader's language.

A German, a French and a Chinese CV are built from one record whose own texts are given in
each language, and read back with pdftotext: none may carry an English fixed word of cv.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
import yaml
from babel import Locale
from typer.testing import CliRunner

import cv
from cv import i18n
from cv.cli import app
from cv.dates import format_range, parse_date
from cv.loader import load_record
from cv.sections.registry import SECTIONS

from .test_sandbox import BASE, SECRET, refused, with_template

RECORD = """\
name: Mei Lin
lang: {lang}
headline: {{en: Professor, de: Professorin, fr: Professeure, zh: 教授}}
affiliation: Universität Zeta
contact: {{email: mei@example.org}}
about: {{en: Research., de: Forschung., fr: Recherche., zh: 研究。}}
interests: [{{en: Robots, de: Roboter, fr: Robots, zh: 机器人}}]
experience:
  - role: {{en: Professor, de: Professorin, fr: Professeure, zh: 教授}}
    organization: Universität Zeta
    advisor: Rho Kappa
    start: 2019-09
    end: present
  - role: {{de: Postdoc, fr: Postdoc, zh: 博士后}}
    organization: Zeta Lab
    start: Spring 2016
    end: 2019-08
education:
  - degree: {{de: Promotion, fr: Doctorat, zh: 博士}}
    institution: Universität Zeta
    advisor: Rho Kappa
    thesis: Upsilon
    start: 2012
    end: 2016
awards:
  - title: Zeta Prize
    date: 2021-03-15
internships:
  - organization: Zeta Lab
    mentor: Rho Kappa
    start: 2015-06
    end: 2015-09
grants:
  - title: Zeta Omega
    funder: Zeta
    number: "42"
    investigators: [Mei Lin, Rho Kappa]
    start: 2020
    end: 2023
supervision:
  - name: Tau Phi
    level: PhD
    role: co-advisor
    thesis: Omega
    next: Zeta Lab
    start: 2018
    end: 2022
  - {{name: Chi Psi, level: Postdoc, start: 2021, end: present}}
teaching:
  - course: {{de: Robotik, fr: Robotique, zh: 机器人学}}
    term: 2022/23 Fall
publications:
  bibtex: [publications.bib]
  scholar: gs_data.json
{style}"""

BIB = """\
@article{a2024, title = {Zeta Omega}, author = {Lin*, Mei and Kappa*, Rho},
  journal = {Zeta Lambda}, volume = {12}, number = {3}, pages = {1--20}, year = {2024},
  google_scholar_id = {ABCDEFGHIJK:qjMakFHDy7sC}, code = {https://example.org/c},
  slides = {https://example.org/s}, video = {https://example.org/v}}
@inproceedings{b2023, title = {Sigma Tau}, author = {Kappa, Rho and Lin, Mei},
  booktitle = {Delta Symposium}, editor = {Phi, Chi and Psi, Xi}, volume = {7},
  series = {Delta Series}, pages = {5--9}, year = {2023}}
@phdthesis{c2016, title = {Upsilon}, author = {Lin, Mei}, school = {Universität Zeta},
  year = {2016}}
@techreport{d2015, title = {Nu Xi}, author = {Lin, Mei}, institution = {Zeta Lab},
  number = {7}, year = {2015}}
@book{e2014, title = {Pi Rho}, author = {Lin, Mei}, publisher = {Zeta Press}, edition = {2},
  year = {2014}}
@incollection{f2013, title = {Chi Psi}, author = {Lin, Mei and Kappa, Rho and Beta, Gamma and
  Eta, Iota and Mu, Nu and Omicron, Pi and Rho, Sigma and Tau, Upsilon and Phi, Chi and
  Psi, Omega and Alpha, Beta}, booktitle = {Omega Volume}, chapter = {3}, pages = {7},
  year = {2013}}
@misc{g2025, title = {Omega Alpha}, author = {Lin, Mei}, eprint = {2501.01234},
  archiveprefix = {arXiv}}
"""

SNAPSHOT = {
    "name": "Mei Lin",
    "citedby": 1234,
    "hindex": 12,
    "i10index": 15,
    "updated": "2026-11-01 08:00:00",
    "publications": {
        "ABCDEFGHIJK:qjMakFHDy7sC": {
            "bib": {"title": "Zeta Omega", "pub_year": "2024"},
            "num_citations": 321,
            "author_pub_id": "ABCDEFGHIJK:qjMakFHDy7sC",
        }
    },
}


def record(tmp_path: Path, lang: str, style: str = "") -> Path:
    data = tmp_path / f"data-{lang}-{style or 'cv'}"
    data.mkdir()
    extra = f"  style: {style}\n" if style else ""
    (data / "cv.yaml").write_text(RECORD.format(lang=lang, style=extra), encoding="utf-8")
    (data / "publications.bib").write_text(BIB, encoding="utf-8")
    (data / "gs_data.json").write_text(json.dumps(SNAPSHOT), encoding="utf-8")
    return data


def english_words(lang: str) -> list[str]:
    """cv's English fixed words, less those the other language writes the same ("In", "Aug")."""
    table = i18n.words("en")
    phrases = [re.sub(r"\{\w+\}", "|", text) for text in table.values()]
    phrases += [i18n.kind_title(kind, "en") for kind in ("journal", "conference", "book")]
    phrases += [kind.title for kind in SECTIONS]
    months = ["January", "February", "March", "April", "June", "July", "August"]
    months += ["September", "October", "November", "December"]
    phrases += months + [month[:3] for month in months] + ["Sept", "Forthcoming"]
    own = " ".join(i18n.words(lang).values()) + " " + " ".join(i18n._table(lang)["kinds"].values())
    cldr = Locale.parse(lang)
    for width in ("wide", "abbreviated"):
        own += " " + " ".join(cldr.months["format"][width].values())
    found = set()
    for phrase in phrases:
        for part in phrase.split("|"):
            part = part.strip(" :,·–()")
            if re.search(r"[A-Za-z]{2}", part) and part not in own:
                found.add(part)
    return sorted(found)


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True)
    return " ".join(out.stdout.split())


@pytest.mark.parametrize("lang", ["de", "fr", "zh"])
@pytest.mark.parametrize("style", ["", "ieee"])
def test_a_cv_in_another_language_has_no_english_fixed_word(
    tmp_path: Path, lang: str, style: str
) -> None:
    data = record(tmp_path, lang, style)
    result = cv.build(data, tmp_path / "out", only=["cv", "html", "bio", "md"])
    made = {output.path.name: output.path for output in result.outputs}
    text = pdf_text(made["cv.pdf"]) + " " + pdf_text(made["bio.pdf"])
    text += " " + made["bio.md"].read_text(encoding="utf-8")
    html = made["cv.html"].read_text(encoding="utf-8")
    # The bio's sentences written from the record are English; another language keeps its own.
    assert not re.search(r"\bis an?\b|\bEarlier\b", text), text
    visible = re.sub(r"<[^>]+>", " ", re.sub(r"<(style|script)\b.*?</\1>", "", html, flags=re.S))
    # The style's own text, not a word of cv: IEEE writes a series' volume as prefix="vol. ".
    allowed = {"vol."} if style == "ieee" else set()
    for word in set(english_words(lang)) - allowed:
        pattern = rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])"
        assert not re.search(pattern, text), (word, text)
        assert not re.search(pattern, visible), word
    assert i18n.word("cited_by", lang) in text  # the words are there, in the language
    assert i18n.word("page", lang).split("{")[0].strip() in text or lang == "zh"
    assert f'<html lang="{lang}">' in html  # hyphenation follows it


@pytest.mark.parametrize("lang", ["de", "fr", "zh"])
def test_the_word_document_has_no_english_fixed_word_either(tmp_path: Path, lang: str) -> None:
    import docx

    result = cv.build(record(tmp_path, lang), tmp_path / "out", only=["docx"])
    document = docx.Document(str(result.outputs[0].path))
    text = " ".join(paragraph.text for paragraph in document.paragraphs)
    for word in english_words(lang):
        assert not re.search(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", text), (word, text)
    assert i18n.word("last_updated", lang).split("{")[0].strip() in text
    assert i18n.word("research_interests", lang) in text
    assert document.core_properties.title.endswith(i18n.word("cv_title", lang))


def test_a_german_cv_reads_german(tmp_path: Path) -> None:
    result = cv.build(record(tmp_path, "de"), tmp_path / "out", only=["cv"])
    text = pdf_text(result.outputs[0].path)
    for expected in (
        "Sept. 2019 – heute",
        "Frühjahr 2016 – Aug. 2019",
        "15. März 2021",
        "2022/23 Herbst",
        "Beruflicher Werdegang",
        "Zeitschriftenartikel",
        "Zeta Lambda 12(3), 1–20",
        "Delta Symposium, Bd. 7 von Delta Series, S. 5–9",
        "herausgegeben von",
        "Bd. 7 von Delta Series",
        "Dissertation, Universität Zeta",
        "Technischer Bericht 7",
        "2. Aufl.",
        "Kap. 3",
        "u. a.",
        "gleicher Beitrag",
        "Zitiert von 321",
        "1.234 Zitationen",
        "Seite 1 von",
        "Stand:",
        "Professorin",
        "Roboter",
    ):
        assert expected in text, expected


def test_a_chinese_cv_dates_and_page_footer(tmp_path: Path) -> None:
    result = cv.build(record(tmp_path, "zh"), tmp_path / "out", only=["cv"])
    text = pdf_text(result.outputs[0].path)
    for expected in (
        "2019年9月 – 至今",
        "2021年3月15日",
        "第 1 页，共",
        "期刊论文",
        "教授",
        "被引 321",
    ):
        assert expected in text, expected


def test_english_stays_as_it_was(tmp_path: Path) -> None:
    result = cv.build(record(tmp_path, "en"), tmp_path / "out", only=["cv"])
    text = pdf_text(result.outputs[0].path)
    for expected in ("Sep 2019 – present", "Mar 15, 2021", "Page 1 of", "Last updated:"):
        assert expected in text
    assert "Professor" in text and "Professorin" not in text


# --- dates, words, tags ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["2024", "Jan 2024", "Mar 15, 2024", "Spring 2023", "2022/23", "present"]),
        ("de", ["2024", "Jan. 2024", "15. März 2024", "Frühjahr 2023", "2022/23", "heute"]),
        ("fr", ["2024", "janv. 2024", "15 mars 2024", "Printemps 2023", "2022/23", "aujourd’hui"]),
        ("ja", ["2024", "2024年1月", "2024年3月15日", "2023年春", "2022/23", "現在"]),
        ("ko", ["2024", "2024년 1월", "2024년 3월 15일", "2023년 봄", "2022/23", "현재"]),
    ],
)
def test_dates_in_each_language(lang: str, expected: list[str]) -> None:
    written = ["2024", "Jan 2024", "2024-03-15", "Spring 2023", "2022/23", "present"]
    with i18n.language(lang):
        assert [str(parse_date(value)) for value in written] == expected


def test_a_range_and_its_end_in_the_language() -> None:
    with i18n.language("es"):
        assert format_range(parse_date("2019-09"), parse_date("now")) == "sept 2019 – actualidad"


def test_every_table_has_every_word_and_section() -> None:
    keys = set(i18n.words("en"))
    for lang in i18n.TABLES:
        table = i18n._table(lang)
        assert set(table["words"]) == keys, lang
        assert set(table["kinds"]) == set(i18n._table("en")["kinds"]), lang
        if lang != "en":
            assert set(table["sections"]) == {kind.key for kind in SECTIONS}, lang


def test_the_tables_ship_in_the_package() -> None:
    folder = Path(i18n.__file__).parent / "locales"
    assert sorted(p.stem for p in folder.glob("*.yaml")) == sorted(i18n.TABLES)
    for path in folder.glob("*.yaml"):
        assert isinstance(yaml.safe_load(path.read_text(encoding="utf-8")), dict)


def test_the_page_footer_is_css_made_from_the_table_only() -> None:
    assert str(
        i18n.page_counter_css("ko")
    ) == '"" counter(pages) "쪽 중 " counter(page) "쪽"'.replace('"" ', "")
    assert str(i18n.page_counter_css("de")) == '"Seite " counter(page) " von " counter(pages)'


def _check(tmp_path: Path, text: str) -> tuple[int, str]:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    (data / "cv.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    (data / "publications.bib").write_text("", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", "--data", str(data)])
    return result.exit_code, result.stderr


def test_an_unknown_language_is_a_located_error(tmp_path: Path) -> None:
    code, said = _check(tmp_path, "name: A\nlang: xx-Zzzz\n")
    assert code == 1
    assert re.search(
        r"cv\.yaml:2:7: lang: 'xx-Zzzz' is not valid: 'xx-Zzzz' is not a language", said
    )
    code, said = _check(tmp_path, "name: A\nlang: 'english'\n")
    assert code == 1 and "expected a language tag" in said


def test_a_language_without_a_table_warns_and_falls_back_to_english(tmp_path: Path) -> None:
    code, said = _check(tmp_path, "name: A\nlang: nl\n")
    assert code == 0
    assert re.search(r"warning: .*cv\.yaml:2:7: lang 'nl' has no table of cv's fixed words", said)
    with i18n.language("nl"):
        assert i18n.word("present") == "present"
        assert str(parse_date("Jan 2024")) == "jan 2024"  # CLDR still knows Dutch months


def test_the_words_templates_get_are_plain_strings() -> None:
    for lang in i18n.TABLES:
        for key, value in i18n.template_words(lang).items():
            assert type(value) is str or key == "page_css", key


# --- texts in several languages ---------------------------------------------------------------


def test_a_text_in_several_languages_is_read_in_the_documents_language(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "publications.bib").write_text("", encoding="utf-8")
    (data / "cv.yaml").write_text(
        "name: A\nlang: de-AT\nheadline: {en: Professor, de: Professorin}\n"
        "interests: [{fr: Robots, en: Robots EN}]\n"
        "documents:\n  en-cv: {lang: en}\n  pt-cv: {lang: pt-BR}\n",
        encoding="utf-8",
    )
    source = load_record(data)
    assert source.record.headline == "Professorin"  # de-AT -> de
    assert source.record.interests == ["Robots"]  # no German: the first given
    assert source.record_in("en").headline == "Professor"
    assert source.record_in("en").interests == ["Robots EN"]
    assert source.record_in("pt-BR").headline == "Professor"  # the first given


def test_a_document_in_another_language(tmp_path: Path) -> None:
    data = record(tmp_path, "de")
    with (data / "cv.yaml").open("a", encoding="utf-8") as file:
        file.write("documents:\n  cv-fr: {lang: fr}\n")
    result = cv.build(data, tmp_path / "out", only=["cv", "cv-fr"])
    german, french = (pdf_text(output.path) for output in result.outputs)
    assert "Professorin" in german and "Beruflicher Werdegang" in german
    assert "Professeure" in french and "Parcours professionnel" in french
    assert "Professorin" not in french


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("{}", r"cv\.yaml:2:11: headline: the mapping names no language"),
        (
            "{en: A, english: B}",
            r"cv\.yaml:2:19: headline\.english: 'english' is not a language tag",
        ),
        ("{en: A, de: [B]}", r"cv\.yaml:2:19: headline\.de: 'de' is not a text but list"),
        ("{xx: A}", r"cv\.yaml:2:11: headline: expected text, got a mapping"),
    ],
)
def test_a_text_mapping_without_languages_is_a_located_error(
    tmp_path: Path, value: str, expected: str
) -> None:
    code, said = _check(tmp_path, f"name: A\nheadline: {value}\n")
    assert code == 1
    assert re.search(expected, said.splitlines()[0]), said


def test_a_mapping_where_no_text_goes_is_not_read_as_texts(tmp_path: Path) -> None:
    code, said = _check(tmp_path, "name: A\nbio: {en: x}\n")
    assert code == 1 and "unknown key 'en' in bio" in said


def test_a_hostile_lang_never_reaches_the_css_or_the_html(tmp_path: Path) -> None:
    for value in ['"de\\"; } body { display: none"', "'de</style><script>'", "'en-US-x-\"'"]:
        code, said = _check(tmp_path, f"name: A\nlang: {value}\n")
        assert code == 1 and "cv.yaml:2:7: lang:" in said, said
    # The footer's CSS is made from the package's tables only, each piece a CSS string.
    for lang in i18n.TABLES:
        css = str(i18n.page_counter_css(lang))
        assert re.fullmatch(
            r'(?:"[^"\\<>{};]*"|counter\(pages?\))(?: (?:"[^"\\<>{};]*"|counter\(pages?\)))*', css
        ), css


# --- what templates get: words, plain strings ---------------------------------------------

WORD_ESCAPES = {
    "mutation": "{{ words.update({'cited_by': 'x'}) }}",
    "dict-class": "{{ words.__class__.__mro__ }}",
    "str-class": "{{ words.cited_by.__class__.__mro__[1].__subclasses__() }}",
    "markup-internals": "{{ words.page_css.__html_format__ }}",
    "format-attribute": "{{ '{0.__class__.__init__.__globals__}'.format(words.lang) }}",
}


@pytest.fixture
def themed(tmp_path: Path) -> Path:
    """A data folder for a user's template, with a secret beside it (as test_sandbox's)."""
    folder = tmp_path / "data"
    shutil.copytree(BASE, folder)
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    return folder


@pytest.mark.parametrize("name", sorted(WORD_ESCAPES))
def test_the_words_give_a_template_nothing_to_escape_with(
    name: str, themed: Path, tmp_path: Path
) -> None:
    with_template(themed, WORD_ESCAPES[name])
    refused(themed, tmp_path)


def test_a_template_reads_the_words(themed: Path, tmp_path: Path) -> None:
    data = themed
    with_template(data, "<p id=w>{{ words.cited_by }} / {{ words.page }}</p>")
    result = CliRunner().invoke(
        app, ["build", "--data", str(data), "--out", str(tmp_path / "out"), "-q", "--only", "html"]
    )
    assert result.exit_code == 0, result.output
    html = (tmp_path / "out" / "cv.html").read_text(encoding="utf-8")
    assert "<p id=w>Cited by / Page {page} of {pages}</p>" in html
