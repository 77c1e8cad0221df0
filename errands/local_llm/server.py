"""The embedded server as a child process: start it, wait until it answers, stop it.

Default port 8001: 8000 is vLLM's (and ``ERRANDS_LLM_BASE_URL``'s default), 8080 is errands' web.
"""

from __future__ import annotations

import ctypes
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
from typing import IO

import httpx

from errands.local_llm.command import DEFAULT_N_CTX, server_command
from errands.local_llm.extra import (
    INSTALL_HINT,
    MODEL_ALIAS,
    LocalLLMUnavailable,
    missing_packages,
    model_path,
)
from store.errors import ErrandsError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001


class LocalLLMStartError(ErrandsError):
    """The embedded server exited or did not answer in time."""


def free_port(host: str = DEFAULT_HOST) -> int:
    """A TCP port that nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def port_free(host: str, port: int) -> bool:
    """Whether ``port`` on ``host`` can be listened on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


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
    if port and not port_free(host, port):
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
