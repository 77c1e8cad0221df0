"""Reading list: a paper saved with 📖, the 'Read: …' to-do it made, and when it was read.

Revision ID: 0008
Revises: 0007

One row per owner and paper; ``todo_id`` is the to-do (NULL once that row is gone) and
``read_at`` is set once, when completing the to-do counted the paper as a like.
"""

import sqlalchemy as sa
from alembic import op

import store.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reading_list",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("paper_id", sa.String(length=64), nullable=False),
        sa.Column("todo_id", sa.Integer(), nullable=True),
        sa.Column("saved_at", store.types.UTCDateTime(), nullable=False),
        sa.Column("read_at", store.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["owners.id"],
            name=op.f("fk_reading_list_owner_id_owners"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["paper_id"],
            ["papers.id"],
            name=op.f("fk_reading_list_paper_id_papers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["todo_id"],
            ["todos.id"],
            name=op.f("fk_reading_list_todo_id_todos"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reading_list")),
        sa.UniqueConstraint("owner_id", "paper_id", name="uq_reading_list_owner_paper"),
    )
    op.create_index(op.f("ix_reading_list_todo_id"), "reading_list", ["todo_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_reading_list_todo_id"), table_name="reading_list")
    op.drop_table("reading_list")
