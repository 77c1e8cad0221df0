"""``errands arxiv bench --stream``: the arXiv-stream replay (``bench.arxiv.stream_run``).

Kept apart from ``arxiv.py`` so the bench command only gains a branch: this module finds the
stream file, builds the embeddings endpoint client when asked (settings are read here, in the
composition root), runs the replay and prints it.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import typer

from store.errors import InvalidInput

DEFAULT_STREAM = Path("../shared/data/arxiv-stream/papers.jsonl.gz")
EMBEDDINGS = ("local", "endpoint", "none")


def stream_path(given: Path | None) -> Path:
    """``--stream-file``, else the shared stream beside the checkout (from cwd or repo root)."""
    if given is not None:
        if not given.is_file():
            raise InvalidInput(f"{given} is not a file (expected arxiv-stream/papers.jsonl.gz).")
        return given
    places = [Path.cwd() / DEFAULT_STREAM]
    spec = importlib.util.find_spec("bench")
    if spec is not None and spec.origin:
        places.append(Path(spec.origin).resolve().parent.parent / DEFAULT_STREAM)
    for place in places:
        if place.is_file():
            return place
    raise InvalidInput(
        f"No arXiv stream at {DEFAULT_STREAM} (from here or the checkout): give --stream-file."
    )


def _client(mode: str | None) -> Any:
    if mode != "endpoint":
        return None
    from errands.settings import load_settings
    from errands.wiring import build_embedder, build_llm

    settings = load_settings()
    return build_embedder(settings, None) or build_llm(settings, None)


def bench_stream(
    *,
    stream_file: Path | None,
    readers: int,
    seed: int,
    days: int,
    workers: int,
    embeddings: str | None,
    as_json: bool,
    hide_authors: bool = False,
) -> None:
    """Run the replay and print it: JSON with ``--json``, else one line per method."""
    if embeddings is not None and embeddings not in EMBEDDINGS:
        raise typer.BadParameter(
            f"{embeddings!r}: choose local, endpoint or none", param_hint="--embeddings"
        )
    path = stream_path(stream_file)
    from bench.arxiv.stream_run import run_stream  # scikit-learn: seconds to import

    result = run_stream(
        path,
        readers=readers,
        seed=seed,
        days=days,
        workers=workers,
        embeddings_mode=embeddings,
        client=_client(embeddings),
        hide_authors=hide_authors,
    )
    print(json.dumps({"stream": str(path), "timings": result["timings"]}), file=sys.stderr)
    if as_json:
        typer.echo(json.dumps(result))
        return
    for name, m in result["methods"].items():
        typer.echo(
            f"{name:>11}: p10 {m['p10']} (x{m['ratio_p10_vs_svm']} svm), "
            f"p10 co-authors only {m['p10_coauthor']} (x{m['ratio_p10_coauthor_vs_svm']}), "
            f"fit p50 {m['fit_ms_p50']} ms, rank p50 {m['rank_ms_p50']} ms"
        )
    embed = result["embeddings"]
    typer.echo(
        f"{result['readers']} readers, {result['reader_days']} reader-days, random p10 "
        f"{result['random_p10']}; embeddings: {embed.get('model') or embed.get('reason')}"
    )
    for caveat in result["caveats"]:
        typer.echo(f"- {caveat}")
