"""Activity statuses: the transitions of ACTIVITIES.md §3.1, derived parents (§3.2), the
all-or-nothing bulk changes of §5 and the agent's delivery and reports of §7.

Every function here changes statuses and must run inside one transaction. Writers of one
account's activities (these functions and the creators of :mod:`app.activity_factory`) are
serialised by :func:`lock_account` (PostgreSQL: a transaction-scoped advisory lock; SQLite:
the ``BEGIN IMMEDIATE`` write lock already held), and the rows they select are also locked
``FOR UPDATE`` on PostgreSQL. The serialisation matters for parents: a parent's status is
derived from all of its children, so two transactions changing different children of one
parent must not each derive it from a stale view of the other; and it keeps a selection
stable between the check and the change. Changes are set-based ``UPDATE`` statements (by
the selection's filter, or by a set of ids bound as one parameter, :mod:`app.idset`), never
one statement per row.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Collection, Iterable

from peewee import Case, ColumnBase, fn

from . import change_events
from .db import advisory_lock
from .errors import BulkRefusal, NotFound, echo
from .idset import in_ids, locked
from .models import (FINAL_STATUSES, PENDING_STATUSES, Activity, ActivityStatus, EventAction,
                     database)

GROUP = "ActivityGroup"
#: the request type whose changes a revert inverts
CHANGE_REQUEST = "ChangePackagesRequest"
FINAL = frozenset(FINAL_STATUSES)
PENDING = frozenset(PENDING_STATUSES)

# The transition rules of §3.1 and §5, defined once: the bulk changes below, the redo
# actions (app.activity_factory) and the ``actions`` flags of the JSON (app.activity_json)
# all read them here.
#: the statuses from which an activity may be approved, canceled, reapplied or reverted
APPROVABLE = frozenset({ActivityStatus.UNAPPROVED})
CANCELABLE = PENDING
REAPPLIABLE = FINAL
REVERTABLE = frozenset({ActivityStatus.SUCCEEDED})
#: the types a revert applies to (when the activity has package changes)
REVERTABLE_TYPES = frozenset({CHANGE_REQUEST, GROUP})


def may_revert(status: str, type_: str, has_changes: bool) -> bool:
    """Whether an activity can be reverted: a succeeded package change (or group of them)."""
    return status in REVERTABLE and type_ in REVERTABLE_TYPES and has_changes
STATUS_CHANGE_REFUSED = "InvalidActivityStatusChange"
#: the first key of PostgreSQL's two-key advisory locks taken by :func:`lock_account`
_LOCK_SPACE = 0x41637476  # "Actv"


#: A parent's status is its children's highest-ranked status (§3.2): any unapproved child
#: makes it unapproved, else any delivered one delivered, …; once all are final, any failed
#: child makes it failed, else any succeeded one succeeded, else (all canceled) canceled.
RANK: dict[str, int] = {
    ActivityStatus.CANCELED: 1, ActivityStatus.SUCCEEDED: 2, ActivityStatus.FAILED: 3,
    ActivityStatus.SCHEDULED: 4, ActivityStatus.UNDELIVERED: 5, ActivityStatus.DELIVERED: 6,
    ActivityStatus.UNAPPROVED: 7}
_BY_RANK = {rank: status for status, rank in RANK.items()}
_LAST_FINAL_RANK = max(RANK[status] for status in FINAL_STATUSES)


def derive_group_status(statuses: Iterable[str]) -> str:
    """The stored status of an ActivityGroup from its children's statuses; a group without
    children has succeeded. :func:`rederive_parents` applies the same rule in SQL."""
    return max(statuses, key=RANK.__getitem__, default=ActivityStatus.SUCCEEDED)


def refusal(activity_id: int, status: str, verb: str) -> tuple[int, str]:
    """One ``ID => reason`` pair: ``Activity 86 is succeeded and cannot be canceled``."""
    return activity_id, f"Activity {activity_id} is {status} and cannot be {verb}"


def unknown_activities(ids: Collection[int]) -> NotFound:
    """404 ``UnknownActivity`` naming the ids (foreign ids are reported the same way)."""
    listed = ", ".join(str(i) for i in sorted(ids))
    noun = "activity" if len(ids) == 1 else "activities"
    return NotFound(f"Unknown {noun} {echo(listed)}", code="UnknownActivity")


def selected_ids(account_id: int, ids: Collection[int]) -> ColumnBase:
    """The condition selecting the account's activities ``ids``; any id the account does
    not have is 404 ``UnknownActivity``."""
    wanted = sorted(set(ids))
    found = Activity.select(Activity.id).where((Activity.account == account_id)
                                               & in_ids(Activity.id, wanted))
    missing = set(wanted) - {row[0] for row in database.execute(found)}
    if missing:
        raise unknown_activities(missing)
    return in_ids(Activity.id, wanted)


def lock_account(account_id: int) -> None:
    """Serialise the status writers of one account until the transaction ends."""
    advisory_lock(_LOCK_SPACE, account_id)


# --- transitions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    """A bulk status change of §5: which statuses allow it and what it writes."""

    #: the past participle of the refusal lines (``cannot be canceled``)
    verb: str
    #: the statuses an activity may have for the change to apply
    allowed: frozenset[str]
    #: the column values the change writes, given the current time
    values: Callable[[datetime], dict[Any, Any]]
    #: what it writes on a selected group besides its derived status (``approval_time``)
    group_values: Callable[[datetime], dict[Any, Any]] = lambda now: {}

    def apply(self, where: ColumnBase, now: datetime) -> None:
        """One ``UPDATE`` of every activity matching ``where``."""
        Activity.update(self.values(now)).where(where).execute()

    def apply_to_groups(self, ids: Collection[int], now: datetime) -> None:
        """One ``UPDATE`` of the selected groups ``ids``, when the change writes any."""
        values = self.group_values(now)
        if ids and values:
            Activity.update(values).where(in_ids(Activity.id, ids)).execute()


CANCEL = Transition("canceled", CANCELABLE, lambda now: {
    Activity.activity_status: ActivityStatus.CANCELED, Activity.completion_time: now,
    Activity.modification_time: now})

APPROVE = Transition("approved", APPROVABLE, lambda now: {
    Activity.activity_status: Case(None, [(Activity.deliver_after_time > now,
                                           ActivityStatus.SCHEDULED)], ActivityStatus.UNDELIVERED),
    Activity.approval_time: now, Activity.modification_time: now},
    lambda now: {Activity.approval_time: now})


def change_in_bulk(account_id: int, condition: ColumnBase | None, transition: Transition,
                   now: datetime) -> list[int]:
    """Apply ``transition`` to the account's activities matching ``condition``, or to none.

    A selected parent applies the change to its children that allow it and is refused only
    when none does. Returns the ids changed, ascending: the selected activities and the
    children changed through a selected parent (parents re-derived as a consequence are not
    listed). Raises :class:`BulkRefusal` with one line per refused activity.
    """
    lock_account(account_id)
    where = Activity.account == account_id
    if condition is not None:
        where &= condition
    selection = locked(Activity.select(Activity.id, Activity.activity_status, Activity.type,
                                       Activity.parent).where(where))
    rows = database.execute(selection).fetchall()
    allowed, verb = transition.allowed, transition.verb
    groups = {i: status for i, status, type_, _ in rows if type_ == GROUP}
    refused = [refusal(i, status, verb) for i, status, type_, _ in rows
               if type_ != GROUP and status not in allowed]
    targets = [i for i, status, type_, _ in rows if type_ != GROUP and status in allowed]
    explicit = len(targets)
    parents = {p for _, status, type_, p in rows
               if type_ != GROUP and status in allowed and p is not None}
    if groups:
        if condition is not None:  # else every child is selected already
            parents |= _add_unselected_children(groups, condition, allowed, targets)
        refused += [refusal(g, status, verb) for g, status in groups.items()
                    if g not in parents]
    if refused:
        raise BulkRefusal(STATUS_CHANGE_REFUSED, refused)
    changing = where & (Activity.type != GROUP) & Activity.activity_status.in_(sorted(allowed))
    if len(targets) > explicit or groups:
        changing |= in_ids(Activity.id, targets[explicit:] + list(groups))
    change_events.activities(account_id, EventAction(verb), changing, details=(
        change_events.status_change(transition.values(now)[Activity.activity_status])))
    # The selection is stable (the account is locked), so it can be updated by its filter
    # rather than by a list of ids; the children it missed are few and go by id.
    transition.apply(where & (Activity.type != GROUP)
                     & Activity.activity_status.in_(sorted(allowed)), now)
    if len(targets) > explicit:
        transition.apply(in_ids(Activity.id, targets[explicit:]), now)
    transition.apply_to_groups(groups, now)
    rederive_parents(parents, now)
    return sorted(targets + list(groups))


def _add_unselected_children(groups: Collection[int], condition: ColumnBase,
                             allowed: frozenset[str], targets: list[int]) -> set[int]:
    """Add the selected groups' children that the selection missed and that allow the
    change to ``targets``; returns their parents."""
    children = locked(Activity.select(Activity.id, Activity.parent).where(
        in_ids(Activity.parent, groups) & Activity.activity_status.in_(sorted(allowed))
        & ~fn.COALESCE(condition, False)))
    rows = database.execute(children).fetchall()
    targets += [child_id for child_id, _ in rows]
    return {parent_id for _, parent_id in rows}


# --- parents -------------------------------------------------------------------------------


def rederive_parents(parent_ids: Collection[int], now: datetime) -> None:
    """Store the status (and completion time) that §3.2 derives for each parent.

    One ``UPDATE … FROM`` an aggregate of the children (the highest :data:`RANK`), touching
    only the parents whose values change. A parent's completion time is its last child's
    once all are final.
    """
    if not parent_ids:
        return
    child = Activity.alias("child")
    top = fn.MAX(Case(child.activity_status, list(RANK.items()), 0))
    figures = (child.select(child.parent.alias("pid"),
                            Case(top, list(_BY_RANK.items())).alias("status"),
                            Case(None, [(top <= _LAST_FINAL_RANK, fn.MAX(child.completion_time))]
                                 ).alias("completed"))
               .where(in_ids(child.parent, parent_ids))
               .group_by(child.parent)).alias("figures")
    new_status, new_completion = figures.c.status, figures.c.completed
    completion_changed = ((Activity.completion_time.is_null() != new_completion.is_null())
                          | (Activity.completion_time != new_completion))
    (Activity.update({Activity.activity_status: new_status,
                      Activity.completion_time: new_completion,
                      Activity.modification_time: now})
     .from_(figures)
     .where((Activity.id == figures.c.pid)
            & ((Activity.activity_status != new_status) | completion_changed))
     .execute())


def cancel_pending_of_computers(account_id: int, computer_ids: Collection[int],
                                now: datetime) -> None:
    """Cancel the pending activities of computers being removed (no agent will fetch them)."""
    lock_account(account_id)
    pending = locked(Activity.select(Activity.id, Activity.parent).where(
        (Activity.account == account_id) & in_ids(Activity.computer_id, computer_ids)
        & Activity.activity_status.in_(sorted(PENDING))))
    rows = list(database.execute(pending))
    if rows:
        ids = in_ids(Activity.id, [activity_id for activity_id, _ in rows])
        change_events.activities(account_id, EventAction.CANCELED, ids,
                                 details=change_events.status_change(ActivityStatus.CANCELED))
        CANCEL.apply(ids, now)
        rederive_parents({parent for _, parent in rows if parent is not None}, now)


# --- the agent's side ------------------------------------------------------------------------


def deliverable(account_id: int, computer_id: int, now: datetime) -> ColumnBase:
    """The computer's activities that a fetch delivers now: ``undelivered`` ones, and
    ``scheduled`` ones whose deliver-after time has passed."""
    due = (Activity.activity_status == ActivityStatus.UNDELIVERED) | (
        (Activity.activity_status == ActivityStatus.SCHEDULED)
        & (Activity.deliver_after_time.is_null() | (Activity.deliver_after_time <= now)))
    return (Activity.computer_id == computer_id) & (Activity.account == account_id) & due


def deliver_pending(account_id: int, computer_id: int, now: datetime) -> list[int]:
    """Mark the computer's :func:`deliverable` activities ``delivered``; returns their ids,
    oldest first. Each activity is delivered exactly once, whatever the concurrency.
    """
    lock_account(account_id)
    query = locked(Activity.select(Activity.id, Activity.parent)
                   .where(deliverable(account_id, computer_id, now))
                   .order_by(Activity.creation_time, Activity.id))
    rows = list(database.execute(query))
    ids = [activity_id for activity_id, _ in rows]
    if ids:
        change_events.activities(account_id, EventAction.DELIVERED, in_ids(Activity.id, ids),
                                 details=change_events.status_change(ActivityStatus.DELIVERED))
        Activity.update({Activity.activity_status: ActivityStatus.DELIVERED,
                         Activity.delivery_time: now, Activity.modification_time: now}).where(
            in_ids(Activity.id, ids)).execute()
        rederive_parents({parent for _, parent in rows if parent is not None}, now)
    return ids


def _own_activity(account_id: int, computer_id: int, activity_id: int) -> tuple[str, int | None]:
    """The status and parent of one of the computer's activities, locked; else 404."""
    lock_account(account_id)
    row = database.execute(locked(Activity.select(Activity.activity_status, Activity.parent)
                                  .where((Activity.id == activity_id)
                                         & (Activity.computer_id == computer_id)
                                         & (Activity.account == account_id)))).fetchone()
    if row is None:
        raise unknown_activities([activity_id])
    return row[0], row[1]


