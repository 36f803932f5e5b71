"""The transaction every writing action runs in."""
from __future__ import annotations

from typing import Any

from app.models import database


def transaction() -> Any:
    """A context manager: one transaction (a savepoint when one is already open)."""
    return database.atomic()
