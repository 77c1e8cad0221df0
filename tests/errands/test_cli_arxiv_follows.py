"""``errands arxiv follow|unfollow|mute|unmute|follows|recap`` through the typer runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from errands.cli import app
from store.errors import InvalidInput


class CliRunnerCall:
    """``errands ARGS`` in-process."""

    def __call__(self, *args: str) -> Result:
        return CliRunner().invoke(app, list(args))


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> CliRunnerCall:
    for name in ("ERRANDS_DATABASE_URL", "ERRANDS_TIMEZONE", "ERRANDS_ARXIV_CATEGORIES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ERRANDS_DATA_DIR", str(data_dir))
    monkeypatch.setenv("ERRANDS_LLM_EMBEDDED", "false")
    call = CliRunnerCall()
    added = call("owner", "add", "--chat-id", "42", "--name", "Ada", "--slug", "ada")
    assert added.exit_code == 0, added.output
    return call


def listing(run: CliRunnerCall) -> dict[str, object]:
    result = run("arxiv", "follows", "--owner", "ada", "--json")
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.output))


def test_follow_mute_and_recap_from_the_command_line(run: CliRunnerCall) -> None:
    said = run("arxiv", "follow", "author", "Jane", "Doe", "--owner", "ada")
    assert said.exit_code == 0 and said.output == "Now following author Jane Doe.\n"
    again = run("arxiv", "follow", "author", "Doe, Jane", "--owner", "ada")
    assert again.output == "Already following author Doe, Jane.\n"
    assert run("arxiv", "follow", "keyword", "diffusion models", "--owner", "ada").exit_code == 0
    muted = run("arxiv", "mute", "keyword", "medical", "--owner", "ada")
    assert muted.output == "Now muting keyword medical.\n"
    assert run("arxiv", "recap", "on", "--owner", "ada").output.startswith("Weekly recap on")
    assert listing(run) == {
        "owner": "ada",
        "authors": ["Jane Doe"],
        "keywords": ["diffusion models"],
        "muted": ["medical"],
        "recap": True,
    }
    plain = run("arxiv", "follows", "--owner", "ada")
    assert plain.output == (
        "authors: Jane Doe\nkeywords: diffusion models\nmuted: medical\nrecap: on\n"
    )

    assert run("arxiv", "unfollow", "author", "JANE DOE", "--owner", "ada").output == (
        "Stopped following author JANE DOE.\n"
    )
    assert run("arxiv", "unmute", "keyword", "Medical", "--owner", "ada").exit_code == 0
    assert run("arxiv", "unfollow", "keyword", "nope", "--owner", "ada").output == (
        "You were not following keyword nope.\n"
    )
    assert run("arxiv", "recap", "off", "--owner", "ada").output == "Weekly recap off.\n"
    assert listing(run) == {
        "owner": "ada",
        "authors": [],
        "keywords": ["diffusion models"],
        "muted": [],
        "recap": False,
    }


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["follow", "author", "x" * 201], "at most 200 characters"),
        (["follow", "keyword", "a\x01b"], "control characters"),
        (["mute", "keyword", "  "], "Give a word or phrase"),
        (["follow", "author", "Jane", "--owner", "nobody"], "No owner 'nobody'"),
    ],
)
def test_bad_values_are_refused_with_a_reason(
    run: CliRunnerCall, args: list[str], says: str
) -> None:
    owner = [] if "--owner" in args else ["--owner", "ada"]
    result = run("arxiv", *args, *owner)
    assert isinstance(result.exception, InvalidInput)  # errands.cli.main: one line, exit 1
    assert says in result.exception.user_message
    assert listing(run)["authors"] == [] and listing(run)["muted"] == []


def test_bad_usage_is_a_usage_error(run: CliRunnerCall) -> None:
    assert run("arxiv", "recap", "maybe", "--owner", "ada").exit_code == 2
    assert run("arxiv", "mute", "author", "Jane", "--owner", "ada").exit_code == 2  # no such
    assert run("arxiv", "follow", "author", "--owner", "ada").exit_code == 2  # no name
