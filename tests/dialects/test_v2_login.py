"""Landscape v2 login by password and by access key, and bearer tokens across dialects:
a v2 token works on the legacy endpoint and a legacy token on v2; missing, forged and
revoked tokens are 401."""
from __future__ import annotations

import pytest

from .conftest import login_as

ACCOUNTS = [{"name": "acme", "title": "Acme", "default": True}]


def test_password_login_returns_the_token_object(v2, tenant):
    answer = v2.post("/login", {"email": "Manager@acme.example", "password": "pw-manager"})
    assert answer.status == 200
    assert list(answer.body) == ["token", "email", "name", "accounts", "current_account"]
    assert answer.body == {"token": answer.body["token"], "email": "manager@acme.example",
                           "name": "Manager acme", "accounts": ACCOUNTS,
                           "current_account": "acme"}


def test_access_key_login_returns_the_same_object(v2, tenant):
    key = tenant.auditor
    answer = v2.post("/login/access-key", {"access_key": key.access_key,
                                           "secret_key": key.secret_key})
    assert answer.status == 200
    assert {k: v for k, v in answer.body.items() if k != "token"} == {
        "email": "auditor@acme.example", "name": "Auditor acme", "accounts": ACCOUNTS,
        "current_account": "acme"}


def test_naming_ones_own_account_is_allowed_and_another_is_not(v2, tenant, make_tenant):
    make_tenant("other")
    own = v2.post("/login", {"email": "admin@acme.example", "password": "pw-admin",
                             "account": "acme"})
    assert own.status == 200
    other = v2.post("/login", {"email": "admin@acme.example", "password": "pw-admin",
                               "account": "other"})
    assert (other.status, other.body) == (401, {
        "error": "AuthFailure", "message": "No access to the account other", "detail": None})


@pytest.mark.parametrize("path,body,message", [
    ("/login", {"email": "admin@acme.example", "password": "wrong"},
     "Invalid email or password"),
    ("/login", {"email": "nobody@acme.example", "password": "pw-admin"},
     "Invalid email or password"),
    ("/login/access-key", {"access_key": "A" * 20, "secret_key": "B" * 40},
     "Invalid access key or secret key"),
])
def test_wrong_credentials_are_401_with_the_actions_code(v2, tenant, path, body, message):
    answer = v2.post(path, body)
    assert (answer.status, answer.body) == (401, {"error": "AuthFailure", "message": message,
                                                  "detail": None})


def test_login_bodies_are_checked(v2, tenant):
    missing = v2.post("/login", {"email": "admin@acme.example"})
    assert (missing.status, missing.body["error"]) == (400, "MissingParameter")
    typed = v2.post("/login", {"email": "admin@acme.example", "password": 5})
    assert typed.body["message"] == "Invalid password value (not shown): Not a valid string"
    nul = v2.post("/login", {"email": "admin@acme.example", "password": "a\x00b"})
    assert nul.body["message"] == "Invalid password value (not shown): contains a NUL character"
    surrogate = v2.post("/login", raw='{"email": "\\ud800", "password": "x"}')
    assert (surrogate.status, surrogate.body["error"]) == (400, "MalformedBody")
    form = v2.post("/login", raw="email=a&password=b",
                   content_type="application/x-www-form-urlencoded")
    assert form.status == 415


def test_a_v2_token_works_on_the_legacy_endpoint(v2, api, tenant):
    token = login_as(v2, tenant, "auditor")
    answer = api.call("GetActivities", token=token)
    assert (answer.status, answer.body) == (200, [])


def test_a_legacy_token_works_on_v2(v2, api, tenant):
    token = api.call("Login", email="auditor@acme.example", password="pw-auditor").body["token"]
    assert v2.get("/activities", token=token).status == 200


def test_a_computers_key_logs_in_as_its_agent(v2, tenant, make_computer):
    key = make_computer(tenant.account, "box").key
    answer = v2.post("/login/access-key", {"access_key": key.access_key,
                                           "secret_key": key.secret_key})
    assert (answer.body["email"], answer.body["name"]) == (None, "box")
    refused = v2.get("/activities", token=answer.body["token"])
    assert (refused.status, refused.body["error"]) == (403, "Unauthorised")


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer forged"},
                                     {"Authorization": "Basic eDp5"}])
def test_no_or_a_forged_token_is_401(client, tenant, headers):
    answer = client.get("/api/v2/activities", headers=headers)
    assert answer.status_code == 401
    assert answer.get_json()["error"] == "AuthFailure"
    assert answer.get_json()["detail"] is None


def test_a_revoked_token_is_401(v2, api, tenant):
    token = login_as(v2, tenant, "auditor")
    assert api.call("RevokeTokens", token=token).status == 200
    answer = v2.get("/activities/types", token=token)
    assert (answer.status, answer.body) == (401, {
        "error": "AuthFailure", "message": "Token is no longer valid", "detail": None})
