"""``errands jobs run arxiv-digest`` SIGKILLed mid-run, then run again: every paper once.

Black box: the CLI runs as a subprocess on its own data dir, set up as a user would (``owner
add``, ``arxiv fetch``, ``arxiv seed``; once per module, then copied), against a local arXiv
replaying the RSS sample, the fake Bot API as its own process and the fake OpenAI-compatible
LLM. The run is killed with
SIGKILL (no cleanup, no ``finally``) at a point chosen by watching the fakes, never by a
sleep, and the same command is run again:

- while the TL;DR step waits on the LLM: nothing was sent; the resume keeps the ranking;
- mid-delivery, while the process waits inside the 5th ``sendMessage`` that the fake holds
  and has NOT accepted (the fake records a message only when it answers, and a held call
  whose client hangs up is never accepted). The four before it were accepted and marked sent
  before the 5th started (one recipient's rows go out one after another). So the documented
  at-least-once window (Telegram accepted, the process died before ``mark_sent``) is closed
  at the kill, and "no paper twice" is a fair assertion, not luck.

Either way the owner ends with exactly the digest size (10) of paper messages, each paper
once, each with 👍/👎, and the resumed run exits 0.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from store import owners
from store import papers as repo
from store.db import Database
from tests.agents.arxiv.arxiv_server import ArxivReplay, serve
from tests.conftest import ERRANDS
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.processes import ROOT, fake_bot_api_process, wait_until

pytestmark = [pytest.mark.subprocess]

T = TypeVar("T")

NOW = "2026-03-02T09:00:00+01:00"  # a Monday 09:00 in Berlin: the RSS sample's day
DAY = "2026-03-02"
DIGEST_SIZE = 10
TLDR = '{"tldr": "A faster sampler for diffusion models."}'


@pytest.fixture
def fake_api() -> Iterator[str]:
    with fake_bot_api_process() as base:
        yield base


@pytest.fixture(scope="module")
def arxiv_url() -> Iterator[str]:
    with serve(ArxivReplay()) as url:
        yield url


def arxiv_env(arxiv_url: str) -> dict[str, str]:
    return {
        "ERRANDS_ARXIV_API_URL": f"{arxiv_url}/api/query",
        "ERRANDS_ARXIV_RSS_URL": f"{arxiv_url}/rss",
        "ERRANDS_ARXIV_CATEGORIES": "cs.LG,cs.AI",
        "ERRANDS_ARXIV_MIN_INTERVAL": "0",
    }


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory, arxiv_url: str) -> Path:
    """A data dir set up once per module as a user would; each test runs on its own copy.

    ``owner add`` (a Telegram chat), ``arxiv fetch`` (the day's listing into the store) and
    ``arxiv seed`` (keywords: model version 1). Done once because each CLI start imports the
    recommender stack (seconds on a loaded machine).
    """
    data = tmp_path_factory.mktemp("prepared") / "data"
    data.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ERRANDS_")}
    env |= {
        "ERRANDS_DATA_DIR": str(data),
        "ERRANDS_LLM_BASE_URL": "http://127.0.0.1:9/v1",  # not needed to set up
        "ERRANDS_LLM_EMBEDDED": "false",
        **arxiv_env(arxiv_url),
    }
    cli(env, "owner", "add", "--chat-id", "42", "--name", "Ada", "--tz", "Europe/Berlin")
    fetched = json.loads(cli(env, "arxiv", "fetch", "--date", DAY).stdout)
    assert fetched["cs.LG+cs.AI"]["listed"] == 14  # more than a digest: the ranking matters
    seeded = json.loads(
        cli(env, "arxiv", "seed", "--owner", "ada", "--keywords", "diffusion").stdout
    )
    assert seeded["model_version"] == 1
    return data


@pytest.fixture
def llm() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(reply=TLDR) as fake:
        yield fake


@pytest.fixture
def env(
    cli_env: dict[str, str],
    data_dir: Path,
    prepared: Path,
    fake_api: str,
    arxiv_url: str,
    llm: FakeOpenAI,
) -> dict[str, str]:
    """This test's data dir (a copy of ``prepared``) with Telegram and the LLM pointed at fakes."""
    shutil.copytree(prepared, data_dir, dirs_exist_ok=True)
    return {
        **cli_env,
        **arxiv_env(arxiv_url),
        "ERRANDS_TELEGRAM_BASE_URL": f"{fake_api}/bot",
        "ERRANDS_TELEGRAM_TOKEN": "123:abc",
        "ERRANDS_OWNER_CHAT_IDS": "42",
        "ERRANDS_LLM_BASE_URL": llm.base_url,
        "ERRANDS_LLM_MODEL": "fake-model",
        "ERRANDS_LLM_MAX_RETRIES": "0",
    }


# --- driving the CLI ---------------------------------------------------------------------------


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [*ERRANDS, *args], env=env, capture_output=True, text=True, timeout=180, cwd=ROOT
    )
    assert done.returncode == 0, f"errands {' '.join(args)}: rc {done.returncode}\n{done.stderr}"
    return done


