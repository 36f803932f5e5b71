"""Reading activities in the legacy JSON shape of ACTIVITIES.md §3 and §4.

Rows are read straight from the DB-API cursor (no model instances, no per-field Peewee
conversion) with the creator joined once and the times selected as text
(:func:`app.timefmt.time_field`), and become dicts by :data:`ACTIVITY`'s generated function;
:mod:`app.rendering` writes them. The stored ``changes`` and ``package_ids`` are JSON
already: they go out as they are (``orjson.Fragment``), or decoded for a wire dialect that
reads them (``decoded=True``). On SQLite the plain legacy page skips all of that: the store
writes the page's JSON itself from the same declaration (:func:`activity_page`).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Collection, Iterable, Sequence

import orjson
from peewee import JOIN, SQL, Case, ColumnBase, fn

from query_language import compile_query

from .activity_state import APPROVABLE, CANCELABLE, GROUP, PENDING, REAPPLIABLE, may_revert
from .prepared import PreparedQuery
from .store.plan_choice import activity_page_plan
from .store.rows import (DictShape, JsonArray, JsonArrayQuery, field, json_pages,
                         sql_literal as lit)
from .store.vocabularies import ACTIVITY_VOCABULARY
from .idset import in_ids
from .keyset import Ordering
from .models import Activity, ActivityStatus, Person, database
from .timefmt import time_field

#: the API version whose activities carry the ``actions`` flags
ACTIONS_VERSION = "2013-11-04"

ORDER = (Activity.creation_time.desc(), Activity.id.desc())
_NO_CHANGES = (None, "", "[]")

#: an activity as a dict
Item = dict[str, Any]


def actions(type_: str, status: str, has_changes: bool) -> dict[str, bool]:
    """The ``actions`` flags of API version 2013-11-04: what may be done with the activity."""
    return {"approvable": status in APPROVABLE,
            "cancelable": status in CANCELABLE,
            "reappliable": status in REAPPLIABLE,
            "revertable": may_revert(status, type_, has_changes)}


_STORED = "stored($0 or '[]')"


def _stored_json(column: ColumnBase) -> ColumnBase:
    return fn.json(fn.coalesce(fn.nullif(column, lit("")), lit("[]")))


def _creator_json(person_id: ColumnBase, name: ColumnBase, email: ColumnBase) -> ColumnBase:
    # json_object keeps the JSON subtype of a CASE's result (tests/activities/test_json_pages)
    return Case(None, [(person_id.is_null(), SQL("NULL"))],
                fn.json_object(lit("id"), person_id, lit("name"), name, lit("email"), email))

#: The legacy activity object: the columns each member reads and its value. Twenty of
#: these per page and a thousand for big ones: members are expressions of the generated
#: function rather than helper calls.
ACTIVITY = DictShape("activity", [
    field("id", Activity.id),
    field("type", Activity.type),
    field("summary", Activity.summary),
    field("activity_status", Activity.activity_status),
    field("creator", Person.id, Person.name, Person.email,
          text="None if $0 is None else {'id': $0, 'name': $1, 'email': $2}",
          json=_creator_json),
    field("computer_id", Activity.computer_id),
    field("parent_id", Activity.parent),
    time_field("creation_time", Activity.creation_time),
    time_field("modification_time", Activity.modification_time),
    time_field("delivery_time", Activity.delivery_time),
    time_field("completion_time", Activity.completion_time),
    time_field("approval_time", Activity.approval_time),
    time_field("deliver_after_time", Activity.deliver_after_time),
    time_field("deliver_before_time", Activity.deliver_before_time),
    field("result_text", Activity.result_text),
    field("result_code", Activity.result_code),
    field("progress", Activity.progress),
    field("package_ids", Activity.package_ids, text=_STORED, json=_stored_json),
    field("changes", Activity.changes, text=_STORED, json=_stored_json),
], {"stored": orjson.Fragment})
#: the same with ``changes`` and ``package_ids`` decoded
ACTIVITY_DECODED = ACTIVITY.with_helpers("activity_decoded", {"stored": orjson.loads})
_TYPE, _STATUS, _CHANGES = (ACTIVITY.position[name] for name in (
    "type", "activity_status", "changes"))


def _items(rows: Iterable[tuple], with_actions: bool, decoded: bool,
           extras: dict[int, dict[str, Any]] | None = None) -> list[Item]:
    """Rows of :data:`ACTIVITY`'s columns as legacy activity dicts, with the ``actions``
    flags and each activity's ``extras`` (more members, by id) when asked."""
    render = ACTIVITY_DECODED.render if decoded else ACTIVITY.render
    if not with_actions and not extras:
        return [render(row) for row in rows]
    items = []
    for row in rows:
        item = render(row)
        if with_actions:
            item["actions"] = actions(row[_TYPE], row[_STATUS], row[_CHANGES] not in _NO_CHANGES)
        if extras:
            item.update(extras[row[0]])
        items.append(item)
    return items


