"""``errands arxiv ...`` and ``errands jobs run arxiv-digest`` as a user runs them.

The CLI runs as a subprocess with ERRANDS_ARXIV_* pointing at a local arXiv (a process
replaying the RSS sample and the recorded API answers) and the fake Bot API as a process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import ERRANDS
from tests.errands.test_run import calls, fake_api
from tests.fakes.processes import free_port, wait_until

pytestmark = [pytest.mark.subprocess]

ROOT = Path(__file__).resolve().parents[2]
CITEULIKE = ROOT.parent / "shared" / "data" / "citeulike-t"

__all__ = ["fake_api"]


@pytest.fixture
def arxiv_url() -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.agents.arxiv.arxiv_server", str(port)], cwd=ROOT
    )
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return httpx.get(f"{base}/rss/cs.LG", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    wait_until(up, what="local arXiv up")
    yield base
    proc.terminate()
    proc.wait(10)


@pytest.fixture
def env(cli_env: dict[str, str], fake_api: str, arxiv_url: str) -> dict[str, str]:
    return {
        **cli_env,
        "ERRANDS_TELEGRAM_BASE_URL": f"{fake_api}/bot",
        "ERRANDS_TELEGRAM_TOKEN": "123:abc",
        "ERRANDS_OWNER_CHAT_IDS": "42",
        "ERRANDS_ARXIV_API_URL": f"{arxiv_url}/api/query",
        "ERRANDS_ARXIV_RSS_URL": f"{arxiv_url}/rss",
        "ERRANDS_ARXIV_CATEGORIES": "cs.LG,cs.AI",
        "ERRANDS_ARXIV_MIN_INTERVAL": "0",
        "ERRANDS_LLM_TIMEOUT": "2",
        "ERRANDS_LLM_MAX_RETRIES": "0",
    }


def cli(env: dict[str, str], *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [*ERRANDS, *args], env=env, capture_output=True, text=True, timeout=180, cwd=ROOT
    )
    if ok:
        assert done.returncode == 0, done.stderr
    return done


@pytest.mark.slow
def test_digest_job_sends_papers_with_buttons_and_seed_and_rollback(
    env: dict[str, str], fake_api: str
) -> None:
    cli(env, "owner", "add", "--chat-id", "42", "--name", "Ada", "--tz", "Europe/Berlin")
    seeded = json.loads(
        cli(env, "arxiv", "seed", "--owner", "ada", "--keywords", "diffusion").stdout
    )
    assert seeded["model_version"] == 1

    run = cli(env, "jobs", "run", "arxiv-digest", "--now", "2026-03-02T09:00:00+01:00")
    report = json.loads(run.stdout)
    assert report["result"]["ada"]["queued"] == 10
    sent = wait_until(
        lambda: len(calls(fake_api, "sendMessage")) >= 10 and calls(fake_api, "sendMessage")
    )
    assert len(sent) == 10
    for message in sent:
        markup = message["reply_markup"]
        assert [b["text"] for b in markup["inline_keyboard"][0]] == ["👍", "👎", "📖"]
    assert "Diffusion" in sent[0]["text"]  # the keyword seed ranks diffusion papers first

    again = json.loads(
        cli(env, "jobs", "run", "arxiv-digest", "--now", "2026-03-02T09:30:00+01:00").stdout
    )
    assert again["result"]["ada"]["queued"] == 0
    assert len(calls(fake_api, "sendMessage")) == 10

    cli(env, "arxiv", "seed", "--owner", "ada", "--keywords", "graph neural networks")
    back = json.loads(cli(env, "arxiv", "rollback", "--owner", "ada").stdout)
    assert back["active_version"] == 1


@pytest.mark.slow
def test_bad_input_gets_clear_errors(env: dict[str, str], tmp_path: Path) -> None:
    cli(env, "owner", "add", "--chat-id", "42", "--name", "Ada")
    bad_id = cli(env, "arxiv", "seed", "--owner", "ada", "--ids", "abc", ok=False)
    assert bad_id.returncode == 1 and "is not an arXiv id" in bad_id.stderr
    nobody = cli(env, "arxiv", "seed", "--owner", "zed", "--keywords", "x", ok=False)
    assert nobody.returncode == 1 and "No owner 'zed'" in nobody.stderr
    both = cli(env, "arxiv", "seed", "--owner", "ada", "--keywords", "x", "--ids", "1", ok=False)
    assert both.returncode == 2 and "exactly one" in both.stderr
    empty = tmp_path / "empty.bib"
    empty.write_text("nothing here")
    bib = cli(env, "arxiv", "seed", "--owner", "ada", "--bibtex", str(empty), ok=False)
    assert bib.returncode == 1 and "no BibTeX entries" in bib.stderr
    bad_env = {**env, "ERRANDS_ARXIV_DIGEST_TIME": "25:00"}
    bad = cli(bad_env, "arxiv", "fetch", ok=False)
    assert bad.returncode == 2 and "ERRANDS_ARXIV_DIGEST_TIME" in bad.stderr


@pytest.mark.slow
def test_fetch_stores_the_listing(env: dict[str, str]) -> None:
    cli(env, "owner", "add", "--chat-id", "42", "--name", "Ada")
    out = json.loads(cli(env, "arxiv", "fetch", "--owner", "ada").stdout)
    assert out["cs.LG+cs.AI"]["listed"] == 14 and out["cs.LG+cs.AI"]["added"] == 14
    out = json.loads(cli(env, "arxiv", "fetch", "--date", "2026-03-02").stdout)
    assert out["cs.LG+cs.AI"]["added"] == 0


@pytest.mark.slow
@pytest.mark.skipif(not CITEULIKE.is_dir(), reason=f"CiteULike data missing: {CITEULIKE}")
def test_bench_prints_exactly_the_issue_keys(cli_env: dict[str, str]) -> None:
    done = cli(
        cli_env,
        "arxiv",
        "bench",
        "--citeulike",
        str(CITEULIKE),
        "--users",
        "2",
        "--days",
        "2",
        "--workers",
        "1",
        "--json",
    )
    result = json.loads(done.stdout)
    assert set(result) == {"errands", "baseline_svm", "ratio_p10", "users"}
    keys = {"p10", "p10_days", "likes", "rank_ms_p50", "update_ms_p50"}
    assert set(result["errands"]) == keys and set(result["baseline_svm"]) == keys
    assert result["users"] == 2
    assert 0 <= result["errands"]["p10"] <= 0.3


@pytest.mark.slow
@pytest.mark.skipif(not CITEULIKE.is_dir(), reason=f"CiteULike data missing: {CITEULIKE}")
def test_ceiling_prints_the_whole_library_rankers(cli_env: dict[str, str]) -> None:
    args = ["--users", "2", "--days", "1", "--svm-days", "0", "--workers", "1"]
    done = cli(cli_env, "arxiv", "ceiling", "--citeulike", str(CITEULIKE), *args)
    result = json.loads(done.stdout)
    assert result["users"] == 2 and result["svm_p10"] is None
    assert 0 <= result["centroid_p10"] <= 0.3 and 0 <= result["knn_p10"] <= 0.3
    missing = cli(cli_env, "arxiv", "ceiling", "--citeulike", "/nonexistent", ok=False)
    assert missing.returncode == 1 and "is not a folder" in missing.stderr
