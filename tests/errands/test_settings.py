from __future__ import annotations

import json
from pathlib import Path

import pytest

from errands.settings import load_settings
from store.errors import ConfigError


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import os

    for key in list(os.environ):
        if key.startswith("ERRANDS_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ERRANDS_DATA_DIR", str(tmp_path / "d"))
    settings = load_settings()
    assert settings.effective_database_url == f"sqlite:///{tmp_path / 'd' / 'errands.db'}"
    assert settings.llm_base_url == "http://127.0.0.1:8000/v1"
    assert settings.web_port == 8080
    assert settings.owner_chat_ids == []
    assert settings.effective_public_url == "http://127.0.0.1:8080"


def test_default_data_dir_is_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert load_settings().data_dir == tmp_path / "xdg" / "errands"


def test_comma_separated_chat_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ERRANDS_OWNER_CHAT_IDS", "42, 1001,")
    assert load_settings().owner_chat_ids == [42, 1001]


@pytest.mark.parametrize(
    ("var", "value"),
    [
        ("ERRANDS_TIMEZONE", "Mars/Olympus"),
        ("ERRANDS_OWNER_CHAT_IDS", "42,abc"),
        ("ERRANDS_WEB_PORT", "70000"),
        ("ERRANDS_LLM_BASE_URL", "localhost:8000"),
        ("ERRANDS_SMTP_STARTTLS", "maybe"),
        ("ERRANDS_ARXIV_EMBEDDINGS", "sometimes"),
        ("ERRANDS_ARXIV_EMBEDDING_WEIGHT", "1"),
        ("ERRANDS_ARXIV_EMBEDDING_WEIGHT", "-0.1"),
        ("ERRANDS_EMBEDDINGS_BASE_URL", "embedder:8002/v1"),
    ],
)
def test_invalid_values_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, var: str, value: str
) -> None:
    monkeypatch.setenv(var, value)
    with pytest.raises(ConfigError) as info:
        load_settings()
    message = info.value.user_message
    assert message.startswith(f"{var}:")
    assert "\n" not in message


def test_arxiv_embedding_settings_reach_the_agent_config(monkeypatch: pytest.MonkeyPatch) -> None:
    from errands.wiring import arxiv_config

    defaults = arxiv_config(load_settings())
    assert defaults.embeddings is True and defaults.embedding_weight == 0.5
    monkeypatch.setenv("ERRANDS_ARXIV_EMBEDDINGS", "false")
    monkeypatch.setenv("ERRANDS_ARXIV_EMBEDDING_WEIGHT", "0.25")
    config = arxiv_config(load_settings())
    assert config.embeddings is False and config.embedding_weight == 0.25


