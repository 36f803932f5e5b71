"""Wire formats of times: ``YYYY-MM-DDTHH:MM:SSZ`` (activities) and the catalogue's forms.

Pages select their times as text (:func:`wire_time`: PostgreSQL writes the wire format,
SQLite gives its stored text) and a shape's member cuts the wire format from it
(:func:`time_field`: two slices, cheaper than SQLite's ``substr``); :func:`to_wire` formats
one value in Python.
"""
from __future__ import annotations

from datetime import datetime

from peewee import ColumnBase, PostgresqlDatabase, fn

from .models import database
from .store.rows import Member, field, sql_literal as lit

WIRE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def to_wire(moment: datetime | str | None) -> str | None:
    """A stored time as ``2012-03-06T18:52:09Z`` (``None`` stays ``None``): a naive UTC
    datetime, or the ``YYYY-MM-DD HH:MM:SS`` text SQLite gives raw cursors."""
    if moment is None:
        return None
    if moment.__class__ is str:
        return f"{moment[:10]}T{moment[11:19]}Z"
    # isoformat pads years before 1000 to four digits (strftime's %Y does not on glibc)
    # and costs a tenth as much.
    return f"{moment.isoformat(timespec='seconds')}Z"  # type: ignore[union-attr]


def from_wire(text: str | None) -> datetime | None:
    """Parse ``2012-03-06T18:52:09Z`` back to a naive UTC datetime."""
    return None if text is None else datetime.strptime(text, WIRE_FORMAT)


class WireTime(ColumnBase):
    """A time column selected as text from which :data:`WIRE_TEXT` cuts the wire format
    (NULL stays NULL), rendered for the store the query runs on."""

    def __init__(self, column: ColumnBase) -> None:
        super().__init__()
        self.column = column

    def __sql__(self, ctx):  # type: ignore[no-untyped-def]
        if isinstance(database.obj, PostgresqlDatabase):
            # a ``timestamp``: to_char pads years to four digits, as isoformat does
            ctx.literal("to_char(").sql(self.column).literal(
                ", 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')")
        else:
            # SQLite keeps ``YYYY-MM-DD HH:MM:SS[.ffffff]`` text: cut in Python
            ctx.sql(self.column)
        return ctx


def wire_time(column: ColumnBase) -> ColumnBase:
    """``column`` (a time) selected as text :data:`WIRE_TEXT` turns into the wire format
    (see :class:`WireTime`)."""
    return WireTime(column)


#: A :class:`~app.store.rows.DictShape` member's expression: the wire format of a
#: :func:`wire_time` value, either form (the wire text itself, or ``YYYY-MM-DD HH:MM:SS``
#: with or without fractions), as :func:`to_wire` writes it; ``None`` stays ``None``.
WIRE_TEXT = "None if $0 is None else f'{$0[:10]}T{$0[11:19]}Z'"


def _sqlite_wire_text(selected: ColumnBase) -> ColumnBase:
    # what WIRE_TEXT makes of SQLite's stored text, in SQL (JSON pages)
    return fn.substr(fn.replace(selected, lit(" "), lit("T")), lit(1), lit(19)).concat(lit("Z"))


def time_field(name: str, column: ColumnBase) -> Member:
    """A shape member: the time ``column`` in the wire format."""
    return field(name, wire_time(column), text=WIRE_TEXT, json=_sqlite_wire_text)
