"""Measure cv against the real corpus in ``tests/real``: homepages, al-folio and lab .bib files.

The corpus is real public input, kept byte for byte with its ground truth (``expected.yaml``,
written by reading each page as a browser shows it, never by running an importer):

- ``tests/real/homepages/<owner>/``: an AcadHomepage site (``_pages/about.md``, ``_config.yml``
  and the files it includes). :func:`measure_homepage` imports it through the library (what
  ``cv import acadhomepage`` calls), builds the CV, and compares the papers, years, owner bold,
  headings and news in ``cv.html`` with the truth, and reads the PDF back for raw markup.
- ``tests/real/alfolio/*.bib`` and ``tests/real/labbib/*.bib``: :func:`measure_bib` builds a
  record holding only that file and counts its entries in ``cv.html``.

Only the public functions are used (``read_acadhomepage``, ``write_import``, ``build``), so the
measures hold whatever the importer and the reader do inside. A failure of cv on an input is a
result (``error``), never an exception of this module.

``python bench/corpus.py`` prints the table; tests import the functions.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
import traceback
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

REAL = Path(__file__).parent / "real"
HOMEPAGES = REAL / "homepages"
ALFOLIO = REAL / "alfolio"
LABBIB = REAL / "labbib"

#: The issue's targets over the whole corpus.
MAX_FORTHCOMING = 0.05
MIN_OWNER_BOLD = 0.95

#: Raw markup that must never reach a PDF's text: (name, pattern).
LEAKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("html-tag", re.compile(r"<[A-Za-z][A-Za-z0-9-]*(?:[\s/>]|$)")),
    ("html-close", re.compile(r"</[A-Za-z]*")),
    ("html-comment", re.compile(r"<!--|-->")),
    ("markdown-bold", re.compile(r"\*\*")),
    ("markdown-link", re.compile(r"\]\((?:https?:|/|#)")),
    ("entity", re.compile(r"&(?:[A-Za-z]+|#[0-9]+|#x[0-9A-Fa-f]+);")),
    ("latex-command", re.compile(r"\\[A-Za-z]+|\\[|{}$&%#_]")),
    ("latex-math", re.compile(r"\$\^|\$\\|\^\{")),
    ("liquid", re.compile(r"\{%|%\}|\{\{|\}\}")),
)


# --- ground truth ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaperTruth:
    """One paper as the page shows it."""

    title: str
    #: The years visible in its box or line (usually one); empty when no year is visible.
    years: tuple[int, ...]
    #: Whether the owner's name is among the authors shown.
    owner: bool


@dataclass(frozen=True)
class HomepageTruth:
    """What a reader sees on one homepage."""

    owner: str
    headings: tuple[str, ...]
    news: int
    papers: tuple[PaperTruth, ...]
    #: Headings with nothing a CV can show under them (only a script, or nothing): not measured.
    empty_headings: tuple[str, ...] = ()


def homepage_sites(root: Path = HOMEPAGES) -> list[Path]:
    """Every site folder of the corpus that has a page and its ground truth, by name."""
    return sorted(
        path
        for path in root.iterdir()
        if (path / "_pages" / "about.md").is_file() and (path / "expected.yaml").is_file()
    )


def load_homepage_truth(site: Path) -> HomepageTruth:
    """The site's ``expected.yaml``."""
    data = yaml.safe_load((site / "expected.yaml").read_text(encoding="utf-8"))
    papers = tuple(
        PaperTruth(
            title=str(paper["title"]),
            years=_years(paper.get("year")),
            owner=bool(paper.get("owner")),
        )
        for paper in data.get("papers") or []
    )
    return HomepageTruth(
        owner=str(data["owner"]),
        headings=tuple(str(heading) for heading in data.get("headings") or []),
        news=int(data.get("news") or 0),
        papers=papers,
        empty_headings=tuple(str(heading) for heading in data.get("empty_headings") or []),
    )


