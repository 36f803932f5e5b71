"""Reading activities in the legacy JSON shape of ACTIVITIES.md §3 and §4.

Rows are read straight from the DB-API cursor (no model instances, no per-field Peewee
conversion) with the creator joined once, and turned into dicts by one function.
"""
from __future__ import annotations

import json
from typing import Any, Collection, Iterable

from peewee import JOIN, Case, ColumnBase, fn

from .activity_state import FINAL, GROUP, PENDING
from .idset import in_ids
from .models import Activity, Person, database
from .timefmt import WIRE_FORMAT

#: the API version whose activities carry the ``actions`` flags
ACTIONS_VERSION = "2013-11-04"
REVERTABLE_TYPES = frozenset({"ChangePackagesRequest", GROUP})

_COLUMNS = (
    Activity.id, Activity.type, Activity.summary, Activity.activity_status,
    Person.id, Person.name, Person.email, Activity.computer_id, Activity.parent,
    Activity.creation_time, Activity.modification_time, Activity.delivery_time,
    Activity.completion_time, Activity.approval_time, Activity.deliver_after_time,
    Activity.deliver_before_time, Activity.result_text, Activity.result_code,
    Activity.progress, Activity.package_ids, Activity.changes,
)
ORDER = (Activity.creation_time.desc(), Activity.id.desc())


def wire_time(value: Any) -> str | None:
    """A stored time as ``YYYY-MM-DDTHH:MM:SSZ``: SQLite gives text, PostgreSQL datetimes."""
    if value is None:
        return None
    if isinstance(value, str):
        return f"{value[:10]}T{value[11:19]}Z"
    return value.strftime(WIRE_FORMAT)


def actions(type_: str, status: str, changes: list) -> dict[str, bool]:
    """The ``actions`` flags of API version 2013-11-04: what may be done with the activity."""
    return {"approvable": status == "unapproved",
            "cancelable": status in PENDING,
            "reappliable": status in FINAL,
            "revertable": status == "succeeded" and type_ in REVERTABLE_TYPES and bool(changes)}


def _json_column(texts: Iterable[str | None]) -> list[Any]:
    """Decode a column of JSON texts with one parser call over its distinct values (one call
    per row costs more than the query; a group's children share their changes). Equal texts
    give the same, shared, object: callers must not mutate them."""
    texts = [text or "[]" for text in texts]
    distinct = list(dict.fromkeys(texts))
    decoded = dict(zip(distinct, json.loads("[" + ",".join(distinct) + "]")))
    return [decoded[text] for text in texts]


def _activity(row: tuple, package_ids: list, changes: list,
              with_actions: bool) -> dict[str, Any]:
    (activity_id, type_, summary, status, creator_id, creator_name, creator_email, computer_id,
     parent_id, created, modified, delivered, completed, approved, after, before, result_text,
     result_code, progress) = row[:19]
    data = {
        "id": activity_id, "type": type_, "summary": summary, "activity_status": status,
        "creator": None if creator_id is None else {
            "id": creator_id, "name": creator_name, "email": creator_email},
        "computer_id": computer_id, "parent_id": parent_id,
        "creation_time": wire_time(created), "modification_time": wire_time(modified),
        "delivery_time": wire_time(delivered), "completion_time": wire_time(completed),
        "approval_time": wire_time(approved), "deliver_after_time": wire_time(after),
        "deliver_before_time": wire_time(before), "result_text": result_text,
        "result_code": result_code, "progress": progress,
        "package_ids": package_ids, "changes": changes,
    }
    if with_actions:
        data["actions"] = actions(type_, status, changes)
    return data


def select_activities(where: ColumnBase):
    """The activities matching ``where`` with their creators, in the legacy column order."""
    return (Activity.select(*_COLUMNS)
            .join(Person, JOIN.LEFT_OUTER, on=(Activity.creator == Person.id))
            .where(where))


def render(query, with_actions: bool = False) -> list[dict[str, Any]]:
    """Run a :func:`select_activities` query and return its rows as legacy JSON objects."""
    rows = database.execute(query).fetchall()
    package_ids = _json_column(row[19] for row in rows)
    changes = _json_column(row[20] for row in rows)
    return [_activity(row, ids, changed, with_actions)
            for row, ids, changed in zip(rows, package_ids, changes)]


def account_filter(account_id: int, condition: ColumnBase | None) -> ColumnBase:
    """The account's activities, narrowed by a compiled query when there is one."""
    where = Activity.account == account_id
    return where if condition is None else where & condition


def activity_page(account_id: int, condition: ColumnBase | None, limit: int, offset: int,
                  *, with_actions: bool = False, groups_only: bool = False) -> list[dict]:
    """One page of the account's activities matching ``condition``, newest first."""
    where = account_filter(account_id, condition)
    if groups_only:
        where &= Activity.type == GROUP
    query = select_activities(where).order_by(*ORDER).limit(limit).offset(offset)
    return render(query, with_actions)


def activities_by_id(account_id: int, ids: Collection[int], *,
                     with_actions: bool = False) -> list[dict[str, Any]]:
    """The account's activities among ``ids``, in the order of ``ids``."""
    if not ids:
        return []
    found = {item["id"]: item for item in render(select_activities(
        (Activity.account == account_id) & in_ids(Activity.id, ids)), with_actions)}
    return [found[i] for i in ids if i in found]


def children_summary(parent_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Per parent: ``children_count``, ``children_statuses`` (good/warning/bad) and
    ``computer_count`` (the v2 ``/activities/parents`` figures), in one aggregate query."""
    parent_ids = list(parent_ids)
    summary = {pid: {"children_count": 0,
                     "children_statuses": {"good": 0, "warning": 0, "bad": 0},
                     "computer_count": 0} for pid in parent_ids}
    if not parent_ids:
        return summary

    def count_of(statuses: Iterable[str]) -> ColumnBase:
        return fn.SUM(Case(None, [(Activity.activity_status.in_(sorted(statuses)), 1)], 0))

    query = (Activity.select(Activity.parent, fn.COUNT(Activity.id),
                             count_of({"succeeded"}), count_of(PENDING),
                             count_of({"failed", "canceled"}),
                             fn.COUNT(Activity.computer_id.distinct()))
             .where(in_ids(Activity.parent, parent_ids)).group_by(Activity.parent))
    for parent_id, total, good, warning, bad, computers in database.execute(query):
        summary[parent_id] = {"children_count": total,
                              "children_statuses": {"good": int(good), "warning": int(warning),
                                                    "bad": int(bad)},
                              "computer_count": computers}
    return summary


def with_children_summary(activities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add the :func:`children_summary` figures to each activity (parents)."""
    summary = children_summary(item["id"] for item in activities)
    for item in activities:
        item.update(summary[item["id"]])
    return activities

