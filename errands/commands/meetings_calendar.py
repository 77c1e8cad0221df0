"""``errands meetings calendar …`` and ``errands meetings feed``: the owner's outside calendars
(CalDAV or a read-only .ics subscription) and the owner's own feed link.

Passwords are never stored: ``--password-env`` names the environment variable that holds it,
read here (the composition root) when a sync runs.
"""

from __future__ import annotations

import json
import os
import re
from datetime import datetime
from typing import TYPE_CHECKING

import typer

from errands.commands._app import open_app, parse_now, store_context

if TYPE_CHECKING:
    from errands.settings import Settings
    from store.db import Database

calendar_app = typer.Typer(
    help="Outside calendars: busy times read, accepted meetings written (CalDAV).",
    no_args_is_help=True,
)

ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,99}")


def _check_url(url: str, flag: str) -> str:
    url = url.strip()
    if not re.match(r"(?i)(https?|webcal)://[^/\s]+", url) or len(url) > 2000:
        raise typer.BadParameter(f"{url!r} is not an http(s):// or webcal:// URL", param_hint=flag)
    return url


@calendar_app.command("add")
def calendar_add(
    owner: str = typer.Option(..., "--owner", help="The owner's slug."),
    caldav: str = typer.Option(None, "--caldav", help="A CalDAV calendar's URL."),
    user: str = typer.Option("", "--user", help="The CalDAV user name."),
    password_env: str = typer.Option(
        "", "--password-env", help="The NAME of the env var holding the CalDAV password."
    ),
    ics: str = typer.Option(None, "--ics", help="A read-only iCalendar (.ics) URL."),
    now: str = typer.Option(None, "--now", help="The clock (ISO-8601), for replays."),
) -> None:
    """Add a calendar and read it once (it is kept even when that first read fails)."""
    from agents.meetings.policy import owner_by_slug
    from store import calendars

    if (caldav is None) == (ics is None):
        raise typer.BadParameter("give either --caldav URL or --ics URL", param_hint="--caldav")
    if caldav is not None:
        url, kind = _check_url(caldav, "--caldav"), "caldav"
        if not user or not password_env:
            raise typer.BadParameter(
                "a CalDAV calendar needs --user and --password-env", param_hint="--user"
            )
        if not ENV_NAME.fullmatch(password_env):
            raise typer.BadParameter(
                f"{password_env!r} is not an environment variable name", param_hint="--password-env"
            )
    else:
        url, kind = _check_url(ics, "--ics"), "ics"
        user = password_env = ""
    with open_app() as (settings, db):
        clock_now = parse_now(now, settings.timezone)
        with db.write() as session:
            row = owner_by_slug(session, owner)
            cal = calendars.add(
                session,
                owner_id=row.id,
                kind=kind,
                url=url,
                username=user,
                password_env=password_env,
                now=clock_now,
            )
            cal_id = cal.id
        typer.echo(f"Added calendar #{cal_id} for {owner}.")
        ok = _sync_and_report(settings, db, clock_now, calendar_id=cal_id)
    if not ok:
        raise typer.Exit(1)


@calendar_app.command("sync")
def calendar_sync(
    owner: str = typer.Option(None, "--owner", help="Only this owner's calendars."),
    now: str = typer.Option(None, "--now", help="The clock (ISO-8601), for replays."),
) -> None:
    """Read every calendar now (and write accepted meetings to CalDAV ones)."""
    from agents.meetings.policy import owner_by_slug

    with open_app() as (settings, db):
        clock_now = parse_now(now, settings.timezone)
        owner_id = None
        if owner:
            with db.read() as session:
                owner_id = owner_by_slug(session, owner).id
        ok = _sync_and_report(settings, db, clock_now, owner_id=owner_id)
    if not ok:
        raise typer.Exit(1)


def _sync_and_report(
    settings: Settings,
    db: Database,
    now: datetime,
    *,
    owner_id: int | None = None,
    calendar_id: int | None = None,
) -> bool:
    """Sync, print one line per calendar; False when any failed."""
    from agents.meetings.calendar_status import CalendarState, describe
    from agents.meetings.calendar_sync import Syncer
    from store import calendars

    ctx = store_context(settings, db, clock=lambda: now)
    syncer = Syncer(ctx, secrets=os.environ.get)
    if calendar_id is not None:
        results = [syncer.sync_one(calendar_id, now=now)]
    else:
        results = syncer.sync(now=now, owner_id=owner_id)
    if not results:
        typer.echo("No calendars. Add one with: errands meetings calendar add --owner SLUG …")
        return True
    with db.read() as session:
        for r in results:
            row = calendars.get(session, owner_id=r.owner_id, calendar_id=r.calendar_id)
            line = describe(CalendarState.of(row), now)
            if r.written or r.deleted:
                line += f" (meetings written: {r.written}, removed: {r.deleted})"
            typer.echo(("✖ " if r.error else "✔ ") + line)
    return not any(r.error for r in results)


@calendar_app.command("list")
def calendar_list(
    owner: str = typer.Option(None, "--owner", help="Only this owner's calendars."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Each calendar: its last sync, its error if any, how many busy times it holds."""
    from agents.meetings.calendar_status import CalendarState, describe
    from agents.meetings.policy import owner_by_slug
    from errands.wiring import utc_now
    from store import calendars, owners

    with open_app() as (_, db), db.read() as session:
        owner_id = owner_by_slug(session, owner).id if owner else None
        rows = [
            (owners.get_owner(session, owner_id=c.owner_id).slug, CalendarState.of(c))
            for c in calendars.list_for(session, owner_id=owner_id)
        ]
    if as_json:
        typer.echo(json.dumps([{"owner": slug, **s.to_json()} for slug, s in rows]))
        return
    now = utc_now()
    for slug, state in rows:
        typer.echo(f"{slug}: {describe(state, now)}")
    if not rows:
        typer.echo("No calendars.")


@calendar_app.command("remove")
def calendar_remove(
    calendar_id: int = typer.Argument(..., help="The calendar's id (see `calendar list`)."),
    owner: str = typer.Option(..., "--owner", help="The owner's slug."),
) -> None:
    """Forget a calendar and the busy times read from it."""
    from agents.meetings.policy import owner_by_slug
    from store import calendars

    with open_app() as (_, db), db.write() as session:
        calendars.remove(
            session, owner_id=owner_by_slug(session, owner).id, calendar_id=calendar_id
        )
    typer.echo(f"Removed calendar #{calendar_id}.")


def feed(
    owner: str = typer.Option(..., "--owner", help="The owner's slug."),
    revoke: bool = typer.Option(False, "--revoke", help="Invalidate old links, print a new one."),
) -> None:
    """Print the owner's calendar feed link (accepted meetings and dated to-dos)."""
    from agents.meetings import calendar_feed
    from agents.meetings.policy import owner_by_slug

    with open_app() as (settings, db), db.write() as session:
        row = owner_by_slug(session, owner)
        if revoke:
            calendar_feed.revoke(row)
        webcal, plain = calendar_feed.link(store_context(settings, db), row)
    if revoke:
        typer.echo("Old feed links no longer work.")
    typer.echo(webcal)
    typer.echo(f"(for apps that want https: {plain})")
