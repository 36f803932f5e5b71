"""Landscape v2 writes: reapply, revert, cancel and approve with JSON bodies, their
all-or-nothing refusals, and every kind of bad body (each a 400 naming the field, or 415)."""
from __future__ import annotations

import pytest

from app.models import Activity

from ..activities.conftest import status_of
from .conftest import login_as

NOT_FOUND = {"error": "NotFound", "message": "Not found.", "detail": None}


def test_reapply_returns_the_new_activities_ids(v2, tokens, fleet):
    answer = v2.post("/activities/reapply", {"activity_ids": [fleet.group]},
                     token=tokens["manager"])
    assert answer.status == 200
    (new,) = answer.body
    copy = Activity.get_by_id(new)
    assert (copy.type, copy.summary) == ("ActivityGroup", "Install package nginx")
    assert Activity.select().where(Activity.parent == new).count() == 2


def test_revert_inverts_a_succeeded_change(v2, tokens, fleet):
    answer = v2.post("/activities/revert", {"activity_ids": [fleet.children[0]]},
                     token=tokens["manager"])
    assert answer.status == 200
    (new,) = answer.body
    assert Activity.get_by_id(new).changes[0]["type"] == "remove"


def test_revert_of_a_failed_activity_is_refused_with_a_line(v2, tokens, fleet):
    answer = v2.post("/activities/revert", {"activity_ids": [fleet.children[1]]},
                     token=tokens["manager"])
    line = f"Activity {fleet.children[1]} is failed and cannot be reverted"
    assert (answer.status, answer.body) == (400, {
        "error": "InvalidActivityStatusChange", "message": f"{fleet.children[1]} => {line}",
        "detail": {"failures": [{"id": fleet.children[1], "message": line}]}})


def test_cancel_by_ids_and_by_query(v2, tokens, fleet):
    by_ids = v2.post("/activities/cancel", {"activity_ids": [fleet.waiting]},
                     token=tokens["manager"])
    assert by_ids.body == [fleet.waiting]
    by_query = v2.post("/activities/cancel", {"query": f"id:{fleet.lone_group}"},
                       token=tokens["manager"])
    assert by_query.body == [fleet.lone_group, fleet.lone_child]
    assert status_of(fleet.waiting, fleet.lone_group, fleet.lone_child) == ["canceled"] * 3


def test_approve_by_ids(v2, tokens, fleet):
    answer = v2.post("/activities/approve", {"activity_ids": [fleet.held]},
                     token=tokens["manager"])
    assert answer.body == [fleet.held]
    assert status_of(fleet.held) == ["undelivered"]


def test_a_refused_cancel_changes_nothing_and_lists_each_refusal(v2, tokens, fleet):
    answer = v2.post("/activities/cancel",
                     {"activity_ids": [fleet.waiting, fleet.children[0]]},
                     token=tokens["manager"])
    assert answer.status == 400
    assert answer.body["error"] == "InvalidActivityStatusChange"
    assert answer.body["message"] == (f"{fleet.children[0]} => Activity {fleet.children[0]} "
                                      "is succeeded and cannot be canceled")
    assert status_of(fleet.waiting) == ["undelivered"]


@pytest.mark.parametrize("path", ["/activities/cancel", "/activities/reapply"])
def test_unknown_and_foreign_ids_are_not_found_and_change_nothing(v2, tokens, fleet, path):
    for ids in ([999999], [fleet.waiting, fleet.foreign]):
        answer = v2.post(path, {"activity_ids": ids}, token=tokens["manager"])
        assert (answer.status, answer.body) == (404, NOT_FOUND)
    assert status_of(fleet.waiting, fleet.foreign) == ["undelivered", "undelivered"]


@pytest.mark.parametrize("path", ["/activities/cancel", "/activities/approve",
                                  "/activities/reapply", "/activities/revert"])
def test_an_auditor_may_not_write(v2, tokens, fleet, path):
    answer = v2.post(path, {"activity_ids": [fleet.held]}, token=tokens["auditor"])
    assert (answer.status, answer.body) == (403, {
        "error": "Unauthorised", "message": "The user is not authorised to perform the "
                                            "operation", "detail": None})
    assert status_of(fleet.held) == ["unapproved"]


