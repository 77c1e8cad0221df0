"""``errands bench embed`` against the fake OpenAI-compatible server: counts, batches, shape."""

from __future__ import annotations

import gzip
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from agents.arxiv import embeddings
from bench.embed import run_benchmark
from tests.conftest import ERRANDS
from tests.fakes.openai_server import FakeOpenAI, fake_llm_client
from tests.fakes.processes import ROOT

pytestmark = [pytest.mark.subprocess]

ABSTRACTS = [
    {"title": f"Paper {i}", "abstract": f"We study problem number {i} with method {i % 3}."}
    for i in range(40)
]


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(models=["embed-model"]) as server:
        yield server


async def test_every_abstract_is_embedded_once_in_the_recommenders_batches(
    fake: FakeOpenAI,
) -> None:
    async with fake_llm_client(fake.base_url, model="embed-model") as client:
        report = await run_benchmark(client, ABSTRACTS)
    calls = fake.bodies("/embeddings")
    assert [len(c["input"]) for c in calls] == [embeddings.BATCH] * 5  # the recommender's batches
    assert report["papers"] == report["embedded"] == 40 and report["failed"] == 0
    assert report["dims"] == [fake.embedding_dim]
    assert report["batch"] == embeddings.BATCH and report["papers_per_s"] > 0
    assert -1.0 <= report["mean_pairwise_cosine"] <= 1.0


@pytest.mark.slow
def test_cli_reports_json_and_failures_are_counted(fake: FakeOpenAI, tmp_path: Path) -> None:
    stream = tmp_path / "papers.jsonl.gz"
    with gzip.open(stream, "wt", encoding="utf-8") as handle:
        for row in ABSTRACTS:
            handle.write(json.dumps(row) + "\n")
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "COLUMNS": "200",  # one line per message in typer's error box
        "HOME": str(tmp_path),
        "ERRANDS_DATA_DIR": str(tmp_path / "data"),
        "ERRANDS_LLM_BASE_URL": "http://127.0.0.1:9/v1",  # the chat LLM is down: not asked
        "ERRANDS_EMBEDDINGS_BASE_URL": fake.base_url,
        "ERRANDS_EMBEDDINGS_MODEL": "embed-model",
        "ERRANDS_LLM_MAX_RETRIES": "0",
    }
    args = ["bench", "embed", "--n", "20", "--papers", str(stream), "--json"]
    done = subprocess.run(
        [*ERRANDS, *args], env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["embedded"] == 20 and report["failed"] == 0
    env["ERRANDS_EMBEDDINGS_BASE_URL"] = "http://127.0.0.1:9/v1"  # nothing listens there
    down = subprocess.run(
        [*ERRANDS, *args], env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert down.returncode == 0, down.stderr
    assert json.loads(down.stdout)["failed"] == 20
    missing = subprocess.run(
        [*ERRANDS, "bench", "embed", "--papers", str(tmp_path / "nope.gz")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert missing.returncode == 2 and "does not exist" in missing.stderr
