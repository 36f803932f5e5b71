"""Seed the benchmark store: accounts of 10k, 100k and 1M activities, and a bulk account.

``python -m bench.seed [--database-url URL] [--scale 1.0]`` (the URL defaults to
``sqlite:///bench/.data/bench.db``). Seeding is skipped for accounts that already exist.
"""
from __future__ import annotations

import argparse
import time

from app.db import init_database, upgrade_schema
from app.demo import seed, seed_undelivered
from app.models import Account, database

DEFAULT_URL = "sqlite:///bench/.data/bench.db"
#: account name → (activities, computers) at scale 1.0
SIZES = {"b10k": (10_000, 1_000), "b100k": (100_000, 10_000), "b1m": (1_000_000, 10_000)}
BULK_ACCOUNT, BULK_ACTIVITIES = "bulk", 100_000


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
        seed_undelivered(BULK_ACCOUNT, int(BULK_ACTIVITIES * scale))
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
