"""Where a link of the record may point: the web, mail and phone; never a file of this machine.

A PDF is read far from the machine that built it, so a relative link (``[x](paper.pdf)``,
``url: cv.yaml``, al-folio's ``pdf = {paper.pdf}``) means nothing there: WeasyPrint would make it
a ``file://`` link to the build folder, dead for every reader and telling them the builder's
paths. A relative link is therefore resolved against the record's web address
(:func:`link_base`: ``base_url:``, else the ``contact.website``) or, without one, not made a link
at all, with a warning naming where it is written (an error under ``--strict``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from pydantic import BaseModel

from cv.errors import Problem

if TYPE_CHECKING:  # cv.model's sections render with cv.markup, which uses this module
    from cv.loader import Path_, Source

WEB_SCHEMES = ("http", "https", "mailto", "tel")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DOMAIN = re.compile(r"^[\w-]+(\.[\w-]+)+(/\S*)?$")

ASSET_FIELDS = {
    "pdf": "assets/pdf/",
    "supp": "assets/pdf/",
    "poster": "assets/pdf/",
    "slides": "assets/pdf/",
}
"""al-folio's BibTeX fields that name a file of the site (``pdf = {paper.pdf}``) and its folder."""


def link_base(record: Any) -> str | None:
    """The web address relative links resolve against: ``base_url``, else the website.

    The website counts when it is a web address (``https://you.github.io`` or a bare domain
    ``you.github.io``, which the CV links as https).
    """
    for candidate in (record.base_url, record.contact.website):
        value = (candidate or "").strip()
        if value.lower().startswith(("http://", "https://")):
            return value if value.endswith("/") else value + "/"
        if candidate is record.contact.website and _DOMAIN.match(value):
            return f"https://{value.rstrip('/')}/"
    return None


def clean(url: str) -> str:
    """``url`` as a browser reads it: tabs and line breaks anywhere dropped, and spaces and
    control characters at its ends (so ``"java\\tscript:"`` is the ``javascript:`` it is)."""
    return _TAB_OR_NEWLINE.sub("", url).strip(_C0_AND_SPACE)


def scheme(url: str) -> str | None:
    """The URL's scheme, lower case (``"https"``), or None for a relative one."""
    match = _SCHEME.match(clean(url))
    return match.group(1).lower() if match else None


def resolve(url: str, base: str | None, folder: str = "") -> str | None:
    """The link to make of ``url``, or None when it cannot point anywhere but this machine.

    Args:
        url: As the user wrote it.
        base: The record's web address (:func:`link_base`), or None.
        folder: Where the site keeps files of this kind (al-folio's ``assets/pdf/``).

    Returns:
        A web, mail or phone link as it is; an in-page ``#anchor`` as it is; ``//host/x`` as
        https; a relative one joined to ``base``; None for any other scheme (``file:``,
        ``javascript:``, ``data:``) and for a relative link without a base.
    """
    url = clean(url)
    if not url or _CONTROL.search(url):
        return None
    found = scheme(url)
    if found is not None:
        return url if found in WEB_SCHEMES else None
    if url.startswith("#"):
        return url
    if url.startswith("//"):
        return "https:" + url
    if base is None:
        return None
    if folder and not url.startswith("/"):
        url = folder + url  # relative to the site's root, as al-folio's relative_url does
    return urljoin(base, url)


def problem_with(url: str, base: str | None) -> str | None:
    """Why ``url`` makes no link (for a warning), or None when it makes one."""
    if resolve(url, base) is not None or not clean(url):
        return None
    found = scheme(url)
    if found is not None:
        return (
            f"link {url!r} is not made a link: {found}: links do not work in a CV; "
            "expected an http(s), mailto: or tel: address"
        )
    return (
        f"relative link {url!r} is not made a link: the record has no web address to "
        "resolve it against; expected an absolute https:// address, or `base_url:` (or "
        "contact.website) set to your homepage"
    )


# --- the record's links ----------------------------------------------------------------------

_URL_FIELDS = {"url", "advisor_url", "video", "slides"}
_NOT_TEXT = {
    "name",
    "name_native",
    "photo",
    "lang",
    "theme",
    "sections",
    "documents",
    "publications",
    "base_url",
    "contact",
}


def record_link_problems(source: Source) -> list[Problem]:
    """A warning for each link of ``cv.yaml`` that cannot be made (see :func:`problem_with`)."""
    record = source.record
    base = link_base(record)
    found = []
    for path, value, is_url in _strings(record, ()):
        urls = [value] if is_url else _markdown_links(value)
        for url in urls:
            reason = problem_with(url, base)
            if reason:
                found.append(source.problem(path, reason))
    return found


def _strings(value: Any, path: Path_) -> Iterator[tuple[Path_, str, bool]]:
    """Every text of the record with its path, and whether it is a URL (else Markdown)."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if path or name not in _NOT_TEXT:
                child = getattr(value, name)
                if isinstance(child, str):
                    yield (*path, name), child, name in _URL_FIELDS
                else:
                    yield from _strings(child, (*path, name))
        if not path:
            for index, profile in enumerate(value.contact.profiles):  # type: ignore[attr-defined]
                if profile.url:
                    yield ("contact", "profiles", index, "url"), profile.url, True
    elif isinstance(value, list | tuple):
        for index, child in enumerate(value):
            if isinstance(child, str):
                yield (*path, index), child, False
            else:
                yield from _strings(child, (*path, index))


def _markdown_links(text: str) -> list[str]:
    """The targets of the Markdown links in ``text``, as written."""
    if "](" not in text and "<" not in text and "]:" not in text:
        return []  # no link syntax: the common case, without parsing
    from cv.markup import link_targets

    return link_targets(text)
