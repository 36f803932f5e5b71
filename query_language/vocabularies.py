"""Vocabulary types: the explicit tables that say what each ``KEY:`` of a query means in SQL,
and the SQL helpers their criteria are built from.

A vocabulary maps criterion names to :class:`Criterion` pairs: ``parse`` checks the text
of the value (raising :class:`ValueError` with the user-facing sentence) and ``build`` turns
the parsed value and the caller's account id into a Peewee expression.  To add one, build a
:class:`Vocabulary` in the store layer (``app.store.vocabularies``, which names the columns)
from the value parsers of :mod:`query_language.values` (``one_of``, ``boolean``,
``non_negative_integer``, ``parse_date``) and the SQL helpers below (``compare``,
``expression``, ``contains``, ``all_of``, ``any_of``, ``exists``, ``ids_where``,
:class:`Related`), and pass it to :func:`query_language.compile_query`.  The helpers build
Peewee nodes without Peewee's slower operators: prefer them on the hot path.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

from peewee import OP, ColumnBase, Field, Function, NodeList, Select

from .internals import expression, where_query

#: ``build(value, account_id)``: the expression for one parsed value in the caller's account
Builder = Callable[[Any, int], ColumnBase]


@dataclass(frozen=True, slots=True)
class Related:
    """Rows of another table that several criteria describe, e.g. the listings of a package.

    The ``build`` of such criteria returns a condition on those rows; terms of one AND that
    share a ``Related`` must hold for one row: ``wrap(cond_1 AND cond_2, account_id)``.
    """

    name: str
    #: the filter on the vocabulary's table: "has a row matching the condition"
    wrap: Callable[[ColumnBase, int], ColumnBase]


@dataclass(frozen=True, slots=True)
class Criterion:
    """One ``KEY:value`` of a vocabulary."""

    #: checks and converts the value text; raises ValueError("Invalid ...") when it is wrong
    parse: Callable[[str], Any]
    #: makes the SQL expression from the converted value and the caller's account id
    build: Builder
    #: when set, ``build`` describes a row of these related rows (see :class:`Related`)
    related: Related | None = None


@dataclass(frozen=True, slots=True)
class Subquery:
    """How ``computer:QUERY`` becomes a filter: ``build(computer_expression, account_id)``."""

    vocabulary: Vocabulary
    build: Callable[[ColumnBase, int], ColumnBase]


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The criteria one kind of query understands."""

    #: for messages and debugging, e.g. ``activity``
    name: str
    #: criterion name → how it parses and compiles
    criteria: Mapping[str, Criterion]
    #: ``text(value, account_id)``: what a bare word or quoted string means
    text: Callable[[str, int], ColumnBase]
    #: what ``computer:`` means here; None where it is not a criterion
    computer: Subquery | None = None
    #: whether some criterion has a :class:`Related` (the compiler then groups AND terms)
    has_related: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        related = any(criterion.related for criterion in self.criteria.values())
        object.__setattr__(self, "has_related", related)

    def names(self) -> list[str]:
        """Every criterion name, ``computer`` included when it is one, sorted."""
        names = list(self.criteria)
        if self.computer is not None:
            names.append("computer")
        return sorted(names)


# -- SQL building blocks ---------------------------------------------------------------------

# OP's attribute lookup is a Python call: read the operators once.
_ILIKE = OP.ILIKE


def all_of(expressions: Iterable[ColumnBase]) -> ColumnBase:
    """``(a AND b AND ...)`` as one node (Peewee's ``&`` nests a node per operand)."""
    return NodeList(tuple(expressions), " AND ", True)  # parens=True: a keyword costs 0.1 µs


def any_of(expressions: Iterable[ColumnBase]) -> ColumnBase:
    """``(a OR b OR ...)`` as one node."""
    return NodeList(tuple(expressions), " OR ", True)


def compare(column: ColumnBase, operator: str = OP.EQ) -> Builder:
    """The builder of ``column <operator> value``: ``compare(Activity.id)`` for ``id:N``."""
    return lambda value, account_id: expression(column, operator, value)


def contains(column: ColumnBase, text: str) -> ColumnBase:
    """``column.contains(text)``: a case-insensitive substring, ``%``, ``_`` and ``\\`` escaped."""
    if "%" in text or "_" in text or "\\" in text:
        return column.contains(text)  # Peewee adds the ESCAPE clause
    return expression(column, _ILIKE, f"%{text}%")


def exists(query: Select) -> ColumnBase:
    """``EXISTS(query)``: ``fn.EXISTS(query)`` without ``fn``'s Python ``__getattr__`` (0.6 µs)."""
    return Function("EXISTS", (query,))


def ids_where(column: Field) -> Callable[[ColumnBase], Select]:
    """``where(condition)`` of ``SELECT column FROM <its table>``: a sub-select factory.

    The base query is built once; ``where`` returns a new query and never changes it.
    """
    return where_query(column.model.select(column))
