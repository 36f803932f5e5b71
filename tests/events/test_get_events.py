"""GetEvents: the event log through the legacy endpoint, newest first, filtered by query,
paged by ``after`` and ``limit``, only the caller's account."""
from __future__ import annotations

import pytest

from ..dialects.swarm_client import Swarm, add_event, bearer

ENTRY_KEYS = ["id", "type", "link", "user", "behalfOf", "action", "target", "preposition",
              "description", "details", "topic", "depotFile", "time", "projects", "followers",
              "streams", "change"]


@pytest.fixture
def history(api, tenant, make_computer, activities):
    """Five events in acme: a computer registered, tagged, two activities canceled, a person
    created; returns the computer."""
    box = api.call("RegisterComputer", key=tenant.admin, title="box", hostname="box").body
    api.call("AddTagsToComputers", key=tenant.admin, query="", tags=["web"])
    for _ in range(2):
        activities.one(tenant.account, "undelivered", computer=box["id"])
    api.call("CancelActivities", key=tenant.manager, query="")
    api.call("CreatePerson", key=tenant.admin, email="jane@acme.example", name="Jane")
    return box


def test_entries_are_newest_first_in_swarms_shape(api, tenant, history):
    answer = api.call("GetEvents", key=tenant.auditor)
    assert answer.status == 200
    assert [(e["type"], e["action"]) for e in answer.body] == [
        ("person", "created"), ("activity", "canceled"), ("activity", "canceled"),
        ("computer", "tagged"), ("computer", "registered")]
    ids = [e["id"] for e in answer.body]
    assert ids == sorted(ids, reverse=True)
    newest = answer.body[0]
    assert list(newest) == ENTRY_KEYS
    assert {k: v for k, v in newest.items() if k not in ("id", "time")} == {
        "type": "person", "link": ["person", {"id": "jane"}], "user": "admin-acme",
        "behalfOf": None, "action": "created", "target": "person jane", "preposition": "",
        "description": "Jane", "details": {"role": "auditor", "email": "jane@acme.example",
                                           "groups": []},
        "topic": "persons/jane", "depotFile": None, "projects": [], "followers": [],
        "streams": ["user-jane", "user-admin-acme", "account-acme"], "change": None}
    assert isinstance(newest["time"], int)


@pytest.mark.parametrize("query, expected", [
    ("type:computer", [("computer", "tagged"), ("computer", "registered")]),
    ("user:manager-acme", [("activity", "canceled"), ("activity", "canceled")]),
    ("action:tagged OR action:registered", [("computer", "tagged"),
                                            ("computer", "registered")]),
    ("NOT type:activity type:computer action:tagged", [("computer", "tagged")]),
    ("user:nobody", []),
])
def test_query_filters(api, tenant, history, query, expected):
    answer = api.call("GetEvents", key=tenant.auditor, query=query)
    assert [(e["type"], e["action"]) for e in answer.body] == expected


def test_query_by_stream_and_target(api, tenant, history):
    box = history["id"]
    by_stream = api.call("GetEvents", key=tenant.auditor, query=f"stream:computer-{box}").body
    assert [e["action"] for e in by_stream] == ["canceled", "canceled", "tagged", "registered"]
    by_target = api.call("GetEvents", key=tenant.auditor,
                         query=f'target:"computer {box}"').body
    assert [e["action"] for e in by_target] == ["tagged", "registered"]


def test_after_and_limit_walk_the_log(api, tenant, history):
    everything = [e["id"] for e in api.call("GetEvents", key=tenant.auditor).body]
    first = api.call("GetEvents", key=tenant.auditor, limit=2).body
    assert [e["id"] for e in first] == everything[:2]
    api.call("CreatePerson", key=tenant.admin, email="joe@acme.example", name="Joe")
    second = api.call("GetEvents", key=tenant.auditor, limit=2, after=first[-1]["id"]).body
    assert [e["id"] for e in second] == everything[2:4]
    rest = api.call("GetEvents", key=tenant.auditor, after=second[-1]["id"]).body
    assert [e["id"] for e in rest] == everything[4:]


def test_an_account_reads_only_its_own_events(api, tenant, make_tenant, history):
    other = make_tenant("globex")
    g = api.call("RegisterComputer", key=other.admin, title="g", hostname="g").body["id"]
    assert [(e["target"], e["streams"]) for e in api.call("GetEvents", key=other.auditor).body
            ] == [(f"computer {g}", [f"computer-{g}", "user-admin-globex", "account-globex"])]
    assert api.call("GetEvents", key=other.auditor, query="stream:account-acme").body == []
    acme = api.call("GetEvents", key=tenant.auditor).body
    assert len(acme) == 5 and all(e["streams"][-1] == "account-acme" for e in acme)


@pytest.mark.parametrize("arguments, error", [
    ({"limit": 0}, "InvalidParameterValue"), ({"limit": 1001}, "InvalidParameterValue"),
    ({"limit": "x"}, "InvalidParameterValue"), ({"after": 0}, "InvalidParameterValue"),
    ({"after": "new"}, "InvalidParameterValue"), ({"query": "colour:red"}, "InvalidQuery"),
    ({"query": "type:("}, "InvalidQuery"), ({"bogus": "1"}, "UnknownParameter"),
])
def test_bad_parameters_are_400_in_the_legacy_envelope(api, tenant, history, arguments, error):
    answer = api.call("GetEvents", key=tenant.auditor, **arguments)
    assert answer.status == 400
    assert answer.body["error"] == error and answer.body["message"]


def test_reading_the_log_writes_nothing(api, tenant, history):
    before = api.call("GetEvents", key=tenant.auditor).body
    assert api.call("GetEvents", key=tenant.auditor).body == before


@pytest.fixture
def mixed_log(tenant, make_tenant):
    """Forty events of three types and several streams, actors and followers in acme,
    interleaved with another account's."""
    other = make_tenant("globex")
    for n in range(40):
        add_event(other if n % 5 == 4 else tenant, (None, "admin-acme", "jane")[n % 3],
                  type=("activity", "computer", "note")[n % 3], action="noted",
                  target=f"computer {n % 4}", description=("", "Install nginx")[n % 2],
                  details=({}, {"from": "a", "to": "b"})[n % 2],
                  link=(None, ["computer", {"id": n % 4}])[n % 2],
                  streams=[f"computer-{n % 4}", "account-acme"], followers=["jane"][: n % 2],
                  at=1_700_000_000 + n)


@pytest.mark.parametrize("query, path, params", [
    ("", "/activity", {}), ("type:computer", "/activity/computer", {}),
    ("stream:computer-3", "/computers/3/activity", {}),
    ("stream:account-acme", "/activity", {"stream": "account-acme"}),
])
def test_get_events_pages_are_the_swarm_streams(client, api, tenant, mixed_log, query, path,
                                                params):
    """The same read path: every page of GetEvents is the Swarm page of the same filter,
    entry for entry."""
    token = client.post("/api/v2/login", json={"email": "auditor@acme.example",
                                               "password": "pw-auditor"}).get_json()["token"]
    swarm = Swarm(client, bearer(token))
    everything = api.call("GetEvents", key=tenant.auditor, query=query).body
    assert everything and everything == swarm.entries(path, **params)
    after: dict[str, int] = {}
    while True:
        page = api.call("GetEvents", key=tenant.auditor, query=query, limit=3, **after).body
        assert page == swarm.entries(path, max=3, **after, **params)
        if not page:
            break
        after = {"after": page[-1]["id"]}
