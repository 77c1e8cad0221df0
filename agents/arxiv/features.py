"""Text features for arXiv papers: hashed TF-IDF over title, abstract, authors, categories.

Hashing (no fitted vocabulary) lets one day's batch be featurised once and shared by every
owner, and keeps an owner's stored weights meaningful as new words appear. Term counts are
sublinear (1 + log tf); the IDF comes from a reference set of papers (the owner's background
sample) and travels with the owner's model. Authors and categories become single tokens
(``au_jane_doe``, ``cat_cs_lg``) so they act as features of their own.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize

N_FEATURES = 2**18
_NON_WORD = re.compile(r"[^a-z0-9]+")


class PaperText(Protocol):
    title: str
    abstract: str

    @property
    def authors(self) -> Sequence[Any]: ...

    @property
    def categories(self) -> Sequence[Any]: ...


def _token(prefix: str, text: str) -> str:
    return prefix + _NON_WORD.sub("_", str(text).lower()).strip("_")


def paper_text(title: str, abstract: str, authors: Sequence[Any], categories: Sequence[Any]) -> str:
    """The document a paper contributes: words plus author and category tokens."""
    extra = [_token("au_", a) for a in list(authors)[:20]] + [_token("cat_", c) for c in categories]
    return f"{title} {title} {abstract} {' '.join(extra)}"


_VECTORIZER = HashingVectorizer(
    n_features=N_FEATURES,
    ngram_range=(1, 2),
    stop_words="english",
    token_pattern=r"(?u)\b[a-zA-Z_][a-zA-Z0-9_.]+\b",
    alternate_sign=False,
    norm=None,
)


def raw_counts(texts: Sequence[str]) -> Any:
    """Sublinear term counts (CSR), owner-independent: compute once per batch."""
    counts = _VECTORIZER.transform(list(texts)).tocsr().astype(np.float32)
    counts.data = 1.0 + np.log(counts.data)
    return counts


def analyze(text: str) -> list[str]:
    """The tokens (words and bigrams) a text contributes, for explaining scores."""
    analyzer = _VECTORIZER.build_analyzer()
    return list(analyzer(text))


def _identity(tokens: list[str]) -> list[str]:
    return tokens


_ONE_TOKEN = HashingVectorizer(
    n_features=N_FEATURES, alternate_sign=False, norm=None, analyzer=_identity
)


def term_columns(terms: Sequence[str]) -> list[int]:
    """The hashed column of each token (same hash as ``raw_counts``)."""
    if not terms:
        return []
    matrix = _ONE_TOKEN.transform([[t] for t in terms]).tocsr()
    return [int(matrix.indices[matrix.indptr[i]]) for i in range(len(terms))]


def fit_idf(reference: Any) -> np.ndarray[Any, Any]:
    """Smoothed IDF from a reference matrix of counts (sklearn's formula)."""
    n = reference.shape[0]
    df = np.bincount(reference.indices, minlength=reference.shape[1]).astype(np.float32)
    idf: np.ndarray[Any, Any] = np.log((1.0 + n) / (1.0 + df)).astype(np.float32) + 1.0
    return idf


def weigh(counts: Any, idf: np.ndarray[Any, Any]) -> Any:
    """TF-IDF rows, L2-normalised, for one owner's IDF."""
    if counts.shape[0] == 0:
        return sp.csr_matrix((0, counts.shape[1]), dtype=np.float32)
    weighted = counts.tocsr(copy=True)
    weighted.data = weighted.data * idf[weighted.indices]  # O(nnz), no dense broadcast
    return normalize(weighted, norm="l2", copy=False)


def with_dense(tfidf: Any, block: np.ndarray[Any, Any] | None, *, weight: float, dim: int) -> Any:
    """``[sqrt(1 - w) * tfidf, sqrt(w) * block]`` as CSR; ``None`` is a zero block.

    Built from the CSR arrays directly (``sp.hstack`` goes through COO and took ~35 ms for
    2,000 x 576): each row is its TF-IDF entries followed by its ``dim`` dense ones.
    """
    x = tfidf.tocsr()
    n, width = x.shape
    shape = (n, width + dim)
    data = x.data.astype(np.float32) * np.float32(math.sqrt(1.0 - weight))
    if block is None:  # no stored entries for the block: the row keeps only its TF-IDF part
        return sp.csr_matrix((data, x.indices.copy(), x.indptr.copy()), shape=shape)
    if block.shape != (n, dim):
        raise ValueError(f"dense block {block.shape} for {n} rows of dimension {dim}")
    lengths = np.diff(x.indptr)
    indptr = x.indptr.astype(np.int64) + np.arange(n + 1, dtype=np.int64) * dim
    out_data = np.empty(x.nnz + n * dim, dtype=np.float32)
    out_indices = np.empty(x.nnz + n * dim, dtype=np.int32)
    sparse_at = np.arange(x.nnz, dtype=np.int64) + np.repeat(
        np.arange(n, dtype=np.int64) * dim, lengths
    )
    dense_at = (indptr[:-1] + lengths)[:, None] + np.arange(dim, dtype=np.int64)
    out_data[sparse_at] = data
    out_indices[sparse_at] = x.indices
    out_data[dense_at.ravel()] = (block.astype(np.float32) * np.float32(math.sqrt(weight))).ravel()
    out_indices[dense_at.ravel()] = np.tile(np.arange(width, width + dim, dtype=np.int32), n)
    return sp.csr_matrix((out_data, out_indices, indptr), shape=shape)