def bad_value(name, value, why):
    return {"error": "InvalidParameterValue", "message": f"Invalid {name} value {value}: {why}",
            "detail": None}


@pytest.mark.parametrize("body,expected", [
    ({"activity_ids": "1"}, bad_value("activity_ids", "1", "Not a valid list")),
    ({"activity_ids": 1}, bad_value("activity_ids", "1", "Not a valid list")),
    ({"activity_ids": ["1"]}, bad_value("activity_ids[0]", "1", "Not a valid integer")),
    ({"activity_ids": [1, True]}, bad_value("activity_ids[1]", "true", "Not a valid integer")),
    ({"activity_ids": [1.5]}, bad_value("activity_ids[0]", "1.5", "Not a valid integer")),
    ({"activity_ids": [None]}, bad_value("activity_ids[0]", "null",
                                         "Field may not be null")),
    ({"activity_ids": [-1]}, bad_value(
        "activity_ids[0]", "-1",
        "Must be greater than or equal to 0 and less than or equal to 9223372036854775807")),
    ({"activity_ids": [2 ** 70]}, bad_value(
        "activity_ids[0]", str(2 ** 70),
        "Must be greater than or equal to 0 and less than or equal to 9223372036854775807")),
    ({"activity_ids": []}, bad_value("activity_ids", "[]", "give 1 to 1000 ids per request")),
    ({"activity_ids": list(range(1, 1002))}, bad_value(
        "activity_ids", str(list(range(1, 1002)))[:77] + "...",
        "give 1 to 1000 ids per request")),
    ({"activity_ids": [1], "force": True},
     {"error": "UnknownParameter", "message": "The parameter force is not recognized",
      "detail": None}),
    ({}, {"error": "MissingParameter",
          "message": "The request must contain the parameter activity_ids", "detail": None}),
])
def test_bad_bodies_name_the_field(v2, tokens, body, expected):
    answer = v2.post("/activities/reapply", body, token=tokens["manager"])
    assert (answer.status, answer.body) == (400, expected)


@pytest.mark.parametrize("body,message", [
    ({}, "The request must contain the parameter query"),
    ({"query": "", "activity_ids": [1]},
     "Invalid activity_ids value [1]: give query or activity_ids, not both"),
    ({"query": 5}, "Invalid query value 5: Not a valid string"),
])
def test_cancel_takes_either_a_query_or_ids(v2, tokens, body, message):
    answer = v2.post("/activities/cancel", body, token=tokens["manager"])
    assert (answer.status, answer.body["message"]) == (400, message)


@pytest.mark.parametrize("raw,message", [
    ("{", "The body is not valid JSON: Expecting property name enclosed in double quotes: "
          "line 1 column 2 (char 1)"),
    ("", "The body is not valid JSON: Expecting value: line 1 column 1 (char 0)"),
    ("[1]", "The body must be a JSON object"),
    ('{"query": "computer:title:\\ud800"}', "The body contains an unpaired UTF-16 surrogate"),
    ('{"\\udfff": 1}', "The body contains an unpaired UTF-16 surrogate"),
    ("[" * 100000, None),
])
def test_malformed_json_is_a_bad_request(v2, tokens, raw, message):
    answer = v2.post("/activities/cancel", raw=raw, token=tokens["manager"])
    assert answer.status == 400
    assert answer.body["error"] == "MalformedBody"
    if message is not None:
        assert answer.body["message"] == message


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", ""])
def test_a_body_that_is_not_json_is_unsupported(v2, tokens, content_type):
    answer = v2.post("/activities/reapply", {"activity_ids": [1]}, token=tokens["manager"],
                     content_type=content_type)
    assert answer.status == 415
    assert answer.body["error"] == "UnsupportedMediaType"
    assert answer.body["detail"] is None


def test_a_manager_of_another_account_cannot_touch_these(v2, make_tenant, fleet):
    other = make_tenant("third")
    answer = v2.post("/activities/cancel", {"activity_ids": [fleet.waiting]},
                     token=login_as(v2, other, "manager"))
    assert answer.status == 404
    assert status_of(fleet.waiting) == ["undelivered"]
