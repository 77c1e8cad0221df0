"""Meetings: a database-level guard against overlapping active bookings.

Revision ID: 0004
Revises: 0003

SQLite has no exclusion constraints, so two triggers refuse any insert or update that would
leave two pending/accepted bookings of one owner overlapping in time. The application checks
(with buffers) first, inside BEGIN IMMEDIATE; this is the net under it.
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_CLASH = """
    NEW.status IN ('pending', 'accepted') AND EXISTS (
        SELECT 1 FROM bookings AS b
        WHERE b.owner_id = NEW.owner_id AND b.id IS NOT NEW.id
          AND b.status IN ('pending', 'accepted')
          AND b.start_at < NEW.end_at AND NEW.start_at < b.end_at)
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        f"CREATE TRIGGER bookings_no_overlap_insert BEFORE INSERT ON bookings WHEN {_CLASH} "
        "BEGIN SELECT RAISE(ABORT, 'booking overlaps an active booking'); END"
    )
    op.execute(
        "CREATE TRIGGER bookings_no_overlap_update "
        f"BEFORE UPDATE OF status, start_at, end_at ON bookings WHEN {_CLASH} "
        "BEGIN SELECT RAISE(ABORT, 'booking overlaps an active booking'); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TRIGGER IF EXISTS bookings_no_overlap_insert")
    op.execute("DROP TRIGGER IF EXISTS bookings_no_overlap_update")
