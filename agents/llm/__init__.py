"""The only package that knows LLM providers: OpenAI-compatible servers in a fallback chain.

Agents ask ``LLMClient`` for a chat reply, a pydantic-validated value or embeddings, and get
typed results or one of our errors:

- ``LLMError``: the base.
  - ``LLMUnavailable``: no backend answered. Callers take their rule-based path.
  - ``LLMBadOutput``: backends answered, but never in the requested shape.

Backends are tried in order (local vLLM first, then a hosted one). The openai SDK does the
timeouts and the bounded retries with backoff (5xx, 429, connection errors) for each backend.
Every attempt, good or bad, is reported to ``call_log`` so latency and failures can be seen
later. Messages never contain API keys.

Modules: ``client`` (the fallback chain), ``values`` (what goes in and comes out), ``replies``
(reading replies, structured output), ``failures`` (key-free reasons), ``health`` (``check``),
``errors``. Import from the package: the names below are its API.
"""

from agents.llm.client import ATTEMPTS_PER_BACKEND, LLMClient
from agents.llm.errors import LLMBadOutput, LLMError, LLMUnavailable
from agents.llm.values import (
    Backend,
    BackendStatus,
    CallRecord,
    ChatReply,
    Embeddings,
    Message,
    SchemaMode,
    Structured,
    Tool,
    ToolCall,
)

__all__ = [
    "ATTEMPTS_PER_BACKEND",
    "Backend",
    "BackendStatus",
    "CallRecord",
    "ChatReply",
    "Embeddings",
    "LLMBadOutput",
    "LLMClient",
    "LLMError",
    "LLMUnavailable",
    "Message",
    "SchemaMode",
    "Structured",
    "Tool",
    "ToolCall",
]
