"""Odd inputs never make a catalogue action fail with a 500: every answer is a success or
the contract's ``{"error", "message"}`` body."""
from __future__ import annotations

import pytest
from marshmallow import fields

from actions.registry import ACTIONS

CATALOGUE_MODULES = {"actions.collections", "actions.packages", "actions.package_states",
                     "actions.packagers", "actions.acls", "actions.admin", "actions.reports"}
CATALOGUE_ACTIONS = sorted(name for name, action in ACTIONS.items()
                           if action.__module__ in CATALOGUE_MODULES)
ODD_VALUES = ["ü🎉", "%", "_", "\\", "[", "*?*", "guake%", "f2_", "-1", "0",
              "99999999999999999999999", "2147483648", "x" * 300, "a\x00b", " ", "",
              "group::", "orphan", "true", 'status:"unclosed', "(((", "NOT"]


def _arguments(action, value):
    arguments = {}
    for name, field in action.args_schema.fields.items():
        wire = field.data_key or name
        arguments[wire] = [value] if isinstance(field, fields.List) else value
    return arguments


@pytest.fixture
def seeded(catalogue):
    catalogue.package("guake", ["master", "f20"])
    catalogue.package("tilda", ["f20"], poc="orphan", status="Orphaned", acls=False)
    return catalogue


def test_every_action_of_catalogue_md_is_registered():
    assert CATALOGUE_ACTIONS == sorted([
        "GetCollections", "CreateCollection", "SetCollectionStatus", "GetPackagers",
        "GetPackagerACLs", "GetPackagerPackages", "GetPackagerStats", "GetPackageInfo",
        "SearchPackages", "CreatePackage", "EditPackage", "SetPackageCritpath",
        "SetPackageMonitoring", "SetPackageKoschei", "OrphanPackages", "UnorphanPackages",
        "RetirePackages", "UnretirePackages", "RequestPackage", "RequestBranch",
        "SetPackageACL", "ReassignPackages", "GetAdminActions", "GetAdminAction",
        "GetPackageRequest", "SetAdminActionStatus", "GetCritpathPackages", "GetPendingACLs",
        "GetGroups",
        "GetMonitoredPackages", "GetKoscheiPackages", "GetRetiredPackages", "GetBugzillaACLs",
        "GetNotifyList", "GetVCSACLs", "GetCatalogueLog"])


@pytest.mark.parametrize("name", CATALOGUE_ACTIONS)
def test_odd_values_get_contract_answers(api, tenant, seeded, name):
    action = ACTIONS[name]
    for value in ODD_VALUES:
        answer = api.call(name, key=tenant.admin, **_arguments(action, value))
        assert answer.status in (200, 400, 403, 404, 409), (value, answer.body)
        if answer.status != 200:
            assert set(answer.body) >= {"error", "message"}, (value, answer.body)
            assert answer.body["error"] != "InternalError"


@pytest.mark.parametrize(("action", "arguments", "status", "error"), [
    ("GetPackageInfo", {"pkgname": "ü🎉"}, 404, "UnknownPackage"),
    ("GetPackageInfo", {"pkgname": "x" * 256}, 400, "InvalidParameterValue"),
    ("SearchPackages", {"pattern": ["a\x00"]}, 400, "InvalidParameterValue"),
    ("GetAdminAction", {"actionid": 2 ** 63 - 1}, 404, "UnknownAdminAction"),
    ("GetAdminAction", {"actionid": 2 ** 63}, 400, "InvalidParameterValue"),
    ("GetCatalogueLog", {"offset": 2 ** 62}, 200, None),
    ("SetPackageACL", {"pkgname": "guake", "branches": ["ü"], "acl": ["commit"],
                       "acl_status": "Approved", "user": "manager-acme"}, 400,
     "InvalidParameterValue"),
    ("OrphanPackages", {"pkgnames": ["guake"], "branches": ["ü🎉"]}, 400, "MultiError"),
    ("RequestPackage", {"pkgname": "ü", "summary": "s", "review_url": "1",
                        "branches": ["master"]}, 400, "InvalidParameterValue"),
    ("SearchPackages", {"colour": "blue"}, 400, "UnknownParameter"),
])
def test_specific_odd_inputs(api, tenant, seeded, action, arguments, status, error):
    answer = api.call(action, key=tenant.admin, **arguments)
    assert answer.status == status, answer.body
    if error is not None:
        assert answer.error == error
