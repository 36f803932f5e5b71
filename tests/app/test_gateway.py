"""The dispatch endpoint: routing, versions, transport errors, health."""
from __future__ import annotations


def test_get_version_needs_no_authentication(api):
    answer = api.call("GetVersion")
    assert answer.status == 200
    assert answer.body == {"version": "0.1.0", "api_versions": ["2011-08-01", "2013-11-04"]}


def test_unknown_action_suggests_the_closest_name(api):
    answer = api.call("GetActivitys")
    assert answer.status == 400
    assert answer.body["error"] == "InvalidAction"
    assert answer.body["message"].startswith("The action GetActivitys is not valid for this "
                                             "web service.")


def test_unknown_action_without_close_match_has_no_hint(api):
    answer = api.call("Zzzzzzzz")
    assert answer.body == {"error": "InvalidAction",
                           "message": "The action Zzzzzzzz is not valid for this web service."}


def test_missing_action_is_a_missing_parameter(client):
    answer = client.post("/api/", data={})
    assert answer.status_code == 400
    assert answer.get_json() == {"error": "MissingParameter",
                                 "message": "The request must contain the parameter action"}


def test_unknown_version_is_refused(api):
    answer = api.call("GetVersion", version="2020-01-01")
    assert (answer.status, answer.body) == (400, {"error": "InvalidVersion",
                                                  "message": "Invalid API version."})


def test_repeated_transport_parameter_is_invalid(client):
    answer = client.get("/api/?action=GetVersion&action=GetVersion")
    assert answer.status_code == 400
    assert answer.get_json()["error"] == "InvalidParameterValue"


def test_other_methods_get_a_json_405(client):
    answer = client.put("/api/?action=GetVersion")
    assert answer.status_code == 405
    assert answer.get_json()["error"] == "MethodNotAllowed"


def test_path_without_trailing_slash_is_served(client):
    answer = client.get("/api?action=GetVersion")
    assert answer.status_code == 200


def test_oversized_body_is_413(client):
    answer = client.post("/api/", data={"action": "GetVersion", "x": "a" * (1024 * 1024 + 10)})
    assert answer.status_code == 413
    assert answer.get_json()["error"] == "RequestTooLarge"


def test_unknown_path_is_a_json_404(client):
    answer = client.get("/nope")
    assert answer.status_code == 404
    assert answer.get_json()["error"] == "NotFound"


def test_healthz_answers_ok(client):
    answer = client.get("/healthz")
    assert (answer.status_code, answer.get_json()) == (200, {"status": "ok"})


def test_get_works_like_post(api, tenant):
    answer = api.call("GetAccount", key=tenant.auditor, method="GET")
    assert answer.status == 200
    assert answer.body == {"name": "acme", "title": "Acme", "require_approval": False}


def test_undeclared_argument_is_unknown_parameter(api, tenant):
    answer = api.call("GetAccount", key=tenant.auditor, colour="blue")
    assert answer.body == {"error": "UnknownParameter",
                           "message": "The parameter colour is not recognized"}


def test_unexpected_exception_is_internal_error_without_details(app, api, tenant, monkeypatch):
    from actions import accounts

    def explode(self, args):
        raise RuntimeError("secret detail SELECT * FROM person")

    monkeypatch.setattr(accounts.GetAccount, "run", explode)
    answer = api.call("GetAccount", key=tenant.auditor)
    assert answer.status == 500
    assert answer.body["error"] == "InternalError"
    assert answer.body["message"].startswith("An internal error occurred (request id ")
    assert "SELECT" not in answer.body["message"]
