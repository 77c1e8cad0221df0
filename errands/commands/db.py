"""``errands db``: schema management."""

from __future__ import annotations

import typer

from errands.settings import load_settings
from errands.wiring import open_database

app = typer.Typer(help="Database schema.", no_args_is_help=True)


@app.command("upgrade")
def upgrade() -> None:
    """Apply pending migrations to the configured database."""
    from store.migrate import current_revision

    settings = load_settings()
    db = open_database(settings)
    try:
        typer.echo(f"database at revision {current_revision(db.engine)}")
    finally:
        db.dispose()
