"""``errands jobs``: list the schedule and run one job once with a given clock."""

from __future__ import annotations

import json
from dataclasses import asdict, is_dataclass
from datetime import datetime

import typer

from agents.context import AppContext
from errands.commands import dry_run
from errands.commands._app import open_app, parse_now, run_in_context
from errands.settings import Settings, load_settings
from errands.wiring import offset_clock, utc_now
from jobs import outbox
from jobs.registry import JOBS, run_job
from jobs.scheduler import plan
from store import owners

app = typer.Typer(help="Scheduled jobs.", no_args_is_help=True)


@app.command("list")
def list_(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Show every job with its trigger and next run."""
    with open_app() as (settings, db), db.read() as session:
        zones = [(o.id, o.timezone) for o in owners.list_owners(session)]
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


def _jsonable(value: object) -> object:
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    return value


def _run(settings: Settings, name: str, now: datetime) -> dict[str, object]:
    async def work(ctx: AppContext) -> dict[str, object]:
        result = await run_job(name, ctx, now=now)
        report = {"job": name, "now": now.isoformat(), "result": _jsonable(result)}
        if name != "outbox":  # deliver what the job queued, as the runtime would
            report["outbox"] = _jsonable(await outbox.run(ctx, now=ctx.clock()))
        return report

    return run_in_context(settings, work, clock=offset_clock(now))


def _dry(settings: Settings, name: str, now: datetime) -> list[str]:
    with dry_run.sandbox(settings) as copy:

        async def work(ctx: AppContext) -> list[str]:
            result, previews = await dry_run.run_dry(ctx, name, now)
            report = json.dumps(_jsonable(result), default=str)
            return [*dry_run.render(name, now, previews), f"Job result: {report}"]

        return run_in_context(copy, work, clock=offset_clock(now), telegram_bot=False)


@app.command("run")
def run(
    name: str = typer.Argument(..., help=f"Job name: {', '.join(sorted(JOBS))}."),
    now: str | None = typer.Option(None, "--now", help="The clock for this run (ISO-8601)."),
    dry: bool = typer.Option(
        False,
        "--dry-run",
        help="Run on a throw-away copy of the store with delivery off; print what would be "
        "sent (channel, recipient, subject, first lines). Writes nothing, sends nothing "
        "(arXiv and the LLM are still asked, as the job would).",
    ),
) -> None:
    """Run one job once, as if the time were --now (this is how a day is replayed).

    Prints the job's result as JSON and delivers what it queued; with --dry-run, prints the
    messages it would send instead and leaves the store as it was.
    """
    settings = load_settings()
    if name not in JOBS:
        raise typer.BadParameter(
            f"unknown job {name!r}; known: {', '.join(sorted(JOBS))}", param_hint="NAME"
        )
    when = parse_now(now, settings.timezone)
    if dry:
        typer.echo("\n".join(_dry(settings, name, when)))
        return
    typer.echo(json.dumps(_run(settings, name, when), default=str))
