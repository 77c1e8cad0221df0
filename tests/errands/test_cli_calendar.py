"""``errands meetings calendar …`` and ``errands meetings feed`` as a user runs them."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator

import pytest

from store import owners
from store.db import Database
from tests.agents.meetings.calendar_servers import IcsFeed, Served, event, serve_wsgi, vcalendar
from tests.conftest import ERRANDS, NOW

pytestmark = [pytest.mark.subprocess, pytest.mark.slow]
CLOCK = "2026-10-15T06:00:00+00:00"


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*ERRANDS, *args], env=env, capture_output=True, text=True, timeout=90)


@pytest.fixture
def feed() -> Iterator[tuple[IcsFeed, Served]]:
    app = IcsFeed(body=vcalendar(event("x", ":20261019T100000Z", ":20261019T110000Z")).encode())
    served = serve_wsgi(app)
    yield app, served
    served.stop()


def test_add_sync_list_remove_and_bad_input(
    cli_env: dict[str, str], db: Database, feed: tuple[IcsFeed, Served]
) -> None:
    app, served = feed
    with db.write() as session:
        owners.create_owner(session, name="Ada", timezone="Europe/Berlin", now=NOW, slug="ada")
    url = f"{served.base}/secretaddress123/basic.ics"
    added = run(
        cli_env, "meetings", "calendar", "add", "--owner", "ada", "--ics", url, "--now", CLOCK
    )
    assert added.returncode == 0, added.stderr
    assert "Added calendar #1" in added.stdout and "synced just now, 1 busy time" in added.stdout

    app.status = 401
    failed = run(cli_env, "meetings", "calendar", "sync", "--now", "2026-10-15T07:00:00+00:00")
    assert failed.returncode == 1
    assert "refused the login (HTTP 401)" in failed.stdout
    assert "still using the copy from 1 h ago (1 busy time)" in failed.stdout

    doctor = json.loads(run(cli_env, "doctor", "--json").stdout)["calendars"]
    assert doctor["ok"] is False and "HTTP 401" in doctor["detail"]
    assert "still using the copy" in doctor["detail"] and "secretaddress123" not in doctor["detail"]

    listed = json.loads(run(cli_env, "meetings", "calendar", "list", "--json").stdout)
    assert listed[0]["owner"] == "ada" and listed[0]["busy"] == 1
    assert "401" in listed[0]["error"] and "secretaddress123" not in listed[0]["url"]

    missing = run(
        cli_env, "meetings", "calendar", "add", "--owner", "ada", "--caldav", "https://dav.example/x/",
        "--user", "ada", "--password-env", "NOT_SET_ANYWHERE", "--now", CLOCK,
    )  # fmt: skip
    assert missing.returncode == 1
    assert "NOT_SET_ANYWHERE is not set" in missing.stdout

    both = run(
        cli_env, "meetings", "calendar", "add", "--owner", "ada", "--ics", url, "--caldav", url
    )
    assert both.returncode == 2 and "either --caldav URL or --ics URL" in both.stderr
    again = run(cli_env, "meetings", "calendar", "add", "--owner", "ada", "--ics", url)
    assert again.returncode == 1 and "already added" in again.stderr

    removed = run(cli_env, "meetings", "calendar", "remove", "--owner", "ada", "1")
    assert removed.returncode == 0 and "Removed calendar #1" in removed.stdout
    gone = run(cli_env, "meetings", "calendar", "remove", "--owner", "ada", "1")
    assert gone.returncode == 1 and "No calendar 1" in gone.stderr


def test_feed_link_and_revoke(cli_env: dict[str, str], db: Database) -> None:
    with db.write() as session:
        owners.create_owner(session, name="Ada", timezone="Europe/Berlin", now=NOW, slug="ada")
    env = {**cli_env, "ERRANDS_SECRET_KEY": "k" * 32, "ERRANDS_PUBLIC_URL": "https://ada.example"}
    first = run(env, "meetings", "feed", "--owner", "ada")
    assert first.returncode == 0, first.stderr
    link = first.stdout.splitlines()[0]
    assert link.startswith("webcal://ada.example/feed/ada/") and link.endswith(".ics")
    assert run(env, "meetings", "feed", "--owner", "ada").stdout.splitlines()[0] == link
    revoked = run(env, "meetings", "feed", "--owner", "ada", "--revoke")
    assert "Old feed links no longer work." in revoked.stdout
    assert link not in revoked.stdout
