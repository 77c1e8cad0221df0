"""``errands run`` as a user runs it: a subprocess talking to a fake Bot API process."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from store import outbox
from store.db import Database
from store.migrate import upgrade
from tests.conftest import ERRANDS
from tests.fakes.processes import ROOT, fake_bot_api_process, free_port, wait_until

pytestmark = [pytest.mark.subprocess]


@pytest.fixture
def fake_api() -> Iterator[str]:
    with fake_bot_api_process() as base:
        yield base


class Runner:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log = log
        self.proc = subprocess.Popen(
            [*ERRANDS, "run"], env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, cwd=ROOT
        )

    def output(self) -> str:
        return self.log.read_text()

    def wait_ready(self) -> str:
        return wait_until(
            lambda: "llm:" in self.output() and self.output(), timeout=60, what="banner"
        )


def calls(base: str, method: str) -> list[dict[str, Any]]:
    response = httpx.get(f"{base}/_control/calls", params={"method": method, "ok": 1})
    return [c["params"] for c in response.json()]


def say(base: str, text: str, chat_id: int) -> None:
    httpx.post(f"{base}/_control/message", json={"text": text, "chat_id": chat_id})


@pytest.fixture
def env(cli_env: dict[str, str], fake_api: str) -> dict[str, str]:
    return {
        **cli_env,
        "ERRANDS_TELEGRAM_BASE_URL": f"{fake_api}/bot",
        "ERRANDS_TELEGRAM_TOKEN": "123:abc",
        "ERRANDS_OWNER_CHAT_IDS": "42",
        "ERRANDS_WEB_PORT": str(free_port()),
    }


@pytest.mark.slow
def test_run_serves_telegram_web_and_stops_cleanly(
    env: dict[str, str], fake_api: str, data_dir: Path, tmp_path: Path
) -> None:
    # a reminder that fell due while errands was down
    db = Database.from_url(f"sqlite:///{data_dir / 'errands.db'}")
    upgrade(db.engine)
    with db.write() as session:
        due = datetime.now(UTC) - timedelta(hours=2)
        outbox.enqueue(
            session,
            channel="telegram",
            recipient="42",
            payload={"text": "water the plants"},
            due_at=due,
            idempotency_key="missed",
            now=due,
        )
    db.dispose()

    runner = Runner(env, tmp_path / "run.log")
    try:
        banner = runner.wait_ready()
        assert "telegram:  @" in banner
        assert f"web:       http://127.0.0.1:{env['ERRANDS_WEB_PORT']}" in banner
        assert "123:abc" not in banner

        late = wait_until(lambda: calls(fake_api, "sendMessage"), what="missed message sent")
        assert late[0]["text"] == "<i>(late)</i> water the plants"

        say(fake_api, "/start", 42)
        say(fake_api, "/start", 7)
        say(fake_api, "/status", 42)
        sent = wait_until(
            lambda: len(calls(fake_api, "sendMessage")) >= 4 and calls(fake_api, "sendMessage"),
            what="replies",
        )
        by_chat: dict[int, list[str]] = {}
        for message in sent:
            by_chat.setdefault(int(message["chat_id"]), []).append(message["text"])
        assert len(by_chat[42]) >= 3  # the late reminder, /start's reply, /status's
        assert any("Outbox" in t for t in by_chat[42])
        assert len(by_chat[7]) == 1
        assert "private" in by_chat[7][0]

        health = httpx.get(f"http://127.0.0.1:{env['ERRANDS_WEB_PORT']}/healthz").json()
        assert health["database"]["ok"] is True
        assert health["scheduler"]["running"] is True

        second = subprocess.run(
            [*ERRANDS, "run"], env=env, capture_output=True, text=True, timeout=60, check=False
        )
        assert second.returncode == 1
        assert "already running" in second.stderr

        # A clean stop (how long it takes is a figure: `errands bench shutdown`).
        runner.proc.send_signal(signal.SIGTERM)
        assert runner.proc.wait(60) == 0
        output = runner.output()
        assert "errands: stopping (finishing in-flight sends)..." in output
        assert output.rstrip().endswith("errands: stopped")
        assert "Traceback" not in output
    finally:
        if runner.proc.poll() is None:
            runner.proc.kill()


@pytest.mark.slow
def test_run_without_token_says_why_telegram_is_off(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    env = {**cli_env, "ERRANDS_WEB_PORT": str(free_port())}
    runner = Runner(env, tmp_path / "run.log")
    try:
        banner = runner.wait_ready()
        assert "telegram:  off - set ERRANDS_TELEGRAM_TOKEN (from @BotFather)" in banner
        assert "llm:" in banner and "down" in banner
        assert "speech-to-text: " in banner  # which engines voice notes use, or off (why)
        runner.proc.send_signal(signal.SIGINT)
        assert runner.proc.wait(60) == 0
        assert runner.output().rstrip().endswith("errands: stopped")
    finally:
        if runner.proc.poll() is None:
            runner.proc.kill()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.slow
def test_data_files_are_the_owners_alone_without_systemd(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    """Under a permissive umask too: the data dir 0700, every file errands writes 0600."""
    data_dir = tmp_path / "fresh"  # created by errands itself
    env = {**cli_env, "ERRANDS_DATA_DIR": str(data_dir), "ERRANDS_WEB_PORT": str(free_port())}
    old = os.umask(0o022)  # the child inherits it
    try:
        runner = Runner(env, tmp_path / "run.log")
    finally:
        os.umask(old)
    try:
        runner.wait_ready()
        files = ["errands.db", "errands.db-wal", "errands.db-shm", "graphs.db", "secret_key"]
        for name in [*files, "errands.lock"]:
            assert (data_dir / name).exists(), name
        assert _mode(data_dir) == 0o700
        modes = {name: oct(_mode(data_dir / name)) for name in [*files, "errands.lock"]}
        assert modes == dict.fromkeys(modes, oct(0o600))
        runner.proc.send_signal(signal.SIGTERM)
        assert runner.proc.wait(60) == 0
    finally:
        if runner.proc.poll() is None:
            runner.proc.kill()


@pytest.mark.slow
def test_jobs_list_includes_the_outbox(cli_env: dict[str, str]) -> None:
    import json

    out = subprocess.run(
        [*ERRANDS, "jobs", "list", "--json"],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    jobs = {j["name"]: j for j in json.loads(out.stdout)}
    assert jobs["outbox"]["trigger"] == "every 2s"
    assert datetime.fromisoformat(jobs["outbox"]["next_run"]) > datetime.now(UTC) - timedelta(
        seconds=60
    )


@pytest.mark.slow
def test_jobs_run_rejects_bad_input(cli_env: dict[str, str]) -> None:
    bad_time = subprocess.run(
        [*ERRANDS, "jobs", "run", "outbox", "--now", "yesterday"],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert bad_time.returncode == 2
    assert "ISO-8601" in bad_time.stderr
    unknown = subprocess.run(
        [*ERRANDS, "jobs", "run", "nope"],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert unknown.returncode == 2
    assert "unknown job" in unknown.stderr


@pytest.mark.slow
def test_jobs_run_outbox_delivers_with_the_given_clock(
    cli_env: dict[str, str], fake_api: str, data_dir: Path
) -> None:
    import json

    db = Database.from_url(f"sqlite:///{data_dir / 'errands.db'}")
    upgrade(db.engine)
    due = datetime(2026, 3, 2, 9, tzinfo=UTC)
    with db.write() as session:
        for key, when in (("due", due), ("later", due + timedelta(days=1))):
            outbox.enqueue(
                session,
                channel="telegram",
                recipient="42",
                payload={"text": key},
                due_at=when,
                idempotency_key=key,
                now=due,
            )
    db.dispose()
    env = {
        **cli_env,
        "ERRANDS_TELEGRAM_BASE_URL": f"{fake_api}/bot",
        "ERRANDS_TELEGRAM_TOKEN": "123:abc",
    }
    out = subprocess.run(
        [*ERRANDS, "jobs", "run", "outbox", "--now", "2026-03-02T10:01:00+01:00"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    report = json.loads(out.stdout)
    assert report["result"]["sent"] == 1
    assert [m["text"] for m in calls(fake_api, "sendMessage")] == ["due"]
