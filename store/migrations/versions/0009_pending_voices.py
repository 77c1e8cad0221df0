"""Voice notes kept for 🔁 Try again: the Telegram file id of a note that failed to transcribe.

Revision ID: 0009
Revises: 0008

One row per failed note, owner-scoped, deleted once the note is transcribed.
"""

import sqlalchemy as sa
from alembic import op

import store.types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending_voices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.String(length=256), nullable=False),
        sa.Column("duration", sa.Integer(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", store.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["owners.id"],
            name=op.f("fk_pending_voices_owner_id_owners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_voices")),
    )
    op.create_index(
        op.f("ix_pending_voices_owner_id"), "pending_voices", ["owner_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_pending_voices_owner_id"), table_name="pending_voices")
    op.drop_table("pending_voices")
