"""Bookings keep their gap; the database refuses overlapping active bookings on both engines.

Revision ID: 0012
Revises: 0011

``gap_minutes`` is the owner's ``buffer_before + buffer_after`` when the booking was written
(rows from before this migration get 0). A booking occupies ``[start_at, end_at + gap)``: two
meetings conflict iff the later one starts less than the earlier one's gap after it ends, and
meetings exactly a gap apart may touch.

PostgreSQL: an exclusion constraint (``btree_gist`` for ``owner_id WITH =``; a trusted extension
since PostgreSQL 13, so the database's owner may create it) over
``tsrange(start_at, end_at + gap)`` of pending/accepted bookings. The columns are naive UTC
timestamps (``store.types.UTCDateTime``), so ``tsrange`` on them is ``tstzrange`` on UTC, and
unlike the latter it is immutable, as an index expression must be. A database that already
holds overlapping active bookings (written before this guard existed) is named row by row
rather than failing on a bare constraint error.

SQLite: 0004's triggers are replaced by ones that add each row's gap the same way, comparing
whole seconds (``strftime('%s', …)`` parses the stored ``YYYY-MM-DD HH:MM:SS.ffffff`` text), so
meetings exactly a gap apart are not a clash. Downgrade restores 0004's triggers.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

CONSTRAINT = "bookings_no_overlap"
_TRIGGERS = ("bookings_no_overlap_insert", "bookings_no_overlap_update")
_RAISE = "BEGIN SELECT RAISE(ABORT, 'booking overlaps an active booking'); END"


def _secs(column: str) -> str:
    return f"CAST(strftime('%s', {column}) AS INTEGER)"


_CLASH_WITH_GAP = f"""
    NEW.status IN ('pending', 'accepted') AND EXISTS (
        SELECT 1 FROM bookings AS b
        WHERE b.owner_id = NEW.owner_id AND b.id IS NOT NEW.id
          AND b.status IN ('pending', 'accepted')
          AND {_secs("b.start_at")} < {_secs("NEW.end_at")} + NEW.gap_minutes * 60
          AND {_secs("NEW.start_at")} < {_secs("b.end_at")} + b.gap_minutes * 60)
"""

# 0004's condition, for the downgrade.
_CLASH_0004 = """
    NEW.status IN ('pending', 'accepted') AND EXISTS (
        SELECT 1 FROM bookings AS b
        WHERE b.owner_id = NEW.owner_id AND b.id IS NOT NEW.id
          AND b.status IN ('pending', 'accepted')
          AND b.start_at < NEW.end_at AND NEW.start_at < b.end_at)
"""


def _sqlite_triggers(clash: str, update_columns: str) -> None:
    for name in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute(f"CREATE TRIGGER {_TRIGGERS[0]} BEFORE INSERT ON bookings WHEN {clash} {_RAISE}")
    op.execute(
        f"CREATE TRIGGER {_TRIGGERS[1]} BEFORE UPDATE OF {update_columns} ON bookings "
        f"WHEN {clash} {_RAISE}"
    )


_OVERLAPS = """
    SELECT a.id, b.id FROM bookings a JOIN bookings b
      ON a.owner_id = b.owner_id AND a.id < b.id
     AND a.start_at < b.end_at AND b.start_at < a.end_at
    WHERE a.status IN ('pending', 'accepted') AND b.status IN ('pending', 'accepted')
    ORDER BY a.id, b.id LIMIT 20
"""


def _refuse_existing_overlaps() -> None:
    pairs = op.get_bind().execute(sa.text(_OVERLAPS)).all()
    if pairs:
        named = ", ".join(f"#{a} and #{b}" for a, b in pairs)
        raise RuntimeError(
            f"Active bookings overlap ({named}): cancel or decline one of each pair, "
            "then upgrade again."
        )


def upgrade() -> None:
    op.add_column(
        "bookings", sa.Column("gap_minutes", sa.Integer(), nullable=False, server_default="0")
    )
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_triggers(_CLASH_WITH_GAP, "status, start_at, end_at, gap_minutes")
        return
    _refuse_existing_overlaps()
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.execute(
        f"ALTER TABLE bookings ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist ("
        "owner_id WITH =, "
        "tsrange(start_at, end_at + gap_minutes * interval '1 minute') WITH &&"
        ") WHERE (status IN ('pending', 'accepted'))"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in _TRIGGERS:  # they name gap_minutes: drop them before the column
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.drop_column("bookings", "gap_minutes")
        _sqlite_triggers(_CLASH_0004, "status, start_at, end_at")
        return
    op.execute(f"ALTER TABLE bookings DROP CONSTRAINT IF EXISTS {CONSTRAINT}")
    op.drop_column("bookings", "gap_minutes")
