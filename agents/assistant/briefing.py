"""The morning briefing: one message per owner and local day across the three agents.

Sections, each left out when it has nothing: today's meetings (owner's zone, guest, topic),
to-dos overdue and due today, the top papers of today's digest (its 'shown' events by rank;
before the digest has run, a line saying when it comes), and booking requests waiting for an
answer, then "Before you meet": recent papers in the store by the guests of those meetings and
requests (``agents.arxiv.guest_papers``). An empty day says so in one line. Every item that
can be acted on gets a button of an existing kind (``todo:<id>:done``, ``arxiv:<event id>:like``,
``mtg:<booking id>:approve|decline``), so a tap goes to the handler that already owns it.

Guest- and paper-supplied text is data: it is escaped here and never interpreted.
The message is keyed ``briefing:<owner>:<local date>``: a rerun on the same day queues nothing.
When ERRANDS_BRIEFING is on, the ``morning-agenda`` job sends this instead of the to-do agenda.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from agents.arxiv import guest_papers
from agents.arxiv.config import ArxivConfig
from agents.arxiv.render import abs_url
from agents.messaging import Button, Buttons, button, esc, tell_owner
from agents.todos.messages import item_line
from agents.todos.timeutil import day_bounds, zone
from store import bookings, owners, todos
from store import papers as paper_repo
from store.models import Booking, Owner

MAX_MEETINGS = 10
MAX_TODOS = 10
TOP_PAPERS = 3
MAX_REQUESTS = 5
REQUESTS_AHEAD = timedelta(days=366)
LABEL = 20
_DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


@dataclass(frozen=True)
class Briefing:
    """One owner's briefing for one local day: the HTML text, its buttons and whether empty."""

    text: str
    buttons: Buttons
    empty: bool


def briefing_key(owner_id: int, day: str) -> str:
    return f"briefing:{owner_id}:{day}"


def short(text: str, size: int = LABEL) -> str:
    """A button label's share of a title (Telegram shows about 20 characters per button)."""
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


def clock(at: datetime, tz_name: str) -> str:
    return at.astimezone(zone(tz_name)).strftime("%H:%M")


def meeting_line(booking: Booking, tz_name: str, *, with_day: bool = False) -> str:
    """``09:30-10:00 Alice · topic`` in the owner's zone, guest text escaped."""
    start = booking.start_at.astimezone(zone(tz_name))
    when = start.strftime("%a %d %b %H:%M") if with_day else start.strftime("%H:%M")
    when += "-" + clock(booking.end_at, tz_name)
    topic = " ".join(booking.topic.split())[:80]
    tail = f" · {esc(topic)}" if topic else ""
    return f"{esc(when)} {esc(' '.join(booking.guest_name.split()))}{tail}"


def digest_later(config: ArxivConfig, local: datetime) -> bool:
    """Whether today's digest is still to come (a digest day, its time not yet passed).

    Days follow the scheduler's cron field as APScheduler reads it (0 = Monday).
    """
    hour, minute = (int(p) for p in config.digest_time.split(":"))
    if local.time() > time(hour, minute):
        return False
    weekday = local.weekday()
    for part in config.digest_days.lower().split(","):
        if part.strip() == "*":
            return True
        ends = [p.strip() for p in part.split("-")]
        nums = [_DAYS[p] if p in _DAYS else int(p) if p.isdigit() else -1 for p in ends]
        if len(nums) == 1 and nums[0] == weekday:
            return True
        if len(nums) == 2 and nums[0] <= weekday <= nums[1]:
            return True
    return False


