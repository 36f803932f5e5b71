"""Computers (ACTIVITIES.md §2): GetComputers, RegisterComputer, tags, annotations, renaming
and removal."""
from __future__ import annotations

import pytest

from app.models import ComputerAnnotation, ComputerTag, NetworkDevice

from .conftest import status_of

COMPUTER_KEYS = ["id", "title", "hostname", "distribution", "codename", "access_group", "tags",
                 "last_ping_time", "registration_time", "needs_reboot"]


@pytest.fixture
def fleet(tenant, make_computer):
    web = make_computer(tenant.account, "web1", tags=["server", "web"], distribution="22.04",
                        codename="jammy", access_group="servers")
    laptop = make_computer(tenant.account, "laptop1", tags=["laptop"])
    NetworkDevice.insert_many([
        {"computer": web.id, "position": 0, "mac_address": "52:54:00:aa:bb:cc",
         "ip_address": "10.0.0.4"},
        {"computer": web.id, "position": 1, "mac_address": None, "ip_address": "10.0.1.4"},
    ]).execute()
    ComputerAnnotation.create(computer=web.id, key="owner", value="jane")
    return {"web": web, "laptop": laptop}


def test_get_computers_shape(api, tenant, fleet):
    answer = api.call("GetComputers", key=tenant.auditor)
    assert answer.status == 200
    web, laptop = answer.body
    assert list(web) == COMPUTER_KEYS
    assert (web["id"], web["title"], web["hostname"], web["distribution"], web["codename"],
            web["access_group"], web["tags"], web["last_ping_time"], web["needs_reboot"]) == (
        fleet["web"].id, "web1", "web1.example", "22.04", "jammy", "servers",
        ["server", "web"], None, False)
    assert web["registration_time"].endswith("Z")
    assert laptop["tags"] == ["laptop"]


def test_get_computers_with_network_and_annotations(api, tenant, fleet):
    answer = api.call("GetComputers", key=tenant.auditor, query="tag:server",
                      with_network=True, with_annotations=True, with_hardware=True)
    (web,) = answer.body
    assert web["annotations"] == {"owner": "jane"}
    assert web["network_devices"] == [
        {"mac_address": "52:54:00:aa:bb:cc", "ip_address": "10.0.0.4"},
        {"mac_address": None, "ip_address": "10.0.1.4"}]
    assert web["hardware"] == []


@pytest.mark.parametrize(("query", "titles"), [
    ("distribution:jammy", ["web1"]), ("mac:AA:BB", ["web1"]), ("ip:10.0.1", ["web1"]),
    ("annotation:owner:ja", ["web1"]), ("laptop", ["laptop1"]),
    ("NOT tag:server", ["laptop1"]), ("", ["web1", "laptop1"]),
])
def test_get_computers_queries(api, tenant, fleet, query, titles):
    answer = api.call("GetComputers", key=tenant.auditor, query=query)
    assert [c["title"] for c in answer.body] == titles


def test_get_computers_paging(api, tenant, fleet):
    answer = api.call("GetComputers", key=tenant.auditor, limit=1, offset=1)
    assert [c["title"] for c in answer.body] == ["laptop1"]


def test_register_computer_returns_its_agent_keys(api, tenant):
    answer = api.call("RegisterComputer", key=tenant.admin, title="New Box",
                      hostname="box.example", distribution="24.04", codename="noble",
                      tags=["laptop", "laptop", "desk"])
    assert answer.status == 200, answer.body
    assert answer.body["tags"] == ["desk", "laptop"]
    assert len(answer.body["access_key"]) == 20 and len(answer.body["secret_key"]) == 40
    from ..conftest import Key
    ping = api.call("Ping", key=Key(answer.body["access_key"], answer.body["secret_key"]))
    assert ping.body["computer_id"] == answer.body["id"]


def test_register_needs_an_admin(api, tenant):
    answer = api.call("RegisterComputer", key=tenant.manager, title="x", hostname="x")
    assert answer.error == "Unauthorised"


@pytest.mark.parametrize("tag", ["has space", "", "x" * 129, "ünï", "a,b", "tag:x"])
def test_invalid_tags_are_refused(api, tenant, fleet, tag):
    answer = api.call("AddTagsToComputers", key=tenant.manager, query="", tags=[tag])
    assert (answer.status, answer.error) == (400, "InvalidTag")
    answer = api.call("RegisterComputer", key=tenant.admin, title="x", hostname="x",
                      tags=[tag])
    assert answer.error == "InvalidTag"


def test_add_tags_returns_the_computers_changed(api, tenant, fleet):
    answer = api.call("AddTagsToComputers", key=tenant.manager, query="", tags=["web", "prod"])
    assert answer.body == [fleet["web"].id, fleet["laptop"].id]
    again = api.call("AddTagsToComputers", key=tenant.manager, query="", tags=["web"])
    assert again.body == []
    tags = api.call("GetComputers", key=tenant.auditor).body
    assert [c["tags"] for c in tags] == [["prod", "server", "web"], ["laptop", "prod", "web"]]


