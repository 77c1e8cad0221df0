"""The split representation (CSR part + dense block) against the merged CSR it stands for."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from agents.arxiv import features
from agents.arxiv import model as rec
from agents.arxiv.rows import Rows, split, vstack


def _rows(rng: np.random.Generator, n: int, *, width: int = 400, dim: int = 24) -> Rows:
    tfidf = normalize(
        sp.random(n, width, density=0.05, format="csr", dtype=np.float32, random_state=rng)
    )
    block = rng.normal(size=(n, dim)).astype(np.float32)
    block /= np.linalg.norm(block, axis=1, keepdims=True)
    return features.with_dense(tfidf, block, weight=0.4, dim=dim)


@pytest.mark.parametrize("n_liked", [5, 40])  # 40: kNN takes the sparse x sparse branch
def test_split_rows_score_like_the_merged_csr(n_liked: int) -> None:
    rng = np.random.default_rng(n_liked)
    liked, disliked, bg, cand = (_rows(rng, n) for n in (n_liked, 10, 120, 300))
    seed = np.zeros(400)
    seed[rng.choice(400, 5, replace=False)] = 0.2
    split_model = rec.fit(liked, disliked, bg, seed_vector=seed)
    merged_model = rec.fit(
        liked.tocsr(), disliked.tocsr(), bg.tocsr(), seed_vector=np.r_[seed, np.zeros(24)]
    )
    assert split_model.n_features == merged_model.n_features == 424
    assert split_model.dense_dim == 24 and merged_model.dense_dim == 0
    assert split_model.coef is not None and split_model.coef_dense is not None
    assert merged_model.coef is not None
    assert np.allclose(np.r_[split_model.coef, split_model.coef_dense], merged_model.coef)
    assert np.allclose(
        np.r_[split_model.centroid, split_model.centroid_dense], merged_model.centroid
    )
    got = rec.components(split_model, cand)
    expected = rec.components(merged_model, cand.tocsr())
    assert got.keys() == expected.keys()
    for key in ("centroid", "knn", "nearest_sim", "linear"):
        assert np.allclose(got[key], expected[key], atol=1e-5), key
    scores = rec.score(split_model, cand)
    assert np.allclose(scores, rec.score(merged_model, cand.tocsr()), atol=1e-5)
    assert np.allclose(rec.gram(cand), (cand.tocsr() @ cand.tocsr().T).toarray(), atol=1e-5)
    top = rec.rank(split_model, cand, top=10)
    assert top == rec.rank(merged_model, cand.tocsr(), top=10)


def test_plain_csr_is_rows_without_a_block() -> None:
    rng = np.random.default_rng(1)
    liked, disliked, bg, cand = (_rows(rng, n).sparse for n in (5, 10, 120, 300))
    plain = rec.fit(liked, disliked, bg)
    wrapped = rec.fit(Rows(liked), Rows(disliked), Rows(bg))
    assert plain.dense_dim == 0 and plain.coef is not None and wrapped.coef is not None
    assert np.array_equal(plain.coef, wrapped.coef)
    assert np.array_equal(rec.score(plain, cand), rec.score(wrapped, Rows(cand)))
    with pytest.raises(ValueError, match="dense block"):
        rec.score(plain, _rows(rng, 3))


def test_rows_select_stack_and_split_back() -> None:
    rng = np.random.default_rng(2)
    x = _rows(rng, 7)
    assert x.shape == (7, 424) and len(x) == 7
    assert np.allclose(x.row_norms(), 1.0, atol=1e-5)
    one = x[3]
    assert one.shape == (1, 424)
    assert np.allclose(one.toarray(), x.toarray()[3:4])
    assert np.allclose(x[[4, 1]].toarray(), x.toarray()[[4, 1]])
    both = vstack([x, Rows(x.sparse[:2])])  # a part without a block gets zeros
    assert both.shape == (9, 424) and both.dense is not None and not both.dense[7:].any()
    back = split(x.tocsr(), 24)
    assert np.array_equal(back.toarray(), x.toarray())
    with pytest.raises(ValueError, match="dense block"):
        Rows(x.sparse, np.zeros((3, 4), dtype=np.float32))
