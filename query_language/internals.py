"""Every speed shortcut that relies on a library's private details, in one place.

Each one builds or changes an object the way the public API would, only faster, and
``tests/query_language/test_internals.py`` compares each with the public API it stands in
for. ``setup.cfg`` bounds Peewee's version to the releases those tests ran against: after
an upgrade, run them first.

* :func:`expression`: a Peewee ``Expression`` without its constructor;
* :func:`where_query`: ``Select.where()`` on a fixed base query without its clone chain;
* :func:`frozen_builder`: a frozen slotted dataclass built through its slot descriptors;
* :func:`without_defaults`: a model instance built without its constructor or defaults;
* :class:`PooledPostgres`: Peewee's PostgreSQL pool, which pings less;
* :class:`PooledSqlite`: Peewee's SQLite pool, which does not reuse read-only connections;
* :func:`configure_sqlite_library`: SQLite's library set to lock per thread, not per call,
  through its C API (which the ``sqlite3`` module does not expose).

The bottom of the layers (it imports Peewee and the standard library only), so that every
layer may use it.
"""
from __future__ import annotations

import _sqlite3
import ctypes
import os
import select
import sqlite3
import sys
import time
from dataclasses import fields
from typing import Any, Callable, TypeVar

from peewee import ColumnBase, Expression, Model, Select
from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase

_new = object.__new__
M = TypeVar("M", bound=Model)


def expression(lhs: Any, operator: str, rhs: Any) -> Expression:
    """``Expression(lhs, operator, rhs)``, built without Peewee's constructor.

    ``Expression.__init__`` reads ``OP.IN`` and ``OP.NOT_IN`` from a dict subclass whose
    attribute lookup is a Python call: most of a microsecond per node. The node's whole state
    is these four attributes (``rhs`` must not be a generator, which ``__init__`` would expand).
    """
    node = _new(Expression)
    node.lhs = lhs
    node.op = operator
    node.rhs = rhs
    node.flat = False
    return node


def where_query(base: Select) -> Callable[[ColumnBase], Select]:
    """``lambda condition: base.where(condition)`` for a base query without a ``WHERE``.

    ``Select.where()`` clones through five ``clone()`` methods (2 µs). A query's state is
    its ``__dict__``, and every Peewee method that changes a query first clones it, copying
    its lists, so copies may share them; each copy needs its own hash, which for an
    unaliased query is ``SelectBase._get_hash``'s hash of its class and id. ``base`` is
    never changed.
    """
    state = base.__dict__
    query_class = type(base)

    def where(condition: ColumnBase) -> Select:
        query = _new(query_class)
        query.__dict__ = state.copy()
        query._where = condition
        query._hash = hash((query_class, id(query)))
        return query
    return where


def frozen_builder(cls: type) -> Callable[..., Any]:
    """``cls(*fields)`` for a frozen dataclass with slots, without its ``__init__``.

    That ``__init__`` gets past the frozen ``__setattr__`` with an ``object.__setattr__``
    call per field, a third of the time it takes to parse a query term; the slots' own
    descriptors set the same fields in half the time. ``cls`` has two or three fields.
    """
    setters = [getattr(cls, item.name).__set__ for item in fields(cls)]
    if len(setters) == 2:
        set_first, set_second = setters

        def build_2(first, second):  # type: ignore[no-untyped-def]
            node = _new(cls)
            set_first(node, first)
            set_second(node, second)
            return node
        return build_2
    set_first, set_second, set_third = setters

    def build_3(first, second, third):  # type: ignore[no-untyped-def]
        node = _new(cls)
        set_first(node, first)
        set_second(node, second)
        set_third(node, third)
        return node
    return build_3


def without_defaults(model: type[M], **values: Any) -> M:
    """``model(**values)`` without computing the defaults of the fields not given.

    The state Peewee's ``model(**values, __no_default__=True)`` builds (``__data__``,
    ``_dirty``, ``__rel__``), set directly instead of through one field descriptor per
    value: for rows read with their own query, whose defaults (creation times…) would only
    be computed to be wrong. A model instance among the values (a foreign key given as an
    object) takes Peewee's own path.
    """
    for value in values.values():
        if isinstance(value, Model):
            return model(**values, __no_default__=True)
    instance = _new(model)
    instance.__data__ = values
    instance._dirty = set(values)
    instance.__rel__ = {}
    return instance


#: a pooled PostgreSQL connection idle for longer than this is pinged before it is reused
PING_AFTER_IDLE = 10.0


