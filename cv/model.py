"""The record: pydantic models of every field of ``cv.yaml``. No I/O here.

One name end to end: the YAML key is the field name is the template variable.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

from cv.dates import EXPECTED as DATE_EXPECTED
from cv.dates import Date, parse_date

AcademicDate = Annotated[
    Date,
    PlainValidator(parse_date),
    WithJsonSchema(
        {"anyOf": [{"type": "string"}, {"type": "integer"}], "description": DATE_EXPECTED}
    ),
]

SECTION_TITLES: dict[str, str] = {
    "about": "About Me",
    "news": "News",
    "experience": "Work & Research Experience",
    "teaching": "Teaching",
    "service": "Professional Activities",
    "awards": "Awards and Prizes",
    "publications": "Publications",
    "education": "Educations",
    "talks": "Invited Talks",
    "internships": "Internships",
    "projects": "Projects",
    "skills": "Skills",
    "languages": "Languages",
}
"""Every section, in the homepage's order, with the homepage's titles (then those JSON Resume
adds)."""

SectionName = Literal[
    "about", "news", "experience", "teaching", "service", "awards", "publications", "education",
    "talks", "internships", "projects", "skills", "languages",
]  # fmt: skip


class Strict(BaseModel):
    """Base of every model: unknown keys are errors, strings are trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


def _as_list(value: Any) -> Any:
    """Accept one string where a list of strings is expected."""
    return [value] if isinstance(value, str) else value


_ACADEMIC_YEAR = re.compile(r"\d{4}\s*[/–-]\s*\d{2}(?:\d{2})?")


def _ends_after_start(end: Date | None, info: ValidationInfo) -> Date | None:
    """A period cannot end before it starts (a typo, like 2019 for 2021).

    Compared by year only: terms and academic years do not say their months, and an academic
    year (2022/23) runs into the next year.
    """
    start = info.data.get("start")
    if end is None or start is None or end.year is None or start.year is None:
        return end
    last = end.year + 1 if _ACADEMIC_YEAR.fullmatch(end.text) else end.year
    if last < start.year:
        raise ValueError(
            f"the period ends before it starts ({start.text}); expected an end "
            "on or after the start"
        )
    return end


Details = Annotated[list[str], Field(default_factory=list)]
Tags = Annotated[
    list[str], Field(default_factory=list, description="labels that documents select by")
]


class Profile(Strict):
    """A profile on a network the contact fields do not name (Mastodon, ResearchGate, ...)."""

    network: str
    username: str | None = None
    url: str | None = None


class Contact(Strict):
    email: str | None = None
    phone: str | None = None
    location: str | None = None
    website: str | None = None
    github: str | None = None
    google_scholar: str | None = None
    orcid: str | None = None
    linkedin: str | None = None
    x: str | None = None
    dblp: str | None = None
    profiles: list[Profile] = Field(default_factory=list)


class Interest(Strict):
    title: str
    details: str | None = None


class Bio(Strict):
    text: str | None = None
    publications: int = Field(default=5, ge=0)
    awards: int = Field(default=3, ge=0)


class NewsItem(Strict):
    date: AcademicDate
    text: str
    tags: Tags


class Experience(Strict):
    start: AcademicDate | None = None
    end: AcademicDate | None = None
    role: str
    organization: str | None = None
    url: str | None = None
    location: str | None = None
    advisor: str | None = None
    advisor_url: str | None = None
    details: Details
    tags: Tags

    _list = field_validator("details", mode="before")(_as_list)
    _order = field_validator("end")(_ends_after_start)


class Education(Strict):
    start: AcademicDate | None = None
    end: AcademicDate | None = None
    degree: str
    field: str | None = None
    institution: str
    url: str | None = None
    location: str | None = None
    advisor: str | None = None
    thesis: str | None = None
    details: Details
    tags: Tags

    _list = field_validator("details", mode="before")(_as_list)
    _order = field_validator("end")(_ends_after_start)


class Teaching(Strict):
    term: AcademicDate
    role: str | None = None
    course: str
    institution: str | None = None
    details: Details
    tags: Tags

    _list = field_validator("details", mode="before")(_as_list)


class VenueGroup(Strict):
    label: str
    venues: list[str]


class Service(Strict):
    role: str
    groups: list[VenueGroup] = Field(default_factory=list)
    venues: list[str] = Field(default_factory=list)
    date: AcademicDate | None = None
    details: Details
    tags: Tags

    _list = field_validator("details", mode="before")(_as_list)


class Award(Strict):
    date: AcademicDate
    title: str
    organization: str | None = None
    url: str | None = None
    details: Details
    tags: Tags

    _list = field_validator("details", mode="before")(_as_list)


class Talk(Strict):
    date: AcademicDate
    title: str
    event: str | None = None
    location: str | None = None
    url: str | None = None
    video: str | None = None
    slides: str | None = None
    tags: Tags


class Internship(Strict):
    start: AcademicDate | None = None
    end: AcademicDate | None = None
    organization: str
    url: str | None = None
    location: str | None = None
    role: str | None = None
    mentor: str | None = None
    details: Details
    tags: Tags

    _list = field_validator("details", mode="before")(_as_list)
    _order = field_validator("end")(_ends_after_start)


class Skill(Strict):
    name: str
    level: str | None = None
    keywords: list[str] = Field(default_factory=list)


class Language(Strict):
    language: str
    fluency: str | None = None


class Project(Strict):
    name: str
    start: AcademicDate | None = None
    end: AcademicDate | None = None
    url: str | None = None
    organization: str | None = None
    roles: list[str] = Field(default_factory=list)
    type: str | None = None
    description: str | None = None
    details: Details
    keywords: list[str] = Field(default_factory=list)

    _list = field_validator("details", mode="before")(_as_list)
    _order = field_validator("end")(_ends_after_start)


