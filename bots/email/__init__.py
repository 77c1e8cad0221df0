"""Email edge: outbox delivery over SMTP, with optional calendar invitations."""

from bots.email.notifier import EmailNotifier

__all__ = ["EmailNotifier"]
