"""``errands meetings types add|list|remove`` and ``errands meetings about``: what guests book.

Meeting types and the page's description live in the owner's preferences
(``agents.meetings.meeting_types``); an owner with no types has one default type.
"""

from __future__ import annotations

import json

import typer

from errands.commands._app import open_app, store_context

types_app = typer.Typer(
    help="Meeting types: name, lengths, place or video link, approval.", no_args_is_help=True
)


def _lengths(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(p) for p in text.replace(" ", "").split(",") if p)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not like 15,30,60", param_hint="--lengths") from None


@types_app.command("add")
def types_add(
    key: str = typer.Argument(..., help="A short key for links, e.g. intro."),
    owner: str = typer.Option(..., "--owner", help="The owner's slug."),
    name: str = typer.Option(..., "--name", help='What guests see, e.g. "Intro call".'),
    lengths: str = typer.Option("30", "--lengths", help="Minutes, e.g. 15,30 (first = default)."),
    location: str = typer.Option(
        "",
        "--location",
        help="A place, or a link template: https://meet.example.org/{slug}-{booking_id}.",
    ),
    description: str = typer.Option("", "--description", help="A few lines for the page."),
    approval: bool = typer.Option(
        True, "--approval/--no-approval", help="Requests and moves wait for your OK."
    ),
) -> None:
    """Add a meeting type (or replace the one with KEY)."""
    from agents.meetings.meeting_types import MeetingType, add_type
    from agents.meetings.policy import owner_by_slug

    kind = MeetingType(
        key=key,
        name=name,
        lengths=_lengths(lengths),
        location=location,
        description=description,
        approval=approval,
    )
    with open_app() as (_, db), db.write() as session:
        types = add_type(owner_by_slug(session, owner), kind)
    typer.echo(f"Saved {key}. {owner} offers: {', '.join(t.key for t in types)}.")


@types_app.command("list")
def types_list(
    owner: str = typer.Option(..., "--owner", help="The owner's slug."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """The meeting types the owner's page offers (the default type when none are set)."""
    from agents.meetings.meeting_types import about_of, stored_types, types_of
    from agents.meetings.policy import owner_by_slug, policy_of

    with open_app() as (settings, db), db.read() as session:
        row = owner_by_slug(session, owner)
        offered = types_of(row, policy_of(store_context(settings, db), row))
        own, about = bool(stored_types(row)), about_of(row)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "owner": owner,
                    "about": about,
                    "default": not own,
                    "types": [t.to_json() for t in offered],
                }
            )
        )
        return
    for t in offered:
        rule = "approval" if t.approval else "instant"
        where = f", {t.location}" if t.location else ""
        typer.echo(f"{t.key}: {t.name} ({'/'.join(map(str, t.lengths))} min, {rule}{where})")
    if not own:
        typer.echo("(the default type: add your own with `errands meetings types add`)")


@types_app.command("remove")
def types_remove(
    key: str = typer.Argument(..., help="The type's key."),
    owner: str = typer.Option(..., "--owner", help="The owner's slug."),
) -> None:
    """Remove a meeting type (booked meetings keep their time; new ones use the others)."""
    from agents.meetings.meeting_types import remove_type
    from agents.meetings.policy import owner_by_slug

    with open_app() as (_, db), db.write() as session:
        kept = remove_type(owner_by_slug(session, owner), key)
    left = ", ".join(t.key for t in kept) or "the default type"
    typer.echo(f"Removed {key}. {owner} offers: {left}.")


def about(
    text: str = typer.Argument(..., help='A few lines about you for the page ("" clears it).'),
    owner: str = typer.Option(..., "--owner", help="The owner's slug."),
) -> None:
    """Set the description under your name on the booking page."""
    from agents.meetings.meeting_types import set_about
    from agents.meetings.policy import owner_by_slug

    with open_app() as (_, db), db.write() as session:
        set_about(owner_by_slug(session, owner), text)
    typer.echo("Saved." if text.strip() else "Cleared.")
