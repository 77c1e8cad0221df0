"""``errands todo``: add, list and parse to-dos from the shell; ``bench`` for the figures."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from typing import TYPE_CHECKING

import typer

from errands.commands._app import open_app, parse_now
from errands.settings import Settings, load_settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from agents.todos.understand import Understood
    from store.models import Owner

app = typer.Typer(help="To-dos (plain-words capture, reminders).", no_args_is_help=True)

NO_LLM_HELP = "Rules only: never ask the LLM (no network)."


def _owner(session: Session, owner_id: int | None) -> Owner:
    from store import owners
    from store.errors import InvalidInput

    if owner_id is not None:
        return owners.get_owner(session, owner_id=owner_id)
    found = owners.list_owners(session)
    if not found:
        raise InvalidInput("No owners yet: errands owner add --chat-id N --name NAME")
    if len(found) > 1:
        raise InvalidInput("Several owners: pass --owner ID (see errands owner list).")
    return found[0]


async def _understand(
    settings: Settings, text: str, now: datetime, tz: str, no_llm: bool
) -> Understood:
    from agents.todos.understand import understand
    from errands.wiring import build_llm

    if no_llm or not settings.todo_use_llm:
        return await understand(text, now=now, timezone=tz, llm=None)
    async with build_llm(settings, None) as llm:
        return await understand(text, now=now, timezone=tz, llm=llm)


@app.command("parse")
def parse_(
    text: str = typer.Argument(..., help="The to-do in plain words."),
    now: str | None = typer.Option(None, "--now", help="The clock (ISO-8601)."),
    tz: str | None = typer.Option(None, "--tz", help="IANA zone (default ERRANDS_TIMEZONE)."),
    no_llm: bool = typer.Option(False, "--no-llm", help=NO_LLM_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON object only."),
) -> None:
    """Show how TEXT would be understood (nothing is saved)."""
    from agents.todos.timeutil import zone

    settings = load_settings()
    timezone = tz or settings.timezone
    zone(timezone)
    got = asyncio.run(_understand(settings, text, parse_now(now, timezone), timezone, no_llm))
    result = got.result.as_json()
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    for key, value in result.items():
        typer.echo(f"{key:<20} {value}")
    typer.echo(f"{'source':<20} {got.source}")


@app.command("add")
def add(
    text: str = typer.Argument(..., help="The to-do in plain words."),
    owner: int | None = typer.Option(None, "--owner", help="Owner id (default: the only one)."),
    now: str | None = typer.Option(None, "--now", help="The clock (ISO-8601)."),
    no_llm: bool = typer.Option(False, "--no-llm", help=NO_LLM_HELP),
    force: bool = typer.Option(
        False, "--force", help="Save TEXT even when it does not read as a task."
    ),
) -> None:
    """Save a to-do; an ambiguous one is refused with the question (nothing saved), and so
    is text that does not read as a task ("asdfgh", a question) unless --force."""
    from agents.todos.actions import save_draft
    from agents.todos.intent import SAVE_QUESTION, not_a_task
    from agents.todos.messages import when_text
    from agents.todos.model import Ambiguous
    from errands.wiring import todo_config
    from store.errors import InvalidInput

    if not force and (why := not_a_task(text)):
        raise InvalidInput(
            f"Nothing saved: “{text.strip()[:80]}” {why}. {SAVE_QUESTION} Add --force to save it."
        )
    with open_app() as (settings, db):
        with db.read() as session:
            person = _owner(session, owner)
            owner_id, timezone = person.id, person.timezone
        when = parse_now(now, timezone)
        got = asyncio.run(_understand(settings, text, when, timezone, no_llm))
        if isinstance(got.result, Ambiguous):
            options = "; ".join(o.label for o in got.result.options)
            raise InvalidInput(f"{got.result.question} ({options}) Say it more exactly.")
        with db.write() as session:
            todo, _ = save_draft(
                session,
                owner_id=owner_id,
                draft=got.result,
                now=when,
                config=todo_config(settings),
            )
            due = when_text(todo.due_at, all_day=todo.all_day, timezone=todo.timezone)
            typer.echo(
                f"added #{todo.id}: {todo.title} ({due})" + (f" {todo.rrule}" if todo.rrule else "")
            )


@app.command("list")
def list_(
    owner: int | None = typer.Option(None, "--owner", help="Owner id (default: the only one)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Open to-dos, dated ones first."""
    from agents.todos.messages import when_text
    from agents.todos.timeutil import zone
    from store import todos

    with open_app() as (_, db), db.read() as session:
        person = _owner(session, owner)
        rows = [
            {
                "id": t.id,
                "title": t.title,
                "due": t.due_at.astimezone(zone(t.timezone)).isoformat() if t.due_at else None,
                "all_day": t.all_day,
                "rrule": t.rrule,
                "priority": t.priority,
                "snoozed_until": t.snoozed_until.isoformat() if t.snoozed_until else None,
                "when": when_text(t.due_at, all_day=t.all_day, timezone=t.timezone),
            }
            for t in todos.list_open(session, owner_id=person.id)
        ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    if not rows:
        typer.echo("no open to-dos")
    for r in rows:
        repeat = f"  [{r['rrule']}]" if r["rrule"] else ""
        typer.echo(f"#{r['id']:<5} p{r['priority']}  {r['when']:<18} {r['title']}{repeat}")


@app.command("bench")
def bench(
    tasks: int = typer.Option(10_000, "--tasks", min=1, max=200_000, help="Active tasks."),
    rounds: int = typer.Option(20, "--rounds", min=1, max=1000, help="Parser passes."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Parser throughput and accuracy (rules only), reminders-job time with TASKS active."""
    from errands.commands.bench import require_bench

    require_bench()
    from bench.todos import run_bench

    report = run_bench(tasks=tasks, rounds=rounds)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False))
        return
    for key, value in report.items():
        typer.echo(f"{key:<32} {value}")
