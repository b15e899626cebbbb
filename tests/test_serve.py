"""cv serve: the preview follows every save, keeps the last good one, and serves nothing else."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cv.serve import MAX_REQUEST_LINE, is_loopback, serve

from .conftest import EXAMPLE, TESTDATA


class Served:
    """A running ``serve`` in a thread, and what it printed."""

    def __init__(self, data: Path, out: Path, **options: object) -> None:
        self.data, self.out = data, out
        self.lines: list[str] = []
        self.stop = threading.Event()
        started = threading.Event()
        self.url = ""

        def ready(url: str) -> None:
            self.url = url
            started.set()

        options.setdefault("pdfs", False)
        self.thread = threading.Thread(
            target=serve,
            args=(data, out),
            kwargs={
                "port": 0,
                "say": lambda line, _err: self.lines.append(line),
                "ready": ready,
                "stop": self.stop,
                **options,
            },
            daemon=True,
        )
        self.thread.start()
        assert started.wait(30), "the server did not start"
        self.port = int(self.url.rsplit(":", 1)[1].strip("/"))

    def get(
        self, path: str, headers: dict[str, str] | None = None, method: str = "GET"
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
            for name, value in sent.items():
                connection.putheader(name, value)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def status(self) -> dict[str, object]:
        code, _, body = self.get("/_cv/status")
        assert code == 200
        return json.loads(body)

    def until(self, test: Callable[[dict[str, object]], bool], timeout: float = 60) -> dict:
        ends = time.monotonic() + timeout
        while time.monotonic() < ends:
            status = self.status()
            if test(status):
                return status
            time.sleep(0.05)
        raise AssertionError(f"not reached in {timeout} s: {self.status()}\n{self.lines}")

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=30)
        assert not self.thread.is_alive()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    data = tmp_path / "data"
    shutil.copytree(TESTDATA / "full", data)
    server = Served(data, tmp_path / "out")
    try:
        server.until(lambda s: s["html"] == 1)
        yield server
    finally:
        server.close()


def edit(record: Path, old: str, new: str) -> None:
    text = record.read_text(encoding="utf-8")
    assert old in text
    record.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_save_updates_the_preview_and_a_broken_one_keeps_the_last_good(served: Served) -> None:
    code, headers, body = served.get("/cv.html")
    assert code == 200 and b"Ada Quispe" in body
    assert "default-src 'none'" in headers["Content-Security-Policy"]

    record = served.data / "cv.yaml"
    edit(record, "name: Ada", "name: Grace")
    served.until(lambda s: s["html"] == 2)
    assert b"Grace Quispe" in served.get("/cv.html")[2]
    assert any("preview updated after a change of cv.yaml" in line for line in served.lines)

    record.write_text("name: Grace\nnews: 3\n", encoding="utf-8")
    status = served.until(lambda s: bool(s["errors"]))
    # The page shows each problem as the terminal prints it: located in the file.
    assert all(f"error: {problem}" in served.lines for problem in status["errors"])
    assert any(str(problem).startswith(f"{record}:2:") for problem in status["errors"]), status
    assert b"Grace Quispe" in served.get("/cv.html")[2], "the last good preview stays"
    assert status["html"] == 2


def test_the_page_names_the_users_file_not_the_editors(served: Served) -> None:
    record = served.data / "cv.yaml"
    # What `sed -i` does: write a temporary file beside it, then rename it over the record.
    temporary = served.data / "sedK5Hvj5"
    temporary.write_text(
        record.read_text(encoding="utf-8").replace("name: Ada", "name: Lin"), encoding="utf-8"
    )
    (served.data / "4913").write_text("", encoding="utf-8")  # vim's test of the folder
    (served.data / "4913").unlink()
    os.replace(temporary, record)
    served.until(lambda s: s["html"] == 2)
    said = [line for line in served.lines if "after a change of" in line]
    assert said and said[-1].split("after a change of ")[1].startswith("cv.yaml ("), said


def test_pdfs_follow_with_their_page_counts(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    server = Served(data, tmp_path / "out", pdfs=True)
    try:
        status = server.until(lambda s: s["pdf_state"] == "done" and s["pdf"] == 1, timeout=120)
        assert status["pdfs"]["cv.pdf"] >= 1 and status["pdfs"]["bio.pdf"] == 1
        assert status["documents"] == ["cv-short"] and status["pdfs"]["cv-short.pdf"] >= 1
        code, headers, body = server.get("/cv.pdf")
        assert (
            code == 200
            and body.startswith(b"%PDF")
            and headers["Content-Type"] == ("application/pdf")
        )
        assert body == (tmp_path / "out" / "cv.pdf").read_bytes()
        assert server.get("/view/bio")[0] == 200 and server.get("/view/cv-short")[0] == 200
        assert server.get("/cv-short.pdf")[2].startswith(b"%PDF")
        # A PDF the build did not write is not served, even when a file of that name is there.
        (tmp_path / "out" / "other.pdf").write_bytes(b"%PDF-1.7 not ours")
        assert server.get("/other.pdf")[0] == 404
        assert server.get("/view/other")[0] == 404
        edit(data / "cv.yaml", "headline: ", "headline: (edited) ")
        server.until(lambda s: s["pdf"] == 2 and s["pdf_state"] == "done", timeout=120)
        # A broken save: the PDFs are not rebuilt, the last ones stay served.
        (data / "cv.yaml").write_text("name: Grace\nnews: 3\n", encoding="utf-8")
        status = server.until(lambda s: bool(s["errors"]))
        assert status["pdf_state"] == "done" and status["pdf_errors"] == []
        assert server.get("/cv.pdf")[0] == 200
    finally:
        server.close()


@pytest.mark.parametrize(
    "path",
    [
        "/../cv.yaml",
        "/%2e%2e/cv.yaml",
        "/%2E%2E%2Fcv.yaml",
        "/..%2f..%2fetc%2fpasswd",
        "//etc/passwd",
        "/etc/passwd",
        "/cv.yaml",
        "/publications.bib",
        "/out/cv.html",
        "/view/../cv.yaml",
        "/view/nothing",
        "/_cv/",
        "/_cv/../../cv.yaml",
        "/cv.html/..",
        "/%00cv.pdf",
        "/link.pdf",
        "/.",
        "",
    ],
)
def test_only_the_preview_is_served(served: Served, path: str) -> None:
    (served.out).mkdir(exist_ok=True)
    (served.out / "link.pdf").symlink_to(served.data / "cv.yaml")
    code, _headers, body = served.get(path or "/x/..")
    assert code in (400, 404), (path, code)
    assert b"name:" not in body and b"root:" not in body


def test_absolute_form_and_long_requests_are_refused(served: Served) -> None:
    assert served.get("http://127.0.0.1/../../cv.yaml")[0] == 404
    assert served.get("/" + "a" * MAX_REQUEST_LINE)[0] == 414
    assert served.get("/", {"Content-Length": "100000"}, method="GET")[0] == 413
    assert served.get("/", method="POST")[0] == 501
    assert served.get("/", method="PUT")[0] == 501


@pytest.mark.parametrize(
    "host",
    ["evil.example:{port}", "evil.example", "127.0.0.1:1", "", "127.0.0.1", "[::1]", ":{port}"]
    + ["localhost.evil.example:{port}", "127.0.0.1.nip.io:{port}", "[evil]:{port}"],
)
def test_another_host_name_is_refused(served: Served, host: str) -> None:
    """DNS rebinding: a hostile name that resolves to 127.0.0.1 is not this server."""
    code, _, body = served.get("/cv.html", {"Host": host.format(port=served.port)})
    assert code == 421 and b"Quispe" not in body


@pytest.mark.parametrize(
    "host", ["localhost:{port}", "127.0.0.1:{port}", "[::1]:{port}", "192.168.1.20:{port}"]
)
def test_the_servers_own_names_and_addresses_are_served(served: Served, host: str) -> None:
    assert served.get("/", {"Host": host.format(port=served.port)})[0] == 200


def test_the_page_has_a_strict_policy_and_no_listing(served: Served) -> None:
    code, headers, body = served.get("/")
    assert code == 200
    policy = headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert b"<iframe" in body and b"Index of" not in body
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_events_stream_the_status(served: Served) -> None:
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as conn:
        conn.sendall(f"GET /_cv/events HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\n\r\n".encode())
        received = b""
        while b"\n\ndata: " not in received and b'"html": 1' not in received:
            chunk = conn.recv(65536)
            assert chunk
            received += chunk
        assert b"text/event-stream" in received
        edit(served.data / "cv.yaml", "name: Ada", "name: Grace")
        while b'"html": 2' not in received:
            chunk = conn.recv(65536)
            assert chunk
            received += chunk


def test_a_taken_port_is_one_clear_error(tmp_path: Path) -> None:
    from cv.errors import CVError

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(CVError, match=f"cannot listen on 127.0.0.1:{port}"):
            serve(TESTDATA / "full", tmp_path / "out", port=port, pdfs=False)


def test_loopback_addresses() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert is_loopback("127.1.2.3") and is_loopback("[::1]")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.2")
    assert not is_loopback("example.org") and not is_loopback("::")


def test_another_host_is_warned_of(tmp_path: Path) -> None:
    server = Served(TESTDATA / "full", tmp_path / "out", host="0.0.0.0")
    try:
        assert any(line.startswith("warning: --host 0.0.0.0") for line in server.lines)
    finally:
        server.close()


def test_cv_serve_command_stops_on_ctrl_c(tmp_path: Path) -> None:
    import signal
    import sys

    data = tmp_path / "data"
    shutil.copytree(TESTDATA / "full", data)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    child = subprocess.Popen(
        [sys.executable, "-m", "cv", "serve", "--data", str(data), "--out", str(tmp_path / "o")]
        + ["--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        first = child.stdout.readline()
        assert first.startswith(f"serving {data} at http://127.0.0.1:{port}/"), first
        assert "preview updated" in child.stdout.readline()
    finally:
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=30)
    assert child.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err


# --- in a browser -------------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class Browser:
    """Headless Chromium driven over ``--remote-debugging-pipe``: the DevTools protocol as
    NUL-ended JSON on file descriptors 3 (commands) and 4 (replies), no socket, no library."""

    def __init__(self, profile: Path) -> None:
        commands, self._to_browser = os.pipe()
        self._from_browser, replies = os.pipe()

        def descriptors() -> None:  # in the child, before Chromium starts
            os.dup2(commands, 3)
            os.dup2(replies, 4)

        self.process = subprocess.Popen(
            [
                str(CHROMIUM),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "--remote-debugging-pipe",
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            preexec_fn=descriptors,  # noqa: PLW1509 - no thread of the child runs before exec
            close_fds=False,  # Python's own descriptors are not inherited; 3 and 4 must be
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(commands)
        os.close(replies)
        self._buffer = b""
        self._next = 0
        targets = self.call("Target.getTargets")["targetInfos"]
        page = next(t["targetId"] for t in targets if t["type"] == "page")
        self.session = self.call("Target.attachToTarget", targetId=page, flatten=True)["sessionId"]

    def call(self, method: str, session: str | None = None, **params: object) -> dict:
        self._next += 1
        message: dict[str, object] = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self._buffer:
                chunk = os.read(self._from_browser, 1 << 16)
                assert chunk, "chromium ended"
                self._buffer += chunk
            raw, self._buffer = self._buffer.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self._next:
                assert "error" not in reply, reply
                return reply["result"]

    def evaluate(self, expression: str) -> object:
        result = self.call(
            "Runtime.evaluate", self.session, expression=expression, returnByValue=True
        )
        return result["result"].get("value")

    def until(self, expression: str, test: Callable[[object], bool], timeout: float = 60) -> object:
        ends = time.monotonic() + timeout
        value: object = None
        while time.monotonic() < ends:
            value = self.evaluate(expression)
            if test(value):
                return value
            time.sleep(0.05)
        raise AssertionError(f"{expression} is still {value!r} after {timeout} s")

    def close(self) -> None:
        with contextlib.suppress(OSError, AssertionError):
            self.call("Browser.close")
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)


FRAME_TEXT = (
    "(document.getElementById('preview').contentDocument || {body: null}).body?.innerText || ''"
)


@pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (.ci/run installs Debian's chromium)"
)
def test_the_page_in_a_browser_follows_the_edits(served: Served, tmp_path: Path) -> None:
    browser = Browser(tmp_path / "profile")
    try:
        browser.call("Page.enable", browser.session)
        browser.call("Page.navigate", browser.session, url=served.url)
        browser.until(FRAME_TEXT, lambda text: "Ada Quispe" in str(text))
        assert browser.evaluate("document.getElementById('errors').hidden") is True

        edit(served.data / "cv.yaml", "name: Ada", "name: Grace")
        browser.until(FRAME_TEXT, lambda text: "Grace Quispe" in str(text))

        (served.data / "cv.yaml").write_text("name: Grace\nnews: 3\n", encoding="utf-8")
        shown = browser.until(
            "document.getElementById('errors').hidden ? '' : "
            "document.getElementById('errors').innerText",
            lambda text: "error: " in str(text),
        )
        problems = served.status()["errors"]
        assert all(f"error: {problem}" in str(shown) for problem in problems), shown
        assert "Grace Quispe" in str(browser.evaluate(FRAME_TEXT)), "the last good preview"

        # A problem quoting a hostile value shows it as text, never as markup.
        (served.data / "cv.yaml").write_text(
            'name: Grace\n"<img id=hostile src=x>": 1\n', encoding="utf-8"
        )
        browser.until(
            "document.getElementById('errors').innerText",
            lambda text: "<img id=hostile" in str(text),
        )
        assert browser.evaluate("document.getElementById('hostile') === null") is True
    finally:
        browser.close()


@pytest.mark.parametrize("command", ["serve", "watch"])
def test_a_missing_data_folder_is_one_clear_error(tmp_path: Path, command: str) -> None:
    import sys

    run = subprocess.run(
        [sys.executable, "-m", "cv", command, "--data", str(tmp_path / "none"), "--port", "0"]
        if command == "serve"
        else [sys.executable, "-m", "cv", command, "--data", str(tmp_path / "none")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert run.stderr.startswith(f"error: {tmp_path / 'none' / 'cv.yaml'}: no cv.yaml here")
