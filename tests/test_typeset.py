"""cv.typeset: soft hyphens, curly apostrophes and no-break spaces, in the body text only."""

from __future__ import annotations

from cv.typeset import SOFT_HYPHEN, typeset

SHY = SOFT_HYPHEN


def body(text: str, lang: str | None = "en") -> str:
    page = typeset(f"<head><title>t</title></head><body>{text}</body>", lang)
    return page.split("<body>", 1)[1].removesuffix("</body>")


def test_ordinary_words_get_us_english_break_points_three_letters_a_side() -> None:
    assert (
        body("<p>knowledge distillation</p>")
        == f"<p>knowl{SHY}edge dis{SHY}til{SHY}la{SHY}tion</p>"
    )
    assert body("<p>knowledge</p>", "en-GB") == f"<p>know{SHY}ledge</p>"


def test_acronyms_identifiers_addresses_and_compounds_stay_whole() -> None:
    for kept in (
        "FTL-IJCAI",
        "arXiv:2401.17644",
        "FedML",
        "hardware-friendly",
        "ICLR’24",
        "example.org/path",
        "someone@example.org",
        "10.1109/TPDS.2022.3230938",
    ):
        assert SHY not in body(f"<p>{kept}</p>"), kept


def test_links_headings_tags_attributes_and_styles_are_left_alone() -> None:
    html = (
        '<h2>Representations</h2><a href="https://x.org/representation">representation</a>'
        '<span class="representation">x</span><style>.representation{}</style>'
    )
    assert body(html) == html


def test_the_web_page_gets_no_soft_hyphens_but_the_other_touches() -> None:
    assert body("<p>I&#39;m at workshop &#39;21, advised by Prof. Ada Lovelace</p>", None) == (
        "<p>I’m at workshop ’21, advised by Prof.\u00a0Ada Lovelace</p>"
    )


def test_entities_stay_entities() -> None:
    text = "<p>&lt;script&gt; AT&amp;T &#8217;representations&#8217;</p>"
    out = body(text)
    assert out.replace(SHY, "") == text
