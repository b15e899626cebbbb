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
"""The built-in sections, in the homepage's order (the CV's order without ``sections:``)."""

BUILT_IN = MappingProxyType({kind.key: kind for kind in SECTIONS})


def kinds(record: Record) -> dict[str, SectionKind]:
    """The sections a record can show: the built-in ones, then its ``custom:`` ones."""
    found = dict(BUILT_IN)
    for key, section in record.custom.items():
        if key not in found:  # a custom key that shadows a built-in one is an error (loader)
            found[key] = custom_kind(key, section)
    return found


def section_order(record: Record) -> list[tuple[SectionKind, SectionOptions]]:
    """The sections to show, in order, with their options (title, limit).

    Without ``sections:``, every built-in section in :data:`SECTIONS` order, then the custom
    ones in the order written. A key ``sections:`` names that is no section was refused when
    the record was loaded.
    """
    from cv.model import SectionOptions

    known = kinds(record)
    if record.sections is None:
        return [(kind, SectionOptions()) for kind in known.values()]
    order: list[tuple[SectionKind, SectionOptions]] = []
    for item in record.sections:
        pairs = [(item, SectionOptions())] if isinstance(item, str) else list(item.items())
        order += [(known[key], options) for key, options in pairs if key in known]
    return order


def section_data(
    record: Record, publications: Sequence[Publication] = (), scholar: Scholar | None = None
) -> SectionData:
    """What sections are made from, with the owner's names to set in bold."""
    from cv.names import InvalidNameError, OwnerMatcher, derive_highlight, parse_name

    options = record.publications
    variants = options.highlight if options.highlight is not None else derive_highlight(record.name)
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
