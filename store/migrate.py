"""Apply the schema with Alembic, from code (on start and by ``errands db upgrade``)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

MIGRATIONS = Path(__file__).with_name("migrations")
# pg_advisory_xact_lock key for "migrating" ("errmigr" in ASCII), distinct from the write lock.
MIGRATE_LOCK_KEY = 0x6572726D_696772


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str | None:
    """The newest migration errands ships."""
    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at (None when it was never migrated)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> str | None:
    """Bring the database to ``revision``; a no-op when it is already there.

    On PostgreSQL several instances may start at once: the first to take an advisory lock
    migrates (DDL is transactional there, so the lock covers all of it) and the others then find
    the schema at head. SQLite needs nothing: one process per file, and Alembic's write waits.
    """
    config = _config()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATE_LOCK_KEY})
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    return current_revision(engine)


def autogenerate(engine: Engine, message: str) -> None:
    """Developer helper: write a new migration from the models' diff."""
    config = _config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.revision(config, message=message, autogenerate=True)
