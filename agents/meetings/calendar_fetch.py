"""Reading and writing outside calendars: an iCalendar URL over httpx, a CalDAV collection.

Both are blocking (the sync job runs them in a thread) and turn every failure into a
``CalendarError`` whose message says what to fix: unreachable, refused login (401/403), not
found, too big, timed out. A subscription is read with ``If-None-Match`` (its ETag) and capped
at ``MAX_BYTES`` while streaming; a CalDAV collection is read whole when its ctag moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from store.errors import ErrandsError

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT = 15.0
USER_AGENT = "errands-calendar/1"


class CalendarError(ErrandsError):
    """A calendar could not be read or written; the message is safe to show the owner."""


@dataclass(frozen=True)
class Fetched:
    """A calendar's text (None: unchanged since ``state``) and its new ETag/ctag."""

    body: bytes | None
    state: str | None


def host_of(url: str) -> str:
    return urlsplit(url).hostname or url[:60]


def http_url(url: str) -> str:
    """``webcal://`` (what calendar apps hand out) is plain HTTPS."""
    if url.lower().startswith("webcal://"):
        return "https://" + url[len("webcal://") :]
    return url


def _status_error(status: int, url: str) -> CalendarError:
    host = host_of(url)
    if status in (401, 403):
        return CalendarError(
            f"{host} refused the login (HTTP {status}): check the user name and the password "
            "(or the secret address)."
        )
    if status == 404:
        return CalendarError(f"{host} has no calendar at that address (HTTP 404).")
    return CalendarError(f"{host} answered HTTP {status}.")


class IcsFetcher:
    """GET an iCalendar subscription URL (Google's secret address, any .ics link)."""

    def __init__(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = TIMEOUT,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        self.transport = transport
        self.timeout = timeout
        self.max_bytes = max_bytes

    def fetch(self, url: str, *, etag: str | None = None) -> Fetched:
        target = http_url(url)
        headers = {"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.5"}
        if etag:
            headers["If-None-Match"] = etag
        try:
            with (
                httpx.Client(
                    transport=self.transport, timeout=self.timeout, follow_redirects=True
                ) as client,
                client.stream("GET", target, headers=headers) as response,
            ):
                if response.status_code == 304:
                    return Fetched(None, etag)
                if response.status_code != 200:
                    raise _status_error(response.status_code, target)
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    raise self._too_big()
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise self._too_big()
                    chunks.append(chunk)
                return Fetched(b"".join(chunks), response.headers.get("ETag"))
        except httpx.TimeoutException:
            raise CalendarError(
                f"{host_of(target)} did not answer within {self.timeout:g} s."
            ) from None
        except httpx.InvalidURL:
            raise CalendarError("That is not a valid calendar URL.") from None
        except httpx.HTTPError as exc:
            raise CalendarError(f"Could not reach {host_of(target)}: {_reason(exc)}.") from None

    def _too_big(self) -> CalendarError:
        mb = self.max_bytes / (1024 * 1024)
        return CalendarError(f"The calendar is larger than {mb:g} MB; errands reads up to that.")


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:120]


class CalDavCalendar:
    """One CalDAV calendar collection (Nextcloud, Fastmail, iCloud, Radicale, Xandikos)."""

    def __init__(self, url: str, *, username: str, password: str, timeout: float = TIMEOUT):
        self.url = url
        self.username = username
        self.password = password
        self.timeout = timeout
        self._calendar: Any = None

    def _cal(self) -> Any:
        if self._calendar is None:
            from caldav.davclient import DAVClient  # heavy (lxml, niquests): sync job only

            client = DAVClient(
                url=self.url,
                username=self.username or None,
                password=self.password or None,
                timeout=int(self.timeout),
                require_tls=False,
                enable_rfc6764=False,
            )
            self._calendar = client.calendar(url=self.url)  # type: ignore[no-untyped-call]
        return self._calendar

    def _call(self, what: str, func: Any, *args: Any) -> Any:
        from caldav.lib import error

        host = host_of(self.url)
        try:
            return func(*args)
        except error.AuthorizationError:
            raise CalendarError(
                f"{host} refused the login (HTTP 401): check the user name and the password."
            ) from None
        except error.NotFoundError:
            raise CalendarError(f"{host} has no calendar at that address (HTTP 404).") from None
        except CalendarError:
            raise
        except Exception as exc:  # niquests, lxml, the server's own errors
            raise CalendarError(f"Could not {what} {host}: {_reason(exc)}.") from None

    def ctag(self) -> str | None:
        """The collection's ctag: it changes whenever any event in it does."""
        from caldav.elements.base import ValuedBaseElement

        class GetCTag(ValuedBaseElement):
            tag = "{http://calendarserver.org/ns/}getctag"

        value = self._call("read", lambda: self._cal().get_property(GetCTag()))
        return str(value) if value else None

    def fetch(
        self, *, ctag: str | None = None, start: datetime | None = None, end: datetime | None = None
    ) -> Fetched:
        """The events overlapping ``[start, end)`` (recurring ones whole, as stored; the
        server filters by time, so years of history never travel) as iCalendar texts joined;
        None when the ctag did not move."""
        state = self.ctag()
        if state is not None and state == ctag:
            return Fetched(None, state)
        if start is not None and end is not None:
            events = self._call(
                "read",
                lambda: self._cal().search(
                    event=True, start=start, end=end, expand=False, post_filter=False
                ),
            )
        else:
            events = self._call("read", lambda: self._cal().events())
        texts = [str(e.data) for e in events]
        body = "\n".join(texts).encode()
        if len(body) > MAX_BYTES:
            raise CalendarError("The calendar is larger than 5 MB; errands reads up to that.")
        return Fetched(body, state)

    def put(self, ics: str) -> None:
        """Create or replace the event with ``ics``'s UID (the server keys it by UID)."""
        # increase_seqno=False: the SEQUENCE is the invite's, so both copies stay one meeting.
        self._call("write to", lambda: self._cal().save_event(ics, increase_seqno=False))

    def delete(self, uid: str) -> None:
        """Remove the event with ``uid``; already gone is fine."""
        from caldav.lib import error

        def remove() -> None:
            try:
                event = self._cal().event_by_uid(uid)
            except error.NotFoundError:
                return
            event.delete()

        self._call("delete from", remove)
