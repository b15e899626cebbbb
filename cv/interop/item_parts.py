"""The parts of the items academics list on their homepages, shared by the sections' readers.

Each section's :func:`read_markdown` (in :mod:`cv.sections`) takes one item apart with these:
a period at its start or end (``*2019.06 - 2022.04*, ...``), an advisor (``advised by X``), a
location (``... · Paris``), a link around the whole text, the nested items as details. Nothing
here imports :mod:`cv.model`, which imports the sections.
"""

from __future__ import annotations

import re

from cv.interop.markdown_items import Block, split_date_prefix, split_date_suffix
from cv.interop.text import markdown_link, plain, split_top, strip_period

__all__ = [
    "ADVISING",
    "ADVISOR",
    "AMOUNT",
    "COURSE_CODE",
    "DEGREE",
    "GRANT_FUNDER",
    "GRANT_NUMBER",
    "GRANT_ROLE",
    "GRANT_ROLE_MARK",
    "INSTITUTION",
    "LANGUAGE",
    "LEVEL",
    "MEMBER_AFTER",
    "MEMBER_GRADE",
    "MEMBER_OF",
    "PATENT_NUMBER",
    "PATENT_OFFICE",
    "PATENT_STATUS",
    "REVIEWING",
    "ROLE_WORDS",
    "SKILL",
    "SOFTWARE_STATS",
    "STUDENT_NEXT",
    "TEACHING_ROLE",
    "THESIS",
    "YEAR",
    "advisor",
    "amount",
    "dated",
    "details",
    "emphasised_head",
    "level_of",
    "linked",
    "location",
    "looks_like_name",
    "markdown_list",
    "role_at",
    "split_description",
    "label_colon",
    "trailing_link",
    "unbold",
    "whole_text",
]

ADVISOR = re.compile(
    r"(?:[,;]\s*|\s+|^)(?:(?:co-?)?(?:advised|supervised|mentored|hosted)\s+by|"
    r"(?:co-?)?(?:advisors?|supervisors?|mentors?|hosts?)\s*:)\s*(?P<who>.+?)\s*\.?\s*$",
    re.I,
)
_ADVISOR_ASIDE = re.compile(
    r"\s*\((?:co-?)?(?:advisors?|supervisors?|mentors?|hosts?)\s*:\s*(?P<who>[^()]+?)\s*\)\s*\.?\s*$",
    re.I,
)
DEGREE = re.compile(
    r"^(?:ph\.?\s?d|doctor|d\.?phil|master|m\.?s\.?c?\b|m\.?sc|m\.?eng|m\.?a\.?\b|m\.?phil|mba|"
    r"bachelor|b\.?s\.?c?\b|b\.?sc|b\.?eng|b\.?a\.?\b|b\.?tech|m\.?tech|diploma|postdoc|visiting)",
    re.I,
)
INSTITUTION = re.compile(
    r"universit|college|institut|school|academy|polytechnic|\bETH\b|\bEPFL\b|\bMIT\b|\bHKUST\b|\bHUST\b",
    re.I,
)
TEACHING_ROLE = re.compile(
    r"assistant|instructor|lecturer|tutor|teacher|\bTA\b|grader|co-?instructor|demonstrator", re.I
)
ROLE_WORDS = re.compile(
    r"intern|research(?:er)?|engineer|scientist|assistant|student|developer|fellow|visiting|analyst|"
    r"consultant|member|staff|lead|manager|professor|postdoc",
    re.I,
)
#: Reviewing and editing, which is service even under a heading of teaching ("ACL ARR Reviewer").
REVIEWING = re.compile(
    r"\breview(?:er|ers|ing)\b|program committee|\bPC member|area chair|\beditor\b", re.I
)
COURSE_CODE = re.compile(r"^([A-Z]{2,6}\s?\d{3,5}[A-Z]?),\s+")
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")

