"""The Swarm activity stream against gunicorn with ``requests``, doing the seed's curl
examples with the base URL changed (``curl -u "username:ticket"``): the stream, a page
after ``lastSeen`` with ``fields``, ``followed``, a type, a per-object feed, and a posted
entry."""
from __future__ import annotations

import pytest
import requests

from ..dialects.swarm_client import add_event


@pytest.fixture
def base(server) -> str:
    return server.rstrip("/") + "/v11"


@pytest.fixture
def ticket(server, tenant) -> str:
    """A token of the manager (Swarm's ticket)."""
    answer = requests.post(server.rstrip("/") + "/v2/login", json={
        "email": "manager@acme.example", "password": "pw-manager"}, timeout=10)
    assert answer.status_code == 200
    return answer.json()["token"]


def test_the_seeds_curl_examples(base, ticket, tenant):
    older = add_event(tenant, type="activity", action="canceled", target="activity 85",
                      description="Make a review.", streams=["activity-85", "computer-3"],
                      followers=["manager-acme"], at=1_626_945_417)
    newer = add_event(tenant, type="computer", action="renamed", target="computer 3",
                      streams=["computer-3"], at=1_626_945_500)
    user = ("manager-acme", ticket)

    # curl -u "username:ticket" "https://my-swarm-host/api/v11/activity"
    stream = requests.get(f"{base}/activity", auth=user, timeout=10).json()
    assert stream["error"] is None and stream["messages"] is None
    assert [e["id"] for e in stream["data"]["activity"]] == [newer, older]
    assert (stream["data"]["totalCount"], stream["data"]["lastSeen"]) == (2, older)

    # ?max=1&after=<lastSeen of page 1>&fields=id,action,time,description,type
    first = requests.get(f"{base}/activity?max=1", auth=user, timeout=10).json()["data"]
    second = requests.get(
        f"{base}/activity?max=1&after={first['lastSeen']}&fields=id,action,time,description,"
        "type", auth=user, timeout=10).json()
    assert second == {"error": None, "messages": None, "data": {
        "activity": [{"id": older, "type": "activity", "action": "canceled",
                      "description": "Make a review.", "time": 1_626_945_417}],
        "totalCount": 1, "lastSeen": older}}

    # ?followed=true, /activity/<type>, and a per-object feed
    followed = requests.get(f"{base}/activity?followed=true", auth=user, timeout=10).json()
    assert [e["id"] for e in followed["data"]["activity"]] == [older]
    typed = requests.get(f"{base}/activity/computer", auth=user, timeout=10).json()
    assert [e["id"] for e in typed["data"]["activity"]] == [newer]
    feed = requests.get(f"{base}/computers/3/activity?max=1&after={newer}&fields=id",
                        auth=user, timeout=10).json()
    assert feed["data"]["activity"] == [{"id": older}]

    # a password works as the ticket too, and a posted entry leads the stream
    posted = requests.post(f"{base}/activity", auth=("manager-acme", "pw-manager"),
                           json={"type": "note", "action": "noted", "target": "computer 3",
                                 "streams": ["computer-3"]}, timeout=10)
    assert posted.status_code == 200
    entry = posted.json()["data"]["activity"]
    assert (entry["user"], entry["streams"]) == (
        "manager-acme", ["computer-3", "user-manager-acme", "account-acme"])
    feed = requests.get(f"{base}/computers/3/activity?fields=id", auth=user, timeout=10)
    assert feed.json()["data"]["activity"] == [{"id": entry["id"]}, {"id": newer},
                                               {"id": older}]


def test_a_script_sees_the_swarm_errors(base, ticket, tenant):
    none = requests.get(f"{base}/activity", timeout=10)
    assert none.status_code == 401 and none.json()["data"] is None
    wrong = requests.get(f"{base}/activity", auth=("manager-acme", "nope"), timeout=10)
    assert wrong.status_code == 401
    bad = requests.get(f"{base}/activity?max=0", auth=("manager-acme", ticket), timeout=10)
    assert (bad.status_code, bad.json()) == (400, {
        "error": "Invalid max value 0: the max parameter value must be an integer from 1 "
                 "to 1000",
        "messages": ["Invalid max value 0: the max parameter value must be an integer from "
                     "1 to 1000"], "data": None})
