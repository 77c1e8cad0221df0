"""``errands owner``: add and list the people errands works for."""

from __future__ import annotations

import json

import typer

from errands.commands._app import open_app
from errands.wiring import utc_now
from store import owners

app = typer.Typer(help="Owners (people errands works for).", no_args_is_help=True)


@app.command("add")
def add(
    chat_id: int = typer.Option(..., "--chat-id", help="Telegram chat id of the owner."),
    name: str = typer.Option(..., "--name", help="Display name."),
    tz: str | None = typer.Option(None, "--tz", help="IANA zone (default ERRANDS_TIMEZONE)."),
    slug: str | None = typer.Option(None, "--slug", help="Booking page slug (default from name)."),
) -> None:
    """Add an owner."""
    with open_app() as (settings, db), db.write() as session:
        owner = owners.create_owner(
            session,
            name=name,
            timezone=tz or settings.timezone,
            now=utc_now(),
            chat_id=chat_id,
            slug=slug,
        )
        typer.echo(f"added owner {owner.name} (slug {owner.slug}, zone {owner.timezone})")


@app.command("list")
def list_(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List owners."""
    with open_app() as (_, db), db.read() as session:
        rows = [
            {
                "id": o.id,
                "chat_id": o.chat_id,
                "name": o.name,
                "timezone": o.timezone,
                "slug": o.slug,
            }
            for o in owners.list_owners(session)
        ]
    if as_json:
        typer.echo(json.dumps(rows))
        return
    if not rows:
        typer.echo("no owners yet: errands owner add --chat-id N --name NAME")
    for r in rows:
        typer.echo(
            f"{r['id']:>4}  {r['slug']:<20} chat {r['chat_id']}  {r['timezone']}  {r['name']}"
        )
