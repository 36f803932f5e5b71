"""Binding the model proxy to SQLite or PostgreSQL, per-request connections, schema upgrades."""
from __future__ import annotations

import math
import os
import sqlite3
from typing import Any
from urllib.parse import parse_qsl, unquote, urlparse

from flask import Flask
from peewee import Database, PostgresqlDatabase, SqliteDatabase

from query_language.internals import PooledPostgres, PooledSqlite, configure_sqlite_library

from .config import DEFAULT_BUSY_TIMEOUT
from .models import ALL_MODELS, SchemaVersion, database
from .prepared import StatementConnection
from .store.credentials import forget
from .store.plan_choice import VALUE_COUNTS

# Before this process opens any SQLite connection (see the function).
configure_sqlite_library()

#: Bump when the schema changes and add the step to ``MIGRATIONS``.
SCHEMA_VERSION = 7


def _migrate_to_2(db: Database) -> None:
    """Activity indexes end in (creation_time, id); package creation dates are doubles.

    ``create_tables(safe=True)`` has already created the new indexes; drop the old ones.
    """
    for name in ("activity_account_id_activity_status", "activity_parent_id",
                 "activity_creator_id"):
        db.execute_sql(f"DROP INDEX IF EXISTS {name}")
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql("ALTER TABLE package ALTER COLUMN creation_date TYPE DOUBLE PRECISION")


def _migrate_to_3(db: Database) -> None:
    """Drop the single-column activity key indexes that the composite indexes make redundant
    (every insert paid for them)."""
    for name in ("activity_account_id", "activity_parent_id", "activity_creator_id"):
        db.execute_sql(f"DROP INDEX IF EXISTS {name}")


def _migrate_to_4(db: Database) -> None:
    """Computers have indexes on ``LOWER(hostname)`` and ``LOWER(title)`` (already created by
    ``create_tables``); gather statistics, which PostgreSQL keeps for indexed expressions
    only after an ANALYZE and SQLite only has after one (see :func:`refresh_statistics`)."""
    db.execute_sql("ANALYZE")


def _migrate_to_5(db: Database) -> None:
    """The failed-login and seen-signature tables (``app.models.security``), which
    ``create_tables`` has already created: nothing else changes."""


def _migrate_to_6(db: Database) -> None:
    """Activity indexes for the type filter and the modification and completion time orders
    (already created by ``create_tables``); gather statistics for them."""
    db.execute_sql("ANALYZE")


def _migrate_to_7(db: Database) -> None:
    """The event log tables (``app.models.events``), which ``create_tables`` has already
    created: nothing else changes."""


#: version -> callable(db) that upgrades from version-1; version 1 is ``create_tables``.
MIGRATIONS = {2: _migrate_to_2, 3: _migrate_to_3, 4: _migrate_to_4, 5: _migrate_to_5,
              6: _migrate_to_6, 7: _migrate_to_7}

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",
    "cache_size": -64 * 1024,
}


