"""First run and the owner's profile: /start guides setup; /tz and /rename change it.

A first /start makes an allowlisted chat an owner, records which Telegram user speaks for it
(``store.owners.telegram_user_id``) and walks through what a new owner has to set: the time zone
(buttons of zones near their Telegram language, a typed IANA name, or ``/tz ZONE``), the booking
link and hours, and paper interests. A later /start shows the current settings; /help keeps the
full command list. Zone buttons are ``tz:<index in ZONES>:set`` (and ``tz:0:type``), so
``ZONES`` only ever grows at its end.
"""

from __future__ import annotations

import functools
import logging
import zoneinfo
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from telegram import Message, Update
from telegram.ext import filters

from agents.context import AppContext
from agents.meetings.links import page_link
from agents.meetings.policy import load_rules
from agents.meetings.rules_text import format_weekly
from agents.messaging import Buttons, button, esc
from bots.telegram.feature import (
    STALE,
    CallbackRequest,
    CommandRequest,
    Handler,
    command,
    not_the_owner,
    on_button,
    on_text,
    reply,
)
from store import owners
from store.errors import InvalidInput
from store.models import Owner

log = logging.getLogger(__name__)

ZONES: tuple[str, ...] = (
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Amsterdam",
    "Europe/Vienna",
    "Europe/Zurich",
    "Europe/Warsaw",
    "Europe/Kyiv",
    "Europe/Moscow",
    "Europe/Istanbul",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Toronto",
    "America/Mexico_City",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Dubai",
    "Australia/Sydney",
    "Pacific/Auckland",
    "Europe/Lisbon",
    "Europe/Stockholm",
    "Asia/Jerusalem",
    "Africa/Cairo",
    "Africa/Johannesburg",
    "Asia/Jakarta",
    "Europe/Athens",
    "Europe/Prague",
    "Europe/Brussels",
)
"""Zones offered as buttons; a button carries the index, so append only."""

LANGUAGE_ZONES: dict[str, tuple[str, ...]] = {
    "en": (
        "Europe/London",
        "America/New_York",
        "America/Chicago",
        "America/Los_Angeles",
        "Australia/Sydney",
    ),
    "de": ("Europe/Berlin", "Europe/Vienna", "Europe/Zurich"),
    "fr": ("Europe/Paris", "Europe/Brussels", "Europe/Zurich", "America/Toronto"),
    "es": ("Europe/Madrid", "America/Mexico_City", "America/Argentina/Buenos_Aires"),
    "pt": ("Europe/Lisbon", "America/Sao_Paulo"),
    "it": ("Europe/Rome", "Europe/Zurich"),
    "nl": ("Europe/Amsterdam", "Europe/Brussels"),
    "pl": ("Europe/Warsaw",),
    "uk": ("Europe/Kyiv",),
    "ru": ("Europe/Moscow",),
    "tr": ("Europe/Istanbul",),
    "zh": ("Asia/Shanghai", "Asia/Taipei", "Asia/Hong_Kong", "Asia/Singapore"),
    "ja": ("Asia/Tokyo",),
    "ko": ("Asia/Seoul",),
    "hi": ("Asia/Kolkata",),
    "ar": ("Asia/Dubai", "Africa/Cairo"),
    "he": ("Asia/Jerusalem",),
    "sv": ("Europe/Stockholm",),
    "cs": ("Europe/Prague",),
    "el": ("Europe/Athens",),
    "id": ("Asia/Jakarta",),
}
"""Zones near a Telegram ``language_code`` (its part before a dash)."""
ANY_LANGUAGE = ("Europe/London", "Europe/Berlin", "America/New_York", "America/Los_Angeles",
                "Asia/Shanghai")  # fmt: skip

TZ_USAGE = "Send /tz ZONE with an IANA name, e.g. /tz Europe/Berlin or /tz America/New_York."
TYPE_ZONE = "Send the zone's name, e.g. Europe/Berlin or America/New_York."
RENAME_USAGE = (
    "Usage: /rename NAME (the name guests see), or /rename slug NEW-SLUG (your booking link)."
)
SEED_HINT = "/seed keywords, e.g. /seed diffusion models, protein folding"
HOURS_HINT = "/availability Mon-Fri 09:00-17:00"


@functools.cache
def _zones_by_lower_name() -> dict[str, str]:
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def resolve_zone(text: str) -> str | None:
    """The IANA zone ``text`` names (any case, e.g. "europe/berlin"), or None."""
    return _zones_by_lower_name().get(text.strip().lower())


