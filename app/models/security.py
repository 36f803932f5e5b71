"""Security state shared by every worker and gateway instance: failed-login counters and
the signatures already accepted (when replay protection is on)."""
from __future__ import annotations

from peewee import CharField, DoubleField, IntegerField, TextField

from .base import BaseModel


class FailedLogin(BaseModel):
    """Failed logins of one subject: ``email:…``, ``key:…`` or ``address:…``."""

    subject = TextField(primary_key=True)
    failures = IntegerField()
    #: seconds since the epoch
    last_failure = DoubleField(index=True)


class SeenSignature(BaseModel):
    """A signature accepted for a writing action, kept until it can no longer be valid."""

    signature = CharField(primary_key=True)
    #: seconds since the epoch after which the signature's timestamp is out of its window
    expires = DoubleField(index=True)
