"""Telegram texts and buttons for to-dos (HTML parse mode; every title is escaped here).

Buttons use the bot's ``kind:<id>:<action>`` callback format with the task id:
``todo:<id>:...`` for lists, agendas and reviews (act on the task as it is now), ``rem:<id>:...``
on reminders (valid only while the reminded occurrence is the current one: a second tap, or a
tap after a repeating task moved on, answers "Already done.").
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from agents.todos.model import Ambiguous, Draft
from agents.todos.recurrence import describe
from agents.todos.timeutil import zone
from store.models import Todo

Buttons = list[list[dict[str, Any]]]
PRIORITY_MARK = {1: "🔴 ", 2: "🟠 ", 3: "🔵 ", 4: ""}


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def button(text: str, kind: str, object_id: int, action: str) -> dict[str, Any]:
    return {"text": text, "callback_data": f"{kind}:{object_id}:{action}"}


def when_text(due: datetime | None, *, all_day: bool, timezone: str) -> str:
    if due is None:
        return "no date"
    local = due.astimezone(zone(timezone))
    return local.strftime("%a %d %b") if all_day else local.strftime("%a %d %b %H:%M")


def draft_summary(draft: Draft) -> str:
    """What the bot understood, for the confirmation card."""
    lines = [f"📝 <b>{esc(draft.title)}</b>"]
    when = when_text(draft.due, all_day=draft.all_day, timezone=draft.timezone)
    lines.append(f"📅 {esc(when)}" + (" (all day)" if draft.all_day else ""))
    if draft.rrule:
        mark = " after each completion" if draft.repeat_from_completion else ""
        lines.append(f"🔁 {esc(describe(draft.rrule))}{mark}")
    if draft.priority < 4:
        lines.append(f"❗ priority {draft.priority}")
    if draft.notes:
        lines.append(f"🗒 {esc(draft.notes[:300])}")
    return "\n".join(lines)


def confirm_buttons(capture_id: int) -> Buttons:
    return [
        [
            button("✅ Save", "tcap", capture_id, "save"),
            button("✏️ Edit", "tcap", capture_id, "edit"),
            button("✖️ Cancel", "tcap", capture_id, "cancel"),
        ]
    ]


def question_card(ambiguous: Ambiguous, capture_id: int) -> tuple[str, Buttons]:
    title = ambiguous.options[0].draft.title
    text = f"📝 <b>{esc(title)}</b>\n❓ {esc(ambiguous.question)}"
    rows = [
        [button(option.label, "tcap", capture_id, "opt_" + "abcdefgh"[i])]
        for i, option in enumerate(ambiguous.options)
    ]
    rows.append([button("✖️ Cancel", "tcap", capture_id, "cancel")])
    return text, rows


def item_line(todo: Todo) -> str:
    when = when_text(todo.due_at, all_day=todo.all_day, timezone=todo.timezone)
    repeat = " 🔁" if todo.rrule else ""
    snoozed = ""
    if todo.snoozed_until is not None:
        snoozed = " 💤 " + when_text(todo.snoozed_until, all_day=False, timezone=todo.timezone)
    return (
        f"{PRIORITY_MARK[todo.priority]}#{todo.id} {esc(todo.title)} · {esc(when)}{repeat}{snoozed}"
    )


def item_buttons(todo: Todo) -> list[dict[str, Any]]:
    short = todo.title if len(todo.title) <= 20 else todo.title[:19] + "…"
    return [
        button(f"✅ {short}", "todo", todo.id, "done"),
        button("💤", "todo", todo.id, "snooze"),
    ]


def reminder(todo: Todo, *, late_nag: int = 0) -> str:
    when = when_text(todo.due_at, all_day=todo.all_day, timezone=todo.timezone)
    head = "⏰" if late_nag == 0 else f"⏰ Still open (reminder {late_nag + 1})"
    text = f"{head} <b>{esc(todo.title)}</b>\n📅 {esc(when)}"
    if todo.rrule:
        text += f"\n🔁 {esc(describe(todo.rrule))}"
    if todo.notes:
        text += f"\n🗒 {esc(todo.notes[:300])}"
    return text


def reminder_buttons(todo_id: int) -> Buttons:
    return [
        [button("✅ Done", "rem", todo_id, "done"), button("💤 Snooze", "rem", todo_id, "snooze")]
    ]


def snooze_buttons(kind: str, object_id: int) -> Buttons:
    from agents.todos.snooze import PRESETS

    labels = list(PRESETS.items())
    return [
        [button(label, kind, object_id, action) for action, label in labels[:2]],
        [button(label, kind, object_id, action) for action, label in labels[2:]],
    ]
