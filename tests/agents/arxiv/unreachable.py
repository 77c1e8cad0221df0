"""An arXiv that is not there: a port nobody listens on, or a server that never answers.

(A server that answers 500 is ``ArxivReplay.fail_next(n, 500)`` in ``arxiv_server``.)
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.fakes.processes import free_port


def refusing() -> str:
    """A base URL on 127.0.0.1 where the connection is refused."""
    return f"http://127.0.0.1:{free_port()}"


@contextmanager
def hanging() -> Iterator[str]:
    """A base URL on 127.0.0.1 that accepts requests and never answers (until closed)."""
    release = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            release.wait(60)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        release.set()
        server.shutdown()
        server.server_close()
