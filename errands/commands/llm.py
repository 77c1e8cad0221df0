"""``errands llm``: talk to the configured language models from the shell.

``ask`` goes through the same client, fallback chain and call log as the agents, so it is the
quickest way to see whether (and which) backend answers. ``serve-local`` runs the embedded CPU
engine (errands/local_llm/).
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Annotated

import typer

from errands.commands._app import open_app
from errands.local_llm import DEFAULT_HOST, DEFAULT_N_CTX, DEFAULT_PORT, serve_forever, start_server
from errands.wiring import build_llm

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

    with open_app() as (settings, db):
        try:
            reply = asyncio.run(_ask(build_llm(settings, db), text))
        except LLMUnavailable as exc:
            typer.echo(f"errands: {exc.user_message} {START_HINT}", err=True)
            raise typer.Exit(EXIT_UNAVAILABLE) from None
    typer.echo(reply.text)
    typer.echo(f"backend: {reply.backend} model: {reply.model}", err=True)


async def _ask(client: LLMClient, text: str) -> ChatReply:
    async with client:
        return await client.chat([{"role": "user", "content": text}], purpose="cli-ask")


@app.command("serve-local")
def serve_local(
    port: Annotated[
        int, typer.Option(help="Port to listen on (8000 is vLLM's, 8080 errands' web).")
    ] = DEFAULT_PORT,
    host: Annotated[str, typer.Option(help="Interface to bind.")] = DEFAULT_HOST,
    n_ctx: Annotated[
        int, typer.Option("--n-ctx", help="Context window in tokens.")
    ] = DEFAULT_N_CTX,
    threads: Annotated[
        int | None, typer.Option(help="CPU threads (default: half the cores).")
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", help="Keep the server's request log out of the terminal.")
    ] = False,
    embeddings: Annotated[
        bool,
        typer.Option(
            "--embeddings", help="Also serve /v1/embeddings (slow on a CPU: ~0.5 abstracts/s)."
        ),
    ] = False,
) -> None:
    """Run the embedded SmolLM2-135M engine on CPU (needs the local extra) until Ctrl-C."""
    started = time.monotonic()
    server = start_server(
        port,
        host=host,
        n_ctx=n_ctx,
        n_threads=threads,
        inherit_output=not quiet,
        embeddings=embeddings,
    )
    typer.echo(
        f"SmolLM2-135M ({server.model}) ready at {server.base_url} "
        f"in {time.monotonic() - started:.1f} s. Point errands at it with:"
    )
    for line in server.env_lines():
        typer.echo(f"  export {line}")
    code = serve_forever(server, ready=lambda: typer.echo("Ctrl-C stops it."))
    typer.echo("stopped.")
    raise typer.Exit(code)
