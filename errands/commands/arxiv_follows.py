"""``errands arxiv follow|unfollow|mute|unmute|follows|recap``: pins, mutes and the recap.

The same rules as Telegram's /follow, /mute and /recap (``agents.arxiv.choices``): the value is
validated there, adding twice is a no-op, removing what is not there says so.
"""

from __future__ import annotations

import json

import typer

from errands.commands._app import open_app, owner_of
from errands.wiring import utc_now

_OWNER = typer.Option(..., "--owner", help="Owner slug.")
_NAME = typer.Argument(..., help="The author's name, e.g. Jane Doe or 'Doe, Jane'.")
_WORDS = typer.Argument(..., help="A word or phrase, e.g. diffusion models.")

follow_app = typer.Typer(help="Pin papers: follow an author or a keyword.", no_args_is_help=True)
unfollow_app = typer.Typer(help="Stop following an author or a keyword.", no_args_is_help=True)
mute_app = typer.Typer(help="Drop papers with a word or phrase.", no_args_is_help=True)
unmute_app = typer.Typer(help="Undo a mute.", no_args_is_help=True)


def _change(slug: str, *, kind: str, mode: str, words: list[str], add: bool) -> None:
    from agents.arxiv import choices

    with open_app() as (_, db):
        with db.read() as session:
            owner = owner_of(session, slug)
        done = choices.change(
            db,
            owner_id=owner.id,
            kind=kind,
            mode=mode,
            text=" ".join(words),
            add=add,
            now=utc_now(),
        )
    typer.echo(done.say(html=False))


@follow_app.command("author")
def follow_author(name: list[str] = _NAME, owner: str = _OWNER) -> None:
    """Always show this author's new papers (marked 📌)."""
    _change(owner, kind="author", mode="follow", words=name, add=True)


@follow_app.command("keyword")
def follow_keyword(words: list[str] = _WORDS, owner: str = _OWNER) -> None:
    """Always show new papers with this word or phrase in the title or abstract (📌)."""
    _change(owner, kind="keyword", mode="follow", words=words, add=True)


@unfollow_app.command("author")
def unfollow_author(name: list[str] = _NAME, owner: str = _OWNER) -> None:
    """Stop following an author."""
    _change(owner, kind="author", mode="follow", words=name, add=False)


@unfollow_app.command("keyword")
def unfollow_keyword(words: list[str] = _WORDS, owner: str = _OWNER) -> None:
    """Stop following a keyword."""
    _change(owner, kind="keyword", mode="follow", words=words, add=False)


@mute_app.command("keyword")
def mute_keyword(words: list[str] = _WORDS, owner: str = _OWNER) -> None:
    """Never show papers with this word or phrase (unless they are followed)."""
    _change(owner, kind="keyword", mode="mute", words=words, add=True)


@unmute_app.command("keyword")
def unmute_keyword(words: list[str] = _WORDS, owner: str = _OWNER) -> None:
    """Undo a mute."""
    _change(owner, kind="keyword", mode="mute", words=words, add=False)


def follows(
    owner: str = _OWNER, as_json: bool = typer.Option(False, "--json", help="Print JSON.")
) -> None:
    """List an owner's followed authors and keywords, muted keywords and the recap switch."""
    from agents.arxiv import choices

    with open_app() as (_, db), db.read() as session:
        data = choices.listing(session, owner_of(session, owner))
    if as_json:
        typer.echo(json.dumps(data))
        return
    for label, key in (("authors", "authors"), ("keywords", "keywords"), ("muted", "muted")):
        typer.echo(f"{label}: {', '.join(data[key]) or '-'}")
    typer.echo(f"recap: {'on' if data['recap'] else 'off'}")


def recap(
    state: str = typer.Argument(..., help="on or off", metavar="on|off"), owner: str = _OWNER
) -> None:
    """Turn the weekly recap (Sundays, the owner's zone) on or off."""
    from agents.arxiv import choices

    word = state.strip().lower()
    if word not in ("on", "off"):
        raise typer.BadParameter(f"{state!r} is not on or off", param_hint="on|off")
    with open_app() as (_, db):
        with db.read() as session:
            owner_id = owner_of(session, owner).id
        changed = choices.set_recap(db, owner_id=owner_id, on=word == "on")
    typer.echo(choices.recap_text(word == "on", changed=changed))


def register(app: typer.Typer) -> None:
    """Add these commands to ``errands arxiv``."""
    app.add_typer(follow_app, name="follow")
    app.add_typer(unfollow_app, name="unfollow")
    app.add_typer(mute_app, name="mute")
    app.add_typer(unmute_app, name="unmute")
    app.command("follows")(follows)
    app.command("recap")(recap)
