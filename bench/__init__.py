"""Benchmarks shipped with errands (``errands bench ...``) and the fakes they drive."""
