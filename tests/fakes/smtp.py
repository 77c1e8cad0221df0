"""A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives.

Why a server: ``smtplib`` then runs its full dialogue (EHLO, AUTH, RCPT, DATA), so tests see
the MIME bytes a real relay would and the real SMTP error replies. It runs in aiosmtpd's own
thread and loop (offline-testing.md §5), so it suits sync and async tests alike::

    with FakeSMTP() as smtp:
        ... send to smtp.host:smtp.port ...
        msg = smtp.wait_for(1)[0]        # email.message.EmailMessage

``refuse(address)`` makes RCPT fail for one address; ``credentials=("u", "p")`` enables AUTH
(PLAIN/LOGIN without TLS, which real servers refuse but tests need).
"""

from __future__ import annotations

import email
import email.policy
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Self

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.fakes.processes import Served, free_port


@dataclass(frozen=True)
class Received:
    """One accepted mail: the envelope plus the parsed message."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    raw: bytes


class FakeSMTP(Served):
    """aiosmtpd ``Controller`` + capturing handler; start/stop or use as a context manager."""

    def __init__(
        self, *, host: str = "127.0.0.1", credentials: tuple[str, str] | None = None
    ) -> None:
        self.host = host
        self.port = 0
        self.credentials = credentials
        self.received: list[Received] = []
        self.refused: dict[str, str] = {}
        self.logins: list[str] = []
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    @property
    def messages(self) -> list[EmailMessage]:
        """Parsed messages in arrival order."""
        return [r.message for r in self.received]

    def refuse(self, address: str, reply: str = "550 5.1.1 No such user here") -> None:
        """Answer RCPT TO ``address`` with ``reply`` (use a 4xx reply for a temporary refusal)."""
        self.refused[address.lower()] = reply

    def wait_for(self, n: int = 1, timeout: float = 5.0) -> list[EmailMessage]:
        """Block until ``n`` messages arrived (they are handled in the server's thread)."""
        deadline = time.monotonic() + timeout
        while len(self.received) < n:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(self.received)} of {n} mails after {timeout} s")
            time.sleep(0.01)
        return self.messages

    def start(self) -> Self:
        """Listen on a free port; retried because the port is picked before binding."""
        kwargs: dict[str, Any] = {"server_hostname": "fake-smtp.test"}
        if self.credentials is not None:
            kwargs.update(authenticator=self._authenticate, auth_require_tls=False)
        last: Exception | None = None
        for _ in range(5):
            port = free_port(self.host)
            controller = Controller(self, hostname=self.host, port=port, **kwargs)
            try:
                controller.start()
            except (OSError, RuntimeError) as exc:
                last = exc
                continue
            self._controller, self.port = controller, port
            return self
        raise RuntimeError("could not start the fake SMTP server") from last

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    # aiosmtpd handler hooks (called in the server thread) -------------------------------------

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        reply = self.refused.get(address.lower())
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        raw = raw if isinstance(raw, bytes) else raw.encode()
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), message, raw)
            )
        return "250 Message accepted for delivery"

    def _authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        if isinstance(auth_data, LoginPassword) and self.credentials is not None:
            login, password = auth_data.login.decode(), auth_data.password.decode()
            if (login, password) == self.credentials:
                self.logins.append(login)
                return AuthResult(success=True)
        return AuthResult(success=False, handled=False)
