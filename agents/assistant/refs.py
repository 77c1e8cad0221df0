"""What the assistant's tools share: the answer shape, days in the owner's zone, and refs.

A ref is the owner's words for one of their objects ("#12", "dentist", "paper 2", "bob"). It is
always resolved inside the owner's own rows, so another owner's id is simply not found; words
that fit several objects are a question (listing up to three), never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from agents.assistant.ranges import bounds
from agents.meetings.validate import clean_email
from agents.messaging import Buttons
from store import bookings, todos
from store import papers as repo
from store.errors import InvalidInput, NotFound
from store.models import Owner, Paper, PaperEvent, Todo

MAX_CHOICES = 3
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ID = re.compile(r"#?\s*(\d{1,9})")
_RANK = re.compile(r"(?:#|no\.?\s*|number\s*|paper\s*|第)?\s*(\d{1,2})\s*(?:篇)?")
_ARXIV = re.compile(r"(?:arxiv:)?(\d{4}\.\d{4,5})(?:v\d+)?", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
T = TypeVar("T")


@dataclass(frozen=True)
class Answer:
    """A read-only tool's answer: Telegram HTML, the data behind it, optional item buttons."""

    text: str
    facts: dict[str, object]
    buttons: Buttons = field(default_factory=list)


def day_text(when: datetime | date, timezone: str | None = None) -> str:
    """``Tue 4 Mar`` (an instant is shown in ``timezone``)."""
    if isinstance(when, datetime):
        when = when.astimezone(ZoneInfo(timezone or "UTC")).date()
    return f"{when:%a} {when.day} {when:%b}"


def clock_text(when: datetime, timezone: str) -> str:
    return f"{when.astimezone(ZoneInfo(timezone)):%H:%M}"


def moment_text(when: datetime, timezone: str) -> str:
    """``Tue 4 Mar 09:00`` in ``timezone``."""
    return f"{day_text(when, timezone)} {clock_text(when, timezone)}"


def due_text(due: datetime | None, *, all_day: bool, timezone: str) -> str:
    if due is None:
        return "no date"
    return day_text(due, timezone) if all_day else moment_text(due, timezone)


@dataclass(frozen=True)
class Span:
    """A named range as UTC ``[start, end)`` and the owner-local days it covers."""

    name: str
    start: datetime
    end: datetime
    first: date
    last: date

    @property
    def days(self) -> str:
        """``Thu 5 Mar`` or ``Mon 2 Mar – Sun 8 Mar``."""
        if self.first == self.last:
            return day_text(self.first)
        return f"{day_text(self.first)} – {day_text(self.last)}"

    @property
    def label(self) -> str:
        """``Tomorrow, Tue 3 Mar``; a date or a multi-day name gets the days only when plain."""
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", self.name):
            return self.days
        return f"{self.name.replace('_', ' ').capitalize()}, {self.days}"

    @property
    def on(self) -> str:
        """``on Thu 5 Mar`` or ``between Mon 2 Mar and Sun 8 Mar``."""
        if self.first == self.last:
            return f"on {day_text(self.first)}"
        return f"between {day_text(self.first)} and {day_text(self.last)}"

    def holds(self, when: datetime) -> bool:
        return self.start <= when < self.end


def span(name: str, *, now: datetime, timezone: str) -> Span:
    start, end = bounds(name, now=now, timezone=timezone)
    tz = ZoneInfo(timezone)
    first = start.astimezone(tz).date()
    last = (end - timedelta(microseconds=1)).astimezone(tz).date()
    return Span(name, start, end, first, last)


def words_of(text: str) -> list[str]:
    """The words of ``text`` (letters and digits; a run of CJK counts as one word)."""
    return [w for w in _WORD.findall(text.lower()) if w][:12]


def quote(text: str, limit: int = 60) -> str:
    """``“Title”`` cut to ``limit`` characters (not escaped)."""
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def _choose(found: list[T], *, exact: list[T], what: str, ref: str, names: list[str]) -> T:
    """The one match, or the one exact match among several; else a question (up to three)."""
    if len(found) == 1:
        return found[0]
    if len(exact) == 1:
        return exact[0]
    listed = ", ".join(names[:MAX_CHOICES]) + (", …" if len(names) > MAX_CHOICES else "")
    raise InvalidInput(f"{quote(ref)} fits {len(found)} {what}: {listed}. Which one?")


