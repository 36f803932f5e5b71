"""Creating activities (ACTIVITIES.md §6): a group per request with one child per computer,
package changes checked against the catalogue, and reapplying or reverting final ones.

Decisions the spec leaves open:

- A group's ``deliver_after_time`` is the ``deliver_after`` asked for; its children's are
  spread over ``deliver_delay_window`` minutes after it (after now when none was given).
- The catalogue has no versions, so new changes carry ``"version": null``. Reverting an
  upgrade downgrades to the change's ``previous_version`` when a fixture recorded one.
- ``UpgradePackages`` without package names creates ``UpgradeAllPackagesRequest`` children.
- Reapplying or reverting a child creates a standalone activity; a group re-creates its
  children under a new group, skipping children whose computer was removed.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Callable, Iterable, Sequence

from peewee import chunked

from . import change_events
from .activity_state import (CHANGE_REQUEST, GROUP, REAPPLIABLE, REVERTABLE,
                             STATUS_CHANGE_REFUSED, derive_group_status, lock_account,
                             may_revert, refusal, unknown_activities)
from .errors import BadRequest, BulkRefusal
from .idset import in_ids, in_texts
from .models import (Account, Activity, ActivityStatus, Computer, EventAction, Package, Person,
                     database)

CHUNK = 500
VERBS = {"install": "Install", "remove": "Remove", "upgrade": "Upgrade",
         "downgrade": "Downgrade", "hold": "Hold", "unhold": "Unhold"}
INVERSE = {"install": "remove", "remove": "install", "upgrade": "downgrade",
           "downgrade": "upgrade", "hold": "unhold", "unhold": "hold"}


@dataclass
class Request:
    """What each computer is asked to do."""

    type: str
    summary: str
    changes: list[dict[str, Any]] = field(default_factory=list)
    package_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Creation:
    """Who creates activities, when, and in which account."""

    account: Account
    creator: Person | None
    now: datetime

    def status(self, deliver_after: datetime | None) -> str:
        """The initial status (§3.1): unapproved, scheduled or undelivered."""
        if self.account.require_approval:
            return ActivityStatus.UNAPPROVED
        if deliver_after is not None and deliver_after > self.now:
            return ActivityStatus.SCHEDULED
        return ActivityStatus.UNDELIVERED

    def row(self, request: Request, *, computer_id: int | None = None,
            parent_id: int | None = None, deliver_after: datetime | None = None,
            status: str | None = None) -> dict[str, Any]:
        """The column values of one new activity."""
        return {"account": self.account.id, "type": request.type, "summary": request.summary,
                "activity_status": status or self.status(deliver_after),
                "creator": self.creator.id if self.creator is not None else None,
                "computer_id": computer_id, "parent": parent_id, "creation_time": self.now,
                "modification_time": self.now, "deliver_after_time": deliver_after,
                "changes": request.changes, "package_ids": request.package_ids}

    def group(self, request: Request, children: Sequence[tuple[int | None, Request]],
              deliver_after: datetime | None = None, delay_window: int = 0,
              log: bool = True) -> int:
        """Create an ActivityGroup like ``request`` with one child per
        ``(computer id, child request)``; returns the group's id. ``log``: record its
        ``created`` event (one for the group)."""
        lock_account(self.account.id)
        rng = random.Random()
        times = [_delayed(deliver_after or self.now, delay_window, rng) if delay_window
                 else deliver_after for _ in children]
        statuses = [self.status(moment) for moment in times]
        parent = self.row(replace(request, type=GROUP), deliver_after=deliver_after,
                          status=derive_group_status(statuses))
        parent_id = Activity.insert(parent).execute()
        rows = [self.row(child, computer_id=computer_id, parent_id=parent_id,
                         deliver_after=moment, status=status)
                for (computer_id, child), moment, status in zip(children, times, statuses)]
        for batch in chunked(rows, CHUNK):
            Activity.insert_many(batch).execute()
        if log:
            change_events.activity_created(self.account.id, parent_id, len(rows))
        return parent_id

    def single(self, request: Request, computer_id: int | None, log: bool = True) -> int:
        """Create one activity without a parent; returns its id (``log``: record its
        ``created`` event)."""
        lock_account(self.account.id)
        activity_id = Activity.insert(self.row(request, computer_id=computer_id)).execute()
        if log:
            change_events.activity_created(self.account.id, activity_id)
        return activity_id


def _delayed(start: datetime, window_minutes: int, rng: random.Random) -> datetime:
    return start + timedelta(seconds=rng.randint(0, window_minutes * 60))


def summarize(verb: str, names: Sequence[str]) -> str:
    """``Install package a``, ``Install packages a and b``, ``… a, b and c``."""
    if len(names) <= 1:
        return f"{verb} package {names[0]}" if names else f"{verb} packages"
    listed = ", ".join(names[:-1]) + " and " + names[-1]
    return f"{verb} packages {listed}"


def summarize_changes(changes: Sequence[dict[str, Any]]) -> str:
    """The summary of a list of changes: one verb when they share a type, else ``Change``."""
    kinds = {change.get("type") for change in changes}
    verb = VERBS.get(str(kinds.pop()), "Change") if len(kinds) == 1 else "Change"
    return summarize(verb, [str(change.get("package")) for change in changes])


def package_request(account_id: int, names: Iterable[str], change_type: str) -> Request:
    """A ``ChangePackagesRequest`` for ``names``; names not in the catalogue are a 400.

    A name may exist in several namespaces: ``package_ids`` lists every such package.
    """
    names = list(dict.fromkeys(names))
    rows = (Package.select(Package.id, Package.name)
            .where((Package.account == account_id) & in_texts(Package.name, names))
            .order_by(Package.id).tuples())
    ids_by_name: dict[str, list[int]] = {}
    for package_id, name in rows:
        ids_by_name.setdefault(name, []).append(package_id)
    unknown = [name for name in names if name not in ids_by_name]
    if unknown:
        raise BadRequest("Unknown packages: " + ", ".join(unknown), code="UnknownPackages")
    changes = [{"package": name, "type": change_type, "version": None, "complemented": False}
               for name in names]
    package_ids = [pid for name in names for pid in ids_by_name[name]]
    return Request(CHANGE_REQUEST, summarize(VERBS[change_type], names), changes, package_ids)


def inverse_changes(changes: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The changes that undo ``changes`` (install ↔ remove, upgrade → downgrade, …)."""
    inverted = []
    for change in changes:
        kind = INVERSE.get(str(change.get("type")), change.get("type"))
        version = change.get("previous_version") if kind in ("downgrade", "upgrade") \
            else change.get("version")
        inverted.append({"package": change.get("package"), "type": kind, "version": version,
                         "complemented": False})
    return inverted


