"""The whole product's schema, designed up front so agents add behaviour, not migrations.

Every timestamp is a ``UTCDateTime`` (aware in Python, UTC on disk). Local meaning (an owner's
zone, the zone a to-do was set in) is stored beside it as an IANA name.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from store.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


# ---------------------------------------------------------------- owners


class Owner(Base):
    """A person errands works for: a Telegram chat, a zone, a booking page."""

    __tablename__ = "owners"

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    preferences: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]


# ---------------------------------------------------------------- arXiv


class Paper(Base):
    """An arXiv paper, keyed by its id without version (``2501.01234``)."""

    __tablename__ = "papers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    title: Mapped[str] = mapped_column(Text)
    abstract: Mapped[str] = mapped_column(Text, default="")
    authors: Mapped[list[Any]] = mapped_column(default=list)
    categories: Mapped[list[Any]] = mapped_column(default=list)
    primary_category: Mapped[str] = mapped_column(String(32), default="")
    published_at: Mapped[datetime | None]
    updated_at: Mapped[datetime | None]
    announced_on: Mapped[date | None] = mapped_column(Date, index=True)
    announce_type: Mapped[str] = mapped_column(String(16), default="new")
    fetched_at: Mapped[datetime]


class PaperEvent(Base):
    """One thing that happened between an owner and a paper: shown, liked or disliked."""

    __tablename__ = "paper_events"
    __table_args__ = (
        CheckConstraint("kind IN ('shown', 'liked', 'disliked', 'seeded')", name="kind"),
        Index("ix_paper_events_owner_paper", "owner_id", "paper_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"))
    paper_id: Mapped[str] = mapped_column(ForeignKey("papers.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    digest_date: Mapped[date | None] = mapped_column(Date)
    rank: Mapped[int | None]
    created_at: Mapped[datetime]


class RecommenderModel(Base):
    """A persisted, versioned per-owner ranking model; exactly one version is active."""

    __tablename__ = "recommender_models"
    __table_args__ = (UniqueConstraint("owner_id", "version", name="owner_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"))
    version: Mapped[int]
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    blob: Mapped[bytes] = mapped_column(LargeBinary)
    metrics: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]


class PaperEmbedding(Base):
    """A paper's dense embedding from one embedding model: float32 bytes, computed once."""

    __tablename__ = "paper_embeddings"

    paper_id: Mapped[str] = mapped_column(
        ForeignKey("papers.id", ondelete="CASCADE"), primary_key=True
    )
    model: Mapped[str] = mapped_column(String(200), primary_key=True)
    dim: Mapped[int]
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]


class ReadingItem(Base):
    """A paper on an owner's reading list: the 'Read: …' to-do it made, and when it was read.

    One row per owner and paper (a second 📖 reuses it); ``read_at`` is set once, when the
    to-do is completed and the paper counted as a like.
    """

    __tablename__ = "reading_list"
    __table_args__ = (UniqueConstraint("owner_id", "paper_id", name="uq_reading_list_owner_paper"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"))
    paper_id: Mapped[str] = mapped_column(ForeignKey("papers.id", ondelete="CASCADE"))
    todo_id: Mapped[int | None] = mapped_column(
        ForeignKey("todos.id", ondelete="SET NULL"), index=True
    )
    saved_at: Mapped[datetime]
    read_at: Mapped[datetime | None]


# ---------------------------------------------------------------- to-dos


class Todo(Base):
    """A task; ``due_at`` is UTC and ``timezone`` the zone it was set in (for recurrence)."""

    __tablename__ = "todos"
    __table_args__ = (
        CheckConstraint("priority BETWEEN 1 AND 4", name="priority"),
        CheckConstraint("status IN ('open', 'done', 'deleted')", name="status"),
        Index("ix_todos_owner_status_due", "owner_id", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(500))
    notes: Mapped[str] = mapped_column(Text, default="")
    due_at: Mapped[datetime | None]
    all_day: Mapped[bool] = mapped_column(Boolean, default=False)
    timezone: Mapped[str] = mapped_column(String(64))
    rrule: Mapped[str | None] = mapped_column(String(500))
    repeat_from_completion: Mapped[bool] = mapped_column(Boolean, default=False)
    priority: Mapped[int] = mapped_column(default=4)
    nag: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="open")
    snoozed_until: Mapped[datetime | None]
    last_reminded_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


# ---------------------------------------------------------------- meetings


class AvailabilityRule(Base):
    """A weekly window in the owner's zone (weekday 0 = Monday)."""

    __tablename__ = "availability_rules"
    __table_args__ = (CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int]
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)


class AvailabilityOverride(Base):
    """A dated exception: a day off (no times) or extra hours on that date."""

    __tablename__ = "availability_overrides"
    __table_args__ = (CheckConstraint("kind IN ('off', 'extra', 'block')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"), index=True)
    on_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(8))
    start_time: Mapped[time | None] = mapped_column(Time)
    end_time: Mapped[time | None] = mapped_column(Time)
    note: Mapped[str] = mapped_column(String(200), default="")


