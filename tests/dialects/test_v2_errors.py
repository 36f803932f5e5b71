"""The v2 error envelope: unknown routes and methods under /api/v2/, any ApiError rendered
by the dialect's one hook, unexpected exceptions, and the legacy endpoint unaffected."""
from __future__ import annotations

import pytest

from actions.activities import GetActivityTypes
from app.dialects.landscape_v2 import render_error
from app.errors import ApiError


@pytest.mark.parametrize("path", ["/api/v2", "/api/v2/", "/api/v2/nothing",
                                  "/api/v2/activities/x", "/api/v2/activities/-1"])
def test_unknown_paths_are_the_seeds_not_found(client, path):
    answer = client.get(path)
    assert (answer.status_code, answer.get_json()) == (404, {
        "error": "NotFound", "message": "Not found.", "detail": None})


@pytest.mark.parametrize("path", ["/api/v2//activities", "/api/v2/activities//1"])
def test_a_doubled_slash_is_not_found_rather_than_an_html_redirect(client, path):
    # Werkzeug merges slashes with an HTML 308 by default (found by the dialect fuzzer).
    answer = client.get(path)
    assert (answer.status_code, answer.get_json()) == (404, {
        "error": "NotFound", "message": "Not found.", "detail": None})


@pytest.mark.parametrize("method,path", [("POST", "/api/v2/activities"),
                                         ("DELETE", "/api/v2/activities/1"),
                                         ("GET", "/api/v2/activities/cancel"),
                                         ("PUT", "/api/v2/login")])
def test_a_wrong_method_is_405_in_the_envelope(client, method, path):
    answer = client.open(path, method=method)
    assert (answer.status_code, answer.get_json()) == (405, {
        "error": "MethodNotAllowed",
        "message": "The method is not allowed for the requested URL.", "detail": None})


def test_any_api_error_renders_by_its_code_status_and_message(app):
    error = ApiError("The store is unavailable.", code="StoreUnavailable", status=503,
                     details={"retry_after": 5})
    with app.test_request_context("/api/v2/activities"):
        answer = render_error(error)
    assert (answer.status_code, answer.get_json()) == (503, {
        "error": "StoreUnavailable", "message": "The store is unavailable.",
        "detail": {"retry_after": 5}})


def test_an_unexpected_failure_is_a_500_without_a_traceback(v2, tokens, monkeypatch):
    def broken(self, args):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(GetActivityTypes, "run", broken)
    answer = v2.get("/activities/types", token=tokens["auditor"])
    assert answer.status == 500
    assert answer.body["error"] == "InternalError"
    assert answer.body["message"].startswith("An internal error occurred (request id ")
    assert "secret" not in str(answer.body) and answer.body["detail"] is None


def test_the_legacy_endpoint_keeps_its_own_error_body(api, client):
    answer = api.call("NoSuchAction")
    assert answer.body == {"error": "InvalidAction",
                           "message": "The action NoSuchAction is not valid for this web "
                                      "service."}
    assert client.get("/api/nothing").get_json() == {
        "error": "NotFound", "message": "The requested URL was not found on this server."}