# --- reapply and revert ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    id: int
    type: str
    summary: str
    status: str
    computer_id: int | None
    changes: list
    package_ids: list

    def request(self, changes: list | None = None) -> Request:
        if changes is None:
            return Request(self.type, self.summary, self.changes, self.package_ids)
        return Request(self.type, summarize_changes(changes), changes, self.package_ids)


_ROW_FIELDS = (Activity.id, Activity.type, Activity.summary, Activity.activity_status,
               Activity.computer_id, Activity.changes, Activity.package_ids)


def _rows(where) -> list[_Row]:
    return [_Row(*row) for row in Activity.select(*_ROW_FIELDS).where(where)
            .order_by(Activity.id).tuples()]


@dataclass(frozen=True)
class _Redo:
    """Reapply or revert: which activities qualify and what their copies ask."""

    verb: str
    #: the reason an activity does not qualify, or None when it does
    refuse: Callable[[_Row], str | None]
    #: the changes of the copy (None: the same request)
    changes: Callable[[_Row], list | None]
    #: whether a group's child is copied into the new group
    keeps_child: Callable[[_Row], bool]


def _refuse_reapply(row: _Row) -> str | None:
    return None if row.status in REAPPLIABLE else refusal(row.id, row.status, "reapplied")[1]


def _refuse_revert(row: _Row) -> str | None:
    if row.status not in REVERTABLE:
        return refusal(row.id, row.status, "reverted")[1]
    if not may_revert(row.status, row.type, bool(row.changes)):
        return f"Activity {row.id} is not a package change and cannot be reverted"
    return None


REAPPLY = _Redo("reapplied", _refuse_reapply, lambda row: None, lambda child: True)
REVERT = _Redo("reverted", _refuse_revert, lambda row: inverse_changes(row.changes),
               lambda child: _refuse_revert(child) is None)


def redo(creation: Creation, activity_ids: Sequence[int], how: _Redo) -> list[int]:
    """Reapply or revert the account's activities ``activity_ids``, all or nothing.

    Returns the new top-level activities' ids, ascending.
    """
    wanted = sorted(set(activity_ids))
    rows = _rows((Activity.account == creation.account.id) & in_ids(Activity.id, wanted))
    missing = set(wanted) - {row.id for row in rows}
    if missing:
        raise unknown_activities(missing)
    groups = [row.id for row in rows if row.type == GROUP]
    children: dict[int, list[_Row]] = {}
    if groups:
        query = Activity.select(Activity.parent, *_ROW_FIELDS).where(
            in_ids(Activity.parent, groups)).order_by(Activity.id).tuples()
        for parent_id, *child in query:
            children.setdefault(parent_id, []).append(_Row(*child))
    alive = _existing_computers(creation.account.id, [
        row.computer_id for row in rows + [c for cs in children.values() for c in cs]])
    refused: list[tuple[int, str]] = []
    plans: list[tuple[_Row, list[_Row]]] = []
    for row in rows:
        reason = how.refuse(row)
        if reason is None and row.type == GROUP:
            kept = [c for c in children.get(row.id, ())
                    if c.computer_id in alive and how.keeps_child(c)]
            if not kept:
                reason = f"Activity {row.id} has no child that can be {how.verb}"
            plans.append((row, kept))
        elif reason is None:
            if row.computer_id is not None and row.computer_id not in alive:
                reason = f"Activity {row.id} cannot be {how.verb}: its computer was removed"
            plans.append((row, []))
        if reason is not None:
            refused.append((row.id, reason))
    if refused:
        raise BulkRefusal(STATUS_CHANGE_REFUSED, refused)
    created = []
    for row, kept in plans:
        if row.type == GROUP:
            created.append(creation.group(row.request(how.changes(row)), [
                (child.computer_id, child.request(how.changes(child))) for child in kept],
                log=False))
        else:
            created.append(creation.single(row.request(how.changes(row)), row.computer_id,
                                           log=False))
    # The copies' one event each is the original's ``reapplied``/``reverted``, naming them.
    change_events.activities_redone(creation.account.id, EventAction(how.verb),
                                    [(row.id, new) for (row, _), new in zip(plans, created)])
    return sorted(created)


def _existing_computers(account_id: int, ids: Iterable[int | None]) -> set[int]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return set()
    query = Computer.select(Computer.id).where((Computer.account == account_id)
                                               & in_ids(Computer.id, wanted))
    return {row[0] for row in database.execute(query)}
