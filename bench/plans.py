"""PostgreSQL's plans for the page query: planning and execution, before and after the
plan choice of :mod:`app.store.plan_choice`.

    python -m bench.plans --database-url postgresql://… [--scale 1.0] [--rounds 200]

On the benchmark store of ``bench.seed`` (seeded when missing; one computer of ``b1m``
gets the tag ``rare-tag`` the first time), for the benchmark's limit-20 query on a common
tag, the same query on the rare tag and on a tag no computer has:

* before: the prepared statement run as the gateway ran it before the plan choice (plain
  ``EXECUTE``: PostgreSQL plans each call for its values);
* after: the statement and plan the gateway now chooses;
* the generic plan forced on every case, which the choice avoids for rare values.

Each figure is the median of ``--rounds`` interleaved ``EXPLAIN (ANALYZE)`` runs (planning
and execution as the server reports them) and of as many calls timed from the driver (the
round trip, fetching the rows).

``--against DIR`` also measures the limit-20 throughput ÷ hello-world of ``bench.run``,
paired: hello-world, this checkout's gateway and the one in ``DIR`` (another checkout, say
``git worktree add /tmp/before <commit>``) served side by side and loaded in turn, round
after round, so that each round's ratios see the same spell of a noisy host.
"""
from __future__ import annotations

import argparse
import contextlib
import statistics
import time
from pathlib import Path
from typing import Callable

from app.activity_json import page_query
from app.db import init_database, refresh_statistics
from app.models import Account, Computer, ComputerTag, database
from app.prepared import GENERIC_PLAN, _server_side

from .loadgen import run_load
from .run import LAPTOPS, _key, _target
from .seed import seed_all
from .servers import gunicorn

RARE = "rare-tag"
CASES = {"common tag": LAPTOPS, "rare tag": f"status:succeeded computer:tag:{RARE}",
         "absent tag": "status:undelivered computer:tag:absent"}
ACCOUNT = "b1m"


def _rare_tag() -> None:
    """Tag one computer of the 1M account (once)."""
    account = Account.get(Account.name == ACCOUNT)
    computer = (Computer.select().where(Computer.account == account)
                .order_by(Computer.id).first())
    if not ComputerTag.select().where(ComputerTag.name == RARE).exists():
        ComputerTag.create(computer=computer, name=RARE)
        refresh_statistics()


def _prepare(statement: tuple[str, str, str]) -> str:
    name, prepare, execute = statement
    if name not in database.connection().prepared:
        database.execute_sql(prepare)
        database.connection().prepared.add(name)
    return execute


def _explained(sql: str, params: list) -> tuple[float, float]:
    """(planning ms, execution ms) of an ``EXPLAIN (ANALYZE)`` of ``… EXECUTE …``."""
    (result,), = database.execute_sql(
        sql.replace("EXECUTE", "EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE", 1), params).fetchone()
    return result["Planning Time"], result["Execution Time"]


def _timed(sql: str, params: list) -> float:
    started = time.perf_counter()
    database.execute_sql(sql, params).fetchall()
    return 1000 * (time.perf_counter() - started)


def measure(rounds: int) -> dict[str, dict[str, dict[str, float]]]:
    """Per case, per way (before, after, generic): planning, execution and round trip ms."""
    account_id = Account.get(Account.name == ACCOUNT).id
    values = {"account": account_id, "limit": 20, "offset": 0}
    ways: dict[tuple[str, str], Callable[[], tuple[str, list]]] = {}
    for case, query in CASES.items():
        prepared = page_query(query, False)
        sql, params = prepared.sql(values)
        before = _prepare(_server_side(sql, params))
        statement, plan, after_params = prepared.statement(values)
        after = plan + _prepare(statement)
        for _ in range(10):  # PostgreSQL's own choice settles after five calls
            database.execute_sql(before, params).fetchall()
        ways[case, "before"] = lambda before=before, params=params: (before, params)
        ways[case, "after"] = lambda after=after, params=after_params: (after, params)
        generic, generic_params = prepared.generic_statement(values)
        ways[case, "generic"] = (lambda sql=GENERIC_PLAN + _prepare(generic),
                                 params=generic_params: (sql, params))
    samples: dict[tuple[str, str], list[tuple[float, float, float]]] = {key: [] for key in ways}
    for round_ in range(rounds):
        for key, way in ways.items():
            if key[1] == "generic" and key[0] != "common tag" and round_ >= 3:
                continue  # a whole account per call: three rounds tell enough
            sql, params = way()
            samples[key].append((*_explained(sql, params), _timed(sql, params)))
    figures: dict[str, dict[str, dict[str, float]]] = {case: {} for case in CASES}
    for (case, way), runs in samples.items():
        figures[case][way] = {name: statistics.median(run[index] for run in runs)
                              for index, name in enumerate(("planning_ms", "execution_ms",
                                                            "round_trip_ms"))}
    return figures