def zone_choices(language: str | None) -> list[str]:
    """Up to six zones to offer: those near ``language``, then UTC."""
    near = LANGUAGE_ZONES.get((language or "").split("-")[0].lower(), ANY_LANGUAGE)
    return [*near[:5], "UTC"]


def zone_buttons(language: str | None) -> Buttons:
    """Two zones a row, then "type a zone name"."""
    chosen = [button(z, "tz", ZONES.index(z), "set") for z in zone_choices(language)]
    rows: Buttons = [chosen[i : i + 2] for i in range(0, len(chosen), 2)]
    rows.append([button("⌨️ Type a zone name", "tz", 0, "type")])
    return rows


class _ZoneText(filters.MessageFilter):
    """Plain text that is a zone name, or any text right after "type a zone name"."""

    def __init__(self, waiting: set[int]) -> None:
        super().__init__(name="zone_text")
        self._waiting = waiting

    def filter(self, message: Message) -> bool:
        text = message.text or ""
        return message.chat.id in self._waiting or (
            len(text) <= 64 and ("/" in text or text.strip().upper() == "UTC")
            and resolve_zone(text) is not None
        )  # fmt: skip


class SetupFeature:
    """/tz, /rename, the zone buttons and a typed zone name."""

    commands: Sequence[tuple[str, str]] = (
        ("tz", "Show or set your time zone: /tz Europe/Berlin"),
        ("rename", "Your name: /rename NAME; your link: /rename slug NEW-SLUG"),
    )

    def __init__(self) -> None:
        self._waiting: set[int] = set()  # chats whose next text is a zone name

    def handlers(self, ctx: AppContext) -> Sequence[Handler]:
        return [
            command(ctx, "tz", self.tz),
            command(ctx, "rename", self.rename),
            on_button(ctx, "tz", self.on_zone),
            on_text(ctx, self.typed_zone, only=_ZoneText(self._waiting)),
        ]

    async def tz(self, request: CommandRequest) -> None:
        owner = request.owner()
        if not request.args:
            language = _language(request.update)
            text = f"🕑 Your time zone is {esc(owner.timezone)}. {esc(TZ_USAGE)}"
            await reply(request.update, text, zone_buttons(language))
            return
        zone = resolve_zone(request.text)
        if zone is None:
            raise InvalidInput(f"Unknown time zone {request.text[:64]!r}. {TZ_USAGE}")
        await reply(request.update, set_zone(request.ctx, owner.id, zone))

    async def typed_zone(self, request: CommandRequest) -> None:
        chat, message = request.update.effective_chat, request.update.effective_message
        if chat is not None:
            self._waiting.discard(chat.id)
        owner = request.owner()
        text = message.text if message is not None and message.text else ""
        zone = resolve_zone(text)
        if zone is None:
            raise InvalidInput(f"I know no time zone called {text[:64]!r}. {TZ_USAGE}")
        await reply(request.update, set_zone(request.ctx, owner.id, zone))

    async def on_zone(self, request: CallbackRequest) -> str:
        if request.action == "type":
            chat = request.update.effective_chat
            if chat is not None:
                self._waiting.add(chat.id)
            await reply(request.update, esc(TYPE_ZONE))
            return ""
        if request.action != "set" or not 0 <= request.object_id < len(ZONES):
            return STALE
        text = set_zone(request.ctx, request.owner.id, ZONES[request.object_id])
        await reply(request.update, text)
        return "Saved."

    async def rename(self, request: CommandRequest) -> None:
        owner, ctx, args = request.owner(), request.ctx, request.args
        if not args:
            raise InvalidInput(RENAME_USAGE)
        if args[0].lower() == "slug":
            if len(args) != 2:
                raise InvalidInput("Usage: /rename slug NEW-SLUG, e.g. /rename slug ada-lovelace.")
            old = page_link(ctx, owner.slug)
            with ctx.db.write() as session:
                slug = owners.change_slug(session, owner_id=owner.id, slug=args[1]).slug
            if slug == owner.slug:
                await reply(request.update, f"Your booking link already is {esc(old)}.")
                return
            await reply(
                request.update,
                f"🔗 Your booking link is now {esc(page_link(ctx, slug))}\n"
                f"The old link {esc(old)} no longer works: update it wherever you shared it. "
                "Links in messages about existing bookings still work.",
            )
            return
        with ctx.db.write() as session:
            name = owners.rename(session, owner_id=owner.id, name=request.text).name
        await reply(request.update, f"I'll call you {esc(name)} now (guests see it too).")


