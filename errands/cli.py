"""The ``errands`` console script: one typer app, subcommands in ``errands/commands``.

Errors are translated here and only here: a ``ConfigError`` exits 2 with its one line, any other
``ErrandsError`` exits 1 with its user message; nothing secret is printed.
"""

from __future__ import annotations

import sys

import typer

from errands.commands import arxiv as arxiv_commands
from errands.commands import bench as bench_commands
from errands.commands import db as db_commands
from errands.commands import doctor as doctor_commands
from errands.commands import jobs as jobs_commands
from errands.commands import llm as llm_commands
from errands.commands import meetings as meetings_commands
from errands.commands import owner as owner_commands
from errands.commands import run as run_commands
from errands.commands import todo as todo_commands
from store.errors import ConfigError, ErrandsError

app = typer.Typer(
    name="errands",
    help="Personal agents: arXiv digest, meeting booking and to-do reminders.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("run")(run_commands.run)
app.add_typer(jobs_commands.app, name="jobs")
app.add_typer(db_commands.app, name="db")
app.add_typer(owner_commands.app, name="owner")
app.add_typer(llm_commands.app, name="llm")
app.add_typer(todo_commands.app, name="todo")
app.add_typer(bench_commands.app, name="bench")
app.add_typer(meetings_commands.app, name="meetings")
app.add_typer(arxiv_commands.app, name="arxiv")
app.command("doctor")(doctor_commands.doctor)


def main() -> None:
    """Entry point of the console script."""
    try:
        app()
    except ConfigError as exc:
        print(f"errands: {exc.user_message}", file=sys.stderr)
        sys.exit(2)
    except ErrandsError as exc:
        print(f"errands: {exc.user_message}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
