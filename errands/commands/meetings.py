"""``errands meetings``: set availability and list free slots from the command line."""

from __future__ import annotations

import json
from datetime import date

import typer

from errands.commands._app import open_app, parse_now, store_context
from errands.commands.meeting_types import about, types_app
from errands.commands.meetings_calendar import calendar_app, feed

app = typer.Typer(help="Meeting scheduler: availability and free slots.", no_args_is_help=True)
availability_app = typer.Typer(help="Weekly hours and dated overrides.", no_args_is_help=True)
app.add_typer(availability_app, name="availability")
app.add_typer(types_app, name="types")
app.command("about")(about)
app.add_typer(calendar_app, name="calendar")
app.command("feed")(feed)


@availability_app.command("set")
def availability_set(
    hours: str = typer.Argument(..., help='Weekly hours, e.g. "Mon-Fri 09:00-17:00".'),
    owner: str = typer.Option(..., "--owner", help="The owner's slug."),
    override: list[str] = typer.Option(  # noqa: B008
        [], "--override", help='A dated override: "2026-03-10 off", "2026-03-10 13:00-15:00".'
    ),
) -> None:
    """Replace the owner's weekly hours (in the owner's zone); add overrides if given."""
    from agents.meetings.policy import add_override, owner_by_slug, save_weekly
    from agents.meetings.rules_text import format_weekly, parse_override, parse_weekly

    windows = parse_weekly(hours)
    overrides = [parse_override(o) for o in override]
    with open_app() as (_, db), db.write() as session:
        row = owner_by_slug(session, owner)
        save_weekly(session, row.id, windows)
        for o in overrides:
            add_override(session, row.id, o)
        zone = row.timezone
    typer.echo(f"Weekly hours for {owner} ({zone}):\n{format_weekly(windows)}")
    if overrides:
        typer.echo(f"{len(overrides)} override(s) added.")


@availability_app.command("override")
def availability_override(
    text: str = typer.Argument(
        ..., help='"2026-03-10 off" | "2026-03-10 13:00-15:00" | "2026-03-10 block 12:00-13:00".'
    ),
    owner: str = typer.Option(..., "--owner", help="The owner's slug."),
) -> None:
    """Add one dated override (a day off, extra hours or a blocked time)."""
    from agents.meetings.policy import add_override, owner_by_slug
    from agents.meetings.rules_text import format_override, parse_override

    o = parse_override(text)
    with open_app() as (_, db), db.write() as session:
        add_override(session, owner_by_slug(session, owner).id, o)
    typer.echo(f"Added: {format_override(o)}")


@availability_app.command("show")
def availability_show(
    owner: str = typer.Option(..., "--owner", help="The owner's slug."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show weekly hours, overrides and the owner's booking rules."""
    from agents.meetings.policy import load_overrides, load_rules, owner_by_slug, policy_of
    from agents.meetings.rules_text import format_override, format_weekly

    with open_app() as (settings, db), db.read() as session:
        row = owner_by_slug(session, owner)
        rules, overrides = load_rules(session, row.id), load_overrides(session, row.id)
        policy = policy_of(store_context(settings, db), row)
        zone = row.timezone
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "owner": owner,
                    "timezone": zone,
                    "weekly": [
                        {"weekday": r.weekday, "start": f"{r.start:%H:%M}", "end": f"{r.end:%H:%M}"}
                        for r in rules
                    ],
                    "overrides": [format_override(o) for o in overrides],
                    "policy": policy.to_json(),
                }
            )
        )
        return
    typer.echo(f"{owner} ({zone})\n{format_weekly(rules)}")
    for o in overrides:
        typer.echo(format_override(o))


@app.command("slots")
def slots(
    owner: str = typer.Option(..., "--owner", help="The owner's slug."),
    first: str = typer.Option(
        None, "--from", help="First day (YYYY-MM-DD) in --tz; default today."
    ),
    days: int = typer.Option(7, "--days", min=1, max=62, help="How many days."),
    tz: str = typer.Option("UTC", "--tz", help="Show times in this IANA zone."),
    length: int = typer.Option(0, "--length", min=0, help="Minutes (default: the owner's first)."),
    now: str = typer.Option(None, "--now", help="The clock (ISO-8601), for replays."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON like the web API."),
) -> None:
    """Free slots as a guest sees them (availability, bookings, notice and horizon applied)."""
    from zoneinfo import ZoneInfo

    from agents.meetings.availability import visitor_range
    from agents.meetings.messages import when
    from agents.meetings.policy import owner_by_slug, policy_of
    from agents.meetings.slots import free_slots
    from agents.meetings.validate import clean_zone
    from errands.settings import load_settings

    settings = load_settings()
    zone_name = clean_zone(tz)
    clock_now = parse_now(now, settings.timezone)
    try:
        day = (
            date.fromisoformat(first) if first else clock_now.astimezone(ZoneInfo(zone_name)).date()
        )
    except ValueError:
        raise typer.BadParameter(
            f"{first!r} is not a date like 2026-03-02", param_hint="--from"
        ) from None
    with open_app(settings) as (_, db), db.read() as session:
        ctx = store_context(settings, db, clock=lambda: clock_now)
        row = owner_by_slug(session, owner)
        size = length or policy_of(ctx, row).default_length
        start, end = visitor_range(day, days, ZoneInfo(zone_name))
        found = free_slots(ctx, session, row, start=start, end=end, length=size, now=clock_now)
    zone = ZoneInfo(zone_name)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "timezone": zone_name,
                    "length": size,
                    "slots": [
                        {
                            "start": s.start.astimezone(zone).isoformat(),
                            "end": s.end.astimezone(zone).isoformat(),
                        }
                        for s in found
                    ],
                }
            )
        )
        return
    for s in found:
        typer.echo(when(s.start, s.end, zone_name))
    if not found:
        typer.echo("No free slots.")
