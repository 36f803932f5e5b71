"""Activity management with the official client, unmodified, against gunicorn: the seed's
queries, status changes and refusals, package installs, computers, a full lifecycle with an
agent, and concurrent callers across gunicorn's processes."""
from __future__ import annotations

import re
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from landscape_api.base import errors as client_errors

from app.models import Activity

from ..activities.conftest import activities, make_computer, packages  # noqa: F401
from ..conftest import Key

InvalidActivityStatusChangeError = client_errors.lookup_error(
    "InvalidActivityStatusChangeError")
REFUSAL = re.compile(r"(\d+) => Activity \1 is (\w+) and cannot be (canceled|approved)\Z")


def statuses(*ids: int) -> list[str]:
    found = dict(Activity.select(Activity.id, Activity.activity_status)
                 .where(Activity.id.in_(ids)).tuples())
    return [found[i] for i in ids]


@pytest.fixture
def fleet(tenant, make_computer, activities, packages):  # noqa: F811
    packages(tenant.account, "nginx", "curl")
    laptop = make_computer(tenant.account, "laptop4", tags=["laptop"])
    server = make_computer(tenant.account, "server1", tags=["server"])
    jane = tenant.persons["admin"]
    done, (installed,) = activities.group(tenant.account, ["succeeded"], [laptop],
                                          creator=jane, summary="Install package nginx",
                                          result_text="Installed!")
    waiting = activities.one(tenant.account, "undelivered", computer=server, creator=jane)
    held = activities.one(tenant.account, "unapproved", computer=server, creator=jane)
    return {"laptop": laptop, "server": server, "done": done, "installed": installed,
            "waiting": waiting, "held": held}


def test_library_get_activities_with_the_seed_query(landscape_api, tenant, fleet):
    api = landscape_api(tenant.auditor)
    found = api.get_activities(query="status:succeeded computer:tag:laptop", limit=20)
    assert [a["id"] for a in found] == [fleet["installed"]]
    assert found[0]["creator"]["name"] == tenant.persons["admin"].name
    assert found[0]["result_text"] == "Installed!"
    assert [a["id"] for a in api.get_activities(query="status:undelivered "
                                                      "computer:tag:server")] == [
        fleet["waiting"]]
    assert len(api.get_activities()) == 4


def test_cli_get_activities_and_types(landscape_cli, tenant, fleet):
    result = landscape_cli(tenant.auditor, "--json", "get-activities", "--query",
                           "status:succeeded computer:tag:laptop", "--limit", "20")
    assert result.returncode == 0, result.stderr
    assert [a["id"] for a in result.json()] == [fleet["installed"]]
    types = landscape_cli(tenant.auditor, "--json", "get-activity-types")
    assert types.returncode == 0, types.stderr
    assert "ChangePackagesRequest" in types.json() and types.json() == sorted(types.json())


def test_cli_bad_query_is_reported(landscape_cli, tenant, fleet):
    result = landscape_cli(tenant.auditor, "get-activities", "--query", "stauts:done")
    assert result.returncode == 2
    assert "Error code: b'InvalidQuery'" in result.stderr
    assert "Did you mean 'status'?" in result.stderr


def test_cancel_and_approve_with_the_library(landscape_api, tenant, fleet):
    api = landscape_api(tenant.manager)
    assert api.cancel_activities("status:undelivered computer:tag:server") == [
        fleet["waiting"]]
    assert api.approve_activities("status:unapproved") == [fleet["held"]]
    assert statuses(fleet["waiting"], fleet["held"]) == ["canceled", "undelivered"]


def test_refused_selection_raises_and_changes_nothing(landscape_api, tenant, fleet):
    api = landscape_api(tenant.manager)
    before = statuses(fleet["done"], fleet["installed"], fleet["waiting"], fleet["held"])
    with pytest.raises(InvalidActivityStatusChangeError) as caught:
        api.cancel_activities("computer:tag:laptop OR computer:tag:server")
    assert caught.value.code == 400
    installed = fleet["installed"]
    assert caught.value.error_message == (
        f"{installed} => Activity {installed} is succeeded and cannot be canceled")
    with pytest.raises(InvalidActivityStatusChangeError) as caught:
        api.approve_activities("computer:tag:server")
    waiting = fleet["waiting"]
    assert caught.value.error_message == (
        f"{waiting} => Activity {waiting} is undelivered and cannot be approved")
    assert statuses(fleet["done"], fleet["installed"], fleet["waiting"],
                    fleet["held"]) == before


