"""The catalogue through the official client's ``call`` command, unmodified, on gunicorn."""
from __future__ import annotations

import pytest

from app.models import Collection, ListingACL, Package, PackageListing, database


@pytest.fixture
def guake(tenant):
    """guake on f20 with manager-acme as point of contact."""
    with database.atomic():
        f20 = Collection.create(account=tenant.account, name="Fedora", version="20",
                                branchname="f20", dist_tag=".fc20", allow_retire=True)
        package = Package.create(account=tenant.account, name="guake", summary="Terminal",
                                 monitor="true", creation_date=1400063778.0)
        listing = PackageListing.create(package=package, collection=f20,
                                        point_of_contact="manager-acme", status_change=1.0)
        for acl in ("commit", "watchbugzilla", "watchcommits", "approveacls"):
            ListingACL.create(listing=listing, fas_name="manager-acme", acl=acl)
    return package


def test_cli_searches_packages(landscape_cli, tenant, guake):
    result = landscape_cli(tenant.auditor, "--json", "call", "SearchPackages", "pattern.1=gu*",
                           "branches.1=f20")
    assert result.returncode == 0, result.stderr
    body = result.json()
    assert (body["page"], body["page_total"]) == (1, 1)
    assert [p["name"] for p in body["packages"]] == ["guake"]


def test_cli_orphans_a_package(landscape_cli, tenant, guake):
    result = landscape_cli(tenant.manager, "--json", "call", "OrphanPackages",
                           "pkgnames.1=guake", "branches.1=f20")
    assert result.returncode == 0, result.stderr
    assert result.json() == {"messages": [
        "user: manager-acme changed point of contact of package: guake from: manager-acme to: "
        "orphan on branch: f20"]}
    listing = PackageListing.get(PackageListing.package == guake)
    assert (listing.point_of_contact, listing.status) == ("orphan", "Orphaned")


def test_cli_reports_a_bulk_refusal(landscape_cli, tenant, guake):
    result = landscape_cli(tenant.manager, "--json", "call", "RetirePackages",
                           "pkgnames.1=guake", "pkgnames.2=nope", "branches.1=f20")
    assert result.returncode == 2
    assert "Error code: b'MultiError'" in result.stderr
    assert "rpms/nope@f20 => No package found by this name" in result.stderr


def test_library_calls_a_report(landscape_api, tenant, guake):
    api = landscape_api(tenant.auditor)
    assert api.call_arbitrary("GetMonitoredPackages", {}) == {"packages": ["guake"],
                                                               "total_packages": 1}
