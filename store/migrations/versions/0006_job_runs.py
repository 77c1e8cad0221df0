"""Job runs: each scheduled job's last outcome and failure streak (and the arXiv fetch's).

Revision ID: 0006
Revises: 0005

One row per job id, updated by every run, so /status can show what failed, when and how many
times in a row, and the owner is told once per failure streak.
"""

import sqlalchemy as sa
from alembic import op

import store.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "job_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("job", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("started_at", store.types.UTCDateTime(), nullable=False),
        sa.Column("finished_at", store.types.UTCDateTime(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("error", sa.String(length=300), nullable=True),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("failing_since", store.types.UTCDateTime(), nullable=True),
        sa.Column("last_ok_at", store.types.UTCDateTime(), nullable=True),
        sa.Column("notified", sa.Boolean(), nullable=False),
        sa.CheckConstraint("kind IN ('job', 'fetch')", name=op.f("ck_job_runs_kind")),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["owners.id"],
            name=op.f("fk_job_runs_owner_id_owners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_runs")),
        sa.UniqueConstraint("key", name=op.f("uq_job_runs_key")),
    )


def downgrade() -> None:
    op.drop_table("job_runs")
