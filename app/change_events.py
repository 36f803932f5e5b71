"""The events of activity, computer, person and key changes (DIALECTS.md §3).

Each function records the events of one change, inside its transaction, acted by
:func:`app.store.events.actor`. The bulk ones take the changed rows' condition and write one
``INSERT … SELECT``; call them where the rows still show what the event says (before an
update for a ``from`` status, before a delete).
"""
from __future__ import annotations

import json
from typing import Any, Sequence

from peewee import JOIN, Case, ColumnBase, Node, Value, chunked

from .idset import in_ids
from .models import (Activity, ActivityStatus, ApiKey, Computer, EventAction, EventType,
                     Person, PersonGroup)
from .store import events
from .store.events import JsonSql, escaped, json_array, json_object, json_string, text


def _constants(account_id: int, action: str, type_: EventType) -> tuple[list[str], list[Node]]:
    """The actor's and account's streams, and the leading constant columns of a select."""
    who = events.actor()
    base = events.base_streams(account_id, who)
    return base, [Value(account_id), Value(events.now()), Value(who), Value(type_.value),
                  Value(action)]


#: reapplied or reverted activities per event insert
REDO_BATCH = 2000


# --- activities ------------------------------------------------------------------------------


def activities(account_id: int, action: EventAction, where: ColumnBase, *,
               details: JsonSql | None = None, related: Node | None = None) -> None:
    """One ``action`` event per activity matching ``where`` (one ``INSERT … SELECT``).

    ``details``: the JSON of each event's details (SQL over the activity row; default
    ``{}``); ``related``: an SQL activity id whose stream the event joins too (a copy's).
    """
    base, leading = _constants(account_id, action, EventType.ACTIVITY)
    computer = Case(None, [(Activity.computer_id.is_null(), "")],
                    text(',"computer-', Activity.computer_id, '"'))
    streams: list[Any] = ['["activity-', Activity.id, '"']
    if related is not None:
        streams += [',"activity-', related, '"']
    streams += [computer, "".join("," + json.dumps(s) for s in base) + "]"]
    followers = Case(None, [(Person.username.is_null(), "[]")],
                     json_array(json_string(escaped(Person.username))).sql())
    query = (Activity
             .select(*leading, text("activity ", Activity.id), Value(""), Activity.summary,
                     text("activities/", Activity.id),
                     (details or json_object({})).sql(),
                     json_array("activity", json_object({"id": Activity.id})).sql(),
                     text(*streams), followers)
             .join(Person, on=(Activity.creator == Person.id), join_type=JOIN.LEFT_OUTER)
             .where(where & (Activity.account == account_id)).order_by(Activity.id))
    events.record_selected(account_id, query)


def status_change(to: ColumnBase | str) -> JsonSql:
    """The details of a status change from the row's current status to ``to``."""
    return json_object({"from": json_string(Activity.activity_status),
                        "to": json_string(to) if not isinstance(to, str) else to})


def activity_created(account_id: int, activity_id: int, children: int = 0) -> None:
    """The one event of a new lone activity or group (``children``: a group's count)."""
    pairs: dict[str, Any] = {"status": json_string(Activity.activity_status),
                             "type": json_string(escaped(Activity.type))}
    if children:
        pairs["children"] = children
    activities(account_id, EventAction.CREATED, Activity.id == activity_id,
               details=json_object(pairs))


def activity_reported(account_id: int, activity_id: int, status: str) -> None:
    """An agent's report completed the activity as ``succeeded`` or ``failed``."""
    action = EventAction(status)
    activities(account_id, action, Activity.id == activity_id,
               details=status_change(status))


def activities_redone(account_id: int, action: EventAction,
                      copies: Sequence[tuple[int, int]]) -> None:
    """Reapplied or reverted: one event per original, naming its copy (``(old, new)``)."""
    # Batches keep the CASE's bound pairs under SQLite's parameter limit.
    for batch in chunked(copies, REDO_BATCH):
        copy = Case(Activity.id, list(batch))
        activities(account_id, action, in_ids(Activity.id, [old for old, _ in batch]),
                   details=json_object({"copy": copy}), related=copy)


