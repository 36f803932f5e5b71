"""The one exception the query language raises, and the helpers of its messages: "Did you
mean" and :func:`echo`, which every error message of the gateway uses to repeat a caller's
value."""
from __future__ import annotations

import difflib
import re
from typing import Any, Iterable

_WHITESPACE = re.compile(r"\s")
#: how many characters of a caller's value an error message repeats
ECHO_LIMIT = 100


def echo(value: Any) -> str:
    """``value`` as an error message repeats it: its first :data:`ECHO_LIMIT` characters,
    then ``…`` when it is longer (a rejected value must not come back whole)."""
    text = str(value)
    return text if len(text) <= ECHO_LIMIT else text[:ECHO_LIMIT] + "…"


class InvalidQuery(ValueError):
    """A query that cannot be parsed or compiled, with the span of the culprit."""

    def __init__(self, message: str, *, source: str, position: int, length: int = 0) -> None:
        super().__init__(message)
        #: the human sentence alone, e.g. ``Unexpected ')' at position 12``
        self.message = message
        #: the query as the caller sent it
        self.source = source
        #: 0-based character offset of the culprit in :attr:`source`
        self.position = position
        #: how many characters the culprit covers (0 when it is a place, not a text)
        self.length = length

    def __str__(self) -> str:
        # One column per character: a tab or newline in the query would shift the marker.
        shown = _WHITESPACE.sub(" ", self.source)
        marker = " " * self.position + "~" * max(self.length - 1, 0) + "^"
        return f"{self.message}\n    {shown}\n    {marker}"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``". Did you mean 'x'?"`` for the choice closest to ``word`` (ignoring case), else ``""``."""
    by_folded = {choice.lower(): choice for choice in choices}
    matches = difflib.get_close_matches(word.lower(), by_folded, n=1)
    return f". Did you mean '{by_folded[matches[0]]}'?" if matches else ""
