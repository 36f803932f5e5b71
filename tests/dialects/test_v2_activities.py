"""Landscape v2 reads: the seed's activity objects with ``children`` and ``actions``, one
activity, the parents shape, activity types and computers; account isolation."""
from __future__ import annotations

import pytest

from app.store.vocabularies import ACTIVITY_TYPES

CREATOR = {"name": "Admin acme", "email": "admin@acme.example", "id": 1}
NO_FLAGS = {"approvable": False, "cancelable": False, "reappliable": False, "revertable": False}


def v2_activity(**fields):
    """A v2 activity object with the fixture's defaults."""
    base = {"id": None, "creation_time": None, "creator": CREATOR,
            "type": "ChangePackagesRequest", "summary": None, "result_text": None,
            "computer_id": None, "approval_time": None, "delivery_time": None,
            "deliver_after_time": None, "deliver_before_time": None, "package_ids": [],
            "changes": [], "parent_id": None, "modification_time": None,
            "completion_time": None, "schedule_before_time": None,
            "schedule_after_time": None, "result_code": None, "activity_status": None,
            "children": [], "actions": NO_FLAGS}
    base.update(fields)
    base["modification_time"] = base["modification_time"] or base["creation_time"]
    return base


def test_a_group_has_its_children_with_the_seeds_fields_and_action_flags(v2, tokens, fleet):
    answer = v2.get(f"/activities/{fleet.group}", token=tokens["auditor"])
    created = "2012-03-06T18:52:10Z"
    change = {"package": "nginx", "complemented": False, "type": "install",
              "install_version": "1.2", "remove_version": None}
    child = dict(creation_time=created, completion_time=created, package_ids=[7],
                 changes=[change], parent_id=fleet.group, summary="Install package nginx")
    assert answer.status == 200
    assert list(answer.body) == list(v2_activity())
    assert answer.body == v2_activity(
        id=fleet.group, type="ActivityGroup", activity_status="failed", **{
            **child, "parent_id": None},
        actions={**NO_FLAGS, "reappliable": True},
        children=[
            v2_activity(id=fleet.children[0], activity_status="succeeded",
                        computer_id=fleet.laptop.id, **child,
                        actions={**NO_FLAGS, "reappliable": True, "revertable": True}),
            v2_activity(id=fleet.children[1], activity_status="failed",
                        computer_id=fleet.server.id, **child,
                        actions={**NO_FLAGS, "reappliable": True}),
        ])


def test_a_lone_activity_has_no_children_and_pending_flags(v2, tokens, fleet):
    answer = v2.get(f"/activities/{fleet.held}", token=tokens["auditor"])
    assert answer.body["children"] == []
    assert answer.body["creator"] is None
    assert answer.body["actions"] == {**NO_FLAGS, "approvable": True, "cancelable": True}


def test_the_list_is_newest_first_with_each_groups_children(v2, tokens, fleet):
    answer = v2.get("/activities", token=tokens["auditor"])
    assert answer.status == 200
    assert list(answer.body) == ["count", "results", "next", "previous"]
    ids = [item["id"] for item in answer.body["results"]]
    assert ids == [fleet.held, fleet.waiting, fleet.lone_child, fleet.lone_group,
                   *reversed(fleet.children), fleet.group]
    assert answer.body["count"] == 7
    by_id = {item["id"]: item for item in answer.body["results"]}
    assert [c["id"] for c in by_id[fleet.group]["children"]] == fleet.children
    assert [c["id"] for c in by_id[fleet.lone_group]["children"]] == [fleet.lone_child]
    assert by_id[fleet.children[0]]["children"] == []


def test_a_query_selects_and_counts(v2, tokens, fleet):
    answer = v2.get("/activities", token=tokens["auditor"], query="status:undelivered")
    assert [item["id"] for item in answer.body["results"]] == [
        fleet.waiting, fleet.lone_child, fleet.lone_group]
    assert answer.body["count"] == 3


