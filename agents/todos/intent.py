"""Is a text a task at all? "asdfgh", "thanks!" or "what's on tomorrow?" are not to-dos.

The assistant's rules router (``agents.assistant.route.classify``) already tells a task to
capture from a question or request, chat and gibberish; this reuses it rather than keeping a
second classifier. Nothing is saved for such a text unless the owner says so ("Save this as a
to-do?").
"""

from __future__ import annotations

from agents.assistant.route import classify

SAVE_QUESTION = "Save this as a to-do?"
_WHY = {
    "unclear": "does not read as a task",
    "chitchat": "reads as chat, not a task",
    "assistant": "reads as a question or a request, not a task",
}


def not_a_task(text: str) -> str | None:
    """Why ``text`` does not look like a to-do, or None when it does."""
    return _WHY.get(classify(text).kind)
