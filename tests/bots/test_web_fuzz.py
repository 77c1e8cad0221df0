"""Schema-driven fuzzing of the public web endpoints: no input makes a 5xx, and a refused
request (or any GET) writes no row.

Requests are drawn by Hypothesis from the app's own OpenAPI schema (``bench.web_fuzz_schema``)
and sent to the real app over a real SQLite file: in process through httpx's ASGITransport,
then over real HTTP to uvicorn on 127.0.0.1. ``errands bench web-fuzz`` runs the same checks
and counts them (docs/benchmarks.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from hypothesis import example, given, settings
from typer.testing import CliRunner

from bench.web_fuzz import FUZZ_SETTINGS, Target, asgi_sender, run_web_fuzz, uvicorn_sender
from bench.web_fuzz_schema import FuzzRequest, operations, requests
from bots.web import feed
from bots.web.booking import api, manage, pages
from errands.commands import bench as bench_cli

FORM = {"content-type": "application/x-www-form-urlencoded"}
JSON = {"content-type": "application/json"}
KNOWN = [  # what the hardening issue found, and its neighbours: kept as fixed examples
    FuzzRequest("slots", "GET", "/api/book/ada/slots?from=9999-12-31"),
    FuzzRequest("slots", "GET", "/api/book/ada/slots?from=0001-01-01&tz=Pacific%2FKiritimati"),
    FuzzRequest("slots", "GET", "/api/book/ada/slots?days=%C2%B2&length=%C2%B2"),
    FuzzRequest("page", "GET", "/book/ada?from=9999-12-31"),
    FuzzRequest("slot", "GET", "/book/ada/slot?start=9999-12-31T23%3A00%3A00-05%3A00&tz=UTC"),
    FuzzRequest(
        "book",
        "POST",
        "/api/book/ada",
        JSON,
        b'{"start": "0001-01-01T00:00:00+01:00", "name": "G", "email": "g@example.org"}',
    ),
    FuzzRequest(
        "book",
        "POST",
        "/api/book/ada",
        JSON,
        b'{"start": "2026-03-03T10:00:00+01:00", "name": "G\\u202e", "email": "g@example.org",'
        b' "topic": "\\ud800"}',
    ),
    FuzzRequest(
        "book",
        "POST",
        "/api/book/ada",
        {"content-type": "text/plain"},
        b'{"start": "2026-03-03T10:00:00+01:00", "name": "G", "email": "g@example.org"}',
    ),
    FuzzRequest(
        "form", "POST", "/book/ada", FORM, b"start=2026-03-03T10%3A00%3A00Z&csrf_token=%C3%A9"
    ),
]


def test_the_fuzzer_reaches_every_public_route(tmp_path: Path) -> None:
    target = Target.create(tmp_path)
    served = [
        *target.app.routes,
        *api.router.routes,
        *pages.router.routes,
        *manage.router.routes,
        *feed.router.routes,
    ]
    routes = {
        f"{method} {route.path}"
        for route in served
        if isinstance(route, APIRoute)
        for method in route.methods or ()
    }
    assert {op.label for op in operations(target.app.openapi())} == routes
    assert len(routes) == 11


@pytest.mark.slow
def test_no_input_makes_a_5xx_or_a_refused_write_in_process(tmp_path: Path) -> None:
    target = Target.create(tmp_path)
    with asgi_sender(target.app) as (send, cookies):
        seeds = target.seeds(send, cookies)

        @settings(max_examples=250, **FUZZ_SETTINGS)
        @given(requests(target.app.openapi(), seeds))
        def no_5xx(request: FuzzRequest) -> None:
            _, problems = target.problems(request, send)
            assert not problems, problems

        for known in KNOWN:
            no_5xx = example(known)(no_5xx)
        no_5xx()


@pytest.mark.slow
def test_no_input_makes_a_5xx_over_real_http(tmp_path: Path) -> None:
    target = Target.create(tmp_path)
    with uvicorn_sender(target.app) as (send, cookies):
        seeds = target.seeds(send, cookies)

        @settings(max_examples=60, **FUZZ_SETTINGS)
        @given(requests(target.app.openapi(), seeds))
        def no_5xx(request: FuzzRequest) -> None:
            _, problems = target.problems(request, send)
            assert not problems, problems

        no_5xx()


def test_run_web_fuzz_reports_counts() -> None:
    report = run_web_fuzz(12, server="asgi")
    assert report["requests"] == 12 == sum(report["status_counts"].values())
    assert report["5xx"] == report["no_answer"] == report["refused_with_writes"] == 0
    assert sum(report["operations"].values()) == 12 and report["failures"] == []


@pytest.mark.slow
def test_errands_bench_web_fuzz_prints_json() -> None:
    result = CliRunner().invoke(bench_cli.app, ["web-fuzz", "--n", "8", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["requests"] == 8 and report["server"] == "uvicorn on 127.0.0.1"
    assert report["5xx"] == 0
