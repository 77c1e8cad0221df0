"""Request counts per client address in one-minute windows (``store.rate_limits``).

Revision ID: 0013
Revises: 0012

The booking page's per-minute limit was counted in each process; in the store it holds across
every instance on one database. Primary key (key, window_start): a hit is one upsert.
"""

import sqlalchemy as sa
from alembic import op

import store.types

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_hits",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("window_start", store.types.UTCDateTime(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", "window_start", name=op.f("pk_rate_hits")),
    )
    op.create_index("ix_rate_hits_window_start", "rate_hits", ["window_start"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_rate_hits_window_start", table_name="rate_hits")
    op.drop_table("rate_hits")
