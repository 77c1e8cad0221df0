"""The agents' Telegram features, in the order their commands appear in the menu.

Each agent adds one line here (its ``Feature`` lives in ``bots/telegram/<agent>.py``).
"""

from __future__ import annotations

from agents.context import AppContext
from bots.telegram.app import Feature


def default_features(ctx: AppContext) -> list[Feature]:
    """Every feature the bot offers; ``ctx`` is there for features that need settings."""
    from bots.telegram.arxiv import ArxivFeature
    from bots.telegram.meetings import MeetingsFeature
    from bots.telegram.todos import TodoFeature

    features: list[Feature] = []
    features.append(MeetingsFeature())
    features.append(TodoFeature())
    features.append(ArxivFeature())
    return features
