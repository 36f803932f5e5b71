"""Accounts, persons, their groups and API keys."""
from __future__ import annotations

from peewee import (AutoField, BooleanField, CharField, DateTimeField, ForeignKeyField,
                    IntegerField, TextField)

from .base import BaseModel, utcnow
from .enums import Role


class Account(BaseModel):
    """A tenant: everything else belongs to exactly one account."""

    id = AutoField()
    name = CharField(unique=True)
    title = CharField(default="")
    require_approval = BooleanField(default=False)


class Person(BaseModel):
    """A human user of an account."""

    id = AutoField()
    account = ForeignKeyField(Account, backref="persons", on_delete="CASCADE")
    email = CharField()
    #: lower-cased e-mail, unique across the store (e-mails are case-insensitive)
    email_key = CharField(unique=True)
    name = CharField()
    username = CharField()
    role = CharField(default=Role.AUDITOR)
    disabled = BooleanField(default=False)
    password_hash = TextField(null=True)
    token_generation = IntegerField(default=0)
    creation_time = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("account", "username"), True),)


class PersonGroup(BaseModel):
    """Membership of a person in a named group (``packager``, ``gtk-sig``...)."""

    person = ForeignKeyField(Person, backref="group_rows", on_delete="CASCADE")
    name = CharField()

    class Meta:
        indexes = ((("person", "name"), True), (("name",), False))
