"""/follow, /unfollow, /mute, /unmute, /recap and /papers settings for the arXiv digest.

Thin: parse the words, call ``agents.arxiv.choices``, reply. Bad input is an ``InvalidInput``
whose message the app shows as the reply.
"""

from __future__ import annotations

from agents.arxiv import choices
from bots.telegram.feature import CommandRequest, reply
from store.errors import InvalidInput

USAGE = {
    "follow": "Usage: /follow author NAME or /follow keyword WORDS",
    "unfollow": "Usage: /unfollow author NAME or /unfollow keyword WORDS",
    "mute": "Usage: /mute keyword WORDS",
    "unmute": "Usage: /unmute keyword WORDS",
}
KINDS = {"author": "author", "authors": "author", "keyword": "keyword", "keywords": "keyword"}
RECAP_USAGE = "Usage: /recap on or /recap off"


def _parse(command: str, args: tuple[str, ...]) -> tuple[str, str]:
    """(kind, text) from ``author Jane Doe`` / ``keyword diffusion models``."""
    kind = KINDS.get(args[0].lower()) if args else None
    if kind is None:
        raise InvalidInput(USAGE[command])
    if command in ("mute", "unmute") and kind != "keyword":
        raise InvalidInput(f"Only keywords can be muted. {USAGE[command]}")
    text = " ".join(args[1:])
    if not text.strip():
        raise InvalidInput(USAGE[command])
    return kind, text


async def _change(request: CommandRequest, command: str) -> None:
    owner, ctx = request.owner(), request.ctx
    kind, text = _parse(command, request.args)
    mode = "mute" if command in ("mute", "unmute") else "follow"
    done = choices.change(
        ctx.db,
        owner_id=owner.id,
        kind=kind,
        mode=mode,
        text=text,
        add=command in ("follow", "mute"),
        now=ctx.clock(),
    )
    await reply(request.update, done.say() + "\nSee them all: /papers settings")


async def follow(request: CommandRequest) -> None:
    """/follow author Jane Doe  or  /follow keyword diffusion models"""
    await _change(request, "follow")


async def unfollow(request: CommandRequest) -> None:
    await _change(request, "unfollow")


async def mute(request: CommandRequest) -> None:
    """/mute keyword medical imaging"""
    await _change(request, "mute")


async def unmute(request: CommandRequest) -> None:
    await _change(request, "unmute")


async def recap(request: CommandRequest) -> None:
    """/recap on|off: the weekly recap of the week's likes (Sunday evening)."""
    owner, ctx = request.owner(), request.ctx
    word = request.text.strip().lower()
    if word not in ("on", "off"):
        raise InvalidInput(RECAP_USAGE)
    on = word == "on"
    changed = choices.set_recap(ctx.db, owner_id=owner.id, on=on)
    await reply(request.update, choices.recap_text(on, changed=changed))


async def settings(request: CommandRequest) -> None:
    """/papers settings: categories, follows, mutes, recap, and how to change each."""
    owner, ctx = request.owner(), request.ctx
    with ctx.db.read() as session:
        text = choices.settings_text(ctx, session, owner)
    await reply(request.update, text)
