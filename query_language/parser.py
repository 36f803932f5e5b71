"""The recursive-descent parser: one method per grammar rule, the rule as its docstring."""
from __future__ import annotations

from typing import NoReturn

from .errors import InvalidQuery, echo
from .nodes import (COMPUTER_KEY, Node, new_and, new_computer_term, new_not, new_or, new_term,
                    new_text)
from .tokens import AND, END, LPAREN, NOT, OR, QUOTED, RPAREN, WORD, Tokenizer, unquote

MAX_QUERY_LENGTH = 4096
MAX_TERMS = 256
#: Parentheses, NOT and ``computer:`` nesting all count.  A level of parentheses costs five
#: stack frames here and a few more in the compiler and in ``str(node)``; 32 levels keep the
#: deepest legal query far from Python's recursion limit (no RecursionError for any input),
#: and no hand-written query nests that deep.
MAX_DEPTH = 32

_TERM_STARTS = frozenset({WORD, QUOTED, LPAREN, NOT})


def parse(source: str) -> Node | None:
    """Parse a query into its syntax tree; ``None`` for an empty or blank query.

    :raise InvalidQuery: for any text that is not a valid query.
    """
    check_length(source)
    return _Parser(source).parse_query()


def check_length(source: str) -> None:
    """``InvalidQuery`` for a query longer than :data:`MAX_QUERY_LENGTH` (the one limit of a
    query's length, checked by :func:`parse` and by the actions' ``query`` arguments)."""
    if len(source) > MAX_QUERY_LENGTH:
        raise InvalidQuery("Query is too long", source=source, position=MAX_QUERY_LENGTH,
                           length=len(source) - MAX_QUERY_LENGTH)


