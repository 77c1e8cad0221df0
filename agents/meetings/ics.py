"""The calendar invite: one VEVENT whose UID never changes and whose SEQUENCE grows.

METHOD:REQUEST for a new or moved meeting, METHOD:CANCEL (STATUS:CANCELLED) when it is
cancelled; calendars match updates by UID and keep the highest SEQUENCE. Times are UTC, so no
VTIMEZONE is needed and no client can misread a zone. A VALARM reminds 15 minutes before.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Alarm, Calendar, Event, vCalAddress, vText

PRODID = "-//errands//meetings//EN"


def build_ics(
    *,
    uid: str,
    sequence: int,
    method: str,
    start: datetime,
    end: datetime,
    summary: str,
    description: str,
    guest_name: str,
    guest_email: str,
    organizer_name: str,
    organizer_email: str,
    now: datetime,
    url: str | None = None,
    location: str = "",
) -> str:
    assert method in ("REQUEST", "CANCEL")
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", now)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", summary)
    event.add("description", description)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    if url:
        event.add("url", url)
    if location:  # a room, an address or the video link of the meeting's type
        event.add("location", location)
    if organizer_email:
        organizer = vCalAddress(f"mailto:{organizer_email}")
        organizer.params["cn"] = vText(organizer_name)
        event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{guest_email}")
    attendee.params["cn"] = vText(guest_name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("ACCEPTED")
    event.add("attendee", attendee)
    if method == "REQUEST":
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", timedelta(minutes=-15))
        event.add_component(alarm)
    cal.add_component(event)
    return str(cal.to_ical().decode())
