"""Settings: read from ``ERRANDS_*`` variables and an optional ``.env``, only by errands/.

Nothing here runs at import. ``load_settings()`` turns pydantic's validation report (and a
``.env`` that is not UTF-8, a value that is not JSON) into one ``ConfigError`` line that names the
variable, with secrets masked, so the CLI can exit 2 with it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from platformdirs import user_data_dir
from pydantic import (
    AfterValidator,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict, SettingsError

from errands.exits import redact
from errands.webhook_settings import webhook_secret, webhook_url
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
    # Start the embedded llama.cpp engine at `errands run` when no configured LLM answers
    # (needs the `local` extra).
    llm_embedded: bool = True
    # A separate OpenAI-compatible endpoint for /v1/embeddings (e.g. a second vLLM serving an
    # embedding model): a generative model's server usually does not embed. Empty: ask the
    # chat chain above.
    embeddings_base_url: str = ""
    embeddings_model: str = ""
    embeddings_api_key: SecretStr = SecretStr("")

    # ---- speech-to-text for voice notes (agents/stt): an OpenAI-compatible
    # /v1/audio/transcriptions endpoint first (vLLM serving a Whisper model, a hosted API), then
    # faster-whisper on the CPU from ERRANDS_STT_MODEL_DIR (a CTranslate2 Whisper model
    # directory) or, when empty, the model the `stt` extra ships. Nothing is downloaded.
    stt_base_url: str = ""
    stt_model: str = ""
    stt_api_key: SecretStr = SecretStr("")
    stt_timeout: float = Field(default=60.0, gt=0)
    stt_model_dir: str = ""
    stt_embedded: bool = True
    stt_max_seconds: int = Field(default=120, ge=1, le=3600)  # longer voice notes: a reply

    telegram_token: SecretStr = SecretStr("")
    telegram_base_url: str = TELEGRAM_API
    # Webhook mode (errands/webhook_settings.py): Telegram POSTs updates to this URL, which
    # every instance's web app serves, checking the secret header; then no instance polls.
    telegram_webhook_url: Annotated[str, AfterValidator(webhook_url)] = ""
    telegram_webhook_secret: Annotated[SecretStr, AfterValidator(webhook_secret)] = SecretStr("")
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
    # The morning-agenda job sends one briefing across the agents (meetings, to-dos, papers,
    # booking requests) instead of the to-do agenda; false: the to-do agenda as before.
    briefing: bool = True

    # ---- meetings (agents/meetings): booking holds, reminders and abuse limits
    meetings_pending_ttl_hours: float = Field(default=24.0, gt=0, le=24 * 14)
    # Reminder offsets before each meeting, e.g. "24h,1h" or "30m".
    meetings_reminder_offsets: Annotated[list[int], NoDecode] = Field(
        default_factory=lambda: [24 * 60, 60]
    )
    meetings_requests_per_email: int = Field(default=2, ge=1, le=1000)
    meetings_requests_per_ip: int = Field(default=5, ge=1, le=100_000)
    meetings_rate_limit: int = Field(default=10, ge=1, le=1_000_000)

    # ---- to-dos (agents/todos): agenda/review times and quiet hours are HH:MM in each owner's
    # zone; an explicit ERRANDS_SCHEDULES entry for morning-agenda/evening-review wins.
    todo_morning_agenda: str = "08:00"
    todo_evening_review: str = "21:00"
    todo_nag_minutes: int = Field(default=30, ge=5, le=24 * 60)
    todo_nag_priority: int = Field(default=1, ge=0, le=4)  # 0 = never nag
    todo_quiet_hours: str = "22:00-07:00"
    todo_use_llm: bool = True

    # ---- arXiv digest (agents/arxiv): where arXiv is, default categories, when and how much.
    # The digest time is HH:MM in each owner's zone on ERRANDS_ARXIV_DIGEST_DAYS (cron day
    # field, weekdays by default); an explicit ERRANDS_SCHEDULES entry for arxiv-digest wins.
    arxiv_api_url: str = "https://export.arxiv.org/api/query"
    arxiv_rss_url: str = "https://rss.arxiv.org/rss"
    arxiv_categories: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["cs.LG", "cs.AI", "cs.CL", "cs.CV"]
    )
    arxiv_digest_size: int = Field(default=10, ge=1, le=50)
    arxiv_digest_time: str = "08:00"
    arxiv_digest_days: str = "mon-fri"
    arxiv_min_interval: float = Field(default=3.0, ge=0, le=600)  # arXiv asks for >= 3 s
    arxiv_tldr: bool = True
    # Dense embeddings from the LLM server as an extra recommender feature (when it answers);
    # the weight is the embedding block's share of a row's squared norm (< 1: TF-IDF stays).
    arxiv_embeddings: bool = True
    arxiv_embedding_weight: float = Field(default=0.5, ge=0, lt=1)

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        """A URL SQLAlchemy can parse, of a dialect and driver that are installed.

        The value is never echoed: it may hold a password.
        """
        if not value:
            return value
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError, NoSuchModuleError

        from store.db import DRIVER_HINT, normalize_url

        example = "e.g. sqlite:////var/lib/errands/errands.db or postgresql+psycopg://user@host/db"
        value = normalize_url(value)
        try:
            url = make_url(value)
        except (ArgumentError, ValueError):
            raise ValueError(f"not a database URL ({example})") from None
        try:
            dialect = url.get_dialect()
        except NoSuchModuleError:
            raise ValueError(f"unknown database {url.drivername!r} ({example})") from None
        try:
            dialect.import_dbapi()
        except ImportError:
            if url.get_backend_name() == "postgresql":
                raise ValueError(DRIVER_HINT) from None
            raise ValueError(
                f"the driver for {url.drivername!r} is not installed in this environment"
            ) from None
        return value

    @field_validator("schedules")
    @classmethod
    def _schedules(cls, value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        """The very check ``errands run`` makes (``jobs.scheduler.plan``), so ``doctor`` and every
        other command refuse what ``run`` would refuse."""
        if value:
            check_schedules(value, str(info.data.get("timezone") or "UTC"))
        return value

    @field_validator("arxiv_api_url", "arxiv_rss_url")
    @classmethod
    def _arxiv_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"expected an http(s) URL, got {value!r}")
        return value.rstrip("/")

    @field_validator("arxiv_categories", mode="before")
    @classmethod
    def _arxiv_categories(cls, value: object) -> object:
        if isinstance(value, str):
            value = [p.strip() for p in value.split(",") if p.strip()]
        if isinstance(value, list):
            bad = [c for c in value if not re.fullmatch(r"[a-z-]+(\.[A-Za-z-]+)?", str(c))]
            if bad or not value:
                raise ValueError(f"expected arXiv categories like cs.LG,stat.ML: {bad or value}")
        return value

    @field_validator("arxiv_digest_days")
    @classmethod
    def _arxiv_days(cls, value: str) -> str:
        day = r"(mon|tue|wed|thu|fri|sat|sun|[0-6])"
        if not re.fullmatch(rf"\*|{day}(-{day})?(,{day}(-{day})?)*", value.strip().lower()):
            raise ValueError(f"expected cron days like mon-fri or mon,wed,fri, got {value!r}")
        return value.strip().lower()

    @model_validator(mode="after")
    def _arxiv_schedule(self) -> Settings:
        """The digest time and days become the arxiv-digest trigger (unless set explicitly)."""
        hour, minute = self.arxiv_digest_time.split(":")
        default = f"{int(minute)} {int(hour)} * * {self.arxiv_digest_days}"
        self.schedules = {"arxiv-digest": default, **self.schedules}
        return self

    @field_validator("arxiv_digest_time", "todo_morning_agenda", "todo_evening_review")
    @classmethod
    def _clock_time(cls, value: str) -> str:
        if not re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d", value.strip()):
            raise ValueError(f"expected a time like 07:30, got {value!r}")
        return value.strip()

    @field_validator("todo_quiet_hours")
    @classmethod
    def _quiet_hours(cls, value: str) -> str:
        clock = r"([01]?\d|2[0-3]):[0-5]\d"
        if value.strip() and not re.fullmatch(rf"{clock}-{clock}", value.replace(" ", "")):
            raise ValueError(f"expected quiet hours like 22:00-07:00 (or empty), got {value!r}")
        return value.replace(" ", "")

    @model_validator(mode="after")
    def _todo_schedules(self) -> Settings:
        """Turn the agenda/review times into per-owner cron triggers (unless set explicitly)."""
        defaults = {}
        for job, at in (
            ("morning-agenda", self.todo_morning_agenda),
            ("evening-review", self.todo_evening_review),
        ):
            hour, minute = at.split(":")
            defaults[job] = f"{int(minute)} {int(hour)} * * *"
        self.schedules = {**defaults, **self.schedules}
        return self

    @field_validator("timezone")
    @classmethod
    def _iana_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA time zone {value!r} (e.g. Europe/Berlin)") from None
        return value

    @field_validator("meetings_reminder_offsets", mode="before")
    @classmethod
    def _offsets(cls, value: object) -> object:
        """``"24h,1h"`` -> minutes ``[1440, 60]`` (m/h/d units; each 1 minute to 14 days)."""
        if not isinstance(value, str):
            return value
        units = {"m": 1, "h": 60, "d": 24 * 60}
        minutes: list[int] = []
        for part in (p.strip().lower() for p in value.split(",") if p.strip()):
            if len(part) < 2 or part[-1] not in units or not part[:-1].isdigit():
                raise ValueError(f"expected offsets like 24h,1h or 30m, got {part!r}")
            amount = int(part[:-1]) * units[part[-1]]
            if not 1 <= amount <= 14 * 24 * 60:
                raise ValueError(f"offset {part!r} must be 1 minute to 14 days")
            minutes.append(amount)
        return sorted(set(minutes), reverse=True)

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

    @field_validator(
        "llm_base_url",
        "llm_fallback_base_url",
        "embeddings_base_url",
        "stt_base_url",
        "telegram_base_url",
        "public_url",
    )
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

    @property
    def is_shared_database(self) -> bool:
        """A database server several instances may share (PostgreSQL), not a file of one."""
        from sqlalchemy.engine import make_url

        return make_url(self.effective_database_url).get_backend_name() == "postgresql"

    def ensure_secret_key(self) -> str:
        """The key links are signed with (``errands.secret_key``): the configured one, or one
        generated once into the data dir; on PostgreSQL a configured one is required."""
        from errands.secret_key import ensure_secret_key

        return ensure_secret_key(self)


def check_schedules(overrides: dict[str, str], timezone: str) -> None:
    """Raise ``ValueError`` (without the variable's name) for an override ``run`` would refuse."""
    from datetime import UTC, datetime

    from jobs.scheduler import plan

    try:
        plan(
            owners=[(0, timezone)],  # per-owner jobs are checked in the default zone
            default_timezone=timezone,
            overrides=overrides,
            now=datetime.now(UTC),
        )
    except ConfigError as exc:
        raise ValueError(exc.user_message.removeprefix("ERRANDS_SCHEDULES: ")) from None


_FIELD = re.compile(r'field "(\w+)"')


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment; any invalid value is one ``ConfigError`` line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "settings"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise ConfigError(redact(f"ERRANDS_{field.upper()}: {message}")) from None
    except SettingsError as exc:  # a JSON-valued setting (ERRANDS_SCHEDULES) that is not JSON
        match = _FIELD.search(str(exc))
        name = f"ERRANDS_{match.group(1).upper()}" if match else "a setting"
        raise ConfigError(
            f'{name}: not valid JSON (expected e.g. {{"outbox": "every 30s"}})'
        ) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{Path('.env').absolute()}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at "
            f"offset {exc.start}); save it as UTF-8"
        ) from None
    except OSError as exc:
        raise ConfigError(
            f"cannot read {Path('.env').absolute()}: {exc.strerror or type(exc).__name__}"
        ) from None
