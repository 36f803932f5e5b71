"""Landscape v2 pages: ``count`` of all matches, absolute ``next``/``previous`` links that
keep every query parameter, the first and last page, an offset past the end, and bad
``limit``/``offset`` values."""
from __future__ import annotations

import pytest

BASE = "http://localhost/api/v2/activities"


@pytest.fixture
def many(tenant, activities):  # noqa: F811
    """Five lone activities, ids 1..5 (newest is 5)."""
    return [activities.one(tenant.account, "succeeded") for _ in range(5)]


def page(v2, token, **params):
    answer = v2.get("/activities", token=token, **params)
    assert answer.status == 200, answer.body
    return answer.body


def ids(body):
    return [item["id"] for item in body["results"]]


def test_the_first_page_links_to_the_next_only(v2, tokens, many):
    body = page(v2, tokens["auditor"], limit=2)
    assert (body["count"], ids(body)) == (5, [5, 4])
    assert body["next"] == f"{BASE}?limit=2&offset=2"
    assert body["previous"] is None


def test_a_middle_page_links_both_ways(v2, tokens, many):
    body = page(v2, tokens["auditor"], limit=2, offset=2)
    assert ids(body) == [3, 2]
    assert body["next"] == f"{BASE}?limit=2&offset=4"
    assert body["previous"] == f"{BASE}?limit=2"


def test_the_last_page_has_no_next(v2, tokens, many):
    body = page(v2, tokens["auditor"], limit=2, offset=4)
    assert ids(body) == [1]
    assert body["next"] is None
    assert body["previous"] == f"{BASE}?limit=2&offset=2"


def test_an_exact_last_page_has_no_next(v2, tokens, many):
    body = page(v2, tokens["auditor"], limit=5)
    assert (ids(body), body["next"], body["previous"]) == ([5, 4, 3, 2, 1], None, None)


def test_an_offset_past_the_end_is_an_empty_page_with_a_previous_link(v2, tokens, many):
    body = page(v2, tokens["auditor"], limit=2, offset=9)
    assert (body["count"], ids(body), body["next"]) == (5, [], None)
    assert body["previous"] == f"{BASE}?limit=2&offset=7"


def test_links_keep_the_query(v2, tokens, many):
    body = page(v2, tokens["auditor"], limit=1, offset=1, query="status:succeeded NOT id:9")
    assert body["count"] == 5
    assert body["next"] == f"{BASE}?limit=1&offset=2&query=status%3Asucceeded+NOT+id%3A9"
    assert body["previous"] == f"{BASE}?limit=1&query=status%3Asucceeded+NOT+id%3A9"


def test_the_default_page_is_1000(v2, tokens, many):
    body = page(v2, tokens["auditor"])
    assert (body["count"], len(body["results"]), body["next"]) == (5, 5, None)


@pytest.mark.parametrize("name,value,why", [
    ("limit", "0", "Must be greater than or equal to 1 and less than or equal to 1000"),
    ("limit", "1001", "Must be greater than or equal to 1 and less than or equal to 1000"),
    ("limit", "-1", "Must be greater than or equal to 1 and less than or equal to 1000"),
    ("limit", "abc", "Not a valid integer"),
    ("limit", "2.5", "Not a valid integer"),
    ("offset", "-1", "Must be greater than or equal to 0 and less than or equal to "
                     "9223372036854775807"),
    ("offset", "99999999999999999999999", "Must be greater than or equal to 0 and less "
                                          "than or equal to 9223372036854775807"),
])
def test_bad_limits_and_offsets_name_the_parameter(v2, tokens, name, value, why):
    answer = v2.get("/activities", token=tokens["auditor"], **{name: value})
    assert (answer.status, answer.body) == (400, {
        "error": "InvalidParameterValue", "message": f"Invalid {name} value {value}: {why}",
        "detail": None})


def test_an_unknown_parameter_is_named(v2, tokens):
    answer = v2.get("/activities", token=tokens["auditor"], colour="red")
    assert (answer.status, answer.body) == (400, {
        "error": "UnknownParameter", "message": "The parameter colour is not recognized",
        "detail": None})


def test_a_repeated_parameter_is_refused(v2, tokens):
    answer = v2.get("/activities", token=tokens["auditor"], limit=["1", "2"])
    assert answer.status == 400
    assert answer.body["message"] == "Invalid limit value 1: given more than once"


def test_a_bad_query_is_invalid_query_with_its_position(v2, tokens):
    answer = v2.get("/activities", token=tokens["auditor"], query="status:")
    assert answer.status == 400
    assert answer.body["error"] == "InvalidQuery"
    assert set(answer.body["detail"]) == {"position", "length"}


def test_parents_and_computers_page_the_same_way(v2, tokens, make_computer, tenant):
    for n in range(3):
        make_computer(tenant.account, f"pc{n}")
    body = v2.get("/computers", token=tokens["auditor"], limit=2, offset=1).body
    assert body["count"] == 3
    assert [c["title"] for c in body["results"]] == ["pc1", "pc2"]
    assert body["next"] is None
    assert body["previous"] == "http://localhost/api/v2/computers?limit=2"
    parents = v2.get("/activities/parents", token=tokens["auditor"], limit=1).body
    assert parents == {"count": 0, "results": [], "next": None, "previous": None}
