"""HTML -> PDF with WeasyPrint: a sandboxed URL fetcher, one font configuration per process,
metadata from the HTML, and WeasyPrint's logged problems captured as warnings."""

from __future__ import annotations

import gc
import importlib
import io
import logging
import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit


def _import_weasyprint() -> ModuleType:
    """Import WeasyPrint, skipping a library search that only costs time on Linux.

    WeasyPrint tries several names for each C library it loads (Windows' and macOS's first).
    For every name that does not load, cffi falls back to ``ctypes.util.find_library``, which
    on Linux runs ``ldconfig``, ``gcc`` and ``ld``: 22 searches, 0.15-0.2 s of each cold build
    (bench/RESULTS.md). The Linux names in its lists load as they are, so the search is turned
    off while importing; should the import fail without it, it is tried again with it.
    """
    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        return importlib.import_module("weasyprint")
    import ctypes.util

    search = ctypes.util.find_library

    def no_library(name: str) -> str | None:
        return None

    ctypes.util.find_library = no_library
    try:
        with redirect_stdout(io.StringIO()):  # its installation advice, should a name fail
            return importlib.import_module("weasyprint")
    except OSError:
        pass
    finally:
        ctypes.util.find_library = search
    return importlib.import_module("weasyprint")


if TYPE_CHECKING:
    import weasyprint
else:
    weasyprint = _import_weasyprint()

from weasyprint.text.fonts import FontConfiguration  # noqa: E402  (after the import above)
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

from cv import weasyprint_fixes  # noqa: E402
from cv.fonts import foreign_fonts  # noqa: E402

weasyprint_fixes.apply()


class SandboxFetcher(URLFetcher):
    """Fetches only ``data:`` URLs and files under the allowed folders; nothing else, ever.

    Symlinks are resolved before the check, so a link inside a folder cannot point out of it.
    A refused URL raises an ordinary error: WeasyPrint skips the resource and logs it.
    """

    def __init__(self, roots: Sequence[Path]) -> None:
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.roots = tuple(Path(os.path.realpath(root)) for root in roots)

    def fetch(self, url, headers=None):  # type: ignore[no-untyped-def]  # WeasyPrint's signature
        return _checked_svg(self._fetch(url, headers))

    def _fetch(self, url, headers=None):  # type: ignore[no-untyped-def]
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


MAX_SVG = 1_000_000
"""The largest SVG drawn (an icon or a logo is a few KB)."""

MAX_SVG_USES = 50
"""The most ``<use>`` elements an SVG may have: each may repeat a drawing that repeats others,
so that a few hundred bytes of nested ``<use>`` draw a hundred million shapes."""


def _checked_svg(response: URLFetcherResponse) -> URLFetcherResponse:
    """The response as it is, unless it is an SVG too big or too repetitive to draw in time."""
    if response.content_type != "image/svg+xml" and not response.url.lower().endswith(".svg"):
        return response
    body = response.read(MAX_SVG + 1)
    if len(body) > MAX_SVG:
        raise ValueError(f"refused to draw {response.url[:80]}: an SVG larger than 1 MB")
    uses = len(re.findall(rb"<(?:[\w-]+:)?use\b", body))
    if uses > MAX_SVG_USES or b"<!ENTITY" in body:
        raise ValueError(
            f"refused to draw {response.url[:80]}: an SVG that repeats itself "
            f"({uses} <use> elements or entities; expected at most {MAX_SVG_USES})"
        )
    return URLFetcherResponse(response.url, body, response.headers, response.status)


_configurations: dict[int, FontConfiguration] = {}


def font_configuration() -> FontConfiguration:
    """One font configuration per process (a new one per render leaks memory).

    A process forked by the program calling cv makes its own: each configuration copies the
    fonts into a temporary folder of its own, which two processes must not write at once.
    """
    pid = os.getpid()
    if pid not in _configurations:
        _configurations[pid] = FontConfiguration()
    return _configurations[pid]


def release_font_configuration() -> None:
    """Remove this process's font configuration and its copies of the fonts, at its end.

    A process that ends without collecting its garbage (the command line, a build stopped by
    a signal) would leave them in the temporary folder: laid-out documents hold the
    configuration in reference cycles. A forked child's inherited configuration is its
    parent's, left alone.
    """
    configuration = _configurations.pop(os.getpid(), None)
    if configuration is not None:
        configuration.__del__()  # WeasyPrint's clean-up of a configuration: removes the copies


@dataclass(frozen=True)
class Rendered:
    """A PDF in memory, with its page count and what WeasyPrint complained about."""

    data: bytes
    pages: int
    warnings: tuple[str, ...]


class _Collector(logging.Handler):
    """WeasyPrint's warnings, each once and in order, with how often it came.

    WeasyPrint logs a letter no font has (``.notdef glyph rendered for ... "唐"``) each time
    it draws it: 20-47 times the same line for a name in a CV.
    """

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.counts: dict[str, int] = {}

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        self.counts[message] = self.counts.get(message, 0) + 1

    def messages(self) -> list[str]:
        return [m if n == 1 else f"{m} ({n} times)" for m, n in self.counts.items()]