#: A role on a grant, as homepages mark it: ``[PI]:``, ``(Co-PI)``, ``Lead CI``.
GRANT_ROLE = re.compile(
    r"(?:lead\s+|chief\s+|co-?\s?)?(?:pi|ci|i|investigator|principal investigator)|"
    r"senior personnel|key personnel|participant|collaborator|consultant|mentor",
    re.I,
)
#: A role marked before a grant's title: ``**[PI]:**``, ``\\[Participant\\]:``.
GRANT_ROLE_MARK = re.compile(
    r"^\s*(?:\*\*)?\s*\\?\[\s*(?P<role>[^\]\\]{1,40}?)\s*\\?\]\s*:?\s*(?:\*\*)?\s*:?\s*"
)
#: Who funds a grant, as a labelled piece: ``Funding source: NSFC``.
GRANT_FUNDER = re.compile(
    r"^(?:(?:funding source|funder|source|sponsors?|agency|awarding body)\s*:|funded by|"
    r"awarded by)\s*(?P<funder>.+)$",
    re.I,
)
#: An award number: ``No. 2145678``, ``Grant No.JBK21YJ04``, ``#123``.
GRANT_NUMBER = re.compile(
    r"^(?:(?:grant|award|project|contract)\s+)?(?:no\.?|number|#)\s*:?\s*(?P<number>\S.*)$", re.I
)
#: An amount with its currency: ``USD 500,000``, ``$7840 USD``, ``€1.2M``, ``HK$1,000,000``.
AMOUNT = re.compile(
    r"^(?P<code>[A-Z]{3})?\s*(?P<symbol>(?:HK|US|AU|A|C|CA|S|NZ)?[$€£¥])?\s*"
    r"(?P<number>\d[\d,]*(?:\.\d+)?)\s*(?P<scale>[KkMm]\b)?\s*(?P<code_after>[A-Z]{3})?$"
)
_SYMBOLS = {"€": "EUR", "£": "GBP", "US$": "USD", "HK$": "HKD", "AU$": "AUD", "A$": "AUD"}
_SYMBOLS |= {"C$": "CAD", "CA$": "CAD", "S$": "SGD", "NZ$": "NZD"}

#: A patent's number: ``US 11,111,111 B2``, ``CN118781007A``, ``ZL202410218732.1``.
PATENT_NUMBER = re.compile(
    r"^(?:[A-Z]{2,3}\s?)?(?:patent\s+)?(?:(?:no\.?|number)\s*:?\s*)?(?:[A-Z]{2,3}\s?)?"
    r"\d[\d,./ -]{4,}[A-Z]?\d?$",
    re.I,
)
PATENT_OFFICE = re.compile(
    r"USPTO|EPO|WIPO|JPO|KIPO|CNIPA|SIPO|UKIPO|DPMA|INPI|CIPO|IP Australia|PCT|"
    r".*\b(?:patent|intellectual property) office\b.*",
    re.I,
)
#: ``granted``, ``filed 2024``, ``pending``.
PATENT_STATUS = re.compile(
    r"^(?P<status>filed|granted|pending|issued|awarded|applied)"
    r"(?:\s+(?:in\s+|on\s+)?(?P<date>(?:19|20)\d{2}(?:[./-]\d{1,2})?))?$",
    re.I,
)

#: A software's numbers, as the user gives them: ``2.1k stars``, ``⭐ 300``, ``1M downloads``.
SOFTWARE_STATS = re.compile(
    r"\d[\d,.]*\s*[kKmM+]?\s*(?:stars?|★|⭐|downloads?|forks?|users?|installs?|pulls?)|"
    r"(?:stars?|★|⭐|downloads?)\s*:?\s*\d",
    re.I,
)

#: ``**Programming** (advanced): Python, C++`` and ``English: Native`` / ``French (fluent)``.
SKILL = re.compile(
    r"(\*\*|__)?(?P<name>[^*:()]+?)\1?\s*(?:\((?P<level>[^()]+)\))?\s*(?::\s*(?P<words>.*))?"
)
LANGUAGE = re.compile(r"(?P<language>[^:(–—]+?)\s*(?::|\(|–|—|\s-\s)\s*(?P<fluency>[^()]*?)\)?")

#: A membership's grade: ``Member``, ``Senior Member``, ``Fellow``.
MEMBER_GRADE = re.compile(
    r"(?:(?:senior|student|life|associate|affiliate|full|graduate|elected|honorary|regular)\s+)?"
    r"(?:member|fellow|affiliate|associate)",
    re.I,
)
#: ``Senior Member of IEEE`` and ``IEEE Student Member``.
MEMBER_OF = re.compile(rf"(?P<grade>{MEMBER_GRADE.pattern})\s+(?:of|in)\s+(?P<org>.+)", re.I)
MEMBER_AFTER = re.compile(rf"(?P<org>.+?)\s+(?P<grade>{MEMBER_GRADE.pattern})", re.I)

