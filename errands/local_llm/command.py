"""The ``python -m llama_cpp.server`` command line, and how many threads it gets."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from errands.local_llm.extra import MODEL_ALIAS

DEFAULT_N_CTX = 2048


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
