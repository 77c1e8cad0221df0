"""Email delivery for the outbox over plain ``smtplib``.

smtplib is blocking, so each send runs in ``asyncio.to_thread`` with one short-lived
connection: outbox volume is a handful of mails a day, and a fresh connection never trips
over a server-side idle timeout. Errors become ``DeliveryError``s by SMTP's own rule: 4xx
and network trouble are worth retrying, 5xx are not.
"""

from __future__ import annotations

import asyncio
import logging
import re
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from typing import Any

from agents.notify import LATE_MARK, DeliveryError

log = logging.getLogger(__name__)

ICS_METHODS = ("REQUEST", "CANCEL")

_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$")
_DOMAIN = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9-]{2,63}$")


def is_valid_address(address: str) -> bool:
    """A deliberately simple check: ASCII ``local@domain.tld``, no display name, no spaces.

    It rejects what is surely wrong (typos, header injection, ``name <addr>``) and leaves
    the rest to the receiving server; internationalised (SMTPUTF8) local parts are refused.
    """
    if len(address) > 254 or address.count("@") != 1:
        return False
    local, domain = address.split("@")
    if local.startswith(".") or local.endswith(".") or ".." in local:
        return False
    return bool(_LOCAL.match(local) and _DOMAIN.match(domain))


class EmailNotifier:
    """Delivers ``email`` outbox payloads (see ``agents.notify``) through one SMTP server.

    ``starttls`` upgrades a plain connection (port 587); login happens only when a
    ``username`` is set. The password is kept private and left out of ``repr``.
    """

    channel: str = "email"

    def __init__(
        self,
        *,
        host: str,
        port: int,
        username: str | None,
        password: str | None,
        from_addr: str,
        starttls: bool = True,
        timeout: float = 30.0,
        local_hostname: str | None = None,
    ) -> None:
        envelope_from = parseaddr(from_addr)[1]
        if not is_valid_address(envelope_from):
            raise ValueError(f"from address {from_addr!r} is not a valid email address")
        self.host = host
        self.port = port
        self.username = username or None
        self._password = password or ""
        self.from_addr = from_addr
        self.starttls = starttls
        self.timeout = timeout
        self.local_hostname = local_hostname
        self._envelope_from = envelope_from
        self._domain = envelope_from.rsplit("@", 1)[1]

    def __repr__(self) -> str:
        return (
            f"EmailNotifier(host={self.host!r}, port={self.port}, username={self.username!r}, "
            f"from_addr={self.from_addr!r}, starttls={self.starttls})"
        )

    async def deliver(self, recipient: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Send one mail; return ``{"message_id": "<…@domain>"}`` (the Message-ID header)."""
        to = recipient.strip() if isinstance(recipient, str) else ""
        if not is_valid_address(to):
            raise DeliveryError(f"Not a valid email address: {recipient!r:.80}", permanent=True)
        message = self.build_message(to, payload)
        await asyncio.to_thread(self._send, message, to)
        message_id = str(message["Message-ID"])
        log.info("email sent: %s", message_id)
        return {"message_id": message_id}

    @staticmethod
    def mark_late(payload: dict[str, Any]) -> dict[str, Any]:
        """Prefix the subject with "(late)", where an inbox list shows it."""
        marked = dict(payload)
        if "subject" in marked:
            marked["subject"] = f"{LATE_MARK} {marked['subject']}"
        return marked

    def build_message(self, to: str, payload: dict[str, Any]) -> EmailMessage:
        """The MIME message for ``payload``: text, optional HTML alternative, optional .ics.

        A payload error is permanent: re-sending the same row cannot fix it.
        """
        subject = payload.get("subject")
        text = payload.get("text")
        html = payload.get("html")
        ics = payload.get("ics")
        method = payload.get("ics_method") or "REQUEST"
        if not isinstance(subject, str) or not isinstance(text, str):
            raise DeliveryError("Email payload needs a subject and a text", permanent=True)
        if html is not None and not isinstance(html, str):
            raise DeliveryError("Email payload: html must be a string", permanent=True)
        if ics is not None and not isinstance(ics, str):
            raise DeliveryError("Email payload: ics must be a string", permanent=True)
        if method not in ICS_METHODS:
            raise DeliveryError(f"Email payload: unknown ics_method {method!r}", permanent=True)

        message = EmailMessage()
        message["From"] = self.from_addr
        message["To"] = to
        message["Subject"] = " ".join(subject.split())  # a newline would be header injection
        message["Date"] = formatdate(usegmt=True)
        message["Message-ID"] = make_msgid(domain=self._domain)
        message.set_content(text)
        if html:
            message.add_alternative(html, subtype="html")
        if ics:
            # Bytes (base64) keep the CRLF line ends calendar clients insist on.
            message.add_attachment(
                ics.encode(),
                maintype="text",
                subtype="calendar",
                filename="invite.ics",
                params={"method": method, "charset": "utf-8"},
            )
        return message

    def _send(self, message: EmailMessage, to: str) -> None:
        try:
            with smtplib.SMTP(
                self.host, self.port, timeout=self.timeout, local_hostname=self.local_hostname
            ) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self._password)
                smtp.send_message(message, from_addr=self._envelope_from, to_addrs=[to])
        except (smtplib.SMTPException, OSError) as exc:
            raise smtp_error(exc) from exc


def smtp_error(exc: BaseException) -> DeliveryError:
    """Classify an smtplib/socket failure: 5xx replies are permanent, the rest transient."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        replies = list(exc.recipients.values())
        permanent = not replies or any(code >= 500 for code, _ in replies)
        detail = "; ".join(f"{code} {_text(reply)}" for code, reply in replies)
        return DeliveryError(f"Recipient refused: {detail}", permanent=permanent)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return DeliveryError(
            f"SMTP login rejected: {exc.smtp_code} {_text(exc.smtp_error)}",
            permanent=exc.smtp_code >= 500,
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        return DeliveryError(
            f"SMTP server said {exc.smtp_code} {_text(exc.smtp_error)}",
            permanent=exc.smtp_code >= 500,
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        # A missing STARTTLS/AUTH extension will not appear on retry; fix the settings.
        return DeliveryError(f"SMTP server lacks a needed feature: {exc}", permanent=True)
    if isinstance(exc, TimeoutError):
        return DeliveryError("SMTP server timed out")
    if isinstance(exc, ConnectionRefusedError):
        return DeliveryError("SMTP server refused the connection")
    return DeliveryError(f"SMTP failed: {type(exc).__name__}: {_text(str(exc))}")


def _text(reply: bytes | str) -> str:
    if isinstance(reply, bytes):
        reply = reply.decode("utf-8", errors="replace")
    reply = " ".join(reply.split())
    return reply if len(reply) <= 200 else reply[:199] + "…"
