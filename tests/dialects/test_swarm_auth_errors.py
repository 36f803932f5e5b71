"""The Swarm dialect's authentication (Bearer; HTTP Basic username:ticket with a token or
the password) and its error envelope for every bad parameter."""
from __future__ import annotations

import pytest

from .conftest import login_as
from .swarm_client import Swarm, add_event, basic, bearer


@pytest.fixture
def swarm(client) -> Swarm:
    return Swarm(client, {})


@pytest.fixture
def event(tenant) -> int:
    return add_event(tenant)


def _ok(answer, event: int) -> bool:
    return answer.status == 200 and [e["id"] for e in answer.body["data"]["activity"]] == [event]


def test_bearer_token(swarm, v2, tenant, event):
    assert _ok(swarm.get("/activity", headers=bearer(login_as(v2, tenant, "auditor"))), event)


def test_basic_with_a_token_as_the_ticket(swarm, v2, tenant, event):
    token = login_as(v2, tenant, "auditor")
    assert _ok(swarm.get("/activity", headers=basic("auditor-acme", token)), event)


def test_basic_with_the_password_as_the_ticket(swarm, tenant, event):
    assert _ok(swarm.get("/activity", headers=basic("auditor-acme", "pw-auditor")), event)
    assert _ok(swarm.get("/activity", headers=basic("auditor@acme.example", "pw-auditor")),
               event)


@pytest.mark.parametrize("headers", [
    {},
    {"Authorization": "Basic"},
    {"Authorization": "Bearer not-a-token"},
    {"Authorization": "Digest username=x"},
    basic("auditor-acme", "wrong"),
    basic("nobody", "pw-auditor"),
    basic("", "pw-auditor"),
    basic("auditor-acme\u0000", "pw-auditor"),
    basic("a" * 70000, "pw-auditor"),
    basic("auditor-acme", "x" * 70000),
])
def test_missing_or_wrong_credentials_are_401(swarm, tenant, headers):
    answer = swarm.get("/activity", headers=headers)
    assert answer.status == 401
    assert answer.body["data"] is None
    assert answer.body["messages"] == [answer.body["error"]]


def test_a_token_of_another_person_is_not_this_users_ticket(swarm, v2, tenant):
    token = login_as(v2, tenant, "auditor")
    answer = swarm.get("/activity", headers=basic("admin-acme", token))
    assert answer.status == 401
    assert answer.body == {"error": "The ticket is not a token of this user",
                           "messages": ["The ticket is not a token of this user"],
                           "data": None}


def test_a_username_of_several_accounts_logs_in_by_email(swarm, tenant, make_tenant):
    from app import directory
    from app.models import database
    other = make_tenant("other")
    with database.atomic():
        directory.create_person(other.account, email="twin@other.example", name="Twin",
                                username="auditor-acme", role="auditor", groups=[],
                                password_hash=tenant.persons["auditor"].password_hash)
    assert swarm.get("/activity", headers=basic("auditor-acme", "pw-auditor")).status == 401
    assert swarm.get("/activity",
                     headers=basic("twin@other.example", "pw-auditor")).status == 200


def test_failed_passwords_are_throttled_like_logins(swarm, tenant):
    for _ in range(5):
        assert swarm.get("/activity", headers=basic("auditor-acme", "wrong")).status == 401
    answer = swarm.client.get("/api/v11/activity", headers=basic("auditor-acme", "wrong"))
    assert answer.status_code == 429
    assert int(answer.headers["Retry-After"]) >= 1
    assert answer.get_json()["data"] is None


@pytest.mark.parametrize("params, message", [
    ({"max": "0"}, "Invalid max value 0: the max parameter value must be an integer "
                   "from 1 to 1000"),
    ({"max": "1001"}, "Invalid max value 1001: the max parameter value must be an integer "
                      "from 1 to 1000"),
    ({"max": "ten"}, "Invalid max value ten: the max parameter value must be an integer "
                     "from 1 to 1000"),
    ({"max": "1.5"}, "Invalid max value 1.5: the max parameter value must be an integer "
                     "from 1 to 1000"),
    ({"after": "0"}, "Invalid after value 0: the after parameter must be an integer "
                     "greater than 0"),
    ({"after": "-3"}, "Invalid after value -3: the after parameter must be an integer "
                      "greater than 0"),
    ({"after": "x"}, "Invalid after value x: the after parameter must be an integer "
                     "greater than 0"),
    ({"after": "9" * 30}, "Invalid after value " + "9" * 30 + ": the after parameter must "
                          "be an integer greater than 0"),
    ({"followed": "maybe"}, "Invalid followed value maybe: expected true or false"),
    ({"stream": "s\x00"}, None),
    ({"stream": "s" * 1025}, None),
])
def test_bad_parameters_are_400_in_the_swarm_envelope(swarm, v2, tenant, params, message):
    headers = bearer(login_as(v2, tenant, "auditor"))
    for path in ("/activity", "/activity/package", "/computers/3/activity"):
        if "stream" in params and path != "/activity":
            continue
        answer = swarm.get(path, headers=headers, **params)
        assert answer.status == 400, (path, answer.body)
        assert answer.body["data"] is None
        assert answer.body["messages"] == [answer.body["error"]]
        if message is not None:
            assert answer.body["error"] == message


def test_a_type_longer_than_a_type_is_400(swarm, v2, tenant):
    answer = swarm.get("/activity/" + "t" * 65,
                       headers=bearer(login_as(v2, tenant, "auditor")))
    assert answer.status == 400
    assert answer.body["data"] is None


def test_unknown_paths_and_methods_answer_in_the_envelope(swarm, v2, tenant):
    headers = bearer(login_as(v2, tenant, "auditor"))
    missing = swarm.get("/reviews/12/activity", headers=headers)
    assert (missing.status, missing.body["data"]) == (404, None)
    assert missing.body["messages"] == [missing.body["error"]]
    assert swarm.get("/activities/x/activity", headers=headers).status == 404
    wrong = swarm.client.delete("/api/v11/activity", headers=headers)
    assert wrong.status_code == 405
    assert wrong.get_json()["data"] is None
