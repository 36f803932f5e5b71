"""Instructions per request, counted by callgrind: figures that compare across hosts and
commits (wall-clock ratios on a shared host swing by ±30 %; instruction counts do not).

    .venv/bin/python -m bench.instructions [--scale 0.02] [--requests 20]

Needs valgrind (``apt-get install valgrind``); without it the bench says so and exits 0.

Method. ``bench.seed`` seeds a store (``--scale`` of its accounts: 20,000 activities in
``b1m`` at 0.02) in ``bench/.data/instructions.db``, kept for later runs. Each case then
runs twice under ``valgrind --tool=callgrind``, in a driver process
(``python -m bench.instructions --driver CASE COUNT``) that builds the app, prepares one
WSGI environ, serves it ``WARMUP`` times (imports, caches and compiled statements settled)
and then ``COUNT`` more times by calling the WSGI application in-process (no sockets, no
client library), checking each answer is a 200. The runs serve ``N`` and ``2N`` requests;
the difference of their total instruction counts, divided by ``N``, is the cost of one
request with start-up, imports and warm-up subtracted exactly. ``PYTHONHASHSEED`` is
fixed so that both runs start the same way. The clock of the per-worker credential rows
(``app.store.credentials``) stands still in the driver: at native speed a hot caller's
rows are read once a second, one request in a thousand or more, but under valgrind one
request takes about that long.

Cases: hello-world (``bench/hello.py``), the benchmark's signed limit-20 ``GetActivities``
(``bench.run.LAPTOPS``), the same at limit 1000, an OR/NOT-heavy query
(``bench.run.OR_NOT_HEAVY``), the limit-20 request with a bearer token instead of a
signature, the signed limit-20 request served by a typical peer implementation
(``bench/peer.py``: Flask, Peewee model objects, marshmallow, ``jsonify``), and the first
GET list route of every REST dialect of ``app.dialects`` (its first page of 20).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlencode

from .servers import ROOT

DATA = ROOT / "bench" / ".data"
STORE = DATA / "instructions.db"
ACCOUNT = "b1m"
SECRET = "instructions-bench"
HOST = "localhost"
#: requests served before the counted ones (not counted: both runs serve them)
WARMUP = 5
#: case → (instructions per request at most, what the goal is)
TARGETS = {"signed limit 20": 2_200_000, "signed limit 1000": 70_000_000}
INSTALL_HINT = ("valgrind is not installed: install it (Debian/Ubuntu: "
                "`sudo apt-get install valgrind`) to count instructions; skipping.")


@dataclass(frozen=True)
class Case:
    """One request the bench counts: a name and how many requests N its runs serve."""

    name: str
    requests: int


def cases(requests: int) -> list[Case]:
    """Every case, in print order (limit 1000 serves fewer: it is 30× the cost)."""
    from app.dialects import dialects

    names = ["hello-world", "signed limit 20", "signed limit 1000", "signed OR/NOT-heavy",
             "bearer limit 20", "peer limit 20"]
    names += [f"{dialect.name} list" for dialect in dialects() if list_route(dialect)]
    return [Case(name, max(requests // 10, 2) if "1000" in name else requests)
            for name in names]


def list_route(dialect: Any) -> Any:
    """A dialect's first GET route with a query schema (its listing), or None."""
    return next((route for route in dialect.routes
                 if route.method == "GET" and route.query is not None), None)


# --- the driver: runs under valgrind -------------------------------------------------------


def _environ(method: str, path: str, query: list[tuple[str, str]] | None = None,
             body: bytes = b"", headers: dict[str, str] | None = None) -> dict[str, Any]:
    from werkzeug.test import EnvironBuilder

    content_type = "application/x-www-form-urlencoded" if body else None
    builder = EnvironBuilder(path=path, method=method, query_string=urlencode(query or []),
                             data=body, headers=headers or {}, content_type=content_type,
                             base_url=f"http://{HOST}/")
    try:
        return builder.get_environ()
    finally:
        builder.close()


def _signed(keys: dict[str, str], query: str, limit: int) -> dict[str, Any]:
    from app.auth import TIMESTAMP_FORMAT, sign

    params = [("action", "GetActivities"), ("version", "2011-08-01"), ("query", query),
              ("limit", str(limit)), ("access_key_id", keys["access_key"]),
              ("signature_method", "HmacSHA256"), ("signature_version", "2"),
              ("timestamp", time.strftime(TIMESTAMP_FORMAT, time.gmtime()))]
    params.append(("signature", sign(keys["secret_key"], "POST", HOST, "/api/", params)))
    return _environ("POST", "/api/", body=urlencode(params).encode())


def _token(email: str) -> str:
    from app.auth import issue_token
    from app.models import Person

    return issue_token(SECRET, Person.get(Person.email_key == email), 60)[0]


