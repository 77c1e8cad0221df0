"""errands/local_llm.py without the engine: what happens when the ``local`` extra is missing."""

from __future__ import annotations

import importlib.util
import socket
from importlib.machinery import ModuleSpec
from pathlib import Path

import pytest

from errands import local_llm
from errands.local_llm import LocalLLMStartError, LocalLLMUnavailable

# What only the ``local`` extra brings (uvicorn is a main dependency): hidden all together, so
# the tests below give the same answer with or without the extra installed.
EXTRA_ONLY = ("llama_cpp", "sse_starlette", "starlette_context", local_llm.MODEL_PACKAGE)


@pytest.fixture
def no_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec

    def find_spec(name: str, package: str | None = None) -> ModuleSpec | None:
        if name in EXTRA_ONLY:
            return None
        return real(name, package)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)


@pytest.mark.usefixtures("no_extra")
def test_missing_extra_is_reported_not_raised() -> None:
    assert not local_llm.is_available()
    assert local_llm.missing_packages() == list(EXTRA_ONLY)


@pytest.mark.usefixtures("no_extra")
def test_starting_without_the_extra_says_how_to_install_it() -> None:
    with pytest.raises(LocalLLMUnavailable, match=r"install errands\[local\]") as caught:
        local_llm.start_server(None)
    assert "llama_cpp" in caught.value.user_message
    with pytest.raises(LocalLLMUnavailable, match=r"install errands\[local\]"):
        local_llm.model_path()


def test_command_line_points_at_the_model_with_a_stable_alias() -> None:
    command = local_llm.server_command(Path("/m.gguf"), host="127.0.0.1", port=8123, n_threads=3)
    assert command[1:3] == ["-m", "llama_cpp.server"]
    options = dict(zip(command[3::2], command[4::2], strict=True))
    assert options["--model"] == "/m.gguf"
    assert options["--model_alias"] == "smollm2-135m"
    assert options["--port"] == "8123"
    assert options["--chat_format"] == "chatml"
    assert options["--n_threads"] == "3"
    assert "--embedding" not in options  # off unless asked: slow on a CPU
    pooled = local_llm.server_command(Path("/m.gguf"), host="127.0.0.1", port=8123, embeddings=True)
    options = dict(zip(pooled[3::2], pooled[4::2], strict=True))
    assert options["--embedding"] == "true"  # /v1/embeddings, mean-pooled
    assert options["--kv_overrides"] == "llama.pooling_type=int:1"


def test_free_port_is_bindable() -> None:
    port = local_llm.free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))


def test_a_taken_port_is_refused_before_starting() -> None:
    if not local_llm.is_available():
        pytest.skip("needs the errands[local] extra; install it with `bash .ci/install-local-llm`")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        with pytest.raises(LocalLLMStartError, match=f"port {port} .* is in use"):
            local_llm.start_server(port)


def test_serve_local_listens_on_8001_unless_told() -> None:
    """The README's promise: 8000 is vLLM's, 8080 errands' web, the embedded engine 8001."""
    from typer.testing import CliRunner

    from errands.cli import app

    shown = CliRunner().invoke(app, ["llm", "serve-local", "--help"], terminal_width=200)
    assert shown.exit_code == 0, shown.output
    assert "--port" in shown.output and "default: 8001" in shown.output
