"""The vocabularies of activity and computer queries (QUERY.md §3.1 and §3.2) and of the
event log's (``GetEvents``, DIALECTS.md §3): which column each ``KEY:`` names, and the
sub-selects that keep the hot pages on an index.
"""
from __future__ import annotations

from functools import partial
from typing import Any, Callable

from peewee import OP, ColumnBase, Expression, Field, NodeList, fn

from app.models import (Activity, ActivityStatus, Computer, ComputerAnnotation, ComputerTag,
                        Event, EventStream, NetworkDevice, Person)
from query_language.errors import did_you_mean
from query_language.values import invalid, non_negative_integer, one_of, parse_date
from query_language.vocabularies import (Builder, Criterion, Subquery, Vocabulary, all_of,
                                         any_of, compare, contains, exists, expression,
                                         ids_where)

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
STATUS_CHOICES = (ActivityStatus.CANCELED, ActivityStatus.DELIVERED, ActivityStatus.FAILED,
                  ActivityStatus.SCHEDULED, ActivityStatus.SUCCEEDED, ActivityStatus.UNDELIVERED,
                  ActivityStatus.UNAPPROVED)


# OP's attribute lookup is a Python call: read the operators once.
_EQ, _IN = OP.EQ, OP.IN


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

#: the times the ``created-gt:T`` … ``completed-le:T`` criteria compare, by prefix
TIME_COLUMNS = {"created": Activity.creation_time, "updated": Activity.modification_time,
                "completed": Activity.completion_time}
#: the comparisons of a time criterion, by suffix
TIME_OPERATORS = {"gt": OP.GT, "ge": OP.GTE, "lt": OP.LT, "le": OP.LTE}


def _time_comparisons() -> dict[str, Criterion]:
    """``created-gt:T``, ``updated-le:T``, …: every time column with every comparison."""
    return {f"{prefix}-{suffix}": Criterion(parse_date, compare(column, operator))
            for prefix, column in TIME_COLUMNS.items()
            for suffix, operator in TIME_OPERATORS.items()}


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
        **_time_comparisons(),
    },
    text=lambda value, account_id: contains(Activity.summary, value),
    computer=Subquery(COMPUTER_VOCABULARY, _activities_of),
)


# -- the event log's ---------------------------------------------------------------------------


def _in_stream(stream: str, account_id: int) -> ColumnBase:
    return Event.id.in_(EventStream.select(EventStream.event).where(
        (EventStream.account == account_id) & (EventStream.stream == stream)))


#: ``GetEvents``' query: ``type:``, ``action:``, ``stream:``, ``user:``, ``target:``, ``id:``;
#: a bare word is a substring of the target or the description
EVENT_VOCABULARY = Vocabulary(
    name="event",
    criteria={
        "id": Criterion(non_negative_integer("id"), compare(Event.id)),
        "type": Criterion(_text, compare(Event.type)),
        "action": Criterion(_text, compare(Event.action)),
        "user": Criterion(_text, compare(Event.actor)),
        "target": Criterion(_text, compare(Event.target)),
        "stream": Criterion(_text, _in_stream),
    },
    text=lambda value, account_id: any_of((contains(Event.target, value),
                                           contains(Event.description, value))),
)
