"""Vocabularies: the explicit tables that say what each ``KEY:`` means in SQL.

A vocabulary maps criterion names to :class:`Criterion` pairs: ``parse`` checks the text
of the value (raising :class:`ValueError` with the user-facing sentence) and ``build`` turns
the parsed value and the caller's account id into a Peewee expression.  To add one, build a
:class:`Vocabulary` in your own module from the value parsers (``one_of``, ``boolean``,
``non_negative_integer``, ``parse_date``) and SQL helpers (``compare``, ``expression``,
``contains``, ``all_of``, ``any_of``, ``exists``, ``ids_where``, :class:`Related`) below, and
pass it to :func:`query_language.compile_query`.  The helpers build Peewee nodes without
Peewee's slower operators: prefer them on the hot path.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Callable, Iterable, Mapping

from peewee import OP, ColumnBase, Expression, Field, Function, NodeList, Select, fn

from app.models import (Activity, Computer, ComputerAnnotation, ComputerTag,
                        NetworkDevice, Person)

from .errors import did_you_mean, echo

#: The activity types the store knows (ACTIVITIES.md §3), sorted: GetActivityTypes' answer.
ACTIVITY_TYPES: tuple[str, ...] = tuple(sorted((
    "ActivityGroup", "ChangePackagesRequest", "UpgradeAllPackagesRequest",
    "ReleaseUpgradeRequest", "ExecuteScriptRequest", "RestartRequest", "ShutdownRequest",
    "SyncPocketRequest", "ResynchronizeRequest", "CreateUserRequest", "EditUserRequest",
    "DeleteUserRequest", "CreateGroupRequest", "AddGroupMemberRequest",
    "RemoveGroupMemberRequest", "LockUserRequest", "UnlockUserRequest",
    "ChangePackageProfilesRequest", "ChangeRepositoryProfilesRequest",
    "ChangeUpgradeProfilesRequest", "UpgradeKernelPackageRequest",
    "DowngradeKernelPackageRequest", "SignalProcessRequest", "InstallSnaps", "RemoveSnaps",
    "RefreshSnaps", "HoldSnaps", "UnholdSnaps", "AttachProRequest", "DetachProRequest",
    "RemoveComputerActivity",
)))

#: ``build(value, account_id)``: the expression for one parsed value in the caller's account
Builder = Callable[[Any, int], ColumnBase]


@dataclass(frozen=True, slots=True)
class Related:
    """Rows of another table that several criteria describe, e.g. the listings of a package.

    The ``build`` of such criteria returns a condition on those rows; terms of one AND that
    share a ``Related`` must hold for one row: ``wrap(cond_1 AND cond_2, account_id)``.
    """

    name: str
    #: the filter on the vocabulary's table: "has a row matching the condition"
    wrap: Callable[[ColumnBase, int], ColumnBase]


@dataclass(frozen=True, slots=True)
class Criterion:
    """One ``KEY:value`` of a vocabulary."""

    #: checks and converts the value text; raises ValueError("Invalid ...") when it is wrong
    parse: Callable[[str], Any]
    #: makes the SQL expression from the converted value and the caller's account id
    build: Builder
    #: when set, ``build`` describes a row of these related rows (see :class:`Related`)
    related: Related | None = None


@dataclass(frozen=True, slots=True)
class Subquery:
    """How ``computer:QUERY`` becomes a filter: ``build(computer_expression, account_id)``."""

    vocabulary: Vocabulary
    build: Callable[[ColumnBase, int], ColumnBase]


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The criteria one kind of query understands."""

    #: for messages and debugging, e.g. ``activity``
    name: str
    #: criterion name → how it parses and compiles
    criteria: Mapping[str, Criterion]
    #: ``text(value, account_id)``: what a bare word or quoted string means
    text: Callable[[str, int], ColumnBase]
    #: what ``computer:`` means here; None where it is not a criterion
    computer: Subquery | None = None
    #: whether some criterion has a :class:`Related` (the compiler then groups AND terms)
    has_related: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        related = any(criterion.related for criterion in self.criteria.values())
        object.__setattr__(self, "has_related", related)

    def names(self) -> list[str]:
        """Every criterion name, ``computer`` included when it is one, sorted."""
        names = list(self.criteria)
        if self.computer is not None:
            names.append("computer")
        return sorted(names)


# -- value parsers: each raises ValueError with the sentence the user will read --------------

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


def _activity_type(value: str) -> str:
    if value not in _KNOWN_TYPES:
        raise invalid("type", value, " (expected a known activity type)"
                      + did_you_mean(value, ACTIVITY_TYPES))
    return value


def _annotation(value: str) -> tuple[str, str | None]:
    key, colon, text = value.partition(":")
    if not key:
        raise invalid("annotation", value, " (expected KEY or KEY:VALUE)")
    return key, text if colon else None


