"""The one-page bio: what goes on it, the short third-person text, and fitting it to one page.

Fitting: the bio is laid out once as it is. When it runs over, the heights WeasyPrint measured
for every list item say how much to leave out; lists are shortened and the type and spacing
tightened in the documented order (:data:`STEPS`), and the result is laid out again to confirm.
Ordinary records take one to three layout passes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from markupsafe import Markup

from cv import i18n, markup
from cv.bibliography import Publication
from cv.citation import to_markdown
from cv.errors import CVError
from cv.fonts import add_print_fonts
from cv.i18n import word
from cv.loader import Source
from cv.model import Record
from cv.render import page_css, page_meta, person
from cv.sections.about import interest_items
from cv.sections.registry import BUILT_IN
from cv.themes import Theme, render_template
from cv.views import AwardView, reference_view

DENSITIES = ("normal", "compact", "minimum")
"""Type and spacing, loosest first; ``minimum`` is the floor (9 pt type)."""

STEPS: tuple[tuple[str, int | str], ...] = (
    ("publications", 5),
    ("awards", 3),
    ("interests", 4),
    ("education", 3),
    ("publications", 3),
    ("awards", 2),
    ("interests", 3),
    ("density", "compact"),
    ("publications", 2),
    ("awards", 1),
    ("interests", 2),
    ("education", 2),
    ("density", "minimum"),
    ("publications", 1),
    ("interests", 1),
    ("education", 1),
)
"""The documented order of shortening: a list down to a number of items, or tighter type.

