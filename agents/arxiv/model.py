"""The per-owner ranking model: pure math over sparse feature rows, no I/O.

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
import scipy.sparse as sp
from sklearn.kernel_ridge import KernelRidge

Matrix = Any  # a scipy.sparse CSR matrix with L2-normalised rows


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
    """What ranking needs: dense weight vectors plus the liked rows for kNN."""

    n_features: int
    centroid: np.ndarray[Any, Any]
    liked: Matrix
    coef: np.ndarray[Any, Any] | None = None
    intercept: float = 0.0
    linear_weight: float = 0.0
    n_likes: int = 0
    n_dislikes: int = 0
    params: ModelParams = field(default_factory=ModelParams)

    @property
    def n_taps(self) -> int:
        return self.n_likes + self.n_dislikes


def _dense_mean(rows: Matrix, n_features: int) -> np.ndarray[Any, Any]:
    if rows is None or rows.shape[0] == 0:
        return np.zeros(n_features)
    return np.asarray(rows.mean(axis=0)).ravel()


def fit(
    liked: Matrix,
    disliked: Matrix,
    background: Matrix,
    *,
    params: ModelParams | None = None,
    seed_vector: np.ndarray[Any, Any] | None = None,
    n_likes: int | None = None,
    n_dislikes: int | None = None,
) -> FittedModel:
    """Fit the blend from labelled rows. ``seed_vector`` stands in for likes at cold start.

    ``liked`` may include seed papers (ids or BibTeX); keywords arrive as ``seed_vector``.
    """
    p = params or ModelParams()
    n_features = background.shape[1]
    centroid = _dense_mean(liked, n_features)
    if seed_vector is not None:
        centroid = centroid + seed_vector if liked.shape[0] else seed_vector.copy()
    if disliked.shape[0]:
        centroid = centroid - p.dislike_share * _dense_mean(disliked, n_features)
    model = FittedModel(
        n_features=n_features,
        centroid=centroid,
        liked=liked,
        n_likes=liked.shape[0] if n_likes is None else n_likes,
        n_dislikes=disliked.shape[0] if n_dislikes is None else n_dislikes,
        params=p,
    )
    if liked.shape[0] == 0:
        return model
    x = sp.vstack([liked, disliked, background]).tocsr()
    y = np.r_[np.ones(liked.shape[0]), -np.ones(disliked.shape[0] + background.shape[0])]
    w = np.r_[
        np.ones(liked.shape[0] + disliked.shape[0]),
        np.full(background.shape[0], p.background_weight),
    ]
    # balance the classes so a handful of likes is not drowned by the negatives
    pos, neg = w[y > 0].sum(), w[y < 0].sum()
    w[y > 0] *= (pos + neg) / (2 * pos)
    w[y < 0] *= (pos + neg) / (2 * neg)
    model.coef, model.intercept = _weighted_ridge(x, y, w, alpha=1.0 / p.c)
    labels = model.n_likes + model.n_dislikes
    model.linear_weight = p.w_linear_max * min(1.0, labels / p.labels_for_full_linear)
    return model


def _weighted_ridge(
    x: Matrix, y: np.ndarray[Any, Any], w: np.ndarray[Any, Any], *, alpha: float
) -> tuple[np.ndarray[Any, Any], float]:
    """Weighted ridge regression on +1/-1 labels, solved in its dual (rows << features).

    With a few hundred rows the n x n kernel solve takes milliseconds, far faster than an
    iterative solver over 2^18 sparse columns, so a refit can follow every tap.
    """
    b = float(np.average(y, weights=w))
    ridge = KernelRidge(alpha=alpha, kernel="precomputed").fit(gram(x), y - b, sample_weight=w)
    coef: np.ndarray[Any, Any] = np.asarray(x.T @ np.asarray(ridge.dual_coef_).ravel()).ravel()
    return coef, b


def gram(x: Matrix) -> np.ndarray[Any, Any]:
    """``x @ x.T`` as a dense array, with mostly-filled columns (an embedding block) done densely.

    A sparse product over a few hundred dense columns costs ~10x a BLAS product of the same
    numbers, and with 576-d embeddings it dominated a refit.
    """
    x = sp.csr_matrix(x)
    filled = np.bincount(x.indices, minlength=x.shape[1])
    dense_cols = np.flatnonzero(filled > x.shape[0] // 2)
    if dense_cols.size == 0:
        return np.asarray((x @ x.T).toarray())
    sparse_cols = np.setdiff1d(np.arange(x.shape[1]), dense_cols, assume_unique=True)
    block = x[:, dense_cols].toarray()
    rest = x[:, sparse_cols]
    product: np.ndarray[Any, Any] = np.asarray((rest @ rest.T).toarray()) + block @ block.T
    return product


def _z(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    std = values.std()
    if values.size < 2 or std < 1e-12:
        return np.zeros_like(values)
    scaled: np.ndarray[Any, Any] = (values - values.mean()) / std
    return scaled


def components(model: FittedModel, x: Matrix) -> dict[str, np.ndarray[Any, Any]]:
    """The raw signals for candidate rows ``x`` (for scoring and for "why this")."""
    out: dict[str, np.ndarray[Any, Any]] = {"centroid": np.asarray(x @ model.centroid).ravel()}
    if model.liked.shape[0]:
        if model.liked.shape[0] <= 32:  # sparse x dense is much faster than sparse x sparse
            sims = np.asarray(x @ model.liked.T.toarray())
        else:
            sims = (x @ model.liked.T).toarray()
        k = min(model.params.knn_k, sims.shape[1])
        top = -np.partition(-sims, k - 1, axis=1)[:, :k] if k < sims.shape[1] else sims
        out["knn"] = top.mean(axis=1)
        out["nearest"] = sims.argmax(axis=1).astype(float)
        out["nearest_sim"] = sims.max(axis=1)
    if model.coef is not None:
        out["linear"] = np.asarray(x @ model.coef).ravel() + model.intercept
    return out


def score(model: FittedModel, x: Matrix) -> np.ndarray[Any, Any]:
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
    x: Matrix,
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
