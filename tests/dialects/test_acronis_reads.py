"""Acronis Task Manager v2 reads: the item shape and status mapping of DIALECTS.md §2, tasks
as root activities, account isolation and the Acronis error envelope."""
from __future__ import annotations

import uuid

import pytest

from app.dialects.acronis_items import UUID_NAMESPACE
from app.errors import StoreUnavailable

CREATED = "2012-03-06T18:52:10Z"


def envelope(code: str, message: str) -> dict:
    return {"error": {"domain": "TaskManager", "code": code, "message": message,
                      "context": {}}}


def test_an_activity_has_the_seeds_fields(acronis, tenant, fleet):
    child = fleet.children[0]
    answer = acronis.get(f"/activities/{child}")
    account = tenant.account.id
    assert answer.status == 200
    assert answer.body == {
        "id": child, "idString": str(child),
        "uuid": str(uuid.uuid5(UUID_NAMESPACE, f"{account}/{child}")),
        "taskId": fleet.group, "taskIdString": str(fleet.group),
        "type": "ChangePackagesRequest", "state": "completed", "result": {"code": "ok"},
        "createdAt": CREATED, "startedAt": None, "updatedAt": CREATED,
        "completedAt": CREATED, "startedByUser": "admin@acme.example",
        "tenant": {"id": str(account), "locator": f"/{account}/", "name": "Acme"},
        "executor": {"clusterId": "", "id": ""},
        "context": {"IsProcessRoot": False, "title": "Install package nginx",
                    "Persistent": {"AgentType": "agent", "ID": str(fleet.laptop.id),
                                   "Name": "laptop1"}},
    }


@pytest.mark.parametrize("status, state, result", [
    ("unapproved", "paused", None), ("undelivered", "enqueued", None),
    ("scheduled", "enqueued", None), ("delivered", "started", None),
    ("succeeded", "completed", {"code": "ok"}), ("failed", "completed", {"code": "error"}),
    ("canceled", "completed", {"code": "cancelled"})])
def test_statuses_map_to_states_and_results(acronis, tenant, activities, status, state,
                                            result):
    made = activities.one(tenant.account, status)
    body = acronis.get(f"/activities/{made}").body
    assert (body["state"], body["result"]) == (state, result)
    assert body["context"] == {"IsProcessRoot": True, "title": f"ChangePackagesRequest {status}",
                               "Persistent": None}


def test_a_task_is_a_root_with_its_groups_derived_state(acronis, fleet):
    answer = acronis.get(f"/tasks/{fleet.group}")
    assert answer.status == 200
    assert (answer.body["id"], answer.body["taskId"], answer.body["type"]) == (
        fleet.group, fleet.group, "ActivityGroup")
    assert (answer.body["state"], answer.body["result"]) == ("completed", {"code": "error"})
    assert answer.body["context"]["IsProcessRoot"] is True


def test_tasks_lists_only_roots_newest_first(acronis, fleet):
    ids = [item["id"] for item in acronis.get("/tasks").body["items"]]
    assert ids == [fleet.held, fleet.waiting, fleet.lone_group, fleet.group]


def test_activities_lists_every_activity_newest_first_ties_by_id(acronis, fleet):
    answer = acronis.get("/activities")
    assert answer.body["paging"] == {"cursors": {}}
    assert [item["id"] for item in answer.body["items"]] == [
        fleet.held, fleet.waiting, fleet.lone_child, fleet.lone_group,
        *reversed(fleet.children), fleet.group]


def test_a_child_is_no_task(acronis, fleet):
    answer = acronis.get(f"/tasks/{fleet.children[0]}")
    assert answer.status == 404
    assert answer.body == envelope("UnknownActivity", f"Unknown activity {fleet.children[0]}")


@pytest.mark.parametrize("path", ["/activities/{}", "/tasks/{}"])
def test_another_accounts_ids_are_404(acronis, fleet, path):
    answer = acronis.get(path.format(fleet.foreign))
    assert answer.status == 404
    assert answer.body == envelope("UnknownActivity", f"Unknown activity {fleet.foreign}")


def test_another_accounts_activities_are_never_listed(acronis, fleet):
    assert fleet.foreign not in [item["id"] for item in acronis.walk("/activities")]


def test_no_token_is_401_in_the_envelope(client):
    answer = client.get("/api/task_manager/v2/activities")
    assert answer.status_code == 401
    assert answer.get_json()["error"]["domain"] == "TaskManager"
    assert answer.get_json()["error"]["code"] == "AuthFailure"


def test_an_unknown_path_is_404_in_the_envelope(acronis):
    answer = acronis.get("/nothing/here")
    assert answer.status == 404
    assert answer.body == envelope("NotFound",
                                   "The requested URL was not found on this server.")


def test_a_wrong_method_is_405_in_the_envelope(acronis, client):
    answer = client.post("/api/task_manager/v2/activities",
                         headers={"Authorization": f"Bearer {acronis.token}"})
    assert answer.status_code == 405
    assert answer.get_json() == envelope(
        "MethodNotAllowed", "The method is not allowed for the requested URL.")


def test_a_store_outage_is_503_in_the_envelope(acronis, fleet, monkeypatch):
    from app import activity_json

    def unavailable(*args, **kwargs):
        raise StoreUnavailable("The store is unavailable; try again later.")

    monkeypatch.setattr(activity_json, "keyset_page", unavailable)
    answer = acronis.get("/activities")
    assert answer.status == 503
    assert answer.body["error"]["code"] == "StoreUnavailable"
    assert answer.body["error"]["domain"] == "TaskManager"
