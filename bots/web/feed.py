"""``GET /feed/<owner-slug>/<token>.ics``: the owner's calendar feed for any calendar app.

The token is signed and revocable (``agents.meetings.calendar_feed``); a bad, old or revoked
one is a plain 404 that says nothing about which part was wrong. ``def`` (not async): it reads
the store in FastAPI's threadpool.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from agents.meetings import calendar_feed
from bots.web.deps import Ctx
from store.errors import NotFound

router = APIRouter()


@router.get("/feed/{slug}/{token}.ics")
def owner_feed(slug: str, token: str, ctx: Ctx) -> Response:
    if len(token) > 100:
        raise NotFound(calendar_feed.NOT_FOUND)
    with ctx.db.read() as session:
        owner = calendar_feed.owner_for(ctx, session, slug=slug, token=token)
        text = calendar_feed.feed_text(session, owner, now=ctx.now())
    return Response(
        text,
        media_type="text/calendar; charset=utf-8",
        headers={
            "Cache-Control": "private, max-age=300",
            "Content-Disposition": f'inline; filename="{owner.slug}.ics"',
            "X-Robots-Tag": "noindex",
        },
    )
