"""Keyset pagination: signed cursors and the range condition that continues after one.

A page is ordered by one column and the id in the same direction; a cursor carries the last
item's values of both, the order and the account, signed with the gateway's secret key
(opaque to clients, tamper-evident). The next page is ``(column, id) < (value, id)`` (or
``>``): a range scan from the cursor on an index ending in ``(column, id)``, which costs the
same on page 5,000 as on page 1 and never skips or repeats an item when rows are inserted
between pages. Null values (an unfinished activity's completion time) sort as the largest
value, as PostgreSQL sorts them, on both stores.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from peewee import ColumnBase, Field, Tuple

from .errors import BadRequest

_SALT = "actiongate.keyset"


class InvalidCursor(BadRequest):
    """400: a cursor that was not issued for this account and order, or was altered."""

    code = "InvalidCursor"

    def __init__(self) -> None:
        super().__init__("The cursor is invalid (altered, or issued for another account, "
                         "order or list)")


@dataclass(frozen=True)
class Ordering:
    """An order of a list: ``column`` then ``identity``, both ascending or descending."""

    name: str
    column: Field
    identity: Field
    descending: bool

    @property
    def label(self) -> str:
        return f"{'desc' if self.descending else 'asc'}({self.name})"

    def order_by(self) -> tuple[Any, ...]:
        """The ORDER BY terms (nulls as the largest value)."""
        if self.column is self.identity:
            return (self.identity.desc() if self.descending else self.identity.asc(),)
        if self.descending:
            return (self.column.desc(nulls="FIRST"), self.identity.desc())
        return (self.column.asc(nulls="LAST"), self.identity.asc())

    def after(self, key: tuple[Any, int]) -> ColumnBase:
        """The rows that follow the row whose sort key is ``key``."""
        value, identity = key
        if self.column is self.identity:
            return self.identity < identity if self.descending else self.identity > identity
        if value is None:
            later_nulls = (self.column.is_null()
                           & ((self.identity < identity) if self.descending
                              else (self.identity > identity)))
            return later_nulls | self.column.is_null(False) if self.descending else later_nulls
        row = Tuple(self.column, self.identity)
        bound = Tuple(self.column.to_value(value), identity)
        if self.descending:
            return row < bound
        return (row > bound) | self.column.is_null() if self.column.null else row > bound


class Cursors:
    """Cursors of one list (``scope``) signed with ``secret``."""

    def __init__(self, secret: str, scope: str) -> None:
        self._serializer = URLSafeSerializer(secret, salt=f"{_SALT}.{scope}")

    def encode(self, account_id: int, ordering: Ordering, key: tuple[Any, int]) -> str:
        """The cursor after the row whose sort key is ``key``."""
        value, identity = key
        if isinstance(value, datetime):
            value = value.isoformat(sep=" ")
        return self._serializer.dumps([account_id, ordering.label, value, identity])

    def decode(self, cursor: str, account_id: int, ordering: Ordering) -> tuple[Any, int]:
        """The sort key in ``cursor``; :class:`InvalidCursor` unless it was issued for this
        account and order."""
        try:
            account, label, value, identity = self._serializer.loads(cursor)
        except (BadSignature, ValueError, TypeError):
            raise InvalidCursor() from None
        if account != account_id or label != ordering.label or not isinstance(identity, int):
            raise InvalidCursor()
        if value is not None and ordering.column is not ordering.identity:
            try:
                value = datetime.fromisoformat(value)
            except (TypeError, ValueError):
                raise InvalidCursor() from None
        return value, identity
