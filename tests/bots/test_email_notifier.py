"""EmailNotifier against a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from icalendar import Calendar, Event

from agents.notify import DeliveryError, Notifier
from bots.email.notifier import EmailNotifier, is_valid_address
from tests.fakes.processes import free_port
from tests.fakes.smtp import FakeSMTP

START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
FROM = "Errands <bot@errands.test>"


@pytest.fixture
def smtp() -> Iterator[FakeSMTP]:
    with FakeSMTP() as server:
        yield server


def notifier_for(port: int, **overrides: Any) -> EmailNotifier:
    settings: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": port,
        "username": None,
        "password": None,
        "from_addr": FROM,
        "starttls": False,
        "timeout": 5.0,
        "local_hostname": "errands.test",
        **overrides,
    }
    return EmailNotifier(**settings)


def invite(method: str = "REQUEST") -> str:
    cal = Calendar()
    cal.add("prodid", "-//errands//test//EN")
    cal.add("version", "2.0")
    cal.add("method", method)
    event = Event()
    event.add("uid", "booking-17@errands.test")
    event.add("dtstamp", START - timedelta(days=1))
    event.add("dtstart", START)
    event.add("dtend", START + timedelta(minutes=30))
    event.add("summary", "Call with Ada")
    cal.add_component(event)
    ics: str = cal.to_ical().decode()
    return ics


def test_is_a_notifier() -> None:
    checked: Notifier = notifier_for(25)
    assert checked.channel == "email"


async def test_mail_with_invite(smtp: FakeSMTP) -> None:
    result = await notifier_for(smtp.port).deliver(
        "ada@example.test",
        {
            "subject": "Your booking\nBcc: evil@example.test",  # a newline must not inject
            "text": "See you Monday.",
            "html": "<p>See you <b>Monday</b>.</p>",
            "ics": invite(),
            "ics_method": "REQUEST",
        },
    )

    (got,) = smtp.received
    msg = got.message
    assert got.rcpt_tos == ["ada@example.test"]
    assert got.mail_from == "bot@errands.test"
    assert result == {"message_id": msg["Message-ID"]}
    assert msg["Message-ID"].endswith("@errands.test>")
    assert msg["Subject"] == "Your booking Bcc: evil@example.test"
    assert msg["Bcc"] is None
    assert msg.get_body(("plain",)).get_content().strip() == "See you Monday."  # type: ignore[union-attr]
    assert "<b>Monday</b>" in msg.get_body(("html",)).get_content()  # type: ignore[union-attr]

    (attachment,) = [p for p in msg.iter_attachments() if p.get_filename() == "invite.ics"]
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    cal = Calendar.from_ical(attachment.get_content())
    (event,) = cal.walk("VEVENT")
    assert str(cal["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == "booking-17@errands.test"
    assert event.decoded("DTSTART") == START
    assert b"\r\nBEGIN:VEVENT\r\n" in attachment.get_payload(decode=True)  # CRLF survives


async def test_cancellation_and_text_only(smtp: FakeSMTP) -> None:
    notifier = notifier_for(smtp.port)
    await notifier.deliver("ada@example.test", {"subject": "Hi", "text": "Just text"})
    await notifier.deliver(
        "ada@example.test",
        {"subject": "Cancelled", "text": "Sorry", "ics": invite("CANCEL"), "ics_method": "CANCEL"},
    )
    plain, cancel = smtp.messages
    assert plain.get_content_type() == "text/plain"
    (attachment,) = cancel.iter_attachments()
    assert attachment.get_param("method") == "CANCEL"
    assert str(Calendar.from_ical(attachment.get_content())["METHOD"]) == "CANCEL"


async def test_login(smtp: FakeSMTP) -> None:
    smtp.stop()
    with FakeSMTP(credentials=("bot", "s3cret")) as server:
        ok = notifier_for(server.port, username="bot", password="s3cret")
        await ok.deliver("ada@example.test", {"subject": "Hi", "text": "x"})
        assert server.logins == ["bot"]

        wrong = notifier_for(server.port, username="bot", password="guess")
        with pytest.raises(DeliveryError) as caught:
            await wrong.deliver("ada@example.test", {"subject": "Hi", "text": "x"})
        assert caught.value.permanent
        assert "guess" not in caught.value.user_message
        assert "guess" not in repr(wrong) and "s3cret" not in repr(ok)
        assert len(server.received) == 1


async def test_connection_refused_is_transient() -> None:
    with pytest.raises(DeliveryError) as caught:
        await notifier_for(free_port()).deliver("ada@example.test", {"subject": "s", "text": "t"})
    assert not caught.value.permanent


async def test_silent_server_times_out_transiently() -> None:
    with socket.socket() as listener:  # accepts into the backlog, never greets
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        notifier = notifier_for(listener.getsockname()[1], timeout=0.2)
        with pytest.raises(DeliveryError) as caught:
            await notifier.deliver("ada@example.test", {"subject": "s", "text": "t"})
    assert not caught.value.permanent
    assert "timed out" in caught.value.user_message


@pytest.mark.parametrize(
    ("reply", "permanent"),
    [("550 5.1.1 No such user here", True), ("450 4.2.1 Mailbox busy, try later", False)],
)
async def test_refused_recipient(smtp: FakeSMTP, reply: str, permanent: bool) -> None:
    smtp.refuse("gone@example.test", reply)
    with pytest.raises(DeliveryError) as caught:
        await notifier_for(smtp.port).deliver("gone@example.test", {"subject": "s", "text": "t"})
    assert caught.value.permanent is permanent
    assert reply.split()[0] in caught.value.user_message
    assert smtp.received == []


async def test_starttls_unsupported_is_permanent(smtp: FakeSMTP) -> None:
    with pytest.raises(DeliveryError) as caught:
        await notifier_for(smtp.port, starttls=True).deliver(
            "ada@example.test", {"subject": "s", "text": "t"}
        )
    assert caught.value.permanent


@pytest.mark.parametrize(
    "address",
    [
        "not-an-address",
        "ada@localhost",
        "a b@example.test",
        "ada@example.test\r\nBcc: x@y.test",
        "Ada <ada@example.test>",
        ".ada@example.test",
        "ada@-example.test",
        "",
    ],
)
async def test_invalid_address_is_permanent(smtp: FakeSMTP, address: str) -> None:
    with pytest.raises(DeliveryError) as caught:
        await notifier_for(smtp.port).deliver(address, {"subject": "s", "text": "t"})
    assert caught.value.permanent
    assert smtp.received == []


@pytest.mark.parametrize(
    "body",
    [
        {"text": "no subject"},
        {"subject": "s", "text": "t", "ics": invite(), "ics_method": "PUBLISH"},
        {"subject": "s", "text": "t", "html": 3},
    ],
    ids=["no-subject", "bad-method", "html-type"],
)
async def test_bad_payload_is_permanent(smtp: FakeSMTP, body: dict[str, Any]) -> None:
    with pytest.raises(DeliveryError) as caught:
        await notifier_for(smtp.port).deliver("ada@example.test", body)
    assert caught.value.permanent


def test_address_check() -> None:
    assert is_valid_address("first.last+tag@sub.example.co.uk")
    assert is_valid_address("x@xn--80ak6aa92e.com")
    assert not is_valid_address("ada@example.c")
    assert not is_valid_address("ada..b@example.test")


def test_bad_from_address_fails_at_construction() -> None:
    with pytest.raises(ValueError):
        notifier_for(25, from_addr="errands")
