"""AcadHomepage in and out: the seed homepage, sections by heading, paper boxes, round trips."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader
from typer.testing import CliRunner

import cv
from cv.bibliography import load_bibliography
from cv.cli import app
from cv.errors import CVError
from cv.interop.acadhomepage import import_acadhomepage, read_acadhomepage
from cv.interop.acadhomepage_export import export_acadhomepage
from cv.interop.files import dump_bibtex, dump_record, load_for_export, record_form, write_import
from cv.interop.text import looks_garbled, repair_mojibake
from cv.loader import load_record
from cv.model import MAX_CUSTOM, Record

from .conftest import EXAMPLE

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "interop"
SEED = FIXTURES / "homepage-about.md"  # the example's homepage, byte for byte
MOJIBAKE = ("ğŸ", "â€", "Ã", "ï¬", "Â")
runner = CliRunner()


def _squash(text: str) -> str:
    return re.sub(r"[\s-]+", "", text)


def _page(text: str) -> str:
    return textwrap.dedent(text).lstrip()


# --- the seed homepage ------------------------------------------------------------------------


def test_seed_keeps_every_news_item_position_teaching_term_and_award() -> None:
    record = Record.model_validate(read_acadhomepage(SEED).record)
    assert [str(n.date.text) for n in record.news] == [
        "2024-01",
        "2024-01",
        "2023-10",
        "2023-09",
        "2023-02",
        "2022-12",
        "2022-10",
        "2022-05",
        "2022-03",
        "2021-07",
        "2020-10",
    ]
    assert record.news[0].text.startswith(
        'Our paper "FedImpro: Measuring and Improving Client Update'
    )
    assert "[code](https://github.com/wizard1203/FedImpro)" in record.news[0].text
    assert [(e.start.text, e.end.text, e.role, e.organization) for e in record.experience] == [  # type: ignore[union-attr]
        (
            "2023-09",
            "present",
            "Visiting Researcher",
            "The Hong Kong University of Science and Technology (Guangzhou)",
        ),
        ("2023-02", "2023-05", "Visiting Researcher", "National University of Singapore"),
        ("2022-06", "2022-10", "Research Intern", "FedML Inc"),
        ("2018-10", "2020-09", "Research Assistant", "Hong Kong Baptist University"),
    ]
    assert (
        record.experience[2].url,
        record.experience[2].advisor,
        record.experience[2].advisor_url,
    ) == ("https://www.fedml.ai/", "Dr. Chaoyang He", "https://chaoyanghe.com/")
    assert [(t.term.text, t.course) for t in record.teaching] == [
        ("Spring 2023", "COMP7940 Cloud Computing"),
        ("Fall 2022", "COMP7015 Artificial Intelligence"),
        ("Spring 2022", "COMP 7550 IT Project Management"),
        ("Fall 2021", "COMP 7015 Artificial Intelligence"),
        ("Spring 2021", "COMP 7930 Big Data Analytics"),
    ]
    assert {(t.role, t.institution) for t in record.teaching} == {("Teaching Assistant", "HKBU")}
    assert [(a.date.text, a.title, a.organization) for a in record.awards] == [
        ("2022/23", "Research Performance Award", "HKBU CS Department"),
        ("2022/23 Fall", "Teaching Performance Award", "HKBU CS Department"),
        ("2021/22", "Research Performance Award", "HKBU CS Department"),
        ("2021/22 Fall", "Teaching Performance Award", "HKBU CS Department"),
        (
            "2020",
            "Scholarship for Nominees of Hong Kong PhD Fellowship Scheme",
            "HKBU CS Department",
        ),
        ("2018", "Outstanding Graduate", "HUST"),
        ("2016", "Scholarship of Academic Excellence", "HUST"),
    ]
    assert record.awards[0].url == "https://www.comp.hkbu.edu.hk/v1/?pid=48"
    assert [s.role for s in record.service] == [
        "Invited Program Committee Member (Reviewer)",
        "Invited Reviewer for Journals",
    ]
    assert [(g.label, len(g.venues)) for g in record.service[0].groups] == [
        ("Machine Learning", 9),
        ("Systems", 3),
    ]
    assert len(record.service[1].venues) == 9
    assert [i.title for i in record.interests] == [
        "ML optimization",
        "Efficient inference",
        "LLM enhancement",
    ]  # type: ignore[union-attr]
    assert record.about and record.about.startswith("Democratizing Machine learning needs")


def test_seed_has_no_mojibake_and_no_placeholders_left() -> None:
    imported = read_acadhomepage(SEED)
    text = dump_record(imported.record) + dump_bibtex(imported.entries)
    for garbled in MOJIBAKE:
        assert garbled not in text
    assert not looks_garbled(text)
    assert "“NAS-LID: Efficient Neural Architecture Search with Local Intrinsic Dimension”" in text
    assert "COMP7015 Artificial Intelligence" in text
    assert "lorem" not in text.lower()
    assert "Deep Residual Learning" not in text  # the template's sample paper
    assert imported.entries == []


def test_seed_notes_and_warnings_name_their_lines() -> None:
    notices = [n.format("about.md") for n in read_acadhomepage(SEED).notices]
    assert notices[0].startswith("warning: about.md: no name found")
    assert "note: about.md:34: repaired garbled characters (mojibake) on 18 lines" in notices
    sample = "Deep Residual Learning for Image Recognition"
    assert f"note: about.md:99: skipped the template's sample paper ({sample})" in notices
    lorem = [n for n in notices if "Lorem ipsum" in n]
    assert [n.split(":")[2] for n in lorem] == [
        "107",
        "111",
        "114",
        "115",
        "118",
        "119",
        "122",
        "123",
        "126",
    ]
    assert not [n for n in notices if n.startswith("warning") and "no name" not in n]


def test_seed_import_builds_with_every_item_in_the_pdf(tmp_path: Path) -> None:
    data = tmp_path / "data"
    write_import(read_acadhomepage(SEED), data)
    result = cv.build(data, tmp_path / "out", only=["cv", "html"], today=dt.date(2026, 1, 1))
    pdf = next(output.path for output in result.outputs if output.path.suffix == ".pdf")
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    squashed = _squash(text)  # lines may break inside words, at hyphens
    # News is short on paper (the latest 5); cv.html keeps every item.
    page = (tmp_path / "out" / "cv.html").read_text(encoding="utf-8")
    web = _squash(" ".join(re.sub(r"<[^>]+>", " ", page.split("<body", 1)[1]).split()))
    for news in (
        "FedImpro: Measuring",
        "Real-World Workload Study",
        "In-Memory Fault Tolerance",
        "FusionAI",
        "FedML Parrot",
        "GossipFL",
        "NAS-LID",
        "Virtual Homogeneity Learning",
        "FedCV",
        "Data Resampling",
        "Quantitative Survey",
    ):
        assert _squash(news) in web, news
    assert squashed.count("VisitingResearcher") == 2
    for item in (
        "Research Intern",
        "Research Assistant",
        "COMP7940 Cloud Computing",
        "COMP7015 Artificial Intelligence",
        "COMP 7550 IT Project Management",
        "COMP 7015 Artificial Intelligence",
        "COMP 7930 Big Data Analytics",
        "Outstanding Graduate",
        "Scholarship of Academic Excellence",
        "Hong Kong PhD Fellowship Scheme",
    ):
        assert _squash(item) in squashed, item
    assert squashed.count("ResearchPerformanceAward") == 2
    assert squashed.count("TeachingPerformanceAward") == 2
    for garbled in MOJIBAKE:
        assert garbled not in text


# --- reading sections -------------------------------------------------------------------------


def test_sections_are_found_by_their_words_whatever_the_emoji() -> None:
    page = _page("""
        # 🏆 Honours
        - *2021*, Best Paper Award, ICML
        # 👨‍🏫 Teaching Experience
        - Fall 2020, Instructor, CS101 Intro to Programming, Example University
        # 🎤 Selected Talks
        - *2022.05*, "Scaling laws", NeurIPS Workshop · Vancouver \\| [\\[video\\]](https://v.example/1)
        # Academic Service
        - Reviewer: NeurIPS, ICML, ICLR
        # 🎓 Education
        - *2015.09 - 2019.06*, B.Sc. in Physics, Example University · Paris, advised by Prof. X
            - Thesis: *On waves*
        # Research Internships
        - *2019.05 - 2019.08*, Research Intern at [Lab Y](https://lab.example), Zürich, mentored by Dr. Z
        """)  # noqa: E501
    imported = import_acadhomepage(page)
    record = Record.model_validate(imported.record)
    assert [(a.date.text, a.title, a.organization) for a in record.awards] == [
        ("2021", "Best Paper Award", "ICML")
    ]
    assert [(t.term.text, t.role, t.course, t.institution) for t in record.teaching] == [
        ("Fall 2020", "Instructor", "CS101 Intro to Programming", "Example University")
    ]
    talk = record.talks[0]
    assert (talk.date.text, talk.title, talk.event, talk.location, talk.video) == (
        "2022-05",
        "Scaling laws",
        "NeurIPS Workshop",
        "Vancouver",
        "https://v.example/1",
    )
    assert [(s.role, s.venues) for s in record.service] == [
        ("Reviewer", ["NeurIPS", "ICML", "ICLR"])
    ]
    school = record.education[0]
    assert (
        school.degree,
        school.field,
        school.institution,
        school.location,
        school.advisor,
        school.thesis,
    ) == ("B.Sc.", "Physics", "Example University", "Paris", "Prof. X", "On waves")
    intern = record.internships[0]
    assert (intern.role, intern.organization, intern.url, intern.location, intern.mentor) == (
        "Research Intern",
        "Lab Y",
        "https://lab.example",
        "Zürich",
        "Dr. Z",
    )
    # the homepage's order and its own titles
    assert imported.record["sections"][:7] == [
        "about",
        {"awards": {"title": "Honours"}},
        {"teaching": {"title": "Teaching Experience"}},
        {"talks": {"title": "Selected Talks"}},
        {"service": {"title": "Academic Service"}},
        "education",  # the CV's own title
        {"internships": {"title": "Research Internships"}},
    ]
    assert [n for n in imported.notices if n.level == "warning" and "name" not in n.message] == []


def test_what_is_not_understood_is_kept_as_text_with_a_warning_naming_the_line() -> None:
    page = _page("""
        Intro text.

        # News
        - [2024.01] A dated item
        - An undated item, still news

        # Hobbies
        Hiking, and a thing we built.
        More of it.

        # Teaching
        - Helped with the robotics club

        # Awards
        - Best poster award
        """)
    imported = import_acadhomepage(page)
    warnings = {n.line: n.message for n in imported.notices if n.level == "warning"}
    assert warnings[5].startswith(
        "news item without a date at its start; kept as text in `about` under 'News'"
    )
    # a section none of whose items reads as the section's stays in its place, as written
    assert warnings[11] == (
        "section 'Teaching': no item reads as teaching (teaching item without a term or year);"
        " it is a section of its own, as written"
    )
    assert warnings[14].startswith("section 'Awards': no item reads as honors and awards (award")
    assert "**News**\n\n- An undated item, still news" in imported.record["about"]
    custom = imported.record["custom"]
    assert custom["custom_teaching"]["entries"] == [{"title": "Helped with the robotics club"}]
    assert custom["custom_awards"] == {
        "title": "Awards",
        "entries": [{"title": "Best poster award"}],
    }
    assert imported.record["sections"][:5] == [
        "about",
        "news",
        "hobbies",
        "custom_teaching",
        "custom_awards",
    ]
    # a heading no section takes is a section of the page's own, its text an entry, not About
    assert imported.record["custom"]["hobbies"]["entries"] == [
        {"title": "Hiking, and a thing we built. More of it"}
    ]
    assert [n["text"] for n in imported.record["news"]] == ["A dated item"]


def test_paper_boxes_and_publication_lines_become_bibtex(tmp_path: Path) -> None:
    page = _page("""
        # 📝 Publications

        <div class='paper-box'><div class='paper-box-image'><div><div class="badge">NeurIPS 2023</div><img src='images/fast.png' alt="sym" width="100%"></div></div>
        <div class='paper-box-text' markdown="1">

        [Fast Things: Going Quicker](https://arxiv.org/abs/2301.01234)

        Ann Lee\\*, **Jo Park**\\*, Sam Wu

        [**Code**](https://github.com/x/fast) [**Project**](https://fast.example) <strong><span class='show_paper_citations' data='USERabcAAAAJ:PUB123'></span></strong>
        - Oral presentation (top 1%)
        </div>
        </div>

        - [Slow Things](https://example.org/slow.pdf), J. Park, A. Lee, **TPAMI 2021**
        - Some talk I gave once
        """)  # noqa: E501
    imported = import_acadhomepage(page)
    assert imported.record["name"] == "Jo Park"  # the bold author, with no _config.yml
    assert imported.record["contact"]["google_scholar"] == "USERabcAAAAJ"
    assert "highlight" not in imported.record["publications"]  # the bold name is the name
    fast, slow = imported.entries
    assert fast.entry_type == "inproceedings" and fast.key == "lee2023fast"
    assert fast.fields["abbr"] == "NeurIPS" and fast.fields["year"] == "2023"
    assert fast.fields["author"] == "Ann Lee* and Jo Park* and Sam Wu"
    assert (fast.fields["code"], fast.fields["website"], fast.fields["google_scholar_id"]) == (
        "https://github.com/x/fast",
        "https://fast.example",
        "PUB123",
    )
    assert fast.fields["arxiv"] == "2301.01234" and fast.fields["preview"] == "images/fast.png"
    assert fast.fields["annotation"] == "Oral presentation (top 1\\%)"
    assert (
        slow.entry_type == "article"
        and slow.fields["abbr"] == "TPAMI"
        and slow.fields["year"] == "2021"
    )
    warnings = [n for n in imported.notices if n.level == "warning"]
    assert (
        len(warnings) == 1
        and warnings[0].line == 16
        and "publication line not understood" in warnings[0].message
    )
    assert "Some talk I gave once" in imported.record["about"]
    bib = tmp_path / "p.bib"
    bib.write_text(dump_bibtex(imported.entries), encoding="utf-8")
    publications = load_bibliography([bib], highlight=["Jo Park", "J. Park"])
    by_title = {str(p.title): p for p in publications}
    fast_pub = by_title["Fast Things: Going Quicker"]
    assert [(a.name, a.marks, a.is_owner) for a in fast_pub.authors] == [
        ("Ann Lee", "*", False),
        ("Jo Park", "*", True),
        ("Sam Wu", "", False),
    ]
    assert fast_pub.google_scholar_id == "PUB123" and fast_pub.abbr == "NeurIPS"
    assert by_title["Slow Things"].authors[0].is_owner


def test_config_gives_the_person_and_the_avatar(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "_pages").mkdir(parents=True)
    (site / "images").mkdir()
    (site / "images" / "me.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    (site / "_pages" / "about.md").write_text(
        "Hello.\n\n# News\n- *2024.02*: Hi\n", encoding="utf-8"
    )
    (site / "_config.yml").write_text(
        _page("""
        title: My site
        url: https://jo.example.io
        author:
          name: Jo Park
          avatar: images/me.png
          bio: PhD student at Example University
          location: Seoul, Korea
          employer: Example University
          googlescholar: https://scholar.google.com/citations?user=USERabcAAAAJ&hl=en
          email: jo@example.edu
          github: jopark
          researchgate: https://www.researchgate.net/profile/Jo-Park
          twitter:
        """),
        encoding="utf-8",
    )
    imported = read_acadhomepage(site / "_pages" / "about.md", site / "_config.yml")
    record = Record.model_validate(imported.record)
    assert (record.name, record.headline, record.affiliation) == (
        "Jo Park",
        "PhD student at Example University",
        "Example University",
    )
    assert (
        record.contact.email,
        record.contact.github,
        record.contact.google_scholar,
        record.contact.website,
    ) == ("jo@example.edu", "jopark", "USERabcAAAAJ", "https://jo.example.io")
    assert [(p.network, p.url) for p in record.contact.profiles] == [
        ("researchgate", "https://www.researchgate.net/profile/Jo-Park")
    ]
    assert record.photo == "photo.png" and imported.files["photo.png"].startswith(b"\x89PNG")
    assert [n for n in imported.notices if n.level == "warning"] == []
    out = tmp_path / "data"
    write_import(imported, out)
    assert load_record(out).record.photo == "photo.png"


# --- export and round trip --------------------------------------------------------------------


def test_export_has_the_news_and_the_papers() -> None:
    page = export_acadhomepage(EXAMPLE)
    assert page.startswith("---\npermalink: /\n")
    news = [line for line in page.splitlines() if line.startswith("- *") and "&nbsp;🎉🎉" in line]
    assert len(news) == 11
    assert news[0].startswith('- *2024.01*: &nbsp;🎉🎉 Our paper "FedImpro')
    assert page.count("<div class='paper-box'") == 11
    assert '<div class="badge">ICLR 2024</div>' in page
    assert (
        "[FedImpro: Measuring and Improving Client Update in Federated Learning](https://arxiv.org/pdf/2402.07011.pdf)"
        in page
    )
    assert "**Zhenheng Tang**, Yonggang Zhang, Shaohuai Shi" in page
    assert "[**Code**](https://github.com/wizard1203/FedImpro)" in page
    for heading in (
        "# 🔥 News",
        "# Work & Research Experience",
        "# Teaching",
        "# Professional Activities",
        "# 🎖 Awards and Prizes",
        "# 📝 Publications",
        "# 📖 Educations",
        "# 💻 Internships",
    ):
        assert f"\n{heading}\n" in page
    assert page.index("# 🔥 News") < page.index("# 📝 Publications") < page.index("# 📖 Educations")


def test_export_writes_the_citation_spans(write_record: Callable[..., Path]) -> None:
    data = write_record(
        "name: Jo Park\ncontact: {google_scholar: USERabcAAAAJ}\n",
        {
            "publications.bib": "@article{a, title={A}, author={Park, Jo}, journal={J},"
            " year={2020}, abbr={JML}, google_scholar_id={PUB1}}\n"
        },
    )
    page = export_acadhomepage(data)
    assert (
        "<strong><span class='show_paper_citations' data='USERabcAAAAJ:PUB1'></span></strong>"
        in page
    )
    assert '<div class="badge">JML 2020</div>' in page


def test_import_of_the_export_keeps_every_item_of_the_example(tmp_path: Path) -> None:
    original = load_record(EXAMPLE).record
    imported = import_acadhomepage(export_acadhomepage(EXAMPLE))
    assert [n for n in imported.notices if n.level == "warning"] == []
    record = Record.model_validate(imported.record)
    before, after = record_form(original), record_form(record)
    for section in (
        "news",
        "experience",
        "teaching",
        "service",
        "awards",
        "education",
        "internships",
        "interests",
        "about",
    ):
        assert after[section] == before[section], section
    assert record.name == original.name  # the owner's bold name in the paper boxes
    data = tmp_path / "data"
    write_import(imported, data)
    _, old, _ = load_for_export(EXAMPLE)
    _, new, _ = load_for_export(data)

    def summary(publications: list) -> list:
        return [
            (
                p.key,
                str(p.title),
                p.year,
                p.abbr,
                p.kind,
                str(p.venue),
                p.selected,
                [(a.name, a.is_owner) for a in p.authors],
                sorted(link.url for link in p.links),
            )
            for p in publications
        ]

    assert summary(new) == summary(old)
    assert len(new) == 11


# --- command line -----------------------------------------------------------------------------


def test_cli_import_and_export(tmp_path: Path) -> None:
    out = tmp_path / "data"
    result = runner.invoke(app, ["import", "acadhomepage", str(SEED), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert f"note: {SEED}:107: skipped the template's Lorem ipsum placeholder" in result.stderr
    assert "imported 4 experience, 7 awards, 5 teaching, 2 service, 11 news" in result.stdout
    assert yaml.safe_load((out / "cv.yaml").read_text(encoding="utf-8"))["name"] == "Your Name"
    again = runner.invoke(app, ["import", "acadhomepage", str(SEED), "--out", str(out)])
    assert again.exit_code == 1 and "pass --force to overwrite it" in again.stderr
    exported = runner.invoke(app, ["export", "acadhomepage", "--data", str(out)])
    assert exported.exit_code == 0, exported.stderr
    assert exported.stdout.count("&nbsp;🎉🎉") == 11
    target = tmp_path / "about.md"
    written = runner.invoke(
        app, ["export", "acadhomepage", "--data", str(out), "--out", str(target)]
    )
    assert written.exit_code == 0 and target.read_text(encoding="utf-8") == exported.stdout


def test_cli_reports_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    bad = tmp_path / "about.md"
    bad.write_bytes(b"# News\n- [2024.01] caf\xe9\n")
    result = runner.invoke(
        app, ["import", "acadhomepage", str(bad), "--out", str(tmp_path / "data")]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {bad}:2: byte 0xe9 is not UTF-8")
    assert "Traceback" not in result.output


# --- mojibake ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("garbled", "fixed"),
    [
        ("# ğŸ”¥ News", "# 🔥 News"),  # complete sequence: ftfy
        ("&nbsp;ğŸ‰ğŸ‰ Our paper", "&nbsp;🎉🎉 Our paper"),  # a byte lost in cp1254
        ("# ğŸ“ Publications", "# 📝 Publications"),
        ("# ğŸ– Honors and Awards", "# 🎖 Honors and Awards"),
        ("Intrinsic Dimensionâ€ is", "Intrinsic Dimension” is"),
        ("Artiï¬cial Intelligence", "Artificial Intelligence"),
        ("donâ€™t", "don’t"),
    ],
)
def test_mojibake_is_repaired(garbled: str, fixed: str) -> None:
    assert repair_mojibake(garbled) == fixed


@pytest.mark.parametrize(
    "clean",
    [
        "café déjà vu",
        "Zürich, İstanbul, Ağrı",
        "“quoted” — dash",
        "plain ASCII",
        "Łódź ñandú",
        "唐振衡 🎉",
    ],
)
def test_clean_text_is_left_alone(clean: str) -> None:
    assert repair_mojibake(clean) == clean


def test_a_richer_record_survives_the_round_trip_too(tmp_path: Path) -> None:
    rich = FIXTURES / "rich"  # locations, details, talks with links, notes on service, ...
    imported = import_acadhomepage(export_acadhomepage(rich))
    assert [n for n in imported.notices if n.level == "warning"] == []
    before = record_form(load_record(rich).record)
    after = record_form(Record.model_validate(imported.record))
    for section in (
        "news",
        "experience",
        "education",
        "teaching",
        "service",
        "awards",
        "talks",
        "internships",
    ):
        assert after[section] == before[section], section
    data = tmp_path / "data"
    write_import(imported, data)
    (paper,) = load_for_export(data)[1]
    (original,) = load_for_export(rich)[1]
    assert (str(paper.title), paper.year, paper.selected, paper.google_scholar_id) == (
        "A B c",
        2020,
        True,
        "PUB1",
    )
    assert paper.authors == original.authors  # the owner in bold, "and others" kept


# --- the faculty sections and the page's own -------------------------------------------------

REAL = Path(__file__).resolve().parent / "real" / "acadhomepage"

FACULTY_PAGE = """
    # 💰 {grants}
    - **[PI]:** Robust Edge AI,<br>
      Funding source: Research Grants Council (GRF), No. 152211/23E, HK$1,200,000, 2024-2026.
    - *2023 - 2025*, Learning Things (Co-PI), NSF, $300K USD
    # 🎓 {supervision}
    ## PhD Students
    - [Ann Lee](https://ann.example) (co-advised), 2021 - present
    - Bob Ray, Ph.D. 2020, thesis: *On Robustness*, now at Google
    # {patents}
    - **J. Doe**, A. Smith. *A method for robust learning*. US Patent 11,222,333 B2, granted 2022.
    # 💻 {software}
    - [**fastlib**](https://github.com/x/fastlib), maintainer, 1.2k stars: A fast library
    # {memberships}
    - Senior Member of IEEE
    - ACM, Member (2015 - present)
    # 📰 {outreach}
    - *2024.03*, "Why robust AI matters", BBC Radio 4
    - *2023*: Interviewed by [Nature](https://nature.example) about AI safety
    # {projects}
    - *2020 - 2022*, [Project Alpha](https://alpha.example): A thing we built
    # {skills}
    - **Programming:** Python, C++, CUDA
    # {languages}
    - English (native)
    - French: fluent
    """


@pytest.mark.parametrize(
    "headings",
    [
        {"grants": "Grants", "supervision": "Students", "software": "Software"},
        {"grants": "Funding", "supervision": "Mentoring", "software": "Datasets"},
        {"outreach": "Outreach"},
        {"outreach": "Media"},
        {"outreach": "In the News"},
    ],
    ids=["grants-students-software", "funding-mentoring-datasets", "outreach", "media", "news"],
)
def test_each_faculty_heading_imports_its_items(headings: dict[str, str]) -> None:
    words = {
        "grants": "Grants",
        "supervision": "Students",
        "patents": "Patents",
        "software": "Software",
        "memberships": "Memberships",
        "outreach": "Outreach",
        "projects": "Projects",
        "skills": "Skills",
        "languages": "Languages",
    } | headings
    imported = import_acadhomepage(_page(FACULTY_PAGE.format(**words)))
    assert [n for n in imported.notices if n.level == "warning" and "name" not in n.message] == []
    record = Record.model_validate(imported.record)
    first, second = record.grants
    assert (first.title, first.funder, first.number, first.amount, first.currency, first.role) == (
        "Robust Edge AI",
        "Research Grants Council (GRF)",
        "152211/23E",
        1200000,
        "HKD",
        "PI",
    )
    assert (first.start.text, first.end.text) == ("2024", "2026")  # type: ignore[union-attr]
    assert (second.title, second.funder, second.amount, second.currency, second.role) == (
        "Learning Things",
        "NSF",
        300000,
        "USD",
        "Co-PI",
    )
    ann, bob = record.supervision
    assert (ann.name, ann.url, ann.level, ann.role, str(ann.end)) == (
        "Ann Lee",
        "https://ann.example",
        "PhD",
        "co-advisor",
        "present",
    )
    assert (bob.level, bob.thesis, bob.next, str(bob.end)) == (
        "PhD",
        "On Robustness",
        "Google",
        "2020",
    )
    (patent,) = record.patents
    assert (patent.title, patent.number, patent.status, patent.inventors, str(patent.date)) == (
        "A method for robust learning",
        "US Patent 11,222,333 B2",
        "granted",
        ["J. Doe", "A. Smith"],
        "2022",
    )
    (software,) = record.software
    assert (software.name, software.url, software.role, software.stats, software.description) == (
        "fastlib",
        "https://github.com/x/fastlib",
        "maintainer",
        "1.2k stars",
        "A fast library",
    )
    assert [(m.organization, m.grade) for m in record.memberships] == [
        ("IEEE", "Senior Member"),
        ("ACM", "Member"),
    ]
    assert [(o.date.text, o.title, o.outlet) for o in record.outreach] == [
        ("2024-03", "Why robust AI matters", "BBC Radio 4"),
        ("2023", "Interviewed by [Nature](https://nature.example) about AI safety", None),
    ]
    (project,) = record.projects
    assert (project.name, project.url, project.description) == (
        "Project Alpha",
        "https://alpha.example",
        "A thing we built",
    )
    assert [(s.name, s.keywords) for s in record.skills] == [
        ("Programming", ["Python", "C++", "CUDA"])
    ]
    assert [(lang.language, lang.fluency) for lang in record.languages] == [
        ("English", "native"),
        ("French", "fluent"),
    ]
    keys = [next(iter(item)) if isinstance(item, dict) else item for item in record.sections or []]
    assert keys[:10] == [
        "about",
        "grants",
        "supervision",
        "patents",
        "software",
        "memberships",
        "outreach",
        "projects",
        "skills",
        "languages",
    ]


def test_an_item_a_faculty_section_cannot_read_is_kept_with_its_line() -> None:
    page = _page("""
        # Students
        ## Research Staff
        - Zhijie Rao, Research Assistant (Sept 2023-)
        ## Undergraduate Students
        - Zhiyu Wang, Capstone Project Student (Sept 2023-)
        # Outreach
        - Talked to a school
        # Grants
        - *2020*
        """)
    imported = import_acadhomepage(page)
    warnings = {n.line: n.message for n in imported.notices if n.level == "warning"}
    assert warnings[3].startswith("student without a level (Postdoc, PhD, MSc, BSc, Intern)")
    # a section none of whose items the section reads keeps its place, as a section of its own
    assert warnings[6].startswith("section 'Outreach': no item reads as outreach and media (")
    assert warnings[8].startswith("section 'Grants': no item reads as grants and funding (not")
    (student,) = imported.record["supervision"]
    assert (student["name"], student["level"], student["end"]) == ("Zhiyu Wang", "BSc", "present")
    about = imported.record["about"]
    assert "**Students**\n\n- Zhijie Rao, Research Assistant (Sept 2023-)" in about
    custom = imported.record["custom"]
    assert custom["custom_outreach"]["entries"] == [{"title": "Talked to a school"}]
    assert "custom_grants" not in custom  # a date alone is no entry of any section: text
    assert "**Grants**\n\n- *2020*" in about
    notes = [n.message for n in imported.notices if n.level == "note"]
    assert notes == ["subheading 'Research Staff' is not kept (the CV groups the section itself)"]


def test_a_heading_no_section_takes_becomes_a_custom_one(tmp_path: Path) -> None:
    page = _page("""
        # 🔥 News
        - *2024.01*: A thing happened

        # 📚 Editorial Boards
        - *2020 - present*, Associate Editor, IEEE TPAMI
        - *2019*, [Guest Editor](https://tpami.example), IEEE TPAMI, Special Issue
            - On robustness

        Also a reviewer for many journals.

        # Awards
        - *2021*, Best Paper Award, ICML

        # 爱好
        - 李雁姿

        # Hobbies
        Hiking.
        """)
    imported = import_acadhomepage(page)
    custom = imported.record["custom"]
    assert custom["editorial_boards"] == {
        "title": "Editorial Boards",
        "entries": [
            {"start": "2020", "end": "present", "title": "Associate Editor, IEEE TPAMI"},
            {
                "date": "2019",
                "title": "Guest Editor",
                "url": "https://tpami.example",
                "subtitle": "IEEE TPAMI, Special Issue",
                "details": ["On robustness"],
            },
            {"title": "Also a reviewer for many journals"},
        ],
    }
    assert custom["section"] == {"title": "爱好", "entries": [{"title": "李雁姿"}]}
    assert imported.record["sections"][:5] == [
        "about",
        "news",
        "editorial_boards",
        {"awards": {"title": "Awards"}},
        "section",
    ]
    assert [n.message[:13] for n in imported.notices if n.level == "warning"] == ["no name found"]
    assert custom["hobbies"] == {"title": "Hobbies", "entries": [{"title": "Hiking"}]}
    assert "Hiking" not in imported.record.get("about", "")  # never pushed into About
    data = tmp_path / "data"
    write_import(imported, data)
    loaded = load_record(data).record  # the loader takes the custom keys `sections:` names
    assert [e.title for e in loaded.custom["editorial_boards"].entries] == [
        "Associate Editor, IEEE TPAMI",
        "Guest Editor",
        "Also a reviewer for many journals",
    ]


PROFESSOR = """\
name: Jane Q. Professor
grants:
  - title: "CAREER: Robust Learning"
    funder: National Science Foundation
    program: CAREER
    number: "2145678"
    amount: 550,000
    currency: usd
    role: PI
    investigators: [Jane Q. Professor, John Roe]
    start: 2022-07
    end: 2027-06
    url: https://nsf.example/2145678
    details: [Renewed in 2025]
  - {title: Older Grant, funder: DARPA, amount: 1200000.5, currency: EUR, role: Co-PI, start: 2015, end: 2018}
supervision:
  - {name: Ann Student, level: PhD, start: 2021-09, end: present, thesis: Robust things, url: "https://ann.example"}
  - {name: Bob Grad, level: phd, role: Co-Advisor, start: 2015, end: 2020, next: Google}
  - {name: Carl Post, level: Postdoc, start: 2023, end: present}
  - {name: Dee Under, level: BSc, start: 2019, end: 2020, details: [Best thesis prize]}
patents:
  - title: A Method for Things
    number: US 11,111,111 B2
    office: USPTO
    status: Granted
    date: 2021-03
    inventors: [J. Q. Professor, A. Other]
    url: https://patents.example/1
  - {title: Another Method, status: filed, date: 2024}
software:
  - {name: fastthing, url: "https://github.com/x/fastthing", role: lead, stats: 2.1k stars, description: "Fast things, done right"}
  - {name: slowthing, description: A dataset of slow things}
memberships:
  - {organization: ACM, grade: Senior Member, start: 2015, end: present}
  - {organization: IEEE}
outreach:
  - {date: 2023-05, title: Why robust AI matters, outlet: BBC Radio 4, url: "https://bbc.example"}
  - {date: 2022, title: Robots in schools}
projects:
  - {name: Project Alpha, url: "https://alpha.example", start: 2020, end: 2022, description: A thing we built}
skills:
  - {name: Programming, level: expert, keywords: [Python, C++]}
  - {name: Writing}
languages:
  - {language: English, fluency: Native}
  - {language: French}
custom:
  boards:
    title: Editorial Boards
    entries:
      - {start: 2020, end: present, title: Associate Editor, details: [TPAMI]}
      - {date: 2019, title: Guest Editor, url: "https://tpami.example", subtitle: IEEE TPAMI}
sections: [about, grants, supervision, boards, patents, software, memberships, outreach, projects,
  skills, languages]
publications: {bibtex: []}
"""  # noqa: E501 - one entry a line


def test_import_of_the_export_keeps_every_entry_of_a_professor(
    write_record: Callable[..., Path],
) -> None:
    data = write_record(PROFESSOR, {"publications.bib": ""})
    imported = import_acadhomepage(export_acadhomepage(data))
    assert [n for n in imported.notices if n.level == "warning" and "name" not in n.message] == []
    before = record_form(load_record(data).record)
    after = record_form(Record.model_validate(imported.record))
    for section in (
        "grants",
        "supervision",
        "patents",
        "software",
        "memberships",
        "outreach",
        "projects",
        "skills",
        "languages",
    ):
        assert after[section] == before[section], section
    # the key of a section of one's own comes from its heading; its title and entries stay
    assert after["custom"] == {"editorial_boards": before["custom"]["boards"]}
    keys = [next(iter(item)) if isinstance(item, dict) else item for item in after["sections"]]
    assert keys[:8] == [
        "about",
        "grants",
        "supervision",
        "editorial_boards",
        "patents",
        "software",
        "memberships",
        "outreach",
    ]


def test_a_hostile_page_gives_bounded_output_and_no_traceback(tmp_path: Path) -> None:
    """A huge heading, headings that slug to a built-in key or to nothing, Liquid, comments,
    and thousands of headings: the record is valid, the notices few, and nothing is dropped."""
    huge = "Grants " + "x" * 200_000
    many = "\n".join(f"# Topic {n}\n- *2020*, Item {n}\n" for n in range(3000))
    page = "\n".join(
        [
            f"# {huge}",
            "- an item under a huge heading",
            "# Languages!",  # slugs to a built-in key
            "- Python",
            "# 🎉",
            "- under a heading of emoji only",
            '{% if page.lang == "en" %}# 👥 Students{% else %}# 👥 指导学生{% endif %}',
            "<!-- # Hidden",
            "- hidden item -->",
            "# " + "## " * 1000,
            "- " + "[" * 60,  # the loader refuses 100 open brackets, even in text
            many,
        ]
    )
    imported = import_acadhomepage(page)
    record = Record.model_validate(imported.record)
    assert len(record.custom) == MAX_CUSTOM
    assert "custom_languages" in record.custom and "languages" not in imported.record
    assert record.custom["custom_languages"].title == "Languages!"
    assert all(len(key) <= 48 for key in record.custom)
    assert len(imported.notices) < 20
    messages = " | ".join(n.message for n in imported.notices)
    assert "a heading of 200007 characters is not read as one" in messages
    assert "Liquid line not read (the site fills it in)" in messages
    assert "in HTML comments (not shown)" in messages
    assert f"more headings than the {MAX_CUSTOM} sections of your own" in messages
    about = record.about or ""
    assert "an item under a huge heading" in about and "x" * 1000 in about
    assert "Item 2999" in about  # past the limit: kept as text
    assert "hidden item" not in about
    assert len(about) < 2 * len(page)
    assert f"`about` is {len(about):,} characters, more than the 20,000 cv.yaml takes" in messages
    data = tmp_path / "data"
    write_import(imported, data)
    with pytest.raises(CVError, match="about: text of .* characters is too long"):
        load_record(data)  # a located error, with the whole text kept to shorten


# --- real pages -------------------------------------------------------------------------------


def test_a_real_professors_page_imports_grants_and_students() -> None:
    imported = read_acadhomepage(REAL / "jingcaiguo-about.md")
    record = Record.model_validate(imported.record)
    assert [
        (g.title[:24], g.funder[:26] if g.funder else None, g.number, g.role) for g in record.grants
    ] == [
        ("Empowering TinyML with L", "General Research Fund (GRF", "152211/23E", "PI"),
        ("Entity Anti-fraud Predic", "Young Scientists Fund of t", "62102327", "PI"),
        ("Learning-Based Anti-Frau", "Fundamental Research Funds", "JBK21YJ04", "PI"),
    ]
    assert [(str(g.start), str(g.end)) for g in record.grants] == [
        ("2024", "2026"),
        ("2022", "2024"),
        ("2021", "2021"),
    ]
    assert [(s.name, s.level, s.start.text, s.end.text) for s in record.supervision] == [  # type: ignore[union-attr]
        (name, "BSc", "Sept 2023", "present")
        for name in ("Zhiyu Wang", "Arnab Mazumder", "Yalun Tang", "Zheyu Zhu", "Junchen Yue")
    ]
    warnings = {n.line: n.message for n in imported.notices if n.level == "warning"}
    assert warnings[225].startswith("student without a level")  # a research assistant
    assert warnings[226].startswith("student without a level")
    about = record.about or ""
    assert "- Zhijie Rao, B.E. (BUPT), M.E. (XMU), Research Assistant (Sept 2023-)" in about
    assert "**I am fortunate to supervise and work together with these gifted" in about
    assert "note: about.md:213: skipped 4 lines in HTML comments (not shown)" in [
        n.format("about.md") for n in imported.notices
    ]
    keys = [next(iter(item)) if isinstance(item, dict) else item for item in record.sections or []]
    assert "talks" not in keys[:8]  # commented out on the page
    assert keys[:9] == [
        "about",
        "education",
        "news",
        "publications",
        "grants",
        "supervision",
        "teaching",
        "service",
        "awards",
    ]
    assert [(a.date.text, a.title) for a in record.awards] == [
        ("2017", "Hong Kong Ph.D. Fellowship"),
        ("2013", "Ting Hsing International Scholarship"),
    ]
    assert [(s.role, len(s.venues)) for s in record.service][-2:] == [
        ("Conference PC Member/Reviewer", 12),
        ("Journal Reviewer", 9),
    ]
    assert record.service[0].role == "Publicity Chair"
    assert [e.advisor for e in record.education][:3] == [
        "Prof. Song Guo",
        "Prof. Dacheng Tao",
        "Prof. Takayuki Furuzuki",
    ]
    assert "<a href" not in " ".join(n.text for n in record.news)
    assert not [n for n in imported.notices if n.level == "warning" and "''" in n.message]


def test_a_real_page_imports_patents_and_a_custom_section(tmp_path: Path) -> None:
    imported = read_acadhomepage(REAL / "tianwenzhou-about.md")
    record = Record.model_validate(imported.record)
    assert [(p.title, p.status, p.number, p.details) for p in record.patents] == [
        (
            "A method, device, system, and storage medium for image lens flare removal",
            "granted",
            "CN118781007A",
            ["图像杂散光去除方法、装置、系统和介质"],
        ),
        (
            "A method, device, equipment and storage medium for generating medical image reports",
            None,
            None,
            [],
        ),
    ]
    events = record.custom["events"]
    assert events.title == "Events"
    assert [e.title for e in events.entries] == [
        "Attended [ICME 2025, Nantes, France](https://2025.ieeeicme.org/)",
        "Attended [BMVC 2024, Glasgow, UK](https://bmvc2024.org/)",
    ]
    assert [(s.role, len(s.venues)) for s in record.service] == [
        ("Professional Memberships", 4),
        ("Conference Reviewing", 8),
    ]
    assert record.education[0].field == "**Computer Graphics, Vision and Imaging** (Distinction)"
    warnings = [n.message for n in imported.notices if n.level == "warning"]
    assert len(warnings) == 1, warnings  # no name (no config); every card's year is on it
    keys = [next(iter(item)) if isinstance(item, dict) else item for item in record.sections or []]
    assert keys[:9] == [
        "about",
        "news",
        "education",
        "awards",
        "experience",
        "publications",
        "service",
        "patents",
        "events",
    ]
    data = tmp_path / "data"
    write_import(imported, data)
    result = cv.build(data, tmp_path / "out", only=["cv"], today=dt.date(2026, 7, 1))
    pdf = next(output.path for output in result.outputs if output.path.suffix == ".pdf")
    text = _squash(" ".join(page.extract_text() for page in PdfReader(pdf).pages))
    for shown in ("Events", "AttendedICME2025", "CN118781007A", "ConferenceReviewing"):
        assert _squash(shown) in text, shown


# --- what real homepages write (tests/real/homepages: each excerpt names its site) -----------


def _one_paper(page: str, config: dict[str, object] | None = None) -> dict[str, str]:
    """The fields of the only BibTeX entry a page imports."""
    imported = import_acadhomepage(_page(page), config=config)
    (entry,) = imported.entries
    return entry.fields


def test_icon_and_emoji_headings_are_sections_and_html_news_has_dates() -> None:
    # BIT-DYN: `# <i class="fas fa-fire"></i> News`; HaoTang11: `<li><strong>[2026.02]</strong>`;
    # Chokurei: `- <em>2026.07</em>: ...`; Betswish: `<a href>` in the news
    page = _page("""
        # <i class="fas fa-fire"></i> News
        <div style="max-height: 250px; overflow-y: auto;">
          <ul>
            <li><strong>[2026.02]</strong> Our paper (Percept-WAM) was accepted by CVPR 2026</li>
          </ul>
        </div>

        - <em>2026.07</em>: Paper accepted by <a href='https://x.example/p'>EMNLP</a>!
        - *2025.11*：🎉 Our KA-MIG is accepted by AAAI 2026.

        # <i class="fas fa-graduation-cap"></i> Educations
        - *2019 - 2023*, B.Sc., Beijing Normal University
        """)
    imported = import_acadhomepage(page)
    record = imported.record
    assert [(n["date"], n["text"]) for n in record["news"]] == [
        ("2026-02", "Our paper (Percept-WAM) was accepted by CVPR 2026"),
        ("2026-07", "Paper accepted by [EMNLP](https://x.example/p)!"),
        ("2025-11", "Our KA-MIG is accepted by AAAI 2026."),
    ]
    assert all("<" not in n["text"] for n in record["news"])
    keys = [next(iter(item)) if isinstance(item, dict) else item for item in record["sections"]]
    assert keys[:3] == ["about", "news", "education"]


def test_scripts_styles_and_comments_never_reach_the_record() -> None:
    # Betswish: a Google Analytics <script> before the text; Algolzw: `<!-- ### -->` between
    # paper boxes and a commented-out section; 55199789: a section holding only a <script>
    page = _page("""
        <script async src="https://www.googletagmanager.com/gtag/js?id=G-X"></script>
        <script>
          window.dataLayer = window.dataLayer || []; gtag('config', 'G-X');
        </script>
        <style>.x { color: red }</style>
        I study language models.

        <!--
        # 💬 Invited Talks
        - *2021.06*, Lorem ipsum
        -->
        # 🔥 News
        - *2024.01*: A thing <!-- not this --> happened
        <!-- ###################################################### -->
        """)
    imported = import_acadhomepage(page)
    record = imported.record
    assert record["about"] == "I study language models."
    assert record["news"] == [{"date": "2024-01", "text": "A thing happened"}]
    assert "talks" not in record
    notes = [n.message for n in imported.notices if n.level == "note"]
    assert "skipped a <script> (it is not text of the page)" in notes
    assert "skipped a <style> (it is not text of the page)" in notes
    assert any(re.fullmatch(r"skipped \d+ lines in HTML comments \(not shown\)", n) for n in notes)


def test_paper_box_with_a_bold_font_venue_line_and_latex_marks() -> None:
    # Algolzw: no badge, `<u>` around the owner, `$^\dagger$` marks, the year in a bold <font> line
    fields = _one_paper("""
        # 📝 Publications
        <div class='paper-box'><div class='paper-box-image'><img src='images/x.jpg' width="100%"></div>
        <div class='paper-box-text' markdown="1">

        **Entropy-regularized Diffusion Policy with Q-Ensembles for Offline Reinforcement Learning**
        Ruoqi Zhang$^\\dagger$, <u>Ziwei Luo</u>$^\\dagger$, Jens Sjölund, Thomas B. Schön

        <font color="red">**NeurIPS 2024**</font> \\| [Paper](https://arxiv.org/abs/2405.20555) \\| [Code](https://github.com/x/y)
        </div>
        </div>
        """)  # noqa: E501
    assert fields["title"].startswith("Entropy-regularized Diffusion Policy")
    assert fields["author"] == "Ruoqi Zhang† and Ziwei Luo† and Jens Sjölund and Thomas B. Schön"
    assert fields["year"] == "2024" and fields["booktitle"] == "NeurIPS"
    assert fields["code"] == "https://github.com/x/y"
    assert not any(mark in value for value in fields.values() for mark in ("$", "\\|", "<"))


def test_hand_made_paper_box_with_a_heading_title_and_a_venue_div() -> None:
    # BIT-DYN: title in <h3><a>, <div class="authors">, <div class="venue">... 2026</div>
    fields = _one_paper("""
        # Publications
        <div class='paper-box floating-card highlight-orange'>
          <div class='paper-box-image'>
            <div class="badge pulse-accent">TCSVT</div>
            <img src='images/p.gif' width="90%">
          </div>
          <div class='paper-box-text'>
            <h3><a href="https://pamosplat.github.io">PaMoSplat: Part-Aware Motion-Guided Gaussian Splatting</a></h3>
            <div class="authors"><span class="accent-text">Yinan Deng</span>, Jianyu Dou, Yufeng Yue*</div>
            <div class="venue">IEEE Transactions on Circuits and Systems for Video Technology (TCSVT) 2026</div>
            <div class="links">
              <a href="https://github.com/x/p" class="btn-accent"><i class="fab fa-github"></i> Code</a>
            </div>
          </div>
        </div>
        """)  # noqa: E501
    assert fields["title"] == "PaMoSplat: Part-Aware Motion-Guided Gaussian Splatting"
    assert fields["url"] == "https://pamosplat.github.io"
    assert fields["author"] == "Yinan Deng and Jianyu Dou and Yufeng Yue*"
    assert fields["year"] == "2026" and fields["abbr"] == "TCSVT"
    assert fields["journal"].startswith("IEEE Transactions on Circuits")
    assert fields["code"] == "https://github.com/x/p"


@pytest.mark.parametrize(
    ("badge", "year", "abbr"),
    [("AAAI-23", "2023", "AAAI"), ("CVPRW 2022", "2022", "CVPRW"), ("ICCV'23", "2023", "ICCV")],
)
def test_the_badge_gives_the_year(badge: str, year: str, abbr: str) -> None:
    # Betswish: `AAAI-23`; the issue: `CVPRW 2022`, `AAAI-26`
    fields = _one_paper(f"""
        # Publications
        <div class='paper-box'><div class='paper-box-image'><div><div class="badge">{badge}</div></div></div>
        <div class='paper-box-text' markdown="1">

        [A Title of a Paper](https://x.example) <br> **Jirui Qi<sup>*</sup>**, Raquel Fernández<sup>*</sup>
        </div>
        </div>
        """)  # noqa: E501
    assert (fields["year"], fields["abbr"]) == (year, abbr)
    assert fields["author"] == "Jirui Qi* and Raquel Fernández*"


def test_reference_lists_become_publications() -> None:
    # Chokurei (APA), BingYang-20 (authors first, `#` marks), GaoYucen (between commas),
    # CHENJIAR3 (GB/T 7714), Baizhige (year first), DevilYangS (a code badge)
    page = _page("""
        # Publications
        - Tan, H., <strong>Guo, Z.</strong>*, Li, J., ... & Yan, J. (2026). Synthesizing Images with Aligned Masks. Renewable Energy, 125217.
        - Yabo Wang#, **Bing Yang**# (equal contribution), Xiaofei Li. [IPDnet: A universal IPD estimation network](https://ieeexplore.ieee.org/document/1). IEEE/ACM TASLP (**TASLP**), vol. 32, pp. 5051-5064, 2024. [[arXiv](https://arxiv.org/abs/2405.07021)]
        1. [CCF-A] **Yucen Gao**, Zhemeng Yu, GKD-Recruiter: Jointly Modeling Social and Task Heterogeneity, International Conference on Machine Learning (ICML), 2026.
        - [1] **Chen J**, Zheng Y, et al. Edge2Analysis: a novel AIoT platform[J]. IEEE Journal of Biomedical and Health Informatics, 2022, 26(12): 5772-5782.
        - *2023* Chengxuan Qin, Longfei Zheng. Spatial Variation Generation for Motor Imagery. IEEE TNSRE, 2023.
        - ``AAAI 2026`` ["Debiased Cognitive Diagnosis"](https://ojs.aaai.org/x). **Shangshang Yang**\\*, Xuewen Duan, *in the Proceedings of the AAAI Conference on Artificial Intelligence* (**CCF A**), 2026.
        """)  # noqa: E501
    imported = import_acadhomepage(page)
    got = [
        (e.fields["title"][:24], e.fields["author"][:28], e.fields.get("year"))
        for e in imported.entries
    ]
    assert got == [
        ("Synthesizing Images with", "H. Tan and Z. Guo* and J. Li", "2026"),
        ("IPDnet: A universal IPD ", "Yabo Wang and Bing Yang and ", "2024"),
        ("GKD-Recruiter: Jointly M", "Yucen Gao and Zhemeng Yu", "2026"),
        ("Edge2Analysis: a novel A", "Chen J and Zheng Y and other", "2022"),
        ("Spatial Variation Genera", "Chengxuan Qin and Longfei Zh", "2023"),
        ("Debiased Cognitive Diagn", "Shangshang Yang* and Xuewen ", "2026"),
    ]
    assert [n for n in imported.notices if n.level == "warning"][1:] == []  # only: no name
    assert imported.entries[1].fields["arxiv"] == "2405.07021"
    assert set(imported.record["publications"]["highlight"]) == {  # the names in bold
        "Z. Guo",
        "Bing Yang",
        "Yucen Gao",
        "Chen J",
        "Shangshang Yang",
    }


def test_the_year_of_a_subheading_is_the_year_of_its_papers() -> None:
    # Andysis: `## 📆 2026年 ...` above papers whose lines carry no year
    fields = _one_paper("""
        # 📝 一作与通讯的论文
        ## 📆 2026年 <span style="color:red">(11: Top5x1)</span>：
        - <span style="background-color:#1E40AF">CVPR</span><span style="color:red">（CCF-A）</span> *SAMIX: Reinforcing SAM2 with Semantic Adapter*, Qiang Hu, **Zhiwei Wang**<span>&#42;</span>. [**Code**](https://github.com/x/SAMIX)
        """)  # noqa: E501
    assert fields["title"] == "SAMIX: Reinforcing SAM2 with Semantic Adapter"
    assert fields["author"] == "Qiang Hu and Zhiwei Wang*"
    assert (fields["year"], fields["abbr"], fields["code"]) == (
        "2026",
        "CVPR（CCF-A）",
        "https://github.com/x/SAMIX",
    )


def test_papers_under_another_heading_are_publications_and_keep_the_heading() -> None:
    # Betswish: `# 🌟 Highlights` of paper boxes before `# 📝 Publications`
    page = _page("""
        # 🌟 Highlights
        <div class='paper-box'><div class='paper-box-image'><div><div class="badge">EMNLP 2023</div></div></div>
        <div class='paper-box-text' markdown="1">

        [Cross-Lingual Consistency of Factual Knowledge](https://aclanthology.org/x/) <br> **Jirui Qi**, Arianna Bisazza
        </div>
        </div>

        # 📝 Publications
        - [Another Paper](https://x.example), **Jirui Qi**, **EMNLP 2024**
        """)  # noqa: E501
    imported = import_acadhomepage(page)
    assert [e.fields["year"] for e in imported.entries] == ["2023", "2024"]
    assert imported.record["custom"]["highlights"]["entries"] == [
        {
            "title": "Cross-Lingual Consistency of Factual Knowledge",
            "url": "https://aclanthology.org/x/",
        }
    ]
    assert imported.record["sections"][:3] == ["about", "highlights", "publications"]


def test_positions_without_dates_are_not_experience_and_reviewing_is_service() -> None:
    # DrChunmeiQing: `# 🧢 Positions` of committee roles; Betswish: `# 📖 Teaching and
    # Reviewing` with `**Reviewing**` items and `(Master Course, Spring 2025)` terms
    page = _page("""
        # 💻 Work Experiences
        - *2013.03 - now*, Associate Professor, South China University of Technology

        # 🧢 Positions
        - Member of the Specialized Committee on Affective Computing of the CGIS
        - Secretary of Guangdong Key Laboratory of Digital Twins

        # 📖 Teaching and Reviewing
        **Teaching**
        - LIX006M05: Advanced Topics in NLP (Master Course, Spring 2025). Teaching assistant.

        **Reviewing**
        - ACL ARR 2025 May Reviewer
        """)
    imported = import_acadhomepage(page)
    record = imported.record
    assert [e["role"] for e in record["experience"]] == ["Associate Professor"]
    assert [e["title"] for e in record["custom"]["positions"]["entries"]] == [
        "Member of the Specialized Committee on Affective Computing of the CGIS",
        "Secretary of Guangdong Key Laboratory of Digital Twins",
    ]
    assert [(t["term"], t["course"]) for t in record["teaching"]] == [
        ("Spring 2025", "LIX006M05: Advanced Topics in NLP (Master Course). Teaching assistant")
    ]
    assert record["service"] == [{"role": "Reviewing", "venues": ["ACL ARR 2025 May Reviewer"]}]
    messages = [n.message for n in imported.notices]
    assert any(m.startswith("section 'Positions': its items have no dates") for m in messages)
    assert "'ACL ARR 2025 May Reviewer' is read as service (reviewing)" in messages


def test_the_name_with_its_native_form_and_html_in_the_config() -> None:
    # Algolzw: `name: "Ziwei Luo (罗梓巍)"`; DevilYangS: `name: Shangshang Yang <br> (杨尚尚)`
    for written in ("Ziwei Luo (罗梓巍)", "罗梓巍 (Ziwei Luo)", "Ziwei Luo <br> (罗梓巍)"):
        record = import_acadhomepage("", config={"author": {"name": written}}).record
        assert (record["name"], record["name_native"]) == ("Ziwei Luo", "罗梓巍"), written
    record = import_acadhomepage("", config={"author": {"name": "Jo Park (JP)"}}).record
    assert record["name"] == "Jo Park (JP)" and "name_native" not in record


def test_relative_links_resolve_against_the_sites_address_never_a_file() -> None:
    # Alex-Gauvain: `{{ '/files/x.pdf' | relative_url }}`; 55199789: `[Slides](slides/x.pdf)`
    config = {"url": "https://alex.github.io", "baseurl": "/site"}
    page = """
        # Publications
        - [A Paper](papers/a.pdf), **A. Gauvain**, B. Two, **HESS 2026** [Slides]({{ '/files/s.pdf' | relative_url }})

        # News
        - *2026.01*: see [the outreach page](/outreach/)
        """  # noqa: E501
    imported = import_acadhomepage(_page(page), config=config)
    fields = imported.entries[0].fields
    assert fields["url"] == "https://alex.github.io/site/papers/a.pdf"
    assert fields["slides"] == "https://alex.github.io/site/files/s.pdf"
    assert imported.record["news"][0]["text"] == (
        "see [the outreach page](https://alex.github.io/outreach/)"
    )
    assert imported.record["base_url"] == "https://alex.github.io/site/"
    assert imported.record["contact"]["website"] == "https://alex.github.io/site"
    without = import_acadhomepage(_page(page), config={"url": "http://localhost:4000"})
    assert without.entries[0].fields["url"] == "papers/a.pdf"  # the build does not link it
    assert "base_url" not in without.record
    assert "file:" not in yaml.safe_dump(without.record)
    # GaoYucen: `[ English | [简体中文](/) ]` with no `url:`: the text, never raw Markdown
    assert without.record["news"][0]["text"] == "see the outreach page"
    assert any(
        "links relative to the site ('/outreach/', ...)" in n.message for n in without.notices
    )


def _site(tmp_path: Path, about: str, files: dict[str, str]) -> Path:
    site = tmp_path / "site"
    (site / "_pages").mkdir(parents=True)
    (site / "_pages" / "about.md").write_text(_page(about), encoding="utf-8")
    (site / "_config.yml").write_text("author:\n  name: Xize Cheng\n", encoding="utf-8")
    for name, text in files.items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_page(text), encoding="utf-8")
    return site


def test_includes_are_followed_inside_the_site(tmp_path: Path) -> None:
    # Exgc and JackYFL: the page is `{% include_relative includes/news.md %}` lines
    site = _site(
        tmp_path,
        """
        {% include_relative includes/intro.md %}
        {% include_relative includes/news.md %}
        {% include footer.md %}
        """,
        {
            "_pages/includes/intro.md": "I work on speech.\n",
            "_pages/includes/news.md": """
                # 🔥 News
                - *2025.01*: &nbsp;🎉🎉 A paper
                - A line without a date
                """,
            "_includes/footer.md": "# Contact\n- Write to me\n",
        },
    )
    imported = read_acadhomepage(site / "_pages" / "about.md", site / "_config.yml")
    assert imported.record["about"].startswith("I work on speech.")
    assert imported.record["news"] == [{"date": "2025-01", "text": "A paper"}]
    assert imported.record["custom"]["contact"]["entries"] == [{"title": "Write to me"}]
    (warning,) = [n for n in imported.notices if n.level == "warning"]
    assert warning.format("about.md").startswith(
        "warning: _pages/includes/news.md:3: news item without a date at its start"
    )


def test_includes_that_leave_the_site_are_not_followed(tmp_path: Path) -> None:
    """Hostile includes: out of the site by `..`, an absolute path, a symbolic link, a loop,
    a name Liquid computes; each is a located warning, and nothing outside is read."""
    secret = tmp_path / "secret.md"
    secret.write_text("# Secret\n- do not read\n", encoding="utf-8")
    site = _site(
        tmp_path,
        """
        {% include_relative ../../secret.md %}
        {% include_relative /etc/passwd %}
        {% include_relative link.md %}
        {% include_relative loop.md %}
        {% include_relative {{ page.lang }}.md %}
        {% include_relative missing.md %}
        - kept
        """,
        {"_pages/loop.md": "{% include_relative loop.md %}\nlooped\n"},
    )
    (site / "_pages" / "link.md").symlink_to(secret)
    imported = read_acadhomepage(site / "_pages" / "about.md", site / "_config.yml")
    text = yaml.safe_dump(imported.record, allow_unicode=True)
    assert "do not read" not in text and "Secret" not in text and "root:" not in text
    warnings = [n.format("about.md") for n in imported.notices if n.level == "warning"]
    assert warnings == [
        "warning: about.md:1: {% include_relative ../../secret.md %} not followed: it points "
        "outside the site's folder",
        "warning: _pages/loop.md:1: {% include_relative loop.md %} not followed: the file "
        "includes itself",
        "warning: about.md:2: {% include_relative /etc/passwd %} not followed: an absolute path",
        "warning: about.md:3: {% include_relative link.md %} not followed: it points outside "
        "the site's folder",
        "warning: about.md:5: {% include_relative {{ page.lang }}.md %} not followed: its name "
        "is computed by Liquid",
        "warning: about.md:6: {% include_relative missing.md %} not followed: no such file "
        "beside the page",
    ]
    assert "looped" in imported.record["about"] and "kept" in imported.record["about"]
