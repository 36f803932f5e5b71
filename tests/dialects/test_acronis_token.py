"""Acronis identity provider: ``POST /api/2/idp/token`` exchanges an access key (HTTP Basic)
for an ordinary bearer token of the gateway, with OAuth 2 errors."""
from __future__ import annotations

import time

from app import auth

TOKEN = "/api/2/idp/token"
GRANT = {"grant_type": "client_credentials"}


def test_an_access_key_gets_a_bearer_token_the_gateway_accepts(client, tenant, app):
    key = tenant.keys["auditor"]
    before = int(time.time())
    answer = client.post(TOKEN, data=GRANT, auth=(key.access_key, key.secret_key))
    body = answer.get_json()
    assert answer.status_code == 200
    assert sorted(body) == ["access_token", "expires_on", "id_token", "token_type"]
    assert body["token_type"] == "bearer"
    assert body["id_token"] == body["access_token"]
    minutes = app.config["TOKEN_DEFAULT_MINUTES"]
    assert before + minutes * 60 - 1 <= body["expires_on"] <= int(time.time()) + minutes * 60
    caller = auth.caller_for_token(app.config["SECRET_KEY"], body["access_token"],
                                   app.config["TOKEN_MAX_MINUTES"])
    assert caller.person.email == "auditor@acme.example"
    listed = client.get("/api/task_manager/v2/activities",
                        headers={"Authorization": f"Bearer {body['access_token']}"})
    assert listed.status_code == 200


def test_a_wrong_secret_is_invalid_client(client, tenant):
    answer = client.post(TOKEN, data=GRANT, auth=(tenant.keys["auditor"].access_key, "nope"))
    assert answer.status_code == 401
    assert answer.get_json() == {"error": "invalid_client",
                                 "error_description": "Invalid access key or secret key"}


def test_no_basic_credentials_is_invalid_client(client):
    answer = client.post(TOKEN, data=GRANT)
    assert answer.status_code == 401
    assert answer.get_json()["error"] == "invalid_client"


def test_another_grant_type_is_unsupported_grant_type(client, tenant):
    key = tenant.keys["auditor"]
    answer = client.post(TOKEN, data={"grant_type": "password"},
                         auth=(key.access_key, key.secret_key))
    assert answer.status_code == 400
    assert answer.get_json() == {"error": "unsupported_grant_type", "error_description":
                                 "Only the client_credentials grant is supported"}


def test_a_missing_grant_type_is_invalid_request(client, tenant):
    key = tenant.keys["auditor"]
    answer = client.post(TOKEN, data={}, content_type="application/x-www-form-urlencoded",
                         auth=(key.access_key, key.secret_key))
    assert answer.status_code == 400
    assert answer.get_json() == {"error": "invalid_request", "error_description":
                                 "The request must contain the parameter grant_type"}


def test_a_json_body_is_415_invalid_request(client, tenant):
    key = tenant.keys["auditor"]
    answer = client.post(TOKEN, json=GRANT, auth=(key.access_key, key.secret_key))
    assert answer.status_code == 415
    assert answer.get_json()["error"] == "invalid_request"


def test_a_get_is_405_in_the_oauth_shape(client):
    answer = client.get(TOKEN)
    assert answer.status_code == 405
    assert answer.get_json()["error"] == "invalid_request"


def test_failed_attempts_are_throttled_like_every_login(client, tenant, app):
    key = tenant.keys["auditor"]
    statuses = [client.post(TOKEN, data=GRANT, auth=(key.access_key, "wrong")).status_code
                for _ in range(app.config["LOGIN_FREE_FAILURES"] + 1)]
    assert statuses[-1] == 429
    answer = client.post(TOKEN, data=GRANT, auth=(key.access_key, key.secret_key))
    assert answer.status_code == 429
    assert answer.get_json()["error"] == "invalid_client"
    assert "Retry-After" in answer.headers
