"""Reading the event log: pages of an account's events, newest first, as index range scans,
rendered in one of the two shapes declared here.

A page is ``id < after`` (the keyset: event ids only grow) in descending id order, read
through the one index that matches the filters, so a deep page costs what the first does:

* ``stream``: :class:`EventStream` (primary key ``account, stream, event``) joined to
  :class:`Event`;
* ``follower`` (no stream): :class:`EventFollower` (``account, username, event``);
* otherwise :class:`Event`'s ``(account, type, id)``, ``(account, actor, id)``,
  ``(account, target, id)`` or ``(account, id)`` index.

The other filters given, and a compiled query (``GetEvents``), are checked on the rows the
scan yields (a follower through its primary key), so any combination stays correct.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Mapping, Sequence

from peewee import ColumnBase, PostgresqlDatabase, Select, fn

from app.models import Event, EventFollower, EventStream, JSONField, database

from .rows import DictShape, field


def _loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


_JSON = {"loads": _loads}

#: An event as ``GetEventStream`` and ``PostEvent`` answer it: its columns by their names
EVENT = DictShape("event", [
    field(column.name, column, text="loads($0)" if isinstance(column, JSONField) else "$0")
    for column in (Event.id, Event.time, Event.actor, Event.type, Event.action, Event.target,
                   Event.preposition, Event.description, Event.topic, Event.details,
                   Event.link, Event.streams, Event.followers)], _JSON)

#: An event in Swarm's entry shape (DIALECTS.md §3): ``GetEvents``' entries and the Swarm
#: dialect's
ENTRY = DictShape("event_entry", [
    field("id", Event.id), field("type", Event.type),
    field("link", Event.link, text="loads($0)"), field("user", Event.actor),
    field("behalfOf", text="None"), field("action", Event.action),
    field("target", Event.target), field("preposition", Event.preposition),
    field("description", Event.description),
    field("details", Event.details, text="loads($0)"), field("topic", Event.topic),
    field("depotFile", text="None"), field("time", Event.time),
    field("projects", text="[]"),
    field("followers", Event.followers, text="loads($0)"),
    field("streams", Event.streams, text="loads($0)"), field("change", text="None"),
], _JSON)

#: :data:`ENTRY` rendered from an :data:`EVENT` dict (its JSON members decoded already)
_ENTRY_OF_EVENT = ENTRY.with_helpers("event_entry_of_event", {"loads": lambda value: value})
_ENTRY_ROW = itemgetter(*(column.name for column in ENTRY.columns))


def entry(event: Mapping[str, Any]) -> dict[str, Any]:
    """An event of :data:`EVENT`'s shape in :data:`ENTRY`'s."""
    return _ENTRY_OF_EVENT.render(_ENTRY_ROW(event))


@dataclass(frozen=True)
class EventFilter:
    """What a page is restricted to; ``None`` filters nothing."""

    type: str | None = None
    stream: str | None = None
    #: a username among the event's followers
    follower: str | None = None
    #: the acting person's username
    actor: str | None = None
    target: str | None = None


def page(account_id: int, filters: EventFilter, after: int | None, limit: int,
         condition: ColumnBase | None = None, shape: DictShape = EVENT
         ) -> list[dict[str, Any]]:
    """The account's events matching ``filters`` and ``condition`` with ``id < after`` (all
    when ``None``), newest first, at most ``limit``, rendered by ``shape``."""
    query = page_query(account_id, filters, after, limit, condition, shape.columns)
    return [shape.render(row) for row in database.execute(query)]


def page_query(account_id: int, filters: EventFilter, after: int | None, limit: int,
               condition: ColumnBase | None = None,
               columns: Sequence[ColumnBase] = EVENT.columns) -> Select:
    """The query of :func:`page` (its plan is tested)."""
    if filters.stream is not None:
        query, key = _through(EventStream, EventStream.stream, filters.stream, account_id,
                              columns)
    elif filters.follower is not None:
        query, key = _through(EventFollower, EventFollower.username, filters.follower,
                              account_id, columns)
    else:
        query = Event.select(*columns).where(Event.account == account_id)
        key = Event.id
    if after is not None:
        query = query.where(key < after)
    if filters.follower is not None and filters.stream is not None:
        query = query.where(fn.EXISTS(
            EventFollower.select(EventFollower.event)
            .where(EventFollower.account == account_id,
                   EventFollower.username == filters.follower,
                   EventFollower.event == Event.id)))
    for column, value in ((Event.type, filters.type), (Event.actor, filters.actor),
                          (Event.target, filters.target)):
        if value is not None:
            query = query.where(column == value)
    if condition is not None:
        query = query.where(condition)
    return query.order_by(key.desc()).limit(limit)


def _through(index: type[EventStream] | type[EventFollower], column: ColumnBase, value: str,
             account_id: int, columns: Sequence[ColumnBase]) -> tuple[Select, ColumnBase]:
    """The account's events whose row of the ``index`` table (primary key ``account,
    column, event``) has ``value``, read through that table; and its event column."""
    query = (index.select(*columns).join(Event, on=(Event.id == index.event))
             .where(index.account == account_id, column == value))
    return query, index.event


def event(account_id: int, event_id: int) -> dict[str, Any] | None:
    """One event of the account in :data:`EVENT`'s shape, or None."""
    row = database.execute(Event.select(*EVENT.columns).where(
        Event.account == account_id, Event.id == event_id)).fetchone()
    return None if row is None else EVENT.render(row)


def last_recorded_id() -> int:
    """The id of the last event this connection inserted (call it in the transaction that
    recorded it, before any other event insert): the session's sequence value on
    PostgreSQL; on SQLite, whose writers hold the database lock until they commit, the
    highest id."""
    if isinstance(database.obj, PostgresqlDatabase):
        sql = "SELECT currval(pg_get_serial_sequence('event', 'id'))"
    else:
        sql = "SELECT MAX(id) FROM event"
    return int(database.execute_sql(sql).fetchone()[0])
