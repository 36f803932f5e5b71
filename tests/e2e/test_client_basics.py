"""The official client, unmodified, against gunicorn: success, ``call``, errors."""
from __future__ import annotations

import pytest
from landscape_api.base import errors as client_errors


def test_library_call_succeeds(landscape_api, tenant):
    api = landscape_api(tenant.auditor)
    assert api.call_arbitrary("GetAccount", {}) == {"name": "acme", "title": "Acme",
                                      "require_approval": False}


def test_cli_call_of_an_arbitrary_action(landscape_cli, tenant):
    result = landscape_cli(tenant.auditor, "--json", "call", "GetAccount")
    assert result.returncode == 0, result.stderr
    assert result.json() == {"name": "acme", "title": "Acme", "require_approval": False}


def test_cli_reports_server_errors(landscape_cli, tenant):
    result = landscape_cli(tenant.auditor, "--json", "call", "GetAccount", "colour=blue")
    assert result.returncode == 2
    assert "Error code: b'UnknownParameter'" in result.stderr
    assert "The parameter colour is not recognized" in result.stderr


def test_wrong_secret_raises_the_clients_signature_error(landscape_api, tenant):
    from landscape_api.base import SignatureDoesNotMatchError

    key = tenant.auditor
    api = landscape_api(type(key)(key.access_key, "x" * 40))
    with pytest.raises(SignatureDoesNotMatchError) as caught:
        api.call_arbitrary("GetAccount", {})
    assert caught.value.code == 403


def test_role_refusal_raises_unauthorised(landscape_api, tenant):
    api = landscape_api(tenant.auditor)
    with pytest.raises(client_errors.lookup_error("UnauthorisedError") or Exception) as caught:
        api.call_arbitrary("GetPersons", {})
    assert caught.value.error_code == "Unauthorised"
    assert caught.value.code == 403


def test_client_builds_its_api_class_from_the_served_schema(landscape_api, tenant):
    from landscape_api.base import api_factory

    served = landscape_api(tenant.admin).call_arbitrary("GetSchema", {})
    api_class = api_factory(served)
    key = tenant.admin
    api = api_class(landscape_api(key)._uri, key.access_key, key.secret_key, schema=served)
    assert api.get_account() == {"name": "acme", "title": "Acme", "require_approval": False}
    created = api.create_person("new@acme.example", "New Person", role="manager",
                                groups=["packager"])
    assert created["role"] == "manager" and created["groups"] == ["packager"]
