"""The PDF step: the sandboxed fetcher refuses everything outside the allowed folders."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest

from cv.pdf import SandboxFetcher, write_pdf

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d8b1d30000000049454e44ae426082"
)


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server that records every request it gets."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(PNG)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", requests
    httpd.shutdown()
    httpd.server_close()


def test_fetcher_allows_only_data_and_files_under_roots(tmp_path: Path) -> None:
    inside = tmp_path / "data"
    inside.mkdir()
    (inside / "ok.png").write_bytes(PNG)
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    (inside / "link.png").symlink_to(secret)
    fetcher = SandboxFetcher([inside])
    assert fetcher.fetch((inside / "ok.png").as_uri()).read() == PNG
    assert fetcher.fetch("data:text/plain,hi").read() == b"hi"
    for url in [
        secret.as_uri(),
        (inside / "link.png").as_uri(),
        inside.as_uri() + "/../secret.txt",
        inside.as_uri() + "/%2e%2e/secret.txt",
        "http://127.0.0.1:9/x.png",
        "ftp://example.org/x",
        "file://otherhost/etc/passwd",
    ]:
        with pytest.raises(ValueError, match="refused|no file"):
            fetcher.fetch(url)


def test_a_render_reads_nothing_outside_and_asks_no_server(
    tmp_path: Path, server: tuple[str, list[str]]
) -> None:
    base, requests = server
    data = tmp_path / "data"
    data.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    html = f"""<!DOCTYPE html><html lang="en"><head><title>t</title>
    <link rel="stylesheet" href="{base}/style.css">
    <link rel="attachment" href="{secret.as_uri()}">
    <style>@font-face {{ font-family: X; src: url({base}/font.ttf), local(DejaVu Sans); }}
    body {{ background: url({base}/bg.png); }}</style></head>
    <body><img src="{base}/img.png"><img src="{secret.as_uri()}">
    <a rel="attachment" href="../secret.txt">a</a>
    <svg><image href="{base}/svg.png"/></svg><object data="{base}/o.pdf"></object>
    <iframe src="{base}/frame.html"></iframe><p>text</p></body></html>"""
    rendered = write_pdf(html, base_url=data, roots=[data])
    assert requests == []
    assert b"TOP-SECRET-CONTENT" not in rendered.data
    reader = pypdf.PdfReader(__import__("io").BytesIO(rendered.data))
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
    assert any("refused" in warning for warning in rendered.warnings)
