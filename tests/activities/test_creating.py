"""Activity-creating actions (ACTIVITIES.md §6): packages, reboot/shutdown, reapply, revert."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.models import Activity, utcnow
from app.timefmt import from_wire

from .conftest import row, status_of


@pytest.fixture
def fleet(tenant, make_computer, packages):
    packages(tenant.account, "nginx", "curl", "git")
    return [make_computer(tenant.account, "web1", tags=["server"]),
            make_computer(tenant.account, "web2", tags=["server"]),
            make_computer(tenant.account, "laptop1", tags=["laptop"])]


def children_of(parent_id: int) -> list[Activity]:
    return list(Activity.select().where(Activity.parent == parent_id).order_by(Activity.id))


def test_install_packages_creates_a_group_with_a_child_per_computer(api, tenant, fleet):
    answer = api.call("InstallPackages", key=tenant.manager, query="tag:server",
                      packages=["nginx", "curl"])
    assert answer.status == 200, answer.body
    group = answer.body
    manager = tenant.persons["manager"]
    assert group["type"] == "ActivityGroup" and group["computer_id"] is None
    assert group["summary"] == "Install packages nginx and curl"
    assert group["activity_status"] == "undelivered"
    assert group["children_count"] == 2 and group["computer_count"] == 2
    assert group["creator"] == {"id": manager.id, "name": manager.name, "email": manager.email}
    children = children_of(group["id"])
    assert [c.computer_id for c in children] == [fleet[0].id, fleet[1].id]
    for child in children:
        assert child.type == "ChangePackagesRequest"
        assert child.activity_status == "undelivered"
        assert child.changes == [
            {"package": "nginx", "type": "install", "version": None, "complemented": False},
            {"package": "curl", "type": "install", "version": None, "complemented": False}]
        assert len(child.package_ids) == 2


def test_one_package_has_a_singular_summary(api, tenant, fleet):
    answer = api.call("RemovePackages", key=tenant.manager, query="tag:laptop",
                      packages=["git"])
    assert answer.body["summary"] == "Remove package git"
    (child,) = children_of(answer.body["id"])
    assert child.changes[0]["type"] == "remove"


def test_three_packages_summary(api, tenant, fleet):
    answer = api.call("UpgradePackages", key=tenant.manager, query="",
                      packages=["git", "curl", "nginx"])
    assert answer.body["summary"] == "Upgrade packages git, curl and nginx"
    assert answer.body["children_count"] == 3


def test_upgrade_without_packages_upgrades_everything(api, tenant, fleet):
    answer = api.call("UpgradePackages", key=tenant.manager, query="tag:laptop",
                      security_only=True)
    assert answer.body["summary"] == "Apply security upgrades"
    (child,) = children_of(answer.body["id"])
    assert child.type == "UpgradeAllPackagesRequest"


def test_unknown_packages_are_named_and_nothing_is_created(api, tenant, fleet):
    answer = api.call("InstallPackages", key=tenant.manager, query="",
                      packages=["nginx", "zzz", "aaa"])
    assert (answer.status, answer.body) == (400, {"error": "UnknownPackages",
                                                  "message": "Unknown packages: zzz, aaa"})
    assert Activity.select().count() == 0


def test_a_package_of_another_namespace_counts(api, tenant, fleet, packages):
    packages(tenant.account, "nginx", namespace="modules")
    answer = api.call("InstallPackages", key=tenant.manager, query="id:%d" % fleet[0].id,
                      packages=["nginx"])
    (child,) = children_of(answer.body["id"])
    assert len(child.package_ids) == 2


def test_another_accounts_packages_do_not_count(api, tenant, make_tenant, fleet, packages):
    other = make_tenant("other")
    packages(other.account, "secret-tool")
    answer = api.call("InstallPackages", key=tenant.manager, query="",
                      packages=["secret-tool"])
    assert answer.error == "UnknownPackages"


def test_a_query_selecting_no_computer_is_404(api, tenant, fleet):
    answer = api.call("InstallPackages", key=tenant.manager, query="tag:nothing",
                      packages=["nginx"])
    assert (answer.status, answer.error) == (404, "UnknownComputers")


def test_empty_package_list_is_missing(api, tenant, fleet):
    answer = api.call("InstallPackages", key=tenant.manager, query="", packages=[])
    assert (answer.status, answer.error) == (400, "MissingParameter")


def test_require_approval_creates_unapproved(api, make_tenant, make_computer, packages):
    strict = make_tenant("strict", require_approval=True)
    packages(strict.account, "nginx")
    make_computer(strict.account, "m")
    answer = api.call("InstallPackages", key=strict.manager, query="", packages=["nginx"])
    assert answer.body["activity_status"] == "unapproved"
    assert {c.activity_status for c in children_of(answer.body["id"])} == {"unapproved"}


def test_deliver_after_in_the_future_schedules(api, tenant, fleet):
    later = (utcnow() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    answer = api.call("InstallPackages", key=tenant.manager, query="tag:server",
                      packages=["nginx"], deliver_after=later)
    assert answer.body["activity_status"] == "scheduled"
    assert answer.body["deliver_after_time"] == later
    assert {c.activity_status for c in children_of(answer.body["id"])} == {"scheduled"}


def test_deliver_after_in_the_past_is_undelivered(api, tenant, fleet):
    answer = api.call("InstallPackages", key=tenant.manager, query="tag:server",
                      packages=["nginx"], deliver_after="2001-01-01")
    assert answer.body["activity_status"] == "undelivered"


def test_delay_window_spreads_children(api, tenant, make_computer, packages):
    packages(tenant.account, "nginx")
    for i in range(20):
        make_computer(tenant.account, f"m{i}")
    start = utcnow()
    answer = api.call("InstallPackages", key=tenant.manager, query="", packages=["nginx"],
                      deliver_delay_window=60)
    times = [c.deliver_after_time for c in children_of(answer.body["id"])]
    assert all(start <= t <= start + timedelta(minutes=61) for t in times)
    assert len(set(times)) > 1


@pytest.mark.parametrize("window", ["-1", "1441", "soon"])
def test_delay_window_bounds(api, tenant, fleet, window):
    answer = api.call("InstallPackages", key=tenant.manager, query="", packages=["nginx"],
                      deliver_delay_window=window)
    assert answer.error == "InvalidParameterValue"


def test_bad_deliver_after_is_invalid(api, tenant, fleet):
    answer = api.call("InstallPackages", key=tenant.manager, query="", packages=["nginx"],
                      deliver_after="tomorrow")
    assert answer.error == "InvalidParameterValue"


def test_reboot_and_shutdown(api, tenant, fleet):
    answer = api.call("RebootComputers", key=tenant.manager,
                      computer_ids=[fleet[2].id, fleet[0].id, fleet[0].id])
    assert answer.status == 200
    assert answer.body["children_count"] == 2
    assert {c.type for c in children_of(answer.body["id"])} == {"RestartRequest"}
    answer = api.call("ShutdownComputers", key=tenant.manager, computer_ids=[fleet[1].id])
    assert [c.type for c in children_of(answer.body["id"])] == ["ShutdownRequest"]


def test_reboot_of_unknown_computers_is_404(api, tenant, fleet):
    answer = api.call("RebootComputers", key=tenant.manager,
                      computer_ids=[fleet[0].id, 99999, 12345])
    assert (answer.status, answer.body) == (404, {
        "error": "UnknownComputer", "message": "Unknown computer ids: 12345, 99999"})
    assert Activity.select().count() == 0


def test_reapply_a_final_group_recreates_its_children(api, tenant, fleet, activities):
    parent, children = activities.group(tenant.account, ["succeeded", "failed"], fleet[:2],
                                        summary="Install package nginx",
                                        changes=[{"package": "nginx", "type": "install",
                                                  "version": None, "complemented": False}])
    answer = api.call("ReapplyActivities", key=tenant.manager, activity_ids=[parent])
    assert answer.status == 200, answer.body
    (new,) = answer.body
    copy = row(new)
    assert (copy.type, copy.summary, copy.activity_status) == (
        "ActivityGroup", "Install package nginx", "undelivered")
    copies = children_of(new)
    assert [c.computer_id for c in copies] == [fleet[0].id, fleet[1].id]
    assert {c.activity_status for c in copies} == {"undelivered"}
    assert copies[0].changes == row(children[0]).changes
    assert copy.creator_id == tenant.persons["manager"].id


def test_reapply_refuses_pending_activities_all_or_nothing(api, tenant, fleet, activities):
    done = activities.one(tenant.account, "failed", computer=fleet[0])
    running = activities.one(tenant.account, "delivered", computer=fleet[0])
    answer = api.call("ReapplyActivities", key=tenant.manager, activity_ids=[running, done])
    assert answer.status == 400
    assert answer.body["message"] == (
        f"{running} => Activity {running} is delivered and cannot be reapplied")
    assert Activity.select().count() == 2


def test_reapply_a_single_activity(api, tenant, fleet, activities):
    done = activities.one(tenant.account, "canceled", computer=fleet[2], type="RestartRequest")
    (new,) = api.call("ReapplyActivities", key=tenant.manager, activity_ids=[done]).body
    copy = row(new)
    assert (copy.type, copy.computer_id, copy.parent_id) == ("RestartRequest", fleet[2].id,
                                                             None)


def test_reapply_of_unknown_ids_is_404(api, tenant, activities):
    done = activities.one(tenant.account, "failed")
    answer = api.call("ReapplyActivities", key=tenant.manager, activity_ids=[done, 424242])
    assert (answer.status, answer.body) == (404, {"error": "UnknownActivity",
                                                  "message": "Unknown activity 424242"})


def test_revert_inverts_package_changes(api, tenant, fleet, activities):
    changes = [{"package": "nginx", "type": "install", "version": "1.2", "complemented": False},
               {"package": "curl", "type": "upgrade", "version": "8.0",
                "previous_version": "7.9", "complemented": False}]
    parent, children = activities.group(tenant.account, ["succeeded", "canceled"], fleet[:2],
                                        changes=changes, package_ids=[1, 2])
    answer = api.call("RevertActivities", key=tenant.manager, activity_ids=[parent])
    assert answer.status == 200, answer.body
    (new,) = answer.body
    (child,) = children_of(new)  # only the succeeded child is reverted
    assert child.computer_id == fleet[0].id
    assert child.changes == [
        {"package": "nginx", "type": "remove", "version": "1.2", "complemented": False},
        {"package": "curl", "type": "downgrade", "version": "7.9", "complemented": False}]
    assert child.summary == "Change packages nginx and curl"
    assert child.package_ids == [1, 2]


def test_revert_refuses_what_is_not_a_succeeded_package_change(api, tenant, fleet,
                                                              activities):
    restart = activities.one(tenant.account, "succeeded", computer=fleet[0],
                             type="RestartRequest")
    failed = activities.one(tenant.account, "failed", computer=fleet[0],
                            changes=[{"package": "nginx", "type": "install"}])
    answer = api.call("RevertActivities", key=tenant.manager, activity_ids=[restart, failed])
    assert answer.body["message"] == (
        f"{restart} => Activity {restart} is not a package change and cannot be reverted\n"
        f"{failed} => Activity {failed} is failed and cannot be reverted")


def test_reapply_skips_removed_computers(api, tenant, fleet, activities):
    alone = activities.one(tenant.account, "succeeded", computer=fleet[2])
    api.call("RemoveComputers", key=tenant.admin, computer_ids=[fleet[2].id])
    answer = api.call("ReapplyActivities", key=tenant.manager, activity_ids=[alone])
    assert answer.body["message"] == (
        f"{alone} => Activity {alone} cannot be reapplied: its computer was removed")


def test_created_times_are_wire_times(api, tenant, fleet):
    answer = api.call("RebootComputers", key=tenant.manager, computer_ids=[fleet[0].id])
    created = from_wire(answer.body["creation_time"])
    assert abs((utcnow() - created).total_seconds()) < 5
    assert status_of(answer.body["id"]) == ["undelivered"]
