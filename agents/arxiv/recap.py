"""The weekly recap (opt-in, Sundays): the themes of the week's 👍 and its best five papers.

The week is the ISO week (Monday to Sunday) of ``now`` in the owner's zone, over the digest
days of that week. Themes are the words and phrases whose TF-IDF weight is highest in the
week's liked papers relative to the other papers shown that week (fitted on that week alone,
so "the" and whatever the whole listing is about score low). Queued through the outbox under
``arxiv-recap:<owner>:<ISO year>-W<week>``: a rerun, or a restart on Sunday, sends it once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sqlalchemy.orm import Session

from agents.arxiv import render
from agents.arxiv.choices import recap_on
from agents.context import AppContext
from agents.messaging import esc, tell_owner
from store import follows as week_repo
from store import owners
from store.models import Owner, Paper, PaperEvent

TERMS = 8
PHRASE_SHARE = 0.6  # a phrase replaces its word when it scores at least this share
BEST = 5


def week_of(day: date) -> tuple[date, date]:
    """Monday and Sunday of ``day``'s ISO week."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def recap_key(owner_id: int, day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"arxiv-recap:{owner_id}:{year}-W{week:02d}"


def _stem(word: str) -> str:
    """A word and its plural count as one ("protein", "proteins")."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def themes(liked: Sequence[str], others: Sequence[str], *, top: int = TERMS) -> list[str]:
    """Terms weighing most in ``liked`` texts relative to ``others`` (TF-IDF fitted on both).

    A term inside a chosen one ("models" after "diffusion models") is left out; a phrase
    nearly as strong as a word it contains takes that word's place.
    """
    if not liked:
        return []
    vectorizer = TfidfVectorizer(
        stop_words="english",
        ngram_range=(1, 2),
        sublinear_tf=True,
        token_pattern=r"(?u)\b[^\W\d_][\w-]{2,}\b",
    )
    try:
        matrix = vectorizer.fit_transform([*liked, *others])
    except ValueError:  # nothing but stop words
        return []
    n = len(liked)
    liked_mean = np.asarray(matrix[:n].mean(axis=0)).ravel()
    rest_mean = np.asarray(matrix[n:].mean(axis=0)).ravel() if others else np.zeros_like(liked_mean)
    score = liked_mean - rest_mean
    names = vectorizer.get_feature_names_out()
    chosen: list[tuple[str, float]] = []
    for idx in np.argsort(-score, kind="stable"):
        value = float(score[idx])
        if value <= 0:
            break
        term = str(names[idx])
        words = [_stem(w) for w in term.split()]
        covered = {_stem(w) for c, _ in chosen for w in c.split()}
        single = [i for i, (c, _) in enumerate(chosen) if _stem(c) in words]
        if len(single) == 1 and len(words) > 1:  # "diffusion models" after "diffusion"
            i = single[0]
            others = [w for w in words if w != _stem(chosen[i][0])]
            if value >= PHRASE_SHARE * chosen[i][1] and not covered & set(others):
                chosen[i] = (term, chosen[i][1])
            continue
        if covered & set(words):
            continue
        if len(chosen) == top:
            break
        chosen.append((term, value))
    return list(dict.fromkeys(term for term, _ in chosen))


@dataclass(frozen=True)
class Week:
    """One owner's week of digests: what was shown (first showing per paper) and liked."""

    monday: date
    sunday: date
    shown: list[tuple[PaperEvent, Paper]]
    liked: set[str]

    @property
    def best(self) -> list[tuple[PaperEvent, Paper]]:
        """The liked papers by digest rank, filled up with the highest ranked others."""
        order = sorted(
            self.shown, key=lambda ep: (ep[0].rank or 999, ep[0].digest_date or date.min)
        )
        liked = [ep for ep in order if ep[1].id in self.liked]
        rest = [ep for ep in order if ep[1].id not in self.liked]
        return (liked + rest)[:BEST]


def load_week(session: Session, owner: Owner, day: date) -> Week:
    monday, sunday = week_of(day)
    rows = week_repo.shown_between(session, owner_id=owner.id, since=monday, until=sunday)
    first: dict[str, tuple[PaperEvent, Paper]] = {}
    for event, paper in rows:
        first.setdefault(paper.id, (event, paper))
    taps = week_repo.newest_taps(session, owner_id=owner.id, paper_ids=list(first))
    liked = {pid for pid, kind in taps.items() if kind == "liked"}
    return Week(monday, sunday, list(first.values()), liked)


def _text(paper: Paper) -> str:
    return f"{paper.title}. {paper.title}. {paper.abstract}"


def recap_message(week: Week) -> str:
    """The recap's text (Telegram HTML)."""
    span = f"{week.monday.strftime('%d %b')} – {week.sunday.strftime('%d %b')}"
    lines = [f"📚 <b>Your arXiv week</b> ({esc(span)})"]
    if not week.shown:
        lines.append("No digest papers were shown this week, so there is nothing to recap.")
        return "\n".join(lines)
    liked = [p for _, p in week.shown if p.id in week.liked]
    others = [p for _, p in week.shown if p.id not in week.liked]
    if liked:
        lines.append(f"You liked {len(liked)} of the {len(week.shown)} papers shown.")
        found = themes([_text(p) for p in liked], [_text(p) for p in others])
        if found:
            lines.append("<b>Themes</b>: " + esc(", ".join(found)))
        lines.append("\n<b>Best of the week</b>")
    else:
        lines.append(
            f"No 👍 this week ({len(week.shown)} papers shown), so no themes to tell. "
            "The highest ranked papers:"
        )
    for i, (_, paper) in enumerate(week.best, start=1):
        mark = " 👍" if paper.id in week.liked else ""
        url = esc(render.abs_url(paper.id))
        lines.append(f'{i}. <a href="{url}">{esc(paper.title)}</a>{mark}')
    return "\n".join(lines)


def weekly_recap(ctx: AppContext, *, now: datetime, owner_id: int | None = None) -> dict[str, Any]:
    """Queue the recap for each owner who turned it on (or the one given); report per slug."""
    report: dict[str, Any] = {}
    with ctx.db.write() as session:
        if owner_id is not None:
            targets = [owners.get_owner(session, owner_id=owner_id)]
        else:
            targets = owners.list_owners(session)
        for owner in targets:
            if owner.chat_id is None or not recap_on(owner):
                continue
            day = now.astimezone(ZoneInfo(owner.timezone)).date()
            week = load_week(session, owner, day)
            queued = tell_owner(
                session,
                chat_id=owner.chat_id,
                text=recap_message(week),
                key=recap_key(owner.id, day),
                now=now,
                disable_preview=True,
            )
            report[owner.slug] = {
                "week": recap_key(owner.id, day).rsplit(":", 1)[1],
                "shown": len(week.shown),
                "liked": len(week.liked),
                "queued": int(queued),
            }
    if ctx.wake_outbox is not None and any(r["queued"] for r in report.values()):
        ctx.wake_outbox()
    return report
