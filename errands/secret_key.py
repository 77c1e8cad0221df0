"""The secret key booking links, manage links and form tokens are signed with.

One instance on SQLite may generate its own key into its data dir. Instances sharing a
PostgreSQL database serve each other's links: a key per data dir would make a link signed by
one refused by the others, so there ERRANDS_SECRET_KEY must be set (the same on all).
"""

from __future__ import annotations

import os
import secrets
from typing import TYPE_CHECKING

from errands.exits import data_dir_unusable
from store.errors import ConfigError

if TYPE_CHECKING:
    from errands.settings import Settings

GENERATE = "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"


def require_shared_secret(settings: Settings) -> None:
    """``ConfigError`` when the database is PostgreSQL and ERRANDS_SECRET_KEY is unset."""
    if settings.is_shared_database and not settings.secret_key.get_secret_value():
        raise ConfigError(
            "ERRANDS_SECRET_KEY must be set when the database is PostgreSQL: every instance "
            f"must sign booking links with the same key (generate one with `{GENERATE}`)"
        )


def ensure_secret_key(settings: Settings) -> str:
    """The configured secret key, or (SQLite only) one generated once into the data dir, 0600."""
    require_shared_secret(settings)
    if settings.secret_key.get_secret_value():
        return settings.secret_key.get_secret_value()
    data_dir = settings.data_dir
    path = data_dir / "secret_key"
    try:
        if path.exists():
            return path.read_text().strip()
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(key)
        except OSError:
            path.unlink(missing_ok=True)  # never leave an empty key behind (disk full)
            raise
    except OSError as exc:
        raise data_dir_unusable(exc, data_dir) from exc
    return key
