"""The arXiv agent's configuration (filled from ``ERRANDS_ARXIV_*`` settings by errands/)."""

from __future__ import annotations

from dataclasses import dataclass

from agents.arxiv.client import API_URL, RSS_URL


@dataclass(frozen=True)
class ArxivConfig:
    """Where arXiv is, what to fetch by default, and how big a digest is."""

    api_url: str = API_URL
    rss_url: str = RSS_URL
    categories: tuple[str, ...] = ("cs.LG", "cs.AI", "cs.CL", "cs.CV")
    digest_size: int = 10
    digest_time: str = "08:00"
    digest_days: str = "mon-fri"
    min_interval: float = 3.0
    # a background fetch's patience (a person waiting gets less: bots/telegram/arxiv.py)
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 3.0
    background: int = 500
    tldr: bool = True
    # dense embeddings from the LLM server as an extra feature block (used when it answers)
    embeddings: bool = True
    embedding_weight: float = 0.5  # share of the row's squared norm given to the embedding