def report(figures: dict[str, dict[str, dict[str, float]]]) -> str:
    lines = [f"page query, limit 20, account {ACCOUNT} (medians, ms)",
             f"{'case':<12}{'way':<9}{'planning':>10}{'execution':>11}{'sum':>9}"
             f"{'round trip':>12}"]
    for case, ways in figures.items():
        for way, figure in ways.items():
            total = figure["planning_ms"] + figure["execution_ms"]
            lines.append(f"{case:<12}{way:<9}{figure['planning_ms']:10.3f}"
                         f"{figure['execution_ms']:11.3f}{total:9.3f}"
                         f"{figure['round_trip_ms']:12.3f}")
    for case, query in CASES.items():
        lines.append(f"  {case}: {query}")
    return "\n".join(lines)


def paired_throughput(url: str, against: Path, rounds: int, duration: float,
                      workers: int, processes: int) -> dict[str, list[float]]:
    """Per round, limit-20 req/s ÷ hello-world req/s of this checkout and of ``against``."""
    env = {"ACTIONGATE_DATABASE_URL": url, "ACTIONGATE_SECRET_KEY": "bench"}
    key = _key(ACCOUNT)
    with contextlib.ExitStack() as servers:
        ports = {"hello": servers.enter_context(gunicorn("bench.hello:app", workers=workers)),
                 "this": servers.enter_context(gunicorn("wsgi:app", workers=workers, env=env)),
                 "against": servers.enter_context(gunicorn("wsgi:app", workers=workers, env=env,
                                                           root=against))}
        ratios: dict[str, list[float]] = {"this": [], "against": []}
        for _ in range(rounds):
            rps = {name: run_load(_target(port, key, LAPTOPS, 20), duration=duration,
                                  processes=processes)["rps"] for name, port in ports.items()}
            for name in ratios:
                ratios[name].append(rps[name] / rps["hello"])
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="a postgresql:// URL")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--against", type=Path, help="another checkout to compare throughput")
    parser.add_argument("--throughput-rounds", type=int, default=7)
    parser.add_argument("--duration", type=float, default=4.0, help="seconds per load run")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--processes", type=int, default=4, help="load generator processes")
    args = parser.parse_args()
    seed_all(args.database_url, args.scale)
    init_database(args.database_url, pooled=False)
    database.connect()
    _rare_tag()
    print(report(measure(args.rounds)))
    if args.against is not None:
        ratios = paired_throughput(args.database_url, args.against, args.throughput_rounds,
                                   args.duration, args.workers, args.processes)
        print("\nlimit 20 req/s ÷ hello req/s, per round (median last)")
        for name, label in (("this", "this checkout"), ("against", str(args.against))):
            rounds = ", ".join(f"{ratio:.2f}" for ratio in ratios[name])
            print(f"  {label}: {rounds}; median {statistics.median(ratios[name]):.2f}")
        gains = [this / other for this, other in zip(ratios["this"], ratios["against"])]
        print(f"  this ÷ the other, per round: {', '.join(f'{gain:.2f}' for gain in gains)}; "
              f"median {statistics.median(gains):.2f}")
    database.close()


if __name__ == "__main__":
    main()
