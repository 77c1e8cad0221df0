"""The ``errands`` console script: one typer app, subcommands in ``errands/commands``.

Errors are translated here and only here, each to one line on stderr and an exit code
(``errands.exits``): 2 a configuration error (a setting, ``.env``, the database URL), 3 a data dir
or database that cannot be written (read-only, permission denied, disk full), 4 a web port
that cannot be listened on, 1 any other ``ErrandsError``. Nothing secret is printed.
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
from errands.datadir import private_umask
from errands.exits import EXIT_STORE, exit_code, is_store_failure, problem, redact
from store.errors import ErrandsError

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
    private_umask()  # the data dir, database and key are the owner's alone (0700/0600)
    try:
        app()
    except ErrandsError as exc:
        _fail(exc.user_message, exit_code(exc))
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        if not is_store_failure(exc):
            raise
        # A store or file-system failure that no command translated itself.
        _fail(f"cannot use the data dir or database: {problem(exc)}", EXIT_STORE)


def _fail(line: str, code: int) -> None:
    print(f"errands: {redact(line)}", file=sys.stderr)
    sys.exit(code)


if __name__ == "__main__":
    main()