def test_cli_cancel_and_refusal(landscape_cli, tenant, fleet):
    ok = landscape_cli(tenant.manager, "--json", "cancel-activities", "status:undelivered",
                       "computer:tag:server")
    assert ok.returncode == 0, ok.stderr
    assert ok.json() == [fleet["waiting"]]
    refused = landscape_cli(tenant.manager, "approve-activities", "status:canceled")
    assert refused.returncode == 2
    assert "Error code: b'InvalidActivityStatusChange'" in refused.stderr
    assert f"Activity {fleet['waiting']} is canceled and cannot be approved" in refused.stderr


def test_install_packages_with_the_cli_and_library(landscape_cli, landscape_api, tenant,
                                                   fleet):
    result = landscape_cli(tenant.manager, "--json", "install-packages", "tag:server",
                           "nginx,curl")
    assert result.returncode == 0, result.stderr
    group = result.json()
    assert (group["type"], group["summary"], group["children_count"]) == (
        "ActivityGroup", "Install packages nginx and curl", 1)
    api = landscape_api(tenant.manager)
    removed = api.remove_packages("tag:laptop", ["curl"], deliver_delay_window=10)
    assert removed["summary"] == "Remove package curl"
    with pytest.raises(client_errors.lookup_error("UnknownPackagesError")) as caught:
        api.install_packages("tag:laptop", ["nginx", "no-such-package"])
    assert caught.value.error_message == "Unknown packages: no-such-package"
    with pytest.raises(client_errors.lookup_error("UnknownComputersError")) as caught:
        api.upgrade_packages("tag:nothing")
    assert caught.value.code == 404


def test_computers_with_the_cli(landscape_cli, tenant, fleet):
    added = landscape_cli(tenant.manager, "--json", "add-tags-to-computers", "tag:laptop",
                          "desk,mobile")
    assert added.returncode == 0, added.stderr
    assert added.json() == [fleet["laptop"].id]
    listed = landscape_cli(tenant.auditor, "--json", "get-computers", "--query", "tag:mobile",
                           "--with-network", "--with-annotations")
    assert listed.returncode == 0, listed.stderr
    (laptop,) = listed.json()
    assert laptop["tags"] == ["desk", "laptop", "mobile"]
    assert laptop["network_devices"] == [] and laptop["annotations"] == {}
    bad = landscape_cli(tenant.manager, "add-tags-to-computers", "tag:laptop", "no good")
    assert bad.returncode == 2 and "InvalidTag" in bad.stderr


def test_computers_with_the_library(landscape_api, tenant, fleet):
    api = landscape_api(tenant.admin)
    assert api.add_annotation_to_computers("tag:server", "rack", "r1") == [fleet["server"].id]
    assert api.get_computers(query="annotation:rack:r1", with_annotations=True)[0][
        "annotations"] == {"rack": "r1"}
    renamed = api.rename_computers({fleet["server"].id: "Server One"})
    assert renamed[0]["title"] == "Server One"
    reboot = api.reboot_computers([fleet["server"].id])
    assert reboot["children_count"] == 1
    assert api.remove_computers([fleet["laptop"].id]) == [fleet["laptop"].id]
    assert [a["id"] for a in api.get_activities(query=f"id:{fleet['installed']}")] == [
        fleet["installed"]]


def test_full_lifecycle(landscape_api, make_tenant, make_computer,  # noqa: F811
                        packages):  # noqa: F811
    strict = make_tenant("strict", require_approval=True)
    packages(strict.account, "nginx")
    agents = [make_computer(strict.account, f"web{i}", tags=["web"]) for i in range(2)]
    make_computer(strict.account, "db", tags=["db"])
    manager = landscape_api(strict.manager)

    group = manager.install_packages("tag:web", ["nginx"])
    assert (group["activity_status"], group["children_count"]) == ("unapproved", 2)
    agent_apis = [landscape_api(agent.key) for agent in agents]
    assert agent_apis[0].call_arbitrary("GetPendingActivities", {}) == []  # not approved

    approved = manager.approve_activities(f"id:{group['id']}")
    assert len(approved) == 3 and approved[0] == group["id"]
    parent = manager.call_arbitrary("GetActivity", {"activity_id": str(group["id"])})
    assert parent["activity_status"] == "undelivered" and parent["approval_time"]

    fetched = [api.call_arbitrary("GetPendingActivities", {}) for api in agent_apis]
    assert [len(f) for f in fetched] == [1, 1]
    first, second = fetched[0][0], fetched[1][0]
    assert first["changes"][0]["package"] == "nginx"
    assert first["activity_status"] == "delivered"
    assert manager.get_activities(query=f"id:{group['id']}")[0][
        "activity_status"] == "delivered"

    progress = agent_apis[0].call_arbitrary("ReportActivityProgress", {
        "activity_id": str(first["id"]), "progress": "50"})
    assert progress["progress"] == 50
    agent_apis[0].call_arbitrary("ReportActivityResult", {
        "activity_id": str(first["id"]), "status": "succeeded", "result_text": "Installed!",
        "result_code": "0"})
    assert manager.get_activities(query=f"id:{group['id']}")[0][
        "activity_status"] == "delivered"
    agent_apis[1].call_arbitrary("ReportActivityResult", {
        "activity_id": str(second["id"]), "status": "failed", "result_code": "100"})
    parent = manager.get_activities(query=f"id:{group['id']}")[0]
    assert parent["activity_status"] == "failed" and parent["completion_time"]

    (again,) = manager.call_arbitrary("ReapplyActivities", {"activity_ids.1": str(group["id"])})
    (undo,) = manager.call_arbitrary("RevertActivities", {"activity_ids.1": str(first["id"])})
    reverted = manager.get_activities(query=f"id:{undo}")[0]
    assert reverted["changes"][0]["type"] == "remove"
    assert reverted["activity_status"] == "unapproved"
    children = manager.get_activities(query=f"parent-id:{again}")
    assert sorted(c["computer_id"] for c in children) == sorted(a.id for a in agents)
    with pytest.raises(InvalidActivityStatusChangeError):
        manager.call_arbitrary("RevertActivities", {"activity_ids.1": str(second["id"])})

    with pytest.raises(client_errors.lookup_error("UnauthorisedError") or Exception) as caught:
        agent_apis[0].get_activities()
    assert caught.value.code == 403
    with pytest.raises(Exception) as caught:
        manager.call_arbitrary("GetPendingActivities", {})
    assert caught.value.code == 403


