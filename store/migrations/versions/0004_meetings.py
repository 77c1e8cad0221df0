"""Reserved for the meeting agent's schema changes (empty when it needed none).

Revision ID: 0004
Revises: 0003

Agents land in parallel; fixed revision numbers keep the migration chain linear.
"""

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
