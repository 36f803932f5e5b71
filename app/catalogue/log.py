"""The catalogue log: every change writes its success message with the user and time."""
from __future__ import annotations

from typing import Iterable

from app.models import Account, CatalogueLog, utcnow


def record(account: Account, user: str, lines: Iterable[tuple[int | None, str]]) -> None:
    """Write one log line per ``(package id or None, message)``, in one insert."""
    now = utcnow()
    rows = [{"account": account.id, "user": user, "change_time": now, "package": package,
             "description": message} for package, message in lines]
    if rows:
        CatalogueLog.insert_many(rows).execute()
