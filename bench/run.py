"""Benchmarks of cv: cold commands, a warm rebuild, long CVs, a big .bib, and peak memory.

    python bench/run.py [--runs N] [--markdown FILE] [--only KEYS] [--source DIR] [--rebuilds N]
                        [--rendercv CV.yaml [--rendercv-bin PATH] [--typst-packages DIR]]

Every cold measurement is a new process (the ``cv`` and ``weasyprint`` commands of the Python
running this script). The commands are run in rounds, one of each per round (A B C ... A B C
...), so that a slow spell of a shared machine falls on all of them alike; the table gives
medians. Peak memory is the child's maximum resident set (``wait4``), forked children included.

Two rows keep one process building again and again (``rebuilds``: ``cv.build``; ``watchrss``:
``cv watch``, edited after each build) and give its resident memory after the 10th and the
last build (``--rebuilds``, 200 by default): a warm process must not grow.

``--source DIR`` runs another checkout's ``cv`` package (and its templates) with the same
Python and WeasyPrint, to compare before and after a change:
``git archive COMMIT | tar -x -C DIR``. Without it the children run this checkout's ``cv`` (the
folder holding ``bench/``), whichever one the Python has installed.

``serve`` and ``serverss`` run ``cv serve`` in a child and time, after each edit of
``cv.yaml``, the save to the moment the page has been told and has fetched the new cv.html;
the PDFs are built in the server's second process, and the table says which rows need a free
second core.

``--only fork`` compares forked and in-turn builds of the same tree in the same rounds: each
``cv build`` (``--only cv``, ``--only cv,bio``, all outputs) and a cold and a warm ``cv.build``,
once as the tree does it and once with ``cv.parallel.can_fork`` answering False (a tree without
``cv.parallel.can_fork`` never forks, and both give the same). Its table gives wall and CPU time
(user + system of the process and every child it forked and reaped), paired per round.

Nothing here is a test: timings depend on the machine, and the suite never asserts one.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "data"
BIN = Path(sys.executable).parent
SOURCE: Path | None = None  # the checkout whose cv package the children import
CWD = Path(tempfile.gettempdir())  # the children's working folder: an empty one once main runs


# --- running a child and measuring it ----------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    seconds: float
    peak_kb: int
    cpu: float  # user + system seconds of the child and its forked children
    pages: int | None = None
    inner: dict[str, float] = field(default_factory=dict)  # times a child measured itself


def run(
    argv: list[str], *, cwd: Path | None = None, extra_env: dict[str, str] | None = None
) -> tuple[float, int, float, str]:
    """Run a command to its end: wall seconds, peak RSS in KiB, CPU seconds, stdout.

    Peak memory and CPU time include the children the command forks and waits for.

    The child is reaped with ``wait4``, which gives its own resource usage; outputs go to files
    so that nothing but the child's end is waited for.
    """
    # As installed: with bytecode caches (pip writes them; a shell may have turned them off).
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    if SOURCE is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SOURCE), env.get("PYTHONPATH")]))
    env.update(extra_env or {})
    # Never the repository: ``python -c`` would import its cv package before ``--source``'s.
    cwd = cwd or CWD
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(
            argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if child.returncode != 0:
        said = " ".join((stdout + stderr).split())  # RenderCV prints its errors to stdout
        raise RuntimeError(f"{' '.join(argv)} failed ({child.returncode}): {said[-600:]}")
    return seconds, usage.ru_maxrss, usage.ru_utime + usage.ru_stime, stdout


def pages_built(stdout: str, name: str = "cv.pdf") -> int | None:
    """The page count ``cv build`` printed for a file (its summary: file, pages, size, seconds)."""
    for line in stdout.splitlines():
        parts = line.split()
        if len(parts) > 1 and Path(parts[0]).name == name and parts[1].isdigit():
            return int(parts[1])
    return None


def count_pages(pdf: Path) -> int | None:
    try:
        import pypdf  # the test extra; only for RenderCV's PDF
    except ImportError:
        return None
    return len(pypdf.PdfReader(pdf).pages)


def python_snippet(code: str) -> list[str]:
    return [sys.executable, "-c", code]


# --- generated records -------------------------------------------------------------------------

FIRST = [
    "Zhenheng",
    "Yonggang",
    "Shaohuai",
    "Xin",
    "Bo",
    "Xiaowen",
    "Jos\\'e",
    "Ana",
    "Li",
    "M{\\'a}rta",
]
LAST = ["Tang", "Zhang", "Shi", "He", "Han", "Chu", "Garc{\\'\\i}a", 'Schr{\\"o}der', "Wang", "Liu"]
WORDS = [
    "federated",
    "learning",
    "efficient",
    "robust",
    "scalable",
    "distributed",
    "training",
    "inference",
    "large",
    "language",
    "models",
    "sparse",
    "communication",
    "heterogeneity",
    "privacy",
    "optimization",
    "systems",
    "graph",
    "neural",
]


def bibtex(count: int, seed: int = 9) -> str:
    """``count`` varied entries: five types, accents, 2-13 authors, links, some abstracts."""
    rnd = random.Random(seed)
    entries = []
    for i in range(count):
        kind = rnd.choice(["article", "inproceedings", "misc", "phdthesis", "techreport"])
        authors = [f"{rnd.choice(LAST)}, {rnd.choice(FIRST)}" for _ in range(rnd.randint(2, 12))]
        if rnd.random() < 0.5:
            authors.insert(rnd.randint(0, len(authors)), "Tang, Zhenheng")
        title = [rnd.choice(WORDS) for _ in range(rnd.randint(6, 14))]
        fields = [
            f"title = {{{{{title[0].capitalize()}}} {' '.join(title[1:])}}}",
            f"author = {{{' and '.join(authors)}}}",
            f"year = {{{rnd.randint(2005, 2025)}}}",
        ]
        if kind == "article":
            fields += [
                f"journal = {{IEEE Transactions on Things {i % 17}}}",
                f"volume = {{{i % 40}}}",
                f"number = {{{i % 12 + 1}}}",
                f"pages = {{{i}--{i + 12}}}",
            ]
        elif kind == "inproceedings":
            fields += [
                f"booktitle = {{Proceedings of the {i % 30}th Conference on Learning}}",
                "abbr = {ICLR}",
            ]
        elif kind == "misc":
            fields += [f"eprint = {{2401.{10000 + i}}}", "archiveprefix = {arXiv}"]
        elif kind == "phdthesis":
            fields += ["school = {Hong Kong Baptist University}"]
        else:
            fields += ["institution = {Some Lab}", f"number = {{TR-{i}}}"]
        if rnd.random() < 0.3:
            fields.append(f"doi = {{10.1000/xyz.{i}}}")
        if rnd.random() < 0.3:
            fields.append(f"pdf = {{https://example.org/p{i}.pdf}}")
        if rnd.random() < 0.2:
            fields.append(
                f"abstract = {{{' '.join(rnd.choice(WORDS) for _ in range(120))}"
                " $x^2$ \\emph{e}}"
            )
        entries.append(f"@{kind}{{key{i},\n  " + ",\n  ".join(fields) + "\n}\n")
    return "\n".join(entries)


def record_with(publications: int, folder: Path) -> Path:
    """The example record with ``publications`` generated entries instead of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(EXAMPLE / "cv.yaml", folder / "cv.yaml")
    (folder / "publications.bib").write_text(bibtex(publications), encoding="utf-8")
    return folder


