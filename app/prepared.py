"""Hot queries whose SQL is generated once, and on PostgreSQL also parsed once per session.

Generating SQL from a Peewee query costs more than running a simple indexed lookup, so
the hot paths (authentication, pages of activities) build their query once with stand-in
values and substitute the real values at execution time, like a driver's prepared
statements. On PostgreSQL they are server-side prepared statements as well: ``PREPARE``
once per connection, then ``EXECUTE``, which skips parsing and rewriting on every call
(a third of the key lookup's time). PostgreSQL still plans each call for its values until
it finds a generic plan as good, so pages of very different accounts keep good plans.
"""
from __future__ import annotations

import hashlib
import re
from typing import Any, Callable

from psycopg2.extensions import connection as PsycopgConnection

from .models import database

#: statements kept per connection; past this a connection drops them all and starts over
MAX_STATEMENTS = 512
_PLACEHOLDER = re.compile(r"%(s|%)")


class StatementConnection(PsycopgConnection):
    """A psycopg2 connection that knows which statements its session has prepared."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prepared: set[str] = set()


def _server_side(sql: str, params: list) -> tuple[str, str, str]:
    """``(name, PREPARE statement, EXECUTE statement)`` for DB-API SQL with ``%s`` slots.

    Integer parameters are declared ``bigint``: inferred from an ``integer`` column, any
    id past 2**31 would fail to bind. The others take their type from where they stand.
    """
    numbers = iter(range(1, len(params) + 1))
    numbered = _PLACEHOLDER.sub(lambda m: f"${next(numbers)}" if m.group(1) == "s" else "%",
                                sql)
    name = "ag_" + hashlib.sha1(sql.encode()).hexdigest()[:24]
    if not params:
        return name, f"PREPARE {name} AS {numbered}", f"EXECUTE {name}"
    types = ", ".join("bigint" if type(value) is int else "unknown" for value in params)
    slots = ", ".join(["%s"] * len(params))
    return name, f"PREPARE {name} ({types}) AS {numbered}", f"EXECUTE {name}({slots})"


class PreparedQuery:
    """A hot query, generated once per SQL dialect and run with new values."""

    def __init__(self, build: Callable[[], Any], **stand_ins: object) -> None:
        """``build()`` returns the query, written with each stand-in value where the value
        of the same name goes; a stand-in must not occur in the query as a constant too."""
        self._build = build
        self._names = {(type(value), value): name for name, value in stand_ins.items()}
        self._compiled: dict[type, tuple[str, tuple]] = {}
        self._statement: tuple[str, str, str] | None = None

    def sql(self, values: dict[str, object]) -> tuple[str, list]:
        """The SQL for the current database and its parameters with ``values`` filled in."""
        db = database.obj
        compiled = self._compiled.get(type(db))
        if compiled is None:
            sql, params = self._build().sql()
            slots = tuple((self._names.get((type(p), p)) if p.__hash__ else None, p)
                          for p in params)
            compiled = self._compiled[type(db)] = (sql, slots)
        sql, slots = compiled
        return sql, [values[name] if name is not None else constant
                     for name, constant in slots]

    def execute(self, **values: object):
        """Run the query; returns the DB-API cursor."""
        sql, params = self.sql(values)
        prepared = getattr(database.connection(), "prepared", None)
        if prepared is None:  # SQLite: its driver keeps parsed statements already
            return database.execute_sql(sql, params)
        if self._statement is None:
            self._statement = _server_side(sql, params)
        name, prepare, execute = self._statement
        if name not in prepared:
            if len(prepared) >= MAX_STATEMENTS:
                database.execute_sql("DEALLOCATE ALL")
                prepared.clear()
            database.execute_sql(prepare)  # PREPARE outlives a rollback: not transactional
            prepared.add(name)
        return database.execute_sql(execute, params)
