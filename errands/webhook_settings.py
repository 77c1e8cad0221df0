"""Checks for Telegram's webhook mode settings (``ERRANDS_TELEGRAM_WEBHOOK_URL`` and ``_SECRET``).

Telegram only POSTs to https URLs on ports 443, 80, 88 or 8443, and only accepts a secret
token of 1-256 characters from A-Z, a-z, 0-9, _ and -; saying so at start beats a setWebhook
refusal at run time. Plain http is allowed for 127.0.0.1/localhost only (tests, a local Bot
API server). The secret is never echoed.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from pydantic import SecretStr, ValidationInfo

TELEGRAM_PORTS = (443, 80, 88, 8443)
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
EXAMPLE = "https://bot.example.org/telegram/webhook"


def webhook_url(value: str) -> str:
    """An https URL Telegram can POST to (http only for a local host), with a path."""
    value = value.strip()
    if not value:
        return value
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        raise ValueError(f"not a URL (e.g. {EXAMPLE})") from None
    local = parts.hostname in LOCAL_HOSTS
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise ValueError(
            f"Telegram only sends webhooks to https URLs (e.g. {EXAMPLE}); "
            "plain http is allowed for 127.0.0.1/localhost only"
        )
    if not parts.hostname:
        raise ValueError(f"expected a host name (e.g. {EXAMPLE})")
    if parts.scheme == "https" and not local and port not in (None, *TELEGRAM_PORTS):
        raise ValueError(
            f"Telegram only sends webhooks to ports 443, 80, 88 or 8443, not {port} "
            "(let the proxy listen there)"
        )
    if parts.path in ("", "/") or parts.query or parts.fragment:
        raise ValueError(f"expected a path and no query, e.g. {EXAMPLE}")
    return value


def webhook_secret(value: SecretStr, info: ValidationInfo) -> SecretStr:
    """1-256 characters of A-Z a-z 0-9 _ -; required when a webhook URL is set."""
    secret = value.get_secret_value()
    if secret and not SECRET.fullmatch(secret):
        raise ValueError(
            "Telegram accepts 1-256 characters of A-Z, a-z, 0-9, _ and - only "
            "(e.g. the output of `openssl rand -hex 32`)"
        )
    if not secret and info.data.get("telegram_webhook_url"):
        raise ValueError(
            "required when ERRANDS_TELEGRAM_WEBHOOK_URL is set: Telegram sends it with every "
            "update, so nobody else can post fake ones (1-256 characters of A-Z, a-z, 0-9, "
            "_ and -, e.g. the output of `openssl rand -hex 32`)"
        )
    return value
