"""seed-demo and import give a new user realistic activities at once."""
from __future__ import annotations

import json

import pytest

from app.activity_state import derive_group_status
from app.demo import seed
from app.models import STATUSES, Activity, Computer

from ..conftest import Key


@pytest.fixture
def demo(app):
    keys = seed("demo", computers=40, activities=3000)
    return Key(keys["access_key"], keys["secret_key"])


def test_demo_has_every_status_groups_and_consistent_parents(app, demo):
    assert Activity.select().count() == 3000
    assert {a.activity_status for a in Activity.select(Activity.activity_status)} == set(
        STATUSES)
    groups = list(Activity.select().where(Activity.type == "ActivityGroup"))
    assert len(groups) > 300
    children: dict[int, list[str]] = {}
    for child in Activity.select().where(Activity.parent.is_null(False)):
        children.setdefault(child.parent_id, []).append(child.activity_status)
        assert child.computer_id is not None
    for group in groups:
        assert group.activity_status == derive_group_status(children[group.id])
        assert (group.completion_time is not None) == (
            group.activity_status in ("succeeded", "failed", "canceled"))
    progress = Activity.select().where(Activity.progress.is_null(False))
    assert progress.count() > 0 and all(a.creator_id is None for a in progress)


@pytest.mark.parametrize("query", ["status:succeeded computer:tag:laptop",
                                   "status:undelivered computer:tag:server",
                                   "status:scheduled", "status:unapproved",
                                   "type:ChangePackagesRequest nginx OR curl",
                                   "created-after:2000 NOT status:failed"])
def test_the_example_queries_have_answers(api, demo, query):
    answer = api.call("GetActivities", key=demo, query=query, limit=20)
    assert answer.status == 200
    assert len(answer.body) > 0


def test_demo_parents_and_computers(api, demo):
    parents = api.call("GetActivityParents", key=demo, limit=50).body
    assert all(p["children_count"] >= 1 for p in parents)
    computers = api.call("GetComputers", key=demo, with_network=True, with_annotations=True)
    assert len(computers.body) == 40
    assert Computer.select().count() == 40


def test_demo_activities_can_be_canceled_and_delivered(api, demo):
    answer = api.call("CancelActivities", key=demo, query="status:scheduled")
    assert answer.status == 200 and answer.body
    assert api.call("CancelActivities", key=demo, query="status:succeeded").status == 400


def test_imported_fixture_is_readable_as_the_seed_shows(api, runner, tmp_path):
    fixture = {
        "accounts": [{"name": "acme", "require_approval": True}],
        "persons": [{"id": 5, "account": "acme", "email": "jane@acme.example",
                     "name": "Jane Doe", "role": "admin",
                     "keys": [{"access_key": "0GS7553JW74RRM612K02",
                               "secret_key": "secretsecretsecretsecretsecretsecret+/ab"}]}],
        "computers": [{"id": 4, "account": "acme", "title": "Laptop 4", "tags": ["laptop"]}],
        "activities": [
            {"id": 85, "account": "acme", "type": "ActivityGroup",
             "activity_status": "succeeded", "creator_id": 5,
             "creation_time": "2012-03-06T18:52:09Z"},
            {"id": 86, "account": "acme", "type": "ChangePackagesRequest",
             "activity_status": "succeeded", "summary": "Install packages a and b",
             "parent_id": 85, "computer_id": 4, "creator_id": 5,
             "creation_time": "2012-03-06T18:52:09Z",
             "completion_time": "2012-03-06T18:52:09Z", "result_text": "Installed!",
             "changes": [{"package": "a", "type": "install", "version": "1",
                          "complemented": False}], "package_ids": [36, 1127]},
            {"id": 87, "account": "acme", "type": "RestartRequest",
             "activity_status": "unapproved", "computer_id": 4}]}
    path = tmp_path / "fixture.json"
    path.write_text(json.dumps(fixture))
    assert runner.invoke(args=["import", str(path)]).exit_code == 0
    key = Key("0GS7553JW74RRM612K02", "secretsecretsecretsecretsecretsecret+/ab")
    answer = api.call("GetActivities", key=key, query="status:succeeded computer:tag:laptop")
    assert [a["id"] for a in answer.body] == [86]
    assert answer.body[0]["creator"] == {"id": 5, "name": "Jane Doe",
                                         "email": "jane@acme.example"}
    assert api.call("ApproveActivities", key=key, query="").body["message"].startswith(
        "85 => Activity 85 is succeeded and cannot be approved")
    assert api.call("ApproveActivities", key=key, query="id:87").body == [87]