def compose(session: Session, owner: Owner, *, now: datetime, arxiv: ArxivConfig) -> Briefing:
    """What the owner's briefing says at ``now`` (nothing is written)."""
    tz = zone(owner.timezone)
    local = now.astimezone(tz).replace(tzinfo=None)
    start, end = day_bounds(local, tz)
    head = f"☀️ <b>Today, {esc(local.strftime('%a %d %b'))}</b>"
    sections: list[str] = []
    rows: Buttons = []

    today = [
        b
        for b in bookings.active_between(session, owner_id=owner.id, start=start, end=end)
        if b.status == "accepted"
    ]
    if today:
        lines = [f"🗓 {meeting_line(b, owner.timezone)}" for b in today[:MAX_MEETINGS]]
        sections.append("<b>Meetings</b>\n" + "\n".join(lines + _more(today, MAX_MEETINGS)))

    due = todos.open_due_before(session, owner_id=owner.id, before=end)
    if due:
        shown = due[:MAX_TODOS]
        lines = [
            ("⚠️ " if t.due_at is not None and t.due_at < start else "") + item_line(t)
            for t in shown
        ]
        sections.append("<b>To-dos</b>\n" + "\n".join(lines + _more(due, MAX_TODOS, "/list")))
        rows += [[button(f"✅ {short(t.title)}", "todo", t.id, "done")] for t in shown]

    later = digest_later(arxiv, local)
    papers = _papers_section(session, owner, day=local.date(), rows=rows)
    papers_at = len(sections)
    if papers:
        sections.append(papers)

    waiting = [
        b
        for b in bookings.active_between(
            session, owner_id=owner.id, start=now, end=now + REQUESTS_AHEAD
        )
        if b.status == "pending"
    ]
    if waiting:
        lines = [f"⏳ {meeting_line(b, owner.timezone, with_day=True)}" for b in waiting]
        more = _more(waiting, MAX_REQUESTS, "/meetings")
        sections.append("<b>Booking requests</b>\n" + "\n".join(lines[:MAX_REQUESTS] + more))
        rows += [_request_row(b) for b in waiting[:MAX_REQUESTS]]

    if meet := guest_papers.briefing_section(session, [*today, *waiting[:MAX_REQUESTS]], now=now):
        sections.append(meet)  # the guests' recent papers in the store, if any has some

    later_note = f"📚 The arXiv digest follows at {esc(arxiv.digest_time)}." if later else ""
    if not sections:
        return Briefing(f"{head}: nothing on, nothing due. {later_note}".strip(), [], True)
    if later_note and not papers:
        sections.insert(papers_at, later_note)
    return Briefing("\n\n".join([head, *sections]), rows, False)


def _more(items: Sequence[object], cap: int, where: str = "") -> list[str]:
    if len(items) <= cap:
        return []
    return [f"… and {len(items) - cap} more" + (f" ({where})" if where else "")]


def _papers_section(session: Session, owner: Owner, *, day: date, rows: Buttons) -> str:
    """Today's top papers by rank (from the digest's 'shown' events), adding a 👍 row each."""
    events = paper_repo.shown(session, owner_id=owner.id, digest_date=day)
    events = sorted(events, key=lambda e: (e.rank is None, e.rank or 0, e.id))[:TOP_PAPERS]
    if not events:
        return ""
    found = paper_repo.get_papers(session, ids=[e.paper_id for e in events])
    lines: list[str] = []
    for i, event in enumerate(events, 1):
        paper = found.get(event.paper_id)
        title = " ".join((paper.title if paper else event.paper_id).split())
        href = html.escape(abs_url(event.paper_id), quote=True)
        lines.append(f'{i}. <a href="{href}">{esc(title)}</a>')
        rows.append([button(f"👍 {short(title)}", "arxiv", event.id, "like")])
    return "<b>Papers</b>\n" + "\n".join(lines)


def _request_row(booking: Booking) -> list[Button]:
    return [
        button(f"✅ Approve {short(booking.guest_name, 14)}", "mtg", booking.id, "approve"),
        button("✖️ Decline", "mtg", booking.id, "decline"),
    ]


def morning_briefing(
    session: Session, *, now: datetime, arxiv: ArxivConfig, owner_id: int | None = None
) -> int:
    """Queue each owner's briefing for their local today (once per day); messages queued."""
    targets = (
        [owners.get_owner(session, owner_id=owner_id)]
        if owner_id is not None
        else owners.list_owners(session)
    )
    queued = 0
    for owner in targets:
        if owner.chat_id is None:
            continue
        day = now.astimezone(zone(owner.timezone)).date().isoformat()
        brief = compose(session, owner, now=now, arxiv=arxiv)
        queued += tell_owner(
            session,
            chat_id=owner.chat_id,
            text=brief.text,
            buttons=brief.buttons,
            key=briefing_key(owner.id, day),
            now=now,
            disable_preview=True,
        )
    return queued
