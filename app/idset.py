"""Sets of ids bound as **one** SQL parameter, and row locks where the database has them.

``field IN (?, ?, …)`` with 100,000 placeholders is slow to build and hits SQLite's
parameter limit, so :func:`in_ids` sends the ids as one value that the database unpacks:
a JSON array read by ``json_each`` on SQLite, a ``bigint[]`` read by ``unnest`` on
PostgreSQL.
"""
from __future__ import annotations

import json
from typing import Collection

from peewee import SQL, ColumnBase, PostgresqlDatabase, Select

from .models import database


def in_ids(field: ColumnBase, ids: Collection[int]) -> ColumnBase:
    """``field IN (ids)`` with the whole collection bound as a single parameter."""
    if isinstance(database.obj, PostgresqlDatabase):
        array = "{" + ",".join(str(int(i)) for i in ids) + "}"
        return field.in_(SQL("(SELECT unnest(%s::bigint[]))", [array]))
    return field.in_(SQL("(SELECT value FROM json_each(?))", [json.dumps([int(i) for i in ids])]))


def in_texts(field: ColumnBase, texts: Collection[str]) -> ColumnBase:
    """``field IN (texts)`` with the whole collection bound as a single parameter."""
    if isinstance(database.obj, PostgresqlDatabase):
        return field.in_(SQL("(SELECT unnest(%s::text[]))", [list(texts)]))
    return field.in_(SQL("(SELECT value FROM json_each(?))", [json.dumps(list(texts))]))


def locked(query: Select) -> Select:
    """``query … FOR UPDATE`` where the database has row locks (PostgreSQL).

    SQLite has none: its write transactions begin ``IMMEDIATE`` (app.db), which takes the
    database's write lock before the first read.
    """
    return query.for_update() if database.obj.for_update else query
