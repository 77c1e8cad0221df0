"""Fixtures of the assistant's tool tests: a context and two owners (Ada talks, Bob is not her)."""

from __future__ import annotations

import pytest

from agents.context import AppContext
from store.db import Database
from store.models import Owner
from tests.agents.assistant.actions_seed import add_owner, make_ctx


@pytest.fixture
def ctx(db: Database) -> AppContext:
    return make_ctx(db)


@pytest.fixture
def ada(db: Database) -> Owner:
    return add_owner(db, "ada", 42)


@pytest.fixture
def bob(db: Database) -> Owner:
    return add_owner(db, "bob", 43, name="Bob")
