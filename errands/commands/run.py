"""``errands run``: start everything (bot, web, scheduler) in one process."""

from __future__ import annotations

import typer

from errands.settings import load_settings


def run() -> None:
    """Run the Telegram bot, the web server and the scheduler until Ctrl-C / SIGTERM."""
    from errands.runtime import run_forever  # heavy imports only for this command

    settings = load_settings()
    raise typer.Exit(run_forever(settings))
