"""Orphan, unorphan, retire, unretire and reassign: the state rules, their refusals and the
all-or-nothing rule."""
from __future__ import annotations

import pytest

from app.catalogue import log
from app.models import Package, database

from .conftest import acl_states, listing_state, log_lines

FOUR = ("commit", "watchbugzilla", "watchcommits", "approveacls")


@pytest.fixture
def people(catalogue):
    """packager2 (packager), gtkdev (packager in gtk-sig), outsider (not a packager)."""
    return {"packager2": catalogue.person("packager2"),
            "gtkdev": catalogue.person("gtkdev", groups=("packager", "gtk-sig")),
            "outsider": catalogue.person("outsider", groups=())}


def _call(api, action, key, pkgnames=("guake",), branches=("master",), **arguments):
    return api.call(action, key=key, pkgnames=list(pkgnames), branches=list(branches),
                    **arguments)


def _refusal(answer) -> list[tuple[str, str]]:
    """``(code, line)`` of each refused pair of a MultiError."""
    assert (answer.status, answer.error) == (400, "MultiError"), answer.body
    return [(error["error"], error["message"]) for error in answer.body["errors"]]


def test_orphan_unorphan_retire_unretire(api, tenant, catalogue, people):
    guake = catalogue.package("guake", ["master", "f20"])

    answer = _call(api, "OrphanPackages", tenant.manager)
    assert (answer.status, answer.body) == (200, {"messages": [
        "user: manager-acme changed point of contact of package: guake from: manager-acme "
        "to: orphan on branch: master"]})
    assert listing_state(guake, "master") == ("orphan", "Orphaned")
    assert acl_states(guake, "master") == {
        ("manager-acme", "commit"): "Obsolete", ("manager-acme", "approveacls"): "Obsolete",
        ("manager-acme", "watchbugzilla"): "Approved",
        ("manager-acme", "watchcommits"): "Approved"}
    assert listing_state(guake, "f20") == ("manager-acme", "Approved")

    answer = _call(api, "UnorphanPackages", people["packager2"], poc="packager2")
    assert answer.body == {"messages": [
        "Package rpms/guake has been unorphaned on master by packager2"]}
    assert listing_state(guake, "master") == ("packager2", "Approved")
    assert {acl: status for (user, acl), status in acl_states(guake, "master").items()
            if user == "packager2"} == dict.fromkeys(FOUR, "Approved")

    answer = _call(api, "RetirePackages", people["packager2"])
    assert answer.body == {"messages": [
        "user: packager2 updated package: guake status from: Approved to Retired on branch: "
        "master"]}
    assert listing_state(guake, "master") == ("orphan", "Retired")
    assert set(acl_states(guake, "master").values()) == {"Obsolete"}
    assert Package.get_by_id(guake.id).monitor == "true"  # still live on f20

    answer = _call(api, "UnretirePackages", tenant.admin)
    assert answer.body == {"messages": [
        "user: admin-acme updated package: guake status from: Retired to Orphaned on branch: "
        "master"]}
    assert listing_state(guake, "master") == ("orphan", "Orphaned")
    assert _call(api, "UnorphanPackages", tenant.manager, poc="manager-acme").status == 200
    assert listing_state(guake, "master") == ("manager-acme", "Approved")
    assert len(log_lines(tenant.account)) == 5


def test_retiring_every_live_branch_stops_monitoring(api, tenant, catalogue):
    guake = catalogue.package("guake", ["master", "f20", "f17"])
    _call(api, "RetirePackages", tenant.admin, branches=["master", "f20"])
    assert Package.get_by_id(guake.id).monitor == "false"


