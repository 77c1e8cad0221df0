"""Instances started at once on one PostgreSQL database migrate it once, without a DDL race."""

from __future__ import annotations

import threading

import pytest

from store.db import Database
from store.migrate import current_revision, head_revision, upgrade
from tests.postgres import Cluster

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_four_instances_upgrading_at_once_all_reach_head(pg_cluster: Cluster) -> None:
    url = pg_cluster.empty_database()
    databases = [Database.from_url(url) for _ in range(4)]
    results: list[str | None] = []
    errors: list[BaseException] = []
    start = threading.Barrier(len(databases))

    def migrate(database: Database) -> None:
        start.wait()
        try:
            results.append(upgrade(database.engine))
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=migrate, args=(d,)) for d in databases]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert errors == []
        assert results == [head_revision()] * 4
        assert current_revision(databases[0].engine) == head_revision()
    finally:
        for database in databases:
            database.dispose()
        pg_cluster.drop(url)