def _years(value: Any) -> tuple[int, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(int(year) for year in value)
    return (int(value),)


@dataclass(frozen=True)
class BibTruth:
    """How many entries a .bib file has, and what in it a strict reader may refuse."""

    entries: int
    quirks: tuple[str, ...]
    #: Entries whose every field is commented out with ``%``: a reader may leave them out (with a
    #: warning), so ``entries - empty`` shown is a pass too.
    empty: int = 0


def load_bib_truth(folder: Path) -> dict[str, BibTruth]:
    """A bib folder's ``expected.yaml``: file name -> truth."""
    data = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8")) or {}
    return {
        str(name): BibTruth(
            int(value["entries"]), tuple(value.get("quirks") or ()), int(value.get("empty") or 0)
        )
        for name, value in data.items()
    }


def normalise_title(text: str) -> str:
    """A title reduced for matching: case-folded, letters and digits only."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(char for char in text if unicodedata.category(char)[0] in "LN")


# --- reading cv.html -----------------------------------------------------------------------------


@dataclass
class HtmlPublication:
    """One publication entry of cv.html."""

    key: str
    title: str = ""
    authors: str = ""
    #: The venue line (where the templates put the year, or "forthcoming").
    venue: str = ""
    #: The badge the templates show before the title (the entry's ``abbr``), not part of it.
    badge: str = ""
    #: The names the templates mark as the owner's (``<strong class="owner">``).
    owner_marked: list[str] = field(default_factory=list)
    #: Every text of the entry (title, authors, venue, annotation, links).
    text: str = ""
    #: The title of the group it is listed under ("2024", "Forthcoming", "Journal Articles").
    group: str = ""


@dataclass
class HtmlSection:
    key: str
    title: str = ""
    news: int = 0
    publications: list[HtmlPublication] = field(default_factory=list)


class _CvHtml(HTMLParser):
    """Reads sections, news items and publication entries out of cv.html."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[HtmlSection] = []
        self._stack: list[tuple[str, set[str]]] = []
        self._group = ""
        self._pub: HtmlPublication | None = None
        self._pub_depth = 0
        self._capture: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        self._stack.append((tag, classes))
        if tag == "section" and any(c.startswith("section-") for c in classes):
            self.sections.append(HtmlSection(key=attributes.get("id") or ""))
            self._group = ""
        elif not self.sections:
            return
        elif tag == "h2" and self._pub is None:
            self._capture = "section-title"
        elif tag == "h3" and "group-title" in classes:
            self._group = ""
            self._capture = "group"
        elif tag in ("div", "li") and "entry-news" in classes:  # entries are list items
            self.sections[-1].news += 1
        elif tag in ("div", "li") and "entry-publication" in classes:
            key = (attributes.get("id") or "").removeprefix("pub-")
            self._pub = HtmlPublication(key=key, group=self._group)
            self._pub_depth = len(self._stack)
            self.sections[-1].publications.append(self._pub)
        elif self._pub is not None and tag == "div" and "pub-title" in classes:
            self._capture = "title"
        elif self._pub is not None and tag == "div" and "pub-authors" in classes:
            self._capture = "authors"
        elif self._pub is not None and tag == "div" and "pub-venue" in classes:
            self._capture = "venue"
        elif self._pub is not None and tag == "strong" and "owner" in classes:
            self._pub.owner_marked.append("")

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            open_tag, classes = self._stack.pop()
            if self._pub is not None and len(self._stack) < self._pub_depth:
                self._pub = None
            if open_tag in ("h2", "h3") or (
                open_tag == "div" and classes & {"pub-title", "pub-authors", "pub-venue"}
            ):
                self._capture = None
            if open_tag == tag:
                break

    def _in(self, tag: str, class_name: str) -> bool:
        return any(open_tag == tag and class_name in classes for open_tag, classes in self._stack)

    def handle_data(self, data: str) -> None:
        if not self.sections:
            return
        section = self.sections[-1]
        if self._capture == "section-title":
            section.title += data
        elif self._capture == "group":
            self._group += data
        if self._pub is None:
            return
        self._pub.text += data
        if self._capture == "title" and self._in("span", "badge"):
            self._pub.badge += data
        elif self._capture == "title":
            self._pub.title += data
        elif self._capture == "authors":
            self._pub.authors += data
        elif self._capture == "venue":
            self._pub.venue += data
        if self._stack and self._stack[-1][0] == "strong" and "owner" in self._stack[-1][1]:
            self._pub.owner_marked[-1] += data


def read_cv_html(text: str) -> list[HtmlSection]:
    """The sections of a built cv.html, with their news items and publications."""
    parser = _CvHtml()
    parser.feed(text)
    parser.close()
    for section in parser.sections:
        section.title = _squash(section.title)
        for pub in section.publications:
            pub.title, pub.authors, pub.venue, pub.text = (
                _squash(pub.title),
                _squash(pub.authors),
                _squash(pub.venue),
                _squash(pub.text),
            )
            pub.group = _squash(pub.group)
            pub.badge = _squash(pub.badge)
            pub.owner_marked = [_squash(name) for name in pub.owner_marked]
    return parser.sections


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# --- PDF text ------------------------------------------------------------------------------------


def pdf_text(pdf: Path) -> str:
    """The PDF's text as pdftotext reads it (layout off: reading order)."""
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        check=True,
        timeout=120,
    )
    return result.stdout.decode("utf-8", "replace")


