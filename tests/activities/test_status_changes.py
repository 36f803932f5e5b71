"""CancelActivities and ApproveActivities: §3.1 transitions, §3.2 parents, §5 all-or-nothing."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app.models import Activity, utcnow

from .conftest import row, status_of

PENDING = ("unapproved", "scheduled", "undelivered", "delivered")


@pytest.mark.parametrize("status", PENDING)
def test_cancel_moves_a_pending_activity_to_canceled(api, tenant, activities, status):
    activity = activities.one(tenant.account, status)
    before = utcnow()
    answer = api.call("CancelActivities", key=tenant.manager, query=f"id:{activity}")
    assert (answer.status, answer.body) == (200, [activity])
    stored = row(activity)
    assert stored.activity_status == "canceled"
    assert stored.completion_time >= before and stored.modification_time >= before


@pytest.mark.parametrize("status", ("succeeded", "failed", "canceled"))
def test_final_activities_cannot_be_canceled(api, tenant, activities, status):
    activity = activities.one(tenant.account, status)
    answer = api.call("CancelActivities", key=tenant.manager, query=f"id:{activity}")
    assert answer.status == 400
    line = f"Activity {activity} is {status} and cannot be canceled"
    assert answer.body == {"error": "InvalidActivityStatusChange",
                           "message": f"{activity} => {line}",
                           "details": {"failures": [{"id": activity, "message": line}]}}


def test_one_refusal_changes_nothing_and_lines_are_sorted(api, tenant, activities):
    ok = activities.one(tenant.account, "undelivered")
    done = activities.one(tenant.account, "succeeded")
    failed = activities.one(tenant.account, "failed")
    answer = api.call("CancelActivities", key=tenant.manager, query="")
    assert answer.status == 400
    assert answer.body["message"] == (
        f"{done} => Activity {done} is succeeded and cannot be canceled\n"
        f"{failed} => Activity {failed} is failed and cannot be canceled")
    assert status_of(ok, done, failed) == ["undelivered", "succeeded", "failed"]


def test_lines_sort_numerically(api, tenant, activities):
    ids = [activities.one(tenant.account, "succeeded") for _ in range(11)]
    answer = api.call("CancelActivities", key=tenant.manager, query="status:succeeded")
    assert [f["id"] for f in answer.body["details"]["failures"]] == sorted(ids)


def test_empty_selection_is_an_empty_list(api, tenant, activities):
    activities.one(tenant.account, "succeeded")
    answer = api.call("CancelActivities", key=tenant.manager, query="status:delivered")
    assert (answer.status, answer.body) == (200, [])


def test_query_is_required(api, tenant):
    answer = api.call("CancelActivities", key=tenant.manager)
    assert (answer.status, answer.error) == (400, "MissingParameter")


def test_auditors_cannot_cancel(api, tenant, activities):
    activity = activities.one(tenant.account)
    answer = api.call("CancelActivities", key=tenant.auditor, query=f"id:{activity}")
    assert (answer.status, answer.error) == (403, "Unauthorised")
    assert status_of(activity) == ["undelivered"]


def test_invalid_query_changes_nothing(api, tenant, activities):
    activity = activities.one(tenant.account)
    answer = api.call("CancelActivities", key=tenant.manager, query="stauts:undelivered")
    assert answer.error == "InvalidQuery"
    assert "Did you mean 'status'?" in answer.body["message"]
    assert status_of(activity) == ["undelivered"]


def test_approve_makes_unapproved_undelivered_and_sets_approval_time(api, tenant, activities):
    activity = activities.one(tenant.account, "unapproved")
    answer = api.call("ApproveActivities", key=tenant.manager, query="status:unapproved")
    assert answer.body == [activity]
    stored = row(activity)
    assert stored.activity_status == "undelivered"
    assert stored.approval_time is not None
    assert stored.modification_time == stored.approval_time


def test_approve_schedules_when_deliver_after_is_in_the_future(api, tenant, activities):
    later = activities.one(tenant.account, "unapproved",
                           deliver_after_time=utcnow() + timedelta(hours=2))
    past = activities.one(tenant.account, "unapproved",
                          deliver_after_time=datetime(2000, 1, 1))
    answer = api.call("ApproveActivities", key=tenant.manager, query="")
    assert answer.body == [later, past]
    assert status_of(later, past) == ["scheduled", "undelivered"]


@pytest.mark.parametrize("status", ("undelivered", "delivered", "scheduled", "succeeded",
                                    "canceled"))
def test_only_unapproved_can_be_approved(api, tenant, activities, status):
    activity = activities.one(tenant.account, status)
    answer = api.call("ApproveActivities", key=tenant.manager, query=f"id:{activity}")
    assert answer.status == 400
    assert answer.body["message"] == (
        f"{activity} => Activity {activity} is {status} and cannot be approved")


def test_canceling_a_parent_cancels_the_children_that_allow_it(api, tenant, make_computer,
                                                               activities):
    machine = make_computer(tenant.account, "m")
    parent, (done, waiting, running) = activities.group(
        tenant.account, ["succeeded", "undelivered", "delivered"], [machine])
    assert status_of(parent) == ["delivered"]
    answer = api.call("CancelActivities", key=tenant.manager, query=f"id:{parent}")
    assert answer.body == [parent, waiting, running]
    assert status_of(done, waiting, running) == ["succeeded", "canceled", "canceled"]
    # all final, not all canceled, none failed → succeeded; completed with the last child
    stored = row(parent)
    assert stored.activity_status == "succeeded"
    assert stored.completion_time == row(running).completion_time


def test_a_parent_is_refused_only_when_no_child_allows_it(api, tenant, make_computer,
                                                         activities):
    machine = make_computer(tenant.account, "m")
    parent, children = activities.group(tenant.account, ["succeeded", "failed"], [machine])
    answer = api.call("CancelActivities", key=tenant.manager, query=f"id:{parent}")
    assert answer.body["message"] == (
        f"{parent} => Activity {parent} is failed and cannot be canceled")


def test_childless_parent_is_refused(api, tenant, activities):
    parent = activities.one(tenant.account, "succeeded", type="ActivityGroup")
    answer = api.call("CancelActivities", key=tenant.manager, query=f"id:{parent}")
    assert answer.status == 400


def test_approving_a_parent_approves_its_unapproved_children(api, tenant, make_computer,
                                                            activities):
    machines = [make_computer(tenant.account, f"m{i}") for i in range(2)]
    parent, children = activities.group(tenant.account, ["unapproved", "unapproved",
                                                         "canceled"], machines)
    answer = api.call("ApproveActivities", key=tenant.manager, query=f"id:{parent}")
    assert answer.body == [parent, *children[:2]]
    assert status_of(parent, *children) == ["undelivered", "undelivered", "undelivered",
                                            "canceled"]


def test_changing_a_child_rederives_its_parent(api, tenant, make_computer, activities):
    machine = make_computer(tenant.account, "m")
    parent, (first, second) = activities.group(tenant.account, ["unapproved", "undelivered"],
                                               [machine])
    modified = row(parent).modification_time
    answer = api.call("CancelActivities", key=tenant.manager, query=f"id:{first}")
    assert answer.body == [first]  # the parent is re-derived, not listed
    assert status_of(parent) == ["undelivered"]
    assert row(parent).modification_time > modified
    api.call("CancelActivities", key=tenant.manager, query=f"id:{second}")
    assert status_of(parent) == ["canceled"]
    assert row(parent).completion_time is not None


@pytest.mark.parametrize(("children", "derived"), [
    (["canceled", "failed"], "failed"),
    (["canceled", "canceled"], "canceled"),
    (["undelivered", "scheduled"], "undelivered"),
    (["scheduled", "succeeded"], "scheduled"),
])
def test_derivation_rules(api, tenant, make_computer, activities, children, derived):
    machine = make_computer(tenant.account, "m")
    parent, ids = activities.group(tenant.account, children + ["delivered"], [machine])
    answer = api.call("CancelActivities", key=tenant.manager, query=f"id:{ids[-1]}")
    assert answer.status == 200
    assert status_of(parent) == [derived]


def test_selection_by_computer_tag(api, tenant, make_computer, activities):
    server = make_computer(tenant.account, "s", tags=["server"])
    laptop = make_computer(tenant.account, "l", tags=["laptop"])
    on_server = activities.one(tenant.account, "undelivered", computer=server)
    on_laptop = activities.one(tenant.account, "undelivered", computer=laptop)
    answer = api.call("CancelActivities", key=tenant.manager,
                      query="status:undelivered computer:tag:server")
    assert answer.body == [on_server]
    assert status_of(on_server, on_laptop) == ["canceled", "undelivered"]


def test_a_second_cancel_sees_the_first(api, tenant, activities):
    activity = activities.one(tenant.account, "undelivered")
    assert api.call("CancelActivities", key=tenant.manager, query=f"id:{activity}").body == [
        activity]
    again = api.call("CancelActivities", key=tenant.manager, query=f"id:{activity}")
    assert again.body["message"] == (
        f"{activity} => Activity {activity} is canceled and cannot be canceled")


def test_large_selection_is_changed_in_set_based_statements(api, tenant, activities):
    first = activities.one(tenant.account, "undelivered")
    Activity.insert_many([{"account": tenant.account.id, "type": "RestartRequest",
                           "activity_status": "undelivered"} for _ in range(2999)]).execute()
    answer = api.call("CancelActivities", key=tenant.manager, query="status:undelivered")
    assert len(answer.body) == 3000 and answer.body[0] == first
    assert Activity.select().where(Activity.activity_status == "canceled").count() == 3000


def test_sql_derivation_matches_the_rule_for_every_mix_of_statuses(app, tenant, activities):
    """rederive_parents (SQL) and derive_group_status (Python) agree on all 127 mixes."""
    from itertools import combinations

    from app.activity_state import RANK, derive_group_status, rederive_parents
    from app.models import STATUSES

    mixes = [list(mix) for size in range(1, len(STATUSES) + 1)
             for mix in combinations(STATUSES, size)]
    parents = []
    for mix in mixes:
        parent = activities.one(tenant.account, "unapproved", type="ActivityGroup")
        for status in mix:
            activities.one(tenant.account, status, parent=parent)
        parents.append(parent)
    rederive_parents(parents, utcnow())
    assert status_of(*parents) == [derive_group_status(mix) for mix in mixes]
    assert derive_group_status([]) == "succeeded"
    assert derive_group_status(["canceled", "succeeded"]) == "succeeded"
    assert derive_group_status(["canceled", "failed", "succeeded"]) == "failed"
    assert derive_group_status(["scheduled", "undelivered"]) == "undelivered"
    assert max(RANK, key=RANK.get) == "unapproved"
    for parent, mix in zip(parents, mixes):
        final = set(mix) <= {"succeeded", "failed", "canceled"}
        assert (row(parent).completion_time is not None) == final


def test_an_approved_parent_records_its_approval_time(api, tenant, make_computer, activities):
    machine = make_computer(tenant.account, "m")
    parent, _ = activities.group(tenant.account, ["unapproved"], [machine])
    api.call("ApproveActivities", key=tenant.manager, query=f"id:{parent}")
    assert row(parent).approval_time is not None
