"""Why a backend did not answer, in a short line that never contains an API key."""

from __future__ import annotations

import json
import socket

import httpx
import openai

# What a request to a backend raises when the backend is down, not when our code is wrong.
FAILURES = (openai.OpenAIError, httpx.HTTPError, json.JSONDecodeError)


class BackendDown(Exception):
    """The backend did not answer usefully (refused, timed out, HTTP error)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def failure_reason(exc: BaseException, *, timeout: float, api_key: str) -> str:
    """A short, key-free reason for a failed request (``timeout`` is what it was given)."""
    if isinstance(exc, openai.APITimeoutError):
        reason = f"timed out after {timeout:g}s"
    elif isinstance(exc, openai.APIConnectionError):
        reason = _connect_reason(exc)
    elif isinstance(exc, openai.APIStatusError):
        if exc.status_code in (401, 403):
            reason = f"HTTP {exc.status_code} (is the API key right?)"
        else:
            detail = _body_message(exc.body)
            reason = f"HTTP {exc.status_code}" + (f": {detail}" if detail else "")
    else:
        reason = f"{type(exc).__name__}: {exc}"
    if api_key:
        reason = reason.replace(api_key, "***")
    return reason[:200]


def public_url(url: str) -> str:
    """The URL without credentials or query (where some providers put keys)."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        return "<invalid url>"
    return str(parsed.copy_with(username=None, password=None, query=None, fragment=None))


def _connect_reason(exc: BaseException) -> str:
    """Name the socket-level cause the SDK and httpx wrap (several layers deep)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return "connection refused"
    if any(isinstance(e, socket.gaierror) for e in chain):
        return "cannot resolve the host name"
    return f"cannot connect ({chain[-1]})"


def _body_message(body: object) -> str:
    """The error text in an OpenAI-, vLLM- or FastAPI-style error body, shortened."""
    text = ""
    if isinstance(body, str):
        text = body
    elif isinstance(body, dict):
        for key in ("message", "detail", "error"):
            value = body.get(key)
            if isinstance(value, dict):
                value = value.get("message")
            if isinstance(value, str):
                text = value
                break
    return " ".join(text.split())[:120]
