"""The arXiv agent: fetch new papers, rank them per owner, send a digest, learn from taps."""