_KNOWN_TYPES = frozenset(ACTIVITY_TYPES)
#: app.models.STATUSES in the order of QUERY.md §2's error message
STATUS_CHOICES = ("canceled", "delivered", "failed", "scheduled", "succeeded", "undelivered",
                  "unapproved")


# -- SQL building blocks ---------------------------------------------------------------------

_new = object.__new__
# OP's attribute lookup is a Python call: read the operators once.
_EQ, _IN, _ILIKE = OP.EQ, OP.IN, OP.ILIKE


def all_of(expressions: Iterable[ColumnBase]) -> ColumnBase:
    """``(a AND b AND ...)`` as one node (Peewee's ``&`` nests a node per operand)."""
    return NodeList(tuple(expressions), " AND ", True)  # parens=True: a keyword costs 0.1 µs


def any_of(expressions: Iterable[ColumnBase]) -> ColumnBase:
    """``(a OR b OR ...)`` as one node."""
    return NodeList(tuple(expressions), " OR ", True)


def expression(lhs: Any, operator: str, rhs: Any) -> Expression:
    """``Expression(lhs, operator, rhs)``, built without Peewee's constructor.

    ``Expression.__init__`` reads ``OP.IN`` and ``OP.NOT_IN`` from a dict subclass whose
    attribute lookup is a Python call: most of a microsecond per node. The node's whole state
    is these four attributes (``rhs`` must not be a generator, which ``__init__`` would expand).
    """
    node = _new(Expression)
    node.lhs = lhs
    node.op = operator
    node.rhs = rhs
    node.flat = False
    return node


def compare(column: ColumnBase, operator: str = OP.EQ) -> Builder:
    """The builder of ``column <operator> value``: ``compare(Activity.id)`` for ``id:N``."""
    return lambda value, account_id: expression(column, operator, value)


def contains(column: ColumnBase, text: str) -> ColumnBase:
    """``column.contains(text)``: a case-insensitive substring, ``%``, ``_`` and ``\\`` escaped."""
    if "%" in text or "_" in text or "\\" in text:
        return column.contains(text)  # Peewee adds the ESCAPE clause
    return expression(column, _ILIKE, f"%{text}%")


def exists(query: Select) -> ColumnBase:
    """``EXISTS(query)``: ``fn.EXISTS(query)`` without ``fn``'s Python ``__getattr__`` (0.6 µs)."""
    return Function("EXISTS", (query,))


def ids_where(column: Field) -> Callable[[ColumnBase], Select]:
    """``where(condition)`` of ``SELECT column FROM <its table>``: a sub-select factory.

    The base query is built once; ``where`` returns a new query and never changes it.
    """
    base = column.model.select(column)
    state = base.__dict__
    query_class = type(base)

    def where(condition: ColumnBase) -> Select:
        # Select.where() clones through five clone() methods (2 µs). A query's state is its
        # __dict__, and every Peewee method that changes a query first clone()s it, copying
        # its lists, so copies may share them; each copy needs its own hash, which for an
        # unaliased query is SelectBase._get_hash's hash of its class and id.
        query = _new(query_class)
        query.__dict__ = state.copy()
        query._where = condition
        query._hash = hash((query_class, id(query)))
        return query
    return where


def _computers_with(column: Field, condition: Callable[[Any], ColumnBase]) -> Builder:
    """Computers having a row of ``column``'s table that matches ``condition(value)``.

    A correlated ``EXISTS``: pages are read newest first and stop at their limit, so each
    candidate is checked by one index lookup, instead of first listing every computer that
    has, say, the tag (thousands of rows for a common tag). Rows of tags, annotations and
    devices have no account of their own; the outer query limits the computer's account.
    """
    rows_where = ids_where(column)
    # Peewee never changes a node in place (it clones first), so one node serves every query.
    of_the_computer = expression(column, _EQ, Computer.id)

    def build(value: Any, account_id: int) -> ColumnBase:
        return exists(rows_where(all_of((of_the_computer, condition(value)))))
    return build


def _annotated(value: tuple[str, str | None]) -> ColumnBase:
    key, text = value
    matches_key = expression(ComputerAnnotation.key, _EQ, key)
    if text is None:
        return matches_key
    return all_of((matches_key, contains(ComputerAnnotation.value, text)))


_persons_where = ids_where(Person.id)
_computers_where = ids_where(Computer.id)
_ITS_COMPUTER = expression(Computer.id, _EQ, Activity.computer_id)  # shared, as of_the_computer
_HOSTNAME, _TITLE = fn.LOWER(Computer.hostname), fn.LOWER(Computer.title)
#: columns whose equality names at most a few of an account's computers
_IDENTIFYING = (Computer.id, _HOSTNAME, _TITLE)


