"""API keys (SigV2 access/secret pairs) held by persons or computers."""
from __future__ import annotations

from peewee import AutoField, BooleanField, CharField, DateTimeField, ForeignKeyField

from .accounts import Person
from .base import BaseModel, utcnow
from .computers import Computer


class ApiKey(BaseModel):
    """An access/secret key pair; exactly one of ``person`` and ``computer`` is set.

    The secret is stored as issued: HMAC verification needs the secret itself.
    """

    id = AutoField()
    access_key = CharField(unique=True, max_length=20)
    secret_key = CharField(max_length=40)
    person = ForeignKeyField(Person, null=True, backref="keys", on_delete="CASCADE")
    computer = ForeignKeyField(Computer, null=True, backref="keys", on_delete="CASCADE")
    revoked = BooleanField(default=False)
    creation_time = DateTimeField(default=utcnow)
