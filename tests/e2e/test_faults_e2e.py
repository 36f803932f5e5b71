"""Faults against a live gunicorn: kill -9 of the worker in the middle of a 100,000-activity
bulk cancel leaves all or nothing; a store that goes away answers 503 and serves again
without a restart; a SQLite write lock held by another process answers 503 after the
busy timeout. (``python -m bench.faults`` runs the kill at 1M activities, many rounds.)

Each test has a scratch store of its own: a SQLite file, or a scratch PostgreSQL database
next to the suite's when the suite runs on PostgreSQL.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from urllib.parse import urlparse

import psycopg2
import pytest

from bench.faults import (connect_directly, kill_mid_cancel, seed_store, serve,
                          sqlite_path, status_counts)

BULK = 100_000
BUSY_TIMEOUT = 0.5


@pytest.fixture
def admin(db_url):
    """An autocommit connection to the suite's PostgreSQL database."""
    connection = connect_directly(db_url)
    yield connection.cursor()
    connection.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request, tmp_path):
    """An empty scratch store of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'faults.db'}"
        return
    db_url = request.getfixturevalue("db_url")
    admin = request.getfixturevalue("admin")
    name = urlparse(db_url).path.lstrip("/") + "_e2e_faults"
    admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.execute(f"CREATE DATABASE {name}")
    yield urlparse(db_url)._replace(path="/" + name).geturl()
    admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.execute(f"DROP DATABASE IF EXISTS {name}_away WITH (FORCE)")


def _is_unavailable(answer) -> bool:
    status, headers, body = answer
    return (status, headers.get("Retry-After"), body["error"]) == (503, "5", "StoreUnavailable")


def test_kill_9_mid_bulk_cancel_leaves_all_or_nothing(store_url):
    keys = seed_store(store_url, BULK)
    with serve(store_url) as server:
        outcome = kill_mid_cancel(server, store_url, keys)
        assert not outcome.answered  # the worker died in the middle of the request
        assert outcome.counts in ({"undelivered": BULK}, {"canceled": BULK})
        # The master's new worker serves the same cancel from the store as it was left.
        server.wait_for_workers()
        status, _, canceled = server.call(keys, "CancelActivities",
                                          query="status:undelivered")
        assert (status, len(canceled)) == (200, BULK - outcome.counts.get("canceled", 0))
    assert status_counts(store_url) == {"canceled": BULK}


def _make_unwritable(path: str) -> None:
    os.chmod(path, 0o444)
    if os.geteuid() == 0 and subprocess.run(["chattr", "+i", path]).returncode != 0:
        pytest.skip("running as root on a file system without chattr +i")


def _make_writable(path: str) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", path], check=False)
    os.chmod(path, 0o644)


def _take_away(store_url: str, admin) -> None:
    """Make the store unusable: the SQLite file unwritable; the PostgreSQL database renamed
    (after ending its sessions, which a rename needs)."""
    if store_url.startswith("sqlite"):
        _make_unwritable(sqlite_path(store_url))
        return
    name = urlparse(store_url).path.lstrip("/")
    while True:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = %s", (name,))
        try:
            admin.execute(f"ALTER DATABASE {name} RENAME TO {name}_away")
            return
        except psycopg2.errors.ObjectInUse:  # a session began in between
            continue


def _bring_back(store_url: str, admin) -> None:
    if store_url.startswith("sqlite"):
        _make_writable(sqlite_path(store_url))
        return
    name = urlparse(store_url).path.lstrip("/")
    admin.execute(f"ALTER DATABASE {name}_away RENAME TO {name}")


@pytest.fixture
def any_admin(request, store_url):
    """The PostgreSQL admin cursor when the store is PostgreSQL, else ``None``."""
    return request.getfixturevalue("admin") if store_url.startswith("postgres") else None


def test_store_that_goes_away_answers_503_and_serves_again_when_back(store_url, any_admin):
    keys = seed_store(store_url, 0)
    sqlite = store_url.startswith("sqlite")
    if sqlite:
        # Before the worker starts: a SQLite connection opened earlier would keep writing
        # to the file it opened, the fault shows to connections opened after it.
        _take_away(store_url, any_admin)
    with serve(store_url) as server:
        if not sqlite:
            assert server.call(keys, "SetAccountSettings", title="Before")[0] == 200
            _take_away(store_url, any_admin)
        try:
            assert _is_unavailable(server.call(keys, "SetAccountSettings", title="During"))
            assert _is_unavailable(server.get("/healthz"))
        finally:
            _bring_back(store_url, any_admin)
        status, _, body = server.call(keys, "SetAccountSettings", title="After")
        assert (status, body["title"]) == (200, "After")
        assert server.get("/healthz")[:3:2] == (200, {"status": "ok"})


HOLD_LOCK = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
connection.execute("ROLLBACK")
"""


def test_sqlite_write_lock_held_by_another_process_answers_503_after_busy_timeout(tmp_path):
    store_url = f"sqlite:///{tmp_path / 'locked.db'}"
    keys = seed_store(store_url, 0)
    env = {"ACTIONGATE_BUSY_TIMEOUT": str(BUSY_TIMEOUT)}
    with serve(store_url, env=env) as server:
        holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, sqlite_path(store_url)],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            assert holder.stdout.readline() == "locked\n"
            started = time.monotonic()
            answer = server.call(keys, "SetAccountSettings", title="Locked")
            waited = time.monotonic() - started
            assert _is_unavailable(answer)
            assert answer[2]["message"] == ("The service is unavailable: the store is locked "
                                            "by another writer. Retry later.")
            assert waited >= BUSY_TIMEOUT  # it waited for the lock before giving up
        finally:
            holder.communicate("\n", timeout=30)
        assert server.call(keys, "SetAccountSettings", title="Unlocked")[0] == 200


def test_access_log_names_the_request_id(tmp_path):
    store_url = f"sqlite:///{tmp_path / 'log.db'}"
    seed_store(store_url, 0)
    with serve(store_url) as server:
        _, given_headers, _ = server.get("/healthz")
        generated = given_headers["X-Request-Id"]
    log = server.log.read_text()
    assert re.search(rf"^127\.0\.0\.1 {generated} .*\"GET /healthz HTTP/1\.1\" 200 ", log,
                     re.MULTILINE), log