def start_digest(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("w") as out:
        return subprocess.Popen(
            [*ERRANDS, "jobs", "run", "arxiv-digest", "--now", NOW],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )


def kill_when(proc: subprocess.Popen[bytes], log: Path, ready: Callable[[], T], what: str) -> T:
    """Poll ``ready`` until truthy, then SIGKILL ``proc``; fails fast if ``proc`` ends first."""
    deadline = time.monotonic() + 90
    try:
        while not (value := ready()):
            if proc.poll() is not None:
                pytest.fail(
                    f"the digest ended (rc {proc.returncode}) before {what}:\n{log.read_text()}"
                )
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {what}:\n{log.read_text()}")
            time.sleep(0.05)
        return value
    finally:
        proc.kill()
        proc.wait(10)


# --- looking at the fakes and the store --------------------------------------------------------


def fake_get(base: str, path: str, **params: Any) -> Any:
    response = httpx.get(f"{base}/_control/{path}", params=params, timeout=10)
    response.raise_for_status()
    return response.json()


def fake_post(base: str, path: str, body: dict[str, Any] | None = None) -> None:
    httpx.post(f"{base}/_control/{path}", json=body or {}, timeout=10).raise_for_status()


def accepted(base: str) -> list[dict[str, Any]]:
    """Every ``sendMessage`` the fake Telegram accepted (what the owner's chat shows)."""
    return [c["params"] for c in fake_get(base, "calls", method="sendMessage", ok=1)]


def shown_event_ids(data_dir: Path) -> list[int]:
    """The ids of today's ranked papers ('shown' events), in rank order."""
    db = Database.from_url(f"sqlite:///{data_dir / 'errands.db'}")
    try:
        with db.read() as session:
            owner = owners.get_by_slug(session, slug="ada")
            assert owner is not None
            return [e.id for e in repo.shown(session, owner_id=owner.id)]
    finally:
        db.dispose()


def event_id(message: dict[str, Any]) -> int:
    """The 'shown' event a paper message is about, read off its 👍/👎 buttons."""
    row = message["reply_markup"]["inline_keyboard"][0]
    assert [b["text"] for b in row] == ["👍", "👎", "📖"], row
    kinds = {b["callback_data"].rsplit(":", 1)[0] for b in row[:2]}
    assert len(kinds) == 1 and next(iter(kinds)).startswith("arxiv:"), row
    return int(next(iter(kinds)).split(":")[1])


def assert_each_paper_once(messages: list[dict[str, Any]], ranked: list[int]) -> None:
    assert len(messages) == DIGEST_SIZE, [m["text"][:60] for m in messages]
    assert all(str(m["chat_id"]) == "42" for m in messages)
    assert sorted(event_id(m) for m in messages) == sorted(ranked)
    links = [m["text"].split('href="', 1)[1].split('"', 1)[0] for m in messages]
    assert len(set(links)) == DIGEST_SIZE  # ten different papers, not ten copies of one
    assert all("TL;DR:</i> A faster sampler" in m["text"] for m in messages)


def resume(env: dict[str, str]) -> dict[str, Any]:
    done = cli(env, "jobs", "run", "arxiv-digest", "--now", NOW)
    report: dict[str, Any] = json.loads(done.stdout)
    return report


# --- the tests ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_killed_while_summarising_resumes_with_the_same_papers_sent_once(
    env: dict[str, str], fake_api: str, llm: FakeOpenAI, data_dir: Path, tmp_path: Path
) -> None:
    llm.delay = 120.0  # every TL;DR request hangs: the run is killed inside summarize
    llm.delay_paths = ("/chat/completions",)  # (the rank step's embeddings answer at once)
    log = tmp_path / "killed.log"
    proc = start_digest(env, log)
    kill_when(proc, log, lambda: llm.in_flight > 0, "a TL;DR request")
    assert proc.returncode == -9

    assert accepted(fake_api) == []  # killed before delivery: nothing reached the owner
    ranked = shown_event_ids(data_dir)
    assert len(ranked) == DIGEST_SIZE  # the ranking was committed before the kill

    llm.delay = 0.0
    report = resume(env)
    assert report["result"]["ada"]["queued"] == DIGEST_SIZE
    assert report["result"]["ada"]["tldrs"] == DIGEST_SIZE
    assert report["outbox"]["sent"] == DIGEST_SIZE and not report["outbox"]["errors"]
    assert shown_event_ids(data_dir) == ranked  # resumed after rank: the same ten papers
    assert_each_paper_once(accepted(fake_api), ranked)


@pytest.mark.slow
def test_killed_mid_delivery_sends_the_rest_once_on_resume(
    env: dict[str, str], fake_api: str, data_dir: Path, tmp_path: Path
) -> None:
    fake_post(fake_api, "hold", {"method": "sendMessage", "after": 4})
    log = tmp_path / "killed.log"
    proc = start_digest(env, log)
    kill_when(
        proc,
        log,
        lambda: fake_get(fake_api, "stats")["held"].get("sendMessage") == 1,
        "the 5th sendMessage to be held",
    )
    assert proc.returncode == -9

    def cut() -> list[dict[str, Any]]:  # the held call ends, unaccepted, once the socket closes
        calls: list[dict[str, Any]] = fake_get(fake_api, "calls", method="sendMessage")
        return calls if [c["status"] for c in calls] == [200] * 4 + [0] else []

    wait_until(cut, what="the held sendMessage to end unaccepted")
    before = accepted(fake_api)
    assert len(before) == 4
    fake_post(fake_api, "release")

    report = resume(env)
    assert report["result"]["ada"]["queued"] == 0  # queued by the killed run, kept by the outbox
    assert report["outbox"]["sent"] == DIGEST_SIZE - 4 and not report["outbox"]["errors"]
    after = accepted(fake_api)
    assert after[:4] == before
    assert_each_paper_once(after, shown_event_ids(data_dir))
