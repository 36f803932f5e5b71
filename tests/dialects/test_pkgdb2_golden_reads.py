"""The seed's read examples (``pkgdb2-api.txt``) against ``/pkgdb/api/``: each answer holds
every key of the seed's JSON with the seed's value (times and ids aside).

The seed documents pkgdb2 1.x answers; later pkgdb2 added keys (``namespace``, ``monitor``,
a collection's ``koji_name``…), so an answer may carry keys the seed does not show — never
other values. The seed's JSON is transcribed with its typos fixed (``False``, missing
commas, split strings). Deviations, each forced by the seed contradicting pkgdb2's own
rules, are stated where they occur.
"""
from __future__ import annotations

from typing import Any

import pytest

from app.fixtures import import_fixture

from .pkgdb2_seed import (GUAKE_DESCRIPTION, GUAKE_DESCRIPTION_OLD, R_ALL_SUMMARY,
                          TILDA_DESCRIPTION, document)

#: keys whose values are times or ids
IGNORED = {"date_created", "date_updated", "creation_date", "status_change", "id"}


def contains(actual: Any, expected: Any, where: str = "") -> None:
    """Every key of ``expected`` is in ``actual`` with the same value (lists: same length,
    item by item); times and ids are only required to be present."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: {actual!r} is not an object"
        for key, value in expected.items():
            assert key in actual, f"{where}: missing {key!r} in {actual!r}"
            if key not in IGNORED:
                contains(actual[key], value, f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), (
            f"{where}: {actual!r} != {expected!r}")
        for index, (got, wanted) in enumerate(zip(actual, expected)):
            contains(got, wanted, f"{where}[{index}]")
    else:
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"


def _collection(branch: str, name: str, version: str, status: str, koji: str,
                allow_retire: bool, dist_tag: str | None = None) -> dict[str, Any]:
    return {"allow_retire": allow_retire, "branchname": branch,
            "date_created": "2014-05-14 12:36:15", "date_updated": "2014-05-14 12:36:15",
            "dist_tag": dist_tag or f".{branch}", "koji_name": koji, "name": name,
            "status": status, "version": version}


def _short(branch: str, name: str, version: str, status: str) -> dict[str, Any]:
    return {"status": status, "branchname": branch, "version": version, "name": name}


def _action_collection(branch: str, name: str, version: str, status: str,
                       dist_tag: str) -> dict[str, Any]:
    return {"branchname": branch, "dist_tag": dist_tag, "koji_name": branch, "name": name,
            "status": status, "version": version}


R_ALL = {"status": "Approved", "upstream_url": None, "description": None,
         "summary": R_ALL_SUMMARY, "creation_date": 1384775354.0, "review_url": None,
         "name": "R-ALL"}


def _r_all_acl(acl: str) -> dict[str, Any]:
    return {"status": "Approved", "fas_name": "pingou", "acl": acl, "packagelist": {
        "point_of_contact": "pingou", "critpath": False,
        "collection": _short("f16", "Fedora", "16", "EOL"), "package": R_ALL}}


def _stats(poc: dict[str, int], comaintained: dict[str, int]) -> dict[str, Any]:
    return {branch: {"co-maintainer": comaintained[branch], "point of contact": poc[branch]}
            for branch in ("EL-6", "master", "f19", "f20")}


#: (account, path of the seed's curl example, status, the seed's JSON)
EXAMPLES = [
    ("clt", "/collections", 200, {"collections": [
        _collection("f20", "Fedora", "20", "Active", "f20", False),
        _collection("f17", "Fedora", "17", "EOL", "f17", True),
        _collection("el6", "Fedora EPEL", "6", "Active", "dist-6E-epel", True)]}),
    ("epel", "/collections?pattern=el*", 200, {"collections": [
        _collection("el4", "Fedora EPEL", "4", "EOL", "dist-4E-epel", True),
        _collection("el5", "Fedora EPEL", "5", "Active", "dist-5E-epel", True),
        _collection("el6", "Fedora EPEL", "6", "Active", "dist-6E-epel", True)]}),
    ("packagers", "/packagers/rem*", 200, {"output": "ok", "packagers": ["remi"]}),
    ("packagers", "/packagers/?pattern=pi*", 200,
     {"output": "ok", "packagers": ["pilcher", "pingou"]}),
    # The seed shows EOL ACLs without ``eol`` and two ACLs on page 1 of 12: the example
    # is abridged; ``eol`` and ``limit=2`` over 24 ACLs give exactly that page.
    ("acl", "/packager/acl/pingou?eol=1&limit=2", 200, {
        "output": "ok", "page": 1, "page_total": 12,
        "acls": [_r_all_acl("watchcommits"), _r_all_acl("watchbugzilla")]}),
    ("acl", "/packager/acl/?packagername=random", 404,
     {"output": "notok", "error": "No ACL found for this user", "page": 1}),
    ("pkgs", "/packager/package/pingou", 200, {
        "output": "ok", "co-maintained": [{**R_ALL, "acls": []}], "watch": [],
        "point of contact": [{**R_ALL, "acls": []}]}),
    ("pkgs", "/packager/package/?packagername=random", 404, {
        "output": "notok", "co-maintained": [], "point of contact": [], "watch": [],
        "error": "No ACLs found for that user"}),
    ("stats", "/packager/stats/pingou", 200, {
        **_stats({"EL-6": 12, "master": 60, "f19": 60, "f20": 60},
                 {"EL-6": 8, "master": 12, "f19": 12, "f20": 12}), "output": "ok"}),
    ("stats", "/packager/stats/?packagername=random", 200, {
        **_stats(dict.fromkeys(("EL-6", "master", "f19", "f20"), 0),
                 dict.fromkeys(("EL-6", "master", "f19", "f20"), 0)), "output": "ok"}),
    ("guake", "/package/guake/", 200, {"output": "ok", "packages": [{
        "status": "Approved", "point_of_contact": "pingou", "critpath": False,
        "package": {"status": "Approved", "upstream_url": None,
                    "description": GUAKE_DESCRIPTION_OLD,
                    "summary": "Drop-down terminal for GNOME", "creation_date": 1385365548.0,
                    "review_url": None, "name": "guake"},
        "collection": _short("master", "Fedora", "devel", "Under Development"),
        "acls": [
            {"status": "Approved", "fas_name": "pingou", "acl": "watchcommits"},
            {"status": "Approved", "fas_name": "pingou", "acl": "watchbugzilla"},
            {"status": "Approved", "fas_name": "pingou", "acl": "commit"},
            {"status": "Approved", "fas_name": "pingou", "acl": "approveacls"},
            {"status": "Obsolete", "fas_name": "maxamillion", "acl": "watchcommits"},
            {"status": "Obsolete", "fas_name": "maxamillion", "acl": "watchbugzilla"},
            {"acl": "commit", "fas_name": "group::provenpackager", "status": "Approved"}],
        "status_change": 1385366044.0}]}),
    ("guak", "/packages/guak*", 200, {"output": "ok", "packages": [{
        "status": "Approved", "upstream_url": None, "description": GUAKE_DESCRIPTION_OLD,
        "summary": "Drop-down terminal for GNOME", "creation_date": 1384775354.0,
        "review_url": None, "name": "guake"}], "page_total": 1, "page": 1}),
    # pkgdb2 sorts by name (behaviour reference): guake before tilda, unlike the seed.
    ("search", "/packages/?pattern=guake&pattern=tilda", 200, {"output": "ok", "packages": [
        {"acls": [], "creation_date": 1400063778.0, "description": GUAKE_DESCRIPTION,
         "koschei_monitor": True, "monitor": True, "name": "guake", "review_url": None,
         "status": "Approved", "summary": "Drop-down terminal for GNOME",
         "upstream_url": "http://www.guake.org/"},
        {"acls": [], "creation_date": 1400063778.0, "description": TILDA_DESCRIPTION,
         "koschei_monitor": False, "monitor": False, "name": "tilda", "review_url": None,
         "status": "Approved",
         "summary": "A Gtk based drop down terminal for Linux and Unix",
         "upstream_url": "https://github.com/lanoxx/tilda"}],
        "page": 1, "page_total": 1}),
    # pkgdb2 2.7.1 writes a missing ``info`` as {} (behaviour reference); the seed's
    # older example shows null.
    ("actions", "/admin/actions", 200, {"output": "ok", "actions": [{
        "action": "request.branch",
        "collection": _action_collection("epel7", "Fedora EPEL", "7", "Active", ".el7"),
        "date_created": 1402470695.0, "date_updated": 1402470695.0,
        "from_collection": _action_collection("f19", "Fedora", "19", "Active", ".fc19"),
        "id": 8, "info": {},
        "package": {"acls": [], "creation_date": 1400063778.0,
                    "description": GUAKE_DESCRIPTION, "name": "guake", "review_url": None,
                    "status": "Approved", "summary": "Drop-down terminal for GNOME",
                    "upstream_url": "http://guake.org/"},
        "status": "Awaiting Review", "user": "pingou"}], "page": 1, "page_total": 1}),
    ("action", "/admin/action/1", 200, {
        "action": "request.branch",
        "collection": _action_collection("epel7", "Fedora EPEL", "7", "Active", ".el7"),
        "date_created": 1410161489.0, "date_updated": 1410168952.0,
        "from_collection": {**_action_collection("master", "Fedora", "devel",
                                                 "Under Development", ".fc21"),
                            "koji_name": "rawhide"},
        "id": 1, "info": {},
        "package": {"acls": [], "creation_date": 1397204290.0, "description": None,
                    "name": "R-BiocGenerics", "review_url": None, "status": "Approved",
                    "summary": "Generic functions for Bioconductor", "upstream_url": None},
        "status": "Approved", "user": "pingou"}),
    ("clt", "/version", 200, {"version": "1.23"}),
]


@pytest.fixture
def seeded(app):
    import_fixture(document())
    return app


@pytest.mark.parametrize("account, path, status, expected", EXAMPLES,
                         ids=[f"{a}:{p}" for a, p, _, _ in EXAMPLES])
def test_the_seeds_read_example_gives_the_seeds_answer(seeded, client, account, path, status,
                                                       expected):
    seeded.config["PUBLIC_CATALOGUE"] = account
    answer = client.get("/pkgdb/api" + path)
    assert answer.status_code == status, answer.get_json()
    contains(answer.get_json(), expected)


def test_the_version_is_the_only_key(seeded, client):
    assert client.get("/pkgdb/api/version").get_json() == {"version": "1.23"}
