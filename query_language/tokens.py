"""The tokenizer: one regular-expression pass turns a query into positioned tokens."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NoReturn

from .errors import InvalidQuery

WORD = "WORD"
QUOTED = "QUOTED"
LPAREN = "LPAREN"
RPAREN = "RPAREN"
AND = "AND"
OR = "OR"
NOT = "NOT"
END = "END"
_BADQUOTE = "BADQUOTE"

#: Keywords are keywords only in upper case and only as a whole WORD (``or``, ``AND:x`` are words).
KEYWORDS = frozenset({AND, OR, NOT})

# Every character but whitespace starts one of these, so ``finditer`` skips only whitespace.
# The possessive quantifiers keep a long unterminated quote linear; a lone '"' (BADQUOTE) is
# a quote that QUOTED could not close.
_TOKEN = re.compile(
    r"""
        (?P<AND>AND)(?![^\s"()])
      | (?P<OR>OR)(?![^\s"()])
      | (?P<NOT>NOT)(?![^\s"()])
      | (?P<WORD>[^\s"()]++)
      | (?P<QUOTED>"[^"\\]*+(?:\\["\\][^"\\]*+)*+")
      | (?P<LPAREN>\()
      | (?P<RPAREN>\))
      | (?P<BADQUOTE>")
    """,
    re.VERBOSE,
)
_QUOTED_BODY = re.compile(r'[^"\\]*+(?:\\["\\][^"\\]*+)*+')
_ESCAPE = re.compile(r'\\(["\\])')


@dataclass(slots=True)
class Token:
    """One token: its kind (``WORD``, ``QUOTED``, ``LPAREN``...), its text and where it starts."""

    kind: str
    text: str
    position: int


def unquote(text: str) -> str:
    """The value of a QUOTED token: without the quotes, ``\\"`` and ``\\\\`` unescaped."""
    body = text[1:-1]
    return _ESCAPE.sub(r"\1", body) if "\\" in body else body


def quote(value: str) -> str:
    """The QUOTED token whose value is ``value``."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Tokenizer:
    """The tokens of a query, read one at a time, with one token of look-ahead in :attr:`next`.

    The whole query is split up front, but a bad quote is reported only when it becomes the
    look-ahead, so errors still come out left to right.
    """

    __slots__ = ("source", "next", "last_end", "_tokens", "_index")

    def __init__(self, source: str) -> None:
        self.source = source
        self._tokens = [Token(match.lastgroup, match.group(), match.start())
                        for match in _TOKEN.finditer(source)]
        self._tokens.append(Token(END, "", len(source)))
        self._index = 0
        #: the end offset of the last token read (0 before the first)
        self.last_end = 0
        #: the look-ahead token (an ``END`` token at the end of the query)
        self.next = self._tokens[0]
        if self.next.kind == _BADQUOTE:
            self._bad_quote()

    def check(self, kind: str) -> bool:
        """Whether the next token is of ``kind``."""
        return self.next.kind == kind

    def check_adjacent(self, kind: str) -> bool:
        """Whether the next token is of ``kind`` and follows the last one without whitespace."""
        return self.next.kind == kind and self.next.position == self.last_end

    def read(self) -> Token:
        """Consume and return the next token."""
        token = self.next
        self.last_end = token.position + len(token.text)
        self._index += 1
        self.next = self._tokens[self._index]
        if self.next.kind == _BADQUOTE:
            self._bad_quote()
        return token

    def consume(self, kind: str) -> Token | None:
        """Read the next token if it is of ``kind``."""
        return self.read() if self.next.kind == kind else None

    def raise_syntax_error(self, message: str, *, position: int, length: int = 0) -> NoReturn:
        """Raise :class:`InvalidQuery` for the span of this query starting at ``position``."""
        raise InvalidQuery(message, source=self.source, position=position, length=length)

    def _bad_quote(self) -> NoReturn:
        start = self.next.position
        stop = _QUOTED_BODY.match(self.source, start + 1).end()
        if stop + 1 < len(self.source):  # stopped at a backslash followed by something else
            self.raise_syntax_error(
                f"""Expected '"' or '\\' after '\\' in quoted string (at position {stop})""",
                position=stop, length=2)
        self.raise_syntax_error(f"Unterminated quoted string starting at position {start}",
                                position=start, length=len(self.source) - start)
