"""Settings: read from ``ERRANDS_*`` variables and an optional ``.env``, only by errands/.

Nothing here runs at import. ``load_settings()`` turns pydantic's validation report into one
``ConfigError`` line that names the variable, so the CLI can exit 2 with it.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from store.errors import ConfigError

SchemaMode = Literal["json_schema", "json_object"]
TELEGRAM_API = "https://api.telegram.org/bot"


def _default_data_dir() -> Path:
    return Path(user_data_dir("errands", appauthor=False))


class Settings(BaseSettings):
    """Every knob errands has; the README's configuration table mirrors this class."""

    model_config = SettingsConfigDict(
        env_prefix="ERRANDS_", env_file=".env", extra="ignore", validate_default=True
    )

    data_dir: Path = Field(default_factory=_default_data_dir)
    database_url: str = ""
    timezone: str = "UTC"

    llm_base_url: str = "http://127.0.0.1:8000/v1"
    llm_model: str = ""
    llm_api_key: SecretStr = SecretStr("")
    llm_schema_mode: SchemaMode = "json_schema"
    llm_fallback_base_url: str = ""
    llm_fallback_model: str = ""
    llm_fallback_api_key: SecretStr = SecretStr("")
    llm_fallback_schema_mode: SchemaMode = "json_schema"
    llm_timeout: float = Field(default=60.0, gt=0)
    llm_max_retries: int = Field(default=2, ge=0, le=10)
    llm_concurrency: int = Field(default=4, ge=1, le=256)

    telegram_token: SecretStr = SecretStr("")
    telegram_base_url: str = TELEGRAM_API
    owner_chat_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)

    smtp_host: str = ""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_user: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_from: str = ""
    smtp_starttls: bool = True

    web_host: str = "127.0.0.1"
    web_port: int = Field(default=8080, ge=0, le=65535)
    public_url: str = ""
    secret_key: SecretStr = SecretStr("")
    # Job name -> trigger ("every 30s" or a crontab line, in each owner's zone), e.g.
    # ERRANDS_SCHEDULES='{"morning-agenda": "30 7 * * *"}'. See `errands jobs list`.
    schedules: dict[str, str] = Field(default_factory=dict)

    @field_validator("timezone")
    @classmethod
    def _iana_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA time zone {value!r} (e.g. Europe/Berlin)") from None
        return value

    @field_validator("owner_chat_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            try:
                return [int(p) for p in parts]
            except ValueError:
                raise ValueError("expected comma-separated chat ids, e.g. 42,1001") from None
        return value

    @field_validator("llm_base_url", "llm_fallback_base_url", "telegram_base_url", "public_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError(f"expected an http(s) URL, got {value!r}")
        return value.rstrip("/") if value != TELEGRAM_API else value

    @field_validator("smtp_from")
    @classmethod
    def _email_address(cls, value: str) -> str:
        from email.utils import parseaddr

        address = parseaddr(value)[1]
        if value and ("@" not in address or address.startswith("@") or address.endswith("@")):
            raise ValueError(f"expected an email address like bot@example.org, got {value!r}")
        return value

    # ---- derived values (no I/O)

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'errands.db'}"

    @property
    def effective_public_url(self) -> str:
        return self.public_url or f"http://{self.web_host}:{self.web_port}"

    @property
    def smtp_configured(self) -> bool:
        return bool(self.smtp_host and self.smtp_from)

    def ensure_secret_key(self) -> str:
        """The configured secret key, or one generated once into the data dir (mode 0600)."""
        if self.secret_key.get_secret_value():
            return self.secret_key.get_secret_value()
        path = self.data_dir / "secret_key"
        if path.exists():
            return path.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
        return key


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment; any invalid value is one ``ConfigError`` line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "settings"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"ERRANDS_{field.upper()}: {message}") from None
