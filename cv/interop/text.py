"""Text helpers shared by the importers: mojibake repair and a little Markdown/HTML reading."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import cache

__all__ = [
    "repair_mojibake",
    "looks_garbled",
    "markdown_link",
    "html_to_markdown",
    "split_top",
    "strip_period",
    "strip_decoration",
    "plain",
]

# Windows code pages that text is most often wrongly decoded with; the bytes they leave
# undefined are the ones a round trip through them silently loses.
_CODEPAGES = ("cp1252", "cp1254")
_TURKISH_ONLY = set("ğĞıİşŞ")

# When a lost byte leaves several characters possible, these win, in this order: the emoji
# homepages use, then punctuation and ligatures.
_PREFERRED = "🎉📝🎖🔥📖💬💻🏆🎓🏅🥇🥈🥉✨🚀📢📣⭐🌟👉📌📚🎤🔬💡📄📰🎊👏💼🤝🌍”“’‘–—…•ﬁﬂﬀﬃﬄ"
_PLAUSIBLE = {"So", "Pi", "Pf", "Pd", "Po"}


@cache
def _byte_of() -> tuple[dict[str, int], dict[str, set[int]]]:
    """Character -> byte in the code pages, and each code page's undefined bytes."""
    mapping: dict[str, int] = {}
    undefined: dict[str, set[int]] = {}
    for codepage in _CODEPAGES:
        undefined[codepage] = set()
        for byte in range(0x80, 0x100):
            try:
                mapping.setdefault(bytes([byte]).decode(codepage), byte)
            except UnicodeDecodeError:
                undefined[codepage].add(byte)
    return mapping, undefined


def _sequence_length(byte: int) -> int:
    if 0xC2 <= byte <= 0xDF:
        return 2
    if 0xE0 <= byte <= 0xEF:
        return 3
    if 0xF0 <= byte <= 0xF4:
        return 4
    return 0


def _guess(prefix: bytes, lost: set[int]) -> str | None:
    """The character a UTF-8 sequence most likely was, given that one byte of it was lost."""
    found: list[str] = []
    for position in range(1, len(prefix) + 1):
        for byte in sorted(lost):
            candidate = prefix[:position] + bytes([byte]) + prefix[position:]
            try:
                char = candidate.decode("utf-8")
            except UnicodeDecodeError:
                continue
            if len(char) == 1 and char not in found:
                found.append(char)
    preferred = [char for char in _PREFERRED if char in found]
    if preferred:
        return preferred[0]
    plausible = [char for char in found if unicodedata.category(char) in _PLAUSIBLE]
    return plausible[0] if len(plausible) == 1 else None


def _restore_lost_bytes(text: str) -> str:
    """Repair mojibake whose code page dropped a byte (``ğŸ‰`` for 🎉), which ftfy cannot."""
    byte_of, undefined = _byte_of()
    out: list[str] = []
    index = 0
    while index < len(text):
        byte = byte_of.get(text[index])
        length = _sequence_length(byte) if byte is not None else 0
        if not length:
            out.append(text[index])
            index += 1
            continue
        following = 0
        while following < length - 1 and index + 1 + following < len(text):
            next_byte = byte_of.get(text[index + 1 + following])
            if next_byte is None or not 0x80 <= next_byte <= 0xBF:
                break
            following += 1
        if following == length - 2 and following >= 1:
            run = text[index : index + 1 + following]
            codepage = "cp1254" if _TURKISH_ONLY & set(run) else "cp1252"
            prefix = bytes(byte_of[char] for char in run)
            char = _guess(prefix, undefined[codepage])
            if char is not None:
                out.append(char)
                index += 1 + following
                continue
        # complete sequences are ftfy's job; anything else is left as written
        out.append(text[index : index + 1 + following])
        index += 1 + following
    return "".join(out)


