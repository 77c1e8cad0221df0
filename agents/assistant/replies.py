"""What the assistant says (Telegram HTML): fixed texts, the confirmation card, outcomes."""

from __future__ import annotations

from collections.abc import Sequence

from agents.messaging import Buttons, button, esc

KIND = "asst"  # callback kind of the confirmation card: asst:<message id>:yes|no
MAX_CHARS = 4000

EMPTY = (
    "Send me a message with some words in it: a to-do, or a question like “what's on tomorrow?”."
)
TOO_LONG = (
    f"That message is too long for me (over {MAX_CHARS:,} characters). Please send it shorter."
)
CAN_DO = (
    "I keep your to-dos, meetings and papers. Send a to-do (“buy milk tomorrow”), ask "
    "(“what's on tomorrow?”, “am I free on Friday?”, “any pending bookings?”), or use /agenda."
)
CHITCHAT = "Hi! 👋 " + CAN_DO
UNCLEAR = "I'm not sure what you mean. " + CAN_DO
NEEDS_LLM = (
    "I can't reach the language model right now, and free-form requests need it. The common "
    "questions still work: “today”, “tomorrow”, “this week”, or /agenda."
)
NEEDS_LLM_REST = (
    "The rest of your message asks for a change (or something only the language model can "
    "work out), and I can't reach it right now: nothing was changed."
)
NOTHING = "I found nothing I could do for that. " + CAN_DO
CANCELLED = "✖️ Cancelled, nothing changed."
STALE = "Already handled."


def card(lines: Sequence[str], dropped: Sequence[str]) -> str:
    """The confirmation card: what will change (HTML lines from ``describe``), what cannot."""
    parts = ["<b>Shall I do this?</b>", *(f"• {line}" for line in lines)]
    parts += [f"⚠️ {esc(reason)}" for reason in dropped]
    return "\n".join(parts)


def card_buttons(message_id: int) -> Buttons:
    yes = button("✅ Do it", KIND, message_id, "yes")
    return [[yes, button("✖️ Cancel", KIND, message_id, "no")]]


def dropped_only(dropped: Sequence[str]) -> str:
    """Every proposed change was impossible: say why, change nothing."""
    return "\n".join(["I can't do that:", *(f"⚠️ {esc(reason)}" for reason in dropped)])


def done(results: Sequence[str]) -> str:
    """The outcomes of a confirmed card (HTML lines from ``apply``)."""
    return "\n".join(["✅ <b>Done</b>", *(f"• {line}" for line in results)])


def model_words(text: str) -> str:
    """The model's own answer when it called no tool: shown as plain text, marked as such."""
    return f"{esc(text)}\n<i>(the language model's words)</i>"
