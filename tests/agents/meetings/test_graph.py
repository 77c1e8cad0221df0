"""The approval graph is compiled once per checkpointer, not on every call."""

from __future__ import annotations

from langgraph.checkpoint.memory import InMemorySaver

from agents.meetings import graph


def test_graph_is_compiled_once_per_checkpointer() -> None:
    first, second = InMemorySaver(), InMemorySaver()
    assert graph.build_graph(first) is graph.build_graph(first)
    assert graph.build_graph(second) is not graph.build_graph(first)
    assert graph.build_graph(second).checkpointer is second