class PooledPostgres(PooledPostgresqlDatabase):
    """Peewee's PostgreSQL pool without a ``SELECT 1`` round trip on every checkout.

    Peewee pings each connection as it leaves the pool: a fifth of a signed request's
    time. A connection given back moments ago, outside any transaction, is taken as good
    unless the server has sent it something since (a server ends a session it terminates
    or shuts down with a message, so such a connection is pinged and discarded instead of
    failing the next request); one that sat idle for :data:`PING_AFTER_IDLE` seconds is
    always pinged. Overrides the pool's private ``_is_closed`` and ``_close``.
    """

    def _is_closed(self, conn) -> bool:  # type: ignore[no-untyped-def]
        idle = time.monotonic() - getattr(conn, "checked_in", float("-inf"))
        if (idle < PING_AFTER_IDLE and not conn.closed
                and self._adapter.txn_status(conn) == self._adapter.txn_idle
                and not _has_unread_input(conn)):
            return False
        return bool(super()._is_closed(conn))

    def _close(self, conn, close_conn: bool = False) -> None:  # type: ignore[no-untyped-def]
        conn.checked_in = time.monotonic()
        super()._close(conn, close_conn)


class PooledSqlite(PooledSqliteDatabase):
    """Peewee's SQLite pool that does not keep connections opened read-only (their
    ``opened_writable`` is false); overrides the pool's private ``_can_reuse``."""

    def _can_reuse(self, conn) -> bool:  # type: ignore[no-untyped-def]
        return bool(getattr(conn, "opened_writable", True) and super()._can_reuse(conn))


def _has_unread_input(conn) -> bool:  # type: ignore[no-untyped-def]
    """Whether an idle connection's socket has something to read (a notice of its end)."""
    poller = select.poll()  # not select.select, which fails on descriptors past 1023
    try:
        poller.register(conn.fileno(), select.POLLIN)
        return bool(poller.poll(0))
    except (OSError, ValueError):
        return True


#: SQLite's C API: ``sqlite3_config`` options (sqlite3.h)
_SQLITE_CONFIG_MULTITHREAD = 2
_SQLITE_CONFIG_MEMSTATUS = 9
#: the releases :func:`configure_sqlite_library` was tested with (tests/query_language/
#: test_internals.py): outside them it changes nothing
SQLITE_LIBRARY_VERSIONS = ((3, 31), (3, 50))
PYTHON_VERSIONS = ((3, 10), (3, 14))
#: set to ``off`` to keep SQLite's serialized mode (to compare with it)
SQLITE_TUNING_ENV = "ACTIONGATE_SQLITE_TUNING"


def configure_sqlite_library() -> bool:
    """Switch this process's SQLite library from serialized to multi-thread mode, without
    memory statistics; whether it did.

    In serialized mode (the default of the library the ``sqlite3`` module links) every
    C call on a connection takes the connection's mutex: a step and three calls per column
    of every row, and each allocation takes the memory-statistics mutex. In multi-thread
    mode a connection must not be used by two threads *at once*, which the store never
    does: Peewee keeps one connection per thread and its pool lends a connection to one
    thread at a time. The ``sqlite3`` module leaves ``sqlite3_config`` out, so it is called
    through ``ctypes`` on the very library the module is linked with, and only while no
    SQLite connection is open in the process (``sqlite3_memory_used()`` is 0): the library
    must be shut down to be configured. It runs once, when :mod:`app.db` is imported;
    later calls answer what the first did (once statistics are off, memory in use always
    reads 0, so the check could not be made again).
    """
    global _sqlite_configured
    if _sqlite_configured is None:
        _sqlite_configured = _configure_sqlite_library()
    return _sqlite_configured


_sqlite_configured: bool | None = None


def _configure_sqlite_library() -> bool:
    if os.environ.get(SQLITE_TUNING_ENV, "").lower() == "off":
        return False
    low, high = SQLITE_LIBRARY_VERSIONS
    if not (low <= sqlite3.sqlite_version_info[:2] < high
            and PYTHON_VERSIONS[0] <= sys.version_info[:2] < PYTHON_VERSIONS[1]):
        return False
    try:
        library = ctypes.CDLL(_sqlite3.__file__)
        memory_used = library.sqlite3_memory_used
        config = library.sqlite3_config
    except (AttributeError, OSError):  # statically linked without exported symbols
        return False
    memory_used.restype = ctypes.c_int64
    if memory_used() != 0:  # a connection is open somewhere in the process
        return False
    library.sqlite3_shutdown()
    applied = (config(_SQLITE_CONFIG_MULTITHREAD) == 0
               and config(_SQLITE_CONFIG_MEMSTATUS, ctypes.c_int(0)) == 0)
    library.sqlite3_initialize()
    return applied
