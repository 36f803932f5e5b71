"""CreatePackage, EditPackage, SetPackageCritpath, SetPackageMonitoring, SetPackageKoschei."""
from __future__ import annotations

import pytest

from app.models import Package, PackageListing

from .conftest import acl_states, listing_state, log_lines

FOUR = ("commit", "watchbugzilla", "watchcommits", "approveacls")


def _create(api, key, **overrides):
    arguments = {"pkgname": "guake", "summary": "Drop-down terminal", "review_url": "123",
                 "status": "Approved", "branches": ["master", "f20"], "poc": "manager-acme"}
    arguments.update(overrides)
    return api.call("CreatePackage", key=key, **arguments)


def test_admin_creates_a_package_whose_poc_gets_the_four_acls(api, tenant, catalogue):
    answer = _create(api, tenant.admin, critpath=True, upstream_url="http://guake.org/")
    assert (answer.status, answer.body) == (200, {"messages": ["Package created"]})
    package = Package.get(Package.name == "guake")
    assert (package.namespace, package.review_url, package.upstream_url, package.monitor,
            package.koschei_monitor) == ("rpms", "https://bugzilla.redhat.com/123",
                                         "http://guake.org/", "true", False)
    for branch in ("master", "f20"):
        assert listing_state(package, branch) == ("manager-acme", "Approved")
        assert acl_states(package, branch) == {("manager-acme", acl): "Approved" for acl in FOUR}
    assert all(listing.critpath for listing in package.listings)
    assert log_lines(tenant.account) == ["Package created"]


def test_a_group_poc_gets_no_approveacls(api, tenant, catalogue):
    assert _create(api, tenant.admin, poc="group::gtk-sig", branches=["f20"]).status == 200
    package = Package.get(Package.name == "guake")
    assert acl_states(package, "f20") == {("group::gtk-sig", acl): "Approved"
                                          for acl in FOUR[:3]}


def test_an_orphaned_package_gets_no_acls(api, tenant, catalogue):
    assert _create(api, tenant.admin, poc="orphan", status="Orphaned").status == 200
    assert acl_states(Package.get(Package.name == "guake"), "f20") == {}


def test_monitoring_and_koschei_are_set_at_creation(api, tenant, catalogue):
    _create(api, tenant.admin, monitoring_status="nobuild", koschei=True)
    package = Package.get(Package.name == "guake")
    assert (package.monitor, package.koschei_monitor) == ("nobuild", True)


@pytest.mark.parametrize(("overrides", "status", "body"), [
    ({"branches": ["f17", "nowhere"]}, 400, {
        "error": "InvalidParameterValue",
        "message": "branches: 'f17' is not a valid choice for this field\n"
                   "branches: 'nowhere' is not a valid choice for this field"}),
    ({"poc": "auditor-acme"}, 400, {
        "error": "InvalidParameterValue",
        "message": 'Invalid poc value auditor-acme: User "auditor-acme" is not in the '
                   'packager group'}),
    ({"poc": "group::gtk"}, 400, {
        "error": "InvalidParameterValue",
        "message": 'Invalid poc value group::gtk: Invalid group "gtk" all groups should ends '
                   'with "-sig".'}),
    ({"namespace": "modules"}, 400, {
        "error": "InvalidParameterValue",
        "message": "f20 not allowed by namespace policy modules: master"}),
    ({"pkgname": "bad name"}, 400, {
        "error": "InvalidParameterValue",
        "message": "pkgname: Invalid package name (letters, digits, '.', '_', '+' and '-', "
                   "starting with a letter or digit)"}),
    ({"status": "Lost"}, 400, {
        "error": "InvalidParameterValue",
        "message": "Invalid status value Lost: 'Lost' is not a valid choice for this field"}),
    ({"monitoring_status": "often"}, 400, {
        "error": "InvalidParameterValue",
        "message": "Invalid monitoring_status value often: expected true, false or nobuild"}),
])
def test_creation_refusals(api, tenant, catalogue, overrides, status, body):
    answer = _create(api, tenant.admin, **overrides)
    assert (answer.status, answer.body) == (status, body)
    assert Package.select().count() == 0


def test_duplicate_package(api, tenant, catalogue):
    catalogue.package("guake", ["f20"])
    answer = _create(api, tenant.admin)
    assert (answer.status, answer.body) == (409, {
        "error": "DuplicatePackage",
        "message": "Could not create package: rpms/guake already exists"})
    assert _create(api, tenant.admin, namespace="docker").status == 200


def test_creating_needs_the_admin_role(api, tenant, catalogue):
    assert _create(api, tenant.manager).error == "Unauthorised"


def test_edit_writes_differing_non_empty_values(api, tenant, catalogue):
    catalogue.package("guake", ["f20"])
    answer = api.call("EditPackage", key=tenant.admin, pkgname="guake", summary="New",
                      description="", status="Removed")
    assert (answer.status, answer.body) == (200, {"messages": ['Package "guake" edited']})
    package = Package.get(Package.name == "guake")
    assert (package.summary, package.description, package.status) == ("New", None, "Removed")
    again = api.call("EditPackage", key=tenant.admin, pkgname="guake", summary="New")
    assert again.body == {"messages": ["Nothing to update"]}
    assert log_lines(tenant.account) == ['Package "guake" edited']


def test_edit_of_an_unknown_package(api, tenant, catalogue):
    answer = api.call("EditPackage", key=tenant.admin, pkgname="guake", summary="x")
    assert (answer.status, answer.body) == (404, {"error": "UnknownPackage",
                                                  "message": "No package of this name found"})


