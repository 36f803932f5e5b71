"""Computer changes write their events: registered, renamed, removed (with the canceled
pending activities), tagged, untagged, rebooted, shut down."""
from __future__ import annotations

from .conftest import entry

ADMIN, MANAGER = "admin-acme", "manager-acme"


def _computer(user, action, computer_id, title, details=None):
    return entry(user, "computer", action, f"computer {computer_id}",
                 f"computers/{computer_id}", description=title, details=details,
                 link_id=computer_id,
                 streams=[f"computer-{computer_id}", f"user-{user}", "account-acme"])


def test_register_writes_registered(api, tenant, logged):
    logged.mark()
    answer = api.call("RegisterComputer", key=tenant.admin, title="Box", hostname="box.lan",
                      tags=["web", "db"])
    computer = answer.body["id"]
    assert logged() == [_computer(ADMIN, "registered", computer, "Box",
                                  {"hostname": "box.lan", "tags": ["web", "db"]})]


def test_rename_writes_renamed_for_each_changed_title(api, tenant, make_computer, logged):
    a, b = make_computer(tenant.account, "a"), make_computer(tenant.account, "b")
    logged.mark()
    answer = api.call("RenameComputers", key=tenant.admin,
                      computer_titles={a.id: "A \"quoted\"", b.id: "b"})
    assert answer.status == 200
    assert logged() == [_computer(ADMIN, "renamed", a.id, "a",
                                  {"from": "a", "to": "A \"quoted\""})]


def test_remove_writes_removed_and_cancels_the_pending_activities(api, tenant, make_computer,
                                                                  activities, logged):
    box = make_computer(tenant.account, "box")
    pending = activities.one(tenant.account, "undelivered", computer=box, summary="Restart")
    activities.one(tenant.account, "succeeded", computer=box)
    logged.mark()
    assert api.call("RemoveComputers", key=tenant.admin, computer_ids=[box.id]).status == 200
    assert logged() == [
        _computer(ADMIN, "removed", box.id, "box"),
        entry(ADMIN, "activity", "canceled", f"activity {pending}", f"activities/{pending}",
              description="Restart", details={"from": "undelivered", "to": "canceled"},
              link_id=pending, streams=[f"activity-{pending}", f"computer-{box.id}",
                                        f"user-{ADMIN}", "account-acme"])]


def test_tag_changes_write_one_event_per_changed_computer(api, tenant, make_computer, logged):
    a = make_computer(tenant.account, "a", tags=["web"])
    b = make_computer(tenant.account, "b")
    make_computer(tenant.account, "c", tags=["web", "db"])
    logged.mark()
    assert api.call("AddTagsToComputers", key=tenant.admin, query="",
                    tags=["web", "db"]).body == [a.id, b.id]
    assert api.call("RemoveTagsFromComputers", key=tenant.admin, query=f"id:{b.id}",
                    tags=["db"]).body == [b.id]
    tags = {"tags": ["web", "db"]}
    assert logged() == [_computer(ADMIN, "tagged", a.id, "a", tags),
                        _computer(ADMIN, "tagged", b.id, "b", tags),
                        _computer(ADMIN, "untagged", b.id, "b", {"tags": ["db"]})]


def test_reboot_and_shutdown_write_the_group_and_one_event_per_computer(api, tenant,
                                                                        make_computer, logged):
    a, b = make_computer(tenant.account, "a"), make_computer(tenant.account, "b")
    logged.mark()
    reboot = api.call("RebootComputers", key=tenant.manager, computer_ids=[a.id, b.id]).body
    stop = api.call("ShutdownComputers", key=tenant.manager, computer_ids=[b.id]).body
    written = logged()
    assert [(e["action"], e["target"]) for e in written] == [
        ("created", f"activity {reboot['id']}"), ("rebooted", f"computer {a.id}"),
        ("rebooted", f"computer {b.id}"), ("created", f"activity {stop['id']}"),
        ("shut down", f"computer {b.id}")]
    assert written[1] == _computer(MANAGER, "rebooted", a.id, "a", {"activity": reboot["id"]})
    assert written[4] == _computer(MANAGER, "shut down", b.id, "b", {"activity": stop["id"]})


def test_a_refused_tag_change_writes_no_event(api, tenant, make_computer, logged):
    make_computer(tenant.account, "a")
    logged.mark()
    assert api.call("AddTagsToComputers", key=tenant.admin, query="",
                    tags=["bad tag"]).status == 400
    assert logged() == []


def test_an_error_after_a_rename_rolls_its_event_back(api, tenant, make_computer, logged,
                                                       monkeypatch):
    from app import inventory
    a = make_computer(tenant.account, "a")
    logged.mark()

    def fail(*args, **kwargs):
        raise RuntimeError("after the change")
    monkeypatch.setattr(inventory, "by_ids", fail)
    answer = api.call("RenameComputers", key=tenant.admin, computer_titles={a.id: "b"})
    assert answer.status == 500
    assert logged() == []
