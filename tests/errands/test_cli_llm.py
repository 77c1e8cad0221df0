"""``errands llm ask`` as a user runs it: a subprocess, its own data dir, fake LLM servers."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from store.db import Database
from store.models import LLMCall
from tests.conftest import ERRANDS
from tests.fakes.openai_server import FakeOpenAI, unused_base_url

pytestmark = [pytest.mark.subprocess]


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(reply="Hello, human.") as fake:
        yield fake


@pytest.fixture
def fake(server: FakeOpenAI) -> FakeOpenAI:
    server.reset()
    return server


@pytest.fixture
def env(cli_env: dict[str, str]) -> dict[str, str]:
    return {
        **{k: v for k, v in cli_env.items() if not k.startswith("OPENAI_")},
        "ERRANDS_LLM_MAX_RETRIES": "0",
        "ERRANDS_LLM_TIMEOUT": "5",
    }


def ask(env: dict[str, str], cwd: Path, text: str = "hello") -> subprocess.CompletedProcess[str]:
    # cwd: a directory without a .env, so only ``env`` configures the run
    return subprocess.run(
        [*ERRANDS, "llm", "ask", text],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def logged_calls(data_dir: Path) -> list[tuple[str, str, str, bool]]:
    db = Database.from_url(f"sqlite:///{data_dir / 'errands.db'}")
    try:
        with db.read() as session:
            rows = session.scalars(select(LLMCall).order_by(LLMCall.id)).all()
            return [(r.backend, r.model, r.purpose, r.ok) for r in rows]
    finally:
        db.dispose()


@pytest.mark.slow
def test_ask_prints_the_answer_and_the_backend(
    fake: FakeOpenAI, env: dict[str, str], data_dir: Path
) -> None:
    out = ask({**env, "ERRANDS_LLM_BASE_URL": fake.base_url}, data_dir, "hello there")

    assert out.returncode == 0, out.stderr
    assert out.stdout == "Hello, human.\n"
    assert "backend: local model: fake-model" in out.stderr
    assert fake.bodies()[0]["messages"] == [{"role": "user", "content": "hello there"}]
    assert logged_calls(data_dir) == [("local", "fake-model", "cli-ask", True)]


@pytest.mark.slow
def test_primary_down_the_fallback_answers(
    fake: FakeOpenAI, env: dict[str, str], data_dir: Path
) -> None:
    out = ask(
        {
            **env,
            "ERRANDS_LLM_BASE_URL": unused_base_url(),
            "ERRANDS_LLM_FALLBACK_BASE_URL": fake.base_url,
            "ERRANDS_LLM_FALLBACK_MODEL": "fake-model",
        },
        data_dir,
    )

    assert out.returncode == 0, out.stderr
    assert out.stdout == "Hello, human.\n"
    assert "backend: fallback model: fake-model" in out.stderr
    assert logged_calls(data_dir) == [
        ("local", "", "cli-ask", False),
        ("fallback", "fake-model", "cli-ask", True),
    ]


@pytest.mark.slow
def test_both_down_exits_3_with_a_clear_message(env: dict[str, str], data_dir: Path) -> None:
    primary, fallback = unused_base_url(), unused_base_url()
    out = ask(
        {
            **env,
            "ERRANDS_LLM_BASE_URL": primary,
            "ERRANDS_LLM_FALLBACK_BASE_URL": fallback,
            "ERRANDS_LLM_FALLBACK_API_KEY": "sk-never-printed",
        },
        data_dir,
    )

    assert out.returncode == 3
    assert out.stdout == ""
    [line] = out.stderr.splitlines()
    assert line.startswith("errands: No language model answered")
    assert f"local {primary}: connection refused" in line
    assert f"fallback {fallback}: connection refused" in line
    assert "vllm serve MODEL" in line and "ERRANDS_LLM_FALLBACK_BASE_URL" in line
    assert "sk-never-printed" not in out.stderr
    assert "Traceback" not in out.stderr
    assert [row[3] for row in logged_calls(data_dir)] == [False, False]
