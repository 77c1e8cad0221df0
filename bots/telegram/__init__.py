"""Telegram edge: the bot (``app`` composes every agent's ``Feature`` from ``feature``),
outbox delivery (``notifier``) and safe HTML building (``html``)."""

from bots.telegram.notifier import TelegramNotifier, send_with_retry

__all__ = ["TelegramNotifier", "send_with_retry"]
