"""GetActivities, GetActivity, GetActivityTypes, GetActivityParents (ACTIVITIES.md §3, §4)."""
from __future__ import annotations

import pytest

from app.store.vocabularies import ACTIVITY_TYPES

LEGACY_KEYS = ["id", "type", "summary", "activity_status", "creator", "computer_id",
               "parent_id", "creation_time", "modification_time", "delivery_time",
               "completion_time", "approval_time", "deliver_after_time",
               "deliver_before_time", "result_text", "result_code", "progress", "package_ids",
               "changes"]
CHANGES = [{"package": "python-twisted-conch", "type": "install", "version": "1:0.8.0-1",
            "complemented": False},
           {"package": "python-twisted-mail", "type": "install", "version": "0.4.0-1",
            "complemented": False}]


@pytest.fixture
def seeded(tenant, make_computer, activities):
    laptop = make_computer(tenant.account, "laptop4", tags=["laptop"])
    server = make_computer(tenant.account, "server1", tags=["server"])
    jane = tenant.persons["admin"]
    parent, (child,) = activities.group(
        tenant.account, ["succeeded"], [laptop], creator=jane,
        summary="Install packages python-twisted-conch and python-twisted-mail",
        changes=CHANGES, package_ids=[36, 1127], result_text="Installed!")
    undelivered = activities.one(tenant.account, "undelivered", computer=server,
                                 summary="Restart computer", type="RestartRequest")
    return {"laptop": laptop, "server": server, "parent": parent, "child": child,
            "undelivered": undelivered}


def test_the_seed_example_answers_the_legacy_shape(api, tenant, seeded):
    answer = api.call("GetActivities", key=tenant.auditor,
                      query="status:succeeded computer:tag:laptop", limit=20)
    assert answer.status == 200
    (activity,) = answer.body
    assert list(activity) == LEGACY_KEYS
    jane = tenant.persons["admin"]
    assert activity == {
        "id": seeded["child"], "type": "ChangePackagesRequest",
        "summary": "Install packages python-twisted-conch and python-twisted-mail",
        "activity_status": "succeeded",
        "creator": {"id": jane.id, "name": jane.name, "email": jane.email},
        "computer_id": seeded["laptop"].id, "parent_id": seeded["parent"],
        "creation_time": "2012-03-06T18:52:10Z", "modification_time": activity[
            "modification_time"], "delivery_time": None,
        "completion_time": "2012-03-06T18:52:10Z", "approval_time": None,
        "deliver_after_time": None, "deliver_before_time": None, "result_text": "Installed!",
        "result_code": None, "progress": None, "package_ids": [36, 1127], "changes": CHANGES}
    assert activity["modification_time"].endswith("Z")


def test_newest_first_with_id_breaking_ties(api, tenant, seeded):
    answer = api.call("GetActivities", key=tenant.auditor)
    ids = [a["id"] for a in answer.body]
    assert ids == [seeded["undelivered"], seeded["child"], seeded["parent"]]


def test_limit_and_offset_apply_after_the_filter(api, tenant, seeded):
    page = api.call("GetActivities", key=tenant.auditor, limit=1, offset=1).body
    assert [a["id"] for a in page] == [seeded["child"]]
    assert api.call("GetActivities", key=tenant.auditor, offset=50).body == []


@pytest.mark.parametrize("arguments", [{"limit": 0}, {"limit": 10001}, {"limit": -5},
                                       {"offset": -1}, {"limit": "ten"},
                                       {"limit": "9" * 30}, {"offset": "1.5"}])
def test_out_of_range_paging_is_an_invalid_parameter(api, tenant, arguments):
    answer = api.call("GetActivities", key=tenant.auditor, **arguments)
    assert answer.status == 400
    assert answer.error == "InvalidParameterValue"


def test_a_bad_query_is_invalid_query_with_its_position(api, tenant):
    answer = api.call("GetActivities", key=tenant.auditor, query="status:done")
    assert answer.status == 400
    assert answer.error == "InvalidQuery"
    assert answer.body["details"] == {"position": 7, "length": 4}


def test_null_creator_is_null(api, tenant, seeded):
    answer = api.call("GetActivities", key=tenant.auditor, query="type:RestartRequest")
    assert answer.body[0]["creator"] is None


