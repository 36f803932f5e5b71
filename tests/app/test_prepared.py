"""PostgreSQL connection handling of the hot path: prepared statements and pool checkouts."""
from __future__ import annotations

import pytest

from app.auth import find_key
from app.db import PooledPostgres, make_database
from app.models import database
from app.store.credentials import KEY_LOOKUP, forget

pytestmark = pytest.mark.postgres


def test_hot_queries_are_prepared_once_per_connection(app, tenant):
    access_key = tenant.admin.access_key
    assert find_key(access_key).access_key == access_key
    name = KEY_LOOKUP._statement[0]
    prepared = set(database.connection().prepared)
    assert name in prepared
    statements = database.execute_sql(
        "SELECT count(*) FROM pg_prepared_statements WHERE name = %s", (name,)).fetchone()[0]
    assert statements == 1
    forget()  # read the store again
    assert find_key(access_key).access_key == access_key  # EXECUTE again, no new PREPARE
    assert database.connection().prepared == prepared


def test_a_connection_given_back_moments_ago_is_reused_without_a_ping(db_url, monkeypatch):
    pool = make_database(db_url)
    assert isinstance(pool, PooledPostgres)
    pings = []
    monkeypatch.setattr("playhouse.pool._PooledPostgresqlDatabase._is_closed",
                        lambda self, conn: pings.append(conn) or False)
    pool.connect()
    first = pool.connection()
    pool.close()
    pool.connect()
    assert pool.connection() is first and pings == []
    pool.close()
    first.checked_in -= 60  # as if it had sat idle for a minute
    pool.connect()
    assert pool.connection() is first and pings == [first]
    pool.close()
    pool.close_all()
