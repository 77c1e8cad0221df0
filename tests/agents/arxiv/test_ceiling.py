"""The whole-library ceiling on a tiny CiteULike-shaped folder whose answer is known."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bench.arxiv.ceiling import run_ceiling
from store.errors import InvalidInput


def write_citeulike(folder: Path, *, topic: int = 60, other: int = 500) -> None:
    """Papers 0..topic-1 share word 0 (the user's topic); the rest use words 1..40 only."""
    rng = np.random.default_rng(0)
    lines = []
    for i in range(topic + other):
        words = {int(w): 1 for w in rng.choice(np.arange(1, 41), size=5, replace=False)}
        if i < topic:
            words[0] = 3
        lines.append(f"{len(words)} " + " ".join(f"{w}:{c}" for w, c in sorted(words.items())))
    (folder / "mult.dat").write_text("\n".join(lines) + "\n")
    library = " ".join(str(i) for i in range(topic))
    (folder / "users.dat").write_text(f"{topic} {library}\n3 {topic} {topic + 1} {topic + 2}\n")


def test_a_user_with_one_clear_topic_reaches_the_maximum(tmp_path: Path) -> None:
    write_citeulike(tmp_path)
    result = run_ceiling(tmp_path, users=1, days=2, svm_days=1, workers=1)
    assert result == {
        "users": 1,
        "days": 2,
        "svm_days": 1,
        "centroid_p10": 0.3,  # all 3 library papers of each day in the top 10
        "knn_p10": 0.3,
        "svm_p10": 0.3,
    }


def test_no_svm_days_reports_no_svm(tmp_path: Path) -> None:
    write_citeulike(tmp_path)
    result = run_ceiling(tmp_path, users=1, days=1, svm_days=0, workers=1)
    assert result["svm_p10"] is None and result["knn_p10"] == 0.3


def test_bad_arguments_are_clear_errors(tmp_path: Path) -> None:
    write_citeulike(tmp_path)
    with pytest.raises(InvalidInput, match="only 1 users"):
        run_ceiling(tmp_path, users=2, workers=1)
    with pytest.raises(InvalidInput, match="--svm-days"):
        run_ceiling(tmp_path, users=1, svm_days=-1, workers=1)
