"""Reading the event log: pages of an account's events, newest first, as index range scans.

A page is ``id < after`` (the keyset: event ids only grow) in descending id order, read
through the one index that matches the filters, so a deep page costs what the first does:

* ``stream``: :class:`EventStream` (primary key ``account, stream, event``) joined to
  :class:`Event`;
* ``follower`` (no stream): :class:`EventFollower` (``account, username, event``);
* otherwise :class:`Event`'s ``(account, type, id)``, ``(account, actor, id)``,
  ``(account, target, id)`` or ``(account, id)`` index.

The other filters given are checked on the rows the scan yields (a follower through its
primary key), so any combination stays correct.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from peewee import PostgresqlDatabase, Select, fn

from app.models import Event, EventFollower, EventStream, database

#: the columns of an event as the reads give it, by output name
EVENT_COLUMNS = {"id": Event.id, "time": Event.time, "actor": Event.actor,
                 "type": Event.type, "action": Event.action, "target": Event.target,
                 "preposition": Event.preposition, "description": Event.description,
                 "topic": Event.topic, "details": Event.details, "link": Event.link,
                 "streams": Event.streams, "followers": Event.followers}


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


def page(account_id: int, filters: EventFilter, after: int | None, limit: int
         ) -> list[dict[str, Any]]:
    """The account's events matching ``filters`` with ``id < after`` (all when ``None``),
    newest first, at most ``limit``: dicts keyed as :data:`EVENT_COLUMNS`."""
    return list(page_query(account_id, filters, after, limit).dicts())


def page_query(account_id: int, filters: EventFilter, after: int | None, limit: int
               ) -> Select:
    """The query of :func:`page` (its plan is tested)."""
    columns = [column.alias(name) for name, column in EVENT_COLUMNS.items()]
    if filters.stream is not None:
        query = (EventStream.select(*columns)
                 .join(Event, on=(Event.id == EventStream.event))
                 .where(EventStream.account == account_id,
                        EventStream.stream == filters.stream))
        key = EventStream.event
    elif filters.follower is not None:
        query = (EventFollower.select(*columns)
                 .join(Event, on=(Event.id == EventFollower.event))
                 .where(EventFollower.account == account_id,
                        EventFollower.username == filters.follower))
        key = EventFollower.event
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
    for name in ("type", "actor", "target"):
        value = getattr(filters, name)
        if value is not None:
            query = query.where(EVENT_COLUMNS[name] == value)
    return query.order_by(key.desc()).limit(limit)


def event(account_id: int, event_id: int) -> dict[str, Any] | None:
    """One event of the account, keyed as :data:`EVENT_COLUMNS`, or None."""
    columns = [column.alias(name) for name, column in EVENT_COLUMNS.items()]
    return (Event.select(*columns)
            .where(Event.account == account_id, Event.id == event_id).dicts().first())


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
