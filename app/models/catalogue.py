"""The package catalogue (CATALOGUE.md §1): collections, packages, listings, ACLs, admin
actions and the catalogue log.

``Package`` is the one package table: the activity-creating actions check package names
against it and the catalogue actions manage it. Users (points of contact, ACL holders,
requesters) are persons' usernames, ``group::NAME`` or ``orphan``: plain strings, as in pkgdb2.
"""
from __future__ import annotations

import time

from peewee import (AutoField, BooleanField, CharField, DateTimeField, DoubleField,
                    ForeignKeyField, TextField)

from .accounts import Account
from .base import BaseModel, JSONField, utcnow
from .enums import AclStatus, CollectionStatus, PackageStatus


def epoch_now() -> float:
    """Now as pkgdb2's epoch timestamps: whole seconds, as a float."""
    return float(int(time.time()))


class Collection(BaseModel):
    """A branch of the distribution (``f20``, ``master``, ``el6``)."""

    id = AutoField()
    account = ForeignKeyField(Account, backref="collections", on_delete="CASCADE")
    name = CharField()
    version = CharField()
    status = CharField(default=CollectionStatus.ACTIVE)
    branchname = CharField()
    dist_tag = CharField()
    koji_name = CharField(null=True)
    allow_retire = BooleanField(default=False)
    date_created = DateTimeField(default=utcnow)
    date_updated = DateTimeField(default=utcnow)

    class Meta:
        indexes = (
            (("account", "branchname"), True),
            (("account", "dist_tag"), True),
            (("account", "name", "version"), True),
        )


class Package(BaseModel):
    """A package of an account's catalogue; (account, name, namespace) is unique."""

    id = AutoField()
    account = ForeignKeyField(Account, backref="packages", on_delete="CASCADE")
    name = CharField()
    namespace = CharField(default="rpms")
    summary = TextField(default="")
    description = TextField(null=True)
    status = CharField(default=PackageStatus.APPROVED)
    review_url = TextField(null=True)
    upstream_url = TextField(null=True)
    creation_date = DoubleField(default=epoch_now)
    #: "true", "false" or "nobuild" (pkgdb2's three-valued monitoring flag)
    monitor = CharField(default="false")
    koschei_monitor = BooleanField(default=False)

    class Meta:
        indexes = ((("account", "name", "namespace"), True),
                   (("account", "namespace", "name"), False))


class PackageListing(BaseModel):
    """A package on a collection, with its point of contact and status."""

    id = AutoField()
    package = ForeignKeyField(Package, backref="listings", on_delete="CASCADE")
    collection = ForeignKeyField(Collection, backref="listings", on_delete="CASCADE")
    point_of_contact = CharField()
    status = CharField(default=PackageStatus.APPROVED)
    critpath = BooleanField(default=False)
    status_change = DoubleField(default=epoch_now)

    class Meta:
        indexes = (
            (("package", "collection"), True),
            (("collection", "status"), False),
            (("point_of_contact",), False),
        )


class ListingACL(BaseModel):
    """One user's (or group's) ACL on a listing; (listing, fas_name, acl) is unique."""

    id = AutoField()
    listing = ForeignKeyField(PackageListing, backref="acls", on_delete="CASCADE")
    fas_name = CharField()
    acl = CharField()
    status = CharField(default=AclStatus.APPROVED)
    date_created = DateTimeField(default=utcnow)

    class Meta:
        table_name = "package_listing_acl"
        indexes = (
            (("listing", "fas_name", "acl"), True),
            (("fas_name", "status"), False),
            (("status", "acl", "listing"), False),
        )


class AdminAction(BaseModel):
    """A request for an admin (a new package, a new branch, an unretirement)."""

    id = AutoField()
    account = ForeignKeyField(Account, backref="admin_actions", on_delete="CASCADE")
    action = CharField()
    #: the requester's username
    user = CharField()
    status = CharField()
    #: NULL for request.package until the request is approved
    package = ForeignKeyField(Package, null=True, backref="admin_actions",
                              on_delete="CASCADE")
    collection = ForeignKeyField(Collection, backref="admin_actions", on_delete="CASCADE")
    from_collection = ForeignKeyField(Collection, null=True, backref="admin_actions_from",
                                      on_delete="SET NULL")
    info = JSONField(default=dict)
    message = TextField(null=True)
    date_created = DoubleField(default=epoch_now)
    date_updated = DoubleField(default=epoch_now)

    class Meta:
        indexes = (
            (("account", "user", "action", "package", "collection"), True),
            (("account", "date_created", "id"), False),
            (("account", "status"), False),
        )


class CatalogueLog(BaseModel):
    """One line of the catalogue log: who changed what, when (the success message)."""

    id = AutoField()
    account = ForeignKeyField(Account, backref="catalogue_log", on_delete="CASCADE")
    user = CharField()
    change_time = DateTimeField(default=utcnow)
    package = ForeignKeyField(Package, null=True, backref="log_lines", on_delete="SET NULL")
    description = TextField()

    class Meta:
        indexes = ((("account", "id"), False),)