#: A student's thesis (``thesis: *Title*``), where they went next, and the supervisor's role.
THESIS = re.compile(r"^(?:\*\*|\*|_)?thesis(?:\*\*|\*|_)?\s*:\s*(?P<thesis>.+)$", re.I)
STUDENT_NEXT = re.compile(
    r"^(?:next|now(?:\s+at)?|then|placement|first job|→)\s*:?\s*(?P<next>.+)$", re.I
)
ADVISING = re.compile(
    r"(?P<co>co-?\s?)?(?:main |primary )?(?:advised|supervised|advisor|supervisor)", re.I
)

#: A student's level as homepages write it, anywhere in a subheading or as one piece of an item.
LEVEL = re.compile(
    r"(?<!\w)(?:(?P<Postdoc>post-?doc(?:toral)?s?)|(?P<PhD>ph\.?\s?d\.?|doctoral|doctorate)|"
    r"(?P<MSc>m\.?\s?sc?\.?(?!\w)|m\.?eng\.?(?!\w)|master[’']?s?|mphil)|"
    r"(?P<BSc>b\.?\s?sc?\.?(?!\w)|b\.?eng\.?(?!\w)|bachelor[’']?s?|undergrad(?:uate)?s?|"
    r"capstone)|(?P<Intern>interns?(?:hips?)?(?!\w)|visiting students?))",
    re.I,
)
_LEVEL_PIECE = re.compile(
    rf"(?:{LEVEL.pattern})(?:\s+(?:students?|candidates?|researchers?|fellows?|thesis))?", re.I
)

_NAME_PARTICLES = {"van", "von", "de", "der", "den", "di", "da", "du", "le", "la", "del", "dos"}


def dated(text: str) -> tuple[str | None, str | None, str]:
    """``(start, end, rest)`` from a period at the start or the end of ``text``."""
    found = split_date_prefix(text) or split_date_suffix(strip_period(text))
    if found is None:
        return None, None, text
    return found


def advisor(text: str, *, split_link: bool) -> tuple[str, str | None, str | None]:
    """``(rest, who, url)``: the advisor named at the end (``advised by [X](url)``)."""
    found = ADVISOR.search(text) or _ADVISOR_ASIDE.search(text)
    if not found:
        return text, None, None
    who = found.group("who").strip()
    rest = text[: found.start()].rstrip(" ,;")
    if split_link:
        link = markdown_link(who)
        if link:
            return rest, link[0], link[1]
    return rest, who, None


def location(text: str) -> tuple[str, str | None]:
    """``(main, location)``: the location after `` · `` (the homepage's separator)."""
    parts = [strip_period(part) for part in text.split(" · ")]
    return parts[0], (" · ".join(parts[1:]) or None)


def linked(text: str) -> tuple[str, str | None]:
    """``(label, url)`` when the whole text is one link, else ``(text, None)``."""
    text = strip_period(text.strip())
    link = markdown_link(text)
    return (link[0], link[1]) if link else (text, None)


def role_at(text: str) -> tuple[str | None, str | None]:
    """``(role, institution)`` of ``Teaching Assistant at HKBU`` (either may be missing)."""
    alone = re.match(r"^(?:at|@)\s+(.+)$", text, re.I)
    if alone:
        return None, alone.group(1).strip()
    found = re.match(r"^(.+?)\s+(?:at|@|in)\s+(.+)$", text) or re.match(r"^(.+?),\s+(.+)$", text)
    if found:
        return found.group(1).strip(), found.group(2).strip()
    if INSTITUTION.search(text) and not TEACHING_ROLE.search(text):
        return None, text
    return text or None, None


def details(block: Block) -> list[str]:
    """The nested items of an item, each one a detail."""
    return [strip_period(child.text) for child in block.walk()[1:]]


def whole_text(block: Block) -> str:
    """The item and everything nested in it, as one line."""
    return " ".join([block.text, *(child.text for child in block.walk()[1:])])


def trailing_link(text: str) -> tuple[str, str | None]:
    """``(rest, url)`` of a line that ends with ``[Link](url)`` (or ``[website]``, ...)."""
    found = re.search(
        r"[\s.,;|]*(?:\\\[)?\[(?:\\\[)?(link|url|website|here|details|more|news|page|"
        r"certificate|announcement|github|code)(?:\\\])?\]\(([^)\s]+)\)(?:\\\])?\s*\.?\s*$",
        text,
        re.I,
    )
    if found:
        return text[: found.start()], found.group(2)
    return text, None