def select_activities(where: ColumnBase, columns: Iterable[ColumnBase] = ACTIVITY.columns):
    """The activities matching ``where`` with their creators, in the legacy column order
    (or ``columns`` of the same tables)."""
    return (Activity.select(*columns)
            .join(Person, JOIN.LEFT_OUTER, on=(Activity.creator == Person.id))
            .where(where))


def render(query, *, with_actions: bool = False, with_children: bool = False,
           decoded: bool = False) -> list[Item]:
    """Run a :func:`select_activities` query: its activities, in the query's order;
    ``with_children`` adds :func:`children_summary`'s members."""
    rows = database.execute(query).fetchall()
    extras = children_summary([row[0] for row in rows]) if with_children else None
    return _items(rows, with_actions, decoded, extras)


def account_filter(account_id: int, condition: ColumnBase | None) -> ColumnBase:
    """The account's activities, narrowed by a compiled query when there is one."""
    where = Activity.account == account_id
    return where if condition is None else where & condition


# Stand-ins for the per-request values while a page's SQL is generated; user values can
# never be negative integers, so each stand-in marks exactly the parameters to substitute.
_ACCOUNT, _LIMIT, _OFFSET = -1_000_001, -1_000_002, -1_000_003


@lru_cache(maxsize=512)
def page_query(query: str, groups_only: bool, roots_only: bool = False,
               as_json: bool = False) -> PreparedQuery:
    """The page query for one query text; ``as_json``: its activities as one JSON array
    written by SQLite (:data:`ACTIVITY`'s ``json_object``, in the page's order).

    Generating SQL from the compiled Peewee expression costs more than running an indexed
    page query, and scripts send the same query texts again and again, so the SQL (never
    a result) is generated once per process and dialect, like a driver's prepared statements.
    On PostgreSQL a call runs the statement's generic plan when the query's values are
    common, and is planned for its values otherwise (:mod:`app.store.plan_choice`).
    """
    def build():
        where = account_filter(_ACCOUNT, compile_query(query, ACTIVITY_VOCABULARY,
                                                       account_id=_ACCOUNT))
        if groups_only:
            where &= Activity.type == GROUP
        if roots_only:
            where &= Activity.parent.is_null()
        columns = [ACTIVITY.json_object().alias("item")] if as_json else ACTIVITY.columns
        page = select_activities(where, columns).order_by(*ORDER).limit(_LIMIT).offset(_OFFSET)
        return JsonArrayQuery(page, "item") if as_json else page
    return PreparedQuery(build, generic_when=activity_page_plan(
                             query, GROUP if groups_only else None),
                         generic_literals=("limit", "offset"),
                         account=_ACCOUNT, limit=_LIMIT, offset=_OFFSET)


def activity_page(account_id: int, query: str, limit: int, offset: int, *,
                  with_actions: bool = False, groups_only: bool = False,
                  roots_only: bool = False, decoded: bool = False) -> Sequence[Item]:
    """One page of the account's activities matching ``query``, newest first; a page of
    groups carries their children's figures; ``roots_only``: activities without a parent.

    The plain legacy page on SQLite is written as JSON by the store itself
    (:class:`~app.store.rows.JsonArray`): no Python object per row or column."""
    if not (with_actions or groups_only or decoded) and json_pages():
        (text,) = page_query(query, False, roots_only, as_json=True).execute(
            account=account_id, limit=limit, offset=offset).fetchone()
        return JsonArray(text)
    rows = page_query(query, groups_only, roots_only).execute(
        account=account_id, limit=limit, offset=offset).fetchall()
    extras = children_summary([row[0] for row in rows]) if groups_only else None
    return _items(rows, with_actions, decoded, extras)


#: the orders of keyset pages, by name
ORDERINGS_BY_NAME = {"createdAt": Activity.creation_time, "updatedAt": Activity.modification_time,
                     "completedAt": Activity.completion_time, "id": Activity.id}


def ordering(name: str, descending: bool) -> Ordering:
    """The keyset order of :data:`ORDERINGS_BY_NAME` ``name``, ties broken by id."""
    return Ordering(name, ORDERINGS_BY_NAME[name], Activity.id, descending)


def keyset_query(account_id: int, query: str, criteria: str, limit: int, order: Ordering,
                 after: tuple[Any, int] | None, *, roots_only: bool = False,
                 groups_only: bool = False):
    """The query of :func:`keyset_page`: the activity columns, then the order's column."""
    where = Activity.account == account_id
    for text in (query, criteria):
        condition = compile_query(text, ACTIVITY_VOCABULARY, account_id=account_id)
        if condition is not None:
            where &= condition
    if roots_only:
        where &= Activity.parent.is_null()
    if groups_only:
        where &= Activity.type == GROUP
    if after is not None:
        where &= order.after(after)
    return (Activity.select(*ACTIVITY.columns, order.column)
            .join(Person, JOIN.LEFT_OUTER, on=(Activity.creator == Person.id))
            .where(where).order_by(*order.order_by()).limit(limit))