def _request(case: str) -> tuple[Callable, dict[str, Any]]:
    """The WSGI application and the environ of ``case``."""
    if case == "hello-world":
        from .hello import app as hello

        return hello.wsgi_app, _environ("GET", "/api/")
    from app import create_app
    from app.demo import demo_keys
    from app.dialects import dialects
    from app.models import database

    from .run import LAPTOPS, OR_NOT_HEAVY

    if case == "peer limit 20":
        from .peer import create_peer_app

        peer = create_peer_app(f"sqlite:///{STORE}")
        with database.connection_context():
            keys = demo_keys(f"admin@{ACCOUNT}.example")
        assert keys is not None, f"account {ACCOUNT} is not seeded"
        return peer.wsgi_app, _signed(keys, LAPTOPS, 20)
    app = create_app({"DATABASE_URL": f"sqlite:///{STORE}", "SECRET_KEY": SECRET})
    with database.connection_context():
        keys = demo_keys(f"admin@{ACCOUNT}.example")
        assert keys is not None, f"account {ACCOUNT} is not seeded"
        token = _token(keys["email"])
    bearer = {"Authorization": f"Bearer {token}"}
    if case == "signed limit 20":
        return app.wsgi_app, _signed(keys, LAPTOPS, 20)
    if case == "signed limit 1000":
        return app.wsgi_app, _signed(keys, LAPTOPS, 1000)
    if case == "signed OR/NOT-heavy":
        return app.wsgi_app, _signed(keys, OR_NOT_HEAVY, 20)
    if case == "bearer limit 20":
        return app.wsgi_app, _environ("GET", "/api/", [
            ("action", "GetActivities"), ("version", "2011-08-01"), ("query", LAPTOPS),
            ("limit", "20")], headers=bearer)
    for dialect in dialects():
        route = list_route(dialect)
        if route is not None and case == f"{dialect.name} list":
            declared = route.query().fields
            # the benchmark's query is an activity query: other listings get only the limit
            given = (("query", LAPTOPS), ("limit", "20")) if route.action == "GetActivities" \
                else (("limit", "20"),)
            query = [(name, value) for name, value in given if name in declared]
            return app.wsgi_app, _environ("GET", dialect.base_path + route.path, query,
                                          headers=bearer)
    raise SystemExit(f"unknown case {case!r}")


def drive(case: str, count: int) -> None:
    """Serve ``case``'s request ``WARMUP + count`` times, in-process."""
    application, environ = _request(case)
    body = environ["wsgi.input"].read()
    # A hot caller's credential rows are read again once a second (once in a thousand
    # requests or more at native speed); under valgrind a request takes about as long as
    # that second, so the rows' clock is held still: every counted request is a hot one.
    from app.store import credentials

    still = credentials.monotonic()
    credentials.monotonic = lambda: still  # type: ignore[assignment]
    statuses: list[str] = []

    def start_response(status: str, headers: Any, exc_info: Any = None) -> None:
        statuses.append(status)

    for _ in range(WARMUP + count):
        served = dict(environ, **{"wsgi.input": BytesIO(body)})
        answer = application(served, start_response)
        payload = b"".join(answer)
        if hasattr(answer, "close"):
            answer.close()
        if not statuses[-1].startswith("200"):
            raise SystemExit(f"{case}: {statuses[-1]} {payload[:300]!r}")


# --- the runner ----------------------------------------------------------------------------


def instructions(case: str, count: int) -> int:
    """Total instructions of a driver process serving ``count`` requests of ``case``."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        env = dict(os.environ, PYTHONHASHSEED="0", PYTHONPATH=str(ROOT))
        run = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
             sys.executable, "-m", "bench.instructions", "--driver", case, str(count)],
            cwd=ROOT, env=env, capture_output=True, text=True)
        if run.returncode != 0:
            raise SystemExit(f"{case} failed under valgrind:\n{run.stdout}{run.stderr[-3000:]}")
        for line in out.read_text().splitlines():
            if line.startswith("summary:"):
                return int(line.split()[1])
    raise SystemExit(f"{case}: no summary in the callgrind output")


def per_request(case: Case) -> float:
    """Instructions of one request: (2N requests − N requests) ÷ N."""
    return (instructions(case.name, 2 * case.requests)
            - instructions(case.name, case.requests)) / case.requests


def seed_store(scale: float) -> None:
    from .seed import seed_all

    DATA.mkdir(parents=True, exist_ok=True)
    for name, seconds in seed_all(f"sqlite:///{STORE}", scale).items():
        print(f"seeded {name} in {seconds:.1f} s", flush=True)


def report(figures: dict[str, float]) -> list[str]:
    """One line per case: instructions per request, × hello-world, its target if any."""
    hello = figures["hello-world"]
    lines = [f"{'request':<24}{'instructions':>14}{'x hello':>9}   target"]
    for name, value in figures.items():
        target = TARGETS.get(name)
        goal = "" if target is None else (
            f"<= {target / 1000:,.0f}k   {'met' if value <= target else 'MISSED'}")
        lines.append(f"{name:<24}{value / 1000:>13,.0f}k{value / hello:>9.1f}   {goal}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=0.02,
                        help="of bench.seed's accounts (0.02: 20,000 activities)")
    parser.add_argument("--requests", type=int, default=20,
                        help="N of the N vs 2N runs (a tenth of it at limit 1000)")
    parser.add_argument("--case", action="append", metavar="NAME",
                        help="count only this case (repeatable; hello-world is always counted)")
    parser.add_argument("--driver", nargs=2, metavar=("CASE", "COUNT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.driver:
        drive(args.driver[0], int(args.driver[1]))
        return 0
    if shutil.which("valgrind") is None:
        print(INSTALL_HINT)
        return 0
    seed_store(args.scale)
    figures = {}
    chosen = cases(args.requests)
    if args.case:
        chosen = [case for case in chosen if case.name in {"hello-world", *args.case}]
    for case in chosen:
        figures[case.name] = per_request(case)
        print(f"  {case.name}: {figures[case.name] / 1000:,.0f}k instructions per request",
              flush=True)
    print(f"actiongate instructions per request (callgrind, in-process, SQLite, "
          f"{ACCOUNT} at scale {args.scale}), {time.strftime('%Y-%m-%d')}")
    print("\n".join(report(figures)))
    print(json.dumps({name: round(value) for name, value in figures.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
