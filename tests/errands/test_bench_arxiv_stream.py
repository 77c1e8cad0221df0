"""The arXiv-stream replay on a tiny stream whose readers, positives and answers are known."""

from __future__ import annotations

import gzip
import json
import subprocess
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from agents.arxiv import local_embedder
from bench.arxiv.stream_data import load_stream, reader_days, sample_readers
from bench.arxiv.stream_run import CAVEATS, run_stream
from errands.cli import app
from store.errors import InvalidInput
from tests.conftest import ERRANDS

ROOT = Path(__file__).resolve().parents[2]
START = date(2025, 1, 1)
FILLER_WORDS = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "zeta",
    "theta",
    "kappa",
    "sigma",
    "omega",
]
ADA = "Ada Reader"
# (day, authors) of the papers that matter; every day also has 40 filler papers.
# Ada: 5 seeds on days 0-5 (Bob on day 1; Cy only on a 25-author paper, which is not one of
# her seeds), her own papers on days 6, 7 and 11 (Dee joins on day 6); Bob's paper on day 8
# and Dee's on day 10 are wanted, Cy's on day 9 is not (a consortium paper makes no
# co-author), nor Dee's on day 6 (they had not written together before that day).
STORY = [
    (0, [ADA]),
    (1, [ADA, "Bob Coauthor"]),
    (2, [ADA, *(f"Member {i}" for i in range(23)), "Cy Big"]),
    (2, [ADA]),
    (3, [ADA]),
    (5, [ADA]),
    (6, [ADA, "Dee Later"]),
    (6, ["Dee Later"]),
    (7, [ADA]),
    (8, ["Bob Coauthor"]),
    (9, ["Cy Big"]),
    (10, ["Dee Later"]),
    (11, [ADA]),
]


def write_stream(path: Path, *, days: int = 12, fillers: int = 40) -> None:
    """Fillers speak Greek letters; the story's papers all speak of quokka lattices."""
    rng = np.random.default_rng(0)
    rows = []
    for day in range(days):
        for k in range(fillers):
            words = " ".join(rng.choice(FILLER_WORDS, size=12))
            rows.append((day, [f"Filler {day}-{k}"], f"{words} study", words))
    for day, authors in STORY:
        rows.append((day, authors, "quokka lattice sampling", "quokka lattice marsupial walks"))
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for n, (day, authors, title, abstract) in enumerate(rows):
            paper = {
                "id": f"2501.{n:05d}",
                "title": title,
                "abstract": abstract,
                "authors": authors,
                "categories": ["cs.LG"],
                "comment": "",
                "announced": (START + timedelta(days=day)).isoformat(),
            }
            handle.write(json.dumps(paper) + "\n")


@pytest.fixture
def stream_file(tmp_path: Path) -> Path:
    path = tmp_path / "papers.jsonl.gz"
    write_stream(path)
    return path


def test_readers_are_prolific_authors_seeded_with_their_first_papers(stream_file: Path) -> None:
    stream = load_stream(stream_file)
    ada = "ada reader"
    reader = reader_days(stream, ada, max_days=10)
    titles_days = [int(stream.day_of[i]) for i in reader.seeds]
    assert titles_days == [0, 1, 2, 3, 5]
    assert [rd.day for rd in reader.days] == [6, 7, 8, 10, 11]
    by_day = {rd.day: rd for rd in reader.days}
    assert len(by_day[6].own) == 1 and not by_day[6].coauthored  # Dee's own one is not wanted
    assert len(by_day[6].candidates) == 42
    assert stream.authors[next(iter(by_day[8].coauthored))] == {"bob coauthor"}
    assert stream.authors[next(iter(by_day[10].coauthored))] == {"dee later"}
    assert all(len(rd.positives) == 1 for rd in reader.days)
    assert [rd.day for rd in reader_days(stream, ada, max_days=2).days] == [6, 7]
    assert [r.name for r in sample_readers(stream, readers=1, seed=3, max_days=4)] == [ada]
    with pytest.raises(InvalidInput, match="only 1 authors"):
        sample_readers(stream, readers=2, seed=0, max_days=4)


