"""Each shortcut of query_language.internals against the public API it stands in for.

These rely on private details of the libraries: run them first after upgrading Peewee
(setup.cfg bounds its version to the releases they passed on).
"""
from __future__ import annotations

import inspect
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import peewee
from peewee import OP, Expression, SqliteDatabase
from playhouse.pool import PooledPostgresqlDatabase

from app.models import Account, Activity, Computer
from query_language.internals import (SQLITE_LIBRARY_VERSIONS, PooledPostgres,
                                      configure_sqlite_library, expression, frozen_builder,
                                      where_query, without_defaults)
from query_language.nodes import Term, new_term

SQLITE = SqliteDatabase(":memory:")
ROOT = Path(__file__).resolve().parents[2]


def sql(node) -> tuple[str, list]:
    return SQLITE.get_sql_context().sql(node).query()


def test_expression_is_the_node_peewees_constructor_builds():
    for rhs in (3, [1, 2], Activity.id, None):
        built, public = expression(Activity.id, OP.IN, rhs), Expression(Activity.id, OP.IN, rhs)
        assert type(built) is type(public)
        assert vars(built) == vars(public)
        assert sql(built) == sql(public)


def test_where_query_is_select_where_and_leaves_the_base_alone():
    base = Computer.select(Computer.id)
    before = sql(base)
    where = where_query(base)
    first, second = where(Computer.account == 1), where(Computer.hostname == "a")
    assert sql(first) == sql(Computer.select(Computer.id).where(Computer.account == 1))
    assert sql(second) == sql(Computer.select(Computer.id).where(Computer.hostname == "a"))
    assert sql(base) == before
    assert hash(first) != hash(second) and hash(first) != hash(base)
    # later public changes clone as usual and leave the factory's queries alone
    assert sql(first.where(Computer.id == 2)) != sql(first)
    assert sql(first.order_by(Computer.id)) != sql(first)
    public = Computer.select(Computer.id).where(Computer.account == 1)
    assert set(vars(first)) == set(vars(public))


@dataclass(frozen=True, slots=True)
class Pair:
    left: int
    right: str


def test_frozen_builder_builds_what_the_constructor_builds():
    assert frozen_builder(Pair)(1, "a") == Pair(1, "a")
    assert new_term("k", "v", (0, 3)) == Term("k", "v", (0, 3))
    assert new_term("k", "v", (0, 3)).span == (0, 3)


def test_without_defaults_sets_the_given_fields_only():
    public = Account(id=1, name="a", require_approval=True)
    built = without_defaults(Account, id=1, name="a", require_approval=True)
    assert (built.id, built.name, built.require_approval) == (1, "a", True)
    assert set(built.__data__) == {"id", "name", "require_approval"}
    assert public.title == "" and "title" not in built.__data__  # no default computed


def test_without_defaults_builds_the_state_of_peewees_no_default_constructor():
    account = Account(id=7, name="a")
    for model, values in ((Account, {"id": 1, "name": "a", "require_approval": True}),
                          (Computer, {"id": 2, "account": 7, "title": "t"}),
                          (Computer, {"id": 3, "account": account, "title": "t"})):
        public = model(**values, __no_default__=True)
        built = without_defaults(model, **values)
        assert type(built) is model
        assert (built.__data__, built._dirty, built.__rel__) == (
            public.__data__, public._dirty, public.__rel__)
    assert without_defaults(Computer, id=3, account=account).account is account


def test_the_pool_overrides_private_methods_that_still_exist_with_these_signatures():
    for name in ("_is_closed", "_close"):
        private = getattr(PooledPostgresqlDatabase, name)
        assert list(inspect.signature(getattr(PooledPostgres, name)).parameters) == list(
            inspect.signature(private).parameters)
    assert "txn_status" in dir(peewee.Psycopg2Adapter) and "txn_idle" in dir(
        peewee.Psycopg2Adapter)


_SQLITE_WORKLOAD = """
import sqlite3, sys, threading
from query_language.internals import configure_sqlite_library
print(configure_sqlite_library())
path = sys.argv[1]
setup = sqlite3.connect(path)
setup.execute("PRAGMA journal_mode=wal")
setup.execute("CREATE TABLE t (worker INTEGER, n INTEGER, text TEXT)")
setup.close()

def work(worker):
    connection = sqlite3.connect(path, timeout=30, check_same_thread=False)
    for n in range(150):
        with connection:
            connection.execute("INSERT INTO t VALUES (?, ?, ?)", (worker, n, "é" * n))
        connection.execute("SELECT count(*), sum(length(text)) FROM t").fetchall()
    connection.close()

threads = [threading.Thread(target=work, args=(worker,)) for worker in range(6)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
reader = sqlite3.connect(path)
print(reader.execute("SELECT worker, count(*), sum(n), sum(length(text)) FROM t "
                     "GROUP BY worker ORDER BY worker").fetchall())
"""


def _sqlite_workload(tmp_path, name: str, tuning: str) -> list[str]:
    env = dict(os.environ, ACTIONGATE_SQLITE_TUNING=tuning)
    run = subprocess.run([sys.executable, "-c", _SQLITE_WORKLOAD, str(tmp_path / name)],
                         env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    return run.stdout.splitlines()


def test_sqlite_in_multi_thread_mode_gives_what_serialized_mode_gives(tmp_path):
    tuned = _sqlite_workload(tmp_path, "tuned.db", "on")
    serialized = _sqlite_workload(tmp_path, "serialized.db", "off")
    in_range = (SQLITE_LIBRARY_VERSIONS[0] <= sqlite3.sqlite_version_info[:2]
                < SQLITE_LIBRARY_VERSIONS[1])
    assert (tuned[0], serialized[0]) == (str(in_range), "False")
    expected = [(worker, 150, sum(range(150)), sum(range(150))) for worker in range(6)]
    assert tuned[1] == serialized[1] == str(expected)


def test_the_sqlite_library_is_configured_once_before_any_connection():
    # app.db configured it on import, before the tests opened connections
    in_range = (SQLITE_LIBRARY_VERSIONS[0] <= sqlite3.sqlite_version_info[:2]
                < SQLITE_LIBRARY_VERSIONS[1])
    assert configure_sqlite_library() is in_range
    connection = sqlite3.connect(":memory:")
    assert configure_sqlite_library() is in_range  # answered again, no shutdown
    assert connection.execute("SELECT 1").fetchall() == [(1,)]


def test_sqlite_is_left_alone_while_a_connection_is_open(tmp_path):
    script = ("import sqlite3; c = sqlite3.connect(':memory:'); c.execute('SELECT 1'); "
              "from query_language.internals import configure_sqlite_library as f; "
              "print(f(), c.execute('SELECT 2').fetchall())")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=60, cwd=ROOT, env=dict(os.environ, ACTIONGATE_SQLITE_TUNING="on"))
    assert run.stdout.split("\n")[0] == "False [(2,)]", run.stderr
