"""The compiler: syntax tree → Peewee expression, through a vocabulary's table of criteria."""
from __future__ import annotations

from typing import Any, Callable, NoReturn, cast

from peewee import ColumnBase, Negated, fn

from .errors import InvalidQuery, did_you_mean, echo
from .nodes import COMPUTER_KEY, And, ComputerTerm, Node, Not, Or, Term, Text
from .parser import parse
from .vocabularies import Related, Vocabulary, all_of, any_of


def compile_query(source: str, vocabulary: Vocabulary, *, account_id: int) -> ColumnBase | None:
    """The filter for the query ``source``; ``None`` when it is empty (no filter).

    The result is a Peewee expression for ``.where()``. Sub-selects are limited to
    ``account_id``; the caller limits the top-level table.

    :raise InvalidQuery: for a syntax error, an unknown criterion or an invalid value.
    """
    node = parse(source)
    if node is None:
        return None
    return _Compiler(vocabulary, account_id, source).compile(node)


def compile_node(node: Node | None, vocabulary: Vocabulary, *, account_id: int,
                 source: str = "") -> ColumnBase | None:
    """Like :func:`compile_query` for a tree already parsed from ``source``."""
    if node is None:
        return None
    return _Compiler(vocabulary, account_id, source).compile(node)


_coalesce = fn.COALESCE


class _Compiler:
    """Compiles one tree for one vocabulary and account; dispatches on the node class."""

    __slots__ = ("vocabulary", "criteria", "account_id", "source")

    def __init__(self, vocabulary: Vocabulary, account_id: int, source: str) -> None:
        self.vocabulary = vocabulary
        self.criteria = vocabulary.criteria
        self.account_id = account_id
        self.source = source

    def compile(self, node: Node) -> ColumnBase:
        return _VISITORS[type(node)](self, node)

    def compile_and(self, node: And) -> ColumnBase:
        if not self.vocabulary.has_related:  # (self.compile inlined: a call less per item)
            return all_of([_VISITORS[type(item)](self, item) for item in node.items])
        parts: list[ColumnBase | Related] = []
        shared: dict[Related, list[ColumnBase]] = {}
        for item in node.items:
            criterion = self.criteria.get(item.key) if isinstance(item, Term) else None
            related = criterion.related if criterion is not None else None
            if related is None:
                parts.append(self.compile(item))
            elif related in shared:
                shared[related].append(self.compile_term(cast(Term, item), wrapped=False))
            else:  # the group takes the place of its first term
                shared[related] = [self.compile_term(cast(Term, item), wrapped=False)]
                parts.append(related)
        return all_of(self._wrap(part, shared[part]) if isinstance(part, Related) else part
                      for part in parts)

    def compile_or(self, node: Or) -> ColumnBase:
        return any_of([_VISITORS[type(item)](self, item) for item in node.items])

    def compile_not(self, node: Not) -> ColumnBase:
        # A comparison with a NULL column is unknown, and NOT unknown is unknown: without
        # COALESCE, ``NOT parent-id:3`` would drop every activity that has no parent.
        return Negated(_coalesce(self.compile(node.operand), False))

    def compile_text(self, node: Text) -> ColumnBase:
        return self.vocabulary.text(node.value, self.account_id)

    def compile_term(self, node: Term, wrapped: bool = True) -> ColumnBase:
        """The criterion's condition, inside its :class:`Related` filter when ``wrapped``."""
        criterion = self.criteria.get(node.key) or self._unknown(node.key, node.span[0])
        try:
            value = criterion.parse(node.value)
        except ValueError as exc:
            start, end = node.value_span
            raise InvalidQuery(str(exc), source=self.source, position=start,
                               length=end - start) from None
        condition = criterion.build(value, self.account_id)
        if criterion.related is None or not wrapped:
            return condition
        return criterion.related.wrap(condition, self.account_id)

    def compile_computer(self, node: ComputerTerm) -> ColumnBase:
        subquery = self.vocabulary.computer
        if subquery is None:
            self._unknown(COMPUTER_KEY, node.span[0])
        nested = _Compiler(subquery.vocabulary, self.account_id, self.source)
        return subquery.build(nested.compile(node.query), self.account_id)

    def _wrap(self, related: Related, conditions: list[ColumnBase]) -> ColumnBase:
        condition = conditions[0] if len(conditions) == 1 else all_of(conditions)
        return related.wrap(condition, self.account_id)

    def _unknown(self, key: str, position: int) -> NoReturn:
        names = self.vocabulary.names()
        hint = did_you_mean(key, names) or f" (expected one of: {', '.join(names)})"
        raise InvalidQuery(f"Unknown criterion '{echo(key)}'{hint}", source=self.source,
                           position=position, length=len(key))


_VISITORS: dict[type, Callable[[_Compiler, Any], ColumnBase]] = {
    And: _Compiler.compile_and,
    Or: _Compiler.compile_or,
    Not: _Compiler.compile_not,
    Text: _Compiler.compile_text,
    Term: _Compiler.compile_term,
    ComputerTerm: _Compiler.compile_computer,
}
