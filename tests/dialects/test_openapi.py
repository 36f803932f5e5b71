"""The OpenAPI document: valid OpenAPI 3.1, one operation per declared route, and a
schemathesis run against the seeded app finding no server error and no response that
violates the document."""
from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup
from openapi_spec_validator import validate

from actions.activities import GetActivityTypes
from app.dialects import dialects
from schemathesis.specs.openapi.checks import (negative_data_rejection,
                                                positive_data_acceptance)

#: generated requests per operation and mode (bounded so that the run stays short)
EXAMPLES = 30


def test_the_document_is_valid_openapi_3_1(client):
    answer = client.get("/openapi.json")
    assert answer.status_code == 200
    document = answer.get_json()
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_every_route_of_every_dialect_is_documented(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    declared = {(d.base_path + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", r.path),
                 r.method.lower()) for d in dialects() for r in d.routes}
    documented = {(path, method) for path, operations in paths.items()
                  for method in operations}
    assert documented == declared
    assert len(declared) == ROUTE_COUNT
    assert {("/api/2/idp/token", "post"), ("/api/task_manager/v2/tasks", "get"),
            ("/api/task_manager/v2/tasks/{activity_id}", "get"),
            ("/api/task_manager/v2/activities", "get"),
            ("/api/task_manager/v2/activities/{activity_id}", "get")} <= declared


def test_operations_carry_bearer_security_and_error_responses(client):
    document = client.get("/openapi.json").get_json()
    assert document["components"]["securitySchemes"] == {"bearer": {
        "type": "http", "scheme": "bearer",
        "description": "A token from a login route (or the Login / LoginWithAccessKey "
                       "actions)."}, "basic": {
        "type": "http", "scheme": "basic",
        "description": "A person's e-mail (pkgdb2: or username) and password (checked "
                       "like the Login action)."},
        "basic_ticket": {
        "type": "http", "scheme": "basic",
        "description": "A username and a ticket: a bearer token of that person, or the "
                       "person's password (checked like the Login action)."},
        "basic_key": {
        "type": "http", "scheme": "basic",
        "description": "An access key and its secret key (access_key:secret_key)."}}
    token = document["paths"]["/api/2/idp/token"]["post"]
    assert token["security"] == [{"basic_key": []}]
    assert list(token["requestBody"]["content"]) == ["application/x-www-form-urlencoded"]
    cancel = document["paths"]["/api/v2/activities/cancel"]["post"]
    assert cancel["security"] == [{"bearer": []}]
    assert sorted(cancel["responses"]) == ["200", "400", "401", "403", "404", "413", "415",
                                           "503"]
    assert cancel["responses"]["403"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/landscape_v2.Error"}
    login = document["paths"]["/api/v2/login"]["post"]
    assert "security" not in login
    assert sorted(login["responses"]) == ["200", "400", "401", "413", "415", "429", "503"]
    page = document["paths"]["/api/v2/activities"]["get"]
    assert [(p["name"], p["in"]) for p in page["parameters"]] == [
        ("query", "query"), ("limit", "query"), ("offset", "query")]
    assert page["parameters"][1]["schema"] == {"type": "integer", "default": 1000,
                                               "minimum": 1, "maximum": 1000}


#: operationIds of the routes that may refuse a schema-valid request with a 400: a ``query``
#: that does not parse (a grammar is not expressible in JSON Schema), or a bulk change
#: refused for the activities' statuses (CONTRACT.md: 400 with ``ID => reason`` lines)
MAY_REFUSE_VALID_INPUT = {f"{d.name}.{r.operation}" for d in dialects() for r in d.routes
                          if "query" in r.action_class.extended_args_schema.fields
                          or r.action_class.writes}
#: the routes of every dialect (Landscape v2: 11)
ROUTE_COUNT = sum(len(d.routes) for d in dialects())


def excluded(operation, mode: GenerationMode) -> list:
    """The checks an operation skips: see :data:`MAY_REFUSE_VALID_INPUT`. With negative
    data, whether it is refused is left to the bad-input tests: this harness adds the
    bearer token to every request, which undoes a mutation that only drops it, and some
    mutations (an extra query parameter without a name) do not survive serialisation, so
    schemathesis would expect a refusal of a request that is valid as sent."""
    skipped = []
    # numbered operationIds (``pkgdb2.GetCollections_2``) are further paths of one action
    if re.sub(r"_\d+$", "", operation.definition.raw["operationId"]) in MAY_REFUSE_VALID_INPUT:
        skipped.append(positive_data_acceptance)
    if mode == GenerationMode.NEGATIVE:
        skipped.append(negative_data_rejection)
    return skipped


def _mutable(operation) -> bool:
    """Whether negative data exists: a parameter, a body or required credentials to spoil
    (pkgdb2's public ``/version`` has none; nor has ``/packagers/{pattern}/``, read
    anonymously, whose path takes any string)."""
    raw = operation.definition.raw
    spoilable = [parameter for parameter in raw.get("parameters", [])
                 if not (parameter["in"] == "path"
                         and parameter.get("schema", {}).get("type") == "string")]
    required_credentials = raw.get("security") and {} not in raw["security"]
    return bool(spoilable or raw.get("requestBody") or required_credentials)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_schemathesis_finds_no_server_error_nor_undocumented_response(app, fleet, tokens,
                                                                      mode):
    """Every operation, with a bounded number of generated requests each (derandomized),
    sent with a manager's token to the seeded app; ``call_and_validate`` runs every
    schemathesis check (server errors, status codes, content types, response schemas,
    acceptance of valid and rejection of invalid data)."""
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    headers = {"Authorization": f"Bearer {tokens['manager']}"}
    # The auth probes send wrong HTTP Basic passwords with every example; past the login
    # throttle's allowance they would (rightly) answer 429, where the probe expects 401.
    app.config.update(LOGIN_FREE_FAILURES=10**6, LOGIN_FREE_FAILURES_PER_ADDRESS=10**6)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == ROUTE_COUNT
    for operation in operations:
        if mode == GenerationMode.NEGATIVE and not _mutable(operation):
            continue

        @given(case=operation.as_strategy(mode))
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate(headers=headers, excluded_checks=excluded(operation, mode))

        check()


def test_schemathesis_would_catch_a_response_that_violates_the_document(app, tokens,
                                                                        monkeypatch):
    """The contract test is not vacuous: activity types that are not strings fail it."""
    monkeypatch.setattr(GetActivityTypes, "run", lambda self, args: [1, 2])
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    operation = schema["/api/v2/activities/types"]["GET"]

    @given(case=operation.as_strategy())
    @settings(max_examples=1, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case):
        case.call_and_validate(headers={"Authorization": f"Bearer {tokens['auditor']}"})

    with pytest.raises(FailureGroup) as caught:
        check()
    assert [failure.title for failure in caught.value.exceptions] == [
        "Response violates schema"]