def markdown_list(block: Block, depth: int = 0) -> list[str]:
    """An item and its nested items as Markdown list lines (HTML turned into Markdown)."""
    lines = [f"{'  ' * depth}- {block.text}"]
    for child in block.children:
        lines += markdown_list(child, depth + 1)
    return lines


def unbold(text: str) -> str:
    """The text without the bold around all of it (``**AI Researcher**`` -> ``AI Researcher``)."""
    found = re.fullmatch(r"\s*(\*\*|__)([^*_]+?)\1\s*", text)
    return found.group(2).strip() if found else text.strip()


def label_colon(text: str) -> str:
    """``**Reviewer:** X`` -> ``**Reviewer**: X``, so the label's colon is outside the bold."""
    return re.sub(r"^(\s*)(\*\*|__)([^*_]+?)\s*:\s*\2", r"\1\2\3\2:", text)


def emphasised_head(text: str) -> tuple[str, str] | None:
    """``(head, rest)`` when the text begins with an emphasised or quoted span (a title)."""
    found = re.match(r'^\s*(\*\*|\*|_|["“])(.+?)(\1|”)\s*[,.:;]?\s*(.*)$', text)
    if not found or (found.group(1) == "“") != (found.group(3) == "”"):
        return None
    return strip_period(found.group(2)), found.group(4).strip()


def split_description(text: str) -> tuple[str, str | None]:
    """``(head, description)`` of ``**Name**, role: what it does`` (the first top-level colon)."""
    if text.lstrip().startswith(":"):
        return "", text.lstrip()[1:].strip() or None
    parts = split_top(text, ":")
    if len(parts) < 2:
        return text.strip(), None
    return parts[0], ": ".join(parts[1:])


def level_of(text: str, *, whole: bool) -> str | None:
    """The student level (PhD, MSc, BSc, Postdoc, Intern) a piece is, or a heading names."""
    cleaned = plain(text).strip(" .:;()")
    found = _LEVEL_PIECE.fullmatch(cleaned) if whole else LEVEL.search(cleaned)
    if found is None:
        return None
    return next(name for name, value in found.groupdict().items() if value)


def amount(text: str) -> tuple[str, str] | None:
    """``(amount, currency)`` of ``USD 500,000``, ``€1.2M`` or ``$7840 USD``; None otherwise.

    A bare ``$`` names no currency (US, Australian, Canadian, ...): it needs a code beside it.
    """
    found = AMOUNT.fullmatch(plain(text).strip(" .;"))
    if found is None:
        return None
    symbol = found.group("symbol") or ""
    code = found.group("code") or found.group("code_after") or _SYMBOLS.get(symbol)
    if code is None and symbol.endswith("¥"):
        return None
    if code is None:
        return None
    number = found.group("number").replace(",", "")
    scale = {"k": 1_000, "m": 1_000_000}.get((found.group("scale") or "").lower())
    if scale:
        value = float(number) * scale
        number = str(int(value)) if value.is_integer() else str(value)
    return number, code


def looks_like_name(text: str) -> bool:
    """Whether a piece looks like a person's name (``Jane Q. Doe``, ``J. Guo``, ``唐振衡``)."""
    text = plain(text).strip().rstrip("*")
    if not text or len(text) > 60 or re.search(r"\d|[()\[\]:;/]", text):
        return False
    words = text.split()
    if len(words) > 5:
        return False
    if len(words) == 1:
        return bool(re.fullmatch(r"[^\W\d_]{2,4}", text)) and not text.isascii()
    return all(word[0].isupper() or word.lower() in _NAME_PARTICLES for word in words)


# --- what kind of venue a free-text venue is (a JSON Resume or RenderCV publication) ----------

VENUE_JOURNAL = re.compile(
    r"journal|transactions|magazine|letters|review|nature|science|proceedings of the national"
    r"|\bpnas\b|\d+\s*\(\d+\)",
    re.I,
)
VENUE_CONFERENCE = re.compile(r"conference|proceedings|symposium|workshop|meeting|\bconf\b", re.I)
VENUE_PREPRINT = re.compile(r"arxiv|preprint|biorxiv|medrxiv|ssrn|psyarxiv|chemrxiv", re.I)
VENUE_THESIS = re.compile(r"thesis|dissertation|proquest", re.I)
