"""Computers with their tags, annotations and network devices."""
from __future__ import annotations

from peewee import (AutoField, BooleanField, CharField, DateTimeField, ForeignKeyField,
                    IntegerField, TextField, fn)

from .accounts import Account
from .base import BaseModel, utcnow


class Computer(BaseModel):
    """A managed machine; its agent authenticates with its own API key."""

    id = AutoField()
    account = ForeignKeyField(Account, backref="computers", on_delete="CASCADE")
    title = CharField()
    hostname = CharField()
    distribution = CharField(default="")
    codename = CharField(default="")
    access_group = CharField(default="global")
    needs_reboot = BooleanField(default=False)
    last_ping_time = DateTimeField(null=True)
    registration_time = DateTimeField(default=utcnow)
    token_generation = IntegerField(default=0)

    class Meta:
        indexes = ((("account", "id"), False),)


# The case-insensitive hostname: and title: criteria (QUERY.md §3.2) compare LOWER(column).
# Besides finding those computers directly, the indexes give the planners statistics on
# the expressions, so that a page of one computer's activities starts from that computer.
Computer.add_index(Computer.index(Computer.account, fn.LOWER(Computer.hostname),
                                  name="computer_account_id_lower_hostname"))
Computer.add_index(Computer.index(Computer.account, fn.LOWER(Computer.title),
                                  name="computer_account_id_lower_title"))


class ComputerTag(BaseModel):
    """A tag on a computer (exact, case-sensitive)."""

    computer = ForeignKeyField(Computer, backref="tag_rows", on_delete="CASCADE")
    name = CharField()

    class Meta:
        indexes = ((("computer", "name"), True), (("name", "computer"), False))


class ComputerAnnotation(BaseModel):
    """A key/value annotation on a computer."""

    computer = ForeignKeyField(Computer, backref="annotation_rows", on_delete="CASCADE")
    key = CharField()
    value = TextField(default="")

    class Meta:
        indexes = ((("computer", "key"), True),)


class NetworkDevice(BaseModel):
    """One network interface: a MAC and/or an IP address, kept in registration order."""

    computer = ForeignKeyField(Computer, backref="network_rows", on_delete="CASCADE")
    position = IntegerField()
    mac_address = CharField(null=True)
    ip_address = CharField(null=True)

    class Meta:
        indexes = ((("computer", "position"), True),)
