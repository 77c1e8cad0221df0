"""The errors callers of ``LLMClient`` see (no provider types leak out)."""

from __future__ import annotations

from collections.abc import Sequence

from store.errors import ErrandsError


class LLMError(ErrandsError):
    """Something went wrong talking to a language model."""

    user_message = "The language model failed."


class LLMUnavailable(LLMError):
    """No backend answered; ``failures`` holds ``(backend, reason)`` for each one tried."""

    user_message = "No language model answered."

    def __init__(
        self, user_message: str | None = None, *, failures: Sequence[tuple[str, str]] = ()
    ) -> None:
        super().__init__(user_message)
        self.failures = tuple(failures)


class LLMBadOutput(LLMError):
    """Every backend that answered failed validation, even after one retry each."""

    user_message = "The language model's answer did not have the expected form."