def repair_mojibake(text: str) -> str:
    """Undo text decoded with the wrong code page (``ğŸ”¥`` -> 🔥), also when bytes were lost.

    ftfy repairs complete sequences; sequences that lost a byte the code page does not define
    are guessed first, preferring the emoji and punctuation that homepages use. Quotes stay
    curly and HTML entities stay as written.
    """
    import ftfy

    if text.isascii():
        return text
    return ftfy.fix_text(
        _restore_lost_bytes(text),
        unescape_html=False,
        uncurl_quotes=False,
        fix_character_width=False,
        restore_byte_a0=False,
        explain=False,
    )


def looks_garbled(text: str) -> bool:
    """Whether text still looks like mojibake after repair."""
    import ftfy.badness

    return not text.isascii() and ftfy.badness.is_bad(text)


# --- Markdown and HTML ---------------------------------------------------------------------

LINK = re.compile(
    r"\[((?:\\.|[^\[\]\\]|\[(?:\\.|[^\[\]\\])*\])*)\]\(\s*<?([^()\s<>]*(?:\([^()\s]*\)[^()\s<>]*)*)>?\s*\)"
)


def markdown_link(text: str) -> tuple[str, str] | None:
    """Label and URL when ``text`` is exactly one Markdown link (optionally in bold)."""
    text = text.strip()
    bold = re.fullmatch(r"(\*\*|__)(.*)\1", text)
    if bold:
        text = bold.group(2).strip()
    match = LINK.fullmatch(text)
    if not match:
        return None
    label = match.group(1).strip()
    inner = re.fullmatch(r"(\*\*|__)(.*)\1", label)
    return (inner.group(2).strip() if inner else label), match.group(2)


def html_to_markdown(text: str) -> str:
    """Inline HTML -> Markdown on one line, as a browser reads it (:mod:`cv.interop.html_text`)."""
    from cv.interop.html_text import inline_markdown, parse_html

    return " ".join(inline_markdown(parse_html(text)).split("\n"))


def plain(text: str) -> str:
    """Markdown inline text -> plain text (links keep their label, emphasis markers go)."""
    text = LINK.sub(lambda m: m.group(1), text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*\\])([*_])(?!\s)(.+?)(?<![\s\\])\1(?![\w*])", r"\2", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|])", r"\1", text)
    return " ".join(text.split())


def split_top(text: str, separator: str = ",") -> list[str]:
    """Split on ``separator`` + whitespace outside links, brackets, parentheses, quotes and bold."""
    parts: list[str] = []
    depth = 0
    quoted = False
    bold = False
    balanced = text.count("**") % 2 == 0  # an unpaired ** is a literal, not a span
    start = 0
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if balanced and text.startswith("**", index):
            bold = not bold
            index += 2
            continue
        if char in "[(":
            depth += 1
        elif char in "])" and depth:
            depth -= 1
        elif char in '"“”':
            quoted = not quoted if char == '"' else char == "“"
        elif (
            text.startswith(separator, index)
            and not depth
            and not quoted
            and not bold
            and (index + len(separator) >= len(text) or text[index + len(separator)].isspace())
        ):
            parts.append(text[start:index].strip())
            start = index + len(separator)
            index = start
            continue
        index += 1
    parts.append(text[start:].strip())
    return [part for part in parts if part]


_ABBREVIATIONS = re.compile(r"\b(?:Inc|Ltd|Co|Corp|Jr|Sr|Dept|al|etc|St|Univ|Prof|Dr|vs)\.$")


def strip_period(text: str) -> str:
    """Drop one sentence-ending period (not the one of "Inc." or "et al.")."""
    text = text.strip()
    if text.endswith(".") and not text.endswith("..") and not _ABBREVIATIONS.search(text):
        return text[:-1].rstrip()
    return text


def strip_decoration(text: str) -> str:
    """Drop leading HTML spaces, emoji and symbols (``&nbsp;🎉🎉 Our paper`` -> ``Our paper``)."""
    text = html.unescape(text)
    index = 0
    while index < len(text):
        char = text[index]
        category = unicodedata.category(char)
        if char.isspace() or category in ("So", "Sk", "Cf", "Mn") or char in "\ufe0f\u200d":
            index += 1
        else:
            break
    return text[index:].strip()
