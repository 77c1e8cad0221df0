"""A sentence embedder that runs in-process on the CPU, from files shipped in a wheel.

The model is WordLlama ``l2_supercat`` at 256 dimensions (MIT licence, package ``wordllama``,
the optional extra ``embed``): a static table of token vectors (trained from the input
embedding codebooks of Llama-2-vocabulary LLMs) averaged over a text's tokens, so
embedding ~10,000 abstracts takes a few seconds on one core, where a transformer encoder on
this CPU manages a few a second. Only its two data files are read (with ``tokenizers`` and
``safetensors``, wordllama's own requirements); the ``wordllama`` package itself is never
imported: its loader looks for the tokenizer in a folder the wheel does not have and then
downloads, and importing it reconfigures the root logger. Both files are checked against
the sha256 below, so a swapped or truncated file is a clear error, not different vectors.

``LocalEmbedder.embed`` answers like the LLM client's ``embed`` (``agents.llm.Embeddings``),
and ``paper_vectors`` gives the ``PaperVectors`` the recommender ranks with. Nothing uses it
by default: the digest still embeds through the endpoint, and only when one is configured.
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from agents.arxiv.embeddings import PaperVectors, embedding_text
from agents.llm import Embeddings
from store.errors import ConfigError
from store.models import Paper

MODEL = "wordllama-l2-supercat-256"
PACKAGE = "wordllama"
WEIGHTS = "weights/l2_supercat_256.safetensors"
TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
WEIGHTS_SHA256 = "64b47a2dc493cb8e85944076601189739852d7b64e0e1eedcb1937a251cd9fd5"
TOKENIZER_SHA256 = "93248f2a9ec36c7b35f700a033d5f36228aae48db61aee31007fa49062cdeb68"
_CHUNK = 512  # texts tokenized per call: bounds the id arrays, not the speed


def package_dir() -> Path | None:
    """Where the ``wordllama`` package is installed (without importing it), or None."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def unavailable_reason() -> str | None:
    """None when the local model can be loaded; else why not, in one sentence."""
    root = package_dir()
    if root is None:
        return "the optional extra 'embed' (wordllama) is not installed"
    for name in (WEIGHTS, TOKENIZER):
        if not (root / name).is_file():
            return f"{root / name} is missing from the wordllama package"
    for module in ("tokenizers", "safetensors"):
        if importlib.util.find_spec(module) is None:
            return f"{module} (a wordllama requirement) is not installed"
    return None


def _checked(path: Path, sha256: str) -> Path:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != sha256:
        raise ConfigError(
            f"{path} has sha256 {digest}, expected {sha256}: "
            "reinstall the 'embed' extra (uv sync --extra embed)."
        )
    return path


class LocalEmbedder:
    """Unit-norm 256-d vectors for texts: the mean of their token vectors, normalised."""

    model = MODEL

    def __init__(self, root: Path | None = None) -> None:
        reason = unavailable_reason() if root is None else None
        root = root or package_dir()
        if reason is not None or root is None:
            raise ConfigError(f"No local embedding model: {reason}.")
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        weights = _checked(root / WEIGHTS, WEIGHTS_SHA256)
        tokenizer = _checked(root / TOKENIZER, TOKENIZER_SHA256)
        table = load_file(str(weights))["embedding.weight"]
        self._table: np.ndarray[Any, Any] = np.ascontiguousarray(table, dtype=np.float32)
        self._tokenizer = Tokenizer.from_file(str(tokenizer))
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()

    @property
    def dim(self) -> int:
        return int(self._table.shape[1])

    def vectors(self, texts: Sequence[str]) -> np.ndarray[Any, Any]:
        """One unit-norm float32 row per text; a text with no tokens gets a zero row."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), _CHUNK):
            chunk = list(texts[start : start + _CHUNK])
            encoded = self._tokenizer.encode_batch(chunk, add_special_tokens=False)
            lengths = np.array([len(e.ids) for e in encoded])
            has = lengths > 0  # reduceat cannot sum an empty span: those rows stay zero
            if not has.any():
                continue
            ids = np.concatenate([np.asarray(e.ids, dtype=np.int64) for e in encoded])
            ids = np.clip(ids, 0, self._table.shape[0] - 1)
            starts = np.r_[0, np.cumsum(lengths)[:-1]][has]
            sums = np.add.reduceat(self._table[ids], starts, axis=0)
            out[start : start + len(chunk)][has] = sums / lengths[has, None]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 1e-12)
        return out

    async def embed(self, texts: list[str], *, purpose: str) -> Embeddings:
        """The LLM client's ``embed``, answered in-process (``purpose`` is only logged there)."""
        rows = self.vectors(texts)
        return Embeddings(vectors=rows.tolist(), backend="local", model=self.model)

    def paper_vectors(self, papers: Sequence[Paper]) -> PaperVectors:
        """Vectors of papers' ``embedding_text`` (the endpoint's text), as ``PaperVectors``."""
        rows = self.vectors([embedding_text(p) for p in papers])
        found = {p.id: rows[i] for i, p in enumerate(papers) if np.any(rows[i])}
        return PaperVectors(model=self.model, dim=self.dim, vectors=found)
