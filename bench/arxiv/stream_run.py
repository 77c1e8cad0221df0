"""Running the stream replay: features, embeddings, readers, workers, and the JSON report.

The report says what this proxy measures and what it does not (``CAVEATS``), next to the
figures, because a P@10 on co-authorship is easy to over-read.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from agents.arxiv import embeddings, features, recommender
from agents.arxiv.embeddings import PaperVectors
from agents.llm import Embeddings
from bench.arxiv import stream as replay
from bench.arxiv.stream_data import MAX_AUTHORS, MIN_PAPERS, SEEDS, load_stream, sample_readers
from store.errors import ConfigError, InvalidInput
from store.models import Paper

CAVEATS = [
    "What it measures: topical continuity within a research circle. A reader is an author "
    f"(>= {MIN_PAPERS} papers), seeded with their {SEEDS} earliest papers; a paper is wanted "
    "when the reader or a co-author of an earlier paper of theirs wrote it.",
    "Author names are features (au_ tokens, in errands' rows and the SVM's): a wanted paper "
    "shares an author with the likes by construction, so word features get a head start that "
    "the embedding block (title and abstract only) does not; `hide_authors` (--hide-authors) "
    "takes the names out of every method's features.",
    "The reader's own later papers are the easiest positives (their name is on the seeds); "
    "`p10_coauthor` ranks the listing without them and counts co-authors' papers only.",
    "It does not measure taste beyond one's own circle: papers a reader would like from "
    "strangers count as misses here, so every method's precision is a lower bound.",
    "It does not measure novelty, serendipity, or reading versus writing: co-authoring is not "
    "reading, and a real reader also wants papers that are not from their circle.",
    "Only days whose listing holds a wanted paper are ranked (no taps on the others); a "
    "listing is the whole day (~250 papers in cs.CV/CL/AI/LG), not the reader's categories.",
    "Names are matched as written: two people with one name are one reader, one person "
    f"written two ways is two; papers with more than {MAX_AUTHORS} authors do not make "
    "co-authors.",
    f"The SVM's database is the newest {replay.SVM_CORPUS} papers, not all 74,728 (one "
    "corpus-wide fit per reader-day would take hours), and it sees errands' hashed TF-IDF.",
]


class Embedder(Protocol):
    async def embed(self, texts: list[str], *, purpose: str) -> Embeddings: ...


def needed_papers(stream: Any, readers: Sequence[Any]) -> list[int]:
    """Papers whose vectors the replay reads: seeds, every ranked listing, backgrounds."""
    need: set[int] = set()
    slack = replay.CONFIG.background + 2 * SEEDS + replay.SHOWN * 60  # labelled ones are skipped
    for reader in readers:
        need.update(reader.seeds)
        for day in [reader.days[0].day - 1, *(rd.day for rd in reader.days)]:
            need.update(int(i) for i in stream.by_day[day])
            got, back = 0, day
            while got < slack and back >= 0:
                need.update(int(i) for i in stream.by_day[back])
                got += len(stream.by_day[back])
                back -= 1
    return sorted(need)


async def endpoint_vectors(client: Embedder, papers: Sequence[Paper]) -> PaperVectors:
    """Vectors from an embeddings endpoint, in the recommender's batches; a failure raises."""
    batches = [papers[i : i + embeddings.BATCH] for i in range(0, len(papers), embeddings.BATCH)]
    limit = asyncio.Semaphore(embeddings.CONCURRENCY)

    async def one(batch: Sequence[Paper]) -> Embeddings:
        async with limit:
            texts = [embeddings.embedding_text(p) for p in batch]
            return await client.embed(texts, purpose="bench-stream")

    answers = await asyncio.gather(*(one(b) for b in batches))
    found: dict[str, np.ndarray[Any, Any]] = {}
    models = {a.model for a in answers}
    for batch, answer in zip(batches, answers, strict=True):
        rows = np.asarray(answer.vectors, dtype=np.float32)
        if rows.ndim != 2 or rows.shape[0] != len(batch):
            raise ConfigError(f"The embeddings endpoint answered shape {rows.shape}.")
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        rows = rows / np.maximum(norms, 1e-12)
        found.update({p.id: rows[i] for i, p in enumerate(batch)})
    dims = {v.shape[0] for v in found.values()}
    if len(models) != 1 or len(dims) != 1:
        raise ConfigError(f"The endpoint served models {sorted(models)}, dimensions {dims}.")
    return PaperVectors(model=models.pop(), dim=dims.pop(), vectors=found)


