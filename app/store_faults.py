"""Which store errors mean "the store is unavailable" (HTTP 503) rather than a bug (500).

The drivers report a locked, read-only, unreachable or dropped store with the same
exception classes as programming errors (SQLite even reports a syntax error as an
``OperationalError``), so the fault is read from SQLite's result code and from the class
of psycopg2's error. The reason given to the client names the kind of fault only: the
driver's own message (paths, host names) goes to the log.
"""
from __future__ import annotations

import logging
import sqlite3

import psycopg2
from peewee import PeeweeException
from playhouse.pool import MaxConnectionsExceeded, PooledDatabase

from .models import database

log = logging.getLogger("actiongate")

#: every exception class that may carry a store fault (peewee wraps the drivers' errors)
STORE_ERRORS: tuple[type[Exception], ...] = (
    PeeweeException, sqlite3.Error, psycopg2.Error, MaxConnectionsExceeded)

SCHEMA_MISSING = "the store's schema is missing (run actiongate init-db)"
_LOCKED = "the store is locked by another writer"
_READ_ONLY = "the store cannot be written"
_UNREACHABLE = "the store cannot be reached"

#: SQLite primary result codes (the low byte of an extended code) that are store faults
_SQLITE_FAULTS = {
    5: _LOCKED,  # SQLITE_BUSY
    6: _LOCKED,  # SQLITE_LOCKED
    8: _READ_ONLY,  # SQLITE_READONLY
    3: _READ_ONLY,  # SQLITE_PERM
    10: _UNREACHABLE,  # SQLITE_IOERR
    11: _UNREACHABLE,  # SQLITE_CORRUPT
    13: _READ_ONLY,  # SQLITE_FULL
    14: _UNREACHABLE,  # SQLITE_CANTOPEN
    15: _UNREACHABLE,  # SQLITE_PROTOCOL
    26: _UNREACHABLE,  # SQLITE_NOTADB
}


def driver_error(error: BaseException) -> BaseException:
    """The driver's exception behind a peewee wrapper (peewee keeps it as ``orig``)."""
    if isinstance(error, PeeweeException):
        return getattr(error, "orig", None) or error.__context__ or error
    return error


def fault_reason(error: BaseException) -> str | None:
    """Why the store is unavailable, if ``error`` says it is; ``None`` for other errors."""
    if isinstance(error, MaxConnectionsExceeded):
        return _LOCKED
    cause = driver_error(error)
    if isinstance(cause, sqlite3.Error):
        code = getattr(cause, "sqlite_errorcode", None)
        if code is not None and code & 0xFF in _SQLITE_FAULTS:
            return _SQLITE_FAULTS[code & 0xFF]
        if str(cause).startswith("no such table"):
            return SCHEMA_MISSING
        return None
    if isinstance(cause, psycopg2.errors.UndefinedTable):
        return SCHEMA_MISSING
    if isinstance(cause, psycopg2.errors.LockNotAvailable):
        return _LOCKED
    if isinstance(cause, (psycopg2.OperationalError, psycopg2.InterfaceError)):
        return _UNREACHABLE
    return None


def discard_connection() -> None:
    """Close this thread's connection for good instead of giving it back to the pool.

    A connection that saw a fault may stay broken after the store is back (one opened while
    the SQLite file was read-only stays read-only), so it is not reused.
    """
    db = database.obj
    try:
        if isinstance(db, PooledDatabase):
            db.manual_close()
        else:
            db.close()
    except Exception:  # noqa: BLE001 - a broken connection may fail to close; it is gone
        log.debug("closing a faulty connection failed", exc_info=True)