async def test_a_dedicated_embeddings_endpoint_gets_its_own_client(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from errands.wiring import app_context, utc_now

    monkeypatch.setenv("ERRANDS_DATA_DIR", str(tmp_path / "d"))
    async with app_context(load_settings(), clock=utc_now, telegram_bot=False) as ctx:
        assert ctx.embedder is None and ctx.embeddings_client is ctx.llm  # the chat chain
    monkeypatch.setenv("ERRANDS_EMBEDDINGS_BASE_URL", "http://127.0.0.1:8002/v1/")
    monkeypatch.setenv("ERRANDS_EMBEDDINGS_MODEL", "bge-small")
    monkeypatch.setenv("ERRANDS_EMBEDDINGS_API_KEY", "sk-embed")
    async with app_context(load_settings(), clock=utc_now, telegram_bot=False) as ctx:
        assert ctx.embedder is not None and ctx.embeddings_client is ctx.embedder
        assert [(b.name, b.base_url, b.model, b.api_key) for b in ctx.embedder.backends] == [
            ("embeddings", "http://127.0.0.1:8002/v1", "bge-small", "sk-embed")
        ]


def test_env_file_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("ERRANDS_WEB_PORT=9090\n")
    assert load_settings().web_port == 9090


def test_secret_key_generated_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ERRANDS_DATA_DIR", str(tmp_path / "d"))
    settings = load_settings()
    first = settings.ensure_secret_key()
    assert len(first) >= 40
    assert load_settings().ensure_secret_key() == first
    assert (tmp_path / "d" / "secret_key").stat().st_mode & 0o777 == 0o600


def test_secrets_are_not_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ERRANDS_TELEGRAM_TOKEN", "123:supersecret")
    monkeypatch.setenv("ERRANDS_SMTP_PASSWORD", "hunter2")
    settings = load_settings()
    assert "supersecret" not in repr(settings)
    assert "hunter2" not in repr(settings)
    assert settings.telegram_token.get_secret_value() == "123:supersecret"


def test_schedules_that_are_not_json_name_the_variable(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text('ERRANDS_SCHEDULES={"outbox": every 30s}\n')
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert info.value.user_message.startswith("ERRANDS_SCHEDULES: not valid JSON")


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ('{"outbox": "every banana"}', "bad interval"),
        ('{"nope": "every 5s"}', "unknown job(s) nope"),
        ('{"morning-agenda": "61 * * * *"}', "morning-agenda"),
    ],
)
def test_schedules_are_checked_as_run_checks_them(
    monkeypatch: pytest.MonkeyPatch, value: str, words: str
) -> None:
    """The same check ``errands run`` makes (jobs.scheduler.plan), so doctor refuses it too."""
    from datetime import UTC, datetime

    from jobs.scheduler import plan

    with pytest.raises(ConfigError) as by_run:
        plan(owners=[(1, "UTC")], default_timezone="UTC", overrides=json.loads(value),
             now=datetime.now(UTC))  # fmt: skip
    monkeypatch.setenv("ERRANDS_SCHEDULES", value)
    with pytest.raises(ConfigError) as by_settings:
        load_settings()
    assert by_settings.value.user_message == by_run.value.user_message
    assert words in by_settings.value.user_message


def test_valid_schedules_load(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ERRANDS_SCHEDULES", '{"outbox": "every 5s", "reminders": "*/2 * * * *"}')
    assert load_settings().schedules["outbox"] == "every 5s"


def test_an_env_file_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    (tmp_path / ".env").write_bytes(b"ERRANDS_TIMEZONE=Europe/Z\xfcrich\n")
    with pytest.raises(ConfigError) as info:
        load_settings()
    message = info.value.user_message
    assert message.startswith(f"{tmp_path / '.env'}: not UTF-8 text (byte 0xfc")
    assert "\n" not in message


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("postgres//errands:hunter2@db/errands?token=s3cret", "not a database URL"),
        ("postgresql://errands:hunter2@db:port/errands?token=s3cret", "not a database URL"),
        ("nosuchdb://errands:hunter2@db/errands?token=s3cret", "unknown database 'nosuchdb'"),
        ("mysql://errands:hunter2@db/errands?key=s3cret", "driver for 'mysql' is not installed"),
    ],
)
def test_a_malformed_database_url_is_refused_without_its_secrets(
    monkeypatch: pytest.MonkeyPatch, url: str, words: str
) -> None:
    monkeypatch.setenv("ERRANDS_DATABASE_URL", url)
    with pytest.raises(ConfigError) as info:
        load_settings()
    message = info.value.user_message
    assert message.startswith("ERRANDS_DATABASE_URL: ") and words in message
    assert "hunter2" not in message and "s3cret" not in message


def test_config_errors_mask_keys_in_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ERRANDS_LLM_BASE_URL", "llm.example:8000/v1?api_key=s3cret&model=x")
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert "s3cret" not in info.value.user_message
    assert "api_key=***" in info.value.user_message


def test_a_heroku_style_postgres_url_means_postgresql(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ERRANDS_DATABASE_URL", "postgres://errands:hunter2@db/errands")
    monkeypatch.setenv("ERRANDS_SECRET_KEY", "k" * 32)
    assert load_settings().database_url == "postgresql://errands:hunter2@db/errands"


def test_a_sqlite_url_loads(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ERRANDS_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    assert load_settings().effective_database_url == f"sqlite:///{tmp_path / 'x.db'}"
