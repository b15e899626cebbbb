"""The record: pydantic models of every field of ``cv.yaml``. No I/O here.

One name end to end: the YAML key is the field name is the template variable. Each section's
entry model lives with its section (:mod:`cv.sections`); this module lists the record's fields.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    Field,
    field_validator,
)

from cv.fields import Strict, as_list, empty_dict, empty_list
from cv.i18n import check_tag
from cv.sections.awards import Award
from cv.sections.custom import CustomSection
from cv.sections.education import Education
from cv.sections.experience import Experience
from cv.sections.grants import Grant
from cv.sections.internships import Internship
from cv.sections.languages import Language
from cv.sections.memberships import Membership
from cv.sections.news import NewsItem
from cv.sections.outreach import Outreach
from cv.sections.patents import Patent
from cv.sections.projects import Project
from cv.sections.service import Service
from cv.sections.skills import Skill
from cv.sections.software import Software
from cv.sections.supervision import Student
from cv.sections.talks import Talk
from cv.sections.teaching import Teaching

SectionKey = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
"""A section's key: a built-in one (``cv.sections.registry.SECTIONS``) or one of ``custom:``."""


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
    profiles: list[Profile] = Field(default_factory=empty_list)


class Interest(Strict):
    title: str
    details: str | None = None


class Bio(Strict):
    text: str | None = None
    publications: int = Field(default=5, ge=0)
    awards: int = Field(default=3, ge=0)


class Publications(Strict):
    bibtex: list[str] = Field(default_factory=lambda: ["publications.bib"])
    highlight: list[str] | None = None
    group_by: Literal["type", "year", "none"] = "type"
    numbering: Literal["reverse", "forward", "none"] = "reverse"
    max_authors: int = Field(default=10, ge=1)
    scholar: str | None = None
    style: str | None = Field(
        default=None,
        description="a CSL style by name (apa, ieee, ...; `cv styles` lists them) or a .csl file "
        "in the data folder; the CV's own format if left out",
        examples=["apa", "ieee", "styles/my-journal.csl"],
    )

    _list = field_validator("bibtex", "highlight", mode="before")(as_list)


class SectionOptions(Strict):
    title: str | None = None
    limit: int | None = Field(default=None, ge=1)


SectionEntry = SectionKey | dict[SectionKey, SectionOptions]


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


LanguageTag = Annotated[str, AfterValidator(check_tag)]
"""A BCP 47 language tag CLDR knows: en, de, pt-BR, zh-Hant."""


class DocumentPublications(Strict):
    selected: bool = Field(default=False, description="only entries with selected = {true}")
    since: int | None = Field(default=None, description="only entries from this year on")
    style: str | None = Field(default=None, description="the citation style of this document")


class Document(Strict):
    """An extra output from the same record, e.g. a two-page ``cv-short.pdf``."""

    title: str | None = None
    sections: list[SectionEntry] | None = None
    publications: DocumentPublications = Field(default_factory=DocumentPublications)
    pages: int | None = Field(default=None, ge=1, description="the most pages it may take")
    include_tags: list[str] = Field(default_factory=empty_list)
    exclude_tags: list[str] = Field(default_factory=empty_list)
    lang: LanguageTag | None = Field(default=None, description="the language of this document")


def _document_name(name: str) -> str:
    if name in ("cv", "bio", "html", "md", "docx"):  # the built-in outputs (cv.outputs.OUTPUTS)
        raise ValueError(f"'{name}' is already an output; expected another name, like cv-short")
    return name


def _web_address(url: str) -> str:
    if not re.fullmatch(r"https?://[^\s/?#<>\"']+(/[^\s<>\"']*)?", url.strip()):
        raise ValueError("expected the homepage's address, such as https://you.github.io/")
    return url.strip()


WebAddress = Annotated[str, AfterValidator(_web_address)]

DocumentName = Annotated[
    str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$"), AfterValidator(_document_name)
]


MAX_CUSTOM = 50
"""The most ``custom:`` sections a record may have."""

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
    interests: list[str | Interest] = Field(default_factory=empty_list)
    bio: Bio = Field(default_factory=Bio)
    news: list[NewsItem] = Field(default_factory=empty_list)
    experience: list[Experience] = Field(default_factory=empty_list)
    education: list[Education] = Field(default_factory=empty_list)
    teaching: list[Teaching] = Field(default_factory=empty_list)
    service: list[Service] = Field(default_factory=empty_list)
    awards: list[Award] = Field(default_factory=empty_list)
    talks: list[Talk] = Field(default_factory=empty_list)
    internships: list[Internship] = Field(default_factory=empty_list)
    skills: list[Skill] = Field(default_factory=empty_list)
    languages: list[Language] = Field(default_factory=empty_list)
    projects: list[Project] = Field(default_factory=empty_list)
    grants: list[Grant] = Field(default_factory=empty_list)
    supervision: list[Student] = Field(default_factory=empty_list)
    patents: list[Patent] = Field(default_factory=empty_list)
    software: list[Software] = Field(default_factory=empty_list)
    memberships: list[Membership] = Field(default_factory=empty_list)
    outreach: list[Outreach] = Field(default_factory=empty_list)
    custom: dict[SectionKey, CustomSection] = Field(
        default_factory=empty_dict,
        max_length=MAX_CUSTOM,
        description="sections of your own: key -> {title, entries}",
    )
    publications: Publications = Field(default_factory=Publications)
    sections: list[SectionEntry] | None = None
    documents: dict[DocumentName, Document] = Field(
        default_factory=empty_dict, max_length=MAX_DOCUMENTS
    )
    theme: Theme = Field(default_factory=Theme)

    @field_validator("theme", mode="before")
    @classmethod
    def _theme_by_name(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str) else value
