"""The agent side (ACTIVITIES.md §7) and the wall between persons' and computers' keys."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.models import Computer, utcnow

from .conftest import row, status_of


@pytest.fixture
def agent(tenant, make_computer):
    return make_computer(tenant.account, "agent1", tags=["server"])


def test_pending_activities_are_delivered_oldest_first(api, tenant, agent, make_computer,
                                                       activities):
    other = make_computer(tenant.account, "other")
    first = activities.one(tenant.account, "undelivered", computer=agent)
    due = activities.one(tenant.account, "scheduled", computer=agent,
                         deliver_after_time=utcnow() - timedelta(minutes=1))
    later = activities.one(tenant.account, "scheduled", computer=agent,
                           deliver_after_time=utcnow() + timedelta(hours=1))
    held = activities.one(tenant.account, "unapproved", computer=agent)
    foreign = activities.one(tenant.account, "undelivered", computer=other)
    answer = api.call("GetPendingActivities", key=agent.key)
    assert answer.status == 200
    assert [a["id"] for a in answer.body] == [first, due]
    assert {a["activity_status"] for a in answer.body} == {"delivered"}
    assert all(a["delivery_time"] for a in answer.body)
    assert status_of(later, held, foreign) == ["scheduled", "unapproved", "undelivered"]
    assert api.call("GetPendingActivities", key=agent.key).body == []


def test_delivery_rederives_the_parent(api, tenant, agent, activities):
    parent, (child,) = activities.group(tenant.account, ["undelivered"], [agent])
    api.call("GetPendingActivities", key=agent.key)
    assert status_of(parent, child) == ["delivered", "delivered"]


def test_progress_and_result(api, tenant, agent, activities):
    parent, (child,) = activities.group(tenant.account, ["undelivered"], [agent])
    api.call("GetPendingActivities", key=agent.key)
    answer = api.call("ReportActivityProgress", key=agent.key, activity_id=child, progress=40)
    assert (answer.status, answer.body["progress"]) == (200, 40)
    answer = api.call("ReportActivityResult", key=agent.key, activity_id=child,
                      status="succeeded", result_text="Installed!", result_code=0)
    assert answer.status == 200
    assert (answer.body["activity_status"], answer.body["result_text"],
            answer.body["result_code"]) == ("succeeded", "Installed!", 0)
    assert answer.body["completion_time"] is not None
    stored = row(parent)
    assert stored.activity_status == "succeeded"
    assert stored.completion_time == row(child).completion_time


def test_failed_result_fails_the_parent(api, tenant, agent, activities):
    parent, (child,) = activities.group(tenant.account, ["delivered"], [agent])
    api.call("ReportActivityResult", key=agent.key, activity_id=child, status="failed",
             result_text="E: dpkg was interrupted", result_code=100)
    assert status_of(parent) == ["failed"]


@pytest.mark.parametrize("progress", ["-2", "101", "x"])
def test_progress_bounds(api, agent, activities, tenant, progress):
    child = activities.one(tenant.account, "delivered", computer=agent)
    answer = api.call("ReportActivityProgress", key=agent.key, activity_id=child,
                      progress=progress)
    assert answer.error == "InvalidParameterValue"


def test_progress_minus_one_marks_an_error(api, agent, activities, tenant):
    child = activities.one(tenant.account, "delivered", computer=agent)
    answer = api.call("ReportActivityProgress", key=agent.key, activity_id=child, progress=-1)
    assert answer.body["progress"] == -1


def test_result_status_must_be_final(api, agent, activities, tenant):
    child = activities.one(tenant.account, "delivered", computer=agent)
    answer = api.call("ReportActivityResult", key=agent.key, activity_id=child,
                      status="canceled")
    assert answer.error == "InvalidParameterValue"


def test_a_canceled_activity_stays_canceled_when_reported(api, tenant, agent, activities):
    parent, (child,) = activities.group(tenant.account, ["delivered"], [agent])
    api.call("CancelActivities", key=tenant.manager, query=f"id:{child}")
    answer = api.call("ReportActivityResult", key=agent.key, activity_id=child,
                      status="succeeded", result_text="Installed anyway", result_code=0)
    assert answer.status == 200
    assert (answer.body["activity_status"], answer.body["result_text"],
            answer.body["result_code"]) == ("canceled", "Installed anyway", None)
    progress = api.call("ReportActivityProgress", key=agent.key, activity_id=child, progress=5)
    assert progress.status == 200 and progress.body["progress"] is None
    assert status_of(parent) == ["canceled"]


@pytest.mark.parametrize("status", ["undelivered", "succeeded", "failed", "unapproved"])
def test_reports_on_activities_not_in_flight_are_refused(api, tenant, agent, activities,
                                                         status):
    child = activities.one(tenant.account, status, computer=agent)
    answer = api.call("ReportActivityResult", key=agent.key, activity_id=child,
                      status="succeeded")
    assert answer.status == 400
    assert answer.body["message"] == (
        f"{child} => Activity {child} is {status} and cannot be reported as succeeded")
    answer = api.call("ReportActivityProgress", key=agent.key, activity_id=child, progress=3)
    assert answer.error == "InvalidActivityStatusChange"
    assert status_of(child) == [status]


def test_another_computers_activity_is_unknown(api, tenant, agent, make_computer, activities):
    other = make_computer(tenant.account, "other")
    theirs = activities.one(tenant.account, "delivered", computer=other)
    for action, extra in (("ReportActivityResult", {"status": "failed"}),
                          ("ReportActivityProgress", {"progress": 1})):
        answer = api.call(action, key=agent.key, activity_id=theirs, **extra)
        assert (answer.status, answer.body) == (404, {"error": "UnknownActivity",
                                                      "message": f"Unknown activity {theirs}"})
    assert status_of(theirs) == ["delivered"]


def test_ping_records_the_time_and_counts_waiting_activities(api, tenant, agent, activities):
    activities.one(tenant.account, "undelivered", computer=agent)
    activities.one(tenant.account, "scheduled", computer=agent,
                   deliver_after_time=utcnow() + timedelta(days=1))
    answer = api.call("Ping", key=agent.key)
    assert answer.status == 200
    assert answer.body["computer_id"] == agent.id
    assert answer.body["pending_activities"] == 1
    assert Computer.get_by_id(agent.id).last_ping_time is not None


@pytest.mark.parametrize("action", ["GetPendingActivities", "Ping"])
def test_persons_cannot_call_agent_actions(api, tenant, action):
    for role in ("admin", "manager", "auditor"):
        answer = api.call(action, key=tenant.keys[role])
        assert (answer.status, answer.error) == (403, "Unauthorised")


@pytest.mark.parametrize("action", ["GetActivities", "GetComputers", "GetAccount",
                                    "GetActivityTypes", "GetActions"])
def test_computers_cannot_call_person_actions(api, agent, action):
    answer = api.call(action, key=agent.key)
    assert (answer.status, answer.error) == (403, "Unauthorised")


def test_computers_cannot_change_statuses(api, tenant, agent, activities):
    activity = activities.one(tenant.account, "undelivered", computer=agent)
    answer = api.call("CancelActivities", key=agent.key, query=f"id:{activity}")
    assert (answer.status, answer.error) == (403, "Unauthorised")
    assert status_of(activity) == ["undelivered"]


def test_agent_token_works_like_its_key(api, tenant, agent, activities):
    activity = activities.one(tenant.account, "undelivered", computer=agent)
    login = api.call("LoginWithAccessKey", access_key=agent.key.access_key,
                     secret_key=agent.key.secret_key)
    token = login.body["token"]
    answer = api.call("GetPendingActivities", token=token)
    assert [a["id"] for a in answer.body] == [activity]
    assert api.call("GetActivities", token=token).error == "Unauthorised"


def test_a_removed_computers_key_stops_working(api, tenant, agent):
    api.call("RemoveComputers", key=tenant.admin, computer_ids=[agent.id])
    answer = api.call("Ping", key=agent.key)
    assert (answer.status, answer.error) == (401, "AuthFailure")