def report_progress(account_id: int, computer_id: int, activity_id: int, progress: int,
                    now: datetime) -> None:
    """Record a delivered activity's progress; a canceled one accepts and ignores it."""
    status, _ = _own_activity(account_id, computer_id, activity_id)
    if status == ActivityStatus.CANCELED:
        return
    if status != ActivityStatus.DELIVERED:
        raise BulkRefusal(STATUS_CHANGE_REFUSED,
                          [refusal(activity_id, status, "given progress")])
    Activity.update(progress=progress, modification_time=now).where(
        Activity.id == activity_id).execute()


def report_result(account_id: int, computer_id: int, activity_id: int, status: str,
                  result_text: str | None, result_code: int | None, now: datetime) -> None:
    """Complete a delivered activity as ``succeeded`` or ``failed`` and re-derive its parent.

    A canceled activity stays canceled: the report's text is recorded in ``result_text``.
    """
    current, parent_id = _own_activity(account_id, computer_id, activity_id)
    if current == ActivityStatus.CANCELED:
        Activity.update(result_text=result_text, modification_time=now).where(
            Activity.id == activity_id).execute()
        return
    if current != ActivityStatus.DELIVERED:
        raise BulkRefusal(STATUS_CHANGE_REFUSED,
                          [refusal(activity_id, current, f"reported as {status}")])
    change_events.activity_reported(account_id, activity_id, status)
    Activity.update(activity_status=status, completion_time=now, result_text=result_text,
                    result_code=result_code, modification_time=now).where(
        Activity.id == activity_id).execute()
    if parent_id is not None:
        rederive_parents([parent_id], now)
