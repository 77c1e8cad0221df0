"""How a paper looks in Telegram (HTML, everything escaped) and its 👍/👎/📖 buttons.

Pure functions; escaping and the callback format come from ``agents.messaging`` (quotes are
escaped too inside ``href``). A button names the id of the paper's 'shown' event; 📖
(``read:<event id>:open``) belongs to the reading list (``agents.arxiv.reading``).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from agents.messaging import Buttons, button, esc

KIND = "arxiv"
ACTIONS = {"like": "liked", "dislike": "disliked"}
READ_KIND = "read"
"""The reading list's button kind: 📖 opens its Today / Friday / Next week row."""
MAX_AUTHORS = 3


def abs_url(paper_id: str) -> str:
    return f"https://arxiv.org/abs/{paper_id}"


def short_authors(authors: Sequence[Any]) -> str:
    names = [str(a) for a in authors if str(a).strip()]
    if len(names) <= MAX_AUTHORS:
        return ", ".join(names)
    return ", ".join(names[:MAX_AUTHORS]) + " et al."


def paper_message(
    *,
    paper_id: str,
    title: str,
    authors: Sequence[Any],
    categories: Sequence[Any],
    why: str,
    tldr: str | None,
    rank: int | None = None,
) -> str:
    """The digest message for one paper."""
    link = f'<a href="{html.escape(abs_url(paper_id), quote=True)}">{esc(title)}</a>'
    head = f"{rank}. " if rank is not None else ""
    lines = [f"{head}<b>{link}</b>"]
    meta = " · ".join(p for p in (short_authors(authors), ", ".join(map(str, categories))) if p)
    if meta:
        lines.append(esc(meta))
    if tldr:
        lines.append(f"<i>TL;DR:</i> {esc(tldr)}")
    if why:
        lines.append(f"<i>Why this:</i> {esc(why)}")
    return "\n".join(lines)


def buttons(event_id: int, choice: str | None = None, *, saved: bool = False) -> Buttons:
    """👍/👎 with the current choice marked (both stay, so the other one can change it), and
    📖 to put the paper on the reading list (✅ once it is there)."""
    like = "✅ 👍" if choice == "liked" else "👍"
    dislike = "✅ 👎" if choice == "disliked" else "👎"
    return [
        [
            button(like, KIND, event_id, "like"),
            button(dislike, KIND, event_id, "dislike"),
            button("✅ 📖" if saved else "📖", READ_KIND, event_id, "open"),
        ]
    ]


def outbox_key(owner_id: int, digest_date: str, paper_id: str) -> str:
    """One message per owner, day and paper: a re-run or resumed digest cannot repeat it."""
    return f"arxiv:{owner_id}:{digest_date}:{paper_id}"


def late_header(*, at: str, reason: str, papers: bool, retry_minutes: int | None) -> str:
    """The line before a digest ranked from the store because arXiv did not answer."""
    if papers:
        return (
            f"arXiv could not be reached ({at}, {esc(reason)}); these are from papers already "
            "in the store — today's listing is late."
        )
    again = f" I'll try again in {retry_minutes} minutes." if retry_minutes else ""
    return (
        f"arXiv could not be reached ({at}, {esc(reason)}) and no unseen papers are in the "
        f"store: today's listing is late.{again}"
    )


ARRIVED = "Today's arXiv listing arrived after all; its best papers:"


def notice_key(owner_id: int, digest_date: str, what: str) -> str:
    """The digest's own lines (``late``, ``arrived``): once per owner and day."""
    return f"arxiv:{what}:{owner_id}:{digest_date}"