@contextmanager
def _captured_logs() -> Iterator[list[str]]:
    """What WeasyPrint logs in the block, in the list given, once the block has ended."""
    logger = logging.getLogger("weasyprint")
    collector = _Collector()
    logger.addHandler(collector)
    propagate, logger.propagate = logger.propagate, False
    messages: list[str] = []
    try:
        yield messages
    finally:
        logger.removeHandler(collector)
        logger.propagate = propagate
        messages[:0] = collector.messages()


@contextmanager
def _frozen_heap(sweep: bool = False) -> Iterator[None]:
    """Leave what already exists out of the garbage collections for a while.

    Layout makes many objects, and each full collection would also go through everything
    imported and read before it: about 15 % of a layout's time (bench/RESULTS.md). What is
    frozen goes back to the collector afterwards, garbage included. A heap that the program
    calling cv froze is left as it is: unfreezing would unfreeze that too.

    Args:
        sweep: First collect the whole heap if that is due (:class:`_Sweeps`): before a
            layout, when the previous ones' garbage is there to collect.
    """
    if gc.get_freeze_count():
        yield
        return
    if sweep:
        _Sweeps.collect_if_due()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
        _Sweeps.full_at_thaw = gc.get_stats()[2]["collections"]


class _Sweeps:
    """Collections of the whole heap, which :func:`_frozen_heap` alone would put off for good.

    ``gc.freeze()`` resets the collector's counts, and a full collection while frozen leaves
    out what is frozen: in a warm process (``cv watch``, ``cv.build`` called again and again)
    the whole heap was never collected, and every build's garbage (laid-out documents are
    reference cycles) piled up, 7 MB a build (bench/RESULTS.md). So before a layout the whole
    heap is collected once as many young collections have run since it last was as make
    CPython collect it (its third threshold, 10): every third build of the example's CV. That
    walks the whole heap (20-40 ms) and frees those builds' garbage, in long-lived processes
    only: a process's first layout starts the count.
    """

    young_at_sweep: int | None = None  # generation-1 collections when the heap was last swept
    full_at_thaw = 0  # full collections so far when the heap was last unfrozen

    @classmethod
    def collect_if_due(cls) -> None:
        """Collect the whole heap if CPython would have by now, but for the freezing."""
        stats = gc.get_stats()
        young, full = stats[1]["collections"], stats[2]["collections"]
        if cls.young_at_sweep is None or full != cls.full_at_thaw:
            # The first layout of the process (a one-off command would collect for nothing),
            # or the heap was swept unfrozen since the last one (CPython, ``cv watch``).
            cls.young_at_sweep = young
        elif young - cls.young_at_sweep > gc.get_threshold()[2]:
            gc.collect()
            cls.young_at_sweep = gc.get_stats()[1]["collections"]


def layout(html: str, *, base_url: Path, roots: Sequence[Path]) -> Laid:
    """Lay ``html`` out into pages (no PDF yet), capturing what WeasyPrint logs."""
    fetcher = SandboxFetcher(roots)
    with _captured_logs() as messages, _frozen_heap(sweep=True):
        document = weasyprint.HTML(
            string=html, base_url=base_url.resolve().as_uri() + "/", url_fetcher=fetcher
        ).render(font_config=font_configuration(), pdf_tags=True)
    messages += _drop_file_links(document)
    return Laid(document, messages)


def _drop_file_links(document: weasyprint.Document) -> list[str]:
    """Remove every link to a file of this machine, and every attachment; say what went.

    The record's own links are resolved or left out before this (:mod:`cv.links`); what is
    left here came from a template's own HTML (``<a href="notes.txt">`` in a ``data/theme/``
    override, which WeasyPrint makes a ``file://`` link) or its ``rel=attachment`` links.
    """
    dropped: list[str] = []
    for page in document.pages:
        kept = []
        for link in page.links:
            kind, target = link[0], str(link[1])
            if kind == "attachment" or (kind == "external" and not _is_web(target)):
                dropped.append(target)
            else:
                kept.append(link)
        page.links[:] = kept
    dropped += ["an attached file"] * len(document.metadata.attachments)
    document.metadata.attachments = []
    return [
        f"a link to {target.split('?')[0][:120]} was left out: a PDF links only to the web, "
        "mail and phone, and embeds no files"
        for target in dropped
    ]


def _is_web(url: str) -> bool:
    return url.lower().startswith(("http://", "https://", "mailto:", "tel:"))


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
        with _captured_logs() as messages, _frozen_heap():
            data = self.document.write_pdf(pdf_tags=True, pdf_variant=variant)
        messages += foreign_fonts(self.document)  # letters Pango took from the machine's fonts
        return Rendered(data, self.pages, tuple(self.warnings + messages))

    def used_height(self) -> float:
        """Height of the content of the first page (CSS px), from its top to the last box's bottom.

        Measured on a page tall enough for everything, this is the height the content needs.
        """
        root = self.document.pages[0]._page_box  # WeasyPrint has no public box API; read-only
        body = next(
            box for box in root.descendants() if getattr(box, "element_tag", None) == "body"
        )
        bottom = max(
            (child.position_y + child.margin_height() for child in body.children),
            default=body.content_box_y(),
        )
        return float(bottom - root.content_box_y())

    def vertical_margins(self) -> float:
        """Top and bottom page margins together (CSS px)."""
        root = self.document.pages[0]._page_box
        return float(root.margin_height() - root.height)

    def heights(self, attribute: str = "data-fit") -> dict[str, float]:
        """Height (CSS px, margins included) of each element carrying ``attribute``, by value."""
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
