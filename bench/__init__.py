"""Benchmarks, labelled sets and the fakes they drive; run from a checkout, never installed.

``errands bench …``, ``errands todo bench`` and ``errands arxiv bench|ceiling|scale`` import
from here (see docs/benchmarks.md); the wheel ships only errands, store, agents, bots and jobs.
"""
