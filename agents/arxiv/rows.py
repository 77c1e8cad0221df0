"""Feature rows as two blocks: a sparse TF-IDF part and an optional dense embedding part.

A row is ``[sparse, dense]`` (both already scaled, e.g. by ``sqrt(1 - w)`` and ``sqrt(w)``),
but the blocks are never merged: a 1024-d embedding stored as CSR is 2M "nonzeros" per
2,000 rows, costs ~17 ms to build and makes every sparse product crawl, while as a float32
ndarray its products are BLAS calls. ``model.py`` computes every product as
``sparse @ v_sparse + dense @ v_dense``; a plain CSR matrix is the same as ``Rows(csr)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

Array = np.ndarray[Any, Any]


@dataclass(frozen=True)
class Rows:
    """``n`` feature rows: ``sparse`` (CSR, n x s) next to ``dense`` (float32, n x d) or None."""

    sparse: Any
    dense: Array | None = None

    def __post_init__(self) -> None:
        dense = self.dense
        if dense is not None and (dense.ndim != 2 or dense.shape[0] != self.sparse.shape[0]):
            raise ValueError(f"dense block {dense.shape} for {self.sparse.shape[0]} sparse rows")

    @property
    def dense_dim(self) -> int:
        return 0 if self.dense is None else int(self.dense.shape[1])

    @property
    def shape(self) -> tuple[int, int]:
        n, width = self.sparse.shape
        return int(n), int(width) + self.dense_dim

    def __len__(self) -> int:
        return int(self.sparse.shape[0])

    def __getitem__(self, index: Any) -> Rows:
        """Row selection (an int keeps a 1-row 2-D block, like CSR indexing)."""
        if isinstance(index, tuple):
            raise TypeError("Rows selects rows only")
        rows: Any = [index] if isinstance(index, int | np.integer) else index
        dense = None if self.dense is None else self.dense[rows]
        return Rows(self.sparse[rows], dense)

    def row_norms(self) -> Array:
        """The L2 norm of each full row."""
        squares = np.asarray(self.sparse.multiply(self.sparse).sum(axis=1)).ravel()
        if self.dense is not None:
            squares = squares + np.einsum("ij,ij->i", self.dense, self.dense)
        norms: Array = np.sqrt(squares)
        return norms

    def tocsr(self) -> Any:
        """The merged ``[sparse, dense]`` CSR (slow for wide dense blocks: tests, persistence)."""
        if self.dense is None:
            return sp.csr_matrix(self.sparse)
        return sp.hstack([self.sparse, sp.csr_matrix(self.dense)], format="csr")

    def toarray(self) -> Array:
        return np.asarray(self.tocsr().toarray())


def as_rows(x: Rows | Any) -> Rows:
    """``x`` itself when it is ``Rows``; a plain (CSR) matrix becomes its sparse part."""
    return x if isinstance(x, Rows) else Rows(x)


def vstack(parts: Sequence[Rows]) -> Rows:
    """Rows stacked; a part without a dense block gets zeros when another part has one."""
    sparse = sp.vstack([p.sparse for p in parts]).tocsr()
    dims = {p.dense_dim for p in parts if p.dense is not None}
    if not dims:
        return Rows(sparse)
    if len(dims) > 1:
        raise ValueError(f"dense blocks of different dimensions: {sorted(dims)}")
    (dim,) = dims
    blocks = [
        p.dense if p.dense is not None else np.zeros((len(p), dim), dtype=np.float32) for p in parts
    ]
    return Rows(sparse, np.vstack(blocks).astype(np.float32, copy=False))


def split(x: Any, dense_dim: int) -> Rows:
    """A merged CSR ``[sparse, dense]`` (as old model blobs store it) split back into ``Rows``."""
    x = sp.csr_matrix(x)
    if dense_dim <= 0:
        return Rows(x)
    width = x.shape[1] - dense_dim
    dense = np.asarray(x[:, width:].toarray(), dtype=np.float32)
    return Rows(x[:, :width].tocsr(), dense)
