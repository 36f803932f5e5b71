"""The tokenizer: one regular-expression pass splits a query into positioned tokens."""
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
KEYWORDS = frozenset({AND, OR, NOT})

#: What ``\s`` matches (the characters of ``str.isspace``), spelled out for the character
#: classes below: sre tests ``\s`` as a category, one call per character, but a set of
#: literals as a bitmap, which makes the whole split a fifth faster.
SPACE = "\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# A (whitespace, token) pair per token: WORD, QUOTED, a parenthesis, a bad quote or, at
# the end, "" (END).  A quote that QUOTED cannot close takes the rest of the query as one
# token: the query is split up front, and splitting on at each later quote would rescan
# to the end each time (quadratic: 100 ms for 4 KB of '\"').  The possessive quantifiers
# keep each scan linear.
#: what may stand between two quotes: no quote, and a backslash only before '"' or '\\'
_QUOTED_BODY_PATTERN = r'[^"\\]*+(?:\\["\\][^"\\]*+)*+'
_CLOSED_QUOTE = f'"{_QUOTED_BODY_PATTERN}"'
_TOKEN = re.compile(f'([{SPACE}]*+)([^{SPACE}"()]++|{_CLOSED_QUOTE}|[()]|"[\\s\\S]*+|\\Z)')
_QUOTED = re.compile(_CLOSED_QUOTE)
#: the kind of every token text that is not a WORD or a QUOTED
_KINDS = {"": END, AND: AND, OR: OR, NOT: NOT, "(": LPAREN, ")": RPAREN}
_QUOTED_BODY = re.compile(_QUOTED_BODY_PATTERN)
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
    """The tokens of a query, read one at a time, with one token of look-ahead.

    The look-ahead is :attr:`kind`, :attr:`text` and :attr:`position` (:attr:`next` as a
    :class:`Token`): the parser reads them and calls :meth:`advance`, so no object is made
    per token.  The query is split up front (``findall``: one call into C), but each token's
    kind and position are worked out when it becomes the look-ahead, and a bad quote is
    reported only then, so errors still come out left to right.
    """

    __slots__ = ("source", "kind", "text", "position", "last_end", "_pairs")

    def __init__(self, source: str) -> None:
        self.source = source
        self._pairs = iter(_TOKEN.findall(source))
        #: the look-ahead: its kind (``END`` at the end of the query), text and offset
        self.kind = self.text = ""
        self.position = 0
        self.advance()
        #: the end offset of the last token read (0 before the first)
        self.last_end = 0

    @property
    def next(self) -> Token:
        """The look-ahead token."""
        return Token(self.kind, self.text, self.position)

    def advance(self) -> None:
        """Read the look-ahead: the next token becomes the look-ahead (END stays)."""
        self.last_end = end = self.position + len(self.text)
        space, text = next(self._pairs, ("", ""))
        self.position = end + len(space)
        self.text = text
        self.kind = _KINDS.get(text) or (WORD if text[0] != '"' else QUOTED
                                         if _QUOTED.fullmatch(text) else self._bad_quote())

    def check(self, kind: str) -> bool:
        """Whether the next token is of ``kind``."""
        return self.kind == kind

    def check_adjacent(self, kind: str) -> bool:
        """Whether the next token is of ``kind`` and follows the last one without whitespace."""
        return self.kind == kind and self.position == self.last_end

    def read(self) -> Token:
        """Consume and return the next token."""
        token = Token(self.kind, self.text, self.position)
        self.advance()
        return token

    def consume(self, kind: str) -> Token | None:
        """Read the next token if it is of ``kind``."""
        return self.read() if self.kind == kind else None

    def raise_syntax_error(self, message: str, *, position: int, length: int = 0) -> NoReturn:
        """Raise :class:`InvalidQuery` for the span of this query starting at ``position``."""
        raise InvalidQuery(message, source=self.source, position=position, length=length)

    def _bad_quote(self) -> NoReturn:
        start = self.position
        stop = _QUOTED_BODY.match(self.source, start + 1).end()  # type: ignore[union-attr]
        if stop + 1 < len(self.source):  # stopped at a backslash followed by something else
            self.raise_syntax_error(
                f"""Expected '"' or '\\' after '\\' in quoted string (at position {stop})""",
                position=stop, length=2)
        self.raise_syntax_error(f"Unterminated quoted string starting at position {start}",
                                position=start, length=len(self.source) - start)