def todo_ref(session: Session, *, owner_id: int, ref: str) -> Todo:
    """An open (or done, by number) to-do of ``owner_id``: ``#12``, ``12`` or title words."""
    by_id = _ID.fullmatch(ref.strip())
    if by_id:
        return todos.get_owned(session, owner_id=owner_id, todo_id=int(by_id.group(1)))
    words = words_of(ref)
    if not words:
        raise InvalidInput("Which to-do? Say its number (#12) or words of its title.")
    found = todos.search(session, owner_id=owner_id, words=words, limit=20)
    if not found:
        raise NotFound(f"No open to-do matches {quote(ref)}.")
    exact = [t for t in found if t.title.casefold() == ref.strip().casefold()]
    names = [f"#{t.id} {quote(t.title, 40)}" for t in found]
    return _choose(found, exact=exact, what="to-dos", ref=ref, names=names)


@dataclass(frozen=True)
class PaperRef:
    event: PaperEvent
    paper: Paper
    label: str  # "paper 2" (today's digest) or "paper 2603.10001"


def paper_ref(session: Session, *, owner: Owner, ref: str, today: date) -> PaperRef:
    """A paper shown to ``owner``: its rank in today's digest, an arXiv id, or title words."""
    text = ref.strip()
    rank = _RANK.fullmatch(text.lower())
    if rank:
        n = int(rank.group(1))
        for event in repo.shown(session, owner_id=owner.id, digest_date=today):
            if event.rank == n:
                paper = repo.get_papers(session, ids=[event.paper_id])[event.paper_id]
                return PaperRef(event, paper, f"paper {n}")
        raise NotFound(f"There is no paper {n} in today's digest.")
    arxiv = _ARXIV.fullmatch(text)
    rows = repo.shown_with_words(
        session, owner_id=owner.id, words=[] if arxiv else words_of(text), limit=500
    )
    newest: dict[str, tuple[PaperEvent, Paper]] = {}
    for event, paper in rows:
        if arxiv is None or paper.id == arxiv.group(1):
            newest.setdefault(paper.id, (event, paper))
    found = list(newest.values())
    if not found or (arxiv is None and not words_of(text)):
        raise NotFound(f"No paper you were shown matches {quote(text)}.")
    exact = [r for r in found if r[1].title.casefold() == text.casefold()]
    names = [quote(p.title, 50) for _, p in found]
    event, paper = _choose(found, exact=exact, what="papers", ref=text, names=names)
    today_rank = event.digest_date == today and event.rank is not None
    return PaperRef(event, paper, f"paper {event.rank}" if today_rank else f"paper {paper.id}")


@dataclass(frozen=True)
class Guest:
    email: str
    name: str
    timezone: str


def guest_ref(session: Session, *, owner: Owner, ref: str) -> Guest:
    """A guest of one of ``owner``'s bookings (name words or email), or a plain email."""
    text = " ".join(ref.split())
    rows = bookings.with_guest(session, owner_id=owner.id, words=text)
    if "@" in text:
        email = clean_email(text)
        same = [b for b in rows if b.guest_email.lower() == email.lower()]
        if same:
            return Guest(same[0].guest_email, same[0].guest_name, same[0].guest_timezone)
        return Guest(email, "", owner.timezone)
    by_email = {b.guest_email.lower(): b for b in reversed(rows)}  # newest booking wins
    found = list(by_email.values())
    if not found:
        raise NotFound(f"No guest called {quote(text)} in your bookings: give their email.")
    exact = [b for b in found if b.guest_name.casefold() == text.casefold()]
    names = [f"{b.guest_name} <{b.guest_email}>" for b in found]
    chosen = _choose(found, exact=exact, what="guests", ref=text, names=names)
    return Guest(chosen.guest_email, chosen.guest_name, chosen.guest_timezone)
