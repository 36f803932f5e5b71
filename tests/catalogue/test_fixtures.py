"""The catalogue's fixture sections: import, export, round trip, refusals."""
from __future__ import annotations

import json

import pytest

from app.fixtures import FixtureError, export_fixture, import_fixture
from app.models import (Account, AdminAction, Collection, ListingACL, Package,
                        PackageListing)

CATALOGUE = {
    "accounts": [{"name": "fedora"}],
    "persons": [{"account": "fedora", "email": "pingou@example.com", "name": "Pingou",
                 "username": "pingou", "role": "manager", "groups": ["packager"]}],
    "collections": [
        {"account": "fedora", "name": "Fedora", "version": "18", "status": "Active",
         "branchname": "f18", "dist_tag": ".fc18", "koji_name": None, "allow_retire": False,
         "date_created": "2014-05-14 12:36:15", "date_updated": "2014-05-14 12:36:15"},
        {"account": "fedora", "name": "Fedora EPEL", "version": "6", "branchname": "el6",
         "allow_retire": True}],
    "packages": [
        {"account": "fedora", "name": "guake", "namespace": "rpms", "summary": "Terminal",
         "description": None, "status": "Approved", "review_url": None,
         "upstream_url": None, "creation_date": 1400063778.0, "monitor": False,
         "koschei_monitor": False},
        {"id": 36, "account": "fedora", "name": "tilda", "monitor": "nobuild"}],
    "package_listings": [
        {"account": "fedora", "package": "guake", "namespace": "rpms", "collection": "f18",
         "point_of_contact": "pingou", "status": "Approved", "critpath": False,
         "status_change": 1400063778.0},
        {"account": "fedora", "package": "guake", "collection": "el6",
         "point_of_contact": "orphan", "status": "Orphaned"}],
    "acls": [{"account": "fedora", "package": "guake", "namespace": "rpms",
              "collection": "f18", "fas_name": "pingou", "acl": "commit",
              "status": "Approved"}],
    "admin_actions": [
        {"id": 1, "account": "fedora", "action": "request.branch", "user": "pingou",
         "status": "Awaiting Review", "package": "guake", "namespace": "rpms",
         "collection": "el6", "from_collection": "f18", "info": {}, "message": None,
         "date_created": 1402470695.0, "date_updated": 1402470695.0},
        {"id": 2, "account": "fedora", "action": "request.package", "user": "pingou",
         "collection": "f18", "info": {"pkg_name": "tilix"}}],
}


def _reimport(document: dict) -> dict:
    for model in (AdminAction, ListingACL, PackageListing, Package, Collection, Account):
        model.delete().execute()
    import_fixture(json.loads(json.dumps(document)))
    return export_fixture(Account.select().order_by(Account.id))


def test_contract_example_imports_with_defaults(app):
    counts = import_fixture(CATALOGUE)
    assert counts["collections"] == 2 and counts["admin_actions"] == 2
    el6 = Collection.get(Collection.branchname == "el6")
    assert (el6.name, el6.version, el6.status, el6.dist_tag) == (
        "Fedora EPEL", "6", "Active", ".el6")
    assert Package.get_by_id(36).monitor == "nobuild"
    request = AdminAction.get_by_id(2)
    assert (request.package, request.status, request.info) == (
        None, "Awaiting Review", {"pkg_name": "tilix"})


def test_export_then_import_reproduces_every_record(app):
    import_fixture(CATALOGUE)
    exported = export_fixture(Account.select())
    assert exported["collections"][0] == CATALOGUE["collections"][0]
    assert exported["package_listings"][0] == CATALOGUE["package_listings"][0]
    assert exported["admin_actions"][0] == CATALOGUE["admin_actions"][0]
    assert exported["packages"][1]["id"] == 36
    assert _reimport(exported) == exported


@pytest.mark.parametrize(("section", "index", "change", "message"), [
    ("package_listings", 0, {"collection": "f99"},
     "package_listings[0]: collection 'f99' is not a collection of account 'fedora'"),
    ("acls", 0, {"package": "nope"},
     "acls[0]: package rpms/nope is not a package of account 'fedora'"),
    ("acls", 0, {"acl": "build"},
     "acls[0]: acl must be one of commit, watchbugzilla, watchcommits, approveacls, "
     "not 'build'"),
    ("collections", 1, {"status": "Dead"},
     "collections[1]: status must be one of Active, EOL, Under Development, not 'Dead'"),
    ("packages", 1, {"monitor": 1},
     "packages[1]: monitor must be true, false or \"nobuild\", not 1"),
    ("collections", 1, {"date_created": "yesterday"},
     "collections[1]: date_created must be YYYY-MM-DD HH:MM:SS, not 'yesterday'"),
    ("admin_actions", 0, {"colour": "red"}, "admin_actions[0]: unknown key(s): colour"),
    ("collections", 1, {"branchname": "f18"},
     "collections[1]: rejected by the store (IntegrityError)"),
])
def test_bad_records_are_named_and_nothing_is_written(app, section, index, change, message):
    document = json.loads(json.dumps(CATALOGUE))
    document[section][index].update(change)
    with pytest.raises(FixtureError) as caught:
        import_fixture(document)
    assert str(caught.value) == message
    assert Account.select().count() == 0 and Collection.select().count() == 0
