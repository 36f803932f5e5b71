"""Reading the event log: the entry shape of Swarm's activity stream (DIALECTS.md §3), the
query vocabulary of ``GetEvents`` and its keyset page (newest first, ``after`` an exclusive
upper bound on ids).
"""
from __future__ import annotations

import json
from typing import Any

from peewee import ColumnBase

from app.models import Event, EventStream, database
from query_language.values import non_negative_integer
from query_language.vocabularies import Criterion, Vocabulary, any_of, compare, contains

from .rows import DictShape, field


def _loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


#: The entry of the stream in Swarm's shape, rendered from one row of ``ENTRY.columns``
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
], {"loads": _loads})


def _text(value: str) -> str:
    return value


def _in_stream(stream: str, account_id: int) -> ColumnBase:
    return Event.id.in_(EventStream.select(EventStream.event).where(
        (EventStream.account == account_id) & (EventStream.stream == stream)))


#: ``GetEvents``' query: ``type:``, ``action:``, ``stream:``, ``user:``, ``target:``, ``id:``;
#: a bare word is a substring of the target or the description
EVENT_VOCABULARY = Vocabulary(
    name="event",
    criteria={
        "id": Criterion(non_negative_integer("id"), compare(Event.id)),
        "type": Criterion(_text, compare(Event.type)),
        "action": Criterion(_text, compare(Event.action)),
        "user": Criterion(_text, compare(Event.actor)),
        "target": Criterion(_text, compare(Event.target)),
        "stream": Criterion(_text, _in_stream),
    },
    text=lambda value, account_id: any_of((contains(Event.target, value),
                                           contains(Event.description, value))),
)


def page(account_id: int, condition: ColumnBase | None, after: int | None,
         limit: int) -> list[dict[str, Any]]:
    """The account's entries matching ``condition``, newest first, ids below ``after``."""
    where = Event.account == account_id
    if condition is not None:
        where &= condition
    if after is not None:
        where &= Event.id < after
    query = (Event.select(*ENTRY.columns).where(where)
             .order_by(Event.id.desc()).limit(limit))
    return [ENTRY.render(row) for row in database.execute(query)]