def find_leaks(text: str) -> list[str]:
    """Every line of ``text`` holding raw HTML, Markdown, LaTeX or Liquid: ``kind: line``."""
    found = []
    for line in text.splitlines():
        for name, pattern in LEAKS:
            if pattern.search(line):
                found.append(f"{name}: {line.strip()[:160]}")
                break
    return found


# --- homepages -----------------------------------------------------------------------------------


@dataclass
class HomepageResult:
    """How one homepage came through import and build, against its truth."""

    site: str
    truth: HomepageTruth
    #: Set when the import or the build failed: the error's text.
    error: str | None = None
    stage: str = ""
    import_notices: list[str] = field(default_factory=list)
    build_warnings: list[str] = field(default_factory=list)
    #: Expected papers not found in cv.html (titles as on the page).
    missing: list[str] = field(default_factory=list)
    #: Publications in cv.html that match no paper of the page (titles as built).
    extra: list[str] = field(default_factory=list)
    papers_found: int = 0
    #: Found papers whose year is on the page: how many, and those built without it.
    with_year: int = 0
    year_lost: list[str] = field(default_factory=list)
    #: Found papers that list the owner: how many, and those where the owner is not in bold.
    with_owner: int = 0
    owner_not_bold: list[str] = field(default_factory=list)
    headings_found: list[str] = field(default_factory=list)
    headings_missing: list[str] = field(default_factory=list)
    headings_in_order: bool = False
    news_found: int = 0
    leaks: list[str] = field(default_factory=list)
    pdf_checked: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Every measure met on this page."""
        return (
            self.error is None
            and not self.missing
            and not self.year_lost
            and not self.owner_not_bold
            and not self.headings_missing
            and self.headings_in_order
            and self.news_found == self.truth.news
            and not self.leaks
        )


def import_homepage(site: Path, data_dir: Path) -> list[str]:
    """Import the site into ``data_dir`` as ``cv import acadhomepage about.md --config`` does.

    Returns the import's notices as the command prints them. Raises what the importer raises.
    """
    from cv.interop.acadhomepage import read_acadhomepage
    from cv.interop.files import write_import

    about = site / "_pages" / "about.md"
    config = site / "_config.yml"
    imported = read_acadhomepage(about, config if config.is_file() else None)
    write_import(imported, data_dir, force=True)
    return [notice.format(str(about)) for notice in imported.notices]


def measure_homepage(
    site: Path, work_dir: Path | None = None, *, pdf: bool = True
) -> HomepageResult:
    """Import and build one site, and compare the result with its ``expected.yaml``.

    ``pdf``: also build cv.pdf and look for raw markup in its text (slower).
    """
    from cv.builder import build

    truth = load_homepage_truth(site)
    result = HomepageResult(site=site.name, truth=truth)
    started = time.perf_counter()
    with _work_dir(work_dir) as work:
        data, out = work / "data", work / "output"
        try:
            result.stage = "import"
            result.import_notices = import_homepage(site, data)
            result.stage = "build"
            built = build(data, out, only=["html", "cv"] if pdf else ["html"])
            result.build_warnings = list(built.warnings)
        except Exception as error:  # noqa: BLE001 - a failure of cv is a result here
            result.error = describe_error(error)
            result.seconds = time.perf_counter() - started
            return result
        result.stage = "done"
        sections = read_cv_html((out / "cv.html").read_text(encoding="utf-8"))
        compare_homepage(result, sections)
        if pdf and (out / "cv.pdf").is_file():
            result.leaks = find_leaks(pdf_text(out / "cv.pdf"))
            result.pdf_checked = True
    result.seconds = time.perf_counter() - started
    return result


def compare_homepage(result: HomepageResult, sections: Sequence[HtmlSection]) -> None:
    """Fill ``result``'s measures from the sections of cv.html."""
    truth = result.truth
    publications = [pub for section in sections for pub in section.publications]
    by_title: dict[str, list[HtmlPublication]] = {}
    for pub in publications:
        by_title.setdefault(normalise_title(pub.title), []).append(pub)
    matched: set[int] = set()
    for paper in truth.papers:
        candidates = by_title.get(normalise_title(paper.title), [])
        # A paper listed twice on the page (a highlight repeated in the full list) may be one
        # entry of the CV: the second mention then matches the same entry.
        found = next((p for p in candidates if id(p) not in matched), None) or next(
            iter(candidates), None
        )
        if found is None:
            result.missing.append(paper.title)
            continue
        matched.add(id(found))
        result.papers_found += 1
        if paper.years:
            result.with_year += 1
            if not _shows_year(found, paper.years):
                result.year_lost.append(f"{paper.title} ({'/'.join(map(str, paper.years))})")
        if paper.owner:
            result.with_owner += 1
            if not owner_in_bold(found, truth.owner):
                result.owner_not_bold.append(paper.title)
    result.extra = [pub.title for pub in publications if id(pub) not in matched]
    result.headings_found = [section.title for section in sections]
    result.headings_missing, result.headings_in_order = compare_headings(
        truth.headings, result.headings_found
    )
    result.news_found = sum(section.news for section in sections)