# --- computers -------------------------------------------------------------------------------


def computers(account_id: int, action: EventAction, where: ColumnBase, *,
              details: JsonSql | None = None) -> None:
    """One ``action`` event per computer matching ``where`` (one ``INSERT … SELECT``)."""
    base, leading = _constants(account_id, action, EventType.COMPUTER)
    streams = json_array(json_string("computer-", Computer.id), *base)
    query = (Computer
             .select(*leading, text("computer ", Computer.id), Value(""), Computer.title,
                     text("computers/", Computer.id), (details or json_object({})).sql(),
                     json_array("computer", json_object({"id": Computer.id})).sql(),
                     streams.sql(), Value("[]"))
             .where(where & (Computer.account == account_id)).order_by(Computer.id))
    events.record_selected(account_id, query)


def computer_registered(account_id: int, computer_id: int, tags: Sequence[str]) -> None:
    """A computer was registered (with ``tags``)."""
    computers(account_id, EventAction.REGISTERED, Computer.id == computer_id,
              details=json_object({"hostname": json_string(escaped(Computer.hostname)),
                                   "tags": list(tags)}))


def computers_renamed(account_id: int, where: ColumnBase, new_title: ColumnBase) -> None:
    """Renamed: call before the update, ``new_title`` the SQL of each new title."""
    computers(account_id, EventAction.RENAMED, where, details=json_object(
        {"from": json_string(escaped(Computer.title)),
         "to": json_string(escaped(new_title))}))


def computers_tagged(account_id: int, action: EventAction, where: ColumnBase,
                     tags: Sequence[str]) -> None:
    """Tagged or untagged with ``tags``."""
    computers(account_id, action, where, details=json_object({"tags": list(tags)}))


def power_requested(account_id: int, action: EventAction, computer_ids: Sequence[int],
                    activity_id: int) -> None:
    """Rebooted or shut down: the computers ``computer_ids`` by the activity group."""
    computers(account_id, action, in_ids(Computer.id, computer_ids),
              details=json_object({"activity": activity_id}))


# --- persons and keys -------------------------------------------------------------------------


def _one_event(account_id: int, type_: EventType, action: EventAction, target: str,
               topic: str, link_id: str, streams: list[str], description: str,
               details: dict[str, Any]) -> None:
    who = events.actor()
    streams = streams + [s for s in events.base_streams(account_id, who) if s not in streams]
    events.record(account_id, who, [events.NewEvent(
        type_.value, action.value, target, topic=topic, description=description,
        details=details, link=[type_.value, {"id": link_id}], streams=streams)])


def person_changed(person: Person, action: EventAction,
                   details: dict[str, Any] | None = None) -> None:
    """A person was created, edited or disabled."""
    _one_event(person.account_id, EventType.PERSON, action, f"person {person.username}",
               f"persons/{person.username}", person.username, [f"user-{person.username}"],
               person.name, details or {})


def key_changed(key: ApiKey, owner: Person | Computer, action: EventAction) -> None:
    """A person's (or computer's) key was created or revoked; the secret is never logged."""
    if isinstance(owner, Person):
        stream, description = f"user-{owner.username}", owner.name
        details: dict[str, Any] = {"person": owner.username}
    else:
        stream, description, details = f"computer-{owner.id}", owner.title, {"computer": owner.id}
    _one_event(owner.account_id, EventType.KEY, action, f"key {key.access_key}",
               f"keys/{key.access_key}", key.access_key, [f"key-{key.access_key}", stream],
               description, details)


def person_created(person: Person) -> None:
    """A person was created (details: role, e-mail and groups)."""
    groups = [row.name for row in person.group_rows.order_by(PersonGroup.name)]
    person_changed(person, EventAction.CREATED, {"role": str(person.role),
                                                 "email": person.email, "groups": groups})


#: the activity statuses an agent's report may set
REPORTED = (ActivityStatus.SUCCEEDED, ActivityStatus.FAILED)
