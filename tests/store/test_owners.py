from __future__ import annotations

import pytest

from store import owners
from store.db import Database
from store.errors import Conflict, InvalidInput
from tests.conftest import NOW


def test_create_and_find(db: Database) -> None:
    with db.write() as session:
        owner = owners.create_owner(
            session, name="Ada Lovelace", timezone="Europe/London", now=NOW, chat_id=42
        )
        assert owner.slug == "ada-lovelace"
    with db.read() as session:
        assert owners.get_by_chat_id(session, chat_id=42) is not None
        assert owners.get_by_slug(session, slug="ada-lovelace") is not None


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"name": "", "timezone": "UTC"}, InvalidInput),
        ({"name": "A", "timezone": "Mars/Olympus"}, InvalidInput),
        ({"name": "A", "timezone": "UTC", "slug": "Bad Slug!"}, InvalidInput),
    ],
)
def test_rejects_bad_input(db: Database, kwargs: dict[str, str], error: type[Exception]) -> None:
    with pytest.raises(error), db.write() as session:
        owners.create_owner(session, now=NOW, **kwargs)  # type: ignore[arg-type]


def test_duplicate_chat_and_slug(db: Database) -> None:
    with db.write() as session:
        owners.create_owner(session, name="A", timezone="UTC", now=NOW, chat_id=1, slug="a")
    with pytest.raises(Conflict, match="already"), db.write() as session:
        owners.create_owner(session, name="B", timezone="UTC", now=NOW, chat_id=1, slug="b")
    with pytest.raises(Conflict, match="taken"), db.write() as session:
        owners.create_owner(session, name="B", timezone="UTC", now=NOW, chat_id=2, slug="a")
