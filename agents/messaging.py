"""The message contract: buttons, callback data, escaping, and "tell the owner" / "mail the guest".

Every agent and job that says something to a person goes through this module, so the shape of
an outbox payload (see ``agents.notify``) and of a button's callback data is written once:

- Text for Telegram is HTML (parse_mode=HTML); outside text goes through ``esc``.
- A button press comes back as ``kind:<int id>:<action>``; ``callback_data`` builds it and
  ``parse_callback`` is the only way it is read back (the bot rejects anything else).
- ``tell_owner`` and ``mail_guest`` enqueue one outbox row by idempotency key inside the
  caller's write transaction, so a message exists if and only if its cause was committed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, NotRequired, TypedDict

from sqlalchemy.orm import Session

from store import outbox

CALLBACK_RE = re.compile(r"^([a-z]{1,16}):(\d{1,12}):([a-z_]{1,16})$")
KIND_RE = re.compile(r"[a-z]{1,16}")


class Button(TypedDict):
    """One inline button: a callback (``callback_data``) or a link (``url``)."""

    text: str
    callback_data: NotRequired[str]
    url: NotRequired[str]


Buttons = list[list[Button]]
"""Rows of buttons, as the Telegram payload carries them."""


@dataclass(frozen=True)
class Callback:
    """A decoded button press: which kind of object, its id, and what to do."""

    kind: str
    object_id: int
    action: str


def esc(text: str) -> str:
    """Escape ``&``, ``<`` and ``>``: all Telegram HTML needs outside attribute values."""
    return html.escape(text, quote=False)


def callback_data(kind: str, object_id: int, action: str) -> str:
    """Encode a button press; ``parse_callback`` is the only format accepted back."""
    data = f"{kind}:{object_id}:{action}"
    if not CALLBACK_RE.match(data):
        raise ValueError(f"bad callback data {data!r}")
    return data


def parse_callback(data: str | None) -> Callback | None:
    """The press named by ``data``, or None when it is not ours (forged, old format, empty)."""
    match = CALLBACK_RE.match(data or "")
    if match is None:
        return None
    return Callback(match.group(1), int(match.group(2)), match.group(3))


def button(text: str, kind: str, object_id: int, action: str) -> Button:
    """A callback button."""
    return {"text": text, "callback_data": callback_data(kind, object_id, action)}


def link_button(text: str, url: str) -> Button:
    """A button that opens ``url``."""
    return {"text": text, "url": url}


def tell_owner(
    session: Session,
    *,
    chat_id: int,
    text: str,
    key: str,
    now: datetime,
    buttons: Sequence[Sequence[Button]] | None = None,
    due_at: datetime | None = None,
    edit_of: str | None = None,
    disable_preview: bool = False,
) -> bool:
    """Queue a Telegram message (HTML ``text``) to an owner's chat; True if newly queued.

    ``edit_of`` names the key of an earlier message to edit in place instead of sending anew
    (the dispatcher resolves it to that message's id once it was sent).
    """
    payload: dict[str, Any] = {"text": text, "buttons": [list(row) for row in buttons or ()]}
    if edit_of:
        payload["edit_of"] = edit_of
    if disable_preview:
        payload["disable_preview"] = True
    _, created = outbox.enqueue(
        session,
        channel="telegram",
        recipient=str(chat_id),
        payload=payload,
        due_at=due_at or now,
        idempotency_key=key,
        now=now,
    )
    return created


def mail_guest(
    session: Session,
    *,
    to: str,
    subject: str,
    text: str,
    key: str,
    now: datetime,
    due_at: datetime | None = None,
    ics: str | None = None,
    ics_method: Literal["REQUEST", "CANCEL"] | None = None,
) -> bool:
    """Queue a plain-text mail (optionally with an iCalendar part); True if newly queued."""
    payload: dict[str, Any] = {
        "subject": subject,
        "text": text,
        "ics": ics,
        "ics_method": (ics_method or "REQUEST") if ics is not None else None,
    }
    _, created = outbox.enqueue(
        session,
        channel="email",
        recipient=to,
        payload=payload,
        due_at=due_at or now,
        idempotency_key=key,
        now=now,
    )
    return created
