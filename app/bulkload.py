"""Fast bulk inserts for seeding: whole batches of tuples, indexes built afterwards.

Peewee's ``insert_many`` generates SQL per row, which costs ten times the insert itself;
these helpers convert values once and hand whole batches to the store: one prepared
``INSERT`` per batch on SQLite, ``COPY`` on PostgreSQL.
"""
from __future__ import annotations

import contextlib
import io
from typing import Any, Callable, Iterable, Iterator, Sequence

from peewee import Field, PostgresqlDatabase, chunked

from .models import database

BATCH = 2000
#: below this many new rows, keeping the indexes is cheaper than rebuilding them
REBUILD_THRESHOLD = 20_000


def insert_tuples(fields: Sequence[Field], rows: Iterable[tuple],
                  progress: Callable[[int], Any] | None = None) -> None:
    """Insert ``rows`` (tuples of driver-ready values, in ``fields`` order) in batches."""
    db = database.obj
    table = fields[0].model._meta.table_name
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    cursor = db.cursor()
    if isinstance(db, PostgresqlDatabase):
        # COPY: no per-value escaping in the driver and the server's fastest load path.
        statement = f'COPY "{table}" ({columns}) FROM STDIN'
        for batch in chunked(rows, BATCH * 10):
            cursor.copy_expert(statement, _copy_text(batch))
            if progress:
                progress(len(batch))
    else:
        statement = f'INSERT INTO "{table}" ({columns}) VALUES ({", ".join("?" * len(fields))})'
        for batch in chunked(rows, BATCH):
            cursor.executemany(statement, batch)
            if progress:
                progress(len(batch))


def _copy_text(rows: list[tuple]) -> io.StringIO:
    """Rows in COPY's text format: tab-separated, ``\\N`` for NULL, backslash escapes."""
    def field(value: Any) -> str:
        if value is None:
            return "\\N"
        if value.__class__ is str:
            return value.translate(_COPY_ESCAPES)
        return str(value)
    return io.StringIO("".join("\t".join(map(field, row)) + "\n" for row in rows))


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def insert_rows(model: Any, rows: list[dict[str, Any]]) -> None:
    """Insert dicts keyed by field name (all with the keys of the first row); fields left
    out take their model defaults, as with ``insert_many``."""
    if not rows:
        return
    given = [model._meta.fields[name] for name in rows[0]]
    defaulted = [field for name, field in model._meta.fields.items()
                 if name not in rows[0] and field.default is not None]

    def values(row: dict[str, Any]) -> tuple:
        explicit = [field.db_value(row[field.name]) for field in given]
        return (*explicit, *(field.db_value(field.default() if callable(field.default)
                                            else field.default) for field in defaulted))

    insert_tuples(given + defaulted, (values(row) for row in rows))


@contextlib.contextmanager
def indexes_rebuilt_after(model: Any, new_rows: int) -> Iterator[None]:
    """Drop ``model``'s secondary indexes around a large insert and build them again after;
    on PostgreSQL its foreign keys too, whose per-row trigger checks cost more than the
    insert (re-adding a key checks every row in one pass).

    Building an index from sorted rows is several times faster than updating it row by row.
    The rule: rebuild when the insert at least doubles the table. On PostgreSQL the dropped
    indexes hold the table's exclusive lock until the transaction ends, which is fine for
    the operator's ``seed-demo`` but is why ordinary writes never do this.
    """
    rebuild = (new_rows >= REBUILD_THRESHOLD
               and new_rows >= model.select().count())
    foreign_keys = _drop_foreign_keys(model) if rebuild else []
    if rebuild:
        model._schema.drop_indexes(safe=True)
    yield
    if rebuild:
        model._schema.create_indexes(safe=True)
        table = model._meta.table_name
        for name, definition in foreign_keys:
            database.execute_sql(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')


def _drop_foreign_keys(model: Any) -> list[tuple[str, str]]:
    """Drop the PostgreSQL foreign keys of ``model``'s table; returns (name, definition)."""
    if not isinstance(database.obj, PostgresqlDatabase):
        return []  # SQLite checks a key with one index probe per row: cheap enough
    table = model._meta.table_name
    keys = database.execute_sql(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
        (f'"{table}"',)).fetchall()
    for name, _ in keys:
        database.execute_sql(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    return keys
