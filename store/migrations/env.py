"""Alembic environment: always run against the connection errands hands over."""

from __future__ import annotations

from alembic import context

# imported for their tables: they join Base.metadata beside store.models'
import store.calendar_models
import store.rate_limits  # noqa: F401
from store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - errands always passes one
    raise RuntimeError("run migrations through store.migrate, not the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    transaction_per_migration=True,
)
with context.begin_transaction():
    context.run_migrations()
