"""Real local calendar servers for tests: Radicale (CalDAV, from PyPI) and a plain .ics URL.

Both serve on 127.0.0.1 from a thread of the test process (Radicale is a WSGI app), so no
network and no child process; ``stop()`` takes a server down to test a sync that fails.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

USER, PASSWORD = "ada", "s3cret"


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Threading(ThreadingMixIn, WSGIServer):
    daemon_threads = True


@dataclass
class Served:
    server: WSGIServer
    thread: threading.Thread

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def serve_wsgi(app: Callable[..., Iterable[bytes]]) -> Served:
    server = make_server("127.0.0.1", 0, app, server_class=_Threading, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return Served(server, thread)


def radicale(folder: Path) -> Served:
    """Radicale with one user (``USER``/``PASSWORD``, plain htpasswd) storing in ``folder``."""
    from radicale import config
    from radicale.app import Application

    folder.mkdir(parents=True, exist_ok=True)
    users = folder / "users"
    users.write_text(f"{USER}:{PASSWORD}\n")
    conf = config.load()
    conf.update(
        {
            "storage": {"filesystem_folder": str(folder / "collections")},
            "auth": {
                "type": "htpasswd",
                "htpasswd_filename": str(users),
                "htpasswd_encryption": "plain",
                "delay": "0",
            },
            "logging": {"level": "warning", "mask_passwords": "True"},
        },
        "test",
    )
    return serve_wsgi(Application(conf))


def make_calendar(base: str, name: str = "work") -> str:
    """Create a calendar collection for ``USER``; its URL."""
    from caldav.davclient import DAVClient

    client: Any = DAVClient(
        url=f"{base}/{USER}/", username=USER, password=PASSWORD, require_tls=False
    )
    client.principal().make_calendar(name=name, cal_id=name)
    return f"{base}/{USER}/{name}/"


def put_event(url: str, ics: str) -> None:
    from caldav.davclient import DAVClient

    client: Any = DAVClient(url=url, username=USER, password=PASSWORD, require_tls=False)
    client.calendar(url=url).save_event(ics)


def event_uids(url: str) -> list[str]:
    from caldav.davclient import DAVClient
    from icalendar import Calendar

    client: Any = DAVClient(url=url, username=USER, password=PASSWORD, require_tls=False)
    uids = []
    for e in client.calendar(url=url).events():
        for ev in Calendar.from_ical(e.data).walk("VEVENT"):
            uids.append(f"{ev['UID']}#{ev.get('SEQUENCE', 0)}")
    return sorted(uids)


@dataclass
class IcsFeed:
    """A .ics URL whose body, status and ETag a test sets; counts conditional hits."""

    body: bytes = b""
    status: int = 200
    etag: str = '"v1"'
    not_modified: int = 0
    hits: int = 0
    headers: dict[str, str] = field(default_factory=dict)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        self.hits += 1
        if self.status != 200:
            start_response(f"{self.status} Nope", [("Content-Type", "text/plain")])
            return [b"no"]
        if environ.get("HTTP_IF_NONE_MATCH") == self.etag:
            self.not_modified += 1
            start_response("304 Not Modified", [("ETag", self.etag)])
            return [b""]
        start_response(
            "200 OK",
            [("Content-Type", "text/calendar"), ("ETag", self.etag), *self.headers.items()],
        )
        return [self.body]


def vcalendar(*events: str, extra: str = "") -> str:
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{extra}{body}END:VCALENDAR\r\n"


def event(uid: str, start: str, end: str, *lines: str) -> str:
    """A VEVENT body: ``start``/``end`` are full property lines after ``DTSTART``/``DTEND``
    (e.g. ``";TZID=Europe/Berlin:20261019T100000"`` or ``":20261020T090000Z"``)."""
    rest = "\r\n".join(lines)
    head = f"UID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART{start}\r\nDTEND{end}\r\nSUMMARY:{uid}"
    return head + ("\r\n" + rest if rest else "")
