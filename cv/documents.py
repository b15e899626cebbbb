"""Variants from one record: the ``documents:`` of ``cv.yaml`` (a ``cv-short.pdf`` and the like).

A document picks sections, filters entries by ``tags`` and publications by ``selected`` and year,
and may have a page limit. Over the limit, the oldest entries of the least important sections
are left out first (:func:`trims`), and the build says what it left out.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from cv.bibliography import Publication
from cv.errors import CVError
from cv.loader import Source
from cv.model import Document, Record, SectionOptions
from cv.sections.base import SectionData, SectionKind
from cv.sections.registry import kinds, section_order


def trims(record: Record) -> list[tuple[str, int]]:
    """The order of shortening a document to its page limit: a section down to a count.

    Each section declares its steps (:class:`cv.sections.base.Trim`); they run in rank order,
    so the least important entries go first, whichever section they are in.
    """
    steps = [
        (trim.rank, kind.key, trim.floor) for kind in kinds(record).values() for trim in kind.trims
    ]
    return [(key, floor) for _rank, key, floor in sorted(steps)]


MAX_PASSES = 8


def document_record(record: Record, document: Document) -> Record:
    """The record as this document shows it: its sections, and only the entries its tags pick."""
    update: dict[str, Any] = {"documents": {}}
    if document.lang is not None:
        update["lang"] = document.lang
    if document.publications.style is not None:
        style = {"style": document.publications.style}
        update["publications"] = record.publications.model_copy(update=style)
    if document.sections is not None:
        update["sections"] = document.sections
    if document.include_tags or document.exclude_tags:
        custom = dict(record.custom)
        for kind in kinds(record).values():
            if not kind.tagged:
                continue
            wanted = [e for e in kind.items(record) if _wanted(e.tags, document)]
            if kind.key in custom:
                custom[kind.key] = custom[kind.key].model_copy(update={"entries": wanted})
            else:
                update[kind.key] = wanted
        update["custom"] = custom
    return record.model_copy(update=update)


def _wanted(tags: Sequence[str], document: Document) -> bool:
    """Kept when it has an included tag (if any are named) and no excluded one."""
    if document.include_tags and not set(tags) & set(document.include_tags):
        return False
    return not set(tags) & set(document.exclude_tags)


def document_publications(
    publications: Sequence[Publication], document: Document
) -> list[Publication]:
    """The publications a document lists: ``selected`` only and ``since`` a year, if asked."""
    chosen = list(publications)
    if document.publications.selected:
        chosen = [p for p in chosen if p.selected]
    if document.publications.since is not None:
        since = document.publications.since
        chosen = [p for p in chosen if p.year is None or p.year >= since]
    return chosen


@dataclass(frozen=True)
class Fitted:
    """The layout within the page limit, and what was left out to get there."""

    layout: Any
    notes: tuple[str, ...]


def fit_pages(
    name: str,
    record: Record,
    counts: dict[str, int],
    pages: int,
    lay_out: Callable[[Record], Any],
    source: Source,
) -> Fitted:
    """Lay out ``record`` in at most ``pages`` pages, leaving out entries in :func:`trims` order.

    Args:
        name: The document's name, for messages.
        record: The document's record (sections and entries already chosen).
        counts: How many entries each shown section has (publications included).
        pages: The page limit.
        lay_out: Renders and lays out a record; the result has a ``pages`` count.
        source: The original record, to locate the problem if even the shortest does not fit.
    """
    limits = dict(counts)
    current = record
    for _pass in range(MAX_PASSES):
        laid = lay_out(current)
        if laid.pages <= pages:
            titles = {kind.key: title for kind, title in _titles(record)}
            notes = tuple(
                f"{name}: {limits[key]} of {counts[key]} {titles[key].lower()} "
                f"entries shown to fit {pages} page{'s' if pages != 1 else ''}"
                for key in counts
                if limits[key] < counts[key]
            )
            return Fitted(laid, notes)
        # Entries take about the same room each: leave out the share of them that ran over.
        total = sum(limits.values()) or 1
        excess = math.ceil(total * (laid.pages - pages) / laid.pages * 1.1) or 1
        if not _trim(limits, excess, trims(record)):
            break
        current = _with_limits(record, limits)
    raise CVError(
        source.problem(
            ("documents", name, "pages"),
            f"document '{name}' does not fit {pages} page{'s' if pages != 1 else ''} even with the "
            f"shortest sections; expected a larger `pages:` or fewer sections",
        )
    )


def _trim(limits: dict[str, int], excess: int, steps: Sequence[tuple[str, int]]) -> bool:
    """Lower the section limits by ``excess`` entries in ``steps`` order; False if none left."""
    removed = 0
    for key, floor in steps:
        while key in limits and limits[key] > floor and removed < excess:
            limits[key] -= 1
            removed += 1
        if removed >= excess:
            break
    return removed > 0


def _titles(record: Record) -> list[tuple[SectionKind, str]]:
    return [(kind, options.title or kind.title) for kind, options in section_order(record)]


def _with_limits(record: Record, limits: dict[str, int]) -> Record:
    sections = []
    for kind, options in section_order(record):
        key = kind.key
        if key in limits and limits[key] == 0:
            continue
        limit = min(limits[key], options.limit or limits[key]) if key in limits else options.limit
        sections.append({key: SectionOptions(title=options.title, limit=limit)})
    return record.model_copy(update={"sections": sections})


def section_counts(record: Record, publications: Sequence[Publication]) -> dict[str, int]:
    """How many entries each shown section has, for the page fitting."""
    counts = {}
    data = SectionData(record, tuple(publications))
    for kind, options in section_order(record):
        total = kind.size(data)
        if total is not None:
            counts[kind.key] = min(total, options.limit) if options.limit else total
    return counts
