"""cv.typeset: soft hyphens, curly apostrophes and no-break spaces, in the body text only."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest

from cv.typeset import SOFT_HYPHEN, typeset

from .conftest import REPO

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


# --- the patterns kept in the cache (cv.cache) ------------------------------------------------


def _fresh(monkeypatch: pytest.MonkeyPatch, cache: Path) -> None:
    """A process's first build: nothing in memory, ``cache`` as the user's cache folder."""
    import pyphen

    from cv import typeset as module

    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setattr(pyphen, "hdcache", {})
    module._dictionary.cache_clear()
    module._hyphenated.cache_clear()


WORDS = (REPO / "README.md").read_text(encoding="utf-8") + " ".join(
    ("knowledge", "hyphenation", "representation", "Verteilung", "connaissance", "développement")
)


@pytest.mark.parametrize("lang", ["en", "en-GB", "de", "fr"])
def test_patterns_read_back_from_the_cache_break_every_word_as_parsed_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    import pyphen

    from cv.cache import cache_folder

    page = f"<body><p>{WORDS}</p></body>"
    _fresh(monkeypatch, tmp_path)
    parsed = typeset(page, lang)
    kept = list(cache_folder("hyphenation").glob("*.marshal"))
    assert len(kept) == 1, "the parsed patterns were not kept"
    _fresh(monkeypatch, tmp_path)
    monkeypatch.setattr(pyphen.HyphDict, "__init__", _never_parsed)
    assert typeset(page, lang) == parsed
    assert SHY in parsed


def _never_parsed(*_args: object) -> None:
    raise AssertionError("parsed again: the kept patterns were not used")


@pytest.mark.parametrize(
    "kept",
    [b"", b"not marshal", marshal.dumps({"ab": "not a pair"}), marshal.dumps([1, 2]), None],
)
def test_a_damaged_or_linked_cache_file_is_parsed_again_never_a_failed_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kept: bytes | None
) -> None:
    from cv.cache import cache_folder

    _fresh(monkeypatch, tmp_path)
    expected = body("<p>knowledge</p>")
    (file,) = cache_folder("hyphenation").glob("*.marshal")
    file.unlink()
    if kept is None:  # a link where the file goes, to a file elsewhere
        elsewhere = tmp_path / "elsewhere"
        elsewhere.write_bytes(b"x")
        file.symlink_to(elsewhere)
    else:
        file.write_bytes(kept)
    _fresh(monkeypatch, tmp_path)
    assert body("<p>knowledge</p>") == expected
