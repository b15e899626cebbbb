"""The one-page bio: exactly one page whatever the record holds, photos, and bio.md."""

from __future__ import annotations

import datetime as dt
import io
import re
import textwrap
from collections.abc import Callable
from pathlib import Path

import pypdf
import pytest
from PIL import Image

import cv
from cv.bio import FIRST_PERSON, Plan, bio_content, fit_one_page, render_bio, short_bio
from cv.builder import read_inputs
from cv.pdf import layout

from .conftest import EXAMPLE, REPO

TODAY = dt.date(2026, 11, 1)


def page_text(path: Path) -> tuple[int, str]:
    reader = pypdf.PdfReader(path)
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def count_passes(data: Path) -> tuple[int, tuple[str, ...]]:
    inputs = read_inputs(data)
    content = bio_content(inputs.source.record, inputs.publications)
    passes = 0

    def lay_out(plan: Plan, measure: bool):  # type: ignore[no-untyped-def]
        nonlocal passes
        passes += 1
        html = render_bio(
            inputs.source.record, content, plan, inputs.theme, photo=None, measure=measure
        )
        return layout(
            html,
            base_url=data,
            roots=[data, *inputs.theme.folders, *__import__("cv.fonts").fonts.font_folders()],
        )

    fitted = fit_one_page(content, lay_out, inputs.source)
    assert fitted.passes == passes
    return passes, fitted.notes


def test_example_bio_is_one_page_with_name_affiliation_and_a_selected_paper(tmp_path: Path) -> None:
    result = cv.build(EXAMPLE, tmp_path, only=["bio"], today=TODAY)
    assert result.notes == ()
    pages, text = page_text(tmp_path / "bio.pdf")
    assert pages == 1
    for phrase in (
        "Zhenheng Tang",
        "Hong Kong Baptist University",
        "FedImpro",
        "GossipFL",
        "Research Performance Award",
        "Huazhong University of Science and Technology",
    ):
        assert phrase in text, phrase
    assert count_passes(EXAMPLE)[0] == 1  # it fits as it is: the real page, no measuring


def overlong_record(
    write_record: Callable[..., Path], *, bio_text: str = "", papers: int = 40
) -> Path:
    about = " ".join(["Work on robust and efficient learning systems at scale."] * 60)
    awards = "\n".join(
        f"  - {{date: {2000 + i}, title: Award number {i} for sustained excellence, "
        f"organization: Society {i}}}"
        for i in range(25)
    )
    interests = "\n".join(
        f"  - {{title: Topic {i}, details: 'methods, systems, theory, applications'}}"
        for i in range(12)
    )
    education = "\n".join(
        f"  - {{start: {1990 + 2 * i}, end: {1992 + 2 * i}, degree: Degree {i}, "
        f"institution: University {i}}}"
        for i in range(6)
    )
    bio = (
        f"bio:\n  text: {bio_text}\n  publications: 40\n  awards: 25\n"
        if bio_text
        else "bio:\n  publications: 40\n  awards: 25\n"
    )
    yaml = (
        f"name: Jane Doe\nheadline: Professor\naffiliation: Some University\n"
        f"about: {about}\n{bio}interests:\n{interests}\nawards:\n{awards}\n"
        f"education:\n{education}\n"
    )
    entries = "\n".join(
        f"@article{{p{i}, title={{A rather long title about topic {i} that wraps over two lines "
        f"in the bio}}, author={{Doe, Jane and Roe, Richard and Poe, Edgar and Moe, Mo}}, "
        f"journal={{Journal of Things}}, year={{{2000 + i % 25}}}, selected={{true}}}}"
        for i in range(papers)
    )
    return write_record(yaml, {"publications.bib": entries})


def test_an_overlong_record_still_gives_one_page_and_says_what_it_left_out(
    write_record: Callable[..., Path], tmp_path: Path
) -> None:
    data = overlong_record(write_record)
    result = cv.build(data, tmp_path / "out", only=["bio"], today=TODAY)
    pages, text = page_text(tmp_path / "out" / "bio.pdf")
    assert pages == 1
    assert "Jane Doe" in text and "Some University" in text
    assert any(
        note.startswith("bio: ") and "of 40 selected publications shown to fit one page" in note
        for note in result.notes
    ), result.notes
    assert any("of 25 honors shown" in note for note in result.notes), result.notes
    passes, _ = count_passes(data)
    assert passes <= 3


