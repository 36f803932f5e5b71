"""Every page of the activity stream is a range scan of one index in newest-first order,
on both stores: no scan of the table, no sort of the matching rows, ``after`` bounding the
index scan (the plans of :func:`app.store.event_reads.page_query`, which ``GetEvents``'
pages share).

On PostgreSQL sequential scans are disabled for the EXPLAIN: a small test table is cheaper
to scan, but the planner still scans when no index can serve the condition."""
from __future__ import annotations

import pytest

from app.models import database
from app.store import events
from app.store.event_reads import EventFilter, page_query
from app.store.vocabularies import EVENT_VOCABULARY
from query_language import compile_query

from ..plans import plan


@pytest.fixture
def account(tenant, make_tenant) -> int:
    """Events of several types, streams and followers: 1,000 in the account read, 9,000
    in another (the account read is a small part of the log, as most are)."""
    for owner, count in ((tenant, 1000), (make_tenant("other"), 9000)):
        with database.atomic():
            events.record(owner.account.id, "admin-acme", [events.NewEvent(
                type=("activity", "computer", "package")[n % 3], action="canceled",
                target=f"activity {n}", streams=[f"activity-{n}", f"computer-{n % 50}",
                                                 "account-acme"],
                followers=["jane"] if n % 7 == 0 else []) for n in range(count)])
    database.execute_sql("ANALYZE")
    return tenant.account.id


#: the filters of a page, and the index that must serve it (PostgreSQL, SQLite)
CASES = [
    (EventFilter(), "event_account_id_id", "event_account_id_id"),
    (EventFilter(type="package"), "event_account_id_type_id", "event_account_id_type_id"),
    (EventFilter(stream="computer-7"), "event_stream_pkey", "sqlite_autoindex_event_stream_1"),
    (EventFilter(follower="jane"), "event_follower_pkey",
     "sqlite_autoindex_event_follower_1"),
    (EventFilter(actor="admin-acme"), "event_account_id_actor_id",
     "event_account_id_actor_id"),
    (EventFilter(target="activity 9"), "event_account_id_target_id",
     "event_account_id_target_id"),
]


@pytest.mark.parametrize("after", [None, 500])
@pytest.mark.parametrize(("filters", "pg_index", "sqlite_index"), CASES)
def test_a_page_is_a_range_of_one_index_newest_first(account, is_postgres, filters,
                                                     pg_index, sqlite_index, after):
    query = page_query(account, filters, after, 100)
    assert "OFFSET" not in query.sql()[0].upper()
    found = plan(query, is_postgres)
    if is_postgres:
        # on a small table the planner may prefer another index of the event (the primary
        # key, the account's): still a range scan newest first, never a sort; the plans at
        # 1M events are in bench.events' figures
        assert "Scan Backward using " in found, found
        assert "Seq Scan" not in found and "Sort" not in found, found
        if after is not None:
            assert "id < " in found.partition("Index Cond:")[2], found
    else:
        assert (f"USING INDEX {sqlite_index} " in found
                or f"USING COVERING INDEX {sqlite_index} " in found), found
        assert "TEMP B-TREE" not in found and "SCAN " not in found, found
        if after is not None:
            assert "<?)" in found.replace(" ", "").split(sqlite_index)[1].split("|")[0], found


def test_a_followed_page_of_a_stream_checks_each_follower_by_its_key(account, is_postgres):
    found = plan(page_query(account, EventFilter(stream="computer-7", follower="jane"),
                            None, 100), is_postgres)
    if is_postgres:
        # both indexes serve it; on a small table the planner may join them and sort
        assert "event_stream_pkey" in found, found
        assert "event_follower_pkey" in found, found
        assert "Seq Scan" not in found, found
    else:
        assert "sqlite_autoindex_event_stream_1" in found, found
        assert "sqlite_autoindex_event_follower_1" in found, found
        assert "TEMP B-TREE" not in found, found


#: GetEvents' queries of one criterion, and the index that serves it on SQLite
QUERIES = [
    ("", "event_account_id_id"),
    ("type:package", "event_account_id_type_id"),
    ("user:admin-acme", "event_account_id_actor_id"),
    ('target:"activity 9"', "event_account_id_target_id"),
    ("stream:computer-7", "sqlite_autoindex_event_stream_1"),
]


@pytest.mark.parametrize("after", [None, 500])
@pytest.mark.parametrize(("query", "sqlite_index"), QUERIES)
def test_a_get_events_page_is_read_by_index_newest_first(account, is_postgres, query,
                                                         sqlite_index, after):
    condition = compile_query(query, EVENT_VOCABULARY, account_id=account)
    found = plan(page_query(account, EventFilter(), after, 100, condition), is_postgres)
    if is_postgres:
        assert "Seq Scan" not in found and "Sort" not in found, found
    else:
        assert sqlite_index in found, found
        assert "TEMP B-TREE" not in found and "SCAN " not in found, found