def test_orphan_needs_the_poc_or_an_admin(api, tenant, catalogue, people):
    guake = catalogue.package("guake", ["master"])
    answer = _call(api, "OrphanPackages", people["packager2"])
    assert _refusal(answer) == [("Unauthorised", "rpms/guake@master => You are not allowed "
                                 "to change the point of contact.")]
    assert answer.body["message"] == ("rpms/guake@master => You are not allowed to change "
                                      "the point of contact.")
    assert _call(api, "OrphanPackages", tenant.admin).status == 200
    assert listing_state(guake, "master") == ("orphan", "Orphaned")
    # anyone may touch an orphan: here, orphaning it again
    assert _call(api, "OrphanPackages", people["packager2"]).status == 200


def test_a_group_poc_is_changed_only_by_its_members_even_admins(api, tenant, catalogue,
                                                                people):
    guake = catalogue.package("guake", ["master"], poc="group::gtk-sig")
    refused = ('rpms/guake@master => You are not part of the group "gtk-sig", you are not '
               'allowed to change the point of contact.')
    assert _refusal(_call(api, "OrphanPackages", tenant.admin)) == [("Unauthorised", refused)]
    assert _refusal(_call(api, "ReassignPackages", tenant.manager, poc="manager-acme",
                          namespace="rpms")) == [("Unauthorised", refused)]
    answer = _call(api, "OrphanPackages", people["gtkdev"])
    assert answer.body == {"messages": [
        "user: gtkdev changed point of contact of package: guake from: group::gtk-sig to: "
        "orphan on branch: master"]}
    assert acl_states(guake, "master")[("group::gtk-sig", "commit")] == "Obsolete"


def test_group_members_count_as_the_poc_for_retiring(api, tenant, catalogue, people):
    catalogue.package("guake", ["master"], poc="group::gtk-sig")
    assert _refusal(_call(api, "RetirePackages", tenant.manager)) == [
        ("Unauthorised", "rpms/guake@master => You are not allowed to retire this package.")]
    assert _call(api, "RetirePackages", people["gtkdev"]).status == 200


def test_former_poc_restricts_orphaning_to_its_listings(api, tenant, catalogue, people):
    guake = catalogue.package("guake", ["master"])
    catalogue.listing(guake, "f20", poc="packager2")
    answer = _call(api, "OrphanPackages", tenant.admin, branches=["master", "f20"],
                   former_poc="packager2")
    assert answer.body == {"messages": [
        "user: admin-acme changed point of contact of package: guake from: packager2 to: "
        "orphan on branch: f20"]}
    assert listing_state(guake, "master") == ("manager-acme", "Approved")
    answer = _call(api, "OrphanPackages", tenant.admin, former_poc="packager2")
    assert _refusal(answer) == [("InvalidPackageStatusChange", "rpms/guake@master => "
                                 "Orphaning restricted to the packages of user manager-acme")]


def test_retired_listings_are_not_orphaned_or_reassigned(api, tenant, catalogue, people):
    catalogue.package("guake", ["master"], poc="orphan", status="Retired", acls=False)
    line = "rpms/guake@master => Package rpms/guake is retired on master"
    assert _refusal(_call(api, "OrphanPackages", tenant.admin)) == [
        ("InvalidPackageStatusChange", line)]
    assert _refusal(_call(api, "ReassignPackages", tenant.admin, poc="manager-acme",
                          namespace="rpms")) == [("InvalidPackageStatusChange", line)]


def test_bulk_orphan_with_one_bad_pair_changes_nothing(api, tenant, catalogue, people):
    guake = catalogue.package("guake", ["master", "f20"])
    tilda = catalogue.package("tilda", ["master"], poc="packager2")
    answer = _call(api, "OrphanPackages", tenant.manager, pkgnames=["guake", "tilda", "nope"],
                   branches=["master", "f20", "f99"])
    assert answer.body["message"].splitlines() == [
        "rpms/guake@f99 => No collection found by the name of f99",
        "rpms/nope@f20 => No package found by this name",
        "rpms/nope@f99 => No package found by this name",
        "rpms/nope@master => No package found by this name",
        "rpms/tilda@f20 => The package rpms/tilda could not be found in the collection f20.",
        "rpms/tilda@f99 => No collection found by the name of f99",
        "rpms/tilda@master => You are not allowed to change the point of contact."]
    assert [e["error"] for e in answer.body["errors"]] == [
        "UnknownCollection", "UnknownPackage", "UnknownPackage", "UnknownPackage",
        "UnknownListing", "UnknownCollection", "Unauthorised"]
    assert answer.body["details"]["failures"][0] == {
        "id": "rpms/guake@f99", "message": "No collection found by the name of f99"}
    assert listing_state(guake, "master") == listing_state(guake, "f20") == (
        "manager-acme", "Approved")
    assert listing_state(tilda, "master") == ("packager2", "Approved")
    assert set(acl_states(guake, "master").values()) == {"Approved"}
    assert log_lines(tenant.account) == []


