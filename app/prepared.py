"""Hot queries whose SQL is generated once, and on PostgreSQL also parsed once per session.

Generating SQL from a Peewee query costs more than running a simple indexed lookup, so
the hot paths (authentication, pages of activities) build their query once with stand-in
values and substitute the real values at execution time, like a driver's prepared
statements. On PostgreSQL they are server-side prepared statements as well: ``PREPARE``
once per connection, then ``EXECUTE``, which skips parsing and rewriting on every call
(a third of the key lookup's time). PostgreSQL still plans each call for its values until
it finds a generic plan as good, so pages of very different accounts keep good plans.

A query may choose its plan per call instead (``generic_when``): planning is most of a
page query's time, and one generic plan serves every value that is common, but reads a
whole account for a rare one. Such a call runs as ``SET LOCAL plan_cache_mode …;
EXECUTE …`` in one round trip: the setting lasts until the end of the transaction (the
implicit one of that query string, outside ``atomic()``), so every statement of this kind
says which plan it wants.
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
#: run the statement's generic plan, planned once per session
GENERIC_PLAN = "SET LOCAL plan_cache_mode = force_generic_plan; "
#: plan the statement for this call's values
CUSTOM_PLAN = "SET LOCAL plan_cache_mode = force_custom_plan; "


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

    def __init__(self, build: Callable[[], Any], *,
                 generic_when: Callable[[dict[str, Any]], bool] | None = None,
                 generic_literals: tuple[str, ...] = (), **stand_ins: object) -> None:
        """``build()`` returns the query, written with each stand-in value where the value
        of the same name goes; a stand-in must not occur in the query as a constant too.

        ``generic_when(values)``: on PostgreSQL, asked at each call whether a generic plan
        serves these values (else the call is planned for them); without it PostgreSQL
        decides as for any prepared statement. ``generic_literals``: integer stand-ins
        written into the generic statement's SQL, one statement per combination, so that
        its plan is made for them (a ``LIMIT $n`` is planned for a tenth of the rows)."""
        self._build = build
        self._generic_when = generic_when
        self._literals = frozenset(generic_literals)
        self._names = {(type(value), value): name for name, value in stand_ins.items()}
        self._compiled: dict[type, tuple[str, tuple]] = {}
        self._statement: tuple[str, str, str] | None = None
        self._generic: dict[tuple, tuple[tuple[str, str, str], tuple[int, ...]]] = {}

    def sql(self, values: dict[str, object]) -> tuple[str, list]:
        """The SQL for the current database and its parameters with ``values`` filled in."""
        sql, slots = self._compile()
        return sql, [values[name] if name is not None else constant
                     for name, constant in slots]

    def _compile(self) -> tuple[str, tuple]:
        db = database.obj
        compiled = self._compiled.get(type(db))
        if compiled is None:
            sql, params = self._build().sql()
            slots = tuple((self._names.get((type(p), p)) if p.__hash__ else None, p)
                          for p in params)
            compiled = self._compiled[type(db)] = (sql, slots)
        return compiled

    def statement(self, values: dict[str, Any]) -> tuple[tuple[str, str, str], str, list]:
        """On PostgreSQL, for a call with ``values``: the server-side statement ``(name,
        PREPARE, EXECUTE)``, what goes before the ``EXECUTE`` (the plan the call asks for)
        and the parameters."""
        sql, params = self.sql(values)
        if self._generic_when is None:
            if self._statement is None:
                self._statement = _server_side(sql, params)
            return self._statement, "", params
        if self._generic_when(values) and all(type(values[name]) is int
                                              for name in self._literals):
            statement, kept = self._generic_statement(values)
            return statement, GENERIC_PLAN, [params[index] for index in kept]
        if self._statement is None:
            self._statement = _server_side(sql, params)
        return self._statement, CUSTOM_PLAN, params

    def generic_statement(self, values: dict[str, Any]) -> tuple[tuple[str, str, str], list]:
        """The statement a call with ``values`` runs when it takes the generic plan, and
        its parameters (what :meth:`statement` gives when the choice is generic)."""
        statement, kept = self._generic_statement(values)
        params = self.sql(values)[1]
        return statement, [params[index] for index in kept]

    def _generic_statement(self, values: dict[str, Any]
                           ) -> tuple[tuple[str, str, str], tuple[int, ...]]:
        """The statement with the :attr:`_literals` written in, and which parameters stay."""
        key = tuple(values[name] for name in sorted(self._literals))
        generic = self._generic.get(key)
        if generic is None:
            generic = self._generic[key] = self._write_generic(values)
        return generic

    def _write_generic(self, values: dict[str, Any]
                       ) -> tuple[tuple[str, str, str], tuple[int, ...]]:
        sql, slots = self._compile()
        kept = tuple(index for index, (name, _) in enumerate(slots)
                     if name not in self._literals)
        names = iter(name for name, _ in slots)

        def slot(match: re.Match) -> str:
            if match.group(1) == "%":
                return "%%"
            name = next(names)
            return str(int(values[name])) if name in self._literals else "%s"
        written = _PLACEHOLDER.sub(slot, sql)
        return _server_side(written, [values[name] if name is not None else constant
                                      for index, (name, constant) in enumerate(slots)
                                      if index in kept]), kept

    def execute(self, **values: Any):
        """Run the query; returns the DB-API cursor."""
        prepared = getattr(database.connection(), "prepared", None)
        if prepared is None:  # SQLite: its driver keeps parsed statements already
            return database.execute_sql(*self.sql(values))
        (name, prepare, execute), plan, params = self.statement(values)
        if name not in prepared:
            if len(prepared) >= MAX_STATEMENTS:
                database.execute_sql("DEALLOCATE ALL")
                prepared.clear()
            database.execute_sql(prepare)  # PREPARE outlives a rollback: not transactional
            prepared.add(name)
        return database.execute_sql(plan + execute, params)
