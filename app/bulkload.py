"""Fast bulk inserts for seeding: prepared statements over tuples, indexes built afterwards.

Peewee's ``insert_many`` generates SQL per row, which costs ten times the insert itself;
these helpers convert values once and hand whole batches to the driver.
"""
from __future__ import annotations

import contextlib
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
        from psycopg2.extras import execute_values
        statement = f'INSERT INTO "{table}" ({columns}) VALUES %s'
        for batch in chunked(rows, BATCH):
            execute_values(cursor, statement, batch, page_size=BATCH)
            if progress:
                progress(len(batch))
    else:
        statement = f'INSERT INTO "{table}" ({columns}) VALUES ({", ".join("?" * len(fields))})'
        for batch in chunked(rows, BATCH):
            cursor.executemany(statement, batch)
            if progress:
                progress(len(batch))


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
    """Drop ``model``'s secondary indexes around a large insert and build them again after.

    Building an index from sorted rows is several times faster than updating it row by row.
    The rule: rebuild when the insert at least doubles the table. On PostgreSQL the dropped
    indexes hold the table's exclusive lock until the transaction ends, which is fine for
    the operator's ``seed-demo`` but is why ordinary writes never do this.
    """
    rebuild = (new_rows >= REBUILD_THRESHOLD
               and new_rows >= model.select().count())
    if rebuild:
        model._schema.drop_indexes(safe=True)
    yield
    if rebuild:
        model._schema.create_indexes(safe=True)