def test_bulk_retire_with_one_bad_pair_changes_nothing(api, tenant, catalogue):
    guake = catalogue.package("guake", ["master", "f20"])
    answer = _call(api, "RetirePackages", tenant.manager, branches=["master", "f20"])
    assert _refusal(answer) == [("Unauthorised", "rpms/guake@f20 => You are not allowed to "
                                 "retire the package: rpms/guake on branch f20.")]
    assert listing_state(guake, "master") == ("manager-acme", "Approved")
    assert set(acl_states(guake, "master").values()) == {"Approved"}


def test_a_collection_that_allows_retiring_lets_packagers_retire(api, tenant, catalogue,
                                                                 people):
    catalogue.package("guake", ["master", "el6", "f20"])
    assert _call(api, "RetirePackages", tenant.manager, branches=["master", "el6"]).status == 200
    assert _call(api, "RetirePackages", tenant.admin, branches=["f20"]).status == 200


def test_retire_rights(api, tenant, catalogue, people):
    guake = catalogue.package("guake", ["master"], poc="admin-acme")
    assert _refusal(_call(api, "RetirePackages", people["packager2"])) == [
        ("Unauthorised", "rpms/guake@master => You are not allowed to retire this package.")]
    catalogue.acl(guake, "master", "packager2", "approveacls")
    assert _call(api, "RetirePackages", people["packager2"]).status == 200
    assert _refusal(_call(api, "RetirePackages", tenant.admin)) == [
        ("InvalidPackageStatusChange",
         "rpms/guake@master => Package rpms/guake is already retired on master")]
    catalogue.package("tilda", ["master"], poc="orphan", status="Orphaned", acls=False)
    assert _call(api, "RetirePackages", people["gtkdev"], pkgnames=["tilda"]).status == 200


def test_retire_needs_a_packager(api, tenant, catalogue, people):
    catalogue.package("guake", ["master"], poc="orphan", status="Orphaned", acls=False)
    answer = _call(api, "RetirePackages", people["outsider"])
    assert (answer.status, answer.body) == (403, {
        "error": "Unauthorised", "message": 'User "outsider" is not in the packager group'})


def test_unretire_refusals(api, tenant, catalogue):
    catalogue.package("guake", ["master"])
    assert _call(api, "UnretirePackages", tenant.manager).error == "Unauthorised"
    assert _refusal(_call(api, "UnretirePackages", tenant.admin)) == [
        ("InvalidPackageStatusChange",
         'rpms/guake@master => Package "rpms/guake" is not retired on master')]
    answer = _call(api, "UnretirePackages", tenant.admin, branches=["f21"])
    assert _refusal(answer) == [
        ("UnknownListing", "rpms/guake@f21 => No package rpms/guake found in collection f21")]


def test_unorphan_is_for_oneself_or_a_group(api, tenant, catalogue, people):
    guake = catalogue.package("guake", ["master"], poc="orphan", status="Orphaned", acls=False)
    answer = _call(api, "UnorphanPackages", tenant.manager, poc="packager2")
    assert (answer.status, answer.body) == (403, {
        "error": "Unauthorised", "message": "You are not allowed to update ACLs of someone else."})
    answer = _call(api, "UnorphanPackages", people["outsider"], poc="outsider")
    assert (answer.status, answer.body) == (403, {
        "error": "Unauthorised", "message": "You must be a packager to take a package."})
    answer = _call(api, "UnorphanPackages", tenant.manager, poc="group::gtk-sig")
    assert answer.body == {"messages": [
        "Package rpms/guake has been unorphaned on master by group::gtk-sig"]}
    assert acl_states(guake, "master") == {("group::gtk-sig", acl): "Approved"
                                           for acl in FOUR[:3]}


