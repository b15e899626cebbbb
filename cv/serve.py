"""``cv serve``: the CV in a browser, updated on every save of the record, .bib files or theme.

One process watches the files (:func:`cv.watch.changes`) and, after each save:

1. builds cv.html (the web page, a few tenths of a second) and tells every open page, which
   reloads it in place;
2. asks a second, warm process to build the PDFs (seconds); each page shows their page
   counts and warnings once they are written, and the bio and the record's documents are
   shown as their PDFs.

A save that breaks the record shows in the page the same located line the terminal prints,
and the last good preview stays. The PDFs are built in their own process so that laying them
out never holds up the next preview (Python runs one thread at a time), can use a second core
and keeps the server's memory flat; a save that comes while they are being built is built
once they are done, with every other save that came in the meantime.

The server is the standard library's :mod:`http.server`, and the pages learn of a new
build through Server-Sent Events (``EventSource``, which reconnects by itself). Nothing
else is needed for one local reader of a few files: a framework (starlette and uvicorn,
livereload) would add dependencies and a second event loop for no feature the page uses.

What it serves is a fixed list: the preview pages, cv.html, the PDFs the last build wrote,
the page's script and style, the status and the events. A request path is looked up in that
list, never joined to a folder, so no path can reach another file; anything else is a 404.
Requests are small GETs (no body) whose ``Host`` is an address or the name the server
listens under (a page of another site, under a DNS name its owner points at this port, is
refused: DNS rebinding). It
listens on 127.0.0.1 unless ``host`` names another address.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from cv.errors import CVError, Problem

LOOPBACK = "127.0.0.1"
MAX_EVENT_STREAMS = 16
"""Open pages at most; a further one is told to come back later (503)."""
MAX_REQUEST_LINE = 2048
"""The longest request line (method, path, version) served; a longer one is refused (414)."""
REQUEST_TIMEOUT = 10.0
"""Seconds a connection may take to send its request."""
KEEP_ALIVE = 15.0
"""Seconds between the comments that keep an event stream open (and find closed ones)."""


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (127.0.0.0/8, ::1, ``localhost``)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: it may resolve to anything


# --- what the pages are told ------------------------------------------------------------------


@dataclass
class Status:
    """What the server knows of the last builds; the pages get it as JSON."""

    #: Bumped whenever anything below changes; the event stream sends every version.
    version: int = 0
    #: Bumped when a new cv.html is ready: the page reloads it.
    html: int = 0
    #: Bumped when new PDFs are written: the PDF pages reload them.
    pdf: int = 0
    #: The problems of the last save, each as the terminal prints it; empty when it built.
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: "building", "done", "failed" or "off" (no PDFs asked for).
    pdf_state: str = "building"
    pdf_errors: list[str] = field(default_factory=list)
    pdf_warnings: list[str] = field(default_factory=list)
    pdf_notes: list[str] = field(default_factory=list)
    #: file -> pages of the PDFs written by the last build that worked.
    pdfs: dict[str, int | None] = field(default_factory=dict)
    #: The record's documents (a page each, showing its PDF), from the last PDF build.
    documents: list[str] = field(default_factory=list)
    updated: str = ""

    def as_json(self) -> bytes:
        return json.dumps(self.__dict__, ensure_ascii=False).encode("utf-8")


class Preview:
    """The served state: cv.html's bytes and the :class:`Status`, guarded by one lock.

    Threads waiting for a new version (:meth:`wait`) are woken by :meth:`update`.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.status = Status()
        self.cv_html: bytes | None = None
        self.closed = False
        self._changed = threading.Condition()

    def update(self, **changes: Any) -> None:
        with self._changed:
            for name, value in changes.items():
                if name == "cv_html":
                    self.cv_html = value
                else:
                    setattr(self.status, name, value)
            self.status.version += 1
            self.status.updated = time.strftime("%H:%M:%S")
            self._changed.notify_all()

    def snapshot(self) -> bytes:
        with self._changed:
            return self.status.as_json()

    def wait(self, seen: int, timeout: float) -> int:
        """The version once it is not ``seen`` (or after ``timeout`` s, or on closing)."""
        with self._changed:
            self._changed.wait_for(
                lambda: self.status.version != seen or self.closed, timeout=timeout
            )
            return self.status.version

    def close(self) -> None:
        with self._changed:
            self.closed = True
            self._changed.notify_all()

    def pdf(self, name: str) -> bytes | None:
        """A PDF the last build wrote, read from the output folder (never through a link)."""
        with self._changed:
            known = name in self.status.pdfs
        if not known:
            return None
        try:
            handle = os.open(self.out_dir / name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return None
        with os.fdopen(handle, "rb") as file:
            return file.read()


# --- the HTTP side ----------------------------------------------------------------------------

_ASSETS = Path(__file__).with_name("serve_assets")

PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
"""The preview page's own policy: its script and style, the events, and frames of this server."""


class Handler(BaseHTTPRequestHandler):
    """GET and HEAD of the fixed list of :class:`PreviewServer`; nothing else."""

    server: PreviewServer
    raw_requestline: bytes
    server_version = "cv-serve"
    sys_version = ""
    timeout = REQUEST_TIMEOUT
    protocol_version = "HTTP/1.1"

    def parse_request(self) -> bool:
        if len(self.raw_requestline) > MAX_REQUEST_LINE:
            self.requestline = ""
            self.request_version = "HTTP/1.1"
            self.command = "GET"
            self.send_error(HTTPStatus.REQUEST_URI_TOO_LONG)
            return False
        return super().parse_request()

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self._answer(body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(body=False)

    def _refuse(self, status: HTTPStatus, message: str) -> None:
        self.close_connection = True
        self.send_error(status, message)

    def _answer(self, body: bool) -> None:
        if self.headers.get("Content-Length", "0").strip() not in ("", "0") or self.headers.get(
            "Transfer-Encoding"
        ):
            self._refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "no request body is accepted")
            return
        if not self.server.is_own_host(self.headers.get("Host", "")):
            self._refuse(HTTPStatus.MISDIRECTED_REQUEST, "unknown Host")
            return
        path = urlsplit(self.path).path
        if path == "/_cv/events":
            if body:
                self._events()
            else:
                self._send(b"", "text/event-stream", body=False)
            return
        found = self.server.route(path)
        if found is None:
            self._refuse(HTTPStatus.NOT_FOUND, "not found")
            return
        data, content_type, policy = found
        self._send(data, content_type, body=body, policy=policy)

    def _send(
        self, data: bytes, content_type: str, *, body: bool, policy: str | None = None
    ) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        if policy:
            self.send_header("Content-Security-Policy", policy)
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _events(self) -> None:
        """The event stream: the status as JSON now and after every change."""
        if not self.server.streams.acquire(blocking=False):
            self._refuse(HTTPStatus.SERVICE_UNAVAILABLE, "too many open pages")
            return
        try:
            self.close_connection = True
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            preview, seen = self.server.preview, -1
            while not preview.closed:
                version = preview.wait(seen, KEEP_ALIVE)
                if version == seen:
                    self.wfile.write(b": still here\n\n")
                else:
                    self.wfile.write(b"data: " + preview.snapshot() + b"\n\n")
                    seen = version
                self.wfile.flush()
        except OSError:
            pass  # the page was closed
        finally:
            self.server.streams.release()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # the terminal shows builds, not requests


class PreviewServer(ThreadingHTTPServer):
    """The HTTP server of a :class:`Preview`."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, host: str, port: int, preview: Preview) -> None:
        family = ThreadingHTTPServer.address_family
        if ":" in host.strip("[]"):
            import socket

            family = socket.AF_INET6
        self.address_family = family
        super().__init__((host.strip("[]"), port), Handler)
        self.preview = preview
        self.streams = threading.BoundedSemaphore(MAX_EVENT_STREAMS)
        self.port = self.server_address[1]
        self.names = {host.strip("[]").lower(), "localhost"}
        page = (_ASSETS / "page.html").read_bytes()
        self.assets = {
            "/_cv/page.js": ((_ASSETS / "page.js").read_bytes(), "text/javascript; charset=utf-8"),
            "/_cv/page.css": ((_ASSETS / "page.css").read_bytes(), "text/css; charset=utf-8"),
        }
        self.page = page

    def is_own_host(self, header: str) -> bool:
        """Whether a request's ``Host`` names this server: its port, and an address or the
        name it listens under (``localhost``, ``--host``).

        Any other name is refused, since a DNS name can be made to point at 127.0.0.1 by
        whoever owns it (DNS rebinding); an address in ``Host`` cannot be, so addresses are
        accepted (``--host 0.0.0.0`` is reached under the machine's own addresses).
        """
        name, _, port = header.lower().rpartition(":")
        if not name or "]" in port:  # no port: only the default one (80)
            name, port = header.lower(), "80"
        if port != str(self.port):
            return False
        name = name.strip("[]")
        if name in self.names:
            return True
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return False
        return True

    def route(self, path: str) -> tuple[bytes, str, str | None] | None:
        """What ``path`` serves: its bytes, content type and policy; None when nothing."""
        from cv.render import CONTENT_POLICY

        preview = self.preview
        if path in ("/", "/view/bio") or (
            path.startswith("/view/") and unquote(path[6:]) in preview.status.documents
        ):
            return self.page, "text/html; charset=utf-8", PAGE_POLICY
        if path in self.assets:
            data, content_type = self.assets[path]
            return data, content_type, None
        if path == "/_cv/status":
            return preview.snapshot(), "application/json", None
        html = preview.cv_html
        if path == "/cv.html" and html is not None:
            return (
                html,
                "text/html; charset=utf-8",
                CONTENT_POLICY + "; frame-ancestors 'self'",
            )
        name = path[1:]
        if name.endswith(".pdf") and "/" not in name:
            pdf = preview.pdf(name)
            if pdf is not None:
                return pdf, "application/pdf", "default-src 'none'; frame-ancestors 'self'"
        return None


# --- the PDFs, in a warm process of their own ---------------------------------------------------


class PdfBuilder:
    """A second process that builds every output on request, one build at a time.

    :meth:`request` asks for a build after a save; requests that come while one runs make one
    more build when it ends. ``done`` gets each build's outcome (as :func:`pdf_worker`
    replies).
    """

    def __init__(
        self,
        options: dict[str, Any],
        done: Callable[[dict[str, Any]], None],
    ) -> None:
        self.done = done
        self._wanted = threading.Event()
        self._stopped = False
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from cv.serve import pdf_worker; pdf_worker()",
                json.dumps(options),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.thread = threading.Thread(target=self._run, name="cv-serve-pdf", daemon=True)
        self.thread.start()

    def request(self) -> None:
        self._wanted.set()

    def _run(self) -> None:
        process = self.process
        assert process.stdin is not None and process.stdout is not None
        while True:
            self._wanted.wait()
            if self._stopped:
                return
            self._wanted.clear()
            try:
                process.stdin.write("build\n")
                process.stdin.flush()
                reply = process.stdout.readline()
            except (OSError, ValueError):
                reply = ""
            if self._stopped:
                return
            if not reply:
                self.done({"problems": ["the process building the PDFs ended; restart cv serve"]})
                return
            self.done(json.loads(reply))

    def stop(self) -> None:
        self._stopped = True
        self._wanted.set()
        with contextlib.suppress(OSError):
            self.process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                if stream is not None:
                    stream.close()


def pdf_worker() -> None:
    """The PDF process of :class:`PdfBuilder`: a build per line read, a JSON line per build.

    Its options are the JSON of ``sys.argv[1]``: ``data``, ``out``, ``only``, ``theme``.
    Ctrl-C is the server's to handle: this process ends when the server closes its input or
    stops it.
    """
    import gc
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(os, "nice"):
        os.nice(5)  # the PDFs are the background: on a busy machine the next preview goes first
    options = json.loads(sys.argv[1])
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # whatever else prints goes to the terminal, never into the replies
    from cv.builder import build

    for _line in sys.stdin:
        reply: dict[str, Any]
        try:
            result = build(
                options["data"], options["out"], only=options["only"], theme=options["theme"]
            )
            reply = {
                "outputs": [[o.kind, o.path.name, o.pages] for o in result.outputs],
                "warnings": list(result.warnings),
                "notes": list(result.notes),
            }
        except CVError as error:
            reply = {"problems": [str(problem) for problem in error.problems]}
        except Exception as error:  # noqa: BLE001 - the server keeps serving the last PDFs
            reply = {"problems": [str(Problem(f"the PDFs could not be built: {error!r}"))]}
        replies.write(json.dumps(reply) + "\n")
        replies.flush()
        gc.collect()


# --- serving ---------------------------------------------------------------------------------


def build_preview(data_dir: Path, folder: Path, theme: str | None) -> tuple[bytes, list[str]]:
    """cv.html as ``cv build --only html`` makes it (written to ``folder``), and the warnings.

    Raises:
        CVError: The problems of the record, as a build reports them.
    """
    from cv.builder import build

    result = build(data_dir, folder, only=["html"], theme=theme)
    return result.outputs[0].path.read_bytes(), list(result.warnings)


def serve(
    data_dir: Path,
    out_dir: Path,
    *,
    host: str = LOOPBACK,
    port: int = 8000,
    only: Iterable[str] | None = None,
    theme: str | None = None,
    pdfs: bool = True,
    say: Callable[[str, bool], None] = lambda _line, _err: None,
    ready: Callable[[str], None] | None = None,
    stop: threading.Event | None = None,
    debounce_ms: int = 50,
) -> None:
    """Serve the preview of ``data_dir`` until ``stop`` is set (or Ctrl-C).

    Args:
        out_dir: Where the PDFs (and every other output) are built.
        host: The address to listen on; loopback unless asked otherwise.
        port: The port; 0 lets the system choose one.
        only: The outputs the background builds make (all by default).
        pdfs: False: only the HTML preview, no PDFs.
        say: Gets each line for the terminal, and whether it is a problem (stderr).
        ready: Called with the page's address once the server listens.

    Raises:
        CVError: There is no data folder, or the port cannot be listened on.
    """
    from cv.outputs import OPT_IN_OUTPUTS, OUTPUTS
    from cv.watch import changes, require_folder

    require_folder(data_dir)
    built_in = {kind.name for kind in (*OUTPUTS, *OPT_IN_OUTPUTS)}
    preview = Preview(out_dir)
    try:
        server = PreviewServer(host, port, preview)
    except OSError as error:
        raise CVError.at(
            f"cannot listen on {host}:{port}: {error.strerror or error}; "
            "choose another port with --port"
        ) from None
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{server.port}/"
    threading.Thread(target=server.serve_forever, name="cv-serve-http", daemon=True).start()
    builder: PdfBuilder | None = None

    def pdfs_done(reply: dict[str, Any]) -> None:
        stamp = time.strftime("%H:%M:%S")
        if "problems" in reply:
            for problem in reply["problems"]:
                say(f"error: {problem}", True)
            say(f"[{stamp}] PDFs not rebuilt: fix the problems above; still serving", True)
            preview.update(pdf_state="failed", pdf_errors=reply["problems"])
            return
        for warning in reply["warnings"]:
            say(f"warning: {warning}", True)
        written = {file: pages for _kind, file, pages in reply["outputs"]}
        listed = ", ".join(
            f"{name} ({pages} page{'s' if pages != 1 else ''})" if pages else name
            for name, pages in written.items()
        )
        say(f"[{stamp}] rebuilt: {listed}", False)
        preview.update(
            pdf=preview.status.pdf + 1,
            pdf_state="done",
            pdf_errors=[],
            pdf_warnings=reply["warnings"],
            pdf_notes=reply["notes"],
            pdfs={name: pages for name, pages in written.items() if name.endswith(".pdf")},
            documents=[kind for kind, _, _ in reply["outputs"] if kind not in built_in],
        )

    try:
        if pdfs:
            options = {
                "data": str(data_dir),
                "out": str(out_dir),
                "only": list(only) if only is not None else None,
                "theme": theme,
            }
            builder = PdfBuilder(options, pdfs_done)
        else:
            preview.update(pdf_state="off")
        if not is_loopback(host):
            say(
                f"warning: --host {host}: every machine that can reach this address can read "
                "the CV and its sources' problems; use 127.0.0.1 to keep it to this one",
                True,
            )
        say(f"serving {data_dir} at {url}; Ctrl-C to stop", False)
        if ready is not None:
            ready(url)
        with tempfile.TemporaryDirectory(prefix="cv-serve-") as folder:
            for changed in changes(
                data_dir, out_dir, theme=theme, stop=stop, debounce_ms=debounce_ms
            ):
                built = _rebuild_preview(data_dir, Path(folder), theme, changed, preview, say)
                if built and builder is not None:
                    preview.update(pdf_state="building")
                    builder.request()
    finally:
        preview.close()
        server.shutdown()
        server.server_close()
        if builder is not None:
            builder.stop()


def _rebuild_preview(
    data_dir: Path,
    folder: Path,
    theme: str | None,
    changed: list[Path],
    preview: Preview,
    say: Callable[[str, bool], None],
) -> bool:
    """The HTML preview after a save: shown at once, or the problems and the last good one.

    Returns:
        Whether it was built (the PDFs are built only then: they would fail alike).
    """
    started = time.perf_counter()
    stamp = time.strftime("%H:%M:%S")
    cause = f" after a change of {', '.join(p.name for p in changed)}" if changed else ""
    try:
        html, warnings = build_preview(data_dir, folder, theme)
    except CVError as error:
        problems = [str(problem) for problem in error.problems]
        for problem in problems:
            say(f"error: {problem}", True)
        kept = "; the page shows the last good preview" if preview.cv_html else ""
        say(f"[{stamp}] not rebuilt{cause}: fix the problems above{kept}", True)
        preview.update(errors=problems)
        return False
    for warning in warnings:
        say(f"warning: {warning}", True)
    preview.update(cv_html=html, html=preview.status.html + 1, errors=[], warnings=warnings)
    say(f"[{stamp}] preview updated{cause} ({time.perf_counter() - started:.2f} s)", False)
    return True
