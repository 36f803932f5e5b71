"""Activity statuses: the transitions of ACTIVITIES.md §3.1, derived parents (§3.2), the
all-or-nothing bulk changes of §5 and the agent's delivery and reports of §7.

Every function here changes statuses and must run inside one transaction. Writers of one
account are serialised by :func:`lock_account` (PostgreSQL: a transaction-scoped advisory
lock; SQLite: the ``BEGIN IMMEDIATE`` write lock already held), and the rows they select
are also locked ``FOR UPDATE`` on PostgreSQL. The serialisation matters for parents: a
parent's status is derived from all of its children, so two transactions changing
different children of one parent must not each derive it from a stale view of the other.
Changes are set-based ``UPDATE … WHERE id IN (…)`` statements (:mod:`app.idset`), never one
statement per row.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Collection, Iterable

from peewee import Case, ColumnBase, PostgresqlDatabase, fn

from .errors import BulkRefusal, NotFound
from .idset import in_ids, locked
from .models import FINAL_STATUSES, Activity, database

GROUP = "ActivityGroup"
FINAL = frozenset(FINAL_STATUSES)
PENDING = frozenset({"unapproved", "scheduled", "undelivered", "delivered"})
STATUS_CHANGE_REFUSED = "InvalidActivityStatusChange"
#: the first key of PostgreSQL's two-key advisory locks taken by :func:`lock_account`
_LOCK_SPACE = 0x41637476  # "Actv"


def derive_group_status(statuses: Iterable[str]) -> str:
    """The stored status of an ActivityGroup from its children's statuses (§3.2)."""
    present = set(statuses)
    if not present:
        return "succeeded"
    for status in ("unapproved", "delivered", "undelivered", "scheduled"):
        if status in present:
            return status
    if present == {"canceled"}:
        return "canceled"
    return "failed" if "failed" in present else "succeeded"


def refusal(activity_id: int, status: str, verb: str) -> tuple[int, str]:
    """One ``ID => reason`` pair: ``Activity 86 is succeeded and cannot be canceled``."""
    return activity_id, f"Activity {activity_id} is {status} and cannot be {verb}"


def unknown_activities(ids: Collection[int]) -> NotFound:
    """404 ``UnknownActivity`` naming the ids (foreign ids are reported the same way)."""
    listed = ", ".join(str(i) for i in sorted(ids))
    noun = "activity" if len(ids) == 1 else "activities"
    return NotFound(f"Unknown {noun} {listed}", code="UnknownActivity")


def lock_account(account_id: int) -> None:
    """Serialise the status writers of one account until the transaction ends."""
    if isinstance(database.obj, PostgresqlDatabase):
        database.execute_sql("SELECT pg_advisory_xact_lock(%s, %s)", (_LOCK_SPACE, account_id))


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

    def apply(self, ids: Collection[int], now: datetime) -> None:
        """One ``UPDATE`` of every activity in ``ids``."""
        if ids:
            Activity.update(self.values(now)).where(in_ids(Activity.id, ids)).execute()


CANCEL = Transition("canceled", PENDING, lambda now: {
    Activity.activity_status: "canceled", Activity.completion_time: now,
    Activity.modification_time: now})

APPROVE = Transition("approved", frozenset({"unapproved"}), lambda now: {
    Activity.activity_status: Case(None, [(Activity.deliver_after_time > now, "scheduled")],
                                   "undelivered"),
    Activity.approval_time: now, Activity.modification_time: now})


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
    refused: list[tuple[int, str]] = []
    targets: set[int] = set()
    parents: set[int] = set()
    groups: dict[int, str] = {}
    for activity_id, status, type_, parent_id in database.execute(selection):
        if type_ == GROUP:
            groups[activity_id] = status
        elif status in transition.allowed:
            targets.add(activity_id)
            if parent_id is not None:
                parents.add(parent_id)
        else:
            refused.append(refusal(activity_id, status, transition.verb))
    if groups:
        applied = _apply_to_children(groups, transition, targets)
        parents |= applied
        refused += [refusal(g, groups[g], transition.verb) for g in groups if g not in applied]
    if refused:
        raise BulkRefusal(STATUS_CHANGE_REFUSED, refused)
    transition.apply(targets, now)
    rederive_parents(parents, now)
    return sorted(targets | groups.keys())