def test_admins_unorphan_for_any_packager_only(api, tenant, catalogue, people):
    catalogue.package("guake", ["master"], poc="orphan", status="Orphaned", acls=False)
    answer = _call(api, "UnorphanPackages", tenant.admin, poc="outsider")
    assert (answer.status, answer.body) == (400, {
        "error": "InvalidParameterValue",
        "message": 'Invalid poc value outsider: User "outsider" is not in the packager group'})
    assert _call(api, "UnorphanPackages", tenant.admin, poc="packager2").status == 200


def test_unorphan_needs_an_orphaned_live_listing(api, tenant, catalogue, people):
    catalogue.package("guake", ["master", "f17"])
    catalogue.package("clive", ["master"], poc="orphan", status="Retired", acls=False)
    answer = _call(api, "UnorphanPackages", tenant.manager, pkgnames=["guake", "clive"],
                   branches=["master", "f17"], poc="manager-acme")
    assert _refusal(answer) == [
        ("UnknownListing", 'rpms/clive@f17 => Package "rpms/clive" is not in the collection f17'),
        ("InvalidPackageStatusChange",
         'rpms/clive@master => Package "rpms/clive" is not orphaned on master'),
        ("UnknownListing", 'rpms/guake@f17 => Package "rpms/guake" is not in the collection f17'),
        ("InvalidPackageStatusChange",
         'rpms/guake@master => Package "rpms/guake" is not orphaned on master')]


def test_reassign_gives_the_listing_and_the_four_acls(api, tenant, catalogue, people):
    guake = catalogue.package("guake", ["master"])
    tilda = catalogue.package("tilda", ["master"], poc="orphan", status="Orphaned", acls=False)
    answer = _call(api, "ReassignPackages", tenant.manager, pkgnames=["guake"],
                   poc="packager2", namespace="rpms")
    assert answer.body == {"messages": [
        "user: manager-acme changed point of contact of package: guake from: manager-acme to: "
        "packager2 on branch: master"]}
    assert listing_state(guake, "master") == ("packager2", "Approved")
    assert acl_states(guake, "master")[("packager2", "approveacls")] == "Approved"
    assert _call(api, "ReassignPackages", tenant.manager, pkgnames=["tilda"],
                 poc="manager-acme", namespace="rpms").status == 200
    assert listing_state(tilda, "master") == ("manager-acme", "Approved")


def test_reassign_refusals(api, tenant, catalogue, people):
    catalogue.package("guake", ["master"])
    answer = _call(api, "ReassignPackages", tenant.manager, poc="packager2")
    assert answer.body == {"error": "MissingParameter",
                           "message": "The request must contain the parameter namespace"}
    answer = _call(api, "ReassignPackages", tenant.manager, poc="outsider", namespace="rpms")
    assert answer.body["message"] == ('Invalid poc value outsider: User "outsider" is not in '
                                      'the packager group')
    answer = _call(api, "ReassignPackages", people["packager2"], poc="packager2",
                   namespace="rpms")
    assert _refusal(answer) == [("Unauthorised", "rpms/guake@master => You are not allowed "
                                 "to change the point of contact.")]


def test_a_change_of_more_lines_than_one_insert_binds_writes_them_all(tenant):
    # five values a line: in one INSERT past SQLite's default bound-parameter limit
    # (32,766; Debian's build allows more, psycopg2 binds client-side)
    lines = [(None, f"line {index}") for index in range(14_000)]
    with database.atomic():
        log.record(tenant.account, "admin", lines)
    assert log_lines(tenant.account) == [message for _, message in lines]
