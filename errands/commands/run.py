"""``errands run``: start everything (bot, web, scheduler) in one process."""

from __future__ import annotations

import typer

from errands.settings import load_settings
from errands.startup import listen, single_instance


def run() -> None:
    """Run the Telegram bot, the web server and the scheduler until Ctrl-C / SIGTERM."""
    settings = load_settings()
    # The lock and the port first: a bad start fails in one line before the heavy imports.
    with single_instance(settings.data_dir):
        sock = listen(settings.web_host, settings.web_port)
        from errands.runtime import run_forever  # heavy imports only for this command

        raise typer.Exit(run_forever(settings, sock))