Lists are cut from their end (the least important item: the oldest paper among those selected,
the oldest honor), a few at a time, so that no list is emptied while another is still long.
"""

LIST_LABELS = {
    "publications": "selected publications",
    "awards": "honors",
    "interests": "research interests",
    "education": "degrees",
}

MAX_PASSES = 8
WORDS_MIN, WORDS_MAX = 80, 250
FIRST_PERSON = re.compile(
    r"\b(I|I'm|I’m|I've|I’ve|me|my|mine|we|we're|our|ours|us)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Plan:
    """How many items of each list the bio shows, and how dense it is set."""

    counts: Mapping[str, int]
    density: str = "normal"

    def shortened(self, full: Mapping[str, int]) -> list[str]:
        """What was left out, as sentences for the terminal."""
        return [
            f"bio: {self.counts[name]} of {full[name]} {LIST_LABELS[name]} shown to fit one page"
            for name in full
            if self.counts[name] < full[name]
        ]


@dataclass(frozen=True)
class BioContent:
    """Everything the bio can show, in order of importance within each list."""

    text: str
    publications: tuple[Publication, ...]
    awards: tuple[Any, ...]
    interests: tuple[tuple[Markup, Markup], ...]
    education: tuple[Markup, ...]
    html: Markup = Markup("")  # ``bio.text`` rendered from Markdown, when the record has one

    def full_plan(self) -> Plan:
        return Plan({name: len(getattr(self, name)) for name in LIST_LABELS})


def bio_content(
    record: Record, publications: Sequence[Publication], citations: Mapping[str, int] | None = None
) -> BioContent:
    """Pick what the bio shows: the short text, selected papers, key honors, degrees."""
    awards = BUILT_IN["awards"].ordered(record)[: record.bio.awards]  # as the CV shows them
    degrees = BUILT_IN["education"].ordered(record)
    interests = interest_items(record)
    return BioContent(
        text=short_bio(record),
        html=markup.inline(" ".join(record.bio.text.split())) if record.bio.text else Markup(""),
        publications=tuple(
            select_publications(publications, record.bio.publications, citations or {})
        ),
        awards=tuple(awards),
        interests=interests,
        education=tuple(_degree_line(e) for e in degrees),
    )


def select_publications(
    publications: Sequence[Publication], count: int, citations: Mapping[str, int]
) -> list[Publication]:
    """``selected`` papers (newest first); else the most cited; else the newest."""
    chosen = [p for p in publications if p.selected]
    if not chosen and citations:
        cited = [p for p in publications if citations.get(p.key)]
        chosen = sorted(cited, key=lambda p: -citations[p.key])  # stable: ties stay newest first
    if not chosen:
        chosen = list(publications)
    return chosen[:count]


def _degree_line(entry: Any) -> Markup:
    # "PhD in Physics"; in another language "Promotion, Physik"
    joint = Markup(" in ") if i18n.in_english() else Markup(", ")
    degree = joint.join(x for x in (markup.inline(entry.degree), markup.inline(entry.field)) if x)
    if entry.end is not None and entry.end.is_present:
        year = f"{word('since')} {entry.start}" if entry.start else word("ongoing")
    else:
        year = str(entry.end or "")
    parts = [degree, markup.inline(entry.institution), Markup.escape(year)]
    return Markup(", ").join(p for p in parts if p)


def short_bio(record: Record) -> str:
    """The third-person short bio: ``bio.text``, or one written from the record (80-250 words).

    Written as an organiser would print it: titles in lower case mid-sentence ("a PhD
    candidate in Computer Science"), "the" before an institution that takes it ("at the
    University of Washington"), current positions in the first sentence, once each, no
    pronouns (the record does not say which the person uses). The research interests and the
    honors are lists of their own on the bio, so the text does not repeat them; of ``about``
    it keeps the sentences not in the first person.
    """
    if record.bio.text:
        return " ".join(record.bio.text.split())
    if not i18n.in_english():
        # The sentences written from the record are English; in another language the bio says
        # what the record says in its own words (about), and bio.text gives the rest.
        return _within(_sentences(_plain(record.about)))
    name = record.name
    role = _title(_plain(record.headline))
    here = _plain(record.affiliation)
    roles = [_role(role or ("researcher" if here else ""), here)] if role or here else []
    for e in record.experience:
        if e.end is not None and e.end.is_present:
            position = _role(_title(_plain(e.role)), _plain(e.organization))
            if position and not _same(position, roles, here, _plain(e.organization)):
                roles.append(position)
    sentences = [f"{name} is {_and(roles)}."] if roles else []
    for sentence in _sentences(_plain(record.about)):
        if not FIRST_PERSON.search(sentence):
            sentences.append(sentence)
    previous = [e for e in record.experience if not (e.end and e.end.is_present)][:2]
    earlier = _same_title_once([(_title(_plain(e.role)), _plain(e.organization)) for e in previous])
    if any(earlier):
        sentences.append(f"Earlier, {name} was {_and(earlier)}.")
    return _within(sentences)


def _within(sentences: list[str]) -> str:
    """The first sentences that fit in :data:`WORDS_MAX` words."""
    text = ""
    for sentence in sentences:
        if len((text + " " + sentence).split()) > WORDS_MAX:
            break
        text = f"{text} {sentence}".strip()
    return text


def _role(title: str, place: str) -> str:
    """ "a visiting researcher at the National University of Singapore", or "" without a title."""
    if not title:
        return ""
    return f"{_article(title)} {title}" + (f" at {_institution(place)}" if place else "")


def _same_title_once(positions: list[tuple[str, str]]) -> list[str]:
    """Positions as phrases, one title for the places held under it in a row: "an assistant
    professor at the University of Washington and Harvard University"."""
    phrases: list[str] = []
    previous, places = "", []
    for title, place in [*positions, ("", "")]:
        if title and title == previous and place:
            places.append(_institution(place))
            continue
        if previous:
            joined = _and(places) if places else ""
            phrases.append(f"{_article(previous)} {previous}" + (f" at {joined}" if joined else ""))
        previous, places = title, [_institution(place)] if place else []
    return phrases


def _same(position: str, roles: list[str], affiliation: str, organization: str) -> bool:
    """Whether a current position says again what the headline said ("an assistant professor
    at X" beside "an assistant professor of Y at X")."""
    if position in roles:
        return True
    head = position.split(" at ")[0]
    return organization.casefold() == affiliation.casefold() and any(
        role.startswith(head) for role in roles
    )


_TITLE_WORDS = """adjunct affiliate analyst architect assistant associate candidate chair chief
clinical co-founder co-director consultant dean deputy developer director distinguished doctoral
editor emeritus engineer faculty fellow founder full graduate head honorary instructor intern
junior lab laboratory lead leader lecturer manager member officer postdoc postdoctoral president
principal professor program programme reader research researcher scholar scientist senior
software staff student teaching undergraduate visiting"""
TITLE_WORDS = frozenset(_TITLE_WORDS.split())
"""The words of job titles set in lower case mid-sentence ("a visiting researcher"). Others
keep their capitals: a name in a title stays one ("a Marie Curie fellow")."""
_FIELD = re.compile(r"\s+(?:in|of|for)\s+|,\s+")


def _title(role: str) -> str:
    """A job title as it reads mid-sentence: its head in lower case, the field as written.

    "PhD Candidate in Computer Science" -> "PhD candidate in Computer Science";
    "Associate Professor, Earth and Space Sciences" -> "associate professor of Earth and Space
    Sciences". Only the words of :data:`TITLE_WORDS` change: "PhD", "AI", names stay.
    """
    found = _FIELD.search(role)
    head, joint, field = (
        (role[: found.start()], found.group(0), role[found.end() :]) if found else (role, "", "")
    )
    words = [word.lower() if word.lower() in TITLE_WORDS else word for word in head.split()]
    joint = " of " if joint.strip() == "," else joint
    return " ".join(words) + joint + field


def _institution(name: str) -> str:
    """An institution's name as it follows "at": "the" where it takes one."""
    if name[:4] in ("The ", "the "):
        return "the " + name[4:]
    if " of " in name and not name.startswith(("a ", "an ")):
        return "the " + name  # "the University of Washington", "the Institute of Elsewhere"
    return name


def _plain(text: str | None) -> str:
    """Inline Markdown reduced to its text: links keep their words, emphasis markers go."""
    if not text:
        return ""
    html = str(markup.inline(text))
    return " ".join(Markup(html).striptags().split())


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


_AN_LETTERS = "AEFHILMNORSX"  # letters whose names begin with a vowel: "an MSc", "an NLP"


def _article(phrase: str) -> str:
    """ "a" or "an" before ``phrase``, by its sound: "a PhD", "an MSc", "a university"."""
    word = phrase.split()[0] if phrase.split() else ""
    letters = re.sub(r"[^A-Za-z]", "", word)
    if len(letters) > 1 and sum(c.isupper() for c in letters) > 1:  # an acronym, spelled out
        return "an" if letters[0].upper() in _AN_LETTERS else "a"
    lower = word.lower()
    if lower.startswith(("uni", "use", "usu", "eu", "one", "once")):
        return "a"
    if lower.startswith(("hour", "honor", "honour", "heir")):
        return "an"
    return "an" if lower[:1] in "aeiou" else "a"


def _and(items: Any) -> str:
    items = [i for i in items if i]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# --- fitting ----------------------------------------------------------------------------------


class Layout(Protocol):
    """What fitting needs from a laid-out page (see :class:`cv.pdf.Laid`)."""

    @property
    def pages(self) -> int: ...
    def used_height(self) -> float: ...
    def vertical_margins(self) -> float: ...
    def heights(self, attribute: str = "data-fit") -> dict[str, float]: ...


@dataclass(frozen=True)
class Fitted:
    """The bio's layout that fits one page, the plan that made it fit, and how many passes."""

    layout: Any
    plan: Plan
    passes: int
    notes: tuple[str, ...]


PAGE_HEIGHT_PX = {"A4": 297 / 25.4 * 96, "Letter": 11 * 96}
SLACK_PX = 2.0
"""Kept free below the content, so that rounding in the final layout cannot spill a line over."""


def fit_one_page(
    content: BioContent,
    lay_out: Callable[[Plan, bool], Layout],
    source: Source,
) -> Fitted:
    """Lay the bio out on exactly one page, shortening lists and tightening type (:data:`STEPS`).

    Most records fit as they are, so the first pass is on the real page: when everything is on
    it (with :data:`SLACK_PX` to spare), that is the bio, in one pass. Otherwise each round lays
    the plan out on a page tall enough for everything, which measures exactly how much height
    the content needs and each list item takes; the cuts follow from that, and the final layout
    is on the real page. A record that needs shorter lists takes three passes; one that also
    needs tighter type takes four.

    Args:
        content: What the bio can show.
        lay_out: Renders and lays out the bio for a plan, on a tall page when its flag is true.
        source: The record, to locate the problem when even the minimum does not fit.

    Raises:
        CVError: When even the shortest lists at the tightest setting take more than one page.
    """
    full = content.full_plan()
    plan = full
    room = PAGE_HEIGHT_PX[source.record.theme.page_size] - SLACK_PX
    first = lay_out(plan, False)
    if first.pages == 1 and first.used_height() <= room - first.vertical_margins():
        return Fitted(first, plan, 1, ())
    measured = lay_out(plan, True)
    passes, exact = 2, False
    while passes <= MAX_PASSES:  # the first try on the real page is one pass more than the rounds
        # Cuts of measured items are exact: such a plan goes straight to the real page.
        if exact or measured.used_height() <= room - measured.vertical_margins():
            if plan == full:
                laid = first  # already laid out on the real page
            else:
                laid = lay_out(plan, False)
                passes += 1
            if laid.pages == 1:
                return Fitted(laid, plan, passes, tuple(plan.shortened(full.counts)))
            measured = lay_out(plan, True)
            passes += 1
            room -= 12.0  # the real page broke differently: ask for a little more room
        overflow = measured.used_height() - (room - measured.vertical_margins())
        next_plan = _shorter(plan, overflow, measured.heights())
        if next_plan == plan:
            break
        exact = next_plan.density == plan.density
        plan = next_plan
        if not exact:
            measured = lay_out(plan, True)
            passes += 1
    words = len(content.text.split())
    raise CVError(
        source.problem(
            ("bio", "text"),
            f"bio.text is {words} words, too long for a one-page bio even with the shortest lists "
            f"and the smallest type; expected a short bio of {WORDS_MIN}-{WORDS_MAX} words",
        )
    )


def _shorter(plan: Plan, overflow: float, heights: Mapping[str, float]) -> Plan:
    """The next plan in :data:`STEPS` order that removes ``overflow`` px.

    Cuts are exact (item heights were measured); a change of density is not, so the plan stops
    there and the next round measures the tighter type.
    """
    needed = overflow
    counts = dict(plan.counts)
    for what, target in STEPS:
        if needed <= 0:
            break
        if what == "density":
            if DENSITIES.index(str(target)) > DENSITIES.index(plan.density):
                return Plan(counts, str(target))
            continue
        while counts[what] > int(target) and needed > 0:
            counts[what] -= 1
            needed -= heights.get(f"{what}-{counts[what]}", 0.0)
    return Plan(counts, plan.density)


# --- photo and page ---------------------------------------------------------------------------

MAX_PHOTO_BYTES = 64_000_000
"""The largest photo file read (a camera JPEG is 3 to 30 MB)."""

PHOTO_PIXELS = 600
"""Longest side of the photo as embedded: about 5 cm at 300 dpi, far smaller than a camera's."""


def photo_data_uri(source: Source) -> str | None:
    """The record's photo, checked and downsampled, as a ``data:`` URI (None without a photo).

    Raises:
        CVError: Located at ``photo:`` when the file is not a readable JPEG, PNG or WebP image.
    """
    name = source.record.photo
    if not name:
        return None
    import base64
    import io

    from PIL import Image, UnidentifiedImageError  # only for a record with a photo

    from cv.files import file_size, lookup_problem

    path = source.data_dir / name
    expected = "expected a JPEG, PNG or WebP image"
    size = file_size(path)  # the loader checked the file, which may have gone since (cv watch)
    if size is None:
        reason = lookup_problem(path) or "is not there any more"
        raise CVError(source.problem(("photo",), f"photo '{name[:80]}' {reason}; {expected}"))
    if size > MAX_PHOTO_BYTES:
        raise CVError(
            source.problem(
                ("photo",),
                f"photo '{name}' is larger than "
                f"{MAX_PHOTO_BYTES // 1_000_000} MB; {expected} of a few MB at most",
            )
        )
    try:
        with Image.open(path) as image:
            if image.format not in ("JPEG", "PNG", "WEBP"):
                raise CVError(
                    source.problem(("photo",), f"photo '{name}' is {image.format}; {expected}")
                )
            image.load()
            has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
            picture = image.convert("RGBA" if has_alpha else "RGB")
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError) as error:
        reason = str(error).split(" (", 1)[0] or type(error).__name__
        raise CVError(
            source.problem(("photo",), f"cannot read photo '{name}' ({reason}); {expected}")
        ) from None
    picture.thumbnail((PHOTO_PIXELS, PHOTO_PIXELS), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    if has_alpha:
        picture.save(buffer, "PNG", optimize=True)
        kind = "png"
    else:
        picture.save(buffer, "JPEG", quality=88, optimize=True)
        kind = "jpeg"
    return f"data:image/{kind};base64,{base64.b64encode(buffer.getvalue()).decode('ascii')}"


def bio_page_context(content: BioContent, plan: Plan) -> dict[str, Any]:
    """The lists cut to the plan, for the bio template."""
    shown = {name: getattr(content, name)[: plan.counts[name]] for name in LIST_LABELS}
    shown["publications"] = tuple(reference_view(p) for p in shown["publications"])
    shown["awards"] = tuple(
        AwardView(a.title, a.organization, str(a.date)) for a in shown["awards"]
    )
    return {
        "text": content.html or content.text,  # the user's Markdown, or the derived plain text
        "density": plan.density,
        **shown,
    }


# --- bio.md -----------------------------------------------------------------------------------


def bio_markdown(
    record: Record, content: BioContent, links: Sequence[tuple[str, str | None]]
) -> str:
    """The short bio as Markdown, ready to paste into a talk announcement.

    Like the HTML outputs, it passes no raw HTML and no link but a safe one through: text is
    escaped so that no tag, link or image can start in it, and ``bio.text`` keeps only the
    links and emphasis :mod:`cv.markup` lets through.
    """
    lines = [f"# {_md_text(record.name)}", ""]
    position = ", ".join(_plain(x) for x in (record.headline, record.affiliation) if x)
    if position:
        lines += [f"*{_md_text(position)}*", ""]
    shown = [f"[{_md_text(text)}]({_md_url(url)})" for text, url in links if url]
    if shown:
        lines += [" · ".join(shown), ""]
    if content.text:
        lines += [f"## {word('biography')}", ""]
        lines += [_md_inline(content.text) if record.bio.text else _md_text(content.text), ""]
    if content.interests:
        lines += [f"## {word('research_interests')}", ""]
        for title, details in content.interests:
            more = f": {to_markdown(details)}" if details else ""
            lines.append(f"- **{to_markdown(title)}**{more}")
        lines.append("")
    if content.publications:
        lines += [f"## {word('selected_publications')}", ""]
        for number, publication in enumerate(content.publications, 1):
            cited = reference_view(publication)
            link = f" [{_md_text(cited.link_text)}]({_md_url(cited.url)})" if cited.url else ""
            lines.append(f"{number}. {to_markdown(cited.text)}{link}")
        lines.append("")
    if content.awards:
        lines += [f"## {word('honors')}", ""]
        for award in content.awards:
            by = f", {_md_inline(award.organization)}" if award.organization else ""
            lines.append(f"- **{_md_inline(award.title)}**{by} ({award.date})")
        lines.append("")
    if content.education:
        lines += [f"## {word('education')}", ""]
        lines += [f"- {to_markdown(line)}" for line in content.education]
        lines.append("")
    return "\n".join(lines)


_MARKDOWN_OPENERS = re.compile(r"[\\<\[\]]")


def _md_text(text: str) -> str:
    """Plain text for Markdown: a backslash before each ``\\``, ``<``, ``[`` and ``]``, so that no
    raw HTML, autolink, link or image can start in it, nor a link it is the text of end early."""
    return _MARKDOWN_OPENERS.sub(lambda match: "\\" + match.group(), text)


def _md_url(url: str) -> str:
    """A (safe) URL that cannot end its Markdown link early: spaces and brackets encoded."""
    from urllib.parse import quote

    return quote(url, safe=":/?#@!$&'*+,;=%~")


def _md_inline(text: str) -> str:
    """Inline Markdown made safe: rendered by :mod:`cv.markup`, then written back as Markdown."""
    from html.parser import HTMLParser

    marks = {"em": "*", "strong": "**", "code": "`"}
    out: list[str] = []
    hrefs: list[str] = []
    code = False  # in a code span, text is shown as it is

    class Writer(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            nonlocal code
            if tag == "a":
                if out and out[-1].endswith("!"):  # "!" before a link would make it an image
                    out[-1] = out[-1][:-1] + "\\!"
                out.append("[")
                hrefs.append(dict(attrs).get("href") or "")
            code = code or tag == "code"
            out.append(marks.get(tag, ""))

        def handle_endtag(self, tag: str) -> None:
            nonlocal code
            code = code and tag != "code"
            out.append(marks.get(tag, ""))
            if tag == "a" and hrefs:
                out.append(f"]({_md_url(hrefs.pop())})")

        def handle_data(self, data: str) -> None:
            out.append(data if code else _md_text(data))

    writer = Writer(convert_charrefs=True)
    writer.feed(str(markup.inline(text)))
    writer.close()
    return "".join(out)


MEASURING_PAGE = {"A4": "210mm 3000mm", "Letter": "8.5in 3000mm"}
"""Pages as wide as the real ones and tall enough for any bio, to measure what it needs."""


def render_bio(
    record: Record,
    content: BioContent,
    plan: Plan,
    theme: Theme,
    *,
    photo: str | None,
    measure: bool = False,
) -> str:
    """The bio page's HTML for one plan (on a tall measuring page when ``measure`` is true)."""
    context = {
        "person": person(record),
        "bio": bio_page_context(content, plan),
        "photo": photo,
        "meta": page_meta(
            record, word("biography"), MEASURING_PAGE[record.theme.page_size] if measure else None
        ),
        "css": page_css(theme, "bio", for_print=True, options=record.theme),
    }
    return add_print_fonts(render_template(theme, "bio.html.j2", context))
