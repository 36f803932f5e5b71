"""Which pages of activities PostgreSQL reads with a generic plan: decided from the
store's value counts.

Planning a page query costs more than running it. A generic plan, made once per session,
is planned for an average value of each parameter: the account's activities newest first
by index, each checked by index lookups until the page is full. That is the plan a custom
one would be when every value the query filters on is common, and a disaster when one is
rare: for a tag that one computer carries, the whole account is read to find its few
activities, where the custom plan starts from that computer. So a first page (offset 0)
runs the generic plan when the values it filters on let through enough rows: with each
value letting through the share of its column's rows that PostgreSQL's statistics count
(``pg_stats``: the most common values and their frequencies), and ``AND``, ``OR`` and
``NOT`` combining shares as for independent events, a query that lets through the share
``s`` of the rows meets about ``limit / s`` candidates when read newest first, and that
must stay within :data:`MAX_CANDIDATES`; a value missing from the statistics counts as
letting no row through. Anything else is planned for its values: rare values, values of
other criteria (free text, times, ids, hostnames, creators), any value on a store without
statistics, and later pages (the generic statement is written with its limit and offset,
see :class:`app.prepared.PreparedQuery`, so each page size is a statement of its own).

The counts are read once per worker process, again every :data:`REFRESH_SECONDS`, and at
once after :func:`app.db.refresh_statistics` in the process that ran it. They only choose
a plan, never change an answer, so workers may disagree for that long.
"""
from __future__ import annotations

import math
import time
from typing import Any, Callable

from query_language import And, ComputerTerm, InvalidQuery, Node, Not, Or, Term, parse

from ..models import Activity, ComputerTag, database
from .vocabularies import ACTIVITY_VOCABULARY, COMPUTER_VOCABULARY

#: ``(table, column)``
Column = tuple[str, str]
#: how many candidate rows a page read by the generic plan may meet, at most
MAX_CANDIDATES = 2_000
#: seconds between two readings of the statistics in a worker
REFRESH_SECONDS = 60.0


def _column(field: Any) -> Column:
    return field.model._meta.table_name, field.column_name


STATUS, TYPE, TAG = (_column(Activity.activity_status), _column(Activity.type),
                     _column(ComputerTag.name))
#: the criteria whose values the counts know, per vocabulary (``app.store.vocabularies``),
#: and the column each compares for equality; the vocabulary's criterion parses the value
_ACTIVITY_TERMS = {"status": STATUS, "type": TYPE}
_COMPUTER_TERMS = {"tag": TAG}


class ValueCounts:
    """The most common values of a few columns and the share of rows each has, from
    ``pg_stats``, read in this process every ``refresh_seconds``."""

    def __init__(self, columns: tuple[Column, ...], refresh_seconds: float) -> None:
        self._columns = columns
        self._refresh_seconds = refresh_seconds
        self._frequencies: dict[Column, dict[str, float]] = {}
        self._read_at = float("-inf")
        #: changes each time the counts are read again
        self.generation = 0

    def current(self) -> int:
        """The generation of the counts, read again first when they are due."""
        if time.monotonic() - self._read_at >= self._refresh_seconds:
            self._read()
        return self.generation

    def frequency(self, column: Column, value: str) -> float:
        """The share of ``column``'s rows equal to ``value``; 0 when it is not among the
        most common (or there are no statistics)."""
        return self._frequencies.get(column, {}).get(value, 0.0)

    def forget(self) -> None:
        """Read the counts again at the next :meth:`current` (the statistics changed)."""
        self._read_at = float("-inf")

    def _read(self) -> None:
        tables = sorted({table for table, _ in self._columns})
        columns = sorted({column for _, column in self._columns})
        rows = database.execute_sql(
            "SELECT tablename, attname, most_common_vals::text::text[], most_common_freqs "
            "FROM pg_stats WHERE schemaname = ANY (current_schemas(false)) "
            "AND tablename = ANY (%s) AND attname = ANY (%s) AND NOT inherited",
            (tables, columns)).fetchall()
        wanted = set(self._columns)
        self._frequencies = {(table, column): dict(zip(values or (), frequencies or ()))
                             for table, column, values, frequencies in rows
                             if (table, column) in wanted}
        self._read_at = time.monotonic()
        self.generation += 1


#: the counts this worker uses
VALUE_COUNTS = ValueCounts((STATUS, TYPE, TAG), REFRESH_SECONDS)


#: ``share(frequency)``: the share of rows a query lets through, given the frequency of
#: each ``(column, value)``
Share = Callable[[Callable[[Column, str], float]], float]


class PlanChoice:
    """Whether a page of one query may run its generic plan; asked per call, with the
    call's values, and worked out again when the counts change."""

    def __init__(self, share: Share, counts: ValueCounts) -> None:
        self._share_of = share
        self._counts = counts
        self._generation = -1
        self._share = 0.0

    def share(self) -> float:
        """The share of the account's activities the query lets through, its terms taken
        as independent."""
        generation = self._counts.current()
        if generation != self._generation:
            self._share = self._share_of(self._counts.frequency)
            self._generation = generation
        return self._share

    def __call__(self, values: dict[str, Any]) -> bool:
        return values["offset"] == 0 and values["limit"] <= self.share() * MAX_CANDIDATES


class _NotCounted(Exception):
    """The query filters on something the counts do not know."""


def _custom(values: dict[str, Any]) -> bool:
    return False


def _first_page(values: dict[str, Any]) -> bool:
    return values["offset"] == 0


def activity_page_plan(query: str, activity_type: str | None = None, *,
                       counts: ValueCounts = VALUE_COUNTS
                       ) -> Callable[[dict[str, Any]], bool]:
    """Whether a page of activities matching ``query`` (and of ``activity_type``, for pages
    of one type) may run its generic plan (see the module's docstring), given the values of
    a call (``limit`` and ``offset``)."""
    try:
        tree = parse(query)
        share = None if tree is None else _share(tree, computer=False)
    except (_NotCounted, InvalidQuery, ValueError):
        return _custom
    if activity_type is not None:
        of_type = _frequency(TYPE, activity_type)
        share = of_type if share is None else _all((share, of_type))
    if share is None:
        return _first_page
    return PlanChoice(share, counts)


def _share(node: Node, *, computer: bool) -> Share:
    """How to estimate the share of rows ``node`` lets through; :class:`_NotCounted`
    when it has a term the counts do not know."""
    if isinstance(node, And):
        return _all(tuple(_share(item, computer=computer) for item in node.items))
    if isinstance(node, Or):
        others = _all(tuple(_not(_share(item, computer=computer)) for item in node.items))
        return _not(others)
    if isinstance(node, Not):
        return _not(_share(node.operand, computer=computer))
    if isinstance(node, ComputerTerm) and not computer:
        return _share(node.query, computer=True)
    if isinstance(node, Term):
        terms, vocabulary = ((_COMPUTER_TERMS, COMPUTER_VOCABULARY) if computer
                             else (_ACTIVITY_TERMS, ACTIVITY_VOCABULARY))
        column = terms.get(node.key)
        if column is None:
            raise _NotCounted(node.key)
        return _frequency(column, vocabulary.criteria[node.key].parse(node.value))
    raise _NotCounted(node)


def _frequency(column: Column, value: str) -> Share:
    return lambda frequency: frequency(column, value)


def _not(share: Share) -> Share:
    return lambda frequency: 1.0 - share(frequency)


def _all(shares: tuple[Share, ...]) -> Share:
    return lambda frequency: math.prod(share(frequency) for share in shares)