def keyset_page(account_id: int, query: str, criteria: str, limit: int, order: Ordering,
                after: tuple[Any, int] | None, *, with_actions: bool = False,
                roots_only: bool = False, groups_only: bool = False
                ) -> tuple[list[Item], tuple[Any, int] | None]:
    """One page of the account's activities matching ``query`` and ``criteria`` (another
    query, compiled apart) in ``order``, starting after the sort key ``after`` (a range
    scan, no OFFSET), and the sort key of its last item when more follow (``None``: the
    last page). Its ``changes`` and ``package_ids`` are decoded (only dialects ask for
    keyset pages)."""
    page = keyset_query(account_id, query, criteria, limit + 1, order, after,
                        roots_only=roots_only, groups_only=groups_only)
    rows = database.execute(page).fetchall()
    more = len(rows) > limit
    rows = rows[:limit]
    last = (rows[-1][-1], rows[-1][0]) if more else None
    return _items([row[:-1] for row in rows], with_actions, True), last


def activities_by_id(account_id: int, ids: Collection[int], *, with_actions: bool = False,
                     with_children: bool = False, decoded: bool = False) -> list[Item]:
    """The account's activities among ``ids``, in the order of ``ids``."""
    if not ids:
        return []
    found = {item["id"]: item for item in render(
        select_activities((Activity.account == account_id) & in_ids(Activity.id, ids)),
        with_actions=with_actions, with_children=with_children, decoded=decoded)}
    return [found[i] for i in ids if i in found]


def one_activity(account_id: int, activity_id: int, *, with_actions: bool = False,
                 with_children: bool = False, decoded: bool = False) -> Item | None:
    """One of the account's activities, or ``None``."""
    found = activities_by_id(account_id, [activity_id], with_actions=with_actions,
                             with_children=with_children, decoded=decoded)
    return found[0] if found else None


def children_summary(parent_ids: Collection[int]) -> dict[int, dict[str, Any]]:
    """Per parent, the members ``children_count``, ``children_statuses`` (good: succeeded,
    warning: not final yet, bad: failed or canceled) and ``computer_count`` of the v2
    ``/activities/parents`` shape, from one aggregate query."""
    if not parent_ids:
        return {}

    def count_of(statuses: Iterable[str]) -> ColumnBase:
        return fn.SUM(Case(None, [(Activity.activity_status.in_(sorted(statuses)), 1)], 0))

    query = (Activity.select(Activity.parent, fn.COUNT(Activity.id),
                             count_of({ActivityStatus.SUCCEEDED}), count_of(PENDING),
                             count_of({ActivityStatus.FAILED, ActivityStatus.CANCELED}),
                             fn.COUNT(Activity.computer_id.distinct()))
             .where(in_ids(Activity.parent, parent_ids)).group_by(Activity.parent))
    figures: dict[int, tuple[int, ...]] = {parent_id: (0, 0, 0, 0, 0) for parent_id in parent_ids}
    for parent_id, *counts in database.execute(query):
        figures[parent_id] = tuple(int(count) for count in counts)
    return {parent_id: {"children_count": total,
                        "children_statuses": {"good": good, "warning": warning, "bad": bad},
                        "computer_count": computers}
            for parent_id, (total, good, warning, bad, computers) in figures.items()}

# --- what the wire dialects add to a page (ExtendedResult) ----------------------------------


def count_activities(account_id: int, query: str, *, groups_only: bool = False) -> int:
    """How many of the account's activities match ``query`` (all pages of
    :func:`activity_page` together)."""
    where = account_filter(account_id, compile_query(query, ACTIVITY_VOCABULARY,
                                                     account_id=account_id))
    if groups_only:
        where &= Activity.type == GROUP
    return Activity.select().where(where).count()


def children_of(account_id: int, parent_ids: Collection[int], *,
                with_actions: bool = False) -> dict[int, list[Item]]:
    """Each of ``parent_ids``'s children, oldest first (by id), ``changes`` and
    ``package_ids`` decoded; parents without children get none."""
    if not parent_ids:
        return {}
    query = (select_activities((Activity.account == account_id)
                               & in_ids(Activity.parent, parent_ids))
             .order_by(Activity.id))
    children: dict[int, list[Item]] = {}
    for item in render(query, with_actions=with_actions, decoded=True):
        children.setdefault(item["parent_id"], []).append(item)
    return children


def sole_computers(parent_ids: Collection[int]) -> dict[int, int]:
    """The computer id of each parent whose children all run on that one computer."""
    if not parent_ids:
        return {}
    query = (Activity.select(Activity.parent, fn.MIN(Activity.computer_id))
             .where(in_ids(Activity.parent, parent_ids))
             .group_by(Activity.parent)
             .having((fn.COUNT(Activity.computer_id.distinct()) == 1)
                     & (fn.COUNT(Activity.computer_id) == fn.COUNT(Activity.id))))
    return {parent_id: computer_id for parent_id, computer_id in database.execute(query)}
