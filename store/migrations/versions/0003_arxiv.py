"""Reserved for the arXiv agent's schema changes (empty when it needed none).

Revision ID: 0003
Revises: 0002

Agents land in parallel; fixed revision numbers keep the migration chain linear.
"""

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
