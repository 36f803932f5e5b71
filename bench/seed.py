"""Seed the benchmark store: accounts of 10k, 100k and 1M activities, and a bulk account.

``python -m bench.seed [--database-url URL] [--scale 1.0]`` (the URL defaults to
``sqlite:///bench/.data/bench.db``). Seeding is skipped for accounts that already exist.
"""
from __future__ import annotations

import argparse
import time
from datetime import timedelta

from app.bulkload import insert_tuples
from app.db import finish_bulk_load, init_database, upgrade_schema, vacuum_after_bulk_load
from app.demo import seed
from app.models import Account, Activity, database, utcnow

DEFAULT_URL = "sqlite:///bench/.data/bench.db"
#: account name → (activities, computers) at scale 1.0
SIZES = {"b10k": (10_000, 1_000), "b100k": (100_000, 10_000), "b1m": (1_000_000, 10_000)}
BULK_ACCOUNT, BULK_ACTIVITIES = "bulk", 100_000


def seed_bulk(count: int) -> None:
    """An account with ``count`` standalone undelivered activities (the bulk-cancel case)."""
    seed(BULK_ACCOUNT, computers=10, activities=0)
    account = Account.get(Account.name == BULK_ACCOUNT)
    now = utcnow()
    fields = (Activity.account, Activity.type, Activity.summary, Activity.activity_status,
              Activity.creation_time, Activity.modification_time, Activity.changes,
              Activity.package_ids)
    rows = ((account.id, "RestartRequest", "Restart computer", "undelivered",
             now - timedelta(seconds=i), now, "[]", "[]") for i in range(count))
    with database.atomic():
        insert_tuples(fields, rows)
        finish_bulk_load()
    vacuum_after_bulk_load()


def seed_all(url: str, scale: float = 1.0) -> dict[str, float]:
    """Seed whatever is missing; returns seconds per seeded account."""
    init_database(url, pooled=False)
    upgrade_schema()
    timings = {}
    database.connect(reuse_if_open=True)
    for name, (activities, computers) in SIZES.items():
        if Account.get_or_none(Account.name == name) is None:
            started = time.perf_counter()
            seed(name, computers=max(10, int(computers * scale)),
                 activities=int(activities * scale), creators=100, progress=True)
            timings[name] = time.perf_counter() - started
    if Account.get_or_none(Account.name == BULK_ACCOUNT) is None:
        started = time.perf_counter()
        seed_bulk(int(BULK_ACTIVITIES * scale))
        timings[BULK_ACCOUNT] = time.perf_counter() - started
    database.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    for name, seconds in seed_all(args.database_url, args.scale).items():
        print(f"seeded {name} in {seconds:.1f} s")


if __name__ == "__main__":
    main()