THREADS = 8


def run_together(jobs):
    barrier = threading.Barrier(len(jobs))

    def run(job):
        barrier.wait()
        try:
            return job()
        except InvalidActivityStatusChangeError as error:
            return error

    with ThreadPoolExecutor(len(jobs)) as pool:
        return list(pool.map(run, jobs))


def test_concurrent_callers_across_processes(landscape_api, tenant, make_computer,  # noqa: F811
                                             activities):  # noqa: F811
    machines = [make_computer(tenant.account, f"m{i}") for i in range(3)]
    to_cancel = [activities.one(tenant.account, "undelivered") for _ in range(80)]
    to_approve = [activities.one(tenant.account, "unapproved") for _ in range(40)]
    for_agents = {m.id: [activities.one(tenant.account, "undelivered", computer=m)
                         for _ in range(10)] for m in machines}
    manager = tenant.manager
    jobs = []
    for i in range(THREADS):
        window = to_cancel[i * 8:i * 8 + 24]
        jobs.append(lambda w=window: ("cancel", landscape_api(manager).cancel_activities(
            " OR ".join(f"id:{a}" for a in w))))
    for i in range(4):
        window = to_approve[i * 10:i * 10 + 20]
        jobs.append(lambda w=window: ("approve", landscape_api(manager).approve_activities(
            " OR ".join(f"id:{a}" for a in w))))
    for machine in machines:
        for _ in range(2):
            jobs.append(lambda m=machine: ("fetch", landscape_api(Key(
                m.key.access_key, m.key.secret_key)).call_arbitrary("GetPendingActivities",
                                                                    {})))
    counted = {"cancel": Counter(), "approve": Counter(), "fetch": Counter()}
    for answer in run_together(jobs):
        if isinstance(answer, InvalidActivityStatusChangeError):
            assert answer.code == 400
            for line in answer.error_message.split("\n"):
                assert REFUSAL.match(line), line
            continue
        kind, body = answer
        counted[kind].update(a["id"] if kind == "fetch" else a for a in body)
    for kind, counter in counted.items():
        assert set(counter.values()) <= {1}, kind
    canceled = {a for a in to_cancel if statuses(a) == ["canceled"]}
    assert canceled == set(counted["cancel"])
    approved = {a for a in to_approve if statuses(a) == ["undelivered"]}
    assert approved == set(counted["approve"])
    assert set(counted["fetch"]) == {a for ids in for_agents.values() for a in ids}


def test_served_schema_drives_the_client_for_the_new_actions(landscape_api, tenant, fleet):
    from landscape_api.base import api_factory

    served = landscape_api(tenant.manager).call_arbitrary("GetSchema", {})
    assert {"ReapplyActivities", "RevertActivities", "GetActivityParents",
            "GetActivity"} <= set(served)
    key = tenant.manager
    api = api_factory(served)(landscape_api(key)._uri, key.access_key, key.secret_key,
                              schema=served)
    (new,) = api.reapply_activities([fleet["done"]])
    assert api.get_activity(new)["type"] == "ActivityGroup"
    parents = api.get_activity_parents(query=f"id:{new}")
    assert parents[0]["children_count"] == 1
    assert api.get_activities(query="status:unapproved") == api.get_activities(
        query=f"id:{fleet['held']}")
