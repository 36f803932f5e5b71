"""Every Acronis filter and the page after a cursor are read through an index, on both
stores: the plans of the keyset page queries (``app.activity_json.keyset_query``).

On PostgreSQL sequential scans are disabled for the EXPLAIN: a small test table is cheaper
to scan, but the planner still scans when no index can serve the condition, so an index in
the plan shows that one can."""
from __future__ import annotations

import datetime as dt

import pytest

from app.activity_json import keyset_query, ordering
from app.demo import seed
from app.models import Account, database

from ..plans import plan

_TIME = "2011-06-01T00:00:00Z"


@pytest.fixture
def planned(app) -> int:
    seed("planned", computers=50, activities=3000)
    database.execute_sql("ANALYZE")
    return Account.get(Account.name == "planned").id


@pytest.mark.parametrize(("criteria", "order", "sqlite_index"), [
    ("", "createdAt", "activity_account_id_creation_time_id"),
    # frequent statuses are as cheap to find reading the account newest first
    ("(status:succeeded OR status:failed)", "createdAt",
     "activity_account_id_activity_status_creation_time_id|"
     "activity_account_id_creation_time_id"),
    ("status:unapproved", "createdAt", "activity_account_id_activity_status_creation_time_id"),
    ("type:RestartRequest", "createdAt", "activity_account_id_type_creation_time_id"),
    ("id:5", "createdAt", "INTEGER PRIMARY KEY"),
    ("(id:5 OR parent-id:5)", "createdAt", "activity_parent_id_creation_time_id"),
    (f"created-ge:{_TIME}", "createdAt", "activity_account_id_creation_time_id"),
    (f"updated-lt:{_TIME}", "updatedAt", "activity_account_id_modification_time_id"),
    (f"completed-gt:{_TIME}", "completedAt", "activity_account_id_completion_time_id"),
    # the table itself in rowid order (the primary key), stopping after the page
    ("", "id", "SCAN t1"),
])
def test_each_filter_and_order_reads_an_index(planned, is_postgres, criteria, order,
                                              sqlite_index):
    query = keyset_query(planned, "", criteria, 20, ordering(order, True), None)
    found = plan(query, is_postgres)
    if is_postgres:
        assert "Index" in found and "Seq Scan" not in found, found
    else:
        if sqlite_index == "SCAN t1":
            assert found.startswith("SCAN t1 ")
            return
        assert "SCAN t1" not in found, found
        assert any(f"USING {index}" in found or f"USING INDEX {index}" in found
                   for index in sqlite_index.split("|")), found


@pytest.mark.parametrize("order", ["createdAt", "updatedAt", "id"])
@pytest.mark.parametrize("descending", [True, False])
def test_the_page_after_a_cursor_is_a_range_of_an_index_not_an_offset(
        planned, is_postgres, order, descending):
    key = (dt.datetime(2011, 6, 1), 1000) if order != "id" else (1000, 1000)
    query = keyset_query(planned, "", "", 20, ordering(order, descending), key)
    sql = query.sql()[0]
    assert "OFFSET" not in sql.upper()
    found = plan(query, is_postgres)
    if is_postgres:
        # the cursor bounds the index scan itself
        bound = "Index Cond: (id " if order == "id" else (
            f"Index Cond: ((account_id = {planned}) AND (ROW(")
        assert bound in found, found
        assert "Seq Scan on activity" not in found, found
    else:
        assert "SEARCH" in found and "TEMP B-TREE" not in found, found
