"""Value parsers of the query language: each turns the text of a ``KEY:value`` into a value,
or raises :class:`ValueError` with the sentence the user reads (``Invalid <noun> '<value>'``).

``parse_date`` is also the wire format of dates outside queries (``app.encoding``).
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Callable

from .errors import echo

_MAX_INTEGER = 2**63 - 1  # the largest value SQLite and PostgreSQL bigint can bind
_MAX_DIGITS = len(str(_MAX_INTEGER))  # checked first: int() of thousands of digits is slow
#: a date, optionally with a time (first group), then optionally an offset (second group)
_DATE = re.compile(
    r"([0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2}(?:T[0-9]{2}(?::[0-9]{2}(?::[0-9]{2})?)?)?)?)?)"
    r"(Z|[+-][0-9]{2}:[0-9]{2})?")


def invalid(noun: str, value: str, detail: str = "") -> ValueError:
    """The error for a bad value: ``Invalid <noun> '<value>'`` plus ``detail``."""
    return ValueError(f"Invalid {noun} '{echo(value)}'{detail}")


def non_negative_integer(noun: str) -> Callable[[str], int]:
    """A parser of decimal integers ``0 <= n < 2**63`` (ASCII digits only)."""
    def parse(value: str) -> int:
        if not (value.isascii() and value.isdigit()):  # [0-9]+, without a regex call
            raise invalid(noun, value, " (expected a non-negative integer)")
        if len(value.lstrip("0")) > _MAX_DIGITS or int(value) > _MAX_INTEGER:
            raise invalid(noun, value, " (too large)")
        return int(value)
    return parse


def one_of(noun: str, choices: tuple[str, ...], *, fold_case: bool = False
           ) -> Callable[[str], str]:
    """A parser accepting one of ``choices`` (listed in that order when the value is wrong)."""
    accepted = frozenset(choices)
    expected = f" (expected one of: {', '.join(choices)})"

    def parse(value: str) -> str:
        folded = value.lower() if fold_case else value
        if folded not in accepted:
            raise invalid(noun, value, expected)
        return folded
    return parse


def boolean(noun: str) -> Callable[[str], bool]:
    """A parser of ``true``/``false`` (any case)."""
    parse_word = one_of(noun, ("false", "true"), fold_case=True)
    return lambda value: parse_word(value) == "true"


def parse_date(value: str) -> datetime:
    """The naive UTC start of an ISO date or time of QUERY.md §4 (``2011-01`` → 2011-01-01)."""
    match = _DATE.fullmatch(value)
    if match is None:
        raise invalid("date", value)
    stamp, offset = match.groups()
    try:
        if len(stamp) > len("YYYY-MM"):
            # From the day on, the format checked, datetime's own parser (which rejects
            # out-of-range fields as datetime() does) is five times faster than int()s.
            moment = datetime.fromisoformat(stamp)
        else:  # YYYY or YYYY-MM
            moment = datetime(int(stamp[:4]), int(stamp[5:] or 1), 1)
        if offset and offset != "Z":
            hours, minutes = int(offset[1:3]), int(offset[4:6])
            if hours > 23 or minutes > 59:
                raise ValueError(offset)
            shift = timedelta(hours=hours, minutes=minutes)
            moment = moment - shift if offset[0] == "+" else moment + shift
    except (ValueError, OverflowError):  # out-of-range fields, or shifted out of datetime's range
        raise invalid("date", value) from None
    return moment


def canonical(noun: str, choices: tuple[str, ...]) -> Callable[[str], str]:
    """A parser of one of ``choices``, any case, returning the canonical spelling."""
    by_folded = {choice.lower(): choice for choice in choices}
    expected = f" (expected one of: {', '.join(choices)})"

    def parse(value: str) -> str:
        try:
            return by_folded[value.lower()]
        except KeyError:
            raise invalid(noun, value, expected) from None
    return parse
