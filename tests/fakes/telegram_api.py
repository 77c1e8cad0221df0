"""The fake Bot API lives in ``bench.fake_telegram`` (the outbox benchmark serves it too)."""

from bench.fake_telegram import BOT_USER, ApiError, Call, FakeTelegramAPI, create_app, html_to_text

__all__ = ["BOT_USER", "ApiError", "Call", "FakeTelegramAPI", "create_app", "html_to_text"]
