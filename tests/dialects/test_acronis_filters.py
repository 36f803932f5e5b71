"""Acronis filters (``state``, ``resultCode``, ``taskId``, ``type``, ``id``, ``query``, the
three times with ``gt/ge/lt/le/range``), combined with AND, and every malformed parameter
refused with 400 ``InvalidParameterValue`` naming it."""
from __future__ import annotations

import datetime as dt

import pytest

T0 = dt.datetime(2021, 6, 1, 12, 0, 0)


def stamp(minutes: int) -> str:
    return (T0 + dt.timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def timed(tenant, activities, fleet) -> dict[str, int]:
    """Activities at T0 + 0, 10, 20 minutes, modified 5 minutes later; the fleet besides."""
    made = {}
    for minutes, status in ((0, "succeeded"), (10, "failed"), (20, "delivered")):
        created = T0 + dt.timedelta(minutes=minutes)
        fields = {"creation_time": created,
                  "modification_time": created + dt.timedelta(minutes=5)}
        if status == "delivered":
            fields["completion_time"] = None
        made[status] = activities.one(tenant.account, status, type="RestartRequest",
                                      **fields)
    return made


def ids(acronis, path: str = "/activities", **params) -> set[int]:
    answer = acronis.get(path, **params)
    assert answer.status == 200, answer.body
    return {item["id"] for item in answer.body["items"]}


def test_state_lists_select_their_statuses(acronis, fleet, timed):
    assert ids(acronis, state="paused") == {fleet.held}
    assert ids(acronis, state="enqueued") == {fleet.waiting, fleet.lone_child,
                                              fleet.lone_group}
    assert ids(acronis, state="started") == {timed["delivered"]}
    assert ids(acronis, state="paused,started") == {fleet.held, timed["delivered"]}
    assert ids(acronis, state="completed") == {fleet.group, *fleet.children,
                                               timed["succeeded"], timed["failed"]}


def test_result_codes_select_final_statuses(acronis, fleet, timed):
    assert ids(acronis, resultCode="ok") == {fleet.children[0], timed["succeeded"]}
    assert ids(acronis, resultCode="error") == {fleet.group, fleet.children[1],
                                                timed["failed"]}
    assert ids(acronis, resultCode="cancelled") == set()
    assert ids(acronis, resultCode="ok,error", state="completed") == {
        fleet.group, *fleet.children, timed["succeeded"], timed["failed"]}
    assert ids(acronis, resultCode="error", state="paused") == set()


def test_task_id_selects_the_task_and_its_activities(acronis, fleet):
    assert ids(acronis, taskId=fleet.group) == {fleet.group, *fleet.children}
    assert ids(acronis, taskId=fleet.group, resultCode="ok") == {fleet.children[0]}
    assert ids(acronis, taskId=fleet.foreign) == set()


def test_type_and_id(acronis, fleet, timed):
    assert ids(acronis, type="ActivityGroup") == {fleet.group, fleet.lone_group}
    assert ids(acronis, "/tasks", type="RestartRequest") == set(timed.values())
    assert ids(acronis, id=fleet.held) == {fleet.held}
    assert ids(acronis, id=fleet.foreign) == set()


def test_query_is_anded_with_the_filters(acronis, fleet, timed):
    assert ids(acronis, query="status:failed OR status:succeeded",
               type="RestartRequest") == {timed["succeeded"], timed["failed"]}
    assert ids(acronis, query=f"computer:id:{fleet.laptop.id}") == {fleet.children[0]}


@pytest.mark.parametrize("operator, bound, expected", [
    ("gt", 10, {"delivered"}), ("ge", 10, {"failed", "delivered"}),
    ("lt", 10, {"succeeded"}), ("le", 10, {"succeeded", "failed"})])
def test_created_at_comparisons(acronis, timed, operator, bound, expected):
    found = ids(acronis, type="RestartRequest", createdAt=f"{operator}({stamp(bound)})")
    assert found == {timed[name] for name in expected}


def test_ranges_include_both_ends(acronis, timed):
    found = ids(acronis, type="RestartRequest", createdAt=f"range({stamp(0)},{stamp(10)})")
    assert found == {timed["succeeded"], timed["failed"]}


def test_updated_and_completed_at(acronis, timed):
    assert ids(acronis, type="RestartRequest", updatedAt=f"ge({stamp(15)})") == {
        timed["failed"], timed["delivered"]}
    # an unfinished activity has no completion time: no comparison selects it
    assert ids(acronis, type="RestartRequest", completedAt=f"ge({stamp(-60)})") == {
        timed["succeeded"], timed["failed"]}
    assert ids(acronis, type="RestartRequest", completedAt=f"lt({stamp(10)})") == {
        timed["succeeded"]}


def test_times_take_offsets_and_fractions(acronis, timed):
    # 14:10:00+02:00 is 12:10:00Z
    assert ids(acronis, type="RestartRequest", createdAt="ge(2021-06-01T14:10:00.5+02:00)") == {
        timed["failed"], timed["delivered"]}


def test_filters_keep_their_cursor_across_pages(acronis, fleet, timed):
    walked = [item["id"] for item in acronis.walk("/activities", state="completed", limit=1)]
    assert set(walked) == {fleet.group, *fleet.children, timed["succeeded"],
                           timed["failed"]}
    assert len(walked) == len(set(walked))


@pytest.mark.parametrize("name, value", [
    ("state", "done"), ("state", "completed,"), ("state", ""), ("resultCode", "fine"),
    ("taskId", "x"), ("taskId", "-1"), ("id", "1.5"), ("type", "NoSuchRequest"),
    ("createdAt", "eq(2021-01-01T00:00:00Z)"), ("createdAt", "gt(yesterday)"),
    ("updatedAt", "gt(2021-13-01T00:00:00Z)"), ("completedAt", "range(2021-01-01T00:00:00Z)"),
    ("createdAt", "gt(2021-01-01)"), ("createdAt", "gt(0001-01-01T00:00:00+01:00)"),
    ("completedAt", "lt(9999-12-31T23:59:59-01:00)"), ("order", "desc(title)"),
    ("order", "createdAt"),
    ("limit", "0"), ("limit", "1001"), ("limit", "ten"), ("bogus", "1"), ("offset", "10")])
def test_a_malformed_parameter_is_invalid_parameter_value_naming_it(acronis, name, value):
    answer = acronis.get("/activities", **{name: value})
    assert answer.status == 400
    error = answer.body["error"]
    assert (error["domain"], error["code"], error["context"]) == (
        "TaskManager", "InvalidParameterValue", {})
    assert error["message"].startswith(f"Invalid {name} value")


def test_a_malformed_query_is_invalid_query(acronis):
    answer = acronis.get("/activities", query="status:(")
    assert answer.status == 400
    assert answer.body["error"]["code"] == "InvalidQuery"
