"""``errands llm``: talk to the configured language models from the shell.

``ask`` goes through the same client, fallback chain and call log as the agents, so it is the
quickest way to see whether (and which) backend answers.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import typer

from errands.local_llm import serve_local
from errands.settings import load_settings
from errands.wiring import build_llm, open_database

if TYPE_CHECKING:
    from agents.llm import ChatReply, LLMClient

EXIT_UNAVAILABLE = 3
START_HINT = (
    "Start a server with `vllm serve MODEL` (ERRANDS_LLM_BASE_URL) "
    "or set ERRANDS_LLM_FALLBACK_BASE_URL."
)

app = typer.Typer(help="Language models: ask the configured backends.", no_args_is_help=True)


@app.command("ask")
def ask(text: str = typer.Argument(..., help="What to ask.")) -> None:
    """Ask TEXT; print the answer, and which backend and model gave it on stderr."""
    from agents.llm import LLMUnavailable

    settings = load_settings()
    db = open_database(settings)
    try:
        reply = asyncio.run(_ask(build_llm(settings, db), text))
    except LLMUnavailable as exc:
        typer.echo(f"errands: {exc.user_message} {START_HINT}", err=True)
        raise typer.Exit(EXIT_UNAVAILABLE) from None
    finally:
        db.dispose()
    typer.echo(reply.text)
    typer.echo(f"backend: {reply.backend} model: {reply.model}", err=True)


async def _ask(client: LLMClient, text: str) -> ChatReply:
    try:
        return await client.chat([{"role": "user", "content": text}], purpose="cli-ask")
    finally:
        await client.aclose()


app.command("serve-local")(serve_local)  # the embedded CPU engine: errands/local_llm.py
