"""What an owner chose for the digest: follows, mutes, the weekly recap, and the settings text.

The one place both edges (Telegram and the CLI) change them, so both validate alike and say
the same thing: adding a follow twice is "already", removing one that is not there says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from agents.arxiv import follows
from agents.arxiv.fetch import arxiv_config
from agents.arxiv.recommender import owner_settings
from agents.context import AppContext
from agents.messaging import esc
from store import follows as repo
from store import owners
from store.db import Database
from store.errors import InvalidInput
from store.models import Owner

MAX_PER_LIST = 100
RECAP = "recap"  # key in Owner.preferences["arxiv"]
WHAT = {
    ("author", "follow"): "following author",
    ("keyword", "follow"): "following keyword",
    ("keyword", "mute"): "muting keyword",
}


@dataclass(frozen=True)
class Change:
    """The outcome of one follow/mute change: ``changed`` is False for a no-op."""

    kind: str
    mode: str
    value: str
    added: bool
    changed: bool

    def say(self, *, html: bool = True) -> str:
        """One line: what changed (HTML for Telegram, plain for the CLI)."""
        what = WHAT[(self.kind, self.mode)]
        name = f"<b>{esc(self.value)}</b>" if html else self.value
        if self.added:
            return f"Now {what} {name}." if self.changed else f"Already {what} {name}."
        return f"Stopped {what} {name}." if self.changed else f"You were not {what} {name}."


def _check(kind: str, mode: str) -> None:
    if (kind, mode) not in WHAT:
        raise InvalidInput("Follow an author or a keyword; mute a keyword.")


def change(
    db: Database, *, owner_id: int, kind: str, mode: str, text: str, add: bool, now: datetime
) -> Change:
    """Add or remove one follow/mute (``kind`` author|keyword, ``mode`` follow|mute)."""
    _check(kind, mode)
    value = follows.clean(text, kind)
    normed = follows.norm(kind, value)
    with db.write() as session:
        if not add:
            removed = repo.remove_follow(
                session, owner_id=owner_id, kind=kind, mode=mode, norm=normed
            )
            return Change(kind, mode, value, added=False, changed=removed)
        rows = repo.list_follows(session, owner_id=owner_id)
        same = [r for r in rows if (r.kind, r.mode) == (kind, mode)]
        if len(same) >= MAX_PER_LIST and normed not in {r.norm for r in same}:
            raise InvalidInput(f"At most {MAX_PER_LIST}; remove one first.")
        added = repo.add_follow(
            session, owner_id=owner_id, kind=kind, mode=mode, value=value, norm=normed, now=now
        )
    return Change(kind, mode, value, added=True, changed=added)


def rules_for(session: Session, owner_id: int) -> follows.Rules:
    rows = repo.list_follows(session, owner_id=owner_id)
    return follows.make_rules((r.kind, r.mode, r.value, r.norm) for r in rows)


def listing(session: Session, owner: Owner) -> dict[str, Any]:
    """Follows, mutes and the recap switch as plain data (the CLI's ``follows --json``)."""
    rows = repo.list_follows(session, owner_id=owner.id)

    def values(kind: str, mode: str) -> list[str]:
        return [r.value for r in rows if r.kind == kind and r.mode == mode]

    return {
        "owner": owner.slug,
        "authors": values("author", "follow"),
        "keywords": values("keyword", "follow"),
        "muted": values("keyword", "mute"),
        "recap": recap_on(owner),
    }


def recap_on(owner: Owner) -> bool:
    return bool(owner_settings(owner).get(RECAP, False))


def set_recap(db: Database, *, owner_id: int, on: bool) -> bool:
    """Switch the weekly recap; returns whether it changed."""
    with db.write() as session:
        row = owners.get_owner(session, owner_id=owner_id)
        prefs = dict(row.preferences or {})
        arxiv = dict(prefs.get("arxiv") or {})
        before = bool(arxiv.get(RECAP, False))
        arxiv[RECAP] = on
        prefs["arxiv"] = arxiv
        row.preferences = prefs
        session.flush()
    return before != on


def recap_text(on: bool, *, changed: bool) -> str:
    if on:
        head = "Weekly recap on" if changed else "The weekly recap is already on"
        return f"{head}: Sunday evening, the themes of your week's 👍 and its best 5 papers."
    return "Weekly recap off." if changed else "The weekly recap is already off."


def settings_text(ctx: AppContext, session: Session, owner: Owner) -> str:
    """/papers settings: categories, follows, mutes, the recap, and how to change each."""
    data = listing(session, owner)
    own = owner_settings(owner).get("categories")
    cats = ", ".join(str(c) for c in (own or arxiv_config(ctx).categories))
    source = "yours" if own else "the server's ERRANDS_ARXIV_CATEGORIES; ask whoever runs errands"

    def items(values: list[str]) -> str:
        return ", ".join(esc(v) for v in values) if values else "none"

    return "\n".join(
        [
            "<b>arXiv settings</b>",
            f"<b>Categories</b>: {esc(cats)} ({source}). Teach your taste with 👍/👎 or "
            "/seed keywords.",
            f"<b>📌 Followed authors</b>: {items(data['authors'])}",
            "  /follow author NAME · /unfollow author NAME",
            f"<b>📌 Followed keywords</b>: {items(data['keywords'])}",
            "  /follow keyword WORDS · /unfollow keyword WORDS",
            f"<b>🔇 Muted keywords</b>: {items(data['muted'])}",
            "  /mute keyword WORDS · /unmute keyword WORDS",
            "Followed papers in the day's listing always appear first, marked 📌. A muted "
            "word drops a paper however high it ranks, but a follow wins over a mute: a "
            "followed author's (or keyword's) paper is shown even with a muted word.",
            f"<b>Weekly recap</b> (Sundays): {'on' if data['recap'] else 'off'}  /recap on · "
            "/recap off",
        ]
    )