def _apply_to_children(groups: dict[int, str], transition: Transition,
                       targets: set[int]) -> set[int]:
    """Add the selected groups' children that allow ``transition`` to ``targets``.

    Returns the groups that have at least one such child.
    """
    children = locked(Activity.select(Activity.id, Activity.activity_status, Activity.parent)
                      .where(in_ids(Activity.parent, groups)))
    applied: set[int] = set()
    for child_id, status, parent_id in database.execute(children):
        if status in transition.allowed:
            targets.add(child_id)
            applied.add(parent_id)
    return applied


# --- parents -------------------------------------------------------------------------------


def rederive_parents(parent_ids: Collection[int], now: datetime) -> None:
    """Store the status (and completion time) that §3.2 derives for each parent.

    One aggregate query reads the children; parents whose values change are updated with
    one ``UPDATE`` per distinct (status, completion time) pair, which in practice is one or
    two statements however many parents there are.
    """
    if not parent_ids:
        return
    present: dict[int, set[str]] = {}
    last_completion: dict[int, Any] = {}
    counts = (Activity.select(Activity.parent, Activity.activity_status,
                              fn.MAX(Activity.completion_time))
              .where(in_ids(Activity.parent, parent_ids))
              .group_by(Activity.parent, Activity.activity_status))
    for parent_id, status, completion in database.execute(counts):
        present.setdefault(parent_id, set()).add(status)
        if completion is not None:
            last_completion[parent_id] = max(completion, last_completion.get(parent_id,
                                                                              completion))
    current = Activity.select(Activity.id, Activity.activity_status,
                              Activity.completion_time).where(in_ids(Activity.id, parent_ids))
    batches: dict[tuple[str, Any], list[int]] = {}
    for parent_id, status, completion in database.execute(current):
        statuses = present.get(parent_id, set())
        derived = derive_group_status(statuses)
        finished = statuses <= FINAL
        new_completion = last_completion.get(parent_id, completion) if finished else None
        if (derived, new_completion) != (status, completion):
            batches.setdefault((derived, new_completion), []).append(parent_id)
    for (status, completion), ids in batches.items():
        Activity.update({Activity.activity_status: status, Activity.completion_time: completion,
                         Activity.modification_time: now}).where(
            in_ids(Activity.id, ids)).execute()


def cancel_pending_of_computers(account_id: int, computer_ids: Collection[int],
                                now: datetime) -> None:
    """Cancel the pending activities of computers being removed (no agent will fetch them)."""
    lock_account(account_id)
    pending = locked(Activity.select(Activity.id, Activity.parent).where(
        (Activity.account == account_id) & in_ids(Activity.computer_id, computer_ids)
        & Activity.activity_status.in_(sorted(PENDING))))
    rows = list(database.execute(pending))
    CANCEL.apply([activity_id for activity_id, _ in rows], now)
    rederive_parents({parent for _, parent in rows if parent is not None}, now)


# --- the agent's side ------------------------------------------------------------------------


def deliverable(account_id: int, computer_id: int, now: datetime) -> ColumnBase:
    """The computer's activities that a fetch delivers now: ``undelivered`` ones, and
    ``scheduled`` ones whose deliver-after time has passed."""
    due = (Activity.activity_status == "undelivered") | (
        (Activity.activity_status == "scheduled")
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
        Activity.update({Activity.activity_status: "delivered", Activity.delivery_time: now,
                         Activity.modification_time: now}).where(
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
    if status == "canceled":
        return
    if status != "delivered":
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
    if current == "canceled":
        Activity.update(result_text=result_text, modification_time=now).where(
            Activity.id == activity_id).execute()
        return
    if current != "delivered":
        raise BulkRefusal(STATUS_CHANGE_REFUSED,
                          [refusal(activity_id, current, f"reported as {status}")])
    Activity.update(activity_status=status, completion_time=now, result_text=result_text,
                    result_code=result_code, modification_time=now).where(
        Activity.id == activity_id).execute()
    if parent_id is not None:
        rederive_parents([parent_id], now)
