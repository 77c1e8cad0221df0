"""Telegram texts and buttons for to-dos (HTML parse mode; every title is escaped here).

Buttons carry the task id (``agents.messaging.callback_data``): ``tcap:<message id>:...`` on
capture cards, ``tlist:<id>:...`` on /list (a tap redraws the whole list), ``todo:<id>:...`` on
agendas, reviews and snooze menus, ``rem:<id>:...`` on reminders; ``agents.todos.chat``
decides what a tap on them does.
"""

from __future__ import annotations

from datetime import datetime

from agents.messaging import Button, Buttons, button, esc
from agents.todos.model import Ambiguous, Draft
from agents.todos.recurrence import describe
from agents.todos.timeutil import day_bounds, zone
from store.models import Todo

PRIORITY_MARK = {1: "🔴 ", 2: "🟠 ", 3: "🔵 ", 4: ""}
LIST_KIND = "tlist"
"""The button kind of /list messages: after a tap the bot shows the list as it is now."""
LIST_LIMIT = 30
EMPTY_LIST = "No open to-dos. Send me one in plain words."


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


def item_buttons(todo: Todo, kind: str = "todo") -> list[Button]:
    short = todo.title if len(todo.title) <= 20 else todo.title[:19] + "…"
    return [
        button(f"✅ {short}", kind, todo.id, "done"),
        button("💤", kind, todo.id, "snooze"),
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


def snooze_question(title: str) -> str:
    """The text above the snooze menu."""
    return f"💤 Snooze “{esc(title)}” until…"


def snooze_buttons(kind: str, object_id: int) -> Buttons:
    from agents.todos.snooze import PRESETS

    labels = list(PRESETS.items())
    return [
        [button(label, kind, object_id, action) for action, label in labels[:2]],
        [button(label, kind, object_id, action) for action, label in labels[2:]],
    ]


def list_snooze_buttons(todo_id: int) -> Buttons:
    """The snooze choices in place of a /list item's row, and a way back."""
    return [*snooze_buttons(LIST_KIND, todo_id), [button("↩️ Back", LIST_KIND, todo_id, "back")]]


def list_message(items: list[Todo], *, timezone: str, now: datetime) -> tuple[str, Buttons]:
    """/list: overdue, today, upcoming, no date (in ``timezone``); a ✅/💤 row per item shown
    (``tlist`` buttons: the bot redraws this message after a tap)."""
    if not items:
        return EMPTY_LIST, []
    tz = zone(timezone)
    start, end = day_bounds(now.astimezone(tz).replace(tzinfo=None), tz)
    groups: dict[str, list[Todo]] = {"Overdue": [], "Today": [], "Upcoming": [], "No date": []}
    for todo in items:
        when = todo.snoozed_until or todo.due_at
        if when is None:
            groups["No date"].append(todo)
        elif when < start:
            groups["Overdue"].append(todo)
        elif when < end:
            groups["Today"].append(todo)
        else:
            groups["Upcoming"].append(todo)
    lines: list[str] = []
    shown: list[Todo] = []
    for name, group in groups.items():
        if not group or len(shown) >= LIST_LIMIT:
            continue
        lines.append(f"\n<b>{name}</b>")
        for todo in group[: LIST_LIMIT - len(shown)]:
            lines.append(item_line(todo))
            shown.append(todo)
    if len(items) > len(shown):
        lines.append(f"\n… and {len(items) - len(shown)} more")
    return "\n".join(lines).strip(), [item_buttons(t, LIST_KIND) for t in shown]
