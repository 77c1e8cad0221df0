"""``errands db``: schema management."""

from __future__ import annotations

import typer

from errands.commands._app import open_app

app = typer.Typer(help="Database schema.", no_args_is_help=True)


@app.command("upgrade")
def upgrade() -> None:
    """Apply pending migrations to the configured database."""
    from store.migrate import current_revision

    with open_app() as (_, db):
        typer.echo(f"database at revision {current_revision(db.engine)}")
