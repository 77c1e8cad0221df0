"""The booking bench's load loop counts a request that got no answer instead of crashing."""

from __future__ import annotations

import asyncio

from bench.booking import _load
from bench.measure import free_port


def test_a_request_without_an_answer_is_counted_not_raised() -> None:
    base = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    report = asyncio.run(_load(base, 2, [("GET", "/healthz", None)] * 3))
    assert report["requests"] == 3
    assert report["statuses"] == {"no answer (ConnectError)": 3}