def test_unicode_free_text_matches_the_summary(api, tenant, activities):
    wanted = activities.one(tenant.account, summary="Installer le paquet café ☕")
    activities.one(tenant.account, summary="Other")
    answer = api.call("GetActivities", key=tenant.auditor, query='"café ☕"')
    assert [a["id"] for a in answer.body] == [wanted]


def test_actions_flags_with_version_2013_11_04(api, tenant, activities):
    ids = {status: activities.one(tenant.account, status)
           for status in ("unapproved", "delivered", "succeeded", "failed")}
    restart = activities.one(tenant.account, "succeeded", type="RestartRequest")
    answer = api.call("GetActivities", key=tenant.auditor, version="2013-11-04")
    flags = {a["id"]: a["actions"] for a in answer.body}
    assert flags[ids["unapproved"]] == {"approvable": True, "cancelable": True,
                                        "reappliable": False, "revertable": False}
    assert flags[ids["delivered"]] == {"approvable": False, "cancelable": True,
                                       "reappliable": False, "revertable": False}
    # a ChangePackagesRequest with no changes has nothing to revert
    assert flags[ids["succeeded"]]["revertable"] is False
    assert flags[restart] == {"approvable": False, "cancelable": False, "reappliable": True,
                              "revertable": False}
    older = api.call("GetActivities", key=tenant.auditor)
    assert "actions" not in older.body[0]


def test_a_succeeded_package_change_is_revertable(api, tenant, activities):
    activity = activities.one(tenant.account, "succeeded", changes=CHANGES)
    answer = api.call("GetActivity", key=tenant.auditor, activity_id=activity,
                      version="2013-11-04")
    assert answer.body["actions"]["revertable"] is True


def test_get_activity_types_is_the_sorted_list(api, tenant):
    answer = api.call("GetActivityTypes", key=tenant.auditor)
    assert answer.body == sorted(ACTIVITY_TYPES)
    assert "ActivityGroup" in answer.body and len(answer.body) == 31


def test_get_activity(api, tenant, seeded):
    answer = api.call("GetActivity", key=tenant.auditor, activity_id=seeded["parent"])
    assert answer.status == 200
    assert list(answer.body) == LEGACY_KEYS
    assert answer.body["type"] == "ActivityGroup"


@pytest.mark.parametrize("activity_id", ["999999", str(2 ** 63 - 1)])
def test_unknown_activity_is_404(api, tenant, activity_id):
    answer = api.call("GetActivity", key=tenant.auditor, activity_id=activity_id)
    assert answer.status == 404
    assert answer.body == {"error": "UnknownActivity",
                           "message": f"Unknown activity {activity_id}"}


def test_activity_id_beyond_64_bits_is_an_invalid_parameter(api, tenant):
    answer = api.call("GetActivity", key=tenant.auditor, activity_id=str(2 ** 64))
    assert answer.status == 400
    assert answer.error == "InvalidParameterValue"


def test_parents_carry_children_figures(api, tenant, make_computer, activities):
    machines = [make_computer(tenant.account, f"m{i}") for i in range(3)]
    parent, _ = activities.group(tenant.account,
                                 ["succeeded", "failed", "canceled", "delivered", "scheduled"],
                                 machines)
    empty = activities.one(tenant.account, "succeeded", type="ActivityGroup")
    activities.one(tenant.account, "undelivered")  # not a parent
    answer = api.call("GetActivityParents", key=tenant.auditor)
    assert [a["id"] for a in answer.body] == [empty, parent]
    figures = {a["id"]: (a["children_count"], a["children_statuses"], a["computer_count"])
               for a in answer.body}
    assert figures[parent] == (5, {"good": 1, "warning": 2, "bad": 2}, 3)
    assert figures[empty] == (0, {"good": 0, "warning": 0, "bad": 0}, 0)
    assert answer.body[1]["activity_status"] == "delivered"


def test_parents_accept_a_query_and_paging(api, tenant, make_computer, activities):
    machine = make_computer(tenant.account, "m")
    first, _ = activities.group(tenant.account, ["succeeded"], [machine])
    activities.group(tenant.account, ["undelivered"], [machine])
    answer = api.call("GetActivityParents", key=tenant.auditor, query="status:succeeded",
                      limit=5)
    assert [a["id"] for a in answer.body] == [first]
