"""The catalogue log: every change writes its success message with the user and time."""
from __future__ import annotations

from typing import Iterable

from peewee import chunked

from app.models import Account, CatalogueLog, utcnow

#: rows per INSERT: five values each, below SQLite's bound-parameter limit (32,766)
CHUNK = 2000


def record(account: Account, user: str, lines: Iterable[tuple[int | None, str]]) -> None:
    """Write one log line per ``(package id or None, message)``, in inserts of
    :data:`CHUNK` rows (a bulk change of thousands of listings writes as many lines)."""
    now = utcnow()
    rows = [{"account": account.id, "user": user, "change_time": now, "package": package,
             "description": message} for package, message in lines]
    for batch in chunked(rows, CHUNK):
        CatalogueLog.insert_many(batch).execute()