class Publications(Strict):
    bibtex: list[str] = Field(default_factory=lambda: ["publications.bib"])
    highlight: list[str] | None = None
    group_by: Literal["type", "year", "none"] = "type"
    numbering: Literal["reverse", "forward", "none"] = "reverse"
    max_authors: int = Field(default=10, ge=1)
    scholar: str | None = None

    _list = field_validator("bibtex", "highlight", mode="before")(_as_list)


class SectionOptions(Strict):
    title: str | None = None
    limit: int | None = Field(default=None, ge=1)


SectionEntry = SectionName | dict[SectionName, SectionOptions]


_COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_LENGTH = re.compile(r"(\d+(?:\.\d+)?)(mm|cm|in|pt)")
_LENGTH_MM = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72}


class Theme(Strict):
    """``theme:`` (or just its name). Options left out come from the theme's ``theme.yaml``."""

    name: str = "classic"
    accent_color: str | None = Field(default=None, examples=["#1f3a68"])
    font_size: str | None = Field(default=None, examples=["10pt", "10.5pt"])
    page_size: Literal["A4", "Letter"] = "A4"
    margins: str | None = Field(default=None, examples=["20mm", "18mm 20mm", "20mm 20mm 22mm"])

    @field_validator("accent_color")
    @classmethod
    def _color(cls, value: str | None) -> str | None:
        if value is not None and not _COLOR.fullmatch(value):
            raise ValueError("expected a colour as #rrggbb (or #rgb), such as #1f3a68")
        return value

    @field_validator("font_size", mode="before")
    @classmethod
    def _font_size(cls, value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = f"{value}pt"  # a bare number is in points
        if isinstance(value, str):
            match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*pt", value.strip())
            if not match or not 7 <= float(match[1]) <= 14:
                raise ValueError(
                    "expected a size in points from 7pt to 14pt, such as 10pt or 10.5pt"
                )
            return f"{match[1]}pt"
        return value

    @field_validator("margins", mode="before")
    @classmethod
    def _margins(cls, value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = f"{value}mm"  # a bare number is in millimetres
        if isinstance(value, str):
            parts = value.split()
            matches = [_LENGTH.fullmatch(part) for part in parts]
            if (
                not 1 <= len(parts) <= 4
                or not all(matches)
                or not all(5 <= float(m[1]) * _LENGTH_MM[m[2]] <= 60 for m in matches if m)
            ):
                raise ValueError(
                    "expected 1 to 4 lengths from 5mm to 60mm in mm, cm, in or pt "
                    "(top, right, bottom, left as in CSS), such as 20mm or 18mm 20mm"
                )
            return " ".join(parts)
        return value


class DocumentPublications(Strict):
    selected: bool = Field(default=False, description="only entries with selected = {true}")
    since: int | None = Field(default=None, description="only entries from this year on")


class Document(Strict):
    """An extra output from the same record, e.g. a two-page ``cv-short.pdf``."""

    title: str | None = None
    sections: list[SectionEntry] | None = None
    publications: DocumentPublications = Field(default_factory=DocumentPublications)
    pages: int | None = Field(default=None, ge=1, description="the most pages it may take")
    include_tags: list[str] = Field(default_factory=list)
    exclude_tags: list[str] = Field(default_factory=list)


def _document_name(name: str) -> str:
    if name in ("cv", "bio"):
        raise ValueError(f"'{name}' is already an output; expected another name, like cv-short")
    return name


_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")


def _language_tag(tag: str) -> str:
    if not _LANGUAGE_TAG.fullmatch(tag):
        raise ValueError("expected a language tag such as en, de or pt-BR")
    return tag


LanguageTag = Annotated[str, AfterValidator(_language_tag)]


def _web_address(url: str) -> str:
    if not re.fullmatch(r"https?://[^\s/?#<>\"']+(/[^\s<>\"']*)?", url.strip()):
        raise ValueError("expected the homepage's address, such as https://you.github.io/")
    return url.strip()


WebAddress = Annotated[str, AfterValidator(_web_address)]

DocumentName = Annotated[
    str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$"), AfterValidator(_document_name)
]


MAX_DOCUMENTS = 20
"""The most ``documents:`` a record may make (each is laid out in every build)."""


class Record(Strict):
    """Everything in ``cv.yaml``."""

    name: str = Field(min_length=1)
    name_native: str | None = None
    headline: str | None = None
    affiliation: str | None = None
    photo: str | None = None
    lang: LanguageTag = "en"
    #: The homepage's address: relative links (``[x](paper.pdf)``, al-folio's ``pdf = {x.pdf}``)
    #: resolve against it; without it, against ``contact.website``.
    base_url: WebAddress | None = None
    contact: Contact = Field(default_factory=Contact)
    about: str | None = None
    interests: list[str | Interest] = Field(default_factory=list)
    bio: Bio = Field(default_factory=Bio)
    news: list[NewsItem] = Field(default_factory=list)
    experience: list[Experience] = Field(default_factory=list)
    education: list[Education] = Field(default_factory=list)
    teaching: list[Teaching] = Field(default_factory=list)
    service: list[Service] = Field(default_factory=list)
    awards: list[Award] = Field(default_factory=list)
    talks: list[Talk] = Field(default_factory=list)
    internships: list[Internship] = Field(default_factory=list)
    skills: list[Skill] = Field(default_factory=list)
    languages: list[Language] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list)
    publications: Publications = Field(default_factory=Publications)
    sections: list[SectionEntry] | None = None
    documents: dict[DocumentName, Document] = Field(default_factory=dict, max_length=MAX_DOCUMENTS)
    theme: Theme = Field(default_factory=Theme)

    @field_validator("theme", mode="before")
    @classmethod
    def _theme_by_name(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str) else value
