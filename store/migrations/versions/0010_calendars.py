"""Owner calendars (#16): outside calendars, their cached busy times, bookings written to them.

Revision ID: 0010
Revises: 0009

``calendars`` (CalDAV or an iCalendar subscription URL; a password's env var name, never the
password), ``calendar_busy`` (the last good copy's expanded busy intervals) and
``calendar_writes`` (which SEQUENCE of a booking is on a CalDAV server).
"""

import sqlalchemy as sa
from alembic import op

import store.types

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendars",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("username", sa.String(length=200), nullable=False),
        sa.Column("password_env", sa.String(length=100), nullable=False),
        sa.Column("state", sa.String(length=300), nullable=True),
        sa.Column("covered_until", store.types.UTCDateTime(), nullable=True),
        sa.Column("last_attempt_at", store.types.UTCDateTime(), nullable=True),
        sa.Column("last_ok_at", store.types.UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("failing_since", store.types.UTCDateTime(), nullable=True),
        sa.Column("busy_count", sa.Integer(), nullable=False),
        sa.Column("created_at", store.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('caldav', 'ics')", name=op.f("ck_calendars_kind")),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["owners.id"],
            name=op.f("fk_calendars_owner_id_owners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendars")),
        sa.UniqueConstraint("owner_id", "url", name="owner_url"),
    )
    op.create_index(op.f("ix_calendars_owner_id"), "calendars", ["owner_id"], unique=False)
    op.create_table(
        "calendar_busy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("calendar_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("start_at", store.types.UTCDateTime(), nullable=False),
        sa.Column("end_at", store.types.UTCDateTime(), nullable=False),
        sa.Column("uid", sa.String(length=300), nullable=False),
        sa.Column("all_day", sa.Boolean(), nullable=False),
        sa.CheckConstraint("end_at > start_at", name=op.f("ck_calendar_busy_span")),
        sa.ForeignKeyConstraint(
            ["calendar_id"],
            ["calendars.id"],
            name=op.f("fk_calendar_busy_calendar_id_calendars"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["owners.id"],
            name=op.f("fk_calendar_busy_owner_id_owners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_busy")),
    )
    op.create_index(
        op.f("ix_calendar_busy_calendar_id"), "calendar_busy", ["calendar_id"], unique=False
    )
    op.create_index(
        "ix_calendar_busy_owner_start", "calendar_busy", ["owner_id", "start_at"], unique=False
    )
    op.create_table(
        "calendar_writes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("calendar_id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=200), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("updated_at", store.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "state IN ('written', 'deleted')", name=op.f("ck_calendar_writes_state")
        ),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["bookings.id"],
            name=op.f("fk_calendar_writes_booking_id_bookings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["calendar_id"],
            ["calendars.id"],
            name=op.f("fk_calendar_writes_calendar_id_calendars"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_writes")),
        sa.UniqueConstraint("calendar_id", "booking_id", name="calendar_booking"),
    )
    op.create_index(
        op.f("ix_calendar_writes_booking_id"), "calendar_writes", ["booking_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_calendar_writes_booking_id"), table_name="calendar_writes")
    op.drop_table("calendar_writes")
    op.drop_index("ix_calendar_busy_owner_start", table_name="calendar_busy")
    op.drop_index(op.f("ix_calendar_busy_calendar_id"), table_name="calendar_busy")
    op.drop_table("calendar_busy")
    op.drop_index(op.f("ix_calendars_owner_id"), table_name="calendars")
    op.drop_table("calendars")
