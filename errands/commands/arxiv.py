"""``errands arxiv``: fetch listings, seed interests, roll a model back, run the benchmark."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import typer

from errands.commands import arxiv_follows
from errands.commands._app import open_app, owner_of, run_in_context
from errands.settings import load_settings
from store.errors import InvalidInput

if TYPE_CHECKING:
    from agents.context import AppContext

app = typer.Typer(
    help="The arXiv digest: fetch, seed, follow/mute, recap, rollback, benchmark.",
    no_args_is_help=True,
)
_OWNER = typer.Option(..., "--owner", help="Owner slug.")
_BIBTEX = typer.Option(None, "--bibtex", help="A BibTeX file of papers you like.")
_CITEULIKE = typer.Option(..., "--citeulike", help="The citeulike-t data folder.")
_STREAM = typer.Option(..., "--stream", help="arxiv-stream/papers.jsonl.gz.")
_BENCH_CITEULIKE = typer.Option(None, "--citeulike", help="The citeulike-t folder.")
_STREAM_FILE = typer.Option(None, "--stream-file", help="--stream: papers.jsonl.gz.")


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not YYYY-MM-DD", param_hint="--date") from None


@app.command("fetch")
def fetch(
    owner: str | None = typer.Option(None, "--owner", help="Owner slug (default: all owners)."),
    on: str | None = typer.Option(None, "--date", help="Announcement date to file papers under."),
) -> None:
    """Fetch today's arXiv listing for an owner's categories (or everyone's) into the store."""
    from agents.arxiv.fetch import fetch_listing, make_client
    from agents.arxiv.ranking import owner_categories
    from store import owners

    settings = load_settings()
    day = _parse_date(on)

    async def go(ctx: AppContext) -> dict[str, dict[str, object]]:
        with ctx.db.read() as session:
            targets = [owner_of(session, owner)] if owner else owners.list_owners(session)
        cat_sets = {owner_categories(ctx, o) for o in targets} or {ctx.config.arxiv.categories}
        now = ctx.clock()
        report: dict[str, dict[str, object]] = {}
        async with make_client(ctx.config.arxiv) as client:
            for cats in sorted(cat_sets):
                result = await fetch_listing(
                    ctx, client, categories=cats, day=day or now.date(), now=now
                )
                report["+".join(cats)] = {
                    "announced_on": str(result.announced_on),
                    "listed": result.listed,
                    "added": result.added,
                    "updated": result.updated,
                }
        return report

    typer.echo(json.dumps(run_in_context(settings, go, telegram_bot=False)))


@app.command("seed")
def seed(
    owner: str = _OWNER,
    keywords: str | None = typer.Option(None, "--keywords", help="Comma-separated interests."),
    ids: str | None = typer.Option(None, "--ids", help="arXiv ids, comma-separated."),
    bibtex: Path | None = _BIBTEX,
) -> None:
    """Give an owner's model a start: keywords, arXiv ids or a BibTeX file (exactly one)."""
    from agents.arxiv import feedback
    from agents.arxiv.fetch import make_client

    given = [v for v in (keywords, ids, bibtex) if v is not None]
    if len(given) != 1:
        raise typer.BadParameter("give exactly one of --keywords, --ids, --bibtex")
    settings = load_settings()
    id_list: list[str] = []
    words: list[str] = []
    if keywords is not None:
        words = feedback.parse_keywords(keywords)
    elif ids is not None:
        id_list = feedback.parse_ids(ids)
    elif bibtex is not None:
        try:
            text = bibtex.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise InvalidInput(f"Cannot read {bibtex}: {exc.strerror}.") from None
        id_list, titles = feedback.parse_bibtex(text)
        words = titles

    async def go(ctx: AppContext) -> dict[str, object]:
        with ctx.db.read() as session:
            row = owner_of(session, owner)
        report: dict[str, object] = {"owner": owner}
        if id_list:
            async with make_client(ctx.config.arxiv) as client:
                found, version = await feedback.add_seed_ids(
                    ctx, client, owner=row, ids=id_list, now=ctx.clock()
                )
            report.update(seeded=found, missing=sorted(set(id_list) - set(found)))
            report["model_version"] = version
        if words:
            report["keywords"] = words
            report["model_version"] = feedback.add_keywords(
                ctx, owner=row, keywords=words, now=ctx.clock()
            )
        return report

    typer.echo(json.dumps(run_in_context(settings, go, telegram_bot=False)))


@app.command("rollback")
def rollback(
    owner: str = _OWNER,
    version: int | None = typer.Option(None, "--version", help="Default: the previous one."),
) -> None:
    """Make an earlier model version the active one (e.g. after a run of bad taps)."""
    from store import papers as repo

    with open_app() as (_, db), db.write() as session:
        row = owner_of(session, owner)
        active = repo.rollback_model(session, owner_id=row.id, version=version)
    typer.echo(json.dumps({"owner": owner, "active_version": active}))


@app.command("bench")
def bench(
    citeulike: Path | None = _BENCH_CITEULIKE,
    users: int = typer.Option(400, "--users", min=1),
    seed_: int = typer.Option(0, "--seed"),
    days: int = typer.Option(15, "--days", min=1, max=60),
    cold_start: bool = typer.Option(False, "--cold-start", help="1 seed like instead of 5."),
    workers: int = typer.Option(2, "--workers", min=1, max=64),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    stream: bool = typer.Option(False, "--stream", help="Replay the arXiv stream instead."),
    stream_file: Path | None = _STREAM_FILE,
    readers: int = typer.Option(200, "--readers", min=1, help="--stream: authors replayed."),
    embeddings: str | None = typer.Option(
        None, "--embeddings", help="--stream: local, endpoint or none (default: local if there)."
    ),
    hide_authors: bool = typer.Option(
        False, "--hide-authors", help="--stream: author names out of the features."
    ),
) -> None:
    """Daily replay, errands' model vs the arxiv-sanity-lite SVM: CiteULike or the arXiv stream."""
    from errands.commands.bench import require_bench

    require_bench()
    if stream:  # authors as readers, TF-IDF vs TF-IDF + embeddings vs SVM (arxiv_stream.py)
        from errands.commands.arxiv_stream import bench_stream

        bench_stream(
            stream_file=stream_file,
            readers=readers,
            seed=seed_,
            days=days,
            workers=workers,
            embeddings=embeddings,
            as_json=as_json,
            hide_authors=hide_authors,
        )
        return
    if citeulike is None:
        raise typer.BadParameter("missing (or give --stream)", param_hint="--citeulike")
    from bench.arxiv.replay import run_benchmark

    if not citeulike.is_dir():
        raise InvalidInput(f"{citeulike} is not a folder (expected ../shared/data/citeulike-t).")
    started = datetime.now(ZoneInfo("UTC"))
    result = run_benchmark(
        citeulike, users=users, seed=seed_, days=days, cold_start=cold_start, workers=workers
    )
    extra = {k: result.pop(k) for k in ("days", "seed", "cold_start")}
    p95 = {
        name: {k: result[name].pop(k) for k in ("rank_ms_p95", "update_ms_p95")}
        for name in ("errands", "baseline_svm")
        if result[name]
    }
    took = (datetime.now(ZoneInfo("UTC")) - started).total_seconds()
    print(json.dumps({**extra, "p95": p95, "wall_s": round(took, 1)}), file=sys.stderr)
    if as_json:
        typer.echo(json.dumps(result))
        return
    for name in ("errands", "baseline_svm"):
        typer.echo(f"{name:>13}: {result[name]}")
    typer.echo(f"ratio p10: {result['ratio_p10']} over {result['users']} users")


@app.command("ceiling")
def ceiling(
    citeulike: Path = _CITEULIKE,
    users: int = typer.Option(400, "--users", min=1),
    seed_: int = typer.Option(0, "--seed"),
    days: int = typer.Option(15, "--days", min=1, max=60),
    svm_days: int = typer.Option(1, "--svm-days", min=0, max=60, help="Days ranked by the SVM."),
    workers: int = typer.Option(2, "--workers", min=1, max=64),
) -> None:
    """The bench's batches ranked with each user's whole library known: the headroom (JSON)."""
    from errands.commands.bench import require_bench

    require_bench()
    from bench.arxiv.ceiling import run_ceiling

    if not citeulike.is_dir():
        raise InvalidInput(f"{citeulike} is not a folder (expected ../shared/data/citeulike-t).")
    result = run_ceiling(
        citeulike, users=users, seed=seed_, days=days, svm_days=svm_days, workers=workers
    )
    typer.echo(json.dumps(result))


@app.command("scale")
def scale(
    stream: Path = _STREAM,
    owners: int = typer.Option(100, "--owners", min=1, max=10_000),
    seed_: int = typer.Option(0, "--seed"),
    embedding_dim: int = typer.Option(
        0, "--embedding-dim", min=0, max=8192, help="Add a dense block of this dimension."
    ),
) -> None:
    """Features for the whole arXiv stream, then fit + rank a day's batch for N owners (JSON)."""
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    from errands.commands.bench import require_bench

    require_bench()
    from bench.arxiv.scale import run_scale

    with threadpool_limits(limits=1):
        typer.echo(
            json.dumps(run_scale(stream, owners=owners, seed=seed_, embedding_dim=embedding_dim))
        )


arxiv_follows.register(app)  # follow, unfollow, mute, unmute, follows, recap
