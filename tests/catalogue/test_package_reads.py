"""GetPackageInfo and SearchPackages: shapes, filters, patterns, pagination, counts."""
from __future__ import annotations

import pytest

from app.models import database

from .conftest import T0

MASTER = {"name": "Fedora", "version": "devel", "branchname": "master",
          "status": "Under Development", "koji_name": "master", "dist_tag": ".master",
          "allow_retire": True}


def _package(name: str, **changes) -> dict:
    data = {"name": name, "namespace": "rpms", "summary": f"The {name} package",
            "description": None, "status": "Approved", "review_url": None,
            "upstream_url": None, "creation_date": T0, "monitor": True,
            "koschei_monitor": False, "acls": []}
    data.update(changes)
    return data


def _collection(shown: dict) -> dict:
    return {k: v for k, v in shown.items() if not k.startswith("date_")}


def _names(answer) -> list[str]:
    return [p["name"] for p in answer.body["packages"]]


def test_package_info_lists_listings_with_acls_and_provenpackager(api, tenant, catalogue):
    guake = catalogue.package("guake", ["master", "f20"])
    catalogue.acl(guake, "master", "admin-acme", "watchcommits", "Obsolete")
    answer = api.call("GetPackageInfo", key=tenant.auditor, pkgname="guake")
    assert answer.status == 200
    master, f20 = answer.body["packages"]
    assert _collection(master.pop("collection")) == MASTER
    assert master == {
        "point_of_contact": "manager-acme", "critpath": False, "status": "Approved",
        "status_change": T0, "package": _package("guake"),
        "acls": [{"fas_name": "manager-acme", "acl": acl, "status": "Approved"}
                 for acl in ("commit", "watchbugzilla", "watchcommits", "approveacls")]
        + [{"fas_name": "admin-acme", "acl": "watchcommits", "status": "Obsolete"},
           {"fas_name": "group::provenpackager", "acl": "commit", "status": "Approved"}]}
    assert f20["collection"]["branchname"] == "f20"


def test_package_info_without_acls_and_listings_without_rows(api, tenant, catalogue):
    catalogue.package("tilda", ["f20"], acls=False)
    answer = api.call("GetPackageInfo", key=tenant.auditor, pkgname="tilda")
    assert "acls" not in answer.body["packages"][0]
    catalogue.package("guake", ["f20"])
    answer = api.call("GetPackageInfo", key=tenant.auditor, pkgname="guake", acls=False)
    assert "acls" not in answer.body["packages"][0]


def test_package_info_hides_eol_unless_asked_and_filters_branches(api, tenant, catalogue):
    catalogue.package("guake", ["master", "f20", "f17"])

    def branches(**arguments):
        answer = api.call("GetPackageInfo", key=tenant.auditor, pkgname="guake", **arguments)
        return [listing["collection"]["branchname"] for listing in answer.body["packages"]]
    assert branches() == ["master", "f20"]
    assert branches(eol=True) == ["master", "f20", "f17"]
    assert branches(branches=["f20", "f17"]) == ["f20"]


def test_package_info_of_an_unknown_package(api, tenant, catalogue):
    answer = api.call("GetPackageInfo", key=tenant.auditor, pkgname="nope")
    assert (answer.status, answer.body) == (404, {
        "error": "UnknownPackage", "message": "Package: rpms/nope not found"})
    catalogue.package("guake", ["f20"])
    answer = api.call("GetPackageInfo", key=tenant.auditor, pkgname="guake", namespace="docker")
    assert answer.body["message"] == "Package: docker/guake not found"


def test_package_info_on_branches_without_listings(api, tenant, catalogue):
    catalogue.package("guake", ["f20"])
    answer = api.call("GetPackageInfo", key=tenant.auditor, pkgname="guake",
                      branches=["f21", "el6"])
    assert (answer.status, answer.body) == (404, {
        "error": "UnknownListing", "message": "No package found on these branches: f21, el6"})


def test_foreign_packages_are_unknown(api, tenant, catalogue, make_tenant):
    catalogue.package("guake", ["f20"])
    other = make_tenant("other")
    assert api.call("GetPackageInfo", key=other.auditor, pkgname="guake").status == 404
    assert api.call("SearchPackages", key=other.auditor).body["packages"] == []


@pytest.fixture
def shelf(catalogue):
    """guake (master, f20), guake-extra (f20 critpath), tilda (f19, orphaned on f19),
    clive (retired on f20), old (only on EOL f17), dock (docker namespace)."""
    with database.atomic():
        catalogue.package("guake", ["master", "f20"])
        catalogue.package("guake-extra", ["f20"], critpath=True)
        tilda = catalogue.package("tilda", ["f21"])
        catalogue.listing(tilda, "f19", poc="orphan", status="Orphaned")
        catalogue.package("clive", ["f20"], poc="orphan", status="Retired", acls=False)
        catalogue.package("old", ["f17"])
        catalogue.package("dock", ["master"], namespace="docker")
    return catalogue


def test_search_lists_every_package_with_a_live_listing_by_name(api, tenant, shelf):
    answer = api.call("SearchPackages", key=tenant.auditor)
    assert answer.status == 200
    assert answer.body == {"packages": [_package(n) for n in
                                        ("clive", "guake", "guake-extra", "tilda")],
                           "page": 1, "page_total": 1}


