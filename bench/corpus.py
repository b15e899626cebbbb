"""Run cv over the real corpus in tests/real and print how it did, input by input.

    python bench/corpus.py [--no-pdf] [--only NAME ...] [--no-bibs] [--no-homepages] [--details]

One row per homepage (papers found of those on the page, years lost, owner not bold, headings,
news, markup leaks in the PDF) and per .bib file (entries built of those in the file), then the
totals against the issue's targets. ``--details`` lists every failure under its row: the titles
missing or without their year, the headings not kept, the leaked lines, the errors.

The measures are tests/corpus.py's; this prints them. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.corpus import (  # noqa: E402 - the repository is put on the path first
    ALFOLIO,
    LABBIB,
    BibResult,
    HomepageResult,
    Totals,
    bib_files,
    homepage_sites,
    measure_bib,
    measure_homepage,
    totals,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-pdf", action="store_true", help="build cv.html only (no leak check)")
    parser.add_argument("--only", nargs="*", default=None, help="site folders or .bib file names")
    parser.add_argument("--no-bibs", action="store_true")
    parser.add_argument("--no-homepages", action="store_true")
    parser.add_argument("--details", action="store_true", help="list every failure")
    args = parser.parse_args(argv)
    wanted = set(args.only) if args.only else None

    pages: list[HomepageResult] = []
    if not args.no_homepages:
        print(_page_header())
        for site in homepage_sites():
            if wanted and site.name not in wanted:
                continue
            result = measure_homepage(site, pdf=not args.no_pdf)
            pages.append(result)
            print(_page_row(result), flush=True)
            if args.details:
                print(*_page_details(result), sep="", end="")
    bibs: list[BibResult] = []
    if not args.no_bibs:
        print()
        print(_bib_header())
        for folder in (ALFOLIO, LABBIB):
            for path, truth in bib_files(folder):
                if wanted and path.name not in wanted:
                    continue
                result = measure_bib(path, truth)
                bibs.append(result)
                print(_bib_row(result), flush=True)
                if args.details:
                    print(*_bib_details(result), sep="", end="")
    print()
    print(*_totals(totals(pages, bibs)), sep="\n")
    return 0


def _page_header() -> str:
    return (
        f"{'homepage':<16} {'papers':>7} {'extra':>5} {'year':>7} {'owner':>7} "
        f"{'headings':>8} {'order':>5} {'news':>7} {'leaks':>5} {'sec':>5}  problem"
    )


def _page_row(r: HomepageResult) -> str:
    t = r.truth
    if r.error is not None:
        dashes = " ".join(f"{'-':>{width}}" for width in (7, 5, 7, 7, 8, 5, 7, 5))
        return f"{r.site:<16} {dashes} {r.seconds:5.1f}  {r.stage} failed: {_short(r.error)}"
    year = f"{r.with_year - len(r.year_lost)}/{r.with_year}"
    owner = f"{r.with_owner - len(r.owner_not_bold)}/{r.with_owner}"
    headings = f"{len(t.headings) - len(r.headings_missing)}/{len(t.headings)}"
    leaks = str(len(r.leaks)) if r.pdf_checked else "-"
    return (
        f"{r.site:<16} {r.papers_found:>3}/{len(t.papers):<3} {len(r.extra):>5} {year:>7} "
        f"{owner:>7} {headings:>8} {'yes' if r.headings_in_order else 'NO':>5} "
        f"{r.news_found:>3}/{t.news:<3} {leaks:>5} {r.seconds:5.1f}  {'ok' if r.ok else ''}"
    )


def _page_details(r: HomepageResult) -> list[str]:
    lines = []
    if r.error is not None:
        lines.append(f"    error ({r.stage}): {r.error}")
    lines += [f"    missing: {title}" for title in r.missing]
    lines += [f"    extra (built, not on the page): {title}" for title in r.extra]
    lines += [f"    year lost: {title}" for title in r.year_lost]
    lines += [f"    owner not bold: {title}" for title in r.owner_not_bold]
    lines += [f"    heading missing: {heading}" for heading in r.headings_missing]
    if r.error is None and not r.headings_in_order:
        lines.append(f"    headings out of order: {' | '.join(r.headings_found)}")
    if r.error is None and r.news_found != r.truth.news:
        lines.append(f"    news: {r.news_found} built, {r.truth.news} on the page")
    lines += [f"    leak: {leak}" for leak in r.leaks]
    return [line + "\n" for line in lines]


def _bib_header() -> str:
    return f"{'bib':<52} {'entries':>11} {'warn':>5} {'sec':>5}  problem"


def _bib_row(r: BibResult) -> str:
    name = f"{r.folder}/{r.file}"
    if len(name) > 52:
        name = name[:49] + "..."
    entries = f"{r.found}/{r.expected}"
    problem = "ok" if r.ok else (f"failed: {_short(r.error)}" if r.error else "entries lost")
    return f"{name:<52} {entries:>11} {len(r.warnings):>5} {r.seconds:5.1f}  {problem}"


def _bib_details(r: BibResult) -> list[str]:
    lines = [f"    quirks: {', '.join(r.quirks) or 'none'}"] if not r.ok else []
    if r.error:
        lines.append(f"    error: {r.error}")
    lines += [f"    warning: {warning}" for warning in r.warnings[:5]]
    if len(r.warnings) > 5:
        lines.append(f"    ... {len(r.warnings) - 5} more warnings")
    return [line + "\n" for line in lines]


def _totals(t: Totals) -> list[str]:
    lines = [
        f"homepages: {t.homepages} ({t.homepages_failed} failed to import or build)",
        f"papers found: {t.papers_found}/{t.papers}",
        f"year on the page but not built: {t.year_lost}/{t.with_year} ({t.forthcoming_rate:.1%})",
        f"owner in bold: {t.with_owner - t.owner_not_bold}/{t.with_owner}"
        f" ({t.owner_bold_rate:.1%})",
        f"headings kept: {t.headings - t.headings_missing}/{t.headings};"
        f" pages out of order: {t.pages_out_of_order}",
        f"news items: {t.news_found}/{t.news}",
        f"markup leaks in PDFs: {t.leaks}",
        f"bibs built: {t.bibs - t.bibs_failed}/{t.bibs}; entries: {t.entries_found}/{t.entries}",
        "targets: "
        + ", ".join(f"{name} {'met' if met else 'NOT met'}" for name, met in t.targets.items()),
    ]
    return lines


def _short(text: str | None, width: int = 90) -> str:
    first = (text or "").strip().splitlines()[0] if text else ""
    return first if len(first) <= width else first[: width - 3] + "..."


if __name__ == "__main__":
    raise SystemExit(main())
