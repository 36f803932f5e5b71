"""GetVersion, GetActions and GetSchema."""
from __future__ import annotations

from landscape_api.base import api_factory


def test_get_actions_lists_only_what_the_caller_may_call(api, tenant):
    names = {a["name"] for a in api.call("GetActions", key=tenant.auditor).body}
    assert "GetAccount" in names and "CreatePerson" not in names
    admin_names = {a["name"] for a in api.call("GetActions", key=tenant.admin).body}
    assert "CreatePerson" in admin_names


def test_get_actions_describes_parameters(api, tenant):
    actions = {a["name"]: a for a in api.call("GetActions", key=tenant.admin).body}
    create = actions["CreatePerson"]
    assert create["role"] == "admin"
    params = {p["name"]: p for p in create["parameters"]}
    assert params["email"] == {"name": "email", "type": "unicode",
                               "doc": "E-mail address (unique).", "optional": False}
    assert params["groups"]["type"] == "list" and params["groups"]["item"] == {
        "type": "unicode"}
    assert params["role"]["default"] == "auditor"


def test_schema_has_the_clients_format_for_both_versions(api, tenant):
    schema = api.call("GetSchema", key=tenant.admin).body
    entry = schema["CreatePerson"]
    assert set(entry) == {"2011-08-01", "2013-11-04"}
    assert set(entry["2011-08-01"]) == {"name", "doc", "parameters", "errors", "result"}
    assert {"code": "DuplicatePerson"} in entry["2011-08-01"]["errors"]


def test_official_client_builds_its_api_class_from_the_schema(api, tenant):
    schema = api.call("GetSchema", key=tenant.admin).body
    api_class = api_factory(schema)
    assert callable(api_class.create_person) and callable(api_class.get_account)
    assert api_class.get_version.__code__.co_varnames[:1] == ("self",)
