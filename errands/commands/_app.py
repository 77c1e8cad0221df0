"""What a command opens: settings, the migrated database and, when it calls agents, a context.

``open_app()`` is for commands that read or write the store directly (the database is disposed
on the way out, whatever happens); ``run_in_context()`` is for commands that run agents or jobs
with everything a job gets (LLM, checkpointer, channels), on a fresh event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import NamedTuple, TypeVar
from zoneinfo import ZoneInfo

import typer
from sqlalchemy.orm import Session

from agents.context import AppContext
from errands.settings import Settings, load_settings
from errands.wiring import app_config, app_context, open_database, utc_now
from store import owners
from store.db import Database
from store.errors import InvalidInput
from store.models import Owner

R = TypeVar("R")


def parse_now(value: str | None, timezone: str) -> datetime:
    """A ``--now`` option: ISO-8601; without an offset it is read in ``timezone``; None is now."""
    if value is None:
        return utc_now()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not ISO-8601 (e.g. 2026-03-02T09:00:00+01:00)", param_hint="--now"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(timezone))
    return parsed


class App(NamedTuple):
    """What ``open_app`` yields; commands unpack it: ``with open_app() as (settings, db):``."""

    settings: Settings
    db: Database


@contextmanager
def open_app(settings: Settings | None = None) -> Iterator[App]:
    """The settings (loaded from the environment unless given) and the migrated database."""
    settings = load_settings() if settings is None else settings
    db = open_database(settings)
    try:
        yield App(settings, db)
    finally:
        db.dispose()


def run_in_context(
    settings: Settings,
    work: Callable[[AppContext], Awaitable[R]],
    *,
    clock: Callable[[], datetime] = utc_now,
    telegram_bot: bool = True,
) -> R:
    """``work(ctx)`` with a full ``AppContext`` (see ``errands.wiring.app_context``)."""

    async def main() -> R:
        async with app_context(settings, clock=clock, telegram_bot=telegram_bot) as ctx:
            return await work(ctx)

    return asyncio.run(main())


def store_context(
    settings: Settings, db: Database, clock: Callable[[], datetime] = utc_now
) -> AppContext:
    """An ``AppContext`` on ``db`` without LLM or channels, for agent functions that read."""
    return AppContext(db=db, config=app_config(settings), clock=clock)


def owner_of(session: Session, slug: str) -> Owner:
    """The owner a command's ``--owner SLUG`` names, or one clear line."""
    owner = owners.get_by_slug(session, slug=slug)
    if owner is None:
        raise InvalidInput(f"No owner {slug!r} (see `errands owner list`).")
    return owner
