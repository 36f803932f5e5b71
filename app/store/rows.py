"""Named row mapping: each rendered shape declares, once, the columns it selects and the
output field each one feeds, so that a new column is one edit.

:class:`RowShape` gives rows as named tuples (``row.secret``); :class:`DictShape` renders a
row straight to a dict with a function generated from the declaration, as fast as the
hand-written code it replaces (it runs per row of a page). The dicts go out through
:mod:`app.rendering`, the one JSON writer.
"""
from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

from peewee import ColumnBase


class RowShape:
    """Selected columns with a name each: ``RowShape(secret=ApiKey.secret_key, ...)``.

    ``columns`` go to ``select(*shape.columns)``; :meth:`row` names a fetched tuple.
    """

    def __init__(self, typename: str, /, **columns: ColumnBase) -> None:
        self.columns: tuple[ColumnBase, ...] = tuple(columns.values())
        self.Row: Any = namedtuple(typename, columns)  # type: ignore[misc]
        #: ``row(values)``: the named tuple of one fetched row
        self.row: Callable[[Sequence[Any]], Any] = getattr(self.Row, "_make")


@dataclass(frozen=True)
class Member:
    """One member of a rendered dict: its name, the columns it reads and its value.

    ``text`` is a Python expression over ``$0``, ``$1``… (the member's columns in order),
    e.g. ``bool($0)``; its functions come from the shape's ``helpers``. A member without
    columns is a constant expression (``[]``, a new list per row).
    """

    name: str
    columns: tuple[ColumnBase, ...]
    text: str


def field(name: str, *columns: ColumnBase, text: str = "$0") -> Member:
    """A :class:`DictShape` member; by default the value as fetched."""
    return Member(name, columns, text)


def _generate(name: str, members: Sequence[Member], helpers: Mapping[str, Any]
              ) -> tuple[str, Callable[[Sequence[Any]], dict[str, Any]], dict[str, int]]:
    """The source and function ``render_<name>(row)`` returning the dict of ``members``, each
    member's text with ``$i`` replaced by its columns' variables; and the position of each
    member's first column in a row."""
    parts: list[str] = []
    names: list[str] = []
    position: dict[str, int] = {}
    for item in members:
        position[item.name] = len(names)
        values = [f"v{len(names) + i}" for i in range(len(item.columns))]
        names += values
        text = item.text
        for index in reversed(range(len(values))):  # $10 before $1
            text = text.replace(f"${index}", values[index])
        parts.append(f"{item.name!r}: {text}")
    unpack = f"    ({', '.join(names)},) = row\n" if names else ""
    source = f"def render_{name}(row):\n{unpack}    return {{{', '.join(parts)}}}\n"
    namespace: dict[str, Any] = dict(helpers)
    exec(compile(source, f"<shape {name}>", "exec"), namespace)  # noqa: S102
    return source, namespace[f"render_{name}"], position


class DictShape:
    """A dict rendered from one row: ``render(row)`` → ``{"a": …, "b": …}`` in member order."""

    def __init__(self, name: str, members: Sequence[Member],
                 helpers: Mapping[str, Any] | None = None) -> None:
        self.name = name
        self.members = tuple(members)
        self.columns: tuple[ColumnBase, ...] = tuple(
            column for item in self.members for column in item.columns)
        #: ``source``: the generated function; ``position``: where each member's first
        #: column is in a row, by member name
        self.source, self.render, self.position = _generate(name, self.members, helpers or {})

    def with_helpers(self, name: str, helpers: Mapping[str, Any]) -> DictShape:
        """The same members and columns rendered with other ``helpers`` (another form of
        the same shape)."""
        return DictShape(name, self.members, helpers)
