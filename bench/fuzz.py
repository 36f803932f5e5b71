"""Fuzz a live gateway: the generator of ``tests/fuzzing.py`` for 100,000 requests or more.

    .venv/bin/python -m bench.fuzz [--requests 100000] [--database-url URL] [--seed 1]

Seeds a fresh store with ``actiongate seed-demo``, serves it with gunicorn as ``tests/e2e``
does (2 workers × 4 threads), sends signed requests of every declared route from several
client processes over keep-alive connections, and prints the counts: by status, 5xx,
non-JSON answers, 4xx without the route's error envelope, the slowest requests. Exits 1
when any answer has a problem. Figures go to the README (Reliability); tests never time.
"""
from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import secrets
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

from .servers import ROOT, gunicorn

DATA = ROOT / "bench" / ".data"
#: how many problem answers are printed in full
SHOWN_PROBLEMS = 10
SLOWEST = 5


def prepare_store(url: str | None, secret: str, computers: int, activities: int) -> str:
    """A fresh store with the demo account; its URL."""
    if url is None:
        DATA.mkdir(parents=True, exist_ok=True)
        path = DATA / "fuzz.db"
        for stale in DATA.glob("fuzz.db*"):
            stale.unlink()
        url = f"sqlite:///{path}"
    env = dict(os.environ, ACTIONGATE_DATABASE_URL=url, ACTIONGATE_SECRET_KEY=secret,
               PYTHONPATH=str(ROOT))
    command = [str(Path(sys.executable).parent / "actiongate")]
    if not url.startswith("sqlite"):
        subprocess.run([sys.executable, "-c", _DROP_TABLES], env=env, cwd=ROOT, check=True)
    subprocess.run([*command, "init-db"], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([*command, "seed-demo", "--computers", str(computers), "--activities",
                    str(activities)], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return url


_DROP_TABLES = """
from app import create_app
from app.models import ALL_MODELS, database
create_app()
database.drop_tables(ALL_MODELS, safe=True, cascade=True)
"""


def load_credentials(url: str, secret: str, host: str):
    """Keys and tokens of every role of the demo account (see ``fuzzing.credentials_for``)."""
    from app import create_app
    from app.models import Account, database
    from tests import fuzzing

    create_app({"DATABASE_URL": url, "SECRET_KEY": secret})
    with database.connection_context():
        return fuzzing.credentials_for(Account.get(Account.name == "demo"), secret, host)


def client(job: tuple[int, int, int, object]) -> dict:
    """One client process: ``count`` requests drawn from ``seed``; its tallies."""
    from tests import fuzzing

    port, seed, count, credentials = job
    chooser = fuzzing.RandomChooser(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    statuses: Counter = Counter()
    kinds: Counter = Counter()
    shown: list[str] = []
    slowest: list[tuple[float, str]] = []
    reconnects = 0
    for _ in range(count):
        request = fuzzing.draw_request(chooser, credentials)
        started = time.perf_counter()
        for attempt in (1, 2):
            try:
                connection.request(request.method, request.target, body=request.body or None,
                                   headers=request.all_headers())
                answer = connection.getresponse()
                body = answer.read()
                break
            except (http.client.HTTPException, OSError):
                connection.close()
                reconnects += 1
                if attempt == 2:
                    raise
        elapsed = time.perf_counter() - started
        if answer.getheader("Connection", "").lower() == "close":
            connection.close()
        statuses[answer.status] += 1
        found = fuzzing.problems(request, answer.status, answer.getheader("Content-Type"), body)
        for problem in found:
            kinds["5xx" if problem.isdigit() else problem] += 1
        if found and len(shown) < SHOWN_PROBLEMS:
            shown.append(f"{found} {request.method} {request.target[:300]} "
                         f"{request.body[:300]!r} -> {answer.status} {body[:300]!r}")
        slowest = sorted([*slowest, (elapsed, f"{request.label[:40]} {request.method} "
                                              f"{answer.status}")], reverse=True)[:SLOWEST]
    connection.close()
    return {"statuses": statuses, "kinds": kinds, "shown": shown, "slowest": slowest,
            "reconnects": reconnects}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--database-url", default=None,
                        help="default: a fresh SQLite file in bench/.data (PostgreSQL: its "
                             "tables are dropped first)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clients", type=int, default=4, help="client processes")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (4 threads)")
    parser.add_argument("--computers", type=int, default=50)
    parser.add_argument("--activities", type=int, default=2000)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    secret = secrets.token_urlsafe(32)
    url = prepare_store(args.database_url, secret, args.computers, args.activities)
    env = {"ACTIONGATE_DATABASE_URL": url, "ACTIONGATE_SECRET_KEY": secret,
           "ACTIONGATE_INSTANCE_PATH": str(DATA / "fuzz-instance")}
    with gunicorn("wsgi:app", workers=args.workers, threads=4, env=env,
                  ready_path="/healthz") as port:
        credentials = load_credentials(url, secret, f"127.0.0.1:{port}")
        share, extra = divmod(args.requests, args.clients)
        jobs = [(port, args.seed * 1000 + index, share + (index < extra), credentials)
                for index in range(args.clients)]
        started = time.monotonic()
        with multiprocessing.Pool(args.clients) as pool:
            results = pool.map(client, jobs)
        elapsed = time.monotonic() - started
    report(args, url, results, elapsed)
    return 1 if any(result["kinds"] for result in results) else 0


def report(args: argparse.Namespace, url: str, results: list[dict], elapsed: float) -> None:
    statuses: Counter = sum((r["statuses"] for r in results), Counter())
    kinds: Counter = sum((r["kinds"] for r in results), Counter())
    total = sum(statuses.values())
    slowest = sorted((s for r in results for s in r["slowest"]), reverse=True)[:SLOWEST]
    store = url.split(":", 1)[0]
    print(f"actiongate fuzz {date.today()}, store {store}, seed {args.seed}, "
          f"{args.clients} clients, gunicorn {args.workers} workers x 4 threads")
    print(f"  requests {total} in {elapsed:.0f} s ({total / elapsed:.0f} req/s), "
          f"reconnects {sum(r['reconnects'] for r in results)}")
    print("  by status: " + ", ".join(f"{status} {count}"
                                      for status, count in sorted(statuses.items())))
    print(f"  5xx {kinds['5xx']}, non-JSON {kinds['non-JSON']}, "
          f"4xx without envelope {kinds['no error envelope']}, other "
          f"{sum(kinds.values()) - kinds['5xx'] - kinds['non-JSON'] - kinds['no error envelope']}")
    print("  slowest: " + "; ".join(f"{seconds * 1000:.0f} ms {label}"
                                    for seconds, label in slowest))
    for line in (line for r in results for line in r["shown"]):
        print("  problem: " + line)
    print(json.dumps({"total": total, "statuses": statuses, "problems": kinds}, default=dict))


if __name__ == "__main__":
    sys.exit(main())
