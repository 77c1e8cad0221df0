"""The ``arxiv-digest`` job: each owner's daily digest (fetch -> rank -> summarize -> deliver);
and ``arxiv-recap``: the opt-in weekly recap of the week's likes.

Per owner, at ERRANDS_ARXIV_DIGEST_TIME on ERRANDS_ARXIV_DIGEST_DAYS in the owner's zone
(weekdays by default, when arXiv announces). Idempotent: the graph checkpoint and the outbox
keys make a rerun or a resumed crash send nothing twice. When arXiv does not answer, the digest
is ranked from the store and says so, and ``retry_after`` asks the scheduler for another run.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from agents.arxiv.digest import run_all
from agents.arxiv.fetch import arxiv_config, make_client
from agents.arxiv.recap import weekly_recap
from agents.context import AppContext


async def run(ctx: AppContext, *, now: datetime, owner_id: int | None = None) -> dict[str, Any]:
    """Run (or resume) today's digest for one owner, or for every owner with a chat."""
    config = arxiv_config(ctx)
    return await run_all(
        ctx, now=now, owner_id=owner_id, client_factory=lambda: make_client(config)
    )


async def recap(ctx: AppContext, *, now: datetime, owner_id: int | None = None) -> dict[str, Any]:
    """The weekly recap (``arxiv-recap``, Sundays in the owner's zone) for owners who opted in."""
    return weekly_recap(ctx, now=now, owner_id=owner_id)


def retry_after(report: dict[str, Any]) -> timedelta | None:
    """Run again soon when an owner's listing was late (``JobSpec.retry``), else None."""
    minutes = [r["retry_in_minutes"] for r in report.values() if r.get("retry_in_minutes")]
    return timedelta(minutes=min(minutes)) if minutes else None
