"""The per-owner ranking model: pure math over feature rows, no I/O.

Rows are a CSR matrix (TF-IDF) or ``rows.Rows``: a CSR part next to a dense embedding block
kept as a float32 ndarray. Every weight vector is split the same way (``centroid`` and
``centroid_dense``, ``coef`` and ``coef_dense``, ``liked`` and ``liked_dense``) and every
product is ``sparse @ v + dense @ v_dense``, so the dense block costs BLAS calls, not sparse
products over millions of stored "nonzeros". A plain CSR input takes exactly the old path.

Three signals, each z-scored over the candidate batch and blended:

- a linear classifier (scikit-learn kernel ridge, linear kernel, on +1/-1 labels) of 👍
  versus 👎 (hard negatives) plus background papers (easy negatives, down-weighted) --
  it learns which terms separate likes from dislikes;
- a Rocchio centroid (mean of liked rows minus a share of the disliked mean) -- stable with
  very few likes, when the classifier is still noise;
- kNN similarity: the mean cosine of a candidate to its closest liked papers -- keeps
  distinct interests apart instead of averaging them away.

The classifier's weight grows with the number of labels, up to 0.3 of the similarity signals:
on the CiteULike replay a 👎 on a shown paper is often a near miss (on topic, just not in the
library), so leaning on it harder (weight 1.0, or a quarter of the disliked mean subtracted
from the centroid) cost 2-3 % precision@10 (docs/benchmarks.md). Fitting is a closed set of small
problems (hundreds of rows), so a full refit after every tap is cheap enough to be the update.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.kernel_ridge import KernelRidge

from agents.arxiv.rows import Rows, as_rows, vstack

Matrix = Any  # a scipy.sparse CSR matrix with L2-normalised rows
Features = Rows | Matrix  # rows to fit or score: CSR, or CSR plus a dense block


@dataclass(frozen=True)
class ModelParams:
    """Blend and fit knobs; defaults are what the CiteULike replay chose (docs/benchmarks.md)."""

    c: float = 1.0  # inverse ridge penalty
    background_weight: float = 0.1
    dislike_share: float = 0.1
    knn_k: int = 3
    w_centroid: float = 1.0
    w_knn: float = 1.0
    w_linear_max: float = 0.3
    labels_for_full_linear: int = 30
    explore_until_taps: int = 10
    explore_slots: int = 1


@dataclass
class FittedModel:
    """What ranking needs: dense weight vectors plus the liked rows for kNN.

    ``centroid``, ``coef`` and ``liked`` cover the sparse (TF-IDF) columns, so term columns
    index them; ``*_dense`` are the dense block's halves (None: no dense block).
    ``n_features`` is the full row width, sparse plus dense.
    """

    n_features: int
    centroid: np.ndarray[Any, Any]
    liked: Matrix
    coef: np.ndarray[Any, Any] | None = None
    intercept: float = 0.0
    linear_weight: float = 0.0
    n_likes: int = 0
    n_dislikes: int = 0
    params: ModelParams = field(default_factory=ModelParams)
    centroid_dense: np.ndarray[Any, Any] | None = None
    coef_dense: np.ndarray[Any, Any] | None = None
    liked_dense: np.ndarray[Any, Any] | None = None

    @property
    def n_taps(self) -> int:
        return self.n_likes + self.n_dislikes

    @property
    def dense_dim(self) -> int:
        return 0 if self.centroid_dense is None else int(self.centroid_dense.shape[0])


def _dense_mean(rows: Matrix, n_features: int) -> np.ndarray[Any, Any]:
    if rows is None or rows.shape[0] == 0:
        return np.zeros(n_features)
    return np.asarray(rows.mean(axis=0)).ravel()


def _block_mean(rows: Rows, dim: int) -> np.ndarray[Any, Any]:
    if rows.dense is None or rows.shape[0] == 0:
        return np.zeros(dim)
    mean: np.ndarray[Any, Any] = rows.dense.mean(axis=0, dtype=np.float64)
    return mean


def fit(
    liked: Features,
    disliked: Features,
    background: Features,
    *,
    params: ModelParams | None = None,
    seed_vector: np.ndarray[Any, Any] | None = None,
    n_likes: int | None = None,
    n_dislikes: int | None = None,
) -> FittedModel:
    """Fit the blend from labelled rows. ``seed_vector`` stands in for likes at cold start.

    ``liked`` may include seed papers (ids or BibTeX); keywords arrive as ``seed_vector``,
    over the sparse columns (or over all columns, its dense part then added to the block's).
    """
    p = params or ModelParams()
    liked_r, disliked_r, background_r = as_rows(liked), as_rows(disliked), as_rows(background)
    dim = max(r.dense_dim for r in (liked_r, disliked_r, background_r))
    n_features = background_r.sparse.shape[1] + dim
    n_sparse = background_r.sparse.shape[1]
    seed_sparse, seed_dense = seed_vector, None
    if seed_vector is not None and dim and seed_vector.shape[0] == n_sparse + dim:
        seed_sparse, seed_dense = seed_vector[:n_sparse], seed_vector[n_sparse:]
    centroid = _dense_mean(liked_r.sparse, n_sparse)
    if seed_sparse is not None:
        centroid = centroid + seed_sparse if liked.shape[0] else seed_sparse.copy()
    if disliked.shape[0]:
        centroid = centroid - p.dislike_share * _dense_mean(disliked_r.sparse, n_sparse)
    centroid_dense = liked_dense = None
    if dim:
        centroid_dense = _block_mean(liked_r, dim)
        if seed_dense is not None:
            centroid_dense = centroid_dense + seed_dense
        if disliked.shape[0]:
            centroid_dense = centroid_dense - p.dislike_share * _block_mean(disliked_r, dim)
        liked_dense = liked_r.dense
        if liked_dense is None:  # no block for the likes: zeros, as ``vstack`` fills them
            liked_dense = np.zeros((liked_r.shape[0], dim), dtype=np.float32)
    model = FittedModel(
        n_features=n_features,
        centroid=centroid,
        liked=liked_r.sparse,
        n_likes=liked.shape[0] if n_likes is None else n_likes,
        n_dislikes=disliked.shape[0] if n_dislikes is None else n_dislikes,
        params=p,
        centroid_dense=centroid_dense,
        liked_dense=liked_dense,
    )
    if liked.shape[0] == 0:
        return model
    x = vstack([liked_r, disliked_r, background_r])
    y = np.r_[np.ones(liked.shape[0]), -np.ones(disliked.shape[0] + background.shape[0])]
    w = np.r_[
        np.ones(liked.shape[0] + disliked.shape[0]),
        np.full(background.shape[0], p.background_weight),
    ]
    # balance the classes so a handful of likes is not drowned by the negatives
    pos, neg = w[y > 0].sum(), w[y < 0].sum()
    if pos and neg:  # one side empty (only likes, say): nothing to balance against
        w[y > 0] *= (pos + neg) / (2 * pos)
        w[y < 0] *= (pos + neg) / (2 * neg)
    model.coef, model.coef_dense, model.intercept = _weighted_ridge(x, y, w, alpha=1.0 / p.c)
    labels = model.n_likes + model.n_dislikes
    model.linear_weight = p.w_linear_max * min(1.0, labels / p.labels_for_full_linear)
    return model


def _weighted_ridge(
    x: Rows, y: np.ndarray[Any, Any], w: np.ndarray[Any, Any], *, alpha: float
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any] | None, float]:
    """Weighted ridge regression on +1/-1 labels, solved in its dual (rows << features).

    With a few hundred rows the n x n kernel solve takes milliseconds, far faster than an
    iterative solver over 2^18 sparse columns, so a refit can follow every tap. Returns the
    weights over the sparse columns, over the dense block (None without one), and the bias.
    """
    b = float(np.average(y, weights=w))
    ridge = KernelRidge(alpha=alpha, kernel="precomputed").fit(gram(x), y - b, sample_weight=w)
    dual = np.asarray(ridge.dual_coef_).ravel()
    coef: np.ndarray[Any, Any] = np.asarray(x.sparse.T @ dual).ravel()
    coef_dense = None if x.dense is None else np.asarray(x.dense.T @ dual, dtype=np.float64)
    return coef, coef_dense, b


def gram(x: Features) -> np.ndarray[Any, Any]:
    """``x @ x.T`` as a dense array: the sparse part's gram plus the dense block's (BLAS)."""
    rows = as_rows(x)
    product: np.ndarray[Any, Any] = np.asarray((rows.sparse @ rows.sparse.T).toarray())
    if rows.dense is None:
        return product  # plain CSR: exactly the old path (a float32 gram)
    # float64 with a dense block: the kernel solve on a float32 gram took twice as long
    total: np.ndarray[Any, Any] = product.astype(np.float64)
    total += rows.dense @ rows.dense.T
    return total


def _z(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    std = values.std()
    if values.size < 2 or std < 1e-12:
        return np.zeros_like(values)
    scaled: np.ndarray[Any, Any] = (values - values.mean()) / std
    return scaled


def _dense_products(model: FittedModel, x: Rows) -> np.ndarray[Any, Any] | None:
    """``x.dense`` times [centroid, coef, liked rows] of the dense block in one BLAS call."""
    if x.dense_dim != model.dense_dim:
        raise ValueError(
            f"rows with a {x.dense_dim}-d dense block for a model with a {model.dense_dim}-d one"
        )
    if x.dense is None or model.centroid_dense is None:
        return None
    vectors = [model.centroid_dense[:, None]]
    if model.coef_dense is not None:
        vectors.append(model.coef_dense[:, None])
    if model.liked_dense is not None and model.liked_dense.shape[0]:
        vectors.append(model.liked_dense.T)
    weights = np.hstack(vectors).astype(np.float32)
    product: np.ndarray[Any, Any] = x.dense @ weights
    return product.astype(np.float64)


def components(model: FittedModel, x: Features) -> dict[str, np.ndarray[Any, Any]]:
    """The raw signals for candidate rows ``x`` (for scoring and for "why this")."""
    rows = as_rows(x)
    dense = _dense_products(model, rows)
    x = rows.sparse
    out: dict[str, np.ndarray[Any, Any]] = {"centroid": np.asarray(x @ model.centroid).ravel()}
    at = 1
    if dense is not None:
        out["centroid"] = out["centroid"] + dense[:, 0]
        if model.coef_dense is not None:
            at = 2
    if model.liked.shape[0]:
        if model.liked.shape[0] <= 32:  # sparse x dense is much faster than sparse x sparse
            sims = np.asarray(x @ model.liked.T.toarray())
        else:
            sims = (x @ model.liked.T).toarray()
        if dense is not None:
            sims = sims + dense[:, at : at + model.liked.shape[0]]
        k = min(model.params.knn_k, sims.shape[1])
        top = -np.partition(-sims, k - 1, axis=1)[:, :k] if k < sims.shape[1] else sims
        out["knn"] = top.mean(axis=1)
        out["nearest"] = sims.argmax(axis=1).astype(float)
        out["nearest_sim"] = sims.max(axis=1)
    if model.coef is not None:
        out["linear"] = np.asarray(x @ model.coef).ravel() + model.intercept
        if dense is not None and model.coef_dense is not None:
            out["linear"] = out["linear"] + dense[:, 1]
    return out


def score(model: FittedModel, x: Features) -> np.ndarray[Any, Any]:
    """One score per candidate row; higher is better. Scores only compare within a batch."""
    if x.shape[0] == 0:
        return np.zeros(0)
    parts = components(model, x)
    p = model.params
    total = p.w_centroid * _z(parts["centroid"])
    if "knn" in parts:
        total = total + p.w_knn * _z(parts["knn"])
    if "linear" in parts and model.linear_weight > 0:
        total = total + model.linear_weight * _z(parts["linear"])
    return total


def rank(
    model: FittedModel,
    x: Features,
    *,
    top: int,
    rng: np.random.Generator | None = None,
) -> list[int]:
    """Indices of the ``top`` best rows, with a little exploration while taps are few.

    Until the owner has ``explore_until_taps`` taps, the last ``explore_slots`` places go to
    random papers from the next 5 x ``top``, so early feedback is not only about one niche.
    """
    scores = score(model, x)
    order = np.argsort(-scores, kind="stable")
    chosen = [int(i) for i in order[:top]]
    p = model.params
    if rng is None or model.n_taps >= p.explore_until_taps or p.explore_slots <= 0:
        return chosen
    pool = [int(i) for i in order[top : top * 6]]
    slots = min(p.explore_slots, len(pool), len(chosen))
    if slots == 0:
        return chosen
    picks = rng.choice(len(pool), size=slots, replace=False)
    return chosen[: top - slots] + [pool[int(i)] for i in sorted(picks)]
