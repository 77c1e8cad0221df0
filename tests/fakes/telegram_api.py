"""Moved to ``errands.bench.fake_telegram`` (the benchmark needs it at runtime); re-exported."""

from errands.bench.fake_telegram import *  # noqa: F403
from errands.bench.fake_telegram import (  # noqa: F401
    BOT_USER,
    ApiError,
    Call,
    FakeTelegramAPI,
    create_app,
    html_to_text,
    serve_fake,
)
