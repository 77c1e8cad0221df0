"""The arXiv stream as a test of taste: papers by day, and readers defined by authorship.

A *reader* is an author name with at least ``MIN_PAPERS`` papers in the stream. Their
``SEEDS`` earliest papers are what they "liked" to start with; on every later day, the
papers of that day's listing written by them or by one of their co-authors (anyone who
shared a paper with them announced before that day) are what they would want to see.
Papers with more than ``MAX_AUTHORS`` authors are left out of the co-author graph (they do not
count towards a reader's papers or seeds, and a co-author's such paper is not wanted; the
reader's own one is): a 300-author consortium paper would make everyone a co-author.
Names are matched as written, lower-cased: two people with one name are one reader.
"""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np

from store.errors import InvalidInput
from store.models import Paper

MIN_PAPERS = 8
SEEDS = 5
MAX_AUTHORS = 20


def author_key(name: str) -> str:
    return " ".join(str(name).split()).lower()


@dataclass
class Stream:
    """Papers in announcement order, with each one's day index and author keys."""

    papers: list[Paper]
    day_of: np.ndarray[Any, Any]  # paper index -> day index
    days: list[date]
    by_day: list[np.ndarray[Any, Any]]  # day index -> paper indices announced that day
    authors: list[frozenset[str]]
    by_author: dict[str, list[int]] = field(default_factory=dict)  # every paper, in order

    def small(self, i: int) -> bool:
        """Whether paper ``i`` counts for co-authorship (at most ``MAX_AUTHORS`` authors)."""
        return len(self.authors[i]) <= MAX_AUTHORS

    def written(self, name: str) -> list[int]:
        """The small-team papers of an author, in announcement order."""
        return [i for i in self.by_author.get(name, []) if self.small(i)]


def load_stream(path: Path, *, limit: int | None = None) -> Stream:
    """Read ``papers.jsonl.gz`` (or the first ``limit`` papers by day) into a ``Stream``."""
    if not path.is_file():
        raise InvalidInput(f"{path} is missing (expected arxiv-stream/papers.jsonl.gz).")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        raw = [json.loads(line) for line in handle if line.strip()]
    raw.sort(key=lambda p: (p["announced"], p["id"]))
    if limit is not None:
        raw = raw[:limit]
    days = sorted({date.fromisoformat(p["announced"]) for p in raw})
    index = {d: i for i, d in enumerate(days)}
    fetched = datetime(2000, 1, 1, tzinfo=UTC)
    papers, day_of, authors = [], [], []
    by_author: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(raw):
        day = date.fromisoformat(p["announced"])
        papers.append(
            Paper(
                id=str(p["id"]),
                version=1,
                title=str(p.get("title") or ""),
                abstract=str(p.get("abstract") or ""),
                authors=list(p.get("authors") or []),
                categories=list(p.get("categories") or []),
                announced_on=day,
                fetched_at=fetched,
            )
        )
        day_of.append(index[day])
        keys = frozenset(author_key(a) for a in p.get("authors") or [])
        authors.append(keys)
        for key in keys:
            by_author[key].append(i)
    day_array = np.array(day_of, dtype=np.int64)
    starts = np.searchsorted(day_array, np.arange(len(days) + 1))
    by_day = [np.arange(starts[d], starts[d + 1]) for d in range(len(days))]
    return Stream(papers, day_array, days, by_day, authors, dict(by_author))


@dataclass(frozen=True)
class ReaderDay:
    """One day to rank for a reader: its candidates and which of them the reader wants."""

    day: int
    candidates: np.ndarray[Any, Any]
    own: frozenset[int]  # candidates the reader wrote
    coauthored: frozenset[int]  # candidates by a co-author, not by the reader

    @property
    def positives(self) -> frozenset[int]:
        return self.own | self.coauthored


@dataclass(frozen=True)
class Reader:
    name: str
    seeds: list[int]
    days: list[ReaderDay]


def reader_days(stream: Stream, name: str, *, max_days: int) -> Reader:
    """The reader's seeds and their first ``max_days`` later days with a wanted paper.

    Days without one are skipped (nothing is ranked or tapped on them): a day whose listing
    has nothing the reader wants says nothing about ranking.
    """
    mine = stream.written(name)
    seeds = mine[:SEEDS]
    start = int(stream.day_of[seeds[-1]]) + 1 if seeds else len(stream.days)
    met: dict[str, int] = {}  # co-author -> first day they shared a paper with the reader
    for i in mine:
        for other in stream.authors[i] - {name}:
            met.setdefault(other, int(stream.day_of[i]))
    own: dict[int, set[int]] = defaultdict(set)
    for i in stream.by_author.get(name, []):  # any team size: the reader wrote it
        if stream.day_of[i] >= start:
            own[int(stream.day_of[i])].add(i)
    coauthored: dict[int, set[int]] = defaultdict(set)
    for other, first in met.items():
        for i in stream.by_author[other]:
            day = int(stream.day_of[i])
            if day >= start and day > first and stream.small(i) and i not in own[day]:
                coauthored[day].add(i)
    wanted = sorted(d for d in set(own) | set(coauthored) if own[d] or coauthored[d])
    out = [
        ReaderDay(d, stream.by_day[d], frozenset(own[d]), frozenset(coauthored[d]))
        for d in wanted[:max_days]
    ]
    return Reader(name, [int(i) for i in seeds], out)


def sample_readers(stream: Stream, *, readers: int, seed: int, max_days: int) -> list[Reader]:
    """``readers`` authors with >= ``MIN_PAPERS`` papers and a day to rank, chosen by ``seed``."""
    eligible = sorted(
        a
        for a, ids in stream.by_author.items()
        if len(ids) >= MIN_PAPERS and len(stream.written(a)) >= MIN_PAPERS
    )
    rng = np.random.default_rng(seed)
    chosen: list[Reader] = []
    for i in rng.permutation(len(eligible)):
        reader = reader_days(stream, eligible[int(i)], max_days=max_days)
        if reader.days:
            chosen.append(reader)
            if len(chosen) == readers:
                break
    if len(chosen) < readers:
        raise InvalidInput(
            f"only {len(chosen)} authors have >= {MIN_PAPERS} papers and a later day to rank."
        )
    return chosen