# --- the benchmarks ----------------------------------------------------------------------------


@dataclass
class Bench:
    key: str
    name: str
    sample: Callable[[], Sample]
    target: str = ""
    heavy: bool = False
    samples: list[Sample] = field(default_factory=list)
    failed: str = ""  # why an optional benchmark (RenderCV) could not run
    #: Whether its times hold only with a second core free: "yes" for rows whose processes or
    #: threads work at the same time; "no" for one process working alone.
    second_core: str = "no"

    @property
    def seconds(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def peak_mb(self) -> float:
        return max(s.peak_kb for s in self.samples) / 1024

    @property
    def pages(self) -> int | None:
        return self.samples[-1].pages if self.samples else None


def cold(argv: list[str], pages_of: str | None = None) -> Callable[[], Sample]:
    """A new process each run; ``pages_of`` names the file whose pages ``cv build`` reports."""

    def sample() -> Sample:
        seconds, peak, cpu, out = run(argv)
        return Sample(seconds, peak, cpu, pages_built(out, pages_of) if pages_of else None)

    return sample


WARM_REBUILD = """
import json, statistics, sys, time
from pathlib import Path
import cv
data, out, edits = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
record = data / "cv.yaml"
original = record.read_text(encoding="utf-8")
cv.build(data, out, only=["cv"])  # the first build of `cv watch`: imports and warm-up
times = []
for edit in range(edits):
    # An edit of a value the CV shows, as a user saving cv.yaml would make.
    record.write_text(original.replace("headline: ", f"headline: ({edit}) ", 1), encoding="utf-8")
    started = time.perf_counter()
    cv.build(data, out, only=["cv"])
    times.append(time.perf_counter() - started)
record.write_text(original, encoding="utf-8")
print(json.dumps({"rebuild": statistics.median(times)}))
"""

RSS_MB = """
def rss_mb():  # this process's resident memory now (not the peak)
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024
"""

REBUILDS = (
    RSS_MB
    + """
import gc, json, statistics, sys, time
from pathlib import Path
import cv
data, out, builds = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
rss, times = {}, []
for build in range(1, builds + 1):  # as a program calling the API again and again
    started = time.perf_counter()
    cv.build(data, out, only=["cv", "bio"])
    times.append(time.perf_counter() - started)
    if build in (10, builds):
        rss[build] = rss_mb()
print(json.dumps({"rebuild": statistics.median(times[10:]), "rss10": rss[10],
                  "rss_end": rss[builds], "growth": rss[builds] - rss[10],
                  "frozen": gc.get_freeze_count()}))
"""
)

WATCH_REBUILDS = (
    RSS_MB
    + """
import json, statistics, sys, threading, time
from pathlib import Path
import cv.watch
data, out, builds = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
record = data / "cv.yaml"
original = record.read_text(encoding="utf-8")
rss, times, stop = {}, [], threading.Event()
build = cv.watch.build

def timed_build(*args, **options):  # the rebuild itself, without the debounce and the wait
    started = time.perf_counter()
    try:
        return build(*args, **options)
    finally:
        times.append(time.perf_counter() - started)

def report(result, changed):  # after each build: the next edit comes at once
    if len(times) in (10, builds):
        rss[len(times)] = rss_mb()
    if len(times) == builds:
        stop.set()
    else:
        record.write_text(original.replace("headline: ", f"headline: ({len(times)}) ", 1),
                          encoding="utf-8")

cv.watch.build = timed_build
cv.watch.watch(data, out, only=["cv", "bio"], report=report, stop=stop, debounce_ms=20)
record.write_text(original, encoding="utf-8")
print(json.dumps({"rebuild": statistics.median(times[10:]), "rss10": rss[10],
                  "rss_end": rss[builds], "growth": rss[builds] - rss[10]}))
"""
)

SERVE_RELOADS = (
    RSS_MB
    + """
import http.client, json, statistics, sys, threading, time
from pathlib import Path
from cv.serve import serve
data, out, edits = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
pdfs = sys.argv[4] == "pdfs"
record = data / "cv.yaml"
original = record.read_text(encoding="utf-8")
stop, listening, where = threading.Event(), threading.Event(), {}

def ready(url):
    where["host"] = url.split("//", 1)[1].rstrip("/")
    listening.set()

server = threading.Thread(target=serve, args=(data, out), daemon=True, kwargs=dict(
    port=0, pdfs=pdfs, ready=ready, stop=stop, debounce_ms=50))
server.start()
listening.wait(120)
host, port = where["host"], int(where["host"].rsplit(":", 1)[1])
events = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
events.request("GET", "/_cv/events", headers={"Host": host})
stream = events.getresponse()

def until(test):  # the next status the page is sent that passes the test
    while True:
        line = stream.fp.readline()
        if line.startswith(b"data: ") and test(status := json.loads(line[6:])):
            return status

def page():  # what the page reloads: cv.html
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", "/cv.html", headers={"Host": host})
    return connection.getresponse().read()

status = until(lambda s: s["html"] >= 1 and (not pdfs or s["pdf"] >= 1))
times, rss = [], {}
for edit in range(1, edits + 1):
    html, pdf, marker = status["html"], status["pdf"], f"({edit}) "
    started = time.perf_counter()  # a save of cv.yaml ...
    record.write_text(original.replace("headline: ", "headline: " + marker, 1), encoding="utf-8")
    status = until(lambda s: s["html"] > html)  # ... the page hears of it ...
    body = page()  # ... and has reloaded cv.html
    times.append(time.perf_counter() - started)
    assert marker.encode() in body, "the reloaded page does not show the edit"
    if pdfs:  # the reader looks at the page until the PDFs have followed
        status = until(lambda s: s["pdf"] > pdf or s["pdf_state"] == "failed")
    if edit in (min(10, edits), edits):
        rss[edit] = rss_mb()
stop.set()
server.join()  # the PDF process ended and reaped: its CPU time is counted
record.write_text(original, encoding="utf-8")
first = min(10, edits)
print(json.dumps({"reload": statistics.median(times), "rss10": rss[first], "rss_end": rss[edits],
                  "growth": rss[edits] - rss[first]}))
"""
)

BIB_LOAD = """
import json, sys, time
from pathlib import Path
started = time.perf_counter()
from cv.bibliography import load_bibliography
imported = time.perf_counter()
publications = load_bibliography([Path(sys.argv[1])], highlight=["Zhenheng Tang", "Z. Tang"])
done = time.perf_counter()
print(json.dumps({"load": done - imported, "import": imported - started,
                  "entries": len(publications)}))
"""

HTML_FOR_WEASYPRINT = """
import datetime as dt, sys
from pathlib import Path
from cv.builder import date_from_environment, read_inputs
from cv.render import render_html
inputs = read_inputs(Path(sys.argv[1]))
html = render_html(inputs.source.record, inputs.publications, inputs.theme,
                   today=date_from_environment(), scholar=inputs.scholar)
Path(sys.argv[2]).write_text(html, encoding="utf-8")
"""


FORKS = """
import sys
mode, argv = sys.argv[1], sys.argv[2:]
if mode == "in-turn":  # the same tree, never forking (a tree without the switch never does)
    import cv.parallel
    if hasattr(cv.parallel, "can_fork"):
        cv.parallel.can_fork = lambda: False
if argv[0] == "api":  # a program calling cv.build, not the command line
    import cv
    cv.build(argv[1], argv[2])
else:
    from cv.cli import main
    sys.argv = ["cv", *argv]
    main()
"""

WARM_FORKS = """
import json, os, resource, statistics, sys, time
mode, data, out, builds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
if mode == "in-turn":
    import cv.parallel
    if hasattr(cv.parallel, "can_fork"):
        cv.parallel.can_fork = lambda: False
import cv

def cpu():  # this process and the children it reaped
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

cv.build(data, out, only=["cv", "bio"])  # imports and warm-up
walls, cpus = [], []
for _ in range(builds):
    started, used = time.perf_counter(), cpu()
    cv.build(data, out, only=["cv", "bio"])
    walls.append(time.perf_counter() - started)
    cpus.append(cpu() - used)
print(json.dumps({"wall": statistics.median(walls), "cpu": statistics.median(cpus)}))
"""

UNFIXED = """
import sys
import cv.pdf  # imports WeasyPrint and applies cv's fixes of it, undone here
import weasyprint.pdf as writer
try:
    from cv.weasyprint_fixes import PATCHED
except ImportError:  # a tree without the fixes
    PATCHED = ()
for name in PATCHED:
    function = getattr(writer, name)
    setattr(writer, name, getattr(function, "__wrapped__", function))
from cv.cli import main
sys.argv = ["cv", *sys.argv[1:]]
main()
"""

FORK_MODES = ("forked", "in-turn")
FORK_CASES = ("cv", "cvbio", "all", "api", "warm")


CSL_STYLE = "apa"  # the slowest to write of the styles measured (apa, ieee, chicago, nature)


def csl_benches(work: Path, default: Path) -> list[Bench]:
    """``p250csl``: the 250 publications of ``p250`` cited in a CSL style, to compare with it.

    ``p250csl`` runs as every build after the first runs, with the entries the style wrote kept
    in cv's cache folder; ``p250csl-first`` as the first build of a record in a style, with a
    cache folder that holds everything else a build keeps (templates, patterns) but no entry.
    """
    styled = work / "pubs-250-csl"
    shutil.copytree(default, styled)
    text = (styled / "cv.yaml").read_text(encoding="utf-8")
    text = text.replace("publications:\n", f"publications:\n  style: {CSL_STYLE}\n", 1)
    (styled / "cv.yaml").write_text(text, encoding="utf-8")
    command = [str(BIN / "cv"), "build", "--only", "cv", "--data", str(styled)]
    command += ["--out", str(work / "out-250-csl")]
    name = f"`cv build --only cv`, 250 publications, CSL style {CSL_STYLE}"
    return [
        Bench("p250csl", name, cold(command, "cv.pdf"), "≤ 1.10 × p250", heavy=True),
        Bench(
            "p250csl-first",
            name + ", its entries written (none kept from an earlier build)",
            first_build(command, default, work / "caches"),
            heavy=True,
        ),
    ]


def first_build(command: list[str], default: Path, caches: Path) -> Callable[[], Sample]:
    """Each run with a new cache folder holding what a build of ``default`` keeps."""
    base = caches / "base"
    runs = itertools.count()

    def sample() -> Sample:
        if not base.exists():
            out = str(caches / "out")
            build = [str(BIN / "cv"), "build", "-q", "--only", "cv", "--data", str(default)]
            run([*build, "--out", out], extra_env={"XDG_CACHE_HOME": str(base)})
        folder = caches / f"run-{next(runs)}"
        shutil.copytree(base, folder)
        seconds, peak, cpu, out = run(command, extra_env={"XDG_CACHE_HOME": str(folder)})
        return Sample(seconds, peak, cpu, pages_built(out, "cv.pdf"))

    return sample


def csl_ratio(rows: dict[str, Bench]) -> list[str]:
    """The lines comparing the CSL-styled CV with the default one, paired per round."""
    if "p250" not in rows:
        return []
    default = rows["p250"]
    lines = []
    for key, what, target in (
        ("p250csl", "", "≤ 1.10 ×"),
        ("p250csl-first", ", first build (no entry kept)", ""),
    ):
        if key not in rows:
            continue
        styled = rows[key]
        ratio = styled.seconds / default.seconds
        paired = statistics.median(
            a.seconds / b.seconds for a, b in zip(styled.samples, default.samples, strict=False)
        )
        met = ("yes" if ratio <= 1.10 else "no") if target else ""
        lines.append(
            f"| ratio CSL ({CSL_STYLE}) / default style, 250 publications{what} | {ratio:.2f} × "
            f"| | {len(styled.samples)} | | | | | {target} | {met} (paired per round: "
            f"{paired:.2f} ×) |"
        )
    return lines


def fork_benches(work: Path) -> list[Bench]:
    """Pairs of rows, forked and in turn, for :func:`fork_table` (``--only fork``)."""
    out = work / "out-forks"
    data = str(EXAMPLE)
    cases = [
        ("cv", "`cv build --only cv`", ["build", "-q", "--only", "cv"]),
        ("cvbio", "`cv build --only cv,bio`", ["build", "-q", "--only", "cv,bio"]),
        ("all", "`cv build` (5 outputs)", ["build", "-q"]),
    ]
    rows = []
    for mode in FORK_MODES:
        for key, name, argv in cases:
            command = [*python_snippet(FORKS), mode, *argv, "--data", data, "--out", str(out)]
            rows.append(Bench(f"{mode}-{key}", f"{name}, {mode}", cold(command)))
        api = [*python_snippet(FORKS), mode, "api", data, str(out / "api")]
        rows.append(Bench(f"{mode}-api", f"`cv.build(data, out)` cold, {mode}", cold(api)))
        rows.append(
            Bench(
                f"{mode}-warm",
                f"warm `cv.build(..., only=['cv', 'bio'])`, median of 10, {mode}",
                warm_forks(mode, data, str(out / "warm")),
            )
        )
    return rows


def warm_forks(mode: str, data: str, out: str) -> Callable[[], Sample]:
    def sample() -> Sample:
        _, peak, _, printed = run([*python_snippet(WARM_FORKS), mode, data, out, "10"])
        inner = json.loads(printed.strip().splitlines()[-1])
        return Sample(inner["wall"], peak, inner["cpu"], None, inner)

    return sample


def fork_table(rows: list[Bench]) -> str:
    """Forked against in turn: medians of wall and CPU time, and the ratios paired per round."""
    by_key = {row.key: row for row in rows if row.samples}
    lines = [
        "| benchmark | runs | wall forked | wall in turn | wall ratio (paired) "
        "| CPU forked | CPU in turn | CPU ratio (paired) | peak forked | peak in turn |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        if not row.key.startswith("forked-") or row.key not in by_key:
            continue
        case = row.key.removeprefix("forked-")
        turn = by_key.get(f"in-turn-{case}")
        if turn is None:
            continue
        pairs = list(zip(row.samples, turn.samples, strict=False))
        wall = statistics.median(a.seconds / b.seconds for a, b in pairs)
        cpu = statistics.median(a.cpu / b.cpu for a, b in pairs)
        name = row.name.removesuffix(", forked")
        lines.append(
            f"| {name} | {len(pairs)} | {row.seconds:.3f} s | {turn.seconds:.3f} s | "
            f"{row.seconds / turn.seconds:.2f} × ({wall:.2f} ×) | {row.cpu:.3f} s | "
            f"{turn.cpu:.3f} s | {row.cpu / turn.cpu:.2f} × ({cpu:.2f} ×) | "
            f"{row.peak_mb:.0f} MB | {turn.peak_mb:.0f} MB |"
        )
    return "\n".join(lines)


def in_process(code: str, args: list[str], key: str) -> Callable[[], Sample]:
    """A child that times a step itself (the import excluded) and prints it as JSON."""

    def sample() -> Sample:
        _, peak, cpu, out = run([*python_snippet(code), *args])
        inner = json.loads(out.strip().splitlines()[-1])
        return Sample(inner[key], peak, cpu, None, inner)

    return sample


def benches(
    work: Path,
    rendercv: Path | None,
    rendercv_bin: str | None,
    typst_packages: Path | None,
    rebuilds: int = 200,
) -> list[Bench]:
    cv, weasyprint = str(BIN / "cv"), str(BIN / "weasyprint")
    out = work / "out"
    html = work / "cv-for-weasyprint.html"
    run([*python_snippet(HTML_FOR_WEASYPRINT), str(EXAMPLE), str(html)])  # what the build lays out
    long_250 = record_with(250, work / "pubs-250")
    long_1000 = record_with(1000, work / "pubs-1000")
    big_bib = work / "5000.bib"
    big_bib.write_text(bibtex(5000, seed=5), encoding="utf-8")
    watched = work / "watched"
    shutil.copytree(EXAMPLE, watched)
    watched_long = work / "watched-long"
    shutil.copytree(EXAMPLE, watched_long)
    served = work / "served"
    shutil.copytree(EXAMPLE, served)
    served_long = record_with(250, work / "served-250")

    rows = [
        Bench("help", "`cv --help`", cold([cv, "--help"]), "< 0.25 s"),
        Bench(
            "check",
            "`cv check` (example)",
            cold([cv, "check", "-q", "--data", str(EXAMPLE)]),
            "< 0.25 s",
        ),
        Bench(
            "cv",
            "`cv build --only cv` (example)",
            cold(
                [cv, "build", "--only", "cv", "--data", str(EXAMPLE), "--out", str(out)], "cv.pdf"
            ),
            "≤ 1.05 × bare in CPU",
        ),
        Bench(
            "bare",
            "bare `weasyprint` on the same HTML",
            cold([weasyprint, str(html), str(work / "bare.pdf")]),
        ),
        Bench(
            "cvbio",
            "`cv build --only cv,bio` (example)",
            cold(
                [cv, "build", "-q", "--only", "cv,bio", "--data", str(EXAMPLE), "--out", str(out)]
            ),
            "< 0.9 s",
        ),
        Bench(
            "all",
            "`cv build` (example: cv, bio, html, md, cv-short)",
            cold([cv, "build", "-q", "--data", str(EXAMPLE), "--out", str(out / "all")]),
        ),
        Bench(
            "watch",
            "warm rebuild of the CV after an edit (watch mode)",
            in_process(WARM_REBUILD, [str(watched), str(work / "out-watch"), "5"], "rebuild"),
            "< 0.3 s",
        ),
        Bench(
            "rebuilds",
            f"{rebuilds} `cv.build` calls (cv, bio) in one process: median; RSS growth below",
            in_process(
                REBUILDS, [str(EXAMPLE), str(work / "out-rebuilds"), str(rebuilds)], "rebuild"
            ),
            "flat (< 10 MB)",
            heavy=True,
        ),
        Bench(
            "watchrss",
            f"{rebuilds} rebuilds by `cv watch` (cv, bio) in one process: median; RSS below",
            in_process(
                WATCH_REBUILDS,
                [str(watched_long), str(work / "out-watch-long"), str(rebuilds)],
                "rebuild",
            ),
            "flat (< 10 MB)",
            heavy=True,
        ),
        Bench(
            "serve",
            "`cv serve`, 250 publications: save of cv.yaml to cv.html reloaded (median of 5), "
            "the PDFs following before the next save",
            in_process(
                SERVE_RELOADS, [str(served_long), str(work / "out-serve"), "5", "pdfs"], "reload"
            ),
            "< 0.3 s",
            heavy=True,
            second_core="yes: the PDFs start as the page reloads",
        ),
        Bench(
            "serverss",
            f"{rebuilds} previews by `cv serve` (HTML, example) in one process: median; RSS below",
            in_process(
                SERVE_RELOADS,
                [str(served), str(work / "out-serve-rss"), str(rebuilds), "html"],
                "reload",
            ),
            "flat (< 10 MB)",
            heavy=True,
        ),
        Bench(
            "p250",
            "`cv build --only cv`, 250 publications",
            cold(
                [
                    cv,
                    "build",
                    "--only",
                    "cv",
                    "--data",
                    str(long_250),
                    "--out",
                    str(work / "out-250"),
                ],
                "cv.pdf",
            ),
            "s/page flat",
            heavy=True,
        ),
        Bench(
            "p1000",
            "`cv build --only cv`, 1,000 publications",
            cold(
                [
                    cv,
                    "build",
                    "--only",
                    "cv",
                    "--data",
                    str(long_1000),
                    "--out",
                    str(work / "out-1000"),
                ],
                "cv.pdf",
            ),
            "s/page flat; < 400 MB",
            heavy=True,
        ),
        Bench(
            "bib",
            "load a 5,000-entry .bib (`load_bibliography`)",
            in_process(BIB_LOAD, [str(big_bib)], "load"),
            "< 2 s",
            heavy=True,
        ),
    ]
    for count, folder in ((250, long_250), (1000, long_1000)):
        command = [*python_snippet(UNFIXED), "build", "--only", "cv", "--data", str(folder)]
        rows.append(
            Bench(
                f"p{count}-unfixed",
                f"`cv build --only cv`, {count:,} publications, WeasyPrint's tagging as installed",
                cold([*command, "--out", str(work / f"out-{count}-unfixed")], "cv.pdf"),
                "(only with --only tags)",
                heavy=True,
            )
        )
    rows += fork_benches(work)
    rows += csl_benches(work, long_250)
    if rendercv is not None:
        rows.append(
            Bench(
                "rendercv",
                f"RenderCV `rendercv render {rendercv.name}` (same content)",
                rendercv_sample(rendercv, work / "rendercv", rendercv_bin, typst_packages),
                second_core="yes: Typst compiles on several threads",
            )
        )
    return rows


RENDERCV_INPUT = """
import sys
from pathlib import Path
import yaml
from markupsafe import Markup
from cv.builder import read_inputs

inputs = read_inputs(Path(sys.argv[1]))
r = inputs.source.record


def date(value):  # RenderCV takes YYYY-MM, YYYY or present; other text is shown as written
    if value is None:
        return None
    if value.is_present:
        return "present"
    return f"{value.year}-{value.month:02d}" if value.month else str(value.year or value.text)


def clean(entry):
    return {key: value for key, value in entry.items() if value not in (None, "", [])}


sections = {}
if r.about:
    sections["About"] = [paragraph.replace("\\n", " ") for paragraph in r.about.split("\\n\\n")]
sections["News"] = [clean({"name": n.text, "date": date(n.date)}) for n in r.news]
sections["Experience"] = [clean({
    "company": e.organization or "", "position": e.role, "start_date": date(e.start),
    "end_date": date(e.end), "location": e.location,
    "highlights": ([f"Advised by [{e.advisor}]({e.advisor_url})" if e.advisor_url
                    else f"Advised by {e.advisor}"] if e.advisor else []) + list(e.details)})
    for e in r.experience]
sections["Teaching"] = [clean({"name": t.course, "date": str(t.term),
                              "summary": ", ".join(x for x in (t.role, t.institution) if x)})
                        for t in r.teaching]
sections["Service"] = [{"label": s.role, "details": "; ".join(
    [f"{g.label}: {', '.join(g.venues)}" for g in s.groups] + list(s.venues))} for s in r.service]
sections["Awards"] = [clean({"name": a.title, "date": str(a.date), "summary": a.organization})
                      for a in r.awards]
sections["Publications"] = [clean({
    "title": Markup(p.title).striptags(), "authors": [a.name for a in p.authors if not a.is_others],
    "journal": Markup(p.venue).striptags(), "date": str(p.year or "forthcoming"),
    "url": next((link.url for link in p.links if link.label in ("PDF", "URL", "arXiv")), None)})
    for p in inputs.publications]
sections["Education"] = [clean({
    "institution": e.institution, "area": e.field or e.degree,
    "degree": e.degree if e.field else None, "start_date": date(e.start), "end_date": date(e.end),
    "highlights": list(e.details)}) for e in r.education]
sections["Internships"] = [clean({
    "company": i.organization, "position": i.role or "Intern", "start_date": date(i.start),
    "end_date": date(i.end), "highlights": [f"Mentor: {i.mentor}"] if i.mentor else []})
    for i in r.internships]
cv = clean({"name": r.name, "location": r.contact.location, "email": r.contact.email,
            "social_networks": [{"network": "GitHub", "username": r.contact.github}]
            if r.contact.github else []})
cv["sections"] = {title: entries for title, entries in sections.items() if entries}
print(yaml.safe_dump({"cv": cv, "design": {"theme": "classic"}}, allow_unicode=True,
                     sort_keys=False, width=100))
"""


RENDERCV_IMPORTS = """
import pathlib, re, sys, rendercv
found = set()
for path in pathlib.Path(rendercv.__file__).parent.rglob("*"):
    if path.suffix in (".typ", ".j2", ".py", ".jinja", ".jinja2") and path.is_file():
        text = path.read_text(encoding="utf-8", errors="replace")
        found.update(re.findall(r"@preview/([a-z][a-z0-9-]*):([0-9]+[.][0-9]+[.][0-9]+)", text))
print("\\n".join(f"{name} {version}" for name, version in sorted(found)))
"""


def typst_imports(executable: str) -> list[tuple[str, str]]:
    """The Typst packages (name, version) the installed RenderCV's templates import.

    Read from the RenderCV package beside ``executable`` (its Python is the first line of the
    script); none when that cannot be read.
    """
    try:
        first = Path(executable).read_text(encoding="utf-8", errors="replace").splitlines()[0]
    except (OSError, IndexError):
        return []
    python = first.removeprefix("#!").strip()
    if not first.startswith("#!") or not Path(python).is_file():
        return []
    try:
        printed = subprocess.run(
            [python, "-c", RENDERCV_IMPORTS], capture_output=True, text=True, timeout=60
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [tuple(line.split()) for line in printed.splitlines() if len(line.split()) == 2]


def stand_ins_for(imports: list[tuple[str, str]], packages: Path) -> None:
    """A stand-in at every version RenderCV imports of a package the folder has one for.

    The stand-in of the newest version the folder has is copied under the missing version's
    number (``fa-icon`` has had the same signature from 0.5.0 to 0.6.x); a package the folder
    has no stand-in for is left missing, and the RenderCV row then fails saying which.
    """
    for name, version in imports:
        folder = packages / "preview" / name
        if (folder / version).is_dir() or not folder.is_dir():
            continue
        newest = max(folder.iterdir(), key=lambda v: tuple(map(int, v.name.split("."))))
        shutil.copytree(newest, folder / version)
        manifest = folder / version / "typst.toml"
        manifest.write_text(
            manifest.read_text(encoding="utf-8").replace(
                f'version = "{newest.name}"', f'version = "{version}"'
            ),
            encoding="utf-8",
        )


ADDRESS = re.compile(r"\b(?:https?://|www\.)\S+|\b[\w.-]+\.(?:org|com|io|net)\b/?\S*")


def without_addresses(text: str) -> str:
    """``text`` with every web address (a package server's, say) replaced by ``<server>``, the
    file it named kept (``<server>/fontawesome-0.6.0.tar.gz``); from its last ``...Error:``
    on, when it has one (RenderCV prints a framed traceback before it)."""

    def file_only(address: re.Match[str]) -> str:
        parts = address.group(0).rstrip("/'\").,;").split("/")
        return "<server>" + (f"/{parts[-1]}" if len(parts) > 1 else "")

    last = list(re.finditer(r"\b\w*Error: ", text))
    return ADDRESS.sub(file_only, text[last[-1].start() :] if last else text)


def rendercv_sample(
    cv_yaml: Path, out: Path, executable: str | None, typst_packages: Path | None
) -> Callable[[], Sample]:
    """RenderCV (Typst) on a RenderCV input file; written from the example when it is missing.

    With ``typst_packages`` (a folder of ``preview/NAME/VERSION`` packages), Typst finds the
    packages RenderCV imports there instead of downloading them from packages.typst.org: its
    package cache is under ``$XDG_CACHE_HOME/typst/packages``.
    """
    executable = executable or shutil.which("rendercv")
    if executable is None:
        raise SystemExit("--rendercv: no `rendercv` command on PATH (or give --rendercv-bin)")
    extra_env = {}
    if typst_packages is not None:
        cache = out / "xdg-cache" / "typst" / "packages"
        shutil.copytree(typst_packages, cache, dirs_exist_ok=True)
        stand_ins_for(typst_imports(executable), cache)
        extra_env["XDG_CACHE_HOME"] = str(out / "xdg-cache")
    if not cv_yaml.exists():
        cv_yaml.write_text(
            run([*python_snippet(RENDERCV_INPUT), str(EXAMPLE)])[3], encoding="utf-8"
        )
        print(f"wrote the example as RenderCV input: {cv_yaml}", flush=True)

    def sample() -> Sample:
        pdf = out / "cv.pdf"
        seconds, peak, cpu, _ = run(
            [
                executable,
                "render",
                str(cv_yaml.resolve()),
                "--pdf-path",
                str(pdf),
                "--dont-generate-markdown",
                "--dont-generate-html",
                "--dont-generate-png",
            ],
            cwd=cv_yaml.resolve().parent,
            extra_env=extra_env,
        )
        return Sample(seconds, peak, cpu, count_pages(pdf))

    return sample


# --- the table ---------------------------------------------------------------------------------


def table(rows: list[Bench]) -> str:
    by_key = {row.key: row for row in rows if row.samples}
    failures = [
        f"| {row.name} | failed | | | | | | | | {row.failed} |" for row in rows if row.failed
    ]
    lines = [
        "| benchmark | median | CPU | runs | pages | s / page | peak memory | needs a free "
        "second core | target | met |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |",
    ]
    for row in by_key.values():
        per_page = f"{row.seconds / row.pages:.4f}" if row.pages else ""
        lines.append(
            f"| {row.name} | {row.seconds:.3f} s | {row.cpu:.2f} s | {len(row.samples)} | "
            f"{row.pages or ''} | {per_page} | {row.peak_mb:.0f} MB | {row.second_core} | "
            f"{row.target} | {verdict(row, by_key)} |"
        )
    lines += failures
    if "cv" in by_key and "bare" in by_key:
        cv, bare = by_key["cv"], by_key["bare"]
        paired = statistics.median(
            a.seconds / b.seconds for a, b in zip(cv.samples, bare.samples, strict=False)
        )
        ratio = cv.seconds / bare.seconds
        cpu_paired = statistics.median(
            a.cpu / b.cpu for a, b in zip(cv.samples, bare.samples, strict=False)
        )
        cpu_ratio = cv.cpu / bare.cpu
        lines.append(
            f"| ratio `cv build --only cv` / bare `weasyprint` | {ratio:.2f} × | "
            f"{cpu_ratio:.2f} × | {len(cv.samples)} | | | | no | ≤ 1.05 × in CPU | "
            f"{'yes' if cpu_ratio <= 1.05 else 'no'} (paired per round: wall {paired:.2f} ×, "
            f"CPU {cpu_paired:.2f} ×) |"
        )
    for suffix, what in (("", ""), ("-unfixed", ", WeasyPrint's tagging as installed")):
        short, long = by_key.get("p250" + suffix), by_key.get("p1000" + suffix)
        if short and long and short.pages and long.pages:
            growth = (long.seconds / long.pages) / (short.seconds / short.pages)
            cpu = (long.cpu / long.pages) / (short.cpu / short.pages)
            lines.append(
                f"| s/page at 1,000 ÷ s/page at 250 publications{what} | {growth:.2f} × | "
                f"{cpu:.2f} × | | | | | no | ≤ 1.15 × (flat) | "
                f"{'yes' if growth <= 1.15 else 'no'} |"
            )
    for key in ("rebuilds", "watchrss", "serverss"):
        if key in by_key:
            lines.append(rss_growth(by_key[key]))
    lines += csl_ratio(by_key)
    return "\n".join(lines)


def rss_growth(row: Bench) -> str:
    """The line of a long-lived process's memory: RSS after its 10th build and after its last."""
    first = max(s.inner["rss10"] for s in row.samples)
    last = max(s.inner["rss_end"] for s in row.samples)
    growth = max(s.inner["growth"] for s in row.samples)
    met = "yes" if growth < 10 else "no"
    return (
        f"| RSS growth from build 10 to the last, {row.key} ({first:.0f} → {last:.0f} MB) | "
        f"{growth:+.1f} MB | | {len(row.samples)} | | | | {row.second_core} | < 10 MB | {met} |"
    )


def verdict(row: Bench, rows: dict[str, Bench]) -> str:
    limits = {"help": 0.25, "check": 0.25, "cvbio": 0.9, "watch": 0.3, "serve": 0.3, "bib": 2.0}
    if row.key in limits:
        return "yes" if row.seconds < limits[row.key] else "no"
    if row.key == "p1000":
        return "yes" if row.peak_mb < 400 else "no"
    if row.key in ("rebuilds", "watchrss", "serverss"):
        return "yes" if max(s.inner["growth"] for s in row.samples) < 10 else "no"
    if row.key == "cv" and "bare" in rows:
        return "yes" if row.cpu <= 1.05 * rows["bare"].cpu else "no"
    return ""


VERSIONS = """
import json, platform, importlib.metadata as md
print(json.dumps({name: md.version(name) for name in
                  ("weasyprint", "bibtexparser", "pydantic", "typer", "jinja2", "pylatexenc")}))
"""


def _library_version(library: str, function: str) -> str:
    import ctypes

    try:
        call = getattr(ctypes.CDLL(library), function)
    except (OSError, AttributeError):
        return "missing"
    call.restype = ctypes.c_char_p
    return call().decode()


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        "?",
    )
    versions = {
        "Python": platform.python_version(),
        **json.loads(run(python_snippet(VERSIONS))[3]),
        "Pango": _library_version("libpango-1.0.so.0", "pango_version_string"),
        "HarfBuzz": _library_version("libharfbuzz.so.0", "hb_version_string"),
    }
    subset = (
        "installed"
        if _library_version("libharfbuzz-subset.so.0", "hb_version_string") != "missing"
        else "MISSING (WeasyPrint falls back to fontTools)"
    )
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {memory} memory, "
        f"{platform.system()} {platform.release()}; "
        f"libharfbuzz-subset {subset}; load average {os.getloadavg()[0]:.2f} at the start.\n"
        + ", ".join(f"{name} {version}" for name, version in versions.items())
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each benchmark (default 5)")
    parser.add_argument(
        "--heavy-runs", type=int, help="runs of the long ones (default: --runs, at most 3)"
    )
    parser.add_argument(
        "--markdown", type=Path, help="also write the table (and the machine) to this file"
    )
    parser.add_argument(
        "--only",
        help="comma-separated keys: help, check, cv, bare, cvbio, all, watch, "
        "rebuilds, watchrss, serve, serverss, p250, p250csl, p250csl-first, p1000, bib, "
        "rendercv; tags (p250 and p1000 with and without cv's fix of WeasyPrint's "
        "tagging); fork (forked against in-turn builds: forked-cv, in-turn-cv, "
        "... -cvbio, -all, -api, -warm)",
    )
    parser.add_argument(
        "--rebuilds",
        type=int,
        default=200,
        help="builds of one process in the rebuilds, watchrss and serverss rows (200)",
    )
    parser.add_argument(
        "--rendercv",
        type=Path,
        help="a RenderCV input file: adds a row running RenderCV on it "
        "(a missing file is first written from the example)",
    )
    parser.add_argument("--rendercv-bin", help="the rendercv command (default: rendercv on PATH)")
    parser.add_argument(
        "--typst-packages",
        type=Path,
        help="Typst packages for RenderCV on a machine that cannot download them "
        "(bench/typst-packages: a stand-in for @preview/fontawesome)",
    )
    parser.add_argument(
        "--source",
        type=Path,
        help="run the cv package of this checkout instead of the one holding bench/ (before/after)",
    )
    args = parser.parse_args()
    if args.rebuilds <= 10:
        parser.error("--rebuilds: more than 10 (the memory is compared with the 10th build's)")
    global SOURCE, CWD
    # This checkout's cv by default, not whichever the Python has installed (an editable
    # install of another checkout would be measured instead).
    SOURCE = args.source.resolve() if args.source else REPO
    heavy_runs = args.heavy_runs or min(args.runs, 3)
    header = machine() + (f"\ncv from {SOURCE}" if SOURCE else "")
    print(header, flush=True)
    with tempfile.TemporaryDirectory(prefix="cv-bench-") as folder:
        CWD = Path(folder) / "cwd"
        CWD.mkdir()
        rows = benches(
            Path(folder), args.rendercv, args.rendercv_bin, args.typst_packages, args.rebuilds
        )
        if args.only:
            keys = {key.strip() for key in args.only.split(",")}
            if "fork" in keys:
                keys |= {f"{mode}-{case}" for mode in FORK_MODES for case in FORK_CASES}
            if "tags" in keys:
                keys |= {"p250", "p1000", "p250-unfixed", "p1000-unfixed"}
            rows = [row for row in rows if row.key in keys]
        else:
            rows = [row for row in rows if not row.key.endswith("-unfixed")]
        for round_ in range(max(args.runs, heavy_runs)):
            for row in rows:
                if round_ < (heavy_runs if row.heavy else args.runs) and not row.failed:
                    try:
                        row.samples.append(row.sample())
                    except RuntimeError as error:
                        if row.key != "rendercv":
                            raise
                        row.failed = without_addresses(str(error).split("): ", 1)[-1])[-300:]
            print(
                f"round {round_ + 1}: "
                + ", ".join(
                    f"{r.key} {r.samples[-1].seconds:.3f}"
                    for r in rows
                    if len(r.samples) == round_ + 1
                ),
                flush=True,
            )
    others = [row for row in rows if not row.key.startswith(FORK_MODES)]
    tables = [table(others)] if others else []
    if len(others) < len(rows):
        tables.append(
            fork_table(rows) + "\n\nEvery forked row needs a free second core: its children "
            "work at the same time as the process that forked them."
        )
    text = "\n\n".join(tables)
    print(text)
    if args.markdown:
        args.markdown.write_text(f"{header}\n\n{text}\n", encoding="utf-8")


if __name__ == "__main__":
    main()
