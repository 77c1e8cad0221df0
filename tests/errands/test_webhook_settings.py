"""ERRANDS_TELEGRAM_WEBHOOK_URL / _SECRET: what Telegram would refuse is one clear line at start."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from errands.settings import load_settings
from store.errors import ConfigError

SECRET = "Ab_9-" + "x" * 27


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for key in list(os.environ):
        if key.startswith("ERRANDS_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_off_by_default() -> None:
    settings = load_settings()
    assert settings.telegram_webhook_url == ""
    assert settings.telegram_webhook_secret.get_secret_value() == ""


@pytest.mark.parametrize(
    "url",
    [
        "https://bot.example.org/telegram/webhook",
        "https://bot.example.org:8443/tg",
        "https://bot.example.org:88/tg/hook",
        "http://127.0.0.1:8080/telegram/webhook",
        "http://localhost:9000/tg",
    ],
)
def test_accepted_urls(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("ERRANDS_TELEGRAM_WEBHOOK_URL", url)
    monkeypatch.setenv("ERRANDS_TELEGRAM_WEBHOOK_SECRET", SECRET)
    settings = load_settings()
    assert settings.telegram_webhook_url == url
    assert settings.telegram_webhook_secret.get_secret_value() == SECRET


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://bot.example.org/telegram/webhook", "https"),
        ("http://10.0.0.5:8080/tg", "https"),
        ("ftp://bot.example.org/tg", "https"),
        ("bot.example.org/tg", "https"),
        ("https://bot.example.org:8080/tg", "ports 443, 80, 88 or 8443"),
        ("https://bot.example.org", "expected a path"),
        ("https://bot.example.org/", "expected a path"),
        ("https://bot.example.org/tg?token=1", "no query"),
        ("https:///tg", "host name"),
        ("https://bot.example.org:99999/tg", "not a URL"),
    ],
)
def test_refused_urls_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, url: str, says: str
) -> None:
    monkeypatch.setenv("ERRANDS_TELEGRAM_WEBHOOK_URL", url)
    monkeypatch.setenv("ERRANDS_TELEGRAM_WEBHOOK_SECRET", SECRET)
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert info.value.user_message.startswith("ERRANDS_TELEGRAM_WEBHOOK_URL: ")
    assert says in info.value.user_message


def test_url_without_secret_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ERRANDS_TELEGRAM_WEBHOOK_URL", "https://bot.example.org/tg")
    with pytest.raises(ConfigError) as info:
        load_settings()
    message = info.value.user_message
    assert message.startswith("ERRANDS_TELEGRAM_WEBHOOK_SECRET: required when ")
    assert "ERRANDS_TELEGRAM_WEBHOOK_URL is set" in message


@pytest.mark.parametrize(
    "secret", ["has space", "semi;colon", "ünïcode", "a" * 257, "dots.are.out", "x/y"]
)
def test_secret_outside_telegrams_alphabet_is_refused_without_echoing_it(
    monkeypatch: pytest.MonkeyPatch, secret: str
) -> None:
    monkeypatch.setenv("ERRANDS_TELEGRAM_WEBHOOK_URL", "https://bot.example.org/tg")
    monkeypatch.setenv("ERRANDS_TELEGRAM_WEBHOOK_SECRET", secret)
    with pytest.raises(ConfigError) as info:
        load_settings()
    message = info.value.user_message
    assert message.startswith("ERRANDS_TELEGRAM_WEBHOOK_SECRET: ")
    assert "1-256 characters of A-Z, a-z, 0-9, _ and -" in message
    assert secret not in message


def test_longest_secret_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ERRANDS_TELEGRAM_WEBHOOK_URL", "https://bot.example.org/tg")
    monkeypatch.setenv("ERRANDS_TELEGRAM_WEBHOOK_SECRET", "Z" * 256)
    assert len(load_settings().telegram_webhook_secret.get_secret_value()) == 256