class SqliteConnection(sqlite3.Connection):
    """A SQLite connection that remembers whether its file could be written when it opened.

    SQLite opens a file it may not write read-only without a word, and the connection
    stays read-only after the file is writable again.
    """

    def __init__(self, database: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(database, *args, **kwargs)
        self.opened_writable = database == ":memory:" or os.access(database, os.W_OK)


def make_database(url: str, *, pooled: bool = True,
                  busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> Database:
    """Build a peewee database for ``sqlite:///path`` or ``postgresql://…`` URLs.

    ``busy_timeout`` (seconds) is how long a statement waits for another writer's lock
    (SQLite's ``busy_timeout``, PostgreSQL's ``lock_timeout``) and for a free pooled
    connection before the request answers 503 ``StoreUnavailable``.
    """
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path[1:]) if parsed.path.startswith("/") else parsed.path
        path = path or ":memory:"
        if path != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        # busy_timeout as the first PRAGMA: peewee's pool takes the driver's ``timeout``
        # argument for its own wait, and the PRAGMAs after it may wait for a lock too.
        pragmas = {"busy_timeout": round(busy_timeout * 1000), **SQLITE_PRAGMAS}
        # IMMEDIATE: a write transaction takes the write lock at BEGIN, so two writers queue
        # behind busy_timeout instead of deadlocking on a read-to-write lock upgrade.
        options = {"pragmas": pragmas, "lock_type": "IMMEDIATE"}
        if pooled and path != ":memory:":
            # Reusing connections skips the connect + PRAGMA round on every request.
            return PooledSqlite(path, max_connections=32, stale_timeout=300,
                                timeout=busy_timeout, check_same_thread=False,
                                factory=SqliteConnection, **options)
        return SqliteDatabase(path, timeout=busy_timeout, **options)
    if parsed.scheme in ("postgres", "postgresql"):
        options = dict(parse_qsl(parsed.query))
        kwargs = {
            "host": parsed.hostname or None,
            "port": parsed.port or None,
            "user": unquote(parsed.username) if parsed.username else None,
            "password": unquote(parsed.password) if parsed.password else None,
            **options,
        }
        kwargs = {k: v for k, v in kwargs.items() if v is not None}
        # libpq counts whole seconds and takes less than 2 as 2
        kwargs.setdefault("connect_timeout", max(2, math.ceil(busy_timeout)))
        kwargs.setdefault("options", f"-c lock_timeout={round(busy_timeout * 1000)}")
        name = parsed.path.lstrip("/")
        # Connections that remember their server-side prepared statements (app.prepared).
        kwargs["connection_factory"] = StatementConnection
        if pooled:
            return PooledPostgres(name, max_connections=32, stale_timeout=300,
                                  timeout=busy_timeout, **kwargs)
        return PostgresqlDatabase(name, **kwargs)
    raise ValueError(f"Unsupported database URL scheme {parsed.scheme!r}")


def init_database(url: str, *, pooled: bool = True,
                  busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> Database:
    """Bind the model proxy to the database at ``url`` and return it."""
    db = make_database(url, pooled=pooled, busy_timeout=busy_timeout)
    database.initialize(db)
    forget()  # rows of the database bound before
    return db


def upgrade_schema() -> int:
    """Create or upgrade the schema; idempotent. Returns the schema version now in the store."""
    db = database.obj
    opened = db.is_closed()
    if opened:
        db.connect()
    try:
        with db.atomic():
            db.create_tables(ALL_MODELS, safe=True)
            row = SchemaVersion.select().first()
            current = row.version if row else 0
            if row is None:
                SchemaVersion.create(version=SCHEMA_VERSION)
                return SCHEMA_VERSION
            for version in range(current + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[version](db)  # type: ignore[operator]
            SchemaVersion.update(version=SCHEMA_VERSION).execute()
    finally:
        if opened:
            db.close()
    return SCHEMA_VERSION


def init_app(app: Flask) -> None:
    """Open one connection per request and give it back on teardown (errors included)."""

    @app.before_request
    def _connect() -> None:
        database.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(exc: BaseException | None) -> None:
        if not database.is_closed():
            database.close()


def reset_sequences(models) -> None:
    """After rows were inserted with explicit ids, move PostgreSQL's id sequences past them."""
    db = database.obj
    if not isinstance(db, PostgresqlDatabase):
        return
    for model in models:
        table, pk = model._meta.table_name, model._meta.primary_key
        if pk is None or not getattr(pk, "auto_increment", False):
            continue
        db.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('{table}', '{pk.column_name}'), "
            f"COALESCE((SELECT MAX({pk.column_name}) FROM {table}), 0) + 1, false)")


def advisory_lock(space: int, key: int) -> None:
    """Serialise writers of one (space, key) until the transaction ends.

    PostgreSQL takes a transaction-scoped advisory lock; SQLite needs nothing, because its
    write transactions begin IMMEDIATE and so already hold the database's write lock.
    """
    if isinstance(database.obj, PostgresqlDatabase):
        database.execute_sql("SELECT pg_advisory_xact_lock(%s, %s)", (space, key))


def refresh_statistics() -> None:
    """``ANALYZE``: the planner's statistics, for bulk loads and ``actiongate analyze``.

    Without them PostgreSQL plans for empty tables until autovacuum catches up, and SQLite,
    which never gathers them by itself, guesses: it reads the account's activities newest
    first even when the query names one computer, so ``status:failed computer:id:N``
    scanned 65 ms on a 1M-row account instead of reading that computer's rows by index
    (0.03 ms). ANALYZE of 1.2M rows takes 0.8 s on SQLite. This process's page queries
    choose their plans from the new statistics at once (other workers within a minute).
    """
    database.execute_sql("ANALYZE")
    VALUE_COUNTS.forget()


def finish_bulk_load() -> None:
    """After a bulk insert: move id sequences past explicit ids and refresh statistics."""
    reset_sequences(ALL_MODELS)
    refresh_statistics()


def vacuum_after_bulk_load() -> None:
    """On PostgreSQL, ``VACUUM`` once a bulk load has committed.

    It sets the visibility map, without which the index-only scans of the page queries'
    ``EXISTS`` checks read the table for every row until autovacuum comes by: page
    queries take twice as long. VACUUM cannot run inside a transaction, hence a step of
    its own after the loading one. The statistics are fresh already: the load's
    :func:`finish_bulk_load` analysed its own rows before committing.
    """
    if isinstance(database.obj, PostgresqlDatabase) and not database.in_transaction():
        database.execute_sql("VACUUM")
