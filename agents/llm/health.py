"""The health check: does a backend answer, and does it serve the configured model?"""

from __future__ import annotations

import asyncio

from openai import AsyncOpenAI

from agents.llm.failures import FAILURES, failure_reason, public_url
from agents.llm.values import Backend, BackendStatus


async def check_backend(backend: Backend, client: AsyncOpenAI, timeout: float) -> BackendStatus:
    """Ask for the model list once, without retries, within ``timeout`` seconds."""
    url = public_url(backend.base_url)
    try:
        async with asyncio.timeout(timeout):
            quick = client.with_options(timeout=timeout, max_retries=0)
            page = await quick.models.list()
    except TimeoutError:
        return BackendStatus(backend.name, url, False, f"timed out after {timeout:g}s", [])
    except FAILURES as exc:
        reason = failure_reason(exc, timeout=timeout, api_key=backend.api_key)
        return BackendStatus(backend.name, url, False, reason, [])
    models = [m.id for m in page.data]
    if not models:
        return BackendStatus(backend.name, url, False, "answers but lists no models", [])
    if backend.model and backend.model not in models:
        shown = ", ".join(models[:5]) + (", ..." if len(models) > 5 else "")
        detail = f"does not serve {backend.model!r} (serves {shown})"
        return BackendStatus(backend.name, url, False, detail, models)
    return BackendStatus(backend.name, url, True, f"using {backend.model or models[0]}", models)
