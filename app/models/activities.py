"""Activities: requests to computers, possibly grouped under an ActivityGroup parent."""
from __future__ import annotations

from peewee import (AutoField, CharField, DateTimeField, ForeignKeyField, IntegerField,
                    TextField)

from .accounts import Account, Person
from .base import BaseModel, JSONField, utcnow


class Activity(BaseModel):
    """One activity in the legacy shape of ACTIVITIES.md §3."""

    id = AutoField()
    # No single-column indexes on the three keys: the composite indexes below start with
    # each of them and serve their joins and cascades too.
    account = ForeignKeyField(Account, backref="activities", on_delete="CASCADE", index=False)
    type = CharField()
    summary = TextField(default="")
    activity_status = CharField()
    creator = ForeignKeyField(Person, null=True, backref="activities", on_delete="SET NULL",
                              index=False)
    #: not a foreign key: activities stay readable after their computer is removed
    computer_id = IntegerField(null=True)
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="CASCADE",
                             index=False)
    creation_time = DateTimeField(default=utcnow)
    modification_time = DateTimeField(default=utcnow)
    delivery_time = DateTimeField(null=True)
    completion_time = DateTimeField(null=True)
    approval_time = DateTimeField(null=True)
    deliver_after_time = DateTimeField(null=True)
    deliver_before_time = DateTimeField(null=True)
    result_text = TextField(null=True)
    result_code = IntegerField(null=True)
    progress = IntegerField(null=True)
    changes = JSONField(default=list)
    package_ids = JSONField(default=list)

    class Meta:
        # Lists are newest first with a LIMIT: each index that serves an equality filter
        # ends in (creation_time, id), so the page is read in order and no sort is needed.
        indexes = (
            (("account", "creation_time", "id"), False),
            (("account", "activity_status", "creation_time", "id"), False),
            # the Acronis filters and orders (type, updatedAt, completedAt)
            (("account", "type", "creation_time", "id"), False),
            (("account", "modification_time", "id"), False),
            (("account", "completion_time", "id"), False),
            (("computer_id", "activity_status"), False),
            (("computer_id", "creation_time", "id"), False),
            (("parent", "creation_time", "id"), False),
            (("creator", "creation_time", "id"), False),
        )
