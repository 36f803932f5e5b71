"""Registry-driven fuzzing: no request of any declared route answers a 5xx, a body that is
not JSON or a 4xx without the route's error envelope (issue 11).

Every registered action gets its own drawn requests (signed with a real key of each role,
GET and POST, every content type), then every declared route is drawn at random. The store
is seeded once for the module with the demo data; what the fuzzer changes in it stays.
The same generator runs 100,000 requests against gunicorn in ``bench/fuzz.py``.
"""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, note, settings, strategies as st

from actions import registry
from app import create_app, demo
from app.db import upgrade_schema
from app.dialects import dialects
from app.models import Account, database

from . import fuzzing
from .conftest import TEST_SECRET, _truncate_all

FUZZ = settings(deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.large_base_example])


@pytest.fixture(scope="module")
def fuzz_app(db_url: str):
    """An app on a store holding the demo account (computers, activities, catalogue)."""
    application = create_app({"TESTING": True, "DATABASE_URL": db_url,
                              "SECRET_KEY": TEST_SECRET})
    upgrade_schema()
    _truncate_all()
    database.connect(reuse_if_open=True)
    demo.seed("demo", computers=8, activities=120)
    yield application
    if not database.is_closed():
        database.close()


@pytest.fixture(scope="module")
def credentials(fuzz_app) -> fuzzing.Credentials:
    return fuzzing.credentials_for(Account.get(Account.name == "demo"), TEST_SECRET)


def _send(client, request: fuzzing.FuzzRequest, note=note) -> list[str]:
    """The problems of the gateway's answer to ``request`` (noted for hypothesis's report)."""
    note(f"{request.method} {request.target[:2000]} {request.headers} "
         f"{request.content_type} {request.body[:2000]!r}")
    answer = client.open(request.target, method=request.method, data=request.body,
                         headers=request.all_headers())
    found = fuzzing.problems(request, answer.status_code, answer.content_type, answer.data)
    note(f"→ {answer.status_code} {answer.data[:500]!r}")
    return found


@pytest.mark.parametrize("action", sorted(registry.ACTIONS))
@settings(FUZZ, max_examples=10)
@given(data=st.data())
def test_no_request_to_an_action_fails_the_gateway(fuzz_app, credentials, action, data):
    request = fuzzing.draw_action_request(fuzzing.HypothesisChooser(data), credentials, action)
    assert _send(fuzz_app.test_client(), request) == []


@settings(FUZZ, max_examples=300)
@given(data=st.data())
def test_no_request_to_any_declared_route_fails_the_gateway(fuzz_app, credentials, data):
    request = fuzzing.draw_request(fuzzing.HypothesisChooser(data), credentials)
    assert _send(fuzz_app.test_client(), request) == []


DIALECT_ROUTES = [pytest.param(dialect, route, id=f"{route.method} {dialect.base_path}{route.path}")
                  for dialect in dialects() for route in dialect.routes]


@pytest.mark.parametrize("dialect, route", DIALECT_ROUTES)
@settings(FUZZ, max_examples=15)
@given(data=st.data())
def test_no_request_to_a_dialect_route_fails_the_gateway(fuzz_app, credentials, dialect,
                                                          route, data):
    draw = fuzzing.ROUTES[dialect.name].draw_route
    assert draw is not None
    request = draw(fuzzing.HypothesisChooser(data), credentials, route)
    assert _send(fuzz_app.test_client(), request) == []


def test_every_dialect_is_fuzzed_from_its_declaration(credentials):
    chooser = fuzzing.RandomChooser(11)
    for dialect in dialects():
        requests = [fuzzing.draw_request(chooser, credentials, [dialect.name])
                    for _ in range(600)]
        assert {r.label for r in requests} == {
            f"{route.method} {dialect.base_path}{route.path}" for route in dialect.routes}
        assert {r.method for r in requests} >= {"GET", "POST", "PUT", "DELETE"}
        assert {(r.content_type or "").split(";")[0] for r in requests} >= {
            "", "application/json", "application/x-www-form-urlencoded", "text/plain"}
        assert {r.headers.get("Authorization") for r in requests} >= {
            None, *(f"Bearer {token}" for token in credentials.tokens.values())}
        if any("<int:" in route.path for route in dialect.routes):
            # an id just past what SQL can bind
            assert any(re.search(r"/9223372036854775808(/|$)", r.path) for r in requests)
        if any(route.query is not None and "limit" in route.query().fields
               for route in dialect.routes):
            assert any(name == "limit" for r in requests for name, _ in r.query)
        # below gunicorn's request-line limit (8190), whose HTML 414 is documented
        assert max(len(r.target) for r in requests) < 4000


def test_a_dialect_4xx_must_be_its_declared_error_schema():
    envelope = fuzzing.ROUTES["landscape_v2"].envelope
    assert envelope({"error": "NotFound", "message": "Not found.", "detail": None})
    assert not envelope({"error": "NotFound", "message": "Not found."})
    assert not envelope({"error": "X", "message": "m", "detail": None, "extra": 1})
    assert not envelope(["error"])


def test_the_generator_covers_every_action_encoding_and_content_type(credentials):
    chooser = fuzzing.RandomChooser(7)
    requests = [fuzzing.draw_action_request(chooser, credentials) for _ in range(1500)]
    names = {name for r in requests for name, _ in r.query}
    assert {r.label for r in requests} >= set(registry.ACTIONS)
    assert {r.method for r in requests} == {"GET", "POST"}
    assert {(r.content_type or "").split(";")[0] for r in requests} >= {
        "", "application/x-www-form-urlencoded", "multipart/form-data", "application/json",
        "text/plain"}
    assert {"computer_ids.1", "tags.1", "signature"} <= names
    assert any(name.startswith("computer_titles.") for name in names)


@pytest.mark.parametrize("name", ["acronis_task_manager", "acronis_idp"])
def test_the_acronis_routes_are_fuzzed_with_their_envelopes(fuzz_app, credentials, name):
    chooser = fuzzing.RandomChooser(23)
    client = fuzz_app.test_client()
    requests = [fuzzing.draw_request(chooser, credentials, [name]) for _ in range(200)]
    assert [found for found in (_send(client, r, print) for r in requests) if found] == []
