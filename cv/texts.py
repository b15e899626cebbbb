"""Texts written in several languages: ``title: {en: Teaching, de: Lehre}``.

Any text of ``cv.yaml`` may be a mapping from language tags to texts. The document's language
picks one: the same tag ("pt-BR"), else the same language ("pt"), else the first given, so that
one record serves a German CV and an English one. The loader finds such mappings where the
model expects a text (pydantic reports a mapping there) and hands them to :func:`choose`.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from cv.i18n import check_tag, primary

__all__ = ["choose", "pick"]

Path_ = tuple[str | int, ...]

EXPECTED = "expected a text, or texts by language tag such as {en: Teaching, de: Lehre}"


def pick(texts: Mapping[str, str], tag: str) -> str:
    """The text of ``texts`` for language ``tag``: exact tag, same language, else the first."""
    wanted = tag.lower()
    for key, text in texts.items():
        if key.lower() == wanted:
            return text
    for key, text in texts.items():
        if primary(key) == primary(tag):
            return text
    return next(iter(texts.values()))


def _is_tag(key: Any) -> bool:
    try:
        check_tag(str(key))
    except ValueError:
        return False
    return True


def _problem(texts: Mapping[Any, Any]) -> tuple[Any, str] | None:
    """Why a mapping meant as texts by language is not one (None if it is)."""
    if not texts:
        return None, f"the mapping names no language; {EXPECTED}"
    for key, text in texts.items():
        if not _is_tag(key):
            return key, f"'{str(key)[:40]}' is not a language tag; {EXPECTED}"
        if not isinstance(text, str):
            return key, f"'{str(key)[:40]}' is not a text but {type(text).__name__}; {EXPECTED}"
    return None


def choose(
    data: Any, paths: Sequence[Path_], tag: str
) -> tuple[Any | None, list[tuple[Path_, bool, str]]]:
    """``data`` with the texts by language at ``paths`` replaced by the one for ``tag``.

    Args:
        data: The record as plain values.
        paths: Where the model expected a text and found a mapping.
        tag: The document's language.

    Returns:
        The new data (None when no path holds texts by language: the mappings are something
        else, and the model's own message says so), and the problems: path, whether it points
        at a key, and the message.
    """
    chosen = copy.deepcopy(data)
    problems: list[tuple[Path_, bool, str]] = []
    found = False
    for path in dict.fromkeys(paths):
        parent: Any = chosen
        for part in path[:-1]:
            parent = parent[part]
        texts = parent[path[-1]]
        if not isinstance(texts, dict) or (texts and not any(_is_tag(key) for key in texts)):
            continue  # not meant as texts by language: the model's own message says what is
        wrong = _problem(texts)
        if wrong is not None:
            key, message = wrong
            at = (*path, key) if key is not None else path
            problems.append((at, key is not None, message))
            continue
        found = True
        parent[path[-1]] = pick(texts, tag)
    if not found and not problems:
        return None, []
    return chosen, problems