def describe_error(error: BaseException) -> str:
    """An error as one line: its type and text, and for a bug (not a located ``CVError``) the
    innermost line of cv that raised it."""
    from cv.errors import CVError

    text = f"{type(error).__name__}: {error}"
    if isinstance(error, CVError):
        return text
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if f"{Path('cv')}{os.sep}" in frame.filename
    ]
    if frames:
        frame = frames[-1]
        where = frame.filename[frame.filename.rfind(f"{os.sep}cv{os.sep}") + 1 :]
        text += f" (raised at {where}:{frame.lineno})"
    return text


def _shows_year(pub: HtmlPublication, years: Iterable[int]) -> bool:
    """The entry's venue line (or the year group it is listed under) shows one of the years."""
    shown = f"{pub.venue or pub.text} {pub.group}"
    return any(re.search(rf"(?<!\d){year}(?!\d)", shown) for year in years)


def owner_in_bold(pub: HtmlPublication, owner: str) -> bool:
    """Some name the templates mark as the owner's shares a word with the owner's name."""
    wanted = _name_words(owner)
    return any(_name_words(name) & wanted for name in pub.owner_marked)


def _name_words(name: str) -> set[str]:
    return {normalise_title(word) for word in re.split(r"[\s,.()\-]+", name) if len(word) > 1}


def compare_headings(expected: Sequence[str], found: Sequence[str]) -> tuple[list[str], bool]:
    """The expected headings no section is titled with, and whether the rest keep their order."""
    from cv.sections.registry import SECTIONS

    # The template's own headings ("Educations", "About Me") are the CV's titles of those
    # sections ("Education", "Profile"); a heading the person wrote stays the section's title.
    stock = {normalise_title(k.homepage_title): normalise_title(k.title) for k in SECTIONS}
    stock.pop("", None)
    found_keys = [normalise_title(title) for title in found]
    missing, positions = [], []
    for heading in expected:
        key = normalise_title(heading)
        key = key if key in found_keys else stock.get(key, key)
        if key in found_keys:
            positions.append(found_keys.index(key))
        else:
            missing.append(heading)
    return missing, positions == sorted(positions)


# --- .bib files ----------------------------------------------------------------------------------


@dataclass
class BibResult:
    """How one .bib file came through a build, against its entry count."""

    folder: str
    file: str
    expected: int
    quirks: tuple[str, ...]
    empty: int = 0
    found: int = 0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None and self.found in (self.expected, self.expected - self.empty)


def bib_files(folder: Path) -> list[tuple[Path, BibTruth]]:
    """Every .bib of a corpus folder with its truth, by name."""
    truth = load_bib_truth(folder)
    return [(folder / name, truth[name]) for name in sorted(truth) if (folder / name).is_file()]


def measure_bib(
    bib: Path, truth: BibTruth, work_dir: Path | None = None, *, person: str = "Corpus Reader"
) -> BibResult:
    """Build a record holding only ``bib`` (and a name) and count its entries in cv.html.

    The file is copied byte for byte as the record's ``publications.bib``.
    """
    from cv.builder import build

    result = BibResult(bib.parent.name, bib.name, truth.entries, truth.quirks, truth.empty)
    started = time.perf_counter()
    with _work_dir(work_dir) as work:
        data, out = work / "data", work / "output"
        data.mkdir(parents=True, exist_ok=True)
        (data / "cv.yaml").write_text(f'name: "{person}"\n', encoding="utf-8")
        shutil.copyfile(bib, data / "publications.bib")
        try:
            built = build(data, out, only=["html"])
        except Exception as error:  # noqa: BLE001 - a failure of cv is a result here
            result.error = _as_corpus_paths(describe_error(error), data, bib)
        else:
            result.warnings = [_as_corpus_paths(w, data, bib) for w in built.warnings]
            sections = read_cv_html((out / "cv.html").read_text(encoding="utf-8"))
            result.found = sum(len(section.publications) for section in sections)
    result.seconds = time.perf_counter() - started
    return result