def test_critpath_is_set_per_pair_and_reported_per_change(api, tenant, catalogue):
    guake = catalogue.package("guake", ["master", "f20"])
    catalogue.package("tilda", ["f20"], critpath=True)
    answer = api.call("SetPackageCritpath", key=tenant.admin, pkgnames=["guake", "tilda"],
                      branches=["master", "f20"], critpath=True)
    assert (answer.status, answer.body) == (400, {
        "error": "MultiError",
        "message": "rpms/tilda@master => rpms/tilda was not found in the collection master",
        "details": {"failures": [{
            "id": "rpms/tilda@master",
            "message": "rpms/tilda was not found in the collection master"}]},
        "errors": [{"error": "UnknownListing",
                    "message": "rpms/tilda@master => rpms/tilda was not found in the "
                               "collection master"}]})
    assert not any(listing.critpath for listing in guake.listings)
    answer = api.call("SetPackageCritpath", key=tenant.admin, pkgnames=["guake", "tilda"],
                      branches=["f20"], critpath=True)
    assert answer.body == {"messages": ["rpms/guake: critpath updated on f20 to True"]}
    answer = api.call("SetPackageCritpath", key=tenant.admin, pkgnames=["guake"],
                      branches=["f20"], critpath=True)
    assert answer.body == {"messages": ["Nothing to update"]}
    answer = api.call("SetPackageCritpath", key=tenant.admin, pkgnames=["guake"],
                      branches=["f20", "master"])
    assert answer.body == {"messages": ["rpms/guake: critpath updated on f20 to False"]}


def test_critpath_refuses_unknown_packages_and_branches(api, tenant, catalogue):
    catalogue.package("guake", ["f20"])
    answer = api.call("SetPackageCritpath", key=tenant.admin, pkgnames=["guake", "nope"],
                      branches=["f20", "f99"], critpath=True)
    assert answer.body["message"].splitlines() == [
        "rpms/guake@f99 => No collection found by the name of f99",
        "rpms/nope@f20 => No package found by this name: rpms/nope",
        "rpms/nope@f99 => No package found by this name: rpms/nope"]
    assert [e["error"] for e in answer.body["errors"]] == [
        "UnknownCollection", "UnknownPackage", "UnknownPackage"]
    assert PackageListing.get().critpath is False


def test_critpath_needs_names_and_branches(api, tenant, catalogue):
    answer = api.call("SetPackageCritpath", key=tenant.admin, branches=["f20"])
    assert answer.body == {"error": "MissingParameter",
                           "message": "The request must contain the parameter pkgnames"}


def test_maintainers_set_monitoring(api, tenant, catalogue):
    catalogue.package("guake", ["f20"], monitor="false")
    answer = api.call("SetPackageMonitoring", key=tenant.manager, pkgname="guake",
                      status="nobuild")
    assert (answer.status, answer.body) == (200, {
        "messages": "Monitoring status of rpms/guake set to nobuild"})
    answer = api.call("SetPackageMonitoring", key=tenant.manager, pkgname="guake",
                      status="NOBUILD")
    assert answer.body == {"messages": "Monitoring status un-changed"}
    answer = api.call("SetPackageMonitoring", key=tenant.admin, pkgname="guake", status="1")
    assert answer.body == {"messages": "Monitoring status of rpms/guake set to True"}
    assert Package.get().monitor == "true"


def test_monitoring_needs_commit_or_approveacls(api, tenant, catalogue):
    guake = catalogue.package("guake", ["f20"], poc="admin-acme")
    catalogue.acl(guake, "f20", "manager-acme", "watchcommits")
    catalogue.acl(guake, "f20", "manager-acme", "commit", "Awaiting Review")
    answer = api.call("SetPackageMonitoring", key=tenant.manager, pkgname="guake",
                      status="false")
    assert (answer.status, answer.body) == (403, {
        "error": "Unauthorised",
        "message": "You are not allowed to update the monitor flag on this package"})


def test_monitoring_of_an_unknown_package(api, tenant, catalogue):
    answer = api.call("SetPackageMonitoring", key=tenant.manager, pkgname="nope",
                      status="true")
    assert (answer.status, answer.body) == (404, {"error": "UnknownPackage",
                                                  "message": "No package found by this name"})


def test_any_packager_sets_koschei(api, tenant, catalogue):
    catalogue.package("guake", ["f20"], poc="admin-acme")
    answer = api.call("SetPackageKoschei", key=tenant.manager, pkgname="guake", status=True)
    assert answer.body == {"messages": "Koschei monitoring status of rpms/guake set to True"}
    answer = api.call("SetPackageKoschei", key=tenant.manager, pkgname="guake", status="yes")
    assert answer.body == {"messages": "Koschei monitoring status un-changed"}
    assert log_lines(tenant.account) == ["Koschei monitoring status of rpms/guake set to True"]


def test_koschei_needs_a_packager(api, tenant, catalogue):
    catalogue.package("guake", ["f20"])
    outsider = catalogue.person("outsider", groups=())
    answer = api.call("SetPackageKoschei", key=outsider, pkgname="guake", status=True)
    assert (answer.status, answer.body) == (403, {
        "error": "Unauthorised", "message": 'User "outsider" is not in the packager group'})
    assert api.call("SetPackageKoschei", key=tenant.auditor, pkgname="guake",
                    status=True).status == 403
