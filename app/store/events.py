"""Writing the event log: every change records its events in its own transaction.

Two ways in, both ending in the same index rows:

* :func:`record` for changes of a few objects: the events as Python values.
* :func:`record_selected` for bulk changes: one ``INSERT … SELECT`` whose query yields the
  event columns (:data:`EVENT_COLUMNS`, in that order) for every changed row — no Python
  loop per row. Build the JSON columns (``details``, ``link``, ``streams``,
  ``followers``) as JSON text in SQL.

Both then copy the new events' streams and followers into :class:`EventStream` and
:class:`EventFollower` with one ``INSERT … SELECT`` each over the JSON arrays.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from functools import reduce
from typing import Any, Iterable, Union

from peewee import Node, PostgresqlDatabase, Select, Value, fn

from app.models import Event, EventFollower, EventStream, database

#: the columns an ``INSERT … SELECT`` of :func:`record_selected` fills, in order
EVENT_COLUMNS = (Event.account, Event.time, Event.actor, Event.type, Event.action,
                 Event.target, Event.preposition, Event.description, Event.topic,
                 Event.details, Event.link, Event.streams, Event.followers)


@dataclass(frozen=True)
class NewEvent:
    """One event to record; ``account_id`` and ``actor`` come from :func:`record`."""

    type: str
    action: str
    target: str
    topic: str = ""
    description: str = ""
    preposition: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    link: list[Any] | None = None
    streams: list[str] = field(default_factory=list)
    followers: list[str] = field(default_factory=list)


def now() -> int:
    """The event time of a change made now: seconds since the epoch."""
    return int(time.time())


def record(account_id: int, actor: str | None, events: Iterable[NewEvent],
           at: int | None = None) -> None:
    """Append ``events`` (one insert), acted by ``actor`` (a username; ``None``: the system)."""
    stamp = now() if at is None else at
    rows = [{"account": account_id, "time": stamp, "actor": actor, "type": e.type,
             "action": e.action, "target": e.target, "preposition": e.preposition,
             "description": e.description, "topic": e.topic, "details": e.details,
             "link": e.link, "streams": e.streams, "followers": e.followers}
            for e in events]
    if not rows:
        return
    mark = _watermark()
    Event.insert_many(rows).execute()
    _index_since(account_id, mark)


def record_selected(account_id: int, query: Select) -> None:
    """Append one event per row of ``query``, whose columns are :data:`EVENT_COLUMNS`."""
    mark = _watermark()
    Event.insert_from(query, list(EVENT_COLUMNS)).execute()
    _index_since(account_id, mark)


def _watermark() -> int:
    """The highest event id visible now: the events this transaction adds come after it."""
    return database.execute_sql("SELECT COALESCE(MAX(id), 0) FROM event").fetchone()[0]


def _index_since(account_id: int, mark: int) -> None:
    """Copy the streams and followers of the account's events after ``mark`` into the index
    tables. Another transaction's events after ``mark`` are indexed already (by that
    transaction) or invisible (not committed), so conflicts are skipped, not doubled."""
    for table, column, source in ((EventStream, "stream", "streams"),
                                  (EventFollower, "username", "followers")):
        if isinstance(database.obj, PostgresqlDatabase):
            elements = f"json_array_elements_text(e.{source}::json) AS j(value)"
            conflict = " ON CONFLICT DO NOTHING"
            insert = "INSERT INTO"
        else:
            elements = f"json_each(e.{source}) AS j"
            conflict = ""
            insert = "INSERT OR IGNORE INTO"
        database.execute_sql(
            f"{insert} {table._meta.table_name} (account_id, {column}, event_id) "
            f"SELECT e.account_id, j.value, e.id FROM event AS e, {elements} "
            f"WHERE e.account_id = %s AND e.id > %s{conflict}".replace(
                "%s", database.param), (account_id, mark))


# --- JSON text built in SQL, for the columns of record_selected's query ----------------------

#: a piece of SQL JSON text: literal text (a ``str``) or an SQL expression yielding text
Part = Union[str, Node]


@dataclass(frozen=True)
class JsonSql:
    """JSON text assembled in SQL from literal text and SQL expressions (ints, escaped text).

    Adjacent literals are merged, so ``["activity-" || id, "account-acme"]`` is three binds.
    """

    parts: tuple[Part, ...]

    def sql(self) -> Node:
        """The SQL expression (``||`` of the parts), portable on SQLite and PostgreSQL."""
        merged: list[Part] = []
        for part in self.parts:
            if isinstance(part, str) and merged and isinstance(merged[-1], str):
                merged[-1] += part
            else:
                merged.append(part)
        nodes = [Value(p) if isinstance(p, str) else p for p in merged]
        return reduce(lambda left, right: left.concat(right), nodes)


JsonItem = Union[JsonSql, str, int, float, bool, None, list, dict]


def escaped(expr: Node) -> Node:
    """A text expression escaped for the inside of a JSON string (backslash and quote)."""
    return fn.REPLACE(fn.REPLACE(expr, "\\", "\\\\"), '"', '\\"')


def json_string(*parts: Part) -> JsonSql:
    """A JSON string of the concatenated ``parts``: ``str`` parts are escaped here; SQL parts
    go in as they are (ints, or text passed through :func:`escaped`)."""
    inner = [json.dumps(p)[1:-1] if isinstance(p, str) else p for p in parts]
    return JsonSql(("\"", *inner, "\""))


def _item(value: JsonItem) -> tuple[Part, ...]:
    if isinstance(value, JsonSql):
        return value.parts
    if isinstance(value, Node):
        return (value,)  # an SQL number
    return (json.dumps(value, separators=(",", ":")),)


def json_array(*items: JsonItem) -> JsonSql:
    """A JSON array of ``items``: :class:`JsonSql` pieces, SQL numbers or Python values."""
    parts: list[Part] = ["["]
    for n, item in enumerate(items):
        if n:
            parts.append(",")
        parts.extend(_item(item))
    parts.append("]")
    return JsonSql(tuple(parts))


def json_object(pairs: dict[str, JsonItem]) -> JsonSql:
    """A JSON object of ``pairs``: values are :class:`JsonSql`, SQL numbers or Python values."""
    parts: list[Part] = ["{"]
    for n, (key, value) in enumerate(pairs.items()):
        parts.append(("," if n else "") + json.dumps(key) + ":")
        parts.extend(_item(value))
    parts.append("}")
    return JsonSql(tuple(parts))


def text(*parts: Part) -> Node:
    """Plain SQL text: the concatenation of literal ``str`` parts and SQL expressions."""
    return JsonSql(parts).sql()
