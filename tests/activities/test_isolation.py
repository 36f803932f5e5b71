"""Isolation (CONTRACT §4.3): another account's activity or computer ids behave exactly like
ids that do not exist, in every action."""
from __future__ import annotations

import pytest

from .conftest import status_of

MISSING = 987654


@pytest.fixture
def world(tenant, make_tenant, make_computer, activities, packages):
    other = make_tenant("other")
    packages(tenant.account, "nginx")
    mine = make_computer(tenant.account, "mine", tags=["t"])
    theirs = make_computer(other.account, "theirs", tags=["t"])
    parent, (child,) = activities.group(other.account, ["succeeded"], [theirs],
                                        creator=other.persons["admin"],
                                        changes=[{"package": "nginx", "type": "install"}])
    pending = activities.one(other.account, "unapproved", computer=theirs)
    delivered = activities.one(other.account, "delivered", computer=theirs)
    return {"other": other, "mine": mine, "theirs": theirs, "parent": parent, "child": child,
            "pending": pending, "delivered": delivered}


def same_as_missing(call, foreign_id: int) -> None:
    """``call(id)`` answers for the foreign id exactly what it answers for a missing one."""
    foreign, missing = call(foreign_id), call(MISSING)
    assert foreign.status == missing.status
    normalised = repr(foreign.body).replace(str(foreign_id), "ID")
    assert normalised == repr(missing.body).replace(str(MISSING), "ID")


ACTIVITY_CALLS = {
    "GetActivity": lambda api, t, i: api.call("GetActivity", key=t.auditor, activity_id=i),
    "GetActivities id": lambda api, t, i: api.call("GetActivities", key=t.auditor,
                                                   query=f"id:{i}"),
    "GetActivities parent-id": lambda api, t, i: api.call("GetActivities", key=t.auditor,
                                                          query=f"parent-id:{i}"),
    "GetActivityParents": lambda api, t, i: api.call("GetActivityParents", key=t.auditor,
                                                     query=f"id:{i}"),
    "CancelActivities": lambda api, t, i: api.call("CancelActivities", key=t.manager,
                                                   query=f"id:{i}"),
    "ApproveActivities": lambda api, t, i: api.call("ApproveActivities", key=t.manager,
                                                    query=f"id:{i}"),
    "ReapplyActivities": lambda api, t, i: api.call("ReapplyActivities", key=t.manager,
                                                    activity_ids=[i]),
    "RevertActivities": lambda api, t, i: api.call("RevertActivities", key=t.manager,
                                                   activity_ids=[i]),
}

COMPUTER_CALLS = {
    "GetComputers": lambda api, t, i: api.call("GetComputers", key=t.auditor, query=f"id:{i}"),
    "GetActivities computer": lambda api, t, i: api.call("GetActivities", key=t.auditor,
                                                         query=f"computer:id:{i}"),
    "AddTagsToComputers": lambda api, t, i: api.call("AddTagsToComputers", key=t.manager,
                                                     query=f"id:{i}", tags=["x"]),
    "RemoveTagsFromComputers": lambda api, t, i: api.call(
        "RemoveTagsFromComputers", key=t.manager, query=f"id:{i}", tags=["t"]),
    "InstallPackages": lambda api, t, i: api.call("InstallPackages", key=t.manager,
                                                  query=f"id:{i}", packages=["nginx"]),
    "RebootComputers": lambda api, t, i: api.call("RebootComputers", key=t.manager,
                                                  computer_ids=[i]),
    "ShutdownComputers": lambda api, t, i: api.call("ShutdownComputers", key=t.manager,
                                                    computer_ids=[i]),
    "RenameComputers": lambda api, t, i: api.call("RenameComputers", key=t.admin,
                                                  computer_titles={i: "stolen"}),
    "RemoveComputers": lambda api, t, i: api.call("RemoveComputers", key=t.admin,
                                                  computer_ids=[i]),
}


@pytest.mark.parametrize("name", sorted(ACTIVITY_CALLS))
@pytest.mark.parametrize("which", ["parent", "child", "pending", "delivered"])
def test_foreign_activity_ids_are_missing_ids(api, tenant, world, name, which):
    same_as_missing(lambda i: ACTIVITY_CALLS[name](api, tenant, i), world[which])
    assert status_of(world["parent"], world["child"], world["pending"], world["delivered"]) == [
        "succeeded", "succeeded", "unapproved", "delivered"]


@pytest.mark.parametrize("name", sorted(COMPUTER_CALLS))
def test_foreign_computer_ids_are_missing_ids(api, tenant, world, name):
    same_as_missing(lambda i: COMPUTER_CALLS[name](api, tenant, i), world["theirs"].id)
    theirs = api.call("GetComputers", key=world["other"].auditor).body
    assert [(c["title"], c["tags"]) for c in theirs] == [("theirs", ["t"])]


def test_queries_never_reach_another_account(api, tenant, world):
    other_admin = world["other"].persons["admin"].email
    for query in ("", f"creator:{other_admin}", "computer:tag:t", "type:ActivityGroup"):
        answer = api.call("GetActivities", key=tenant.auditor, query=query)
        assert answer.body == [], query
    assert api.call("CancelActivities", key=tenant.manager, query="").body == []
    assert api.call("ApproveActivities", key=tenant.manager, query="").body == []
    tagged = api.call("AddTagsToComputers", key=tenant.manager, query="tag:t", tags=["y"])
    assert tagged.body == [world["mine"].id]


def test_agents_cannot_reach_another_accounts_activities(api, tenant, world):
    for activity in (world["delivered"], MISSING):
        answer = api.call("ReportActivityResult", key=world["mine"].key, activity_id=activity,
                          status="failed")
        assert answer.body == {"error": "UnknownActivity",
                               "message": f"Unknown activity {activity}"}
    assert api.call("GetPendingActivities", key=world["mine"].key).body == []
    assert status_of(world["delivered"]) == ["delivered"]
