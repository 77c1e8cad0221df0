"""Shared setup for meeting tests: an owner with weekly hours and a context around a db."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

import uvicorn
from fastapi import FastAPI
from langgraph.checkpoint.base import BaseCheckpointSaver

from agents.context import AppConfig, AppContext
from agents.meetings.config import MeetingsConfig, Policy
from agents.meetings.policy import save_policy
from agents.meetings.rules_text import parse_weekly
from store import availability, owners
from store.db import Database

SECRET = "test-secret"


def make_ctx(
    db: Database,
    clock: Callable[[], datetime],
    *,
    public_url: str = "http://127.0.0.1:8080",
    checkpointer: BaseCheckpointSaver[str] | None = None,
    **meetings: Any,  # forwarded to dataclasses.replace(MeetingsConfig(), ...)
) -> AppContext:
    config = AppConfig(
        secret_key=SECRET,
        public_url=public_url,
        owner_chat_ids=(42,),
        meetings=replace(MeetingsConfig(), **meetings),
    )
    return AppContext(db=db, config=config, clock=clock, checkpointer=checkpointer)


def add_owner(
    db: Database,
    *,
    now: datetime,
    slug: str = "ada",
    tz: str = "Europe/Berlin",
    hours: str = "Mon-Fri 09:00-17:00",
    chat_id: int | None = 42,
    policy: Policy | None = None,
) -> int:
    with db.write() as session:
        owner = owners.create_owner(
            session, name="Ada Lovelace", timezone=tz, now=now, chat_id=chat_id, slug=slug
        )
        availability.replace_rules(
            session,
            owner_id=owner.id,
            windows=[(w.weekday, w.start, w.end) for w in parse_weekly(hours)],
        )
        if policy is not None:
            save_policy(session, owner, policy)
        return owner.id


@contextlib.asynccontextmanager
async def serve(app: FastAPI) -> AsyncIterator[str]:
    """Serve ``app`` with real uvicorn on a free 127.0.0.1 port in the running loop."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
