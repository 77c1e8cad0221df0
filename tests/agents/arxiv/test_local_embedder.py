"""The in-process embedder from the ``embed`` extra's wheel: its vectors and its file checks."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from agents.arxiv import local_embedder
from agents.arxiv.local_embedder import LocalEmbedder
from store.errors import ConfigError
from store.models import Paper

pytestmark = pytest.mark.skipif(
    local_embedder.unavailable_reason() is not None,
    reason=f"local embedder: {local_embedder.unavailable_reason()} (.ci/install-embed)",
)

DIFFUSION_A = "Denoising diffusion models generate images by reversing a noising process."
DIFFUSION_B = "Score-based generative models synthesize pictures through iterative denoising."
GRAPHS = "We bound the chromatic number of planar graphs without short cycles."


@pytest.fixture(scope="module")
def embedder() -> LocalEmbedder:
    return LocalEmbedder()


def test_vectors_are_unit_rows_and_related_texts_are_closer(embedder: LocalEmbedder) -> None:
    rows = embedder.vectors([DIFFUSION_A, "", DIFFUSION_B, GRAPHS, ""])[[0, 2, 3, 1, 4]]
    assert rows.shape == (5, 256) and rows.dtype == np.float32
    assert np.allclose(np.linalg.norm(rows[:3], axis=1), 1.0, atol=1e-5)
    assert not rows[3:].any()  # no tokens, no direction: a zero row, as a missing vector
    assert rows[0] @ rows[1] > rows[0] @ rows[2] + 0.1
    again = embedder.vectors([GRAPHS, DIFFUSION_A])
    assert np.array_equal(again, rows[[2, 0]])  # per text, whatever the batch


async def test_embed_answers_like_the_llm_client(embedder: LocalEmbedder) -> None:
    answer = await embedder.embed([DIFFUSION_A, GRAPHS], purpose="test")
    assert (answer.model, answer.backend) == (local_embedder.MODEL, "local")
    assert np.allclose(np.asarray(answer.vectors), embedder.vectors([DIFFUSION_A, GRAPHS]))


def test_paper_vectors_embed_the_endpoints_text(embedder: LocalEmbedder) -> None:
    vectors = embedder.paper_vectors([Paper(id="1", title="Diffusion", abstract=DIFFUSION_A)])
    assert (vectors.model, vectors.dim, sorted(vectors.vectors)) == (
        local_embedder.MODEL,
        256,
        ["1"],
    )
    expected = embedder.vectors(["Diffusion. " + DIFFUSION_A])[0]
    assert np.allclose(vectors.block(["1", "2"]), np.stack([expected, np.zeros(256)]))


def test_a_swapped_model_file_is_a_clear_error(tmp_path: Path) -> None:
    root = local_embedder.package_dir()
    assert root is not None
    for name in (local_embedder.WEIGHTS, local_embedder.TOKENIZER):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(root / name, tmp_path / name)
    LocalEmbedder(root=tmp_path)  # an intact copy loads
    weights = tmp_path / local_embedder.WEIGHTS
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(ConfigError, match="sha256"):
        LocalEmbedder(root=tmp_path)
