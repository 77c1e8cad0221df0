"""``errands bench``: measurements run from a checkout (the ``bench`` package, docs/benchmarks.md).

``require_bench`` is the one gate: ``errands todo bench`` and ``errands arxiv bench|ceiling|scale``
call it too, so an installed wheel (no ``bench``) says so in one line instead of a traceback.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

    from agents.llm import LLMClient
    from errands.settings import Settings

app = typer.Typer(help="Benchmarks against local fakes.", no_args_is_help=True)
_AS_JSON = typer.Option(False, "--json", help="Print one JSON object.")
_DATABASE_URL = typer.Option(
    None,
    "--database-url",
    help="A PostgreSQL server to run on (postgresql+psycopg://user:pw@host:port/db): the bench "
    "creates its own errands_bench_* databases there through that database and drops them "
    "after. Default: a temporary SQLite file.",
)
_KEEP = typer.Option(False, "--keep", help="Keep the bench's PostgreSQL databases afterwards.")

CHECKOUT_ONLY = (
    "benchmarks run from a checkout of errands: the `bench` package is not installed "
    "(clone the repository and run `uv run errands ...` there)"
)


def require_bench() -> None:
    """Exit 2 with one line unless the checkout's ``bench`` package is importable."""
    if importlib.util.find_spec("bench") is None:
        typer.echo(f"errands: {CHECKOUT_ONLY}", err=True)
        raise typer.Exit(2)


@app.callback()
def _group() -> None:
    """Benchmarks against local fakes (nothing leaves this machine)."""
    require_bench()


def _server(database_url: str | None) -> URL | None:
    """The PostgreSQL server ``--database-url`` names, or None (SQLite); bad input exits 2."""
    if database_url is None:
        return None
    from bench.database import server_url
    from store.errors import InvalidInput

    try:
        return server_url(database_url)
    except InvalidInput as exc:
        raise typer.BadParameter(exc.user_message, param_hint="--database-url") from None


@app.command("outbox")
def outbox(
    rows: int = typer.Option(10_000, "--rows", min=2, help="Due Telegram rows to deliver."),
    chats: int = typer.Option(
        100, "--chats", min=1, help="Recipients (one chat's rows go out in order)."
    ),
    concurrency: int = typer.Option(
        8, "--concurrency", min=1, help="Chats sent to at once (outbox_concurrency)."
    ),
    kill: bool = typer.Option(
        True, "--kill/--no-kill", help="Also SIGKILL `errands jobs run outbox` half-way."
    ),
    kill_runs: int = typer.Option(5, "--kill-runs", min=1, help="How many kill/restart runs."),
    raw_requests: int = typer.Option(
        3_000, "--raw-requests", min=1, help="Requests for the fake's raw acceptance rate."
    ),
    database_url: str | None = _DATABASE_URL,
    keep: bool = _KEEP,
    as_json: bool = _AS_JSON,
) -> None:
    """Deliver due Telegram rows to a local fake Bot API: rate, lateness, duplicates, lost.

    Exits 1 if a row was lost or left unsent, or duplicated without a crash.
    """
    import tempfile
    from pathlib import Path

    from bench.outbox import BenchOptions, failed, run_benchmark

    server = _server(database_url)

    options = BenchOptions(
        rows=rows,
        chats=chats,
        concurrency=concurrency,
        kill=kill,
        kill_runs=kill_runs,
        raw_requests=raw_requests,
    )
    with tempfile.TemporaryDirectory(prefix="errands-bench-") as workdir:
        try:
            report = run_benchmark(
                options,
                Path(workdir),
                lambda line: typer.echo(line, err=True),
                server=server,
                keep=keep,
            )
        except RuntimeError as exc:  # a part could not run: say which, with its log's tail
            typer.echo(f"errands: bench outbox failed: {exc}", err=True)
            raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps(report))
    else:
        _print(report)
    if failed(report):
        raise typer.Exit(1)


