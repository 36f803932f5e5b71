"""Micro-benchmark of the query language: µs per parse and per parse + compile.

Run ``python bench/bench_query.py [N]``; a larger bench script imports :func:`measure`.
The target (QUERY issue) is parse + compile of a 10-term query in at most 50 µs.
"""
from __future__ import annotations

import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from query_language import ACTIVITY_VOCABULARY, compile_query, parse  # noqa: E402

#: ten terms of the activity vocabulary, with a nested computer query and a sub-select
QUERY = ('status:failed type:ChangePackagesRequest created-after:2011-01 '
         'created-before:2011-02-01T12:00Z NOT parent-id:3 "install nginx" '
         'computer:(tag:server OR hostname:web1) creator:jane@example.com upgrade')


def measure(n: int = 20_000, query: str = QUERY) -> dict[str, float]:
    """Best-of-five µs per call of ``parse(query)`` and of ``compile_query(query, ...)``."""
    def best(statement) -> float:
        return min(timeit.repeat(statement, number=n, repeat=5)) / n * 1e6

    return {
        "parse_us": best(lambda: parse(query)),
        "parse_compile_us": best(
            lambda: compile_query(query, ACTIVITY_VOCABULARY, account_id=1)),
    }


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    figures = measure(n)
    print(f"query: {QUERY}")
    print(f"parse:           {figures['parse_us']:7.1f} µs")
    print(f"parse + compile: {figures['parse_compile_us']:7.1f} µs")


if __name__ == "__main__":
    main()