def _vectors(
    mode: str | None, papers: list[Paper], client: Embedder | None
) -> tuple[PaperVectors | None, dict[str, Any]]:
    from agents.arxiv import local_embedder

    reason = local_embedder.unavailable_reason()
    if mode is None:
        mode = "local" if reason is None else "none"
        if reason is not None:
            return None, {"mode": "none", "reason": f"{reason}: TF-IDF + embeddings not run"}
    if mode == "none":
        return None, {"mode": "none", "reason": "--embeddings none"}
    started = time.perf_counter()
    if mode == "local":
        if reason is not None:
            raise ConfigError(f"--embeddings local: {reason} (uv sync --extra embed).")
        vectors = local_embedder.LocalEmbedder().paper_vectors(papers)
    elif mode == "endpoint":
        if client is None:
            raise ConfigError("--embeddings endpoint: no embeddings endpoint or LLM configured.")
        vectors = asyncio.run(endpoint_vectors(client, papers))
    else:
        raise InvalidInput(f"--embeddings must be local, endpoint or none, not {mode!r}.")
    return vectors, {
        "mode": mode,
        "model": vectors.model,
        "dim": vectors.dim,
        "weight": replay.CONFIG.embedding_weight,
        "papers": len(papers),
        "seconds": round(time.perf_counter() - started, 1),
    }


def run_stream(
    path: Path,
    *,
    readers: int = 200,
    seed: int = 0,
    days: int = 15,
    workers: int = 2,
    embeddings_mode: str | None = None,
    client: Embedder | None = None,
    limit: int | None = None,
    hide_authors: bool = False,
) -> dict[str, Any]:
    """The replay's JSON: per method P@10 and its ratio to the SVM, sizes, timings, caveats.

    ``limit`` keeps only the first papers of the stream (tests); ``client`` serves
    ``embeddings_mode="endpoint"``; None as the mode means local when installed, else none.
    ``hide_authors`` leaves author names out of every method's features (readers and wanted
    papers are still defined by them), so name matching cannot carry the ranking.
    """
    if readers < 1 or days < 1:
        raise InvalidInput("--readers and --days must be at least 1.")
    timings: dict[str, float] = {}
    started = time.perf_counter()
    stream = load_stream(path, limit=limit)
    chosen = sample_readers(stream, readers=readers, seed=seed, max_days=days)
    timings["load_s"] = time.perf_counter() - started
    mark = time.perf_counter()
    if hide_authors:  # the words alone: what the embedding block competes with on topic
        texts = [features.paper_text(p.title, p.abstract, [], p.categories) for p in stream.papers]
    else:
        texts = [recommender.text_of(p) for p in stream.papers]
    counts = features.raw_counts(texts)
    svm_x = features.weigh(counts, features.fit_idf(counts))
    timings["features_s"] = time.perf_counter() - mark
    mark = time.perf_counter()
    need = needed_papers(stream, chosen)
    vectors, embed_info = _vectors(embeddings_mode, [stream.papers[i] for i in need], client)
    timings["embeddings_s"] = time.perf_counter() - mark
    mark = time.perf_counter()
    shared = replay.Shared(stream, counts, svm_x, vectors, seed)
    results = replay.map_readers(shared, chosen, workers=workers)
    timings["replay_s"] = time.perf_counter() - mark
    timings["total_s"] = time.perf_counter() - started
    methods = {
        name: replay.summarize([r[name] for r in results])
        for name in ("tfidf", "tfidf_embed", "svm")
        if name in results[0]
    }
    base = methods["svm"]
    for summary in methods.values():
        for key in ("p10", "p10_coauthor"):
            value, ref = summary[key], base[key]
            summary[f"ratio_{key}_vs_svm"] = round(value / ref, 3) if value and ref else None
    reader_days = [rd for r in chosen for rd in r.days]
    return {
        "methods": methods,
        "random_p10": round(  # a random 10 of the listing, expected
            float(np.mean([len(rd.positives) / len(rd.candidates) for rd in reader_days])), 4
        ),
        "readers": len(chosen),
        "reader_days": len(reader_days),
        "days": days,
        "hide_authors": hide_authors,
        "seed": seed,
        "papers": len(stream.papers),
        "listing_days": len(stream.days),
        "positives_per_day": round(float(np.mean([len(rd.positives) for rd in reader_days])), 2),
        "own_per_day": round(float(np.mean([len(rd.own) for rd in reader_days])), 3),
        "candidates_per_day": round(float(np.mean([len(rd.candidates) for rd in reader_days])), 1),
        "embeddings": embed_info,
        "timings": {k: round(v, 1) for k, v in timings.items()},
        "caveats": CAVEATS,
    }