class Booking(Base):
    """A guest's meeting request and its life: pending -> accepted/declined/expired/cancelled."""

    __tablename__ = "bookings"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'accepted', 'declined', 'cancelled', 'expired')", name="status"
        ),
        CheckConstraint("end_at > start_at", name="span"),
        Index("ix_bookings_owner_status_start", "owner_id", "status", "start_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"))
    guest_name: Mapped[str] = mapped_column(String(200))
    guest_email: Mapped[str] = mapped_column(String(320), index=True)
    guest_timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    topic: Mapped[str] = mapped_column(Text, default="")
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="pending")
    expires_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    manage_token: Mapped[str] = mapped_column(String(64), unique=True)
    ical_uid: Mapped[str] = mapped_column(String(200), unique=True)
    sequence: Mapped[int] = mapped_column(default=0)
    client_ip: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime]
    meeting_type: Mapped[str] = mapped_column(String(32), default="", server_default="")
    proposed_start_at: Mapped[datetime | None]
    proposed_end_at: Mapped[datetime | None]
    offer_starts: Mapped[list[Any] | None]
    # buffer_before + buffer_after when written: the row holds [start_at, end_at + gap) (0012)
    gap_minutes: Mapped[int] = mapped_column(default=0, server_default="0")


# ---------------------------------------------------------------- delivery


class OutboxMessage(Base):
    """A message to deliver once: the only way errands talks to the outside world.

    ``idempotency_key`` makes enqueueing safe to repeat; ``claimed_until`` lets one dispatcher
    own a row for a while, so a crashed claim is retried rather than lost.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint("channel IN ('telegram', 'email')", name="channel"),
        CheckConstraint("status IN ('pending', 'sent', 'failed')", name="status"),
        Index("ix_outbox_status_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(String(320))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    due_at: Mapped[datetime]
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    claimed_until: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime | None]
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]


class JobRun(Base):
    """The last run of one scheduled job (or of the arXiv fetch) and its failure streak.

    One row per ``key`` (the scheduler's job id, e.g. ``arxiv-digest:1``), updated by every
    run: a job that runs every two seconds must not grow a table. ``failures`` counts failed
    runs in a row since ``failing_since``; ``notified`` says the owner was told of this streak.
    """

    __tablename__ = "job_runs"
    __table_args__ = (CheckConstraint("kind IN ('job', 'fetch')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    job: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(8), default="job")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime]
    ok: Mapped[bool] = mapped_column(Boolean)
    error: Mapped[str | None] = mapped_column(String(300))
    runs: Mapped[int] = mapped_column(default=0)
    failures: Mapped[int] = mapped_column(default=0)
    failing_since: Mapped[datetime | None]
    last_ok_at: Mapped[datetime | None]
    notified: Mapped[bool] = mapped_column(Boolean, default=False)


class LLMCall(Base):
    """One call to a language model, kept so latency and failures can be seen later."""

    __tablename__ = "llm_calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(index=True)
    backend: Mapped[str] = mapped_column(String(64))
    model: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(String(64))
    latency_ms: Mapped[float] = mapped_column(Float)
    prompt_tokens: Mapped[int | None] = mapped_column(Integer)
    completion_tokens: Mapped[int | None] = mapped_column(Integer)
    ok: Mapped[bool] = mapped_column(Boolean)
    error: Mapped[str | None] = mapped_column(Text)


# ---------------------------------------------------------------- arXiv follows and seen versions


class ArxivFollow(Base):
    """An owner's pin or mute: follow an author or a keyword, or mute a keyword.

    ``norm`` is the matching form (``agents.arxiv.follows``), unique per owner, kind and mode,
    so following the same name twice is one row.
    """

    __tablename__ = "arxiv_follows"
    __table_args__ = (
        CheckConstraint("kind IN ('author', 'keyword')", name="kind"),
        CheckConstraint("mode IN ('follow', 'mute')", name="mode"),
        UniqueConstraint("owner_id", "kind", "mode", "norm", name="uq_arxiv_follows_owner_norm"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    mode: Mapped[str] = mapped_column(String(8))
    value: Mapped[str] = mapped_column(String(200))
    norm: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]


class PaperSeen(Base):
    """Which version of a paper an owner was shown (one row per owner, paper and version).

    'shown' events say a paper (by base id) was in a digest; this says which version, so a new
    version of a liked paper can be shown once, and any other re-announcement never.
    """

    __tablename__ = "paper_seen"

    owner_id: Mapped[int] = mapped_column(
        ForeignKey("owners.id", ondelete="CASCADE"), primary_key=True
    )
    paper_id: Mapped[str] = mapped_column(
        ForeignKey("papers.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    shown_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime]


# ---------------------------------------------------------------- voice notes


class PendingVoice(Base):
    """A voice note that could not be transcribed yet: Telegram's file id, so 🔁 Try again
    fetches the same audio again once the speech-to-text server is back. Deleted when it is
    transcribed."""

    __tablename__ = "pending_voices"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"), index=True)
    file_id: Mapped[str] = mapped_column(String(256))
    duration: Mapped[int | None]
    size: Mapped[int | None]
    reason: Mapped[str] = mapped_column(String(300), default="")
    attempts: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime]