def test_the_parents_shape_counts_children_by_outcome(v2, tokens, fleet):
    answer = v2.get("/activities/parents", token=tokens["auditor"])
    assert answer.status == 200
    assert answer.body["count"] == 2
    lone, group = answer.body["results"]
    assert group == {
        "id": fleet.group, "creation_time": "2012-03-06T18:52:10Z", "creator": CREATOR,
        "type": "ActivityGroup", "summary": "Install package nginx",
        "completion_time": "2012-03-06T18:52:10Z", "parent_id": None,
        "deliver_delay_window": 0, "result_text": None, "result_code": None,
        "activity_status": "failed", "children_count": 2,
        "children_statuses": {"good": 1, "warning": 0, "bad": 1}, "computer_count": 2,
        "computer": None}
    assert lone["id"] == fleet.lone_group
    assert lone["children_statuses"] == {"good": 0, "warning": 1, "bad": 0}
    assert lone["computer"]["id"] == fleet.server.id
    assert lone["computer"]["title"] == "server1"
    assert lone["computer"]["tags"] == ["server"]


def test_types_are_the_known_activity_types(v2, tokens):
    answer = v2.get("/activities/types", token=tokens["auditor"])
    assert answer == type(answer)(200, list(ACTIVITY_TYPES))


def test_computers_are_paginated_by_id(v2, tokens, fleet):
    answer = v2.get("/computers", token=tokens["auditor"], query="tag:server")
    assert answer.status == 200
    assert answer.body["count"] == 1
    assert answer.body["next"] is None and answer.body["previous"] is None
    (computer,) = answer.body["results"]
    assert computer["id"] == fleet.server.id
    assert set(computer) == {"id", "title", "hostname", "distribution", "codename",
                             "access_group", "tags", "last_ping_time", "registration_time",
                             "needs_reboot"}


NOT_FOUND = {"error": "NotFound", "message": "Not found.", "detail": None}


def test_an_unknown_id_is_the_seeds_not_found(v2, tokens, fleet):
    answer = v2.get("/activities/999999", token=tokens["auditor"])
    assert (answer.status, answer.body) == (404, NOT_FOUND)


def test_another_accounts_activity_is_not_found(v2, tokens, fleet):
    answer = v2.get(f"/activities/{fleet.foreign}", token=tokens["auditor"])
    assert (answer.status, answer.body) == (404, NOT_FOUND)
    listed = v2.get("/activities", token=tokens["auditor"])
    assert fleet.foreign not in [item["id"] for item in listed.body["results"]]


def test_an_id_wider_than_sql_integers_is_a_bad_value(v2, tokens):
    answer = v2.get("/activities/99999999999999999999999", token=tokens["auditor"])
    assert answer.status == 400
    assert answer.body["error"] == "InvalidParameterValue"
    assert "activity_id" in answer.body["message"]


VERBS = {"approvable": "approve", "cancelable": "cancel", "reappliable": "reapply",
         "revertable": "revert"}


@pytest.mark.parametrize("status", ["unapproved", "scheduled", "undelivered", "delivered",
                                    "succeeded", "failed", "canceled"])
@pytest.mark.parametrize("flag", sorted(VERBS))
def test_each_flag_says_whether_its_bulk_action_accepts_the_activity(
        v2, tokens, tenant, make_computer, activities, status, flag):
    computer = make_computer(tenant.account, "pc")
    changes = [{"package": "nginx", "type": "install", "version": None,
                "complemented": False}]
    activity = activities.one(tenant.account, status, computer=computer, changes=changes)
    flags = v2.get(f"/activities/{activity}", token=tokens["auditor"]).body["actions"]
    answer = v2.post(f"/activities/{VERBS[flag]}", {"activity_ids": [activity]},
                     token=tokens["manager"])
    assert answer.status == (200 if flags[flag] else 400), answer.body
