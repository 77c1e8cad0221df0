"""The CLI as a user runs it: a subprocess with its own data dir."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.conftest import ERRANDS

pytestmark = [pytest.mark.subprocess]


def run(
    args: list[str], env: dict[str, str], timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ERRANDS + args, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def test_help_lists_the_subcommands(cli_env: dict[str, str]) -> None:
    out = run(["--help"], cli_env)
    assert out.returncode == 0
    for name in ("doctor", "db", "owner", "llm"):
        assert name in out.stdout


@pytest.mark.slow
def test_doctor_json_on_a_fresh_data_dir(cli_env: dict[str, str]) -> None:
    out = run(["doctor", "--json"], cli_env)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert set(report) == {"database", "llm", "stt", "calendars", "telegram", "smtp"}
    for check in report.values():
        assert set(check) == {"ok", "detail"}
    assert report["database"]["ok"] is True
    assert report["llm"]["ok"] is False
    assert "127.0.0.1:9" in report["llm"]["detail"]
    assert report["telegram"]["ok"] is False
    assert "ERRANDS_TELEGRAM_TOKEN" in report["telegram"]["detail"]
    assert report["calendars"] == {"ok": True, "detail": report["calendars"]["detail"]}
    assert report["calendars"]["detail"].startswith("none added")


@pytest.mark.slow
def test_doctor_lists_a_dedicated_embeddings_endpoint(cli_env: dict[str, str]) -> None:
    env = {**cli_env, "ERRANDS_EMBEDDINGS_BASE_URL": "http://127.0.0.1:9/embed/v1"}
    report = json.loads(run(["doctor", "--json"], env).stdout)
    assert "embeddings http://127.0.0.1:9/embed/v1 down" in report["llm"]["detail"]
    assert report["llm"]["ok"] is False


@pytest.mark.slow
def test_doctor_never_prints_secrets(cli_env: dict[str, str]) -> None:
    env = {
        **cli_env,
        "ERRANDS_TELEGRAM_TOKEN": "123:topsecret",
        "ERRANDS_SMTP_HOST": "127.0.0.1",
        "ERRANDS_SMTP_FROM": "bot@example.test",
        "ERRANDS_SMTP_PASSWORD": "hunter2",
        "ERRANDS_LLM_API_KEY": "sk-verysecret",
    }
    out = run(["doctor"], env)
    assert out.returncode == 0, out.stderr
    text = out.stdout + out.stderr
    for secret in ("topsecret", "hunter2", "verysecret"):
        assert secret not in text
    assert "telegram  ok" in out.stdout


def test_invalid_setting_exits_2_naming_the_variable(cli_env: dict[str, str]) -> None:
    out = run(["doctor"], {**cli_env, "ERRANDS_TIMEZONE": "Mars/Olympus"})
    assert out.returncode == 2
    assert "ERRANDS_TIMEZONE" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert "Traceback" not in out.stderr


def test_doctor_refuses_a_schedule_that_run_refuses(cli_env: dict[str, str]) -> None:
    out = run(["doctor"], {**cli_env, "ERRANDS_SCHEDULES": '{"outbox": "every banana"}'})
    assert out.returncode == 2
    assert out.stderr == "errands: ERRANDS_SCHEDULES: outbox: bad interval 'every banana' " \
        "(use e.g. 'every 30s')\n"  # fmt: skip


@pytest.mark.slow
def test_doctor_fails_when_the_database_is_unusable(cli_env: dict[str, str], tmp_path) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    env = {**cli_env, "ERRANDS_DATABASE_URL": f"sqlite:///{blocker}/sub/errands.db"}
    out = run(["doctor", "--json"], env)
    assert out.returncode == 1
    assert json.loads(out.stdout)["database"]["ok"] is False


@pytest.mark.slow
def test_db_upgrade_and_owners(cli_env: dict[str, str]) -> None:
    out = run(["db", "upgrade"], cli_env)
    assert out.returncode == 0, out.stderr
    assert "revision" in out.stdout
    out = run(["owner", "add", "--chat-id", "42", "--name", "Ada", "--tz", "Asia/Tokyo"], cli_env)
    assert out.returncode == 0, out.stderr
    out = run(["owner", "list", "--json"], cli_env)
    assert json.loads(out.stdout) == [
        {"id": 1, "chat_id": 42, "name": "Ada", "timezone": "Asia/Tokyo", "slug": "ada"}
    ]
    again = run(["owner", "add", "--chat-id", "42", "--name", "Ada"], cli_env)
    assert again.returncode == 1
    assert "already" in again.stderr
    bad = run(["owner", "add", "--chat-id", "43", "--name", "B", "--tz", "Nowhere/Zone"], cli_env)
    assert bad.returncode == 1
    assert "time zone" in bad.stderr
    assert "Traceback" not in bad.stderr


@pytest.mark.slow
def test_cli_args_are_validated(cli_env: dict[str, str]) -> None:
    out = run(["owner", "add", "--chat-id", "notanumber", "--name", "A"], cli_env)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