def test_a_2000_word_bio_fails_naming_bio_text(
    write_record: Callable[..., Path], tmp_path: Path
) -> None:
    data = overlong_record(write_record, bio_text=" ".join(["word"] * 2000), papers=2)
    with pytest.raises(cv.CVError) as caught:
        cv.build(data, tmp_path / "out", only=["bio"], today=TODAY)
    (problem,) = caught.value.problems
    assert "bio.text is 2000 words" in problem.message
    assert problem.file == data / "cv.yaml" and problem.line is not None
    assert not (tmp_path / "out").exists()


def make_photo(path: Path, fmt: str, size: int = 400, mode: str = "RGB") -> None:
    image = Image.new(mode, (size, size), (40, 90, 160) if mode == "RGB" else (40, 90, 160, 200))
    for x in range(0, size, max(size // 50, 1)):  # some detail, so the file is not trivially small
        for y in range(0, size, max(size // 10, 1)):
            image.putpixel((x, y), (255, 255, 255) if mode == "RGB" else (255, 255, 255, 255))
    image.save(path, fmt)


@pytest.mark.parametrize(
    ("name", "fmt", "mode"),
    [("me.jpg", "JPEG", "RGB"), ("me.png", "PNG", "RGBA"), ("me.webp", "WEBP", "RGB")],
)
def test_photos_in_every_format_are_shown(
    write_record: Callable[..., Path], tmp_path: Path, name: str, fmt: str, mode: str
) -> None:
    data = write_record(f"name: Jane Doe\nphoto: {name}\n", {"publications.bib": ""})
    make_photo(data / name, fmt, mode=mode)
    cv.build(data, tmp_path / "out", only=["bio"], today=TODAY)
    reader = pypdf.PdfReader(tmp_path / "out" / "bio.pdf")
    assert len(reader.pages[0].images) == 1


def test_a_huge_photo_is_downsampled(write_record: Callable[..., Path], tmp_path: Path) -> None:
    data = write_record("name: Jane Doe\nphoto: big.jpg\n", {"publications.bib": ""})
    Image.effect_noise((6000, 6000), 80).convert("RGB").save(data / "big.jpg", "JPEG", quality=95)
    assert (data / "big.jpg").stat().st_size > 1_000_000
    cv.build(data, tmp_path / "out", only=["bio"], today=TODAY)
    assert (tmp_path / "out" / "bio.pdf").stat().st_size < 1_000_000
    image = pypdf.PdfReader(tmp_path / "out" / "bio.pdf").pages[0].images[0]
    assert max(Image.open(io.BytesIO(image.data)).size) <= 600


@pytest.mark.parametrize(
    "content", [b"", b"not an image at all", b"\x89PNG\r\n\x1a\n\x00\x00truncated"]
)
def test_an_unreadable_photo_is_a_located_error(
    write_record: Callable[..., Path], tmp_path: Path, content: bytes
) -> None:
    data = write_record(
        "name: Jane Doe\nphoto: me.png\n", {"publications.bib": "", "me.png": content}
    )
    with pytest.raises(cv.CVError) as caught:
        cv.build(data, tmp_path / "out", only=["bio"], today=TODAY)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (2, 8)
    assert "cannot read photo 'me.png'" in problem.message
    assert "expected a JPEG, PNG or WebP image" in problem.message


def test_bio_md_is_a_usable_short_bio(tmp_path: Path) -> None:
    cv.build(EXAMPLE, tmp_path, only=["md"], today=TODAY)
    text = (tmp_path / "bio.md").read_text(encoding="utf-8")
    assert text.startswith("# Zhenheng Tang\n")
    assert "*PhD Candidate in Computer Science, Hong Kong Baptist University*" in text
    paragraph = text.split("## Biography\n\n")[1].split("\n\n")[0]
    # Only what the record says, once: the interests and honors are lists of their own.
    assert 50 <= len(paragraph.split()) <= 250
    assert paragraph.startswith(
        "Zhenheng Tang is a PhD candidate in Computer Science at Hong Kong Baptist University "
        "and a visiting researcher at the Hong Kong University of Science and Technology"
    )
    assert "Research interests" not in paragraph and "Honors" not in paragraph
    assert " I " not in f" {paragraph} " and "I'm" not in paragraph  # third person
    assert "[GitHub: wizard1203](https://github.com/wizard1203)" in text
    assert (
        "## Selected Publications" in text and "**Zhenheng Tang**" in text and "*FedImpro" in text
    )


def test_short_bio_prefers_bio_text_and_stays_within_250_words(
    write_record: Callable[..., Path],
) -> None:
    data = write_record(
        textwrap.dedent("""
        name: Jane Doe
        bio:
          text: |
            Jane Doe studies
            things.
        """),
        {"publications.bib": ""},
    )
    assert short_bio(read_inputs(data).source.record) == "Jane Doe studies things."
    long_about = " ".join(["Robust learning is studied here in depth."] * 100)
    data = write_record(
        f"name: Jane Doe\nheadline: Professor\nabout: {long_about}\n", {"publications.bib": ""}
    )
    derived = short_bio(read_inputs(data).source.record)
    assert derived.startswith("Jane Doe is a professor.")
    assert len(derived.split()) <= 250


def test_markdown_in_bio_text_is_rendered_in_the_pdf(
    write_record: Callable[..., Path], tmp_path: Path
) -> None:
    data = write_record(
        "name: Jane Doe\nbio:\n  text: Jane studies **robust** things at [Uni](https://uni.example).\n",
        {"publications.bib": ""},
    )
    cv.build(data, tmp_path, only=["bio"], today=TODAY)
    _, text = page_text(tmp_path / "bio.pdf")
    assert "Jane studies robust things at Uni." in text and "**" not in text
    reader = pypdf.PdfReader(tmp_path / "bio.pdf")
    uris = [a.get_object()["/A"]["/URI"] for a in reader.pages[0].get("/Annots", [])]
    assert "https://uni.example" in uris


@pytest.mark.parametrize(
    ("record", "opening"),
    [
        (
            "example",
            "Zhenheng Tang is a PhD candidate in Computer Science at Hong Kong Baptist University "
            "and a visiting researcher at the Hong Kong University of Science and Technology "
            "(Guangzhou).",
        ),
        (
            "professor",
            "Marine A. Denolle is an associate professor of Earth and Space Sciences at the "
            "University of Washington and a co-founder at Applied Environmental Intelligence.",
        ),
        (
            "scaffold",
            "Ada Lovelace-Byron is an assistant professor of Computer Science at the University "
            "of Somewhere.",
        ),
    ],
)
def test_the_derived_bio_reads_as_an_organiser_would_print_it(
    record: str, opening: str, tmp_path: Path
) -> None:
    from cv.init import init_project

    folders = {"example": EXAMPLE, "professor": REPO / "tests" / "records" / "professor"}
    if record == "scaffold":
        init_project(tmp_path / "new")
        folders["scaffold"] = tmp_path / "new" / "data"
    text = short_bio(read_inputs(folders[record]).source.record)
    assert text.startswith(opening)
    assert "is currently also" not in text and " The " not in text  # no second "is", no "at The"
    assert "(" not in text.replace("(Guangzhou)", "")  # no parenthesised lists
    assert not FIRST_PERSON.search(text)
    sentences = re.split(r"(?<=\.)\s+", text)
    assert len(sentences) == len(set(sentences)), "no sentence twice"


@pytest.mark.parametrize(
    ("phrase", "article"),
    [
        ("PhD candidate", "a"),
        ("MSc student", "an"),
        ("NLP researcher", "an"),
        ("university", "a"),
        ("honorary fellow", "an"),
        ("assistant professor", "an"),
        ("research intern", "a"),
    ],
)
def test_articles_follow_the_sound(phrase: str, article: str) -> None:
    from cv.bio import _article

    assert _article(phrase) == article


def test_earlier_positions_under_one_title_are_said_once() -> None:
    text = short_bio(read_inputs(REPO / "tests" / "records" / "professor").source.record)
    assert text.endswith(
        "Earlier, Marine A. Denolle was an assistant professor at the University of Washington "
        "and Harvard University."
    )


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        ("PhD Candidate in Computer Science", "a PhD candidate in Computer Science"),
        ("Marie Curie Fellow", "a Marie Curie fellow"),
        ("Co-Founder", "a co-founder"),
        ("Associate Professor, Earth and Space Sciences", "an associate professor of Earth"),
        ("MSc Student", "an MSc student"),
    ],
)
def test_a_headline_reads_mid_sentence(headline: str, expected: str) -> None:
    from cv.model import Record

    assert short_bio(Record(name="N", headline=headline)).startswith(f"N is {expected}")
