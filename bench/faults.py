"""Fault injection against a live gunicorn: kill -9 of the worker in the middle of a bulk
cancel, and the counts that prove it all or nothing.

``python -m bench.faults [--database-url URL] [--activities 1000000] [--rounds 5]`` runs the
long version (``tests/e2e/test_faults_e2e.py`` runs a bounded one with the same code) and
prints one line per round. ``python -m bench.faults seed URL COUNT`` seeds a store with
``COUNT`` undelivered activities and prints the admin's keys as JSON (the tests seed in a
child process, so that their own store binding stays as it is).
"""
from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import unquote, urlencode, urlparse

import psycopg2

from app.auth import TIMESTAMP_FORMAT, sign
from app.cli import GUNICORN_CONFIG

from .servers import free_port, stop

ROOT = Path(__file__).resolve().parents[1]
ACCOUNT = "bulk"


def seed_store(url: str, count: int) -> dict[str, str]:
    """Create the schema and an account of ``count`` undelivered activities (in a child
    process); returns the account admin's keys."""
    done = subprocess.run([sys.executable, "-m", "bench.faults", "seed", url, str(count)],
                          cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def _seed_main(url: str, count: int) -> None:
    from app.db import init_database, upgrade_schema
    from app.demo import seed_undelivered
    from app.models import database

    init_database(url, pooled=False)
    upgrade_schema()
    keys = seed_undelivered(ACCOUNT, count)
    database.close()
    print(json.dumps(keys))


@dataclass
class Server:
    """A gunicorn master serving the gateway."""

    process: subprocess.Popen
    port: int
    log: Path

    def workers(self) -> list[int]:
        """The worker processes' ids."""
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return [int(child) for child in children]

    def wait_for_workers(self, count: int = 1) -> list[int]:
        """The worker ids once ``count`` workers run and answer (after a restart too)."""
        while True:
            workers = self.workers()
            if len(workers) >= count and self.get("/healthz")[0] in (200, 503):
                return workers
            time.sleep(0.05)

    def get(self, path: str) -> tuple[int, dict[str, str], Any]:
        """``GET path``: status, headers and the decoded JSON body."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}",
                                        timeout=60) as answer:
                return answer.status, dict(answer.headers), json.loads(answer.read())
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), json.loads(error.read())

    def call(self, keys: dict[str, str], action: str,
             **arguments: str) -> tuple[int, dict[str, str], Any]:
        """A signed POST of ``action``: status, headers and the decoded JSON body."""
        host = f"127.0.0.1:{self.port}"
        params = {**arguments, "action": action, "version": "2011-08-01",
                  "access_key_id": keys["access_key"], "signature_method": "HmacSHA256",
                  "signature_version": "2",
                  "timestamp": time.strftime(TIMESTAMP_FORMAT, time.gmtime())}
        params["signature"] = sign(keys["secret_key"], "POST", host, "/api/", params)
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        try:
            connection.request("POST", "/api/", urlencode(params), {
                "Content-Type": "application/x-www-form-urlencoded"})
            answer = connection.getresponse()
            return answer.status, dict(answer.headers), json.loads(answer.read())
        finally:
            connection.close()


@contextlib.contextmanager
def serve(url: str, *, workers: int = 1, env: dict[str, str] | None = None) -> Iterator[Server]:
    """gunicorn with the shipped config on the store at ``url``, until the block ends."""
    port = free_port()
    instance = Path(tempfile.mkdtemp(prefix="actiongate-faults-"))
    environment = dict(os.environ, PYTHONPATH=str(ROOT), ACTIONGATE_DATABASE_URL=url,
                       ACTIONGATE_INSTANCE_PATH=str(instance),
                       ACTIONGATE_SECRET_KEY="faults", **(env or {}))
    log = instance / "gunicorn.log"
    with open(log, "w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONFIG), "--bind",
             f"127.0.0.1:{port}", "--workers", str(workers), "--graceful-timeout", "2",
             "wsgi:app"], cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT)
    server = Server(process, port, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                server.get("/healthz")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start:\n" + log.read_text()) from None
                time.sleep(0.05)
        yield server
    finally:
        stop(process)


def sqlite_path(url: str) -> str:
    return unquote(urlparse(url).path[1:])


def connect_directly(url: str):  # type: ignore[no-untyped-def]
    """A DB-API connection to the store, outside the gateway (autocommit)."""
    if url.startswith("sqlite"):
        return sqlite3.connect(sqlite_path(url), isolation_level=None, timeout=60)
    connection = psycopg2.connect(url)
    connection.autocommit = True
    return connection


def writer_active(url: str) -> bool:
    """Whether a write transaction is open in the store (SQLite: its write lock is held;
    PostgreSQL: a session of the database has written rows not yet committed)."""
    connection = connect_directly(url)
    try:
        if url.startswith("sqlite"):
            connection.execute("PRAGMA busy_timeout = 0")
            try:
                connection.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:
                return True
            connection.execute("ROLLBACK")
            return False
        cursor = connection.cursor()
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                       "current_database() AND backend_xid IS NOT NULL")
        return cursor.fetchone()[0] > 0
    finally:
        connection.close()


def status_counts(url: str) -> dict[str, int]:
    """Activities per status in the store."""
    connection = connect_directly(url)
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT activity_status, count(*) FROM activity GROUP BY 1")
        return dict(cursor.fetchall())
    finally:
        connection.close()


def reset_to_undelivered(url: str) -> None:
    connection = connect_directly(url)
    try:
        connection.cursor().execute("UPDATE activity SET activity_status = 'undelivered', "
                                    "completion_time = NULL")
    finally:
        connection.close()


@dataclass
class KillOutcome:
    """What a kill -9 in the middle of a bulk cancel left."""

    answered: bool  # whether the client got an answer before the worker died
    counts: dict[str, int]  # activities per status afterwards


def kill_mid_cancel(server: Server, url: str, keys: dict[str, str]) -> KillOutcome:
    """Send ``CancelActivities status:undelivered``, kill -9 the worker as soon as the
    cancel's transaction is open, wait until the store has no writer left, count."""
    worker, = server.wait_for_workers()
    answers: list[Any] = []

    def cancel() -> None:
        try:
            answers.append(server.call(keys, "CancelActivities", query="status:undelivered"))
        except (OSError, http.client.HTTPException) as error:
            answers.append(error)

    thread = threading.Thread(target=cancel)
    thread.start()
    while thread.is_alive() and not writer_active(url):
        pass
    os.kill(worker, signal.SIGKILL)
    thread.join()
    # On PostgreSQL the orphaned session ends its statement, then finds its client gone.
    while writer_active(url):
        time.sleep(0.05)
    answered = not isinstance(answers[0], BaseException)
    return KillOutcome(answered, status_counts(url))


def main() -> None:
    if sys.argv[1:2] == ["seed"]:
        _seed_main(sys.argv[2], int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=None,
                        help="a scratch store (default: a new SQLite file); it is reseeded")
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    url = args.database_url or "sqlite:///" + tempfile.mkdtemp() + "/faults.db"
    started = time.perf_counter()
    keys = seed_store(url, args.activities)
    print(f"seeded {args.activities} activities in {time.perf_counter() - started:.1f} s")
    failures = 0
    with serve(url, env={"ACTIONGATE_WORKER_TIMEOUT": "600"}) as server:
        for round_number in range(1, args.rounds + 1):
            reset_to_undelivered(url)
            outcome = kill_mid_cancel(server, url, keys)
            all_or_nothing = set(outcome.counts) in ({"undelivered"}, {"canceled"})
            failures += not all_or_nothing
            print(f"round {round_number}: answered before the kill: {outcome.answered}, "
                  f"statuses {outcome.counts}, "
                  f"{'all or nothing' if all_or_nothing else 'PARTIAL'}")
    print(f"{failures} partial outcome(s) in {args.rounds} rounds")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
