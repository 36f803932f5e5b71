"""The package catalogue (CATALOGUE.md §1).

``Package`` is the one package table: the activity-creating actions check package names
against it and the catalogue actions manage it.
"""
from __future__ import annotations

import time

from peewee import AutoField, BooleanField, CharField, FloatField, ForeignKeyField, TextField

from .accounts import Account
from .base import BaseModel

PACKAGE_STATUSES = ("Approved", "Orphaned", "Retired", "Removed")


class Package(BaseModel):
    """A package of an account's catalogue; (account, name, namespace) is unique."""

    id = AutoField()
    account = ForeignKeyField(Account, backref="packages", on_delete="CASCADE")
    name = CharField()
    namespace = CharField(default="rpms")
    summary = TextField(default="")
    description = TextField(null=True)
    status = CharField(default="Approved")
    review_url = TextField(null=True)
    upstream_url = TextField(null=True)
    creation_date = FloatField(default=time.time)
    #: "true", "false" or "nobuild" (pkgdb2's three-valued monitoring flag)
    monitor = CharField(default="false")
    koschei_monitor = BooleanField(default=False)

    class Meta:
        indexes = ((("account", "name", "namespace"), True),)
