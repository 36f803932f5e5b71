"""Activity changes write their events in their transaction: created (one per group),
canceled, approved, delivered, succeeded, failed, reapplied, reverted; none when refused or
rolled back; one per activity for a bulk change."""
from __future__ import annotations

import pytest

from app import activity_state
from app.activity_factory import Creation, Request
from app.models import Activity, Event, database, utcnow
from app.store import events

from .conftest import entry

MANAGER, ADMIN = "manager-acme", "admin-acme"


@pytest.fixture
def box(make_computer, tenant):
    return make_computer(tenant.account, "box")


def _canceled_or_approved(user, activity, computer_id, action, from_, to, summary, creator):
    return entry(user, "activity", action, f"activity {activity}", f"activities/{activity}",
                 description=summary, details={"from": from_, "to": to}, link_id=activity,
                 streams=[f"activity-{activity}", f"computer-{computer_id}", f"user-{user}",
                          "account-acme"] if user else
                 [f"activity-{activity}", f"computer-{computer_id}", "account-acme"],
                 followers=[creator])


def test_a_group_creation_writes_one_event_for_the_group(api, tenant, make_computer,
                                                         packages, logged):
    for title in ("a", "b", "c"):
        make_computer(tenant.account, title, tags=["web"])
    packages(tenant.account, "nginx")
    logged.mark()
    answer = api.call("InstallPackages", key=tenant.manager, query="tag:web",
                      packages=["nginx"])
    group = answer.body["id"]
    assert logged() == [entry(
        MANAGER, "activity", "created", f"activity {group}", f"activities/{group}",
        description="Install package nginx",
        details={"status": "undelivered", "type": "ActivityGroup", "children": 3},
        link_id=group, streams=[f"activity-{group}", f"user-{MANAGER}", "account-acme"],
        followers=[MANAGER])]


def test_a_lone_activity_creation_writes_its_event(tenant, box, logged):
    logged.mark()
    with database.atomic(), events.acting(MANAGER):
        new = Creation(tenant.account, tenant.persons["manager"], utcnow()).single(
            Request("RestartRequest", "Restart computer"), box.id)
    assert logged() == [entry(
        MANAGER, "activity", "created", f"activity {new}", f"activities/{new}",
        description="Restart computer",
        details={"status": "undelivered", "type": "RestartRequest"}, link_id=new,
        streams=[f"activity-{new}", f"computer-{box.id}", f"user-{MANAGER}", "account-acme"],
        followers=[MANAGER])]


def test_cancel_writes_canceled_with_the_previous_status(api, tenant, activities, box,
                                                         logged):
    activity = activities.one(tenant.account, "undelivered", computer=box,
                              creator=tenant.persons["manager"], summary="Restart")
    logged.mark()
    assert api.call("CancelActivities", key=tenant.admin, query=f"id:{activity}").status == 200
    assert logged() == [_canceled_or_approved(ADMIN, activity, box.id, "canceled",
                                              "undelivered", "canceled", "Restart", MANAGER)]


def test_approve_writes_approved(api, make_tenant, activities, make_computer, logged):
    tenant = make_tenant("acme", require_approval=True)
    box = make_computer(tenant.account, "box")
    activity = activities.one(tenant.account, "unapproved", computer=box,
                              creator=tenant.persons["manager"], summary="Restart")
    logged.mark()
    answer = api.call("ApproveActivities", key=tenant.admin, query=f"id:{activity}")
    assert answer.status == 200
    assert logged() == [_canceled_or_approved(ADMIN, activity, box.id, "approved",
                                              "unapproved", "undelivered", "Restart",
                                              MANAGER)]


def test_delivery_and_reports_are_the_computers_events(api, tenant, activities, box, logged):
    done = activities.one(tenant.account, "undelivered", computer=box,
                          creator=tenant.persons["manager"], summary="Install")
    broken = activities.one(tenant.account, "undelivered", computer=box,
                            creator=tenant.persons["manager"], summary="Remove")
    logged.mark()
    assert api.call("GetPendingActivities", key=box.key).status == 200
    assert api.call("ReportActivityResult", key=box.key, activity_id=done,
                    status="succeeded").status == 200
    assert api.call("ReportActivityResult", key=box.key, activity_id=broken,
                    status="failed").status == 200
    assert logged() == [
        _canceled_or_approved(None, done, box.id, "delivered", "undelivered", "delivered",
                              "Install", MANAGER),
        _canceled_or_approved(None, broken, box.id, "delivered", "undelivered", "delivered",
                              "Remove", MANAGER),
        _canceled_or_approved(None, done, box.id, "succeeded", "delivered", "succeeded",
                              "Install", MANAGER),
        _canceled_or_approved(None, broken, box.id, "failed", "delivered", "failed",
                              "Remove", MANAGER)]


