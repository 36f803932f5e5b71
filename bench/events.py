"""The activity stream at 1M events: a Swarm ``/api/v11/activity`` page of 100 entries,
newest first, against a page deep in the log (``after`` = the id half-way back), and the
same for a stream feed and the ``followed`` entries.

    python -m bench.events [--database-url URL] [--repeat 50]

The account ``e1m`` gets 1,000,000 events (each in 4 streams: its activity, one of 10,000
computers, one of 100 users, the account; a third followed by its user), inserted with
set-based SQL (one ``INSERT … SELECT`` per table), unless it exists. Served in-process
through Flask's test client, so every figure carries the same request overhead; a page is
a range scan of one index, so a deep page costs what the first does.
"""
from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from peewee import PostgresqlDatabase

from app import auth, create_app, directory
from app.db import init_database, upgrade_schema
from app.models import Account, Event, Person, database

from .seed import DEFAULT_URL

ACCOUNT = "e1m"
EVENTS = 1_000_000
PAGE = 100
READER = f"reader@{ACCOUNT}.example"


def _series(count: int) -> str:
    """A ``SELECT`` of the integers 1..count named ``i``."""
    if isinstance(database.obj, PostgresqlDatabase):
        return f"SELECT generate_series(1, {count}) AS i"
    return (f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
            f"WHERE i < {count}) SELECT i FROM n")


def _execute(sql: str) -> None:
    """Run ``sql`` (no parameters: psycopg's ``%`` must be doubled)."""
    if isinstance(database.obj, PostgresqlDatabase):
        sql = sql.replace("%", "%%")
    database.execute_sql(sql)


def seed_events(url: str, count: int = EVENTS) -> float | None:
    """Create the account and its events unless it exists; the seconds it took."""
    init_database(url, pooled=False)
    upgrade_schema()
    database.connect(reuse_if_open=True)
    if Account.get_or_none(Account.name == ACCOUNT) is not None:
        return None
    started = time.perf_counter()
    with database.atomic():
        account = directory.create_account(ACCOUNT, "Events 1M")
        directory.create_person(account, email=READER, name="Reader", username="u7",
                                role="manager", password="bench")
        a = account.id
        # event i: activity i on computer i % 10000, by user u(i % 100), at one a second
        _execute(
            "INSERT INTO event (account_id, time, actor, type, action, target, preposition, "
            "description, topic, details, link, streams, followers) "
            f"SELECT {a}, 1600000000 + i, 'u' || (i % 100), 'activity', 'canceled', "
            "'activity ' || i, '', 'Install nginx', 'activities/' || i, "
            "'{\"from\":\"undelivered\",\"to\":\"canceled\"}', "
            "'[\"activity\",{\"id\":' || i || '}]', "
            "'[\"activity-' || i || '\",\"computer-' || (i % 10000) || '\",\"user-u' "
            f"|| (i % 100) || '\",\"account-{ACCOUNT}\"]', "
            "CASE WHEN i % 3 = 0 THEN '[\"u' || (i % 100) || '\"]' ELSE '[]' END "
            f"FROM ({_series(count)}) AS s ORDER BY i")
        for stream in ("'activity-' || substr(target, 10)",
                       "'computer-' || (CAST(substr(target, 10) AS INTEGER) % 10000)",
                       "'user-' || actor", f"'account-{ACCOUNT}'"):
            _execute(
                f"INSERT INTO event_stream (account_id, stream, event_id) "
                f"SELECT {a}, {stream}, id FROM event WHERE account_id = {a}")
        _execute(
            "INSERT INTO event_follower (account_id, username, event_id) "
            f"SELECT {a}, actor, id FROM event WHERE account_id = {a} AND followers <> '[]'")
    database.execute_sql("ANALYZE")
    return time.perf_counter() - started


def _get(client: Any, path: str, headers: dict[str, str], params: dict[str, Any]) -> float:
    started = time.perf_counter()
    answer = client.get("/api/v11" + path, query_string=params, headers=headers)
    elapsed = time.perf_counter() - started
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["data"]["totalCount"] == PAGE, (path, params)
    return elapsed


def measure(url: str, repeat: int = 50) -> dict[str, float]:
    """Median milliseconds of each page (first and deep) and the deep ÷ first ratios; the
    pages are read in turn, after a warm-up round, so that a slower moment of the machine
    weighs on all of them alike."""
    seed_events(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    client = app.test_client()
    with app.app_context():
        reader = Person.get(Person.email_key == READER)
        token, _ = auth.issue_token("bench", reader, 60)
        account_id = reader.account_id
        newest = Event.select(Event.id).where(Event.account == account_id
                                              ).order_by(Event.id.desc()).limit(1).scalar()
    headers = {"Authorization": f"Bearer {token}"}
    half = newest - EVENTS // 2
    pages = {}
    for name, path, params in (("all", "/activity", {}),
                               ("stream", "/persons/u7/activity", {}),
                               ("followed", "/activity", {"followed": "true"})):
        pages[f"{name}_first"] = (path, {"max": PAGE, **params})
        pages[f"{name}_deep"] = (path, {"max": PAGE, "after": half, **params})
    timings: dict[str, list[float]] = {name: [] for name in pages}
    for round_ in range(repeat + 5):
        for name, (path, params) in pages.items():
            elapsed = _get(client, path, headers, params)
            if round_ >= 5:
                timings[name].append(elapsed)
    figures = {f"{name}_ms": 1000 * statistics.median(values)
               for name, values in timings.items()}
    for name in ("all", "stream", "followed"):
        figures[f"{name}_ratio"] = figures[f"{name}_deep_ms"] / figures[f"{name}_first_ms"]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    seeded = seed_events(args.database_url)
    if seeded is not None:
        print(f"seeded {EVENTS:,} events in {seeded:.1f} s")
    figures = measure(args.database_url, args.repeat)
    for name, label in (("all", "/activity"), ("stream", "stream user-u7 (10k events)"),
                        ("followed", "followed=true (3.3k events)")):
        print(f"{label}, max {PAGE}, {EVENTS:,} events: first page "
              f"{figures[name + '_first_ms']:.2f} ms, after the 500,000th "
              f"{figures[name + '_deep_ms']:.2f} ms, ratio {figures[name + '_ratio']:.2f} "
              "(goal <= 1.5)")


if __name__ == "__main__":
    main()
