"""A real PostgreSQL for the tests: the one ``ERRANDS_TEST_DATABASE_URL`` names, or a throwaway
cluster started from Debian's ``initdb``/``pg_ctl`` in a temp dir (as the ``postgres`` user
when the tests run as root, which PostgreSQL refuses to run as).

Each test gets a fresh database copied from a template migrated once per session
(``CREATE DATABASE … TEMPLATE``, ~50 ms), so tests never see each other's rows.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from store.db import Database
from store.migrate import upgrade

ENV_URL = "ERRANDS_TEST_DATABASE_URL"
REQUIRE = "ERRANDS_REQUIRE_POSTGRES"


class PostgresMissing(Exception):
    """No PostgreSQL to test against; the message names what is missing."""


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Cluster:
    """A server the tests may create databases on (``admin_url`` is a superuser URL)."""

    admin_url: str
    stop_cmd: list[str] | None = None
    template: str | None = None
    created: list[str] = field(default_factory=list)

    def _admin(self):  # type: ignore[no-untyped-def]
        return create_engine(self.admin_url, isolation_level="AUTOCOMMIT")

    def url_for(self, name: str) -> str:
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def fresh_database(self) -> str:
        """A new database at the migrations' head; returns its URL."""
        if self.template is None:
            self.template = f"errands_tpl_{uuid.uuid4().hex[:8]}"
            engine = self._admin()
            with engine.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{self.template}"'))
            engine.dispose()
            database = Database.from_url(self.url_for(self.template))
            upgrade(database.engine)
            database.dispose()
        name = f"errands_t_{uuid.uuid4().hex[:12]}"
        engine = self._admin()
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'))
        engine.dispose()
        self.created.append(name)
        return self.url_for(name)

    def empty_database(self) -> str:
        """A new database with no schema at all; returns its URL."""
        name = f"errands_e_{uuid.uuid4().hex[:12]}"
        engine = self._admin()
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        return self.url_for(name)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        engine = self._admin()
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()

    def close(self) -> None:
        if self.template is not None:
            self.drop(self.url_for(self.template))
        if self.stop_cmd is not None:
            subprocess.run(self.stop_cmd, check=False, capture_output=True)


def _as_postgres(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


@contextmanager
def cluster() -> Iterator[Cluster]:
    """The configured server, or a throwaway one in a temp dir; ``PostgresMissing`` when neither.

    The temp dir is made here, not under pytest's (mode 700, root's), so the ``postgres`` user
    can reach it."""
    url = os.environ.get(ENV_URL, "").strip()
    if url:
        found = Cluster(admin_url=url)
        try:
            yield found
        finally:
            found.close()
        return
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if initdb is None or pg_ctl is None:
        raise PostgresMissing(
            f"PostgreSQL is not installed (no initdb/pg_ctl) and {ENV_URL} is not set: "
            "install Debian's postgresql or point the variable at a server"
        )
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError as exc:
            raise PostgresMissing("running as root but there is no 'postgres' user") from exc
    tmp = Path(tempfile.mkdtemp(prefix="errands-pg-"))
    if os.geteuid() == 0:
        shutil.chown(tmp, user="postgres")
    data = tmp / "data"
    port = _free_port()
    subprocess.run(
        _as_postgres([initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8"]),
        check=True,
        capture_output=True,
    )
    options = (
        f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
    )
    start = [pg_ctl, "-D", str(data), "-o", options, "-l", str(tmp / "log"), "-w", "start"]
    subprocess.run(
        _as_postgres(start),
        check=True,
        capture_output=True,
    )
    found = Cluster(
        admin_url=f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres",
        stop_cmd=_as_postgres([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]),
    )
    try:
        yield found
    finally:
        found.close()
        shutil.rmtree(tmp, ignore_errors=True)
