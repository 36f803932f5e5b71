"""GetPackagers, GetPackagerACLs, GetPackagerPackages, GetPackagerStats."""
from __future__ import annotations

import pytest

from app.models import database


@pytest.fixture
def shelf(catalogue):
    """guake (POC manager-acme on master, f20, f17), tilda (POC admin-acme on f20 with
    manager-acme co-maintaining), clive (manager-acme watches; POC group::gtk-sig), and an
    orphaned listing of guake on f21 where manager-acme's commit is Obsolete."""
    with database.atomic():
        guake = catalogue.package("guake", ["master", "f20", "f17"])
        catalogue.listing(guake, "f21", poc="orphan", status="Orphaned")
        catalogue.acl(guake, "f21", "manager-acme", "commit", "Obsolete")
        tilda = catalogue.package("tilda", ["f20"], poc="admin-acme")
        catalogue.acl(tilda, "f20", "manager-acme", "commit")
        catalogue.acl(tilda, "f20", "auditor-acme", "commit", "Awaiting Review")
        clive = catalogue.package("clive", ["master"], poc="group::gtk-sig")
        catalogue.acl(clive, "master", "manager-acme", "watchcommits")
        old = catalogue.package("old", ["f17"], poc="retired-dev")
    return {"guake": guake, "tilda": tilda, "clive": clive, "old": old}


def test_packagers_hold_an_approved_acl_on_a_live_listing(api, tenant, shelf):
    answer = api.call("GetPackagers", key=tenant.auditor)
    assert answer.body == {"packagers": ["admin-acme", "group::gtk-sig", "manager-acme"]}
    answer = api.call("GetPackagers", key=tenant.auditor, pattern="*-acme")
    assert answer.body == {"packagers": ["admin-acme", "manager-acme"]}
    answer = api.call("GetPackagers", key=tenant.auditor, pattern="_dmin-acme")
    assert answer.body == {"packagers": []}


def test_packager_acls_show_each_acl_with_its_listing(api, tenant, shelf):
    answer = api.call("GetPackagerACLs", key=tenant.auditor, packagername="manager-acme",
                      acls=["commit"])
    assert answer.status == 200
    acls = answer.body["acls"]
    assert [(a["acl"], a["status"], a["packagelist"]["package"]["name"],
             a["packagelist"]["collection"]["branchname"]) for a in acls] == [
        ("commit", "Approved", "guake", "master"), ("commit", "Approved", "guake", "f20"),
        ("commit", "Obsolete", "guake", "f21"), ("commit", "Approved", "tilda", "f20")]
    assert set(acls[0]) == {"fas_name", "acl", "status", "packagelist"}
    assert set(acls[0]["packagelist"]) == {"point_of_contact", "critpath", "status",
                                           "status_change", "package", "collection"}
    assert (answer.body["page"], answer.body["page_total"]) == (1, 1)


@pytest.mark.parametrize(("arguments", "count"), [
    ({}, 11), ({"eol": True}, 15), ({"acls": ["commit", "approveacls"]}, 6),
    ({"poc": True}, 8), ({"poc": False}, 3), ({"poc": False, "acls": ["watchcommits"]}, 1),
])
def test_packager_acl_filters_and_counts(api, tenant, shelf, arguments, count):
    answer = api.call("GetPackagerACLs", key=tenant.auditor, packagername="manager-acme",
                      count=True, **arguments)
    assert answer.body == {"acls_count": count, "page": 1, "page_total": 1}


def test_packager_acls_are_paginated(api, tenant, shelf):
    answer = api.call("GetPackagerACLs", key=tenant.auditor, packagername="manager-acme",
                      limit=5, page=3)
    assert (len(answer.body["acls"]), answer.body["page"], answer.body["page_total"]) == (
        1, 3, 3)


def test_packager_without_acls(api, tenant, shelf):
    answer = api.call("GetPackagerACLs", key=tenant.auditor, packagername="random")
    assert (answer.status, answer.body) == (404, {"error": "UnknownPackager",
                                                  "message": "No ACL found for this user"})
    answer = api.call("GetPackagerACLs", key=tenant.auditor, packagername="random",
                      count=True)
    assert answer.body == {"acls_count": 0, "page": 1, "page_total": 1}
    answer = api.call("GetPackagerACLs", key=tenant.auditor, packagername="x", acls=["build"])
    assert answer.body["message"] == ("Invalid acls.1 value build: 'build' is not a valid "
                                      "choice for this field")


def test_packager_packages_are_split_by_role(api, tenant, shelf):
    answer = api.call("GetPackagerPackages", key=tenant.auditor, packagername="manager-acme")
    assert {key: [p["name"] for p in value] for key, value in answer.body.items()} == {
        "point of contact": ["guake"], "co-maintained": ["tilda"], "watch": ["clive"]}
    answer = api.call("GetPackagerPackages", key=tenant.auditor, packagername="manager-acme",
                      branches=["master"])
    assert {key: [p["name"] for p in value] for key, value in answer.body.items()} == {
        "point of contact": ["guake"], "co-maintained": [], "watch": ["clive"]}


def test_packager_packages_of_nobody(api, tenant, shelf):
    answer = api.call("GetPackagerPackages", key=tenant.auditor, packagername="retired-dev")
    assert (answer.status, answer.body) == (404, {"error": "UnknownPackager",
                                                  "message": "No ACLs found for that user"})
    answer = api.call("GetPackagerPackages", key=tenant.auditor, packagername="retired-dev",
                      eol=True)
    assert [p["name"] for p in answer.body["point of contact"]] == ["old"]


def test_packager_stats_count_per_live_branch(api, tenant, shelf):
    answer = api.call("GetPackagerStats", key=tenant.auditor, packagername="manager-acme")
    zero = {"point of contact": 0, "co-maintainer": 0}
    assert answer.body == {"master": {"point of contact": 1, "co-maintainer": 0},
                           "f21": zero, "f20": {"point of contact": 1, "co-maintainer": 1},
                           "f19": zero, "el6": zero}
    answer = api.call("GetPackagerStats", key=tenant.auditor, packagername="nobody", eol=True)
    assert answer.body == dict.fromkeys(("master", "f21", "f20", "f19", "f17", "el6"), zero)