def set_zone(ctx: AppContext, owner_id: int, zone: str) -> str:
    """Save the owner's zone, re-time their scheduled jobs, and say what changed."""
    with ctx.db.write() as session:
        owners.set_timezone(session, owner_id=owner_id, timezone=zone)
    owner_changed(ctx, owner_id)
    local = ctx.clock().astimezone(ZoneInfo(zone))
    return (
        f"🕑 Time zone: {esc(zone)} (it is {local:%H:%M} there now). Your agenda, review and "
        "digest follow it; /tz changes it."
    )


async def start(ctx: AppContext, update: Update) -> None:
    """/start: make the chat an owner (once) and guide setup; later, show the settings."""
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None
    name = (user.full_name if user else "") or chat.full_name or f"chat {chat.id}"
    created = False
    with ctx.db.write() as session:
        owner = owners.get_by_chat_id(session, chat_id=chat.id)
        if owner is None:
            owner = owners.create_owner(
                session,
                name=name[:200],
                timezone=ctx.config.default_timezone,
                now=ctx.clock(),
                chat_id=chat.id,
                slug=owners.free_slug(session, owners.slugify(name)),
            )
            created = True
        if user is not None and owners.telegram_user_id(owner) is None:
            owners.set_telegram_user_id(owner, user.id)  # a group's first /start claims it
        refusal = not_the_owner(owner, update)
        hours = format_weekly(load_rules(session, owner.id))
    if refusal is not None:
        raise InvalidInput(refusal)
    if created:
        owner_changed(ctx, owner.id)
        await reply(update, welcome(ctx, owner, hours), zone_buttons(_language(update)))
    else:
        await reply(update, summary(ctx, owner, hours))


def owner_changed(ctx: AppContext, owner_id: int) -> None:
    """Tell the scheduler (``ctx.on_owner_changed``) so the owner's digest, agenda and review
    run in their zone from now on; a failure is logged, the owner's change stands."""
    if ctx.on_owner_changed is None:
        return
    try:
        ctx.on_owner_changed(owner_id)
    except Exception:
        log.exception("could not schedule the jobs of owner %s", owner_id)


def welcome(ctx: AppContext, owner: Owner, hours: str) -> str:
    """The first /start: what errands does, then the three settings to make."""
    return "\n".join(
        [
            f"Welcome, {esc(owner.name)}! I keep your to-dos, your booking page and a daily "
            "arXiv digest. Three steps to set me up:",
            "",
            f"1️⃣ <b>Time zone</b>: now {esc(owner.timezone)}. Tap yours below, send its name "
            "(e.g. Europe/Berlin), or /tz ZONE.",
            f"2️⃣ <b>Booking page</b>: {esc(page_link(ctx, owner.slug))}",
            f"Bookable hours: {esc(_one_line(hours))}. Set them with {HOURS_HINT}; "
            "change the link with /rename slug NEW-SLUG.",
            f"3️⃣ <b>Paper interests</b>: {esc(SEED_HINT)}.",
            "",
            "Then just send me a to-do in plain words. /help lists everything I can do.",
        ]
    )


def summary(ctx: AppContext, owner: Owner, hours: str) -> str:
    """A later /start: the current settings and where to change them."""
    arxiv = (owner.preferences or {}).get("arxiv") or {}
    keywords = [str(k) for k in arxiv.get("keywords", [])] if isinstance(arxiv, dict) else []
    interests = ", ".join(keywords[:10]) if keywords else "none yet"
    return "\n".join(
        [
            f"Welcome back, {esc(owner.name)}! Your settings:",
            f"🕑 Time zone: {esc(owner.timezone)} (/tz)",
            f"🔗 Booking page: {esc(page_link(ctx, owner.slug))} (/rename slug NEW-SLUG)",
            f"📅 Bookable hours: {esc(_one_line(hours))} (/availability)",
            f"📚 Paper interests: {esc(interests)} ({esc(SEED_HINT.split(',')[0])})",
            "/help lists everything I can do.",
        ]
    )


def _one_line(hours: str) -> str:
    return "; ".join(hours.splitlines())


def _language(update: Update) -> str | None:
    user = update.effective_user
    return user.language_code if user is not None else None
