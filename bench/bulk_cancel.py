"""``CancelActivities`` of the bulk account's 100,000 undelivered activities against the
same change in raw SQL: the ``UPDATE``, the event insert and the stream and follower index
inserts, each one statement (the gateway's work without the gateway).

    python -m bench.bulk_cancel [--database-url URL] [--rounds 3]

Seeds the bulk account when it is missing; prints the two times and their ratio.
"""
from __future__ import annotations

import argparse
import time

from app import create_app
from app.auth import TIMESTAMP_FORMAT, sign
from app.db import init_database, upgrade_schema
from app.demo import demo_keys, seed_undelivered
from app.models import Account, Activity, Event, EventFollower, EventStream, database, utcnow

from .seed import BULK_ACCOUNT, BULK_ACTIVITIES, DEFAULT_URL

#: the raw change, in the order the gateway makes it; ``{p}`` is the driver's placeholder
_RAW_EVENTS = (
    "INSERT INTO event (account_id, time, actor, type, action, target, preposition, "
    "description, topic, details, link, streams, followers) "
    "SELECT a.account_id, {p}, {p}, 'activity', 'canceled', 'activity ' || a.id, '', "
    "a.summary, 'activities/' || a.id, "
    "'{{\"from\":\"' || a.activity_status || '\",\"to\":\"canceled\"}}', "
    "'[\"activity\",{{\"id\":' || a.id || '}}]', "
    "'[\"activity-' || a.id || '\"' || CASE WHEN a.computer_id IS NULL THEN '' "
    "ELSE ',\"computer-' || a.computer_id || '\"' END || {p}, "
    "CASE WHEN p.username IS NULL THEN '[]' ELSE '[\"' || p.username || '\"]' END "
    "FROM activity AS a LEFT JOIN person AS p ON p.id = a.creator_id "
    "WHERE a.account_id = {p} AND a.activity_status = 'undelivered'")
_RAW_UPDATE = ("UPDATE activity SET activity_status = 'canceled', completion_time = {p}, "
               "modification_time = {p} WHERE account_id = {p} "
               "AND activity_status = 'undelivered'")
_RAW_INDEX = ("INSERT INTO {table} (account_id, {column}, event_id) "
              "SELECT e.account_id, j.value, e.id FROM event AS e, {elements} "
              "WHERE e.account_id = {p} AND e.id > {p}")


def _raw_statements(postgres: bool) -> list[str]:
    p = "%s" if postgres else "?"
    statements = [_RAW_EVENTS.format(p=p), _RAW_UPDATE.format(p=p)]
    for table, column, source in ((EventStream._meta.table_name, "stream", "streams"),
                                  (EventFollower._meta.table_name, "username", "followers")):
        elements = (f"json_array_elements_text(e.{source}::json) AS j(value)" if postgres
                    else f"json_each(e.{source}) AS j")
        statements.append(_RAW_INDEX.format(table=table, column=column, elements=elements, p=p))
    return statements


def measure(url: str, rounds: int = 3) -> dict[str, float]:
    """Seconds (best of ``rounds``) for CancelActivities of the bulk account, via the legacy
    endpoint, and for the same change in raw SQL; the events are deleted between rounds."""
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    client = app.test_client()
    keys = demo_keys(f"admin@{BULK_ACCOUNT}.example")
    assert keys is not None, "the bulk account is not seeded"
    access, secret = keys["access_key"], keys["secret_key"]
    account = Account.get(Account.name == BULK_ACCOUNT)
    reset = (Activity.update(activity_status="undelivered", completion_time=None)
             .where(Activity.account == account.id))
    forget = Event.delete().where(Event.account == account.id)
    rows = Activity.select().where(Activity.account == account.id).count()
    postgres = url.startswith("postgres")
    statements = _raw_statements(postgres)
    streams = ',"user-admin","account-' + BULK_ACCOUNT + '"]'
    gateway, raw = [], []
    for _ in range(rounds):
        with database.atomic():
            reset.execute()
            forget.execute()
        params = {"action": "CancelActivities", "version": "2011-08-01",
                  "query": "status:undelivered", "access_key_id": access,
                  "signature_method": "HmacSHA256", "signature_version": "2",
                  "timestamp": time.strftime(TIMESTAMP_FORMAT, time.gmtime())}
        params["signature"] = sign(secret, "POST", "localhost", "/api/", params)
        started = time.perf_counter()
        answer = client.post("/api/", data=params)
        gateway.append(time.perf_counter() - started)
        assert answer.status_code == 200 and len(answer.get_json()) == rows, answer.data[:200]
        database.connect(reuse_if_open=True)
        assert Event.select().where(Event.account == account.id).count() == rows
        with database.atomic():
            reset.execute()
            forget.execute()
        now = utcnow()
        started = time.perf_counter()
        with database.atomic():
            mark = database.execute_sql("SELECT COALESCE(MAX(id), 0) FROM event").fetchone()[0]
            database.execute_sql(statements[0], (int(time.time()), "admin", streams,
                                                 account.id))
            database.execute_sql(statements[1], (now, now, account.id))
            for statement in statements[2:]:
                database.execute_sql(statement, (account.id, mark))
        raw.append(time.perf_counter() - started)
    with database.atomic():
        reset.execute()
        forget.execute()
    return {"rows": rows, "gateway_s": min(gateway), "raw_update_s": min(raw)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    init_database(args.database_url, pooled=False)
    upgrade_schema()
    database.connect(reuse_if_open=True)
    if Account.get_or_none(Account.name == BULK_ACCOUNT) is None:
        seed_undelivered(BULK_ACCOUNT, BULK_ACTIVITIES)
    database.close()
    figures = measure(args.database_url, args.rounds)
    print(f"CancelActivities of {figures['rows']} rows: {figures['gateway_s']:.2f} s; "
          f"raw UPDATE + event inserts: {figures['raw_update_s']:.2f} s; ratio "
          f"{figures['gateway_s'] / figures['raw_update_s']:.2f}")


if __name__ == "__main__":
    main()
