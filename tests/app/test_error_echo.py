"""Errors repeat at most 100 characters of a rejected value (issue 11, finding 5), and every
``query`` argument has one length limit with one error code (finding 6)."""
from __future__ import annotations

import pytest

from app.errors import BulkRefusal, InvalidParameterValue, MultiError, UnknownParameter, echo
from query_language import MAX_QUERY_LENGTH

HUNDRED = "x" * 100


def test_echo_keeps_short_values_and_cuts_long_ones_at_100_characters():
    assert echo("x" * 100) == HUNDRED
    assert echo("x" * 101) == HUNDRED + "…"
    assert echo(12) == "12"


def test_a_900000_character_value_comes_back_as_100_characters(api, tenant):
    answer = api.call_with("GetActivities", {"limit": "1" * 900_000}, key=tenant.auditor)
    assert (answer.status, answer.body) == (400, {
        "error": "InvalidParameterValue",
        "message": f"Invalid limit value {'1' * 100}…: expected an integer"})


def test_a_900000_character_name_comes_back_as_100_characters(api, tenant):
    answer = api.call_with("GetActivities", {"x" * 900_000: "1"}, key=tenant.auditor)
    assert (answer.status, answer.body) == (400, {
        "error": "UnknownParameter", "message": f"The parameter {HUNDRED}… is not recognized"})


def test_a_900000_character_action_name_comes_back_as_100_characters(api, tenant):
    answer = api.call_with("x" * 900_000, {}, key=tenant.auditor)
    assert answer.body == {"error": "InvalidAction",
                           "message": f"The action {HUNDRED}… is not valid for this web service."}


def test_a_long_query_value_in_a_query_error_is_cut(api, tenant):
    answer = api.call_with("GetActivities", {"query": "id:" + "9" * 3000}, key=tenant.auditor)
    assert answer.body == {"error": "InvalidQuery",
                           "message": f"Invalid id '{'9' * 100}…' (too large)",
                           "details": {"position": 3, "length": 3000}}


def test_a_long_catalogue_name_in_a_catalogue_error_is_cut(api, tenant):
    answer = api.call_with("GetPackageInfo", {"pkgname": "a" * 255}, key=tenant.auditor)
    assert answer.body == {"error": "UnknownPackage",
                           "message": f"Package: rpms/{'a' * 95}… not found"}


def test_a_long_timestamp_is_cut(api, tenant):
    answer = api.call("GetActivities", key=tenant.auditor, timestamp="2" * 5000)
    assert answer.body == {"error": "RequestExpired",
                           "message": f"Request has expired. Timestamp date is {'2' * 100}…"}


def test_parameter_errors_cut_names_and_values():
    assert InvalidParameterValue("n" * 200, "v" * 200, "why").message == (
        f"Invalid {'n' * 100}… value {'v' * 100}…: why")
    assert UnknownParameter("n" * 200).message == f"The parameter {'n' * 100}… is not recognized"


def test_bulk_refusal_lines_cut_each_item():
    error = BulkRefusal("InvalidThing", [("i" * 300, "bad"), (7, "worse")])
    assert error.message == f"7 => worse\n{'i' * 100}… => bad"
    assert error.details == {"failures": [{"id": 7, "message": "worse"},
                                          {"id": "i" * 100 + "…", "message": "bad"}]}
    multi = MultiError([("i" * 300, "Code", "bad")])
    assert multi.body()["errors"] == [{"error": "Code", "message": f"{'i' * 100}… => bad"}]


# --- finding 6: one limit, one code ------------------------------------------------------

TOO_LONG = {"error": "InvalidQuery", "message": "Query is too long"}


@pytest.mark.parametrize("action", ["GetActivities", "GetComputers", "GetCollections",
                                    "SearchPackages", "GetAdminActions", "GetCatalogueLog"])
@pytest.mark.parametrize("length", [MAX_QUERY_LENGTH + 1, 70_000, 900_000])
def test_every_query_argument_refuses_the_same_length_with_invalid_query(
        api, tenant, action, length):
    answer = api.call_with(action, {"query": "x" * length}, key=tenant.admin)
    assert (answer.status, answer.body) == (400, {
        **TOO_LONG, "details": {"position": MAX_QUERY_LENGTH,
                                "length": length - MAX_QUERY_LENGTH}})


@pytest.mark.parametrize("action", ["GetActivities", "GetComputers", "GetCollections"])
def test_a_query_of_the_limit_is_read(api, tenant, action):
    answer = api.call_with(action, {"query": "x" * MAX_QUERY_LENGTH}, key=tenant.admin)
    assert answer.status == 200
