"""Rate-limit counters in the store: one upsert per hit, exact under concurrency, pruned."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store import rate_limits
from store.db import Database
from store.rate_limits import RateHit

NOW = datetime(2026, 3, 2, 9, 0, 30, tzinfo=UTC)


def _hit(db: Database, key: str, now: datetime = NOW) -> int:
    with db.write() as session:
        return rate_limits.hit(session, key=key, now=now)


def test_hits_count_per_key_and_window(db: Database) -> None:
    assert [_hit(db, "book:10.0.0.1") for _ in range(3)] == [1, 2, 3]
    assert _hit(db, "book:10.0.0.2") == 1  # another address, its own count
    assert _hit(db, "book:10.0.0.1", NOW + timedelta(seconds=29)) == 4  # 09:00:59, same minute
    assert _hit(db, "book:10.0.0.1", NOW + timedelta(seconds=30)) == 1  # 09:01:00, a new one
    with db.read() as session:
        starts = session.scalars(select(RateHit.window_start).order_by(RateHit.window_start))
        assert sorted(set(starts)) == [
            datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
            datetime(2026, 3, 2, 9, 1, tzinfo=UTC),
        ]


def test_windows_are_aligned_to_the_clock_minute() -> None:
    assert rate_limits.window_of(NOW) == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    later = datetime(2026, 3, 2, 9, 59, 59, 999_999, tzinfo=UTC)
    assert rate_limits.window_of(later) == datetime(2026, 3, 2, 9, 59, tzinfo=UTC)


def test_a_long_key_is_cut_not_refused(db: Database) -> None:
    assert _hit(db, "book:" + "f" * 500) == 1
    assert _hit(db, "book:" + "f" * 600) == 2  # the same first 200 characters


def test_concurrent_hits_lose_no_increment(db: Database) -> None:
    """Threads with their own connections hit one key at once: the counts are 1..N, each once.

    Plain transactions, without ``write()``'s lock: the upsert alone is atomic.
    """
    seen: list[int] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(10):
            with Session(db.engine) as session, session.begin():
                count = rate_limits.hit(session, key="book:203.0.113.9", now=NOW)
            with lock:
                seen.append(count)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(seen) == list(range(1, 81))


def test_prune_deletes_only_windows_before_the_current_one(db: Database) -> None:
    _hit(db, "a", NOW - timedelta(minutes=5))
    _hit(db, "a", NOW - timedelta(minutes=1))
    _hit(db, "a", NOW)
    _hit(db, "b", NOW)
    with db.write() as session:
        assert rate_limits.prune(session, now=NOW) == 2
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(RateHit)) == 2
    assert _hit(db, "a", NOW) == 2  # the current window's count is kept
