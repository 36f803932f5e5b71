"""seed-demo's catalogue: realistic, in every status, and usable through the actions."""
from __future__ import annotations

import pytest

from app.demo import PACKAGES, seed
from app.fixtures import export_fixture, import_fixture
from app.models import (Account, AdminAction, Collection, ListingACL, Package, PackageListing)

from ..conftest import Key


@pytest.fixture
def demo(app) -> Key:
    keys = seed("demo", computers=3, activities=40)
    return Key(keys["access_key"], keys["secret_key"])


def test_demo_catalogue_has_every_state(demo):
    assert {c.status for c in Collection.select()} == {"Active", "EOL", "Under Development"}
    assert Package.select().count() >= 400
    listed = PackageListing.select(PackageListing.package).distinct().count()
    assert listed >= 400
    assert {row.status for row in PackageListing.select(PackageListing.status).distinct()} == {
        "Approved", "Orphaned", "Retired"}
    assert {row.status for row in ListingACL.select(ListingACL.status).distinct()} == {
        "Approved", "Awaiting Review", "Denied", "Obsolete", "Removed"}
    assert {row.action for row in AdminAction.select(AdminAction.action).distinct()} == {
        "request.package", "request.branch", "request.unretire"}
    names = {p.name for p in Package.select(Package.name)}
    assert set(PACKAGES) <= names  # the activity actions' package names are catalogue packages


def test_demo_catalogue_answers_through_the_actions(api, demo):
    answer = api.call("SearchPackages", key=demo, pattern=["python3-*"], limit=5)
    assert answer.status == 200 and len(answer.body["packages"]) == 5
    pending = api.call("GetAdminActions", key=demo, status="Awaiting Review")
    assert len(pending.body["actions"]) >= 8
    assert api.call("GetPackagerStats", key=demo, packagername="pingou").status == 200
    assert api.call("GetPendingACLs", key=demo).body["total_requests_pending"] > 0
    assert api.call("GetRetiredPackages", key=demo).status == 200
    orphaned = api.call("SearchPackages", key=demo, orphaned=True, count=True)
    assert orphaned.body["packages"] > 0
    assert "python-sig" in api.call("GetGroups", key=demo).body["groups"]


def test_demo_catalogue_round_trips_through_the_fixture_format(demo):
    exported = export_fixture(Account.select())
    for model in (AdminAction, ListingACL, PackageListing, Package, Collection, Account):
        model.delete().execute()
    import_fixture(exported)
    assert export_fixture(Account.select()) == exported