@pytest.mark.parametrize(("arguments", "expected"), [
    ({"pattern": ["gu*"]}, ["guake", "guake-extra"]),
    ({"pattern": ["guake", "tilda"]}, ["guake", "tilda"]),
    ({"pattern": ["?uake"]}, ["guake"]),
    ({"pattern": ["guake*", "*extra"]}, ["guake", "guake-extra"]),
    ({"pattern": ["GUAKE"]}, []),
    ({"pattern": ["gu%"]}, []),
    ({"pattern": ["guake_extra"]}, []),
    ({"pattern": ["ü*"]}, []),
    ({"branches": ["f20"]}, ["clive", "guake", "guake-extra"]),
    ({"branches": ["nowhere"]}, []),
    ({"branches": ["f17"]}, []),
    ({"branches": ["f17"], "eol": True}, ["old"]),
    ({"eol": True}, ["clive", "guake", "guake-extra", "old", "tilda"]),
    ({"poc": "orphan"}, ["clive", "tilda"]),
    ({"orphaned": True}, ["tilda"]),
    ({"orphaned": False}, ["clive", "guake", "guake-extra", "tilda"]),
    ({"critpath": True}, ["guake-extra"]),
    ({"status": ["Retired"]}, ["clive"]),
    ({"status": ["Retired", "Orphaned"]}, ["clive", "tilda"]),
    ({"status": ["Orphaned"], "branches": ["f21"]}, []),
    ({"poc": "orphan", "branches": ["f21"]}, []),
    ({"namespace": "docker"}, ["dock"]),
    ({"query": "name:gu* critpath:true"}, ["guake-extra"]),
    ({"query": "branch:f19 status:orphaned"}, ["tilda"]),
    ({"query": "branch:f21 status:orphaned"}, []),
    ({"query": "NOT poc:manager-acme"}, ["clive"]),
    ({"query": "extra OR clive"}, ["clive", "guake-extra"]),
    ({"query": "monitor:true koschei:false branch:master"}, ["guake"]),
])
def test_search_filters(api, tenant, shelf, arguments, expected):
    answer = api.call("SearchPackages", key=tenant.auditor, **arguments)
    assert answer.status == 200, answer.body
    assert _names(answer) == expected


def test_search_with_acls_shows_listings_of_the_given_branches(api, tenant, shelf):
    answer = api.call("SearchPackages", key=tenant.auditor, pattern=["guake"], acls=True,
                      branches=["f20"])
    (guake,) = answer.body["packages"]
    (listing,) = guake["acls"]
    assert listing["collection"]["branchname"] == "f20"
    assert (listing["package"], listing["point_of_contact"], listing["status"]) == (
        None, "manager-acme", "Approved")
    assert [a["acl"] for a in listing["acls"]] == [
        "commit", "watchbugzilla", "watchcommits", "approveacls"]
    answer = api.call("SearchPackages", key=tenant.auditor, pattern=["clive"], acls=True)
    assert answer.body["packages"][0]["acls"][0]["acls"] == []


def test_search_pages_and_counts(api, tenant, catalogue):
    with database.atomic():
        for index in range(7):
            catalogue.package(f"pkg{index}", ["f20"], acls=False)
    answer = api.call("SearchPackages", key=tenant.auditor, limit=3, page=3)
    assert (_names(answer), answer.body["page"], answer.body["page_total"]) == (["pkg6"], 3, 3)
    answer = api.call("SearchPackages", key=tenant.auditor, limit=3, page=4)
    assert (answer.body["packages"], answer.body["page"]) == ([], 4)
    answer = api.call("SearchPackages", key=tenant.auditor, count=True,
                      pattern=["pkg[1-3]", "pkg?"])
    assert answer.body == {"packages": 7, "page": 1, "page_total": 1}


def test_limit_defaults_to_250_and_caps_at_500(api, tenant, catalogue):
    with database.atomic():
        for index in range(501):
            catalogue.package(f"pkg{index:03d}", ["f20"], acls=False)
    answer = api.call("SearchPackages", key=tenant.auditor)
    assert (len(answer.body["packages"]), answer.body["page_total"]) == (250, 3)
    answer = api.call("SearchPackages", key=tenant.auditor, limit=100000)
    assert (len(answer.body["packages"]), answer.body["page_total"]) == (500, 2)


@pytest.mark.parametrize(("arguments", "message"), [
    ({"limit": 0}, "Invalid limit value 0: expected an integer from 1 to 9223372036854775807"),
    ({"page": 0}, "Invalid page value 0: expected an integer from 1 to 2147483647"),
    ({"page": 10 ** 30}, "Invalid page value 1000000000000000000000000000000: expected an "
                         "integer"),
    ({"page": "two"}, "Invalid page value two: expected an integer"),
    ({"status": ["Gone"]}, "Invalid status.1 value Gone: 'Gone' is not a valid choice for "
                           "this field"),
    ({"orphaned": "maybe"}, "Invalid orphaned value maybe: expected true or false"),
])
def test_bad_search_arguments(api, tenant, shelf, arguments, message):
    answer = api.call("SearchPackages", key=tenant.auditor, **arguments)
    assert (answer.status, answer.body) == (400, {"error": "InvalidParameterValue",
                                                  "message": message})


def test_huge_but_valid_page_is_empty(api, tenant, shelf):
    answer = api.call("SearchPackages", key=tenant.auditor, page=2 ** 31 - 1, limit=500)
    assert answer.status == 200 and answer.body["packages"] == []


def test_bad_query_is_refused(api, tenant, shelf):
    answer = api.call("SearchPackages", key=tenant.auditor, query="status:lost")
    assert (answer.status, answer.body["error"]) == (400, "InvalidQuery")
    assert answer.body["message"] == ("Invalid status 'lost' (expected one of: Approved, "
                                      "Orphaned, Retired, Removed)")
