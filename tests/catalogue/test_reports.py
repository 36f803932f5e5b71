"""The pkgdb2 extras: critpath, pending ACLs, groups, monitored, koschei, retired, bugzilla,
notify and VCS reports; exact payloads on a small catalogue, bounded queries on a big one."""
from __future__ import annotations

import pytest
from playhouse.test_utils import count_queries

from app.models import ListingACL, Package, PackageListing, database

from .conftest import T0


@pytest.fixture
def shelf(catalogue):
    with database.atomic():
        guake = catalogue.package("guake", ["master", "f20", "f17"], critpath=True)
        catalogue.acl(guake, "f20", "admin-acme", "watchbugzilla")
        catalogue.acl(guake, "f20", "packager2", "commit", "Awaiting Review")
        tilda = catalogue.package("tilda", ["f20"], poc="group::gtk-sig", monitor="nobuild",
                                  koschei_monitor=True)
        catalogue.listing(tilda, "el6", poc="admin-acme")
        for acl in ("commit", "watchbugzilla", "watchcommits", "approveacls"):
            catalogue.acl(tilda, "el6", "admin-acme", acl)
        catalogue.package("clive", ["master", "f20"], poc="orphan", status="Retired",
                          acls=False, monitor="false")
        oldie = catalogue.package("oldie", ["master"], poc="orphan", status="Orphaned",
                                  acls=False)
        catalogue.listing(oldie, "f20", poc="orphan", status="Retired")
        catalogue.package("dock", ["master"], namespace="docker")
    return catalogue


def _call(api, tenant, action, **arguments):
    answer = api.call(action, key=tenant.auditor, **arguments)
    assert answer.status == 200, answer.body
    return answer.body


def test_critpath(api, tenant, shelf):
    assert _call(api, tenant, "GetCritpathPackages") == {
        "pkgs": {"master": ["guake"], "f20": ["guake"]}}
    assert _call(api, tenant, "GetCritpathPackages", branches=["f17", "el6"]) == {
        "pkgs": {"f17": ["guake"]}}


def test_pending_acls(api, tenant, shelf):
    pending = {"package": "guake", "namespace": "rpms", "user": "packager2",
               "collection": "f20", "acl": "commit", "status": "Awaiting Review"}
    body = _call(api, tenant, "GetPendingACLs")
    assert body["total_requests_pending"] == 1
    assert {k: v for k, v in body["pending_acls"][0].items() if k != "since"} == pending
    assert len(body["pending_acls"][0]["since"]) == 19
    assert _call(api, tenant, "GetPendingACLs", username="manager-acme")[
        "total_requests_pending"] == 1
    assert _call(api, tenant, "GetPendingACLs", username="admin-acme") == {
        "pending_acls": [], "total_requests_pending": 0}


def test_groups(api, tenant, shelf):
    assert _call(api, tenant, "GetGroups") == {"groups": ["gtk-sig"], "total_groups": 1}


def test_monitored_and_koschei(api, tenant, shelf):
    assert _call(api, tenant, "GetMonitoredPackages") == {
        "packages": ["dock", "guake", "oldie", "tilda"], "total_packages": 4}
    assert _call(api, tenant, "GetKoscheiPackages") == {"packages": ["tilda"],
                                                        "total_packages": 1}


def test_retired(api, tenant, shelf):
    assert _call(api, tenant, "GetRetiredPackages") == {
        "collection": "Fedora", "packages": ["clive"], "total_packages": 1}
    assert _call(api, tenant, "GetRetiredPackages", collection="Fedora EPEL") == {
        "collection": "Fedora EPEL", "packages": [], "total_packages": 0}


def test_bugzilla(api, tenant, shelf):
    nobody = {"groups": [], "people": []}
    assert _call(api, tenant, "GetBugzillaACLs") == {
        "bugzillaAcls": {
            "Fedora": {
                "dock Docker": {"owner": "manager-acme", "cclist": nobody, "qacontact": None,
                                "summary": "The dock package"},
                "guake": {"owner": "manager-acme",
                          "cclist": {"groups": [], "people": ["admin-acme"]},
                          "qacontact": None, "summary": "The guake package"},
                "tilda": {"owner": "@gtk-sig", "cclist": nobody, "qacontact": None,
                          "summary": "The tilda package"}},
            "Fedora EPEL": {
                "tilda": {"owner": "admin-acme", "cclist": nobody, "qacontact": None,
                          "summary": "The tilda package"}}},
        "title": "Fedora Package Database -- Bugzilla ACLs"}
    body = _call(api, tenant, "GetBugzillaACLs", collection="Fedora EPEL")
    assert list(body["bugzillaAcls"]) == ["Fedora EPEL"]


