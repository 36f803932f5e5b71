"""Whether the gateway can serve: the store opens, has the code's schema and, on SQLite,
can be written."""
from __future__ import annotations

from peewee import SqliteDatabase

from .db import SCHEMA_VERSION
from .models import SchemaVersion, database
from .store_faults import SCHEMA_MISSING, STORE_ERRORS, discard_connection, fault_reason


#: what a failed probe may raise: a driver's fault, or the file system's
_PROBE_ERRORS: tuple[type[Exception], ...] = (*STORE_ERRORS, OSError)


def store_problem() -> str | None:
    """What keeps the store from serving requests now, or ``None`` when nothing does."""
    try:
        database.connect(reuse_if_open=True)
        version = SchemaVersion.select(SchemaVersion.version).scalar()
        if version is None:
            return SCHEMA_MISSING
        if version < SCHEMA_VERSION:
            return (f"the store's schema is at version {version}, older than this code's "
                    f"{SCHEMA_VERSION} (run actiongate init-db)")
        if version > SCHEMA_VERSION:
            return (f"the store's schema is at version {version}, newer than this code's "
                    f"{SCHEMA_VERSION}")
        if isinstance(database.obj, SqliteDatabase):
            _probe_write()
    except _PROBE_ERRORS as error:
        discard_connection()
        return fault_reason(error) or "the store does not answer"
    return None


def _probe_write() -> None:
    """Take the write lock and change a row, then roll back: a SQLite file that cannot be
    written (read-only, locked for longer than the busy timeout) fails here."""
    with database.atomic() as transaction:
        SchemaVersion.update(version=SchemaVersion.version).execute()
        transaction.rollback()
