"""The role each catalogue action needs (CATALOGUE.md §3): a lower role is refused with
403 ``Unauthorised`` before any argument is looked at."""
from __future__ import annotations

import pytest

from .test_odd_inputs import CATALOGUE_ACTIONS

ADMIN = {"CreateCollection", "SetCollectionStatus", "CreatePackage", "EditPackage",
         "SetPackageCritpath", "UnretirePackages"}
MANAGER = {"SetPackageMonitoring", "SetPackageKoschei", "OrphanPackages", "UnorphanPackages",
           "RetirePackages", "RequestPackage", "RequestBranch", "SetPackageACL",
           "ReassignPackages", "SetAdminActionStatus"}
REFUSED = {"error": "Unauthorised",
           "message": "The user is not authorised to perform the operation"}


@pytest.mark.parametrize("name", sorted(ADMIN | MANAGER))
def test_auditors_cannot_change_the_catalogue(api, tenant, name):
    assert api.call(name, key=tenant.auditor).body == REFUSED


@pytest.mark.parametrize("name", sorted(ADMIN))
def test_managers_cannot_administer_the_catalogue(api, tenant, name):
    assert api.call(name, key=tenant.manager).body == REFUSED


@pytest.mark.parametrize("name", sorted(set(CATALOGUE_ACTIONS) - ADMIN - MANAGER))
def test_auditors_read_the_catalogue(api, tenant, name):
    answer = api.call(name, key=tenant.auditor)
    assert answer.error in (None, "MissingParameter"), answer.body
