"""``POST /api/v11/activity``: a caller's own entry (role manager), as JSON or a form; every
bad input is a 400 in the Swarm envelope and writes nothing. The legacy endpoint serves the
same actions (``PostEvent``, ``GetEventStream``)."""
from __future__ import annotations

import json

import pytest

from app.models import Event, EventStream

from .conftest import login_as
from .swarm_client import Swarm, basic, bearer


@pytest.fixture
def swarm(client, v2, tenant) -> Swarm:
    """A Swarm client with the tenant manager's token."""
    return Swarm(client, bearer(login_as(v2, tenant, "manager")))


def test_posting_an_entry_returns_it_and_the_stream_shows_it(swarm, tenant):
    answer = swarm.post({"type": "deployment", "action": "rolled out", "target": "release 7",
                         "description": "Nginx everywhere", "topic": "releases/7",
                         "streams": ["computer-3", "release-7"],
                         "link": ["release", {"id": 7}]})
    assert answer.status == 200, answer.body
    event = Event.get()
    posted = {"id": event.id, "type": "deployment", "link": ["release", {"id": 7}],
              "user": "manager-acme", "behalfOf": None, "action": "rolled out",
              "target": "release 7", "preposition": "", "description": "Nginx everywhere",
              "details": {}, "topic": "releases/7", "depotFile": None, "time": event.time,
              "projects": [], "followers": [],
              "streams": ["computer-3", "release-7", "user-manager-acme", "account-acme"],
              "change": None}
    assert answer.body == {"error": None, "messages": None, "data": {"activity": posted}}
    assert swarm.entries() == [posted]
    assert swarm.entries("/computers/3/activity") == [posted]
    assert swarm.entries("/persons/manager-acme/activity") == [posted]
    assert swarm.entries("/activity/deployment") == [posted]
    assert swarm.entries(stream="account-acme") == [posted]


def test_the_minimal_entry(swarm):
    answer = swarm.post({"type": "note", "action": "noted", "target": "the fleet"})
    assert answer.status == 200
    entry = answer.body["data"]["activity"]
    assert (entry["description"], entry["topic"], entry["link"], entry["streams"]) == (
        "", "", None, ["user-manager-acme", "account-acme"])


def test_a_form_body_with_repeated_streams_and_a_json_link(swarm):
    answer = swarm.post(form={"type": "note", "action": "noted", "target": "computer 3",
                              "streams[]": ["computer-3", "computer-4"],
                              "link": '["computer", {"id": 3}]'})
    assert answer.status == 200, answer.body
    entry = answer.body["data"]["activity"]
    assert entry["streams"] == ["computer-3", "computer-4", "user-manager-acme",
                                "account-acme"]
    assert entry["link"] == ["computer", {"id": 3}]


def test_basic_with_the_password_may_post(client, tenant):
    swarm = Swarm(client, basic("manager-acme", "pw-manager"))
    assert swarm.post({"type": "note", "action": "noted", "target": "x"}).status == 200


def test_an_auditor_may_not_post(client, v2, tenant):
    swarm = Swarm(client, bearer(login_as(v2, tenant, "auditor")))
    answer = swarm.post({"type": "note", "action": "noted", "target": "x"})
    assert answer.status == 403
    assert answer.body["data"] is None
    assert Event.select().count() == 0


GOOD = {"type": "note", "action": "noted", "target": "x"}


@pytest.mark.parametrize("body", [
    {"action": "noted", "target": "x"},
    {"type": "note", "target": "x"},
    {"type": "note", "action": "noted"},
    {**GOOD, "type": ""},
    {**GOOD, "action": ""},
    {**GOOD, "target": "  "},
    {**GOOD, "type": "two words"},
    {**GOOD, "type": "a/b"},
    {**GOOD, "type": "t" * 65},
    {**GOOD, "action": "a" * 256},
    {**GOOD, "target": "a" * 1025},
    {**GOOD, "description": "a" * 4097},
    {**GOOD, "topic": "a" * 1025},
    {**GOOD, "type": 5},
    {**GOOD, "action": None},
    {**GOOD, "target": ["x"]},
    {**GOOD, "description": {"a": 1}},
    {**GOOD, "streams": "computer-3"},
    {**GOOD, "streams": [1]},
    {**GOOD, "streams": [""]},
    {**GOOD, "streams": ["s"] * 51},
    {**GOOD, "streams": ["s" * 256]},
    {**GOOD, "link": {"id": 3}},
    {**GOOD, "link": "not json"},
    {**GOOD, "link": ["x" * 5000]},
    {**GOOD, "target": "x\u0000"},
    {**GOOD, "extra": 1},
])
def test_bad_bodies_are_400_and_write_nothing(swarm, body):
    answer = swarm.post(body)
    assert answer.status == 400, answer.body
    assert answer.body["data"] is None
    assert answer.body["messages"] == [answer.body["error"]]
    assert Event.select().count() == EventStream.select().count() == 0


@pytest.mark.parametrize("raw, content_type, status", [
    ("{", "application/json", 400),
    ("[1]", "application/json", 400),
    ('{"target": "\\ud800", "type": "t", "action": "a"}', "application/json", 400),
    ("type=note", "text/plain", 415),
])
def test_bodies_that_do_not_parse(swarm, raw, content_type, status):
    answer = swarm.post(raw=raw, content_type=content_type)
    assert answer.status == status
    assert answer.body["data"] is None
    assert Event.select().count() == 0


def test_errors_name_swarms_fields(swarm):
    answer = swarm.post(form={"type": "note", "action": "noted"})
    assert answer.status == 400
    assert answer.body["error"] == "The request must contain the parameter target"
    answer = swarm.post({**GOOD, "action": " "})
    assert answer.body["error"] == "Invalid action value  : must not be empty"


def test_the_legacy_endpoint_posts_and_reads_the_same_stream(api, tenant):
    posted = api.call("PostEvent", key=tenant.manager, type="note", verb="noted",
                      target="computer 3", streams=["computer-3"],
                      link=json.dumps(["computer", {"id": 3}]))
    assert posted.status == 200, posted.body
    assert posted.body["actor"] == "manager-acme"
    page = api.call("GetEventStream", key=tenant.auditor, stream="computer-3")
    assert page.status == 200
    assert page.body == [posted.body]
    assert api.call("GetEventStream", key=tenant.auditor, limit=0).status == 400
