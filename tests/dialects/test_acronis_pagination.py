"""Acronis keyset pages: every order walked page by page equals the unpaginated list, rows
inserted between pages are never skipped nor repeated, and cursors are tamper-evident and
bound to their account and order."""
from __future__ import annotations

import datetime as dt

import pytest

from app.models import Activity

ORDERS = [f"{direction}({name})" for name in ("createdAt", "updatedAt", "completedAt", "id")
          for direction in ("asc", "desc")]
STATUSES = ("succeeded", "undelivered", "failed", "unapproved", "canceled", "delivered")


@pytest.fixture
def many(tenant, activities) -> list[int]:
    """30 activities with repeated creation, modification and completion times (ties) and
    unfinished ones (no completion time)."""
    base = dt.datetime(2020, 1, 1)
    made = []
    for i in range(30):
        created = base + dt.timedelta(minutes=i // 3)
        made.append(activities.one(
            tenant.account, STATUSES[i % len(STATUSES)], creation_time=created,
            modification_time=base + dt.timedelta(minutes=(i * 7) % 5)))
    return made


def _key(row: Activity, name: str):
    return {"createdAt": row.creation_time, "updatedAt": row.modification_time,
            "completedAt": row.completion_time, "id": row.id}[name]


def expected(ids: list[int], order: str) -> list[int]:
    """``ids`` in ``order`` (nulls as the largest value, ties by id in the same
    direction)."""
    descending, name = order.startswith("desc"), order[order.index("(") + 1:-1]
    rows = list(Activity.select().where(Activity.id.in_(ids)))
    high = dt.datetime.max

    def key(row):
        value = _key(row, name)
        return (high if value is None else value, row.id)
    return [row.id for row in sorted(rows, key=key, reverse=descending)]


@pytest.mark.parametrize("order", ORDERS)
def test_a_walk_of_every_page_equals_the_whole_list(acronis, many, order):
    whole = acronis.get("/activities", order=order, limit=1000).body
    assert "after" not in whole["paging"]["cursors"]
    ids = [item["id"] for item in whole["items"]]
    assert ids == expected(many, order)
    for limit in (1, 4, 7, 30):
        walked = [item["id"] for item in acronis.walk("/activities", order=order,
                                                      limit=limit)]
        assert walked == ids


def test_the_last_full_page_has_no_cursor(acronis, many):
    answer = acronis.get("/activities", limit=30)
    assert len(answer.body["items"]) == 30
    assert answer.body["paging"] == {"cursors": {}}
    assert "after" in acronis.get("/activities", limit=29).body["paging"]["cursors"]


@pytest.mark.parametrize("order", ["desc(createdAt)", "asc(createdAt)", "asc(id)",
                                   "desc(completedAt)"])
def test_inserts_between_pages_never_skip_nor_repeat(acronis, tenant, activities, many,
                                                     order):
    seen: list[int] = []
    params: dict = {"order": order, "limit": 4}
    newcomers = []
    while True:
        answer = acronis.get("/activities", **params)
        seen += [item["id"] for item in answer.body["items"]]
        after = answer.body["paging"]["cursors"].get("after")
        if after is None:
            break
        params["after"] = after
        # the same time as an item already listed, an earlier one and a later one
        for created in (dt.datetime(2020, 1, 1, 0, 5), dt.datetime(2019, 1, 1),
                        dt.datetime(2030, 1, 1)):
            newcomers.append(activities.one(tenant.account, "succeeded",
                                            creation_time=created))
    assert len(seen) == len(set(seen))
    assert set(many) <= set(seen)
    # what was inserted before the cursor's position is not listed; the rest is, once
    assert set(seen) - set(many) <= set(newcomers)


def _cursor(acronis, **params) -> str:
    return acronis.get("/activities", limit=2, **params).body["paging"]["cursors"]["after"]


def _invalid_cursor(answer) -> None:
    assert answer.status == 400
    assert answer.body["error"]["code"] == "InvalidCursor"
    assert answer.body["error"]["domain"] == "TaskManager"


@pytest.mark.parametrize("cursor", ["", "garbage", "a.b", "W10.bad"])
def test_a_malformed_cursor_is_invalid(acronis, many, cursor):
    _invalid_cursor(acronis.get("/activities", after=cursor))


def test_a_tampered_cursor_is_invalid(acronis, many):
    cursor = _cursor(acronis)
    tampered = cursor[:-2] + ("AA" if cursor[-2:] != "AA" else "BB")
    _invalid_cursor(acronis.get("/activities", after=tampered))


def test_a_cursor_of_another_order_is_invalid(acronis, many):
    _invalid_cursor(acronis.get("/activities", after=_cursor(acronis),
                                order="asc(createdAt)"))


def test_a_cursor_of_another_account_is_invalid(acronis, make_tenant, client, many):
    from .conftest import Acronis

    other = make_tenant("other")
    stranger = Acronis(client)
    stranger.authenticate(other.keys["auditor"])
    _invalid_cursor(stranger.get("/activities", after=_cursor(acronis)))


def test_a_cursor_signed_with_another_key_is_invalid(acronis, many, app):
    from itsdangerous import URLSafeSerializer

    forged = URLSafeSerializer("not the key", salt="actiongate.keyset.activities").dumps(
        [1, "desc(createdAt)", None, 10**6])
    _invalid_cursor(acronis.get("/activities", after=forged))


def test_a_cursor_of_activities_also_serves_tasks_of_the_same_order(acronis, many):
    answer = acronis.get("/tasks", after=_cursor(acronis), limit=1000)
    assert answer.status == 200
