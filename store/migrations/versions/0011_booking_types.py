"""Meeting types and guest move requests on bookings (#16).

Revision ID: 0011
Revises: 0010

``meeting_type`` names the owner's meeting type a booking was made for ('' = the default
type); ``proposed_start_at``/``proposed_end_at`` hold a guest's move request waiting for the
owner (the meeting stays at its time until then); ``offer_starts`` are the free times the
owner's "Offer other times" picker showed, so a tap names the same slot it showed.
Plain ``ADD COLUMN``s: no table rebuild, so the overlap triggers of 0004 stay.
"""

import sqlalchemy as sa
from alembic import op

import store.types

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "bookings",
        sa.Column("meeting_type", sa.String(length=32), nullable=False, server_default=""),
    )
    op.add_column("bookings", sa.Column("proposed_start_at", store.types.UTCDateTime()))
    op.add_column("bookings", sa.Column("proposed_end_at", store.types.UTCDateTime()))
    op.add_column("bookings", sa.Column("offer_starts", sa.JSON()))


def downgrade() -> None:
    for column in ("offer_starts", "proposed_end_at", "proposed_start_at", "meeting_type"):
        op.drop_column("bookings", column)