def _created_by(email: str, account_id: int) -> ColumnBase:
    """Activities created by the account's person with this e-mail.

    E-mails are unique across the store, so the person is one row or none, and an equality
    with that sub-select reads the person's activities newest first by index. ``IN`` the
    sub-select had SQLite read the whole account newest first instead (300 ms on 1M rows
    for a person with no activities).
    """
    persons = _persons_where(all_of((expression(Person.account, _EQ, account_id),
                                     expression(Person.email_key, _EQ, email))))
    return expression(Activity.creator, _EQ, persons)


def _names_few_computers(computers: ColumnBase) -> bool:
    """Whether a compiled computer query can only match a handful of an account's computers:
    an equality on an identifying column, a conjunction with one, or a disjunction of them."""
    if isinstance(computers, Expression):
        return computers.op == _EQ and any(computers.lhs is column for column in _IDENTIFYING)
    if isinstance(computers, NodeList):
        if computers.glue == " AND ":
            return any(_names_few_computers(node) for node in computers.nodes)
        if computers.glue == " OR ":
            return all(_names_few_computers(node) for node in computers.nodes)
    return False


def _activities_of(computers: ColumnBase, account_id: int) -> ColumnBase:
    """Activities whose computer is one of the account's and matches ``computers``.

    Correlated like :func:`_computers_with` when the computer query may match many
    computers. When it names a few (``hostname:``, ``title:`` or ``id:`` equalities), an
    uncorrelated ``IN`` instead: the database lists those computers first and reads their
    activities by index, where reading the account newest first would check every activity
    of the account for a computer that has few (120 ms on a 1M-row SQLite account, 0.2 ms
    this way). ``computer:id:N`` compares the activity's own column and needs no list.
    """
    of_account = expression(Computer.account, _EQ, account_id)
    one_id = (isinstance(computers, Expression) and computers.lhs is Computer.id
              and computers.op == _EQ)
    if not one_id and _names_few_computers(computers):
        return expression(Activity.computer_id, _IN,
                          _computers_where(all_of((of_account, computers))))
    correlated = exists(_computers_where(all_of((_ITS_COMPUTER, of_account, computers))))
    if one_id:
        return all_of((expression(Activity.computer_id, _EQ, computers.rhs), correlated))
    return correlated


def _text(value: str) -> str:
    return value


# -- the vocabularies of QUERY.md §3.1 and §3.2 ---------------------------------------------

COMPUTER_VOCABULARY = Vocabulary(
    name="computer",
    criteria={
        "id": Criterion(non_negative_integer("id"), compare(Computer.id)),
        "tag": Criterion(_text, _computers_with(ComputerTag.computer,
                                                partial(expression, ComputerTag.name, _EQ))),
        "hostname": Criterion(str.lower, compare(_HOSTNAME)),
        "title": Criterion(str.lower, compare(_TITLE)),
        "distribution": Criterion(_text, lambda d, account_id: any_of((
            expression(Computer.distribution, _EQ, d), expression(Computer.codename, _EQ, d)))),
        "access-group": Criterion(_text, compare(Computer.access_group)),
        "mac": Criterion(_text, _computers_with(NetworkDevice.computer,
                                                partial(contains, NetworkDevice.mac_address))),
        "ip": Criterion(_text, _computers_with(NetworkDevice.computer,
                                               partial(contains, NetworkDevice.ip_address))),
        "annotation": Criterion(_annotation, _computers_with(ComputerAnnotation.computer,
                                                             _annotated)),
        "needs": Criterion(one_of("needs", ("reboot",)),
                           lambda flag, account_id: expression(Computer.needs_reboot, _EQ, True)),
    },
    text=lambda value, account_id: any_of(
        (contains(Computer.hostname, value), contains(Computer.title, value))),
)

ACTIVITY_VOCABULARY = Vocabulary(
    name="activity",
    criteria={
        "id": Criterion(non_negative_integer("id"), compare(Activity.id)),
        "parent-id": Criterion(non_negative_integer("parent-id"), compare(Activity.parent)),
        "status": Criterion(one_of("status", STATUS_CHOICES, fold_case=True),
                            compare(Activity.activity_status)),
        "created-after": Criterion(parse_date, compare(Activity.creation_time, OP.GTE)),
        "created-before": Criterion(parse_date, compare(Activity.creation_time, OP.LT)),
        "creator": Criterion(str.lower, _created_by),
        "type": Criterion(_activity_type, compare(Activity.type)),
    },
    text=lambda value, account_id: contains(Activity.summary, value),
    computer=Subquery(COMPUTER_VOCABULARY, _activities_of),
)
