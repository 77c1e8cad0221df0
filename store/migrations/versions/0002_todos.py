"""Reserved for the to-do agent's schema changes (empty when it needed none).

Revision ID: 0002
Revises: 0001

Agents land in parallel; fixed revision numbers keep the migration chain linear.
"""

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