@app.command("booking")
def booking(
    requests: int = typer.Option(1000, "--requests", min=50, help="GETs per endpoint."),
    bookings: int = typer.Option(500, "--bookings", min=1, help="Booking POSTs (distinct slots)."),
    clients: int = typer.Option(50, "--clients", min=1, help="Concurrent HTTP clients."),
    days: int = typer.Option(60, "--days", min=1, max=62, help="Days of slots to compute."),
    database_url: str | None = _DATABASE_URL,
    keep: bool = _KEEP,
    as_json: bool = _AS_JSON,
) -> None:
    """Slot computation, booking-page p95 and booking throughput (ratios to /healthz)."""
    from bench.booking import run_benchmark

    server = _server(database_url)
    report = run_benchmark(
        requests=requests,
        bookings=bookings,
        clients=clients,
        days=days,
        server=server,
        keep=keep,
    )
    typer.echo(json.dumps(report) if as_json else json.dumps(report, indent=2))
    if not report["all_bookings_created"]:
        raise typer.Exit(1)


@app.command("web-fuzz")
def web_fuzz(
    n: int = typer.Option(300, "--n", min=1, max=100_000, help="Requests to draw and send."),
    as_json: bool = _AS_JSON,
) -> None:
    """Schema-drawn requests at the web endpoints (uvicorn, 127.0.0.1): statuses; exit 1 on a
    5xx, a dropped request or a refused request that wrote rows."""
    from bench.web_fuzz import run_web_fuzz

    report = run_web_fuzz(n)
    typer.echo(json.dumps(report) if as_json else json.dumps(report, indent=2, ensure_ascii=False))
    if report["5xx"] or report["no_answer"] or report["refused_with_writes"]:
        raise typer.Exit(1)


def _print(report: dict[str, object]) -> None:
    kill = report["kill"]
    assert isinstance(kill, dict)
    lines = [
        f"store:     {report['engine']} {report['engine_version']}"
        + (f" at {report['server']}" if report["server"] else ""),
        f"rows {report['rows']} over {report['chats']} chats, concurrency {report['concurrency']}",
        f"errands:   {report['errands_msgs_per_s']} msgs/s",
        f"fake raw:  {report['fake_raw_msgs_per_s']} msgs/s (ratio {report['ratio']})",
        f"lateness:  p50 {report['lateness_ms_p50']} ms, p99 {report['lateness_ms_p99']} ms",
        f"delivery:  duplicates {report['duplicates']}, lost {report['lost']}, "
        f"unsent {report['unsent_in_db']}",
    ]
    if kill["runs"]:
        lines.append(
            f"SIGKILL:   {kill['runs']} runs, killed after {kill['killed_after_accepted']} "
            f"accepted; duplicates {kill['duplicates']}, lost {kill['lost']}"
        )
    for line in lines:
        typer.echo(line)


_PAPERS = typer.Option(
    "../shared/data/arxiv-stream/papers.jsonl.gz",
    "--papers",
    help="arXiv papers (JSON lines, gzip) to take abstracts from.",
)


def _on_abstracts(
    papers: str,
    n: int,
    *,
    as_json: bool,
    client: Callable[[Settings], LLMClient],
    measure: Callable[[LLMClient, list[dict[str, str]]], Awaitable[dict[str, object]]],
) -> None:
    """The first ``n`` abstracts of ``papers`` ``measure``d on ``client(settings)``: the report."""
    import asyncio
    from pathlib import Path

    from bench.llm import load_abstracts
    from errands.settings import load_settings

    path = Path(papers)
    if not path.is_file():
        raise typer.BadParameter(f"{path} does not exist", param_hint="--papers")
    abstracts = load_abstracts(path, n)
    settings = load_settings()

    async def main() -> dict[str, object]:
        llm = client(settings)
        try:
            return await measure(llm, abstracts)
        finally:
            await llm.aclose()

    report = asyncio.run(main())
    if as_json:
        typer.echo(json.dumps(report))
        return
    for key, value in report.items():
        typer.echo(f"{key}: {value}")


@app.command("llm")
def llm(
    n: int = typer.Option(50, "--n", min=1, max=2000, help="Abstracts to summarise."),
    concurrency: int = typer.Option(8, "--concurrency", min=1, max=256, help="Requests at once."),
    papers: str = _PAPERS,
    as_json: bool = _AS_JSON,
) -> None:
    """TL;DRs of real abstracts on the configured LLM: tokens/s, p50/p95, concurrency speedup."""
    from bench.llm import run_benchmark
    from errands.wiring import build_llm

    _on_abstracts(
        papers,
        n,
        as_json=as_json,
        client=lambda s: build_llm(s.model_copy(update={"llm_concurrency": concurrency}), None),
        measure=lambda c, abstracts: run_benchmark(c, abstracts, concurrency=concurrency),
    )


