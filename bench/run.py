"""The benchmark: the gateway against its own physical limits, in one run.

    python -m bench.run [--database-url URL] [--scale 1.0] [--duration 10] [--workers 4]

1. the framework ceiling: a minimal Flask app under gunicorn with the same worker settings;
2. actiongate under gunicorn: signed ``GetActivities`` requests/s and p50/p99 latency, and
   the same limit-20 load on a typical peer implementation (``bench/peer.py``);
3. the store ceiling: the same SQL run directly with the database driver, plus JSON encoding;
4. parse+compile of a 10-term query, ``CancelActivities`` of 100,000 undelivered activities
   against the same change in raw SQL (the UPDATE and the event inserts,
   ``bench.bulk_cancel``), limit-20 latency at 10k, 100k and 1M rows,
   Acronis keyset page 5,000 against page 1 (``bench.keyset``), and a Swarm activity
   page deep in 1M events against the first (``bench.events``);
5. one table of absolute figures and ratios (gateway / ceiling), also written as JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from datetime import date
from pathlib import Path

from app import create_app
from app.activity_json import page_query
from app.demo import demo_keys
from app.models import Account, Computer, database

from . import bench_query, bulk_cancel, events, keyset
from .loadgen import Target, run_load
from .seed import DEFAULT_URL, seed_all
from .servers import gunicorn

LAPTOPS = "status:succeeded computer:tag:laptop"
OR_NOT_HEAVY = ("(status:failed OR status:canceled OR status:undelivered) "
                "NOT computer:tag:server NOT type:RestartRequest OR NOT creator:admin@b1m.example")
#: alternating rounds of the hello-world and the limit-20 load (odd: the median is a round)
ROUNDS = 5
#: the limit-20 ÷ hello-world median ratio to reach (issue 17: on SQLite)
LIMIT20_RATIO_GOAL = 0.55
RESULTS = Path(__file__).resolve().parent / "results.json"


def _key(account: str) -> tuple[str, str]:
    keys = demo_keys(f"admin@{account}.example")
    assert keys is not None, f"account {account} is not seeded"
    return keys["access_key"], keys["secret_key"]


def _target(port: int, key: tuple[str, str], query: str, limit: int) -> Target:
    return Target("127.0.0.1", port, "GetActivities",
                  (("query", query), ("limit", str(limit))), key)


def _one_computer(account: str) -> str:
    """A query for one computer's activities, by hostname (pages that must not scan)."""
    hostname = (Computer.select(Computer.hostname).join(Account)
                .where(Account.name == account).order_by(Computer.id).scalar())
    return f"computer:hostname:{hostname}"


def _direct_sql_ms(account: str, query: str, limit: int, repeat: int = 30) -> float:
    """Median ms to run the gateway's SQL with the driver and JSON-encode the rows."""
    account_id = Account.get(Account.name == account).id
    sql, params = page_query(query, False).sql(
        {"account": account_id, "limit": limit, "offset": 0})
    cursor = database.connection().cursor()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        cursor.execute(sql, params)
        json.dumps(cursor.fetchall(), default=str)
        timings.append(time.perf_counter() - started)
    return 1000 * statistics.median(timings)


