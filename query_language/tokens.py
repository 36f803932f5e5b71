"""The tokenizer: reads WORD, QUOTED, parenthesis and keyword tokens one at a time."""
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

#: Keywords are keywords only in upper case and only as a whole WORD (``or``, ``AND:x`` are words).
KEYWORDS = {"AND": AND, "OR": OR, "NOT": NOT}

# One pattern reads the next token whatever it is; the possessive quantifiers keep a long
# unterminated quote linear.  A lone '"' (BADQUOTE) is a quote that QUOTED could not close.
_TOKEN = re.compile(
    r"""
    \s*+
    (?:
        (?P<WORD>[^\s"()]++)
      | (?P<QUOTED>"[^"\\]*+(?:\\["\\][^"\\]*+)*+")
      | (?P<LPAREN>\()
      | (?P<RPAREN>\))
      | (?P<END>\Z)
      | (?P<BADQUOTE>")
    )
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

    @property
    def end(self) -> int:
        """The offset just after the token."""
        return self.position + len(self.text)


def unquote(text: str) -> str:
    """The value of a QUOTED token: without the quotes, ``\\"`` and ``\\\\`` unescaped."""
    body = text[1:-1]
    return _ESCAPE.sub(r"\1", body) if "\\" in body else body


def quote(value: str) -> str:
    """The QUOTED token whose value is ``value``."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Tokenizer:
    """Reads the tokens of a query on demand, with one token of look-ahead in :attr:`next`.

    Tokens are read only as the parser advances, so errors come out left to right.
    """

    __slots__ = ("source", "next", "last_end")

    def __init__(self, source: str) -> None:
        self.source = source
        #: the end offset of the last token read (0 before the first)
        self.last_end = 0
        #: the look-ahead token (an ``END`` token at the end of the query)
        self.next = self._scan(0)

    def check(self, kind: str) -> bool:
        """Whether the next token is of ``kind``."""
        return self.next.kind == kind

    def check_adjacent(self, kind: str) -> bool:
        """Whether the next token is of ``kind`` and follows the last one without whitespace."""
        return self.next.kind == kind and self.next.position == self.last_end

    def read(self) -> Token:
        """Consume and return the next token."""
        token = self.next
        self.last_end = end = token.position + len(token.text)
        self.next = self._scan(end)
        return token

    def consume(self, kind: str) -> Token | None:
        """Read the next token if it is of ``kind``."""
        return self.read() if self.next.kind == kind else None

    def raise_syntax_error(self, message: str, *, position: int, length: int = 0) -> NoReturn:
        """Raise :class:`InvalidQuery` for the span of this query starting at ``position``."""
        raise InvalidQuery(message, source=self.source, position=position, length=length)

    def _scan(self, position: int) -> Token:
        match = _TOKEN.match(self.source, position)
        kind = match.lastgroup
        if kind == WORD:
            text = match.group(WORD)
            return Token(KEYWORDS.get(text, WORD), text, match.start(WORD))
        if kind == "BADQUOTE":
            self._bad_quote(match.start(kind))
        return Token(kind, match.group(kind), match.start(kind))

    def _bad_quote(self, start: int) -> NoReturn:
        stop = _QUOTED_BODY.match(self.source, start + 1).end()
        if stop + 1 < len(self.source):  # stopped at a backslash followed by something else
            self.raise_syntax_error(
                f"""Expected '"' or '\\' after '\\' in quoted string (at position {stop})""",
                position=stop, length=2)
        self.raise_syntax_error(f"Unterminated quoted string starting at position {start}",
                                position=start, length=len(self.source) - start)
