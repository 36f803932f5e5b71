"""The event log: who changed what and when, one row per changed object (DIALECTS.md §3).

Events are never updated. The ``stream`` and ``followed`` filters read two index tables,
one row per (event, stream) and per (event, follower), so that every feed is a range scan
of an index in newest-first order.
"""
from __future__ import annotations

from peewee import (BigAutoField, BigIntegerField, CharField, CompositeKey, ForeignKeyField,
                    TextField)

from .accounts import Account
from .base import BaseModel, JSONField


class Event(BaseModel):
    """One entry of the activity stream, in the fields of Swarm's entry shape."""

    id = BigAutoField()
    account = ForeignKeyField(Account, on_delete="CASCADE", index=False)
    #: seconds since the epoch
    time = BigIntegerField()
    #: the acting person's username; ``None`` for the system
    actor = TextField(null=True)
    #: ``activity``, ``computer``, ``person``, ``key``, ``collection``, ``package``, ``acl``,
    #: ``admin_action`` or a caller's type
    type = CharField()
    #: the verb, past tense: ``canceled``, ``created``…
    action = CharField()
    #: what was changed, e.g. ``activity 85``
    target = TextField()
    preposition = TextField(default="")
    description = TextField(default="")
    #: e.g. ``activities/85``
    topic = TextField(default="")
    #: e.g. ``{"from": "unapproved", "to": "canceled"}``
    details = JSONField(default=dict)
    #: ``[type, {"id": …}]`` or ``None``
    link = JSONField(null=True)
    #: e.g. ``["activity-85", "computer-3", "user-jane", "account-acme"]``
    streams = JSONField(default=list)
    #: usernames
    followers = JSONField(default=list)

    class Meta:
        indexes = (
            (("account", "id"), False),
            (("account", "type", "id"), False),
            (("account", "actor", "id"), False),
            (("account", "target", "id"), False),
            (("time",), False),
        )


class EventStream(BaseModel):
    """An event's membership of one stream (a copy of ``Event.streams``, for the index)."""

    account = ForeignKeyField(Account, on_delete="CASCADE", index=False)
    stream = TextField()
    event = ForeignKeyField(Event, on_delete="CASCADE", index=False)

    class Meta:
        primary_key = CompositeKey("account", "stream", "event")
        indexes = ((("event",), False),)


class EventFollower(BaseModel):
    """A follower of an event (a copy of ``Event.followers``, for the index)."""

    account = ForeignKeyField(Account, on_delete="CASCADE", index=False)
    username = TextField()
    event = ForeignKeyField(Event, on_delete="CASCADE", index=False)

    class Meta:
        primary_key = CompositeKey("account", "username", "event")
        indexes = ((("event",), False),)
