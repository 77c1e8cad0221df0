"""``errands jobs run NAME --dry-run``: run a job on a copy of the store and show what it queued.

The job runs exactly as it would (its agents open ``db.write()`` transactions, the digest
checkpoints its graph, the LLM call log grows), but against a copy: the SQLite store and the
graph checkpoints are copied with SQLite's backup API (the originals are only read) into a
temporary data dir that is deleted afterwards, and the context has no channels, so nothing
is delivered. One transaction to roll back would not do: a job commits several, and the
checkpointer writes a second database. What the job queued is read from the copy's outbox.
"""

from __future__ import annotations

import html
import re
import secrets
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from agents.context import AppContext
from errands.embedded_llm import state_path
from errands.settings import Settings
from jobs.registry import run_job
from store import outbox
from store.errors import ConfigError
from store.models import OutboxMessage

FIRST_LINES = 3
_TAG = re.compile(r"<[^>]+>")


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of ``source`` (SQLite's backup API), even while errands writes to it.

    The source is opened ``query_only``: no statement can change it, and as the last reader
    it tidies SQLite's -wal/-shm side files like any errands command (a read-only data dir
    falls back to ``mode=ro``, which leaves them).
    """
    if not source.is_file():
        return
    uri = source.resolve().as_uri()
    try:
        reader = sqlite3.connect(f"{uri}?mode=rw", uri=True)
        reader.execute("PRAGMA query_only = ON")
    except sqlite3.OperationalError:
        reader = sqlite3.connect(f"{uri}?mode=ro", uri=True)
    writer = sqlite3.connect(target)
    try:
        reader.backup(writer)
    finally:
        writer.close()
        reader.close()


def _secret(settings: Settings) -> str:
    """The secret key links are signed with, without creating one in the real data dir."""
    if settings.secret_key.get_secret_value():
        return settings.secret_key.get_secret_value()
    path = settings.data_dir / "secret_key"
    return path.read_text().strip() if path.is_file() else secrets.token_urlsafe(48)


@contextmanager
def sandbox(settings: Settings) -> Iterator[Settings]:
    """Settings for a throw-away copy of the data dir (store, graph checkpoints, LLM state)."""
    url = make_url(settings.effective_database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        raise ConfigError(
            f"--dry-run copies the SQLite store; ERRANDS_DATABASE_URL is {url.get_backend_name()}."
        )
    assert url.database is not None
    with tempfile.TemporaryDirectory(prefix="errands-dry-run-") as tmp:
        root = Path(tmp)
        copy_sqlite(Path(url.database), root / "errands.db")
        copy_sqlite(settings.data_dir / "graphs.db", root / "graphs.db")
        if state_path(settings.data_dir).is_file():  # the embedded LLM, if `errands run` has one
            shutil.copyfile(state_path(settings.data_dir), state_path(root))
        yield settings.model_copy(
            update={
                "data_dir": root,
                "database_url": f"sqlite:///{root / 'errands.db'}",
                "secret_key": SecretStr(_secret(settings)),
            }
        )


@dataclass(frozen=True)
class Preview:
    """One message the run would send."""

    channel: str
    recipient: str
    due_at: datetime
    key: str
    subject: str | None
    lines: list[str]
    more: int
    buttons: list[str]
    edit: bool


def preview(row: OutboxMessage) -> Preview:
    payload: dict[str, Any] = row.payload or {}
    text = str(payload.get("text") or "")
    if row.channel == "telegram":
        text = html.unescape(_TAG.sub("", text))
    lines = [line for line in text.splitlines() if line.strip()]
    buttons = [str(b.get("text", "")) for r in payload.get("buttons") or [] for b in r]
    subject = payload.get("subject")
    return Preview(
        channel=row.channel,
        recipient=row.recipient,
        due_at=row.due_at,
        key=row.idempotency_key,
        subject=str(subject) if subject is not None else None,
        lines=lines[:FIRST_LINES],
        more=max(0, len(lines) - FIRST_LINES),
        buttons=buttons,
        edit=bool(payload.get("edit_of")),
    )


async def run_dry(ctx: AppContext, name: str, now: datetime) -> tuple[Any, list[Preview]]:
    """Run ``name`` on ``ctx`` (a sandbox) with no channels; (its result, what it would send).

    The ``outbox`` job itself would deliver: its preview is the rows it would claim now.
    """
    ctx.notifiers = {}
    ctx.wake_outbox = None
    if name == "outbox":
        with ctx.db.write() as session:
            due = outbox.claim_due(
                session, now=now, worker="dry-run", lease=timedelta(minutes=1), limit=10_000
            )
            return {"due": len(due)}, [preview(r) for r in due]
    with ctx.db.read() as session:
        last = session.scalar(select(func.max(OutboxMessage.id))) or 0
    result = await run_job(name, ctx, now=now)
    with ctx.db.read() as session:
        query = select(OutboxMessage).where(OutboxMessage.id > last).order_by(OutboxMessage.id)
        return result, [preview(r) for r in session.scalars(query)]


def render(name: str, now: datetime, previews: list[Preview]) -> list[str]:
    """What ``--dry-run`` prints: every message the run would send, its first lines."""
    out = [f"Dry run of {name} at {now.isoformat()}: nothing was written or sent."]
    if not previews:
        out.append("It would send nothing.")
        return out
    out.append(f"It would send {len(previews)} message(s):")
    for n, p in enumerate(previews, start=1):
        what = f"{p.channel} edit" if p.edit else p.channel
        due = p.due_at.isoformat(timespec="minutes")
        out.append(f"{n}. {what} to {p.recipient} (due {due}, key {p.key})")
        if p.subject is not None:
            out.append(f"   Subject: {p.subject}")
        out += [f"   | {line}" for line in p.lines]
        if p.more:
            out.append(f"   | … {p.more} more line(s)")
        if p.buttons:
            out.append("   buttons: " + " · ".join(p.buttons))
    return out
