"""Every section, in the default order of the CV, and the sections of one record.

This is the one list of sections: rendering, documents, the bio, the importers and the exporters
loop over it (and the record's own ``custom:`` sections, :func:`kinds`).
"""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING

from cv.sections import (
    about,
    awards,
    education,
    experience,
    grants,
    internships,
    languages,
    memberships,
    news,
    outreach,
    patents,
    projects,
    publications,
    service,
    skills,
    software,
    supervision,
    talks,
    teaching,
)
from cv.sections.base import SectionData, SectionKind
from cv.sections.custom import custom_kind

if TYPE_CHECKING:
    from cv.bibliography import Publication
    from cv.model import Record, SectionOptions
    from cv.scholar import Scholar

SECTIONS: tuple[SectionKind, ...] = tuple(
    module.SECTION
    for module in (
        about,
        experience,
        education,
        publications,
        grants,
        awards,
        talks,
        teaching,
        supervision,
        service,
        internships,
        patents,
        software,
        projects,
        outreach,
        memberships,
        skills,
        languages,
        news,
    )
)
"""The built-in sections in a CV's order (the CV's order without ``sections:``): positions and
education first, then the record of work, news last (and short, :attr:`SectionKind.limit`)."""

HOMEPAGE: tuple[SectionKind, ...] = tuple(
    module.SECTION
    for module in (
        about,
        news,
        experience,
        teaching,
        service,
        awards,
        publications,
        education,
        talks,
        internships,
        grants,
        supervision,
        patents,
        software,
        projects,
        outreach,
        memberships,
        skills,
        languages,
    )
)
"""The same sections in an AcadHomepage page's order: what ``cv export acadhomepage`` writes
without ``sections:``, and the order an import leaves unsaid."""

BUILT_IN = MappingProxyType({kind.key: kind for kind in SECTIONS})


def kinds(record: Record) -> dict[str, SectionKind]:
    """The sections a record can show: the built-in ones, then its ``custom:`` ones."""
    found = dict(BUILT_IN)
    for key, section in record.custom.items():
        if key not in found:  # a custom key that shadows a built-in one is an error (loader)
            found[key] = custom_kind(key, section)
    return found


def section_order(
    record: Record, homepage: bool = False
) -> list[tuple[SectionKind, SectionOptions]]:
    """The sections to show, in order, with their options (title, limit).

    Without ``sections:``, every built-in section in :data:`SECTIONS` order (or, for the
    homepage, :data:`HOMEPAGE` order), each with its default limit on the CV, then the custom
    ones in the order written. A key ``sections:`` names that is no section was refused when
    the record was loaded.
    """
    from cv.model import SectionOptions

    known = kinds(record)
    if record.sections is None:
        custom = [kind for key, kind in known.items() if key not in BUILT_IN]
        if homepage:
            return [(kind, SectionOptions()) for kind in (*HOMEPAGE, *custom)]
        ordered = [*SECTIONS[:-1], *custom, SECTIONS[-1]]  # news, the last, stays last
        return [(kind, SectionOptions(limit=kind.limit)) for kind in ordered]
    order: list[tuple[SectionKind, SectionOptions]] = []
    for item in record.sections:
        pairs = [(item, SectionOptions())] if isinstance(item, str) else list(item.items())
        order += [(known[key], options) for key, options in pairs if key in known]
    return order


def title_of(kind: SectionKind, options: SectionOptions, homepage: bool = False) -> str:
    """A section's title: the record's own, or the CV's (or the homepage's) default."""
    return options.title or (kind.homepage_title if homepage else "") or kind.title


def section_data(
    record: Record, publications: Sequence[Publication] = (), scholar: Scholar | None = None
) -> SectionData:
    """What sections are made from, with the owner's names to set in bold."""
    from cv.names import InvalidNameError, OwnerMatcher, owner_names, parse_name

    variants = owner_names(record)
    matcher = OwnerMatcher(variants)

    def is_owner(name: str) -> bool:
        try:
            person = parse_name(name)
        except (InvalidNameError, ValueError):
            return False
        return matcher.matches(person.first, person.last)

    return SectionData(record, tuple(publications), scholar, is_owner)


def heading_patterns() -> list[tuple[SectionKind, str]]:
    """The AcadHomepage headings each section takes, in the order they are tried."""
    ordered = sorted((kind for kind in SECTIONS if kind.heading), key=lambda k: k.heading_rank)
    return [(kind, kind.heading) for kind in ordered]
