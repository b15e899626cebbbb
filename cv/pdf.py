"""HTML -> PDF with WeasyPrint: a sandboxed URL fetcher, one font configuration per process,
metadata from the HTML, and WeasyPrint's logged problems captured as warnings."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from cv.fonts import foreign_fonts


class SandboxFetcher(URLFetcher):
    """Fetches only ``data:`` URLs and files under the allowed folders; nothing else, ever.

    Symlinks are resolved before the check, so a link inside a folder cannot point out of it.
    A refused URL raises an ordinary error: WeasyPrint skips the resource and logs it.
    """

    def __init__(self, roots: Sequence[Path]) -> None:
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.roots = tuple(Path(os.path.realpath(root)) for root in roots)

    def fetch(self, url, headers=None):  # type: ignore[no-untyped-def]  # WeasyPrint's signature
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise ValueError(f"refused to fetch {url!r}: a build never uses the network")
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise ValueError(f"refused to fetch {url!r}: remote file URL")
        path = Path(os.path.realpath(unquote(parts.path)))
        if not any(path.is_relative_to(root) for root in self.roots):
            raise ValueError(f"refused to read {path}: outside the data, theme and font folders")
        if not path.is_file():
            raise ValueError(f"no file at {path}")
        return super().fetch(path.as_uri(), headers)


@lru_cache(maxsize=1)
def font_configuration() -> FontConfiguration:
    """One font configuration per process (a new one per render leaks memory)."""
    return FontConfiguration()


@dataclass(frozen=True)
class Rendered:
    """A PDF in memory, with its page count and what WeasyPrint complained about."""

    data: bytes
    pages: int
    warnings: tuple[str, ...]


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _captured_logs() -> Iterator[list[str]]:
    logger = logging.getLogger("weasyprint")
    collector = _Collector()
    logger.addHandler(collector)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield collector.messages
    finally:
        logger.removeHandler(collector)
        logger.propagate = propagate


def layout(html: str, *, base_url: Path, roots: Sequence[Path]) -> Laid:
    """Lay ``html`` out into pages (no PDF yet), capturing what WeasyPrint logs."""
    fetcher = SandboxFetcher(roots)
    with _captured_logs() as messages:
        document = weasyprint.HTML(
            string=html, base_url=base_url.resolve().as_uri() + "/", url_fetcher=fetcher
        ).render(font_config=font_configuration(), pdf_tags=True)
    return Laid(document, messages)


@dataclass
class Laid:
    """A laid-out document: its pages, and the warnings logged so far."""

    document: weasyprint.Document
    warnings: list[str]

    @property
    def pages(self) -> int:
        return len(self.document.pages)

    def to_pdf(self, variant: str | None = None) -> Rendered:
        """The tagged PDF (or ``pdf/ua-1``, ``pdf/a-3u``), every font problem a warning."""
        with _captured_logs() as messages:
            data = self.document.write_pdf(pdf_tags=True, pdf_variant=variant)
        messages += foreign_fonts(self.document)  # letters Pango took from the machine's fonts
        return Rendered(data, self.pages, tuple(self.warnings + messages))

    def used_height(self) -> float:
        """Height of the content of the first page (CSS px), from its top to the last box's bottom.

        Measured on a page tall enough for everything, this is the height the content needs.
        """
        root = self.document.pages[0]._page_box  # WeasyPrint has no public box API; read-only
        body = next(box for box in root.descendants() if getattr(box, "element_tag", None) == "body")
        bottom = max((child.position_y + child.margin_height() for child in body.children),
                     default=body.content_box_y())  # fmt: skip
        return float(bottom - root.content_box_y())

    def vertical_margins(self) -> float:
        """Top and bottom page margins together (CSS px)."""
        root = self.document.pages[0]._page_box
        return float(root.margin_height() - root.height)

    def heights(self, attribute: str = "data-fit") -> dict[str, float]:
        """Height (CSS px, margins included) of every element carrying ``attribute``, by its value."""
        found: dict[str, float] = {}
        for page in self.document.pages:
            seen: set[int] = set()
            for box in page._page_box.descendants():
                element = getattr(box, "element", None)
                if element is None or id(element) in seen:
                    continue
                name = element.get(attribute)
                if name is not None:
                    seen.add(id(element))
                    found[name] = found.get(name, 0.0) + box.margin_height()
        return found


def write_pdf(
    html: str, *, base_url: Path, roots: Sequence[Path], variant: str | None = None
) -> Rendered:
    """Lay out ``html`` and return the PDF bytes.

    Args:
        html: A complete HTML document with its CSS inline.
        base_url: The folder relative URLs (a photo) resolve against: the data folder.
        roots: The only folders any resource may be read from.
        variant: ``pdf/ua-1`` or ``pdf/a-3u`` (:data:`cv.builder.PDF_VARIANTS`), else plain.
    """
    return layout(html, base_url=base_url, roots=roots).to_pdf(variant)