def measure(url: str, duration: float, workers: int, processes: int) -> dict:
    """Run every measurement; returns the figures as one JSON-ready dict."""
    env = {"ACTIONGATE_DATABASE_URL": url, "ACTIONGATE_SECRET_KEY": "bench"}
    database.connect(reuse_if_open=True)
    keys = {name: _key(name) for name in ("b10k", "b100k", "b1m")}
    figures: dict = {}
    with gunicorn("bench.hello:app", workers=workers) as hello_port, \
            gunicorn("wsgi:app", workers=workers, env=env) as port:
        # The two throughputs of the first target are measured in alternating rounds, a
        # hello round then a gateway round, and the target is the median of the rounds'
        # ratios: the host's speed drifts by a factor of two from minute to minute, and a
        # ratio of two loads a few seconds apart sees the same spell (the best of each side
        # would pair different ones). The rows shown are those of the median round.
        rounds = []
        for _ in range(ROUNDS):
            pair = [run_load(_target(port_of, keys["b1m"], LAPTOPS, 20),
                             duration=duration * 2 / ROUNDS, processes=processes)
                    for port_of in (hello_port, port)]
            rounds.append((pair[1]["rps"] / pair[0]["rps"], pair))
        rounds.sort(key=lambda item: item[0])
        figures["limit20_ratio_rounds"] = [round(ratio, 3) for ratio, _ in rounds]
        figures["limit20_ratio"], (figures["hello"], figures["limit20"]) = rounds[ROUNDS // 2]
        for name, query, limit in (("limit1000", LAPTOPS, 1000), ("or_not", OR_NOT_HEAVY, 20)):
            figures[name] = run_load(_target(port, keys["b1m"], query, limit),
                                     duration=duration, processes=processes)
        figures["limit1000_single"] = run_load(_target(port, keys["b1m"], LAPTOPS, 1000),
                                               duration=duration, processes=1)
        for name in ("b10k", "b100k", "b1m"):
            figures[f"limit20_single_{name}"] = run_load(
                _target(port, keys[name], LAPTOPS, 20), duration=duration / 2, processes=1)
        figures["one_computer_single_b1m"] = run_load(
            _target(port, keys["b1m"], _one_computer("b1m"), 20), duration=duration / 2,
            processes=1)
    with gunicorn("bench.peer:app", workers=workers, env=env) as peer_port:
        figures["peer_limit20"] = run_load(_target(peer_port, keys["b1m"], LAPTOPS, 20),
                                           duration=duration, processes=processes)
    figures["direct_sql_limit1000_ms"] = _direct_sql_ms("b1m", LAPTOPS, 1000)
    figures["direct_sql_limit20_ms"] = _direct_sql_ms("b1m", LAPTOPS, 20)
    figures["query_language"] = bench_query.measure(20_000)
    figures["bulk_cancel"] = bulk_cancel.measure(url)
    figures["keyset"] = keyset.measure(url)
    figures["events"] = events.measure(url)
    return figures


def ratios(figures: dict) -> list[tuple[str, float, float, str]]:
    """(name, value, target, comparison) for each target of the performance issue."""
    return [
        ("GetActivities limit 20 req/s ÷ hello req/s (median)",
         figures["limit20_ratio"], LIMIT20_RATIO_GOAL, ">="),
        ("GetActivities limit 1000 p50 ÷ direct SQL+JSON",
         figures["limit1000_single"]["p50_ms"] / figures["direct_sql_limit1000_ms"], 2.5, "<="),
        ("limit 20 p50 at 1M ÷ at 10k",
         figures["limit20_single_b1m"]["p50_ms"] / figures["limit20_single_b10k"]["p50_ms"],
         1.5, "<="),
        ("parse+compile 10 terms (µs)",
         figures["query_language"]["subselects"]["parse_compile_us"], 50, "<="),
        ("CancelActivities 100k ÷ raw SQL (with events)",
         figures["bulk_cancel"]["gateway_s"] / figures["bulk_cancel"]["raw_update_s"], 2.0, "<="),
        ("Acronis page 5,000 ÷ page 1 (limit 20, 1M)", figures["keyset"]["ratio"], 1.5, "<="),
        ("Swarm activity deep page ÷ first (max 100, 1M)", figures["events"]["all_ratio"],
         1.5, "<="),
    ]


def report(figures: dict, url: str) -> str:
    """The table of absolute figures and ratios."""
    lines = [f"actiongate benchmark {date.today()} on {platform.node()} "
             f"({os.cpu_count()} CPUs, {platform.python_implementation()} "
             f"{platform.python_version()}), store {url.split(':')[0]}", ""]
    lines.append(f"{'load (signed requests)':<38}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
    for name, label in (("hello", "hello-world Flask (ceiling)"),
                        ("limit20", "GetActivities limit 20"),
                        ("limit1000", "GetActivities limit 1000"),
                        ("or_not", "GetActivities OR/NOT-heavy, limit 20"),
                        ("limit1000_single", "limit 1000, one client"),
                        ("limit20_single_b10k", "limit 20, one client, 10k rows"),
                        ("limit20_single_b100k", "limit 20, one client, 100k rows"),
                        ("limit20_single_b1m", "limit 20, one client, 1M rows"),
                        ("one_computer_single_b1m", "one computer by hostname, 1M rows"),
                        ("peer_limit20", "typical peer (bench/peer.py), limit 20")):
        row = figures[name]
        lines.append(f"{label:<38}{row['rps']:9.0f}{row['p50_ms']:9.2f}{row['p99_ms']:9.2f}")
    bulk = figures["bulk_cancel"]
    lines += ["",
              f"direct SQL + JSON, limit 1000: {figures['direct_sql_limit1000_ms']:.2f} ms; "
              f"limit 20: {figures['direct_sql_limit20_ms']:.2f} ms",
              f"CancelActivities of {bulk['rows']} rows: {bulk['gateway_s']:.2f} s; "
              f"raw UPDATE + event inserts: {bulk['raw_update_s']:.2f} s",
              "parse+compile (µs): " + ", ".join(
                  f"{name} {q['parse_compile_us']:.1f}"
                  for name, q in figures["query_language"].items()),
              f"Acronis /activities limit 20, 1M rows (in-process): page 1 "
              f"{figures['keyset']['page1_ms']:.2f} ms, page 5,000 "
              f"{figures['keyset']['page5000_ms']:.2f} ms",
              f"Swarm /activity max 100, 1M events (in-process): first page "
              f"{figures['events']['all_first_ms']:.2f} ms, after the 500,000th "
              f"{figures['events']['all_deep_ms']:.2f} ms; stream "
              f"{figures['events']['stream_first_ms']:.2f} / "
              f"{figures['events']['stream_deep_ms']:.2f} ms",
              "limit 20 ÷ hello, per round (the target takes the median): " + ", ".join(
                  f"{ratio:.2f}" for ratio in figures["limit20_ratio_rounds"]),
              "", f"{'target':<48}{'value':>8}  {'goal':>8}"]
    for name, value, goal, op in ratios(figures):
        met = value >= goal if op == ">=" else value <= goal
        lines.append(f"{name:<48}{value:8.2f}  {op} {goal:<5} {'met' if met else 'MISSED'}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--scale", type=float, default=1.0,
                        help="fraction of the 10k/100k/1M sizes to seed (for a quick run)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per load run")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2)
    parser.add_argument("--processes", type=int, default=4, help="load generator processes")
    args = parser.parse_args()
    for name, seconds in seed_all(args.database_url, args.scale).items():
        print(f"seeded {name} in {seconds:.1f} s")
    create_app({"DATABASE_URL": args.database_url, "SECRET_KEY": "bench"})
    figures = measure(args.database_url, args.duration, args.workers, args.processes)
    figures["ratios"] = {name: value for name, value, _, _ in ratios(figures)}
    text = report(figures, args.database_url)
    print(text)
    RESULTS.write_text(json.dumps({"report": text.splitlines(), **figures}, indent=1))


if __name__ == "__main__":
    main()
