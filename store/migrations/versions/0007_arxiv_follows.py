"""arXiv: follows and mutes per owner, and which version of a paper each owner was shown.

Revision ID: 0007
Revises: 0006

``arxiv_follows`` holds pins (followed authors and keywords) and muted keywords;
``paper_seen`` records the version shown, so only a new version of a liked paper comes back.
Papers already shown are backfilled at their current version (no spurious "v2" notices).
"""

import sqlalchemy as sa
from alembic import op

import store.types

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "arxiv_follows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("norm", sa.String(length=200), nullable=False),
        sa.Column("created_at", store.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('author', 'keyword')", name=op.f("ck_arxiv_follows_kind")),
        sa.CheckConstraint("mode IN ('follow', 'mute')", name=op.f("ck_arxiv_follows_mode")),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["owners.id"],
            name=op.f("fk_arxiv_follows_owner_id_owners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_arxiv_follows")),
        sa.UniqueConstraint("owner_id", "kind", "mode", "norm", name="uq_arxiv_follows_owner_norm"),
    )
    op.create_table(
        "paper_seen",
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("paper_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("shown_on", sa.Date(), nullable=True),
        sa.Column("created_at", store.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["owners.id"],
            name=op.f("fk_paper_seen_owner_id_owners"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["paper_id"],
            ["papers.id"],
            name=op.f("fk_paper_seen_paper_id_papers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("owner_id", "paper_id", "version", name=op.f("pk_paper_seen")),
    )
    op.execute(
        "INSERT INTO paper_seen (owner_id, paper_id, version, shown_on, created_at) "
        "SELECT e.owner_id, e.paper_id, p.version, MIN(e.digest_date), MIN(e.created_at) "
        "FROM paper_events e JOIN papers p ON p.id = e.paper_id "
        "WHERE e.kind = 'shown' GROUP BY e.owner_id, e.paper_id, p.version"
    )


def downgrade() -> None:
    op.drop_table("paper_seen")
    op.drop_table("arxiv_follows")
