"""Named row mapping: each rendered shape declares, once, the columns it selects and the
output field each one feeds, so that a new column is one edit.

:class:`RowShape` gives rows as named tuples (``row.secret``); :class:`DictShape` renders a
row straight to a dict with a function generated from the declaration, as fast as the
hand-written code it replaces (it runs per row of a page). The dicts go out through
:mod:`app.rendering`, the one JSON writer.
"""
from __future__ import annotations

import sqlite3
from collections import namedtuple
from collections.abc import Sequence as SequenceABC
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable, Iterator, Mapping, Sequence, overload

import orjson
from peewee import SQL, ColumnBase, SqliteDatabase, fn

from ..models import database


class RowShape:
    """Selected columns with a name each: ``RowShape(secret=ApiKey.secret_key, ...)``.

    ``columns`` go to ``select(*shape.columns)``; :meth:`row` names a fetched tuple.
    """

    def __init__(self, typename: str, /, **columns: ColumnBase) -> None:
        self.columns: tuple[ColumnBase, ...] = tuple(columns.values())
        self.Row: Any = namedtuple(typename, columns)  # type: ignore[misc]
        #: ``row(values)``: the named tuple of one fetched row
        self.row: Callable[[Sequence[Any]], Any] = getattr(self.Row, "_make")


@dataclass(frozen=True)
class Member:
    """One member of a rendered dict: its name, the columns it reads and its value.

    ``text`` is a Python expression over ``$0``, ``$1``… (the member's columns in order),
    e.g. ``bool($0)``; its functions come from the shape's ``helpers``. A member without
    columns is a constant expression (``[]``, a new list per row).

    ``json``: the same value as a SQLite JSON expression over the member's columns, for
    :meth:`DictShape.json_object` (a member whose text is ``$0`` is its column as it is).
    """

    name: str
    columns: tuple[ColumnBase, ...]
    text: str
    json: Callable[..., ColumnBase] | None = None

    def json_value(self) -> ColumnBase:
        """The member's value in a SQLite ``json_object``."""
        if self.json is not None:
            return self.json(*self.columns)
        if self.text == "$0" and len(self.columns) == 1:
            return self.columns[0]
        raise ValueError(f"member {self.name!r} has no SQL JSON form")


def field(name: str, *columns: ColumnBase, text: str = "$0",
          json: Callable[..., ColumnBase] | None = None) -> Member:
    """A :class:`DictShape` member; by default the value as fetched."""
    return Member(name, columns, text, json)


def _generate(name: str, members: Sequence[Member], helpers: Mapping[str, Any]
              ) -> tuple[str, Callable[[Sequence[Any]], dict[str, Any]], dict[str, int]]:
    """The source and function ``render_<name>(row)`` returning the dict of ``members``, each
    member's text with ``$i`` replaced by its columns' variables; and the position of each
    member's first column in a row."""
    parts: list[str] = []
    names: list[str] = []
    position: dict[str, int] = {}
    for item in members:
        position[item.name] = len(names)
        values = [f"v{len(names) + i}" for i in range(len(item.columns))]
        names += values
        text = item.text
        for index in reversed(range(len(values))):  # $10 before $1
            text = text.replace(f"${index}", values[index])
        parts.append(f"{item.name!r}: {text}")
    unpack = f"    ({', '.join(names)},) = row\n" if names else ""
    source = f"def render_{name}(row):\n{unpack}    return {{{', '.join(parts)}}}\n"
    namespace: dict[str, Any] = dict(helpers)
    exec(compile(source, f"<shape {name}>", "exec"), namespace)  # noqa: S102
    return source, namespace[f"render_{name}"], position


class DictShape:
    """A dict rendered from one row: ``render(row)`` → ``{"a": …, "b": …}`` in member order."""

    def __init__(self, name: str, members: Sequence[Member],
                 helpers: Mapping[str, Any] | None = None) -> None:
        self.name = name
        self.members = tuple(members)
        self.columns: tuple[ColumnBase, ...] = tuple(
            column for item in self.members for column in item.columns)
        #: ``source``: the generated function; ``position``: where each member's first
        #: column is in a row, by member name
        self.source, self.render, self.position = _generate(name, self.members, helpers or {})

    def with_helpers(self, name: str, helpers: Mapping[str, Any]) -> DictShape:
        """The same members and columns rendered with other ``helpers`` (another form of
        the same shape)."""
        return DictShape(name, self.members, helpers)

    def json_object(self) -> ColumnBase:
        """The shape as one SQLite ``json_object`` column: the JSON text of what
        :attr:`render` makes of the same row, written by the store."""
        pairs: list[Any] = []
        for item in self.members:
            pairs += (sql_literal(item.name), item.json_value())
        return fn.json_object(*pairs)


def sql_literal(value: str | int) -> ColumnBase:
    """A constant written into the SQL rather than bound: a statement's own text, not a
    parameter to bind on every run."""
    if isinstance(value, int):
        return SQL(str(int(value)))
    return SQL("'" + value.replace("'", "''") + "'")


#: SQLite has its JSON functions built in from 3.38
_SQLITE_HAS_JSON = sqlite3.sqlite_version_info >= (3, 38)


def json_pages() -> bool:
    """Whether the bound store writes :class:`JsonArray` pages: SQLite with its JSON
    functions built in."""
    return _SQLITE_HAS_JSON and isinstance(database.obj, SqliteDatabase)


class JsonArrayQuery:
    """A query of one JSON object column (``column``) as one row: the JSON array of its
    objects (``[]`` for none), in the query's order: SQLite runs a subquery with
    ``LIMIT`` as a co-routine and the aggregate takes its rows as they come. SQLite
    does not document that order for ``group_concat`` (3.44 adds ``ORDER BY`` to
    aggregates), so ``tests/activities/test_json_pages.py`` checks it."""

    def __init__(self, query: Any, column: str) -> None:
        self.query = query
        self.column = column

    def sql(self) -> tuple[str, list[Any]]:
        """The SQL and its parameters (as Peewee's ``query.sql()``)."""
        sql, params = self.query.sql()
        return (f"SELECT coalesce('[' || group_concat(\"{self.column}\", ',') || ']', '[]') "
                f"FROM ({sql}) AS \"page\"", params)


class JsonArray(SequenceABC):
    """Rendered rows the store wrote as one JSON array (:meth:`DictShape.json_object`):
    :mod:`app.rendering` writes the text as it is; a reader of the items gets them
    decoded (once)."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def items(self) -> list[Any]:
        """The decoded items."""
        return orjson.loads(self.text)  # type: ignore[no-any-return]

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...

    def __getitem__(self, index: int | slice) -> Any:
        return self.items[index]

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, JsonArray):
            return self.items == other.items
        return self.items == other

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"JsonArray({self.text!r})"
