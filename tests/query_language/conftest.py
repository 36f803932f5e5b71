"""Fixtures of the query-language tests: an in-memory SQLite store with the seeded data set."""
from __future__ import annotations

from typing import Iterator

import pytest
from peewee import SqliteDatabase

from app.models import ALL_MODELS, database

from .data import Dataset, seed


@pytest.fixture
def ql_sqlite() -> Iterator[Dataset]:
    """Bind the model proxy to a fresh in-memory SQLite store holding :func:`data.seed`."""
    previous = database.obj
    store = SqliteDatabase(":memory:")
    database.initialize(store)
    store.create_tables(ALL_MODELS)
    try:
        yield seed()
    finally:
        store.close()
        database.initialize(previous)


@pytest.fixture
def ql_data(app) -> Dataset:
    """The store the result tests query: the suite's store (SQLite, or PostgreSQL when
    ``ACTIONGATE_TEST_DATABASE_URL`` is set), cleaned and seeded with :func:`data.seed`."""
    return seed()
