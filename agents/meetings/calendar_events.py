"""iCalendar the owner's own calendars receive: a booking as a stored event, and the feed.

A booking written to CalDAV keeps the guest invite's UID and SEQUENCE (``agents.meetings.ics``)
so a calendar holding both sees one meeting. It carries no METHOD (CalDAV stores objects, not
messages) and no ATTENDEE/ORGANIZER: a server that does scheduling (iCloud, Fastmail) would
otherwise mail the guest a second invite. The feed is one VCALENDAR of accepted meetings and
dated open to-dos, for any calendar app that subscribes to a ``webcal://`` link.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event

PRODID = "-//errands//calendar//EN"


@dataclass(frozen=True)
class FeedItem:
    """One entry of the owner's feed (UTC times; ``end`` None = a to-do's due instant)."""

    uid: str
    sequence: int
    start: datetime
    end: datetime | None
    summary: str
    description: str = ""
    url: str | None = None
    all_day: date | None = None  # an all-day to-do: its local date


def _calendar(name: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if name:
        cal.add("x-wr-calname", name)
    return cal


def _event(item: FeedItem, now: datetime) -> Event:
    event = Event()
    event.add("uid", item.uid)
    event.add("sequence", item.sequence)
    event.add("dtstamp", now)
    if item.all_day is not None:
        event.add("dtstart", item.all_day)
        event.add("dtend", item.all_day + timedelta(days=1))
    else:
        event.add("dtstart", item.start)
        event.add("dtend", item.end or item.start + timedelta(minutes=15))
    event.add("summary", item.summary)
    if item.description:
        event.add("description", item.description)
    if item.url:
        event.add("url", item.url)
    event.add("status", "CONFIRMED")
    if item.end is None:  # a to-do's due time: shown, never blocking
        event.add("transp", "TRANSPARENT")
    return event


def stored_event(item: FeedItem, *, now: datetime) -> str:
    """One booking as a CalDAV object (same UID and SEQUENCE as the guest's invite)."""
    cal = _calendar()
    cal.add_component(_event(item, now))
    return str(cal.to_ical().decode())


def feed(items: Iterable[FeedItem], *, name: str, now: datetime) -> str:
    """The owner's subscription feed: accepted meetings and dated to-dos."""
    cal = _calendar(name)
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    for item in items:
        cal.add_component(_event(item, now))
    return str(cal.to_ical().decode())


# ---------------------------------------------------------------- the feed's signed URL


def feed_token(secret_key: str, *, slug: str, epoch: int) -> str:
    """HMAC of the owner's slug and revocation counter: bumping ``epoch`` revokes old links."""
    message = f"feed:{slug}:{epoch}".encode()
    digest = hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()
    return digest[:40]


def feed_token_ok(secret_key: str, token: str, *, slug: str, epoch: int) -> bool:
    expected = feed_token(secret_key, slug=slug, epoch=epoch).encode()
    return bool(secret_key) and hmac.compare_digest(expected, token.encode(errors="replace"))


def feed_url(public_url: str, *, slug: str, token: str) -> tuple[str, str]:
    """The feed's ``webcal://`` link (what calendar apps subscribe to) and its plain one."""
    plain = f"{public_url.rstrip('/')}/feed/{slug}/{token}.ics"
    return "webcal://" + plain.split("://", 1)[-1], plain
