"""Compile each LangGraph graph once per checkpointer, not once per call.

A graph's nodes get what a run works on (the ``AppContext``, an owner, ``now``) from LangGraph's
runtime context, so one compiled graph serves every run that shares a checkpointer. The cache
is weak: a checkpointer that is closed and dropped takes its compiled graph with it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from langgraph.checkpoint.base import BaseCheckpointSaver

G = TypeVar("G")
Checkpointer = BaseCheckpointSaver[Any]


def compiled_once(build: Callable[[Checkpointer], G]) -> Callable[[Checkpointer], G]:
    """``build`` wrapped so each checkpointer gets its graph compiled on first use only."""
    cache: WeakKeyDictionary[Checkpointer, G] = WeakKeyDictionary()

    def get(checkpointer: Checkpointer) -> G:
        graph = cache.get(checkpointer)
        if graph is None:
            graph = cache[checkpointer] = build(checkpointer)
        return graph

    get.__doc__ = build.__doc__
    return get
