"""The syntax tree: immutable nodes that know their source span and render canonical text.

``str(node)`` is a query that parses back to an equal node; spans do not take part in
equality, so a tree built by hand equals the parsed one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Union

from .internals import frozen_builder
from .tokens import KEYWORDS, quote

#: ``(start, end)`` offsets in the query, end exclusive
Span = tuple[int, int]

#: The key of the nested computer term; the parser reads its value as a computer query.
COMPUTER_KEY = "computer"

_NO_SPAN: Span = (0, 0)
_BARE_VALUE = re.compile(r'[^\s"()]+')
_BARE_TEXT = re.compile(r'[^\s"():]+')


def _span() -> Span:
    return field(default=_NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Text:
    """A bare word or a quoted string: free text."""

    value: str
    span: Span = _span()

    def __str__(self) -> str:
        value = self.value
        if _BARE_TEXT.fullmatch(value) and value not in KEYWORDS:
            return value
        return quote(value)


@dataclass(frozen=True, slots=True)
class Term:
    """``key:value``."""

    key: str
    value: str
    span: Span = _span()

    @property
    def value_span(self) -> Span:
        """Where the value is (with its quotes, if any): from the colon to the end."""
        return (self.span[0] + len(self.key) + 1, self.span[1])

    def __str__(self) -> str:
        value = self.value
        return f"{self.key}:{value if _BARE_VALUE.fullmatch(value) else quote(value)}"


@dataclass(frozen=True, slots=True)
class ComputerTerm:
    """``computer:TERM`` or ``computer:(QUERY)``: a computer query nested in another vocabulary."""

    query: Node
    span: Span = _span()

    def __str__(self) -> str:
        inner = self.query
        if isinstance(inner, (And, Or, Not)):
            return f"{COMPUTER_KEY}:({inner})"
        return f"{COMPUTER_KEY}:{inner}"


@dataclass(frozen=True, slots=True)
class Not:
    """``NOT operand``."""

    operand: Node
    span: Span = _span()

    def __str__(self) -> str:
        return "NOT " + _render(self.operand, (And, Or))


@dataclass(frozen=True, slots=True)
class And:
    """Two or more terms that must all match (juxtaposed or joined by ``AND``)."""

    items: tuple[Node, ...]
    span: Span = _span()

    def __str__(self) -> str:
        # OR binds tighter than AND, so only a nested AND needs parentheses.
        return " ".join(_render(item, (And,)) for item in self.items)


@dataclass(frozen=True, slots=True)
class Or:
    """Two or more terms of which one must match."""

    items: tuple[Node, ...]
    span: Span = _span()

    def __str__(self) -> str:
        return " OR ".join(_render(item, (And, Or)) for item in self.items)


Node = Union[And, Or, Not, ComputerTerm, Term, Text]


def _render(node: Node, parenthesized: tuple[type, ...]) -> str:
    return f"({node})" if isinstance(node, parenthesized) else str(node)


#: ``Term(key, value, span)``, ``Text(value, span)``... for the parser, faster
new_term = frozen_builder(Term)
new_text = frozen_builder(Text)
new_computer_term = frozen_builder(ComputerTerm)
new_not = frozen_builder(Not)
new_and = frozen_builder(And)
new_or = frozen_builder(Or)