def _as_corpus_paths(text: str, data: Path, bib: Path) -> str:
    """A message of the temporary record, naming the corpus file instead of its copy."""
    return text.replace(str(data / "publications.bib"), str(bib)).replace(
        str(data / "cv.yaml"), "(the minimal cv.yaml)"
    )


# --- over the corpus -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    """The corpus's figures, against the issue's targets."""

    homepages: int
    homepages_failed: int
    papers: int
    papers_found: int
    with_year: int
    year_lost: int
    with_owner: int
    owner_not_bold: int
    leaks: int
    headings: int
    headings_missing: int
    pages_out_of_order: int
    news: int
    news_found: int
    bibs: int
    bibs_failed: int
    entries: int
    entries_found: int

    @property
    def forthcoming_rate(self) -> float:
        """Share of found papers with a year on the page that came out without it."""
        return self.year_lost / self.with_year if self.with_year else 0.0

    @property
    def owner_bold_rate(self) -> float:
        """Share of found papers listing the owner where the owner is in bold."""
        return 1 - self.owner_not_bold / self.with_owner if self.with_owner else 1.0

    @property
    def targets(self) -> dict[str, bool]:
        """Each target of the issue: met or not."""
        return {
            f"forthcoming <= {MAX_FORTHCOMING:.0%}": self.forthcoming_rate <= MAX_FORTHCOMING,
            f"owner bold >= {MIN_OWNER_BOLD:.0%}": self.owner_bold_rate >= MIN_OWNER_BOLD,
            "no markup leaks": self.leaks == 0,
            "headings kept in order": self.headings_missing == 0 and self.pages_out_of_order == 0,
            "every paper found": self.papers_found == self.papers,
            "every bib builds, every entry": self.bibs_failed == 0
            and self.entries_found == self.entries,
        }


def totals(homepages: Sequence[HomepageResult], bibs: Sequence[BibResult]) -> Totals:
    """Add up per-input results."""
    return Totals(
        homepages=len(homepages),
        homepages_failed=sum(1 for r in homepages if r.error is not None),
        papers=sum(len(r.truth.papers) for r in homepages),
        papers_found=sum(r.papers_found for r in homepages),
        with_year=sum(r.with_year for r in homepages),
        year_lost=sum(len(r.year_lost) for r in homepages),
        with_owner=sum(r.with_owner for r in homepages),
        owner_not_bold=sum(len(r.owner_not_bold) for r in homepages),
        leaks=sum(len(r.leaks) for r in homepages),
        headings=sum(len(r.truth.headings) for r in homepages),
        headings_missing=sum(len(r.headings_missing) for r in homepages),
        pages_out_of_order=sum(1 for r in homepages if r.error is None and not r.headings_in_order),
        news=sum(r.truth.news for r in homepages),
        news_found=sum(r.news_found for r in homepages),
        bibs=len(bibs),
        bibs_failed=sum(1 for r in bibs if r.error is not None),
        entries=sum(r.expected for r in bibs),
        entries_found=sum(r.expected if r.ok else r.found for r in bibs),
    )


def measure_corpus(
    *, pdf: bool = True, sites: Iterable[Path] | None = None, bibs: bool = True
) -> tuple[list[HomepageResult], list[BibResult]]:
    """Measure every homepage and every .bib of the corpus."""
    pages = [measure_homepage(site, pdf=pdf) for site in (sites or homepage_sites())]
    bib_results = (
        [
            measure_bib(path, truth)
            for folder in (ALFOLIO, LABBIB)
            for path, truth in bib_files(folder)
        ]
        if bibs
        else []
    )
    return pages, bib_results


@contextmanager
def _work_dir(work_dir: Path | None) -> Iterator[Path]:
    """``work_dir`` itself (emptied first), or a temporary folder removed afterwards."""
    if work_dir is None:
        with tempfile.TemporaryDirectory(prefix="cv-corpus-") as temporary:
            yield Path(temporary)
        return
    if work_dir.exists():
        shutil.rmtree(work_dir)
    work_dir.mkdir(parents=True)
    yield work_dir
