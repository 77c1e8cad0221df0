"""/calendar in Telegram: the owner's outside calendars and their feed link.

``/calendar`` shows each calendar's last sync (and error, and the age of the copy still used)
plus the feed link; ``/calendar sync`` reads them now; ``/calendar add <.ics URL>`` subscribes
to a read-only calendar (CalDAV needs a password, which lives in the environment: use the CLI);
``/calendar remove <id>``; ``/calendar feed`` and ``/calendar revoke`` show or rotate the link.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence

from agents.context import AppContext
from agents.meetings import calendar_feed
from agents.meetings.calendar_status import CalendarState, describe
from agents.meetings.calendar_sync import Syncer
from agents.messaging import esc
from bots.telegram.feature import CommandRequest, Handler, command, reply, typing
from store import calendars, owners
from store.errors import InvalidInput

USAGE = (
    "/calendar — your calendars and feed link\n"
    "/calendar sync — read them now\n"
    "/calendar add &lt;.ics URL&gt; — subscribe to a read-only calendar "
    "(CalDAV: <code>errands meetings calendar add</code>)\n"
    "/calendar remove &lt;id&gt;\n"
    "/calendar feed — the link for your calendar app; /calendar revoke — a new one"
)


class CalendarFeature:
    commands: Sequence[tuple[str, str]] = (("calendar", "Your calendars, sync and feed link"),)

    def handlers(self, ctx: AppContext) -> Sequence[Handler]:
        return [command(ctx, "calendar", self.calendar)]

    async def calendar(self, request: CommandRequest) -> None:
        owner = request.owner()
        verb, _, rest = request.text.strip().partition(" ")
        verb = verb.lower()
        ctx = request.ctx
        if verb == "sync":
            async with typing(request.update):
                syncer = Syncer(ctx, secrets=ctx.config.meetings.secrets)
                await asyncio.to_thread(syncer.sync, now=ctx.clock(), owner_id=owner.id)
        elif verb == "add":
            url = rest.strip()
            if not re.match(r"(?i)(https?|webcal)://\S+$", url) or len(url) > 2000:
                raise InvalidInput("Send /calendar add followed by the calendar's .ics URL.")
            with ctx.db.write() as session:
                cal_id = calendars.add(
                    session, owner_id=owner.id, kind="ics", url=url, now=ctx.clock()
                ).id
            async with typing(request.update):
                syncer = Syncer(ctx, secrets=ctx.config.meetings.secrets)
                await asyncio.to_thread(syncer.sync_one, cal_id, now=ctx.clock())
        elif verb == "remove":
            if not rest.strip().lstrip("#").isdigit():
                raise InvalidInput("Send /calendar remove followed by the calendar's number.")
            with ctx.db.write() as session:
                calendars.remove(session, owner_id=owner.id, calendar_id=int(rest.strip("# ")))
        elif verb in ("feed", "revoke"):
            with ctx.db.write() as session:
                row = owners.get_owner(session, owner_id=owner.id)
                if verb == "revoke":
                    calendar_feed.revoke(row)
                webcal, plain = calendar_feed.link(ctx, row)
            said = "Old links no longer work. " if verb == "revoke" else ""
            await reply(
                request.update,
                f"{said}Subscribe in your calendar app:\n<code>{esc(webcal)}</code>\n"
                f"(or <code>{esc(plain)}</code>). Anyone with the link sees your meetings "
                "and dated to-dos: /calendar revoke makes a new one.",
            )
            return
        elif verb:
            await reply(request.update, USAGE)
            return
        await reply(request.update, self.overview(ctx, owner.id))

    def overview(self, ctx: AppContext, owner_id: int) -> str:
        now = ctx.clock()
        with ctx.db.read() as session:
            rows = [CalendarState.of(c) for c in calendars.list_for(session, owner_id=owner_id)]
        if not rows:
            return "No calendars yet. Busy times in them would block your booking page.\n\n" + USAGE
        lines = ["<b>Your calendars</b>"]
        lines += [f"{'✔' if s.ok else '✖'} {esc(describe(s, now))}" for s in rows]
        lines.append("\n/calendar sync · /calendar feed · /calendar help")
        return "\n".join(lines)