def test_remove_tags(api, tenant, fleet):
    answer = api.call("RemoveTagsFromComputers", key=tenant.manager, query="",
                      tags=["web", "laptop", "absent"])
    assert answer.body == [fleet["web"].id, fleet["laptop"].id]
    assert sorted(t.name for t in ComputerTag.select()) == ["server"]


@pytest.mark.parametrize("action", ["AddTagsToComputers", "RemoveTagsFromComputers"])
def test_one_request_changes_at_most_100_tags(api, tenant, fleet, action):
    tags = [f"t{n}" for n in range(101)]
    answer = api.call(action, key=tenant.manager, query="", tags=tags)
    listed = ",".join(tags)[:100]
    assert (answer.status, answer.body) == (400, {
        "error": "InvalidParameterValue",
        "message": f"Invalid tags value {listed}…: expected 1 to 100 tags"})
    assert sorted(t.name for t in ComputerTag.select()) == ["laptop", "server", "web"]
    answer = api.call(action, key=tenant.manager, query="", tags=tags[:100])
    assert answer.status == 200


def test_tag_query_selecting_nothing_changes_nothing(api, tenant, fleet):
    answer = api.call("AddTagsToComputers", key=tenant.manager, query="tag:none", tags=["x"])
    assert (answer.status, answer.body) == (200, [])


def test_annotations(api, call_raw, tenant, fleet):
    def annotate(query, key, **value):
        return call_raw(tenant.manager, "AddAnnotationToComputers",
                        {"query": query, "key": key, **value}).body

    assert annotate("", "owner", value="jane") == [fleet["laptop"].id]
    assert annotate("tag:server", "owner", value="mark") == [fleet["web"].id]
    assert annotate("tag:server", "rack") == [fleet["web"].id]
    computers = api.call("GetComputers", key=tenant.auditor, with_annotations=True).body
    assert [c["annotations"] for c in computers] == [{"owner": "mark", "rack": ""},
                                                     {"owner": "jane"}]
    answer = call_raw(tenant.manager, "RemoveAnnotationFromComputers",
                      {"query": "", "key": "owner"})
    assert answer.body == [fleet["web"].id, fleet["laptop"].id]
    assert [(a.key, a.value) for a in ComputerAnnotation.select()] == [("rack", "")]


def test_invalid_annotation_key(call_raw, tenant, fleet):
    answer = call_raw(tenant.manager, "AddAnnotationToComputers", {"query": "", "key": "a b"})
    assert (answer.status, answer.error) == (400, "InvalidAnnotationKey")


def test_rename_computers(api, tenant, fleet):
    answer = api.call("RenameComputers", key=tenant.admin, computer_titles={
        fleet["web"].id: "Web Server ☁", fleet["laptop"].id: "Jane's laptop"})
    assert answer.status == 200, answer.body
    assert [c["title"] for c in answer.body] == ["Web Server ☁", "Jane's laptop"]


@pytest.mark.parametrize(("titles", "error"), [
    ({"999": "x"}, "UnknownComputer"), ({"abc": "x"}, "InvalidParameterValue"),
    ({"1": "   "}, "InvalidTitle"), ({"1": "x" * 257}, "InvalidTitle"),
])
def test_rename_refusals(api, tenant, fleet, titles, error):
    answer = api.call("RenameComputers", key=tenant.admin, computer_titles=titles)
    assert answer.error == error
    assert [c["title"] for c in api.call("GetComputers", key=tenant.auditor).body] == [
        "web1", "laptop1"]


def test_remove_computers_keeps_their_activities_readable(api, tenant, fleet, activities):
    parent, (running, done) = activities.group(tenant.account, ["undelivered", "succeeded"],
                                               [fleet["web"]])
    answer = api.call("RemoveComputers", key=tenant.admin, computer_ids=[fleet["web"].id])
    assert (answer.status, answer.body) == (200, [fleet["web"].id])
    assert [c["id"] for c in api.call("GetComputers", key=tenant.auditor).body] == [
        fleet["laptop"].id]
    readable = api.call("GetActivities", key=tenant.auditor, query=f"parent-id:{parent}")
    assert sorted(a["id"] for a in readable.body) == [running, done]
    assert {a["computer_id"] for a in readable.body} == {fleet["web"].id}
    # nothing would ever deliver the pending one: it is canceled, the parent re-derived
    assert status_of(parent, running, done) == ["succeeded", "canceled", "succeeded"]
    assert ComputerTag.select().where(ComputerTag.computer == fleet["web"].id).count() == 0


def test_remove_unknown_computers_removes_nothing(api, tenant, fleet):
    answer = api.call("RemoveComputers", key=tenant.admin,
                      computer_ids=[fleet["web"].id, 10 ** 12])
    assert (answer.status, answer.error) == (404, "UnknownComputer")
    assert len(api.call("GetComputers", key=tenant.auditor).body) == 2
