"""The LLM call log: one row per call, success or failure."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import LLMCall


def record_call(
    session: Session,
    *,
    at: datetime,
    backend: str,
    model: str,
    purpose: str,
    latency_ms: float,
    ok: bool,
    prompt_tokens: int | None = None,
    completion_tokens: int | None = None,
    error: str | None = None,
) -> LLMCall:
    row = LLMCall(
        created_at=at,
        backend=backend,
        model=model,
        purpose=purpose,
        latency_ms=latency_ms,
        ok=ok,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        error=error[:2000] if error else None,
    )
    session.add(row)
    session.flush()
    return row


def recent_calls(session: Session, *, limit: int = 50) -> list[LLMCall]:
    return list(session.scalars(select(LLMCall).order_by(LLMCall.id.desc()).limit(limit)))