@pytest.mark.parametrize("action, verb", [("ReapplyActivities", "reapplied"),
                                          ("RevertActivities", "reverted")])
def test_reapply_and_revert_write_one_event_naming_the_copy(api, tenant, activities, box,
                                                            logged, action, verb):
    done = activities.one(tenant.account, "succeeded", computer=box,
                          creator=tenant.persons["admin"], summary="Install package nginx",
                          changes=[{"package": "nginx", "type": "install", "version": None,
                                    "complemented": False}])
    logged.mark()
    answer = api.call(action, key=tenant.manager, activity_ids=[done])
    (copy,) = answer.body
    assert logged() == [entry(
        MANAGER, "activity", verb, f"activity {done}", f"activities/{done}",
        description="Install package nginx", details={"copy": copy}, link_id=done,
        streams=[f"activity-{done}", f"activity-{copy}", f"computer-{box.id}",
                 f"user-{MANAGER}", "account-acme"], followers=[ADMIN])]


def test_bulk_cancel_writes_one_event_per_activity_with_its_streams(api, tenant, activities,
                                                                    make_computer, logged):
    boxes = [make_computer(tenant.account, f"box{i}") for i in range(3)]
    parent, children = activities.group(tenant.account, ["undelivered"] * 6, boxes)
    lone = [activities.one(tenant.account, "scheduled", computer=boxes[i % 3])
            for i in range(300)]
    logged.mark()
    answer = api.call("CancelActivities", key=tenant.manager, query="")
    assert answer.status == 200 and len(answer.body) == 307
    written = logged()
    assert len(written) == 307
    by_target = {e["target"]: e for e in written}
    computer_of = dict(Activity.select(Activity.id, Activity.computer_id).tuples())
    for activity in children + lone:
        event = by_target[f"activity {activity}"]
        assert (event["action"], event["streams"]) == (
            "canceled", [f"activity-{activity}", f"computer-{computer_of[activity]}",
                         f"user-{MANAGER}", "account-acme"])
    assert by_target[f"activity {parent}"]["streams"] == [
        f"activity-{parent}", f"user-{MANAGER}", "account-acme"]
    assert by_target[f"activity {lone[0]}"]["details"] == {"from": "scheduled",
                                                             "to": "canceled"}


def test_a_refused_bulk_change_writes_no_event(api, tenant, activities, logged):
    activities.one(tenant.account, "undelivered")
    activities.one(tenant.account, "succeeded")
    logged.mark()
    assert api.call("CancelActivities", key=tenant.manager, query="").status == 400
    assert logged() == []


def test_an_error_inside_the_transaction_leaves_no_event(api, tenant, activities, logged,
                                                         monkeypatch):
    activity = activities.one(tenant.account, "undelivered")
    logged.mark()

    def fail(*args, **kwargs):
        raise RuntimeError("after the change")
    monkeypatch.setattr(activity_state, "rederive_parents", fail)
    assert api.call("CancelActivities", key=tenant.manager, query="").status == 500
    assert logged() == []
    assert Activity.get_by_id(activity).activity_status == "undelivered"
    assert Event.select().count() == Event.select().where(Event.action != "canceled").count()


def test_a_cancel_through_landscape_v2_writes_the_same_event(client, tenant, activities, box,
                                                             logged):
    from ..dialects.conftest import V2, login_as

    v2 = V2(client)
    token = login_as(v2, tenant, "admin")
    activity = activities.one(tenant.account, "undelivered", computer=box,
                              creator=tenant.persons["manager"], summary="Restart")
    logged.mark()
    answer = v2.post("/activities/cancel", {"activity_ids": [activity]}, token=token)
    assert answer.body == [activity]
    assert logged() == [_canceled_or_approved(ADMIN, activity, box.id, "canceled",
                                              "undelivered", "canceled", "Restart", MANAGER)]