@app.command("embed")
def embed(
    n: int = typer.Option(200, "--n", min=1, max=5000, help="Abstracts to embed."),
    papers: str = _PAPERS,
    as_json: bool = _AS_JSON,
) -> None:
    """Embed real abstracts as the arXiv recommender does: papers/s, request p50/p95, shape."""
    from bench.embed import run_benchmark
    from errands.wiring import build_embedder, build_llm

    _on_abstracts(
        papers,
        n,
        as_json=as_json,
        client=lambda s: build_embedder(s, None) or build_llm(s, None),
        measure=run_benchmark,
    )


@app.command("assistant")
def assistant(
    backends: str = typer.Option(
        "scripted,embedded,configured",
        "--backends",
        help="Comma-separated: scripted (fake endpoint), embedded (SmolLM2), configured.",
    ),
    limit: int | None = typer.Option(
        None, "--limit", min=1, help="Scored cases per set for embedded/configured (embedded: 40)."
    ),
    as_json: bool = _AS_JSON,
) -> None:
    """The assistant on its evaluation sets (dev and held-out): route accuracy (rules only),
    tool-call exact match per backend (pipeline and planner alone), state changes without a
    tap, read-only answer latency and tokens per message. Exits 1 if anything changed untapped."""
    import asyncio

    from bench.assistant.backends import NAMES
    from bench.assistant.run import run_all

    names = [n.strip() for n in backends.split(",") if n.strip()]
    unknown = [n for n in names if n not in NAMES]
    if unknown or not names:
        raise typer.BadParameter(
            f"unknown backend {', '.join(unknown) or '(none)'}; pick from {', '.join(NAMES)}",
            param_hint="--backends",
        )
    report = asyncio.run(run_all(names, limit=limit))
    typer.echo(json.dumps(report) if as_json else json.dumps(report, indent=2, ensure_ascii=False))
    if report["state_changes_without_tap"]:
        raise typer.Exit(1)


@app.command("stt")
def stt(as_json: bool = _AS_JSON) -> None:
    """Speech-to-text on EN and 中文 voice notes synthesized here (espeak-ng, OGG/Opus): the
    real-time factor of the CPU engine and of the configured endpoint, WER (EN) and CER (中文),
    auto-detected language. An engine that is not set up is reported as skipped, with why."""
    import asyncio

    from bench.stt import run_benchmark
    from errands.settings import load_settings
    from errands.wiring import embedded_stt, endpoint_stt

    settings = load_settings()
    cpu, why_not = embedded_stt(settings)
    endpoint = endpoint_stt(settings)
    report = asyncio.run(
        run_benchmark(
            {
                "cpu": cpu if cpu is not None else why_not,
                "endpoint": endpoint if endpoint is not None else "ERRANDS_STT_BASE_URL is not set",
            }
        )
    )
    typer.echo(json.dumps(report, ensure_ascii=False, indent=None if as_json else 2))


@app.command("shutdown")
def shutdown(
    rounds: int = typer.Option(5, "--rounds", min=1, help="Start/SIGTERM cycles."),
    as_json: bool = _AS_JSON,
) -> None:
    """SIGTERM to exit of `errands run` (bot polling a fake Bot API): p50/max; exit 1 unclean."""
    from bench.shutdown import run_shutdown_bench

    try:
        report = run_shutdown_bench(rounds)
    except RuntimeError as exc:  # errands run did not start: say so with its log's tail
        typer.echo(f"errands: bench shutdown failed: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(json.dumps(report) if as_json else json.dumps(report, indent=2))
    if report["clean_stops"] != rounds:
        raise typer.Exit(1)


@app.command("startup-faults")
def startup_faults(as_json: bool = _AS_JSON) -> None:
    """Every start-up fault as a child process: one-line rate, exit codes; exit 1 on a miss."""
    import tempfile
    from pathlib import Path

    from bench.startup_faults import run_startup_faults

    with tempfile.TemporaryDirectory(prefix="errands-bench-faults-") as workdir:
        report = run_startup_faults(Path(workdir))
    typer.echo(json.dumps(report) if as_json else json.dumps(report, indent=2))
    if report["passed"] != report["tried"]:
        raise typer.Exit(1)
