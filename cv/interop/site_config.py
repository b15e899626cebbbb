"""What a Jekyll site's ``_config.yml`` tells an importer: the person and the site's address.

The ``author:`` block gives the owner (``Ziwei Luo (罗梓巍)`` is the name and its native form),
their contact and photo; ``url`` + ``baseurl`` the address the page's relative links resolve
against, as a browser resolves them. Without an address, a relative link of the record's text is
kept as its text (a PDF is read far from the site).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from cv.interop.reading import PageReader
from cv.interop.text import html_to_markdown, plain

__all__ = [
    "PLACEHOLDER_NAME",
    "person_of",
    "site_address",
    "site_resolver",
    "split_native_name",
    "unlinked",
]

PLACEHOLDER_NAME = "Your Name"


def site_address(config: dict[str, Any]) -> str | None:
    """The site's address from ``_config.yml``: ``url`` + ``baseurl``, ending in ``/``."""
    url = str(config.get("url") or "").strip()
    if not re.match(r"^https?://[^/\s]+", url, re.I) or re.search(
        r"//(?:localhost|127\.0\.0\.1|0\.0\.0\.0)\b", url, re.I
    ):
        return None
    base = str(config.get("baseurl") or "").strip().strip("/")
    return url.rstrip("/") + "/" + (f"{base}/" if base else "")


def site_resolver(config: dict[str, Any]) -> Callable[[str], str]:
    """How the page's links are made absolute: against the site's address, as a browser does.

    A relative link (``files/paper.pdf``, ``/files/x.pdf``) without the site's address stays as
    written (the build does not link it, and says so); a protocol-relative one becomes https.
    """
    address = site_address(config)

    def resolve(href: str) -> str:
        if href.startswith("//"):
            return "https:" + href
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", href) or address is None:
            return href
        return urljoin(address, href)

    return resolve


def person_of(
    page: PageReader, config: dict[str, Any], site_dir: Path | None, files: dict[str, bytes]
) -> dict[str, Any]:
    """The person from the config's ``author:`` block, or from the names in bold in the papers."""
    author = config.get("author") if isinstance(config.get("author"), dict) else {}
    value = {
        key: _config_text(item) for key, item in (author or {}).items() if item not in (None, "")
    }
    value = {key: item for key, item in value.items() if item}
    name = plain(value.get("name", ""))
    if not name and page.owner_names:
        name = (
            page.owner_names.most_common(1)[0][0]
            if page.owner_names.most_common(1)[0][1] > 0
            else ""
        )
    if not name:
        name = PLACEHOLDER_NAME
        page.warn(
            None,
            f"no name found (AcadHomepage keeps it in _config.yml: pass --config); "
            f"cv.yaml says '{PLACEHOLDER_NAME}': edit it",
        )
    scholar = value.get("googlescholar", "")
    scholar_user = re.search(r"[?&]user=([\w-]+)", scholar)
    website = value.get("uri") or (site_address(config) or "").rstrip("/")
    contact = {
        "email": value.get("email"),
        "location": value.get("location"),
        "website": website
        if website.startswith(("http://", "https://")) and "localhost" not in website
        else None,
        "github": value.get("github"),
        "google_scholar": scholar_user.group(1)
        if scholar_user
        else (scholar or page.scholar_user or None),
        "orcid": value.get("orcid"),
        "linkedin": value.get("linkedin"),
        "x": value.get("twitter"),
        "dblp": value.get("dblp"),
    }
    known = {
        "name",
        "avatar",
        "bio",
        "location",
        "employer",
        "googlescholar",
        "email",
        "github",
        "orcid",
        "linkedin",
        "twitter",
        "dblp",
        "uri",
    }
    profiles = [
        {
            "network": network,
            "url": link if link.startswith("http") else None,
            "username": None if link.startswith("http") else link,
        }
        for network, link in value.items()
        if network not in known
    ]
    contact["profiles"] = profiles
    name, native = split_native_name(name)
    person: dict[str, Any] = {
        "name": name,
        "name_native": native,
        "headline": value.get("bio"),
        "affiliation": value.get("employer"),
        "contact": contact,
    }
    avatar = value.get("avatar", "")
    if avatar and site_dir is not None:
        path = (site_dir / avatar.lstrip("/")).resolve()
        if path.is_file() and path.suffix.lower() in (".jpg", ".jpeg", ".png", ".webp"):
            name_of_photo = f"photo{path.suffix.lower()}"
            files[name_of_photo] = path.read_bytes()
            person["photo"] = name_of_photo
        else:
            page.warn(None, f"avatar '{avatar}' not found beside the config; no photo imported")
    return person


def _config_text(value: Any) -> str:
    """A value of the config's ``author:`` as text: HTML in it (``Name <br>``) read as a browser
    shows it."""
    text = str(value).strip()
    return html_to_markdown(text) if "<" in text else text


def split_native_name(name: str) -> tuple[str, str | None]:
    """``Ziwei Luo (罗梓巍)`` -> ``("Ziwei Luo", "罗梓巍")``: the name and its native form.

    The part in parentheses (or the part outside them) that is not in Latin letters is the
    native form; a name without one, or with two Latin parts, is kept whole.
    """
    found = re.fullmatch(r"\s*(.+?)\s*[(（]\s*([^()（）]+?)\s*[)）]\s*", name)
    if found is None:
        return name, None
    outside, inside = found.group(1), found.group(2)
    if _latin(outside) and not _latin(inside):
        return outside, inside
    if _latin(inside) and not _latin(outside):
        return inside, outside
    return name, None


def _latin(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    return bool(letters) and all("LATIN" in unicodedata.name(char, "") for char in letters)


_RELATIVE_LINK = re.compile(r"\[((?:\\.|[^\[\]\\])*)\]\((?![A-Za-z][A-Za-z0-9+.-]*:|#)([^)\s]*)\)")


def unlinked(page: PageReader, value: Any) -> Any:
    """The record with links relative to a site whose address is unknown as their text.

    Such a link (``[简体中文](/)``) leads nowhere in a PDF; the warning says how to keep it.
    """
    if isinstance(value, str):
        found = _RELATIVE_LINK.search(value)
        if found is None:
            return value
        if not any("relative links" in notice.message for notice in page.notices):
            page.warn(
                None,
                f"links relative to the site ({found.group(2) or '/'!r}, ...) are kept as their "
                "text: the site's address is not known (give `url:` in _config.yml, pass --config)",
            )
        return _RELATIVE_LINK.sub(lambda link: link.group(1), value)
    if isinstance(value, dict):
        return {key: unlinked(page, item) for key, item in value.items()}
    if isinstance(value, list):
        return [unlinked(page, item) for item in value]
    return value
