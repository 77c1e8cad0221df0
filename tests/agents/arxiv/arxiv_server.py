"""A local arXiv: replays ../shared/fixtures/arxiv-api by query and serves RSS files.

``/api/query?...`` answers with the recorded file whose URL has the same query parameters
(status as recorded); ``/rss/<cats>`` serves ``rss[<cats>]`` or the default RSS file. Faults:
``fail_next(n, status)`` answers the next ``n`` requests with ``status``; ``malformed_next``
sends a cut-off XML body. Runs in a thread (sync and async tests) or as a process
(``python -m tests.agents.arxiv.arxiv_server PORT RSS_FILE``) for CLI tests.
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

ROOT = Path(__file__).resolve().parents[3]
SHARED_FIXTURES = ROOT.parent / "shared" / "fixtures" / "arxiv-api"
HERE = Path(__file__).resolve().parent / "fixtures"
DEFAULT_RSS = HERE / "rss_2026-03-02.xml"


def _key(query: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(parse_qsl(query, keep_blank_values=True)))


class ArxivReplay:
    def __init__(self, fixtures: Path = SHARED_FIXTURES, rss: Path = DEFAULT_RSS) -> None:
        self.recorded: dict[tuple[tuple[str, str], ...], tuple[int, bytes]] = {}
        index = fixtures / "index.json"
        if index.is_file():
            for item in json.loads(index.read_text()):
                body = (fixtures / item["file"]).read_bytes()
                self.recorded[_key(urlsplit(item["url"]).query)] = (item["status_code"], body)
        self.rss_default = rss
        self.rss: dict[str, Path] = {}
        self.requests: list[str] = []
        self._faults: list[int] = []
        self._malformed = 0
        self._lock = threading.Lock()

    def fail_next(self, count: int, status: int = 503) -> None:
        with self._lock:
            self._faults.extend([status] * count)

    def malformed_next(self, count: int = 1) -> None:
        with self._lock:
            self._malformed += count

    def answer(self, path: str) -> tuple[int, str, bytes]:
        with self._lock:
            self.requests.append(path)
            if self._faults:
                return self._faults.pop(0), "text/plain", b"unavailable"
            if self._malformed:
                self._malformed -= 1
                return 200, "application/atom+xml", b"<?xml version='1.0'?><feed><entry><title>cut"
        parts = urlsplit(path)
        if parts.path.endswith("/api/query"):
            found = self.recorded.get(_key(parts.query))
            if found is None:
                return 404, "text/plain", b"not recorded"
            return found[0], "application/atom+xml", found[1]
        if "/rss/" in parts.path:
            cats = parts.path.rsplit("/rss/", 1)[1]
            file = self.rss.get(cats, self.rss_default)
            return 200, "application/rss+xml", file.read_bytes()
        return 404, "text/plain", b"no such path"

    def handler(self) -> type[BaseHTTPRequestHandler]:
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, kind, body = replay.answer(self.path)
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        return Handler


@contextmanager
def serve(replay: ArxivReplay) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), replay.handler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    port = int(sys.argv[1])
    rss = Path(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT_RSS
    ThreadingHTTPServer(("127.0.0.1", port), ArxivReplay(rss=rss).handler()).serve_forever()
