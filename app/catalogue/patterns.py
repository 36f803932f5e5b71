"""Name patterns: ``*`` (any run) and ``?`` (one character) globs, exact match otherwise.

Matching is case-sensitive on both stores. Other characters, SQL wildcards included, are
literal: PostgreSQL gets ``LIKE … ESCAPE '\\'`` with ``%``, ``_`` and ``\\`` escaped, SQLite
gets ``GLOB`` with ``[`` escaped (Peewee already renders SQLite's ``LIKE`` as ``GLOB``).
"""
from __future__ import annotations

from peewee import OP, SQL, ColumnBase, Expression, Field, NodeList, Value

WILDCARDS = frozenset("*?")


def is_glob(pattern: str) -> bool:
    """Whether ``pattern`` has a wildcard (else it is matched exactly)."""
    return not WILDCARDS.isdisjoint(pattern)


def like_pattern(pattern: str) -> str:
    """The glob as a SQL ``LIKE`` pattern with ``\\`` as the escape character."""
    escaped = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("*", "%").replace("?", "_")


def sqlite_glob_pattern(pattern: str) -> str:
    """The glob as an SQLite ``GLOB`` pattern (only ``[`` needs escaping)."""
    return pattern.replace("[", "[[]")


class GlobMatch(ColumnBase):
    """``field`` matches the glob ``pattern``, rendered for the store the query runs on."""

    def __init__(self, field: Field, pattern: str) -> None:
        super().__init__()
        self.field = field
        self.pattern = pattern

    def __sql__(self, ctx):
        if (ctx.state.operations or {}).get(OP.LIKE) == "GLOB":
            return ctx.sql(Expression(self.field, OP.LIKE,
                                      Value(sqlite_glob_pattern(self.pattern), converter=False)))
        rhs = NodeList((Value(like_pattern(self.pattern), converter=False), SQL("ESCAPE"),
                        Value("\\", converter=False)))
        return ctx.sql(Expression(self.field, OP.LIKE, rhs))


def matches(field: Field, pattern: str) -> ColumnBase:
    """The condition "``field`` matches ``pattern``" (equality when there is no wildcard)."""
    if is_glob(pattern):
        return GlobMatch(field, pattern)
    return field == pattern


def matches_any(field: Field, patterns: list[str]) -> ColumnBase:
    """``field`` matches one of ``patterns`` (exact names are one ``IN``)."""
    exact = [p for p in patterns if not is_glob(p)]
    conditions = [GlobMatch(field, p) for p in patterns if is_glob(p)]
    if exact:
        conditions.append(field.in_(exact))
    return NodeList(conditions, " OR ", parens=True) if len(conditions) > 1 else conditions[0]
