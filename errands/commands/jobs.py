"""``errands jobs``: list the schedule and run one job once with a given clock."""

from __future__ import annotations

import asyncio
import json
from dataclasses import asdict, is_dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import typer

from errands.settings import Settings, load_settings
from errands.wiring import app_context, offset_clock, open_database, utc_now
from jobs import outbox
from jobs.registry import JOBS, run_job
from jobs.scheduler import plan
from store import owners

app = typer.Typer(help="Scheduled jobs.", no_args_is_help=True)


def parse_now(value: str | None, timezone: str) -> datetime:
    """ISO-8601; without an offset it is read in ERRANDS_TIMEZONE."""
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


@app.command("list")
def list_(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Show every job with its trigger and next run."""
    settings = load_settings()
    db = open_database(settings)
    try:
        with db.read() as session:
            zones = [(o.id, o.timezone) for o in owners.list_owners(session)]
    finally:
        db.dispose()
    planned = plan(
        owners=zones,
        default_timezone=settings.timezone,
        overrides=settings.schedules,
        now=utc_now(),
    )
    rows = [
        {
            "name": p.name,
            "id": p.id,
            "owner_id": p.owner_id,
            "trigger": p.trigger,
            "timezone": p.timezone,
            "next_run": p.next_run.isoformat() if p.next_run else None,
            "description": JOBS[p.name].description,
        }
        for p in planned
    ]
    if as_json:
        typer.echo(json.dumps(rows))
        return
    for r in rows:
        typer.echo(f"{r['id']:<24} {r['trigger']:<16} next {r['next_run']}  {r['description']}")


def _jsonable(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    return value


async def _run(settings: Settings, name: str, now: datetime) -> dict[str, Any]:
    async with app_context(settings, clock=offset_clock(now)) as ctx:
        result = await run_job(name, ctx, now=now)
        report: dict[str, Any] = {"job": name, "now": now.isoformat(), "result": _jsonable(result)}
        if name != "outbox":  # deliver what the job queued, as the runtime would
            report["outbox"] = _jsonable(await outbox.run(ctx, now=ctx.clock()))
        return report


@app.command("run")
def run(
    name: str = typer.Argument(..., help=f"Job name: {', '.join(sorted(JOBS))}."),
    now: str | None = typer.Option(None, "--now", help="The clock for this run (ISO-8601)."),
) -> None:
    """Run one job once, as if the time were --now (this is how a day is replayed)."""
    settings = load_settings()
    if name not in JOBS:
        raise typer.BadParameter(
            f"unknown job {name!r}; known: {', '.join(sorted(JOBS))}", param_hint="NAME"
        )
    when = parse_now(now, settings.timezone)
    typer.echo(json.dumps(asyncio.run(_run(settings, name, when)), default=str))
