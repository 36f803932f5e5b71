"""The schema version table that `init-db` uses to run migrations."""
from __future__ import annotations

from peewee import IntegerField

from .base import BaseModel


class SchemaVersion(BaseModel):
    """A single row holding the version of the schema in the store."""

    version = IntegerField()
