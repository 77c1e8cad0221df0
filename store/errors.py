"""The one error hierarchy of errands.

It lives in ``store`` because ``store`` is the bottom of the import graph: every package can
raise these, and only the edges (bot, web, CLI, job runner) translate them for people.
"""

from __future__ import annotations


class ErrandsError(Exception):
    """Base of every error errands raises on purpose.

    ``user_message`` is safe to show to a person (no secrets, no tracebacks).
    """

    user_message: str = "Something went wrong."

    def __init__(self, user_message: str | None = None) -> None:
        if user_message is not None:
            self.user_message = user_message
        super().__init__(self.user_message)


class ConfigError(ErrandsError):
    """A setting is missing or invalid; the message names the variable."""


class NotFound(ErrandsError):
    """The thing asked for does not exist (or is not yours)."""


class Conflict(ErrandsError):
    """The change collides with what is already stored (a duplicate, a taken slot)."""


class InvalidInput(ErrandsError):
    """A person gave input errands cannot use; the message says what to fix."""


class StoreUnavailable(ErrandsError):
    """The database cannot be opened or written (bad path, permissions, corrupt file)."""