class _Parser:
    """The parsing state: the tokenizer, the nesting depth and the number of terms read.

    Rules that may find a term missing take ``after``, the kind of the operator just read
    (see :meth:`_missing_term`); no token object is made on the way.
    """

    __slots__ = ("tokens", "depth", "terms")

    def __init__(self, source: str) -> None:
        self.tokens = Tokenizer(source)
        self.depth = 0
        self.terms = 0

    def parse_query(self) -> Node | None:
        """query = [ conjunction ] END"""
        tokens = self.tokens
        if tokens.kind == END:
            return None
        node = self.parse_conjunction(None)
        if tokens.kind != END:  # a conjunction stops only at ')' or at the end
            self._unexpected_rparen(tokens.position)
        return node

    def parse_conjunction(self, after: str | None) -> Node:
        """conjunction = disjunction { ["AND"] disjunction }"""
        tokens = self.tokens
        start = tokens.position
        items = [self.parse_disjunction(after)]
        while True:
            kind = tokens.kind
            if kind in _TERM_STARTS:
                items.append(self.parse_disjunction(None))
            elif kind == AND:
                tokens.advance()
                items.append(self.parse_disjunction(AND))
            else:
                break
        if len(items) == 1:
            return items[0]
        return new_and(tuple(items), (start, tokens.last_end))

    def parse_disjunction(self, after: str | None) -> Node:
        """disjunction = unary { "OR" unary }"""
        tokens = self.tokens
        start = tokens.position
        kind = tokens.kind
        # a shortcut past unary and primary for the common case, a plain term
        node = self.parse_term() if kind == WORD or kind == QUOTED else self.parse_unary(after)
        if tokens.kind != OR:
            return node
        items = [node]
        while tokens.kind == OR:
            tokens.advance()
            items.append(self.parse_unary(OR))
        return new_or(tuple(items), (start, tokens.last_end))

    def parse_unary(self, after: str | None) -> Node:
        """unary = "NOT" unary | primary"""
        tokens = self.tokens
        if tokens.kind != NOT:
            return self.parse_primary(after)
        start = tokens.position
        tokens.advance()
        self._enter(start, len(NOT))
        operand = self.parse_unary(NOT)
        self.depth -= 1
        return new_not(operand, (start, tokens.last_end))

    def parse_primary(self, after: str | None) -> Node:
        """primary = "(" conjunction ")" | term"""
        kind = self.tokens.kind
        if kind == WORD or kind == QUOTED:
            return self.parse_term()
        if kind == LPAREN:
            return self._parse_group()
        self._missing_term(after)

    def parse_term(self) -> Node:
        """term = KEY ":" value | value"""
        tokens = self.tokens
        kind, text, position = tokens.kind, tokens.text, tokens.position
        self.terms += 1
        if self.terms > MAX_TERMS:
            tokens.raise_syntax_error("Query has too many terms", position=position,
                                      length=len(text))
        tokens.advance()
        if kind == QUOTED:
            return new_text(unquote(text), (position, tokens.last_end))
        return self._parse_word(text, position)

    def parse_value(self, key: str, start: int) -> str:
        """value = WORD | QUOTED   (the WORD case is the rest of the key's own WORD)"""
        tokens = self.tokens
        if tokens.check_adjacent(QUOTED):
            value = unquote(tokens.text)
            tokens.advance()
            return value
        tokens.raise_syntax_error(f"Expected a value after '{echo(key)}:' (at position {start})",
                                  position=start)

    def parse_computer_value(self, rest: str, start: int) -> Node:
        """computer_value = term | "(" conjunction ")"   (right after ``computer:``)"""
        if rest:
            return self._parse_word(rest, start)
        tokens = self.tokens
        if tokens.check_adjacent(LPAREN):
            return self._parse_group()
        if tokens.check_adjacent(QUOTED):
            value = unquote(tokens.text)
            tokens.advance()
            return new_text(value, (start, tokens.last_end))
        tokens.raise_syntax_error(
            f"Expected a value after '{COMPUTER_KEY}:' (at position {start})", position=start)

    def _parse_word(self, text: str, start: int) -> Node:
        """Split a WORD (or what follows ``computer:`` in it) at its first colon.

        The WORD has been read: the term ends at ``last_end`` unless a value follows.
        """
        key, colon, value = text.partition(":")
        if not colon:
            return new_text(text, (start, self.tokens.last_end))
        if not key:
            self.tokens.raise_syntax_error(
                f"Expected a criterion before ':' (at position {start})", position=start, length=1)
        if key == COMPUTER_KEY:
            self._enter(start, len(key))
            query = self.parse_computer_value(value, start + len(key) + 1)
            self.depth -= 1
            return new_computer_term(query, (start, self.tokens.last_end))
        value = value or self.parse_value(key, start + len(key) + 1)
        return new_term(key, value, (start, self.tokens.last_end))

    def _parse_group(self) -> Node:
        """The ``"(" conjunction ")"`` of primary and computer_value."""
        tokens = self.tokens
        opening = tokens.position
        tokens.advance()
        self._enter(opening, 1)
        node = self.parse_conjunction(LPAREN)
        if tokens.kind != RPAREN:  # a conjunction stops only at ')' or at the end
            self._unclosed(opening)
        tokens.advance()
        self.depth -= 1
        return node

    def _enter(self, position: int, length: int) -> None:
        """Count one more level of nesting, opened by the text at ``position``."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.tokens.raise_syntax_error("Query is nested too deeply", position=position,
                                           length=length)

    def _missing_term(self, after: str | None) -> NoReturn:
        """Explain why the next token cannot start a term.

        ``after`` is the kind of the operator read just before (AND, OR, NOT or LPAREN, the
        text of which ends at ``last_end``), None after a term or at the start.
        """
        tokens = self.tokens
        kind, position = tokens.kind, tokens.position
        if kind == AND or kind == OR:
            self._needs_both_sides(kind, position)
        if after == AND or after == OR:
            self._needs_both_sides(after, tokens.last_end - len(after))
        if kind == RPAREN:
            self._unexpected_rparen(position)
        # at the end of the query, after NOT or '(' (a query that is empty is no error)
        if after == LPAREN:
            self._unclosed(tokens.last_end - 1)
        tokens.raise_syntax_error(f"Expected a term after 'NOT' (at position {position})",
                                  position=position)

    def _needs_both_sides(self, keyword: str, position: int) -> NoReturn:
        self.tokens.raise_syntax_error(
            f"'{keyword}' needs a term on both sides (at position {position})",
            position=position, length=len(keyword))

    def _unexpected_rparen(self, position: int) -> NoReturn:
        self.tokens.raise_syntax_error(f"Unexpected ')' at position {position}",
                                       position=position, length=1)

    def _unclosed(self, position: int) -> NoReturn:
        self.tokens.raise_syntax_error(f"Unclosed parenthesis opened at position {position}",
                                       position=position, length=1)
