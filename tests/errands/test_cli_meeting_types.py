"""``errands meetings types add|list|remove`` and ``meetings about`` through the typer runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from errands.cli import app
from store.errors import InvalidInput, NotFound


def call(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def owner(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    for name in ("ERRANDS_DATABASE_URL", "ERRANDS_TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ERRANDS_DATA_DIR", str(data_dir))
    monkeypatch.setenv("ERRANDS_LLM_EMBEDDED", "false")
    added = call("owner", "add", "--chat-id", "42", "--name", "Ada", "--slug", "ada")
    assert added.exit_code == 0, added.output


def listing() -> dict[str, object]:
    result = call("meetings", "types", "list", "--owner", "ada", "--json")
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.output))


def test_types_and_about_from_the_command_line(owner: None) -> None:
    first = listing()
    assert first["default"] is True and first["about"] == ""
    assert [t["key"] for t in first["types"]] == ["meeting"]  # type: ignore[index, union-attr]
    added = call(
        "meetings", "types", "add", "intro", "--owner", "ada", "--name", "Intro call",
        "--lengths", "15,30", "--location", "https://meet.example.org/{slug}-{booking_id}",
        "--description", "A first hello.", "--no-approval",
    )  # fmt: skip
    assert added.exit_code == 0 and added.output == "Saved intro. ada offers: intro.\n"
    assert call("meetings", "about", "Maths & engines.", "--owner", "ada").output == "Saved.\n"
    now = listing()
    assert now["default"] is False and now["about"] == "Maths & engines."
    assert now["types"] == [
        {
            "key": "intro",
            "name": "Intro call",
            "lengths": [15, 30],
            "location": "https://meet.example.org/{slug}-{booking_id}",
            "description": "A first hello.",
            "approval": False,
        }
    ]
    plain = call("meetings", "types", "list", "--owner", "ada").output
    assert plain.startswith("intro: Intro call (15/30 min, instant, https://meet.example.org/")
    bad = call(
        "meetings", "types", "add", "x", "--owner", "ada", "--name", "X", "--location", "{pw}"
    )
    assert isinstance(bad.exception, InvalidInput)
    assert "{slug} and {booking_id}" in bad.exception.user_message
    gone = call("meetings", "types", "remove", "intro", "--owner", "ada")
    assert gone.output == "Removed intro. ada offers: the default type.\n"
    assert isinstance(
        call("meetings", "types", "remove", "intro", "--owner", "ada").exception, NotFound
    )
    assert listing()["default"] is True
