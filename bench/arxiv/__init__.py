"""The arXiv recommender's benchmarks: CiteULike replay, its ceiling, and the whole-stream scale."""