def test_notify(api, tenant, shelf):
    assert _call(api, tenant, "GetNotifyList") == {
        "packages": {"dock": ["manager-acme"], "guake": ["manager-acme"],
                     "tilda": ["admin-acme", "group::gtk-sig"]},
        "eol": False, "name": None, "version": None,
        "title": "Fedora Package Database -- Notification List"}
    body = _call(api, tenant, "GetNotifyList", name="Fedora EPEL", namespace=True)
    assert body["packages"] == {"rpms/tilda": ["admin-acme"]}
    body = _call(api, tenant, "GetNotifyList", clt_version="17", eol=True)
    assert (body["packages"], body["version"], body["eol"]) == (
        {"guake": ["manager-acme"]}, "17", True)


def test_vcs(api, tenant, shelf):
    def commit(groups=(), people=()):
        return {"commit": {"groups": ["provenpackager", *groups], "people": list(people)}}
    assert _call(api, tenant, "GetVCSACLs") == {
        "docker": {"dock": {"master": commit(people=["manager-acme"])}},
        "rpms": {"guake": {"master": commit(people=["manager-acme"]),
                           "f20": commit(people=["manager-acme"])},
                 "oldie": {"master": commit()},
                 "tilda": {"f20": commit(groups=["gtk-sig"]),
                           "el6": commit(people=["admin-acme"])}},
        "title": "Fedora Package Database -- VCS ACLs"}
    body = _call(api, tenant, "GetVCSACLs", collection="el6", namespace="rpms")
    assert body == {"rpms": {"tilda": {"el6": commit(people=["admin-acme"])}},
                    "title": "Fedora Package Database -- VCS ACLs"}


def test_reports_of_another_account_are_empty(api, tenant, shelf, make_tenant):
    other = make_tenant("other")
    assert api.call("GetVCSACLs", key=other.auditor).body == {
        "title": "Fedora Package Database -- VCS ACLs"}
    assert api.call("GetCritpathPackages", key=other.auditor).body == {"pkgs": {}}


BIG = 3000


@pytest.fixture
def big(catalogue):
    """3000 packages on master, f20 and f17 (EOL), each POC manager-acme with its four ACLs;
    every tenth retired everywhere, every seventh critpath."""
    branches = [catalogue.collections[b] for b in ("master", "f20", "f17")]
    with database.atomic():
        Package.insert_many([{"account": catalogue.account.id, "name": f"pkg{i:05d}",
                              "summary": "x", "creation_date": T0,
                              "monitor": "false" if i % 10 == 0 else "true"}
                             for i in range(BIG)]).execute()
        ids = [p.id for p in Package.select(Package.id).order_by(Package.name)]
        PackageListing.insert_many([
            {"package": pid, "collection": c.id, "critpath": i % 7 == 0, "status_change": T0,
             "point_of_contact": "orphan" if i % 10 == 0 else "manager-acme",
             "status": "Retired" if i % 10 == 0 else "Approved"}
            for i, pid in enumerate(ids) for c in branches]).execute()
        listings = PackageListing.select(PackageListing.id, PackageListing.status).tuples()
        rows = [{"listing": lid, "fas_name": "manager-acme", "acl": acl,
                 "status": "Obsolete" if status == "Retired" else "Approved"}
                for lid, status in listings
                for acl in ("commit", "watchbugzilla", "watchcommits", "approveacls")]
        for start in range(0, len(rows), 500):
            ListingACL.insert_many(rows[start:start + 500]).execute()
    database.execute_sql("ANALYZE")  # as after any bulk load: the planner needs statistics
    return catalogue


CHECKS = {
    "GetRetiredPackages": lambda body: body["total_packages"] == BIG // 10,
    "GetMonitoredPackages": lambda body: body["total_packages"] == BIG - BIG // 10,
    "GetCritpathPackages": lambda body: len(body["pkgs"]["master"]) == len(
        [i for i in range(BIG) if i % 7 == 0 and i % 10]),
    "GetNotifyList": lambda body: len(body["packages"]) == BIG - BIG // 10,
    "GetBugzillaACLs": lambda body: len(body["bugzillaAcls"]["Fedora"]) == BIG - BIG // 10,
    "GetVCSACLs": lambda body: len(body["rpms"]) == BIG - BIG // 10,
    "GetPendingACLs": lambda body: body["total_requests_pending"] == 0,
    "GetGroups": lambda body: body["total_groups"] == 0,
}


def test_reports_on_thousands_of_packages_use_a_few_queries(api, tenant, big):
    for action, check in CHECKS.items():
        with count_queries(only_select=True) as counted:
            body = _call(api, tenant, action)
        assert check(body), action
        # the key lookup, then the report's own one or two queries
        assert counted.count <= 3, (action, counted.count)
