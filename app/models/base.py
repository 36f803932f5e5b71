"""The database proxy and the base model every table derives from."""
from __future__ import annotations

import json
from datetime import datetime, timezone

from peewee import DatabaseProxy, Model, TextField

#: Bound to a real SQLite or PostgreSQL database by :func:`app.db.init_database`.
database = DatabaseProxy()


class BaseModel(Model):
    """Base for all actiongate tables."""

    class Meta:
        database = database
        legacy_table_names = False


class JSONField(TextField):
    """A JSON document stored as text (portable across SQLite and PostgreSQL)."""

    def db_value(self, value):
        return None if value is None else json.dumps(value, separators=(",", ":"))

    def python_value(self, value):
        return None if value is None else json.loads(value)


def utcnow() -> datetime:
    """The current UTC time as a naive datetime, to the second (the wire precision)."""
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
