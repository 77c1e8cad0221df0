"""Where a bench keeps its store: temporary SQLite files, or fresh databases on a PostgreSQL server.

``--database-url`` names a *server*, never a database to write into: a bench enqueues thousands
of rows and books hundreds of slots, which must not land in anyone's real data. So on PostgreSQL
every part of a run gets its own new database, ``errands_bench_<random>_<part>``, created through
the URL's database (any one the role may connect to) and migrated to head; all of them are
dropped at the end unless ``keep``. Without a URL each part gets a SQLite file in the bench's
temporary work dir, as before.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from store.db import DRIVER_HINT, Database, normalize_url
from store.errors import ConfigError, InvalidInput, StoreUnavailable
from store.migrate import upgrade

PREFIX = "errands_bench_"
EXAMPLE = "postgresql+psycopg://user:password@host:5432/postgres"


def server_url(raw: str) -> URL:
    """The PostgreSQL server ``raw`` points at; ``InvalidInput`` (never echoing a password)
    unless it is one."""
    try:
        url = make_url(normalize_url(raw.strip()))
    except (ArgumentError, ValueError):
        raise InvalidInput(f"not a database URL (e.g. {EXAMPLE})") from None
    if url.get_backend_name() != "postgresql":
        raise InvalidInput(
            f"{url.get_backend_name()!r} is not a PostgreSQL URL (e.g. {EXAMPLE}): the bench "
            "creates its own databases on that server; leave the flag out to run on a "
            "temporary SQLite file"
        )
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    if url.drivername != "postgresql+psycopg":
        raise InvalidInput(f"use the psycopg driver (e.g. {EXAMPLE}), not {url.drivername!r}")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise ConfigError(DRIVER_HINT) from None
    return url


def masked(url: URL) -> str:
    """The server part of ``url`` for a report: password as ``***``, no database."""
    return url._replace(database=None).render_as_string(hide_password=True)


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    lines = str(orig).strip().splitlines()
    return lines[0] if lines else type(orig).__name__


class BenchStores:
    """Fresh, migrated databases for the parts of one bench run (``fresh``), cleaned up on exit."""

    def __init__(self, server: URL | None, workdir: Path, *, keep: bool = False) -> None:
        self.server, self.workdir, self.keep = server, workdir, keep
        self.engine = "postgresql" if server is not None else "sqlite"
        self.run_name = f"{PREFIX}{secrets.token_hex(4)}"
        self.created: list[str] = []  # every database this run made, in order
        self._dropped = False
        self.version = ""

    def __enter__(self) -> BenchStores:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _admin(self) -> Any:
        assert self.server is not None
        return create_engine(self.server, isolation_level="AUTOCOMMIT", pool_pre_ping=True)

    def url_of(self, part: str) -> str:
        if self.server is None:
            return f"sqlite:///{self.workdir / part / 'errands.db'}"
        name = f"{self.run_name}_{part.replace('-', '_')}"
        return self.server.set(database=name).render_as_string(hide_password=False)

    def fresh(self, part: str) -> str:
        """The URL of a new database at the migrations' head for ``part`` (a short word)."""
        url = self.url_of(part)
        if self.server is None:
            (self.workdir / part).mkdir(parents=True, exist_ok=True)
        else:
            name = make_url(url).database
            admin = self._admin()
            try:
                with admin.connect() as conn:
                    conn.execute(text(f'CREATE DATABASE "{name}"'))
            except DBAPIError as exc:
                raise StoreUnavailable(
                    f"cannot create the bench database {name} on {masked(self.server)} "
                    f"(the role needs CREATEDB): {_first_line(exc)}"
                ) from None
            finally:
                admin.dispose()
            assert name is not None
            self.created.append(name)
        db = Database.from_url(url)
        try:
            upgrade(db.engine)
            if not self.version:
                self.version = _version(db)
        finally:
            db.dispose()
        return url

    def check(self) -> None:
        """Reach the server now, so a wrong host or password is one line before any work."""
        if self.server is None:
            return
        admin = self._admin()
        try:
            with admin.connect() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError as exc:
            raise StoreUnavailable(
                f"cannot reach PostgreSQL at {masked(self.server)}: {_first_line(exc)}"
            ) from None
        finally:
            admin.dispose()

    def close(self) -> None:
        """Drop every database this run created (even with connections left), unless ``keep``."""
        if self.keep or self._dropped or not self.created:
            return
        admin = self._admin()
        try:
            with admin.connect() as conn:
                for name in self.created:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        finally:
            admin.dispose()
        self._dropped = True

    def describe(self) -> dict[str, Any]:
        """What the report says about the store: engine, version, server (masked), databases."""
        databases = list(self.created)
        return {
            "engine": self.engine,
            "engine_version": self.version,
            "server": masked(self.server) if self.server is not None else None,
            "databases": databases,
            "kept": self.keep and bool(databases),
        }


def _version(db: Database) -> str:
    with db.read() as session:
        if db.is_sqlite:
            return f"SQLite {session.scalar(text('SELECT sqlite_version()'))}"
        return "PostgreSQL " + str(session.scalar(text("SHOW server_version"))).split()[0]
