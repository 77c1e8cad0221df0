"""Before you meet: a booked guest's recent papers, found in the store by the guest's name.

A guest's name matches an author when both, accents and case folded, have the same first and
last word (middle names and initials between them are ignored: "Jane Doe" is "Jane Q. Doe");
a one-word name matches only the same one word. A name is never a substring match ("Ann" is
not "Anna", "Li" is not "Lin"), and a guest who gave only an e-mail address has no papers.
Only papers out in the last ``WINDOW`` count; the newest ``TOP`` are shown. No match, no
section: silence is right here.

Known limit: the store is pre-filtered by the surname's letters as the guest typed them, so a
guest who writes "Muller" does not find an author stored as "Müller" (the reverse works).
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from agents.arxiv.render import abs_url
from agents.messaging import esc
from store import papers as repo
from store import reading
from store.models import Booking, Paper

TOP = 3
WINDOW = timedelta(days=365)
HEADING = "📚 <b>Before you meet</b>"
_WORD = re.compile(r"[^\W\d_]+")
_ASCII_RUN = re.compile(r"[a-z]+")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _ordered(name: str) -> str:
    """'Doe, Jane' -> 'Jane Doe' (one comma only: the usual 'Last, First')."""
    if name.count(",") == 1:
        last, first = (part.strip() for part in name.split(","))
        if last and first:
            return f"{first} {last}"
    return name


def name_words(name: str) -> tuple[str, ...]:
    """The folded words of a person's name; () for an e-mail address or no letters at all."""
    if "@" in name:
        return ()
    return tuple(_WORD.findall(_fold(_ordered(name))))


def same_person(guest: Sequence[str], author: Sequence[str]) -> bool:
    """Whether two folded names (``name_words``) name the same person, by the rule above."""
    if not guest or not author:
        return False
    if len(guest) == 1 or len(author) == 1:
        return tuple(guest) == tuple(author)
    return guest[0] == author[0] and guest[-1] == author[-1]


def _fragment(word: str) -> str:
    """What stored author text must contain for ``word``: its longest ASCII letter run as
    typed, or (no such run: a name in another script) the word as JSON stores it."""
    runs: list[str] = sorted(_ASCII_RUN.findall(word), key=len, reverse=True)
    if runs and len(runs[0]) >= 2:
        return runs[0]
    return json.dumps(word)[1:-1]


def _fragments(name: str) -> list[str]:
    """The first and last word's fragments (one for a one-word name)."""
    words: list[str] = _WORD.findall(_ordered(name).lower())
    return list(dict.fromkeys(_fragment(w) for w in (words[:1] + words[-1:])))


def recent_papers(session: Session, guest_name: str, *, now: datetime) -> list[Paper]:
    """The guest's newest ``TOP`` papers of the last ``WINDOW`` in the store, newest first."""
    guest = name_words(guest_name)
    if not guest:
        return []
    candidates = reading.with_author_text(
        session, fragments=_fragments(guest_name), since=now - WINDOW
    )
    top: list[str] = []
    for found in candidates:  # newest first
        if any(same_person(guest, name_words(str(a))) for a in found.authors):
            top.append(found.paper_id)
            if len(top) == TOP:
                break
    papers = repo.get_papers(session, ids=top)
    return [papers[pid] for pid in top if pid in papers]


def paper_lines(papers: Sequence[Paper]) -> list[str]:
    lines = []
    for i, paper in enumerate(papers, 1):
        href = html.escape(abs_url(paper.id), quote=True)
        title = " ".join(paper.title.split())
        day = reading.paper_day(paper)
        when = f" · {day:%b %Y}" if day else ""
        lines.append(f'{i}. <a href="{href}">{esc(title)}</a>{esc(when)}')
    return lines


def card_section(session: Session, guest_name: str, *, now: datetime) -> str:
    """The approval card's section ("" when the guest has no recent papers in the store)."""
    papers = recent_papers(session, guest_name, now=now)
    if not papers:
        return ""
    who = esc(" ".join(guest_name.split()))
    return "\n".join([f"{HEADING}: recent papers by {who}", *paper_lines(papers)])


def briefing_section(session: Session, bookings: Sequence[Booking], *, now: datetime) -> str:
    """The briefing's section: each guest (once) with recent papers ("" when none has any)."""
    parts: list[str] = []
    seen: set[tuple[str, ...]] = set()
    for booking in bookings:
        key = name_words(booking.guest_name)
        if not key or key in seen:
            continue
        seen.add(key)
        papers = recent_papers(session, booking.guest_name, now=now)
        if papers:
            who = esc(" ".join(booking.guest_name.split()))
            parts.append("\n".join([f"<i>{who}</i>", *paper_lines(papers)]))
    return "\n".join([HEADING, *parts]) if parts else ""