def test_every_method_finds_the_one_on_topic_paper_of_each_day(stream_file: Path) -> None:
    result = run_stream(stream_file, readers=1, days=10, workers=1, embeddings_mode="none")
    assert set(result["methods"]) == {"tfidf", "svm"}  # no embedder asked for
    assert result["embeddings"] == {"mode": "none", "reason": "--embeddings none"}
    for summary in result["methods"].values():
        assert summary["p10"] == 0.1  # 1 wanted paper a day, always in the top 10
        assert summary["p10_coauthor"] == 0.1
        assert summary["reader_days"] == 5 and summary["reader_days_coauthor"] == 2
        assert summary["own_found"] == 3 and summary["coauthor_found"] == 2
    assert result["methods"]["tfidf"]["ratio_p10_vs_svm"] == 1.0
    assert result["random_p10"] == round((1 / 42 + 4 / 41) / 5, 4)
    assert (result["readers"], result["reader_days"], result["days"]) == (1, 5, 10)
    assert result["caveats"] == CAVEATS
    assert {"load_s", "features_s", "embeddings_s", "replay_s", "total_s"} <= set(result["timings"])
    assert result["hide_authors"] is False


def test_hidden_names_leave_the_words_to_rank(stream_file: Path) -> None:
    result = run_stream(
        stream_file, readers=1, days=10, workers=1, embeddings_mode="none", hide_authors=True
    )
    assert result["hide_authors"] is True
    assert {m["p10"] for m in result["methods"].values()} == {0.1}  # "quokka lattice" is enough


@pytest.mark.skipif(
    local_embedder.unavailable_reason() is not None,
    reason=f"local embedder: {local_embedder.unavailable_reason()}",
)
def test_the_local_embedder_adds_the_embedding_method(stream_file: Path) -> None:
    result = run_stream(stream_file, readers=1, days=10, workers=2)  # default: local
    assert list(result["methods"]) == ["tfidf", "tfidf_embed", "svm"]
    embed = result["embeddings"]
    assert (embed["mode"], embed["model"], embed["dim"]) == ("local", local_embedder.MODEL, 256)
    assert embed["papers"] == 12 * 40 + len(STORY)  # every paper is near a ranked day here
    assert result["methods"]["tfidf_embed"]["p10"] == 0.1


def test_cli_stream_flag_prints_each_method_and_rejects_bad_flags(stream_file: Path) -> None:
    args = ["--readers", "1", "--days", "3", "--workers", "1", "--embeddings", "none"]
    text = CliRunner().invoke(
        app, ["arxiv", "bench", "--stream", "--stream-file", str(stream_file), *args]
    )
    assert text.exit_code == 0, text.output
    assert "tfidf: p10 0.1 (x1.0 svm)" in text.stdout and "svm: p10 0.1" in text.stdout
    assert "1 readers, 3 reader-days" in text.stdout and CAVEATS[0] in text.stdout
    no_data = CliRunner().invoke(app, ["arxiv", "bench", "--users", "1"])
    assert no_data.exit_code == 2 and "--citeulike" in no_data.output
    wrong = ["arxiv", "bench", "--stream", "--stream-file", str(stream_file), "--embeddings", "gpu"]
    result = CliRunner().invoke(app, wrong)
    assert result.exit_code == 2 and "choose local, endpoint or none" in result.output


@pytest.mark.slow
@pytest.mark.subprocess
def test_cli_stream_json_and_a_missing_file(stream_file: Path, cli_env: dict[str, str]) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*ERRANDS, "arxiv", "bench", "--stream", *args],
            env=cli_env,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=ROOT,
        )

    args = ["--readers", "1", "--days", "3", "--workers", "1", "--embeddings", "none", "--json"]
    done = cli("--stream-file", str(stream_file), *args)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["reader_days"] == 3 and result["methods"]["svm"]["p10"] == 0.1
    assert "timings" in json.loads(done.stderr.strip().splitlines()[-1])
    missing = cli("--stream-file", str(stream_file.with_name("nope.gz")))
    assert missing.returncode == 1 and "is not a file" in missing.stderr
