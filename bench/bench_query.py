"""Micro-benchmark of the query language: µs per parse and per parse + compile.

Run ``python bench/bench_query.py [N]``; a larger bench script imports :func:`measure`.
The target (QUERY issue) is parse + compile of a 10-term query in at most 50 µs.
"""
from __future__ import annotations

import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.store.vocabularies import ACTIVITY_VOCABULARY  # noqa: E402
from query_language import compile_query, parse  # noqa: E402

#: activity queries by name: ten plain criteria; ten with a nested computer term and a
#: creator (three sub-selects); eleven with a parenthesised computer query (four sub-selects)
QUERIES = {
    "plain": ('status:failed type:ChangePackagesRequest created-after:2011-01 '
              'created-before:2011-02-01T12:00Z NOT parent-id:3 (id:42 OR id:43) nginx '
              '"install packages" upgrade'),
    "subselects": ('status:failed type:ChangePackagesRequest created-after:2011-01 '
                   'created-before:2011-02-01T12:00Z NOT parent-id:3 "install nginx" '
                   'computer:tag:server creator:jane@example.com upgrade nginx'),
    "heavy": ('status:failed type:ChangePackagesRequest created-after:2011-01 '
              'created-before:2011-02-01T12:00Z NOT parent-id:3 "install nginx" '
              'computer:(tag:server OR hostname:web1) creator:jane@example.com upgrade'),
}


def measure(n: int = 20_000, rounds: int = 20) -> dict[str, dict[str, float]]:
    """µs per call of ``parse`` and of ``compile_query``, per query name: the best of
    ``rounds`` interleaved rounds of ``n / rounds`` calls each, so that a busy spell of a
    shared host does not land on one figure only."""
    calls = {}
    for name, query in QUERIES.items():
        calls[name, "parse_us"] = lambda query=query: parse(query)
        calls[name, "parse_compile_us"] = lambda query=query: compile_query(
            query, ACTIVITY_VOCABULARY, account_id=1)
    number = max(1, n // rounds)
    best = dict.fromkeys(calls, float("inf"))
    for _ in range(rounds):
        for key, call in calls.items():
            best[key] = min(best[key], timeit.timeit(call, number=number) / number * 1e6)
    figures: dict[str, dict[str, float]] = {name: {} for name in QUERIES}
    for (name, figure), value in best.items():
        figures[name][figure] = value
    return figures


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    print(f"{'query':<12}{'parse':>10}{'parse+compile':>16}")
    for name, figures in measure(n).items():
        print(f"{name:<12}{figures['parse_us']:8.1f}µs{figures['parse_compile_us']:14.1f}µs")


if __name__ == "__main__":
    main()
