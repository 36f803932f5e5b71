"""Landscape REST v2 against gunicorn with ``requests``, like the seed's curl examples with
the base URL changed: log in, page through activities, read one, read parents, reapply,
cancel, and the errors a script sees."""
from __future__ import annotations

import pytest
import requests

from ..activities.conftest import activities, make_computer  # noqa: F401


@pytest.fixture
def base(server) -> str:
    return server.rstrip("/") + "/v2"


@pytest.fixture
def jwt(base, tenant) -> str:
    answer = requests.post(f"{base}/login", json={"email": "manager@acme.example",
                                                  "password": "pw-manager"}, timeout=10)
    assert answer.status_code == 200
    return answer.json()["token"]


def test_a_script_pages_reads_and_changes_activities(
        base, jwt, tenant, make_computer, activities):  # noqa: F811
    laptop = make_computer(tenant.account, "laptop1")
    group, children = activities.group(tenant.account, ["succeeded", "canceled"],
                                       [laptop], creator=tenant.persons["admin"])
    waiting = activities.one(tenant.account, "undelivered", computer=laptop)
    auth = {"Authorization": f"Bearer {jwt}"}

    first = requests.get(f"{base}/activities?limit=2", headers=auth, timeout=10).json()
    assert first["count"] == 4
    assert [item["id"] for item in first["results"]] == [waiting, children[1]]
    assert first["next"] == f"{base}/activities?limit=2&offset=2"
    assert first["previous"] is None
    second = requests.get(first["next"], headers=auth, timeout=10).json()
    assert [item["id"] for item in second["results"]] == [children[0], group]
    assert second["next"] is None and second["previous"] == f"{base}/activities?limit=2"

    one = requests.get(f"{base}/activities/{group}", headers=auth, timeout=10).json()
    assert [child["id"] for child in one["children"]] == children
    parents = requests.get(f"{base}/activities/parents?limit=2", headers=auth,
                           timeout=10).json()
    assert parents["results"][0]["children_statuses"] == {"good": 1, "warning": 0, "bad": 1}

    reapplied = requests.post(f"{base}/activities/reapply", json={"activity_ids": [group]},
                              headers=auth, timeout=10)
    assert reapplied.status_code == 200 and len(reapplied.json()) == 1
    canceled = requests.post(f"{base}/activities/cancel", json={"activity_ids": [waiting]},
                             headers=auth, timeout=10)
    assert canceled.json() == [waiting]


def test_a_script_sees_the_v2_errors(base, jwt, tenant):
    auth = {"Authorization": f"Bearer {jwt}"}
    missing = requests.get(f"{base}/activities/424242", headers=auth, timeout=10)
    assert (missing.status_code, missing.json()) == (404, {
        "error": "NotFound", "message": "Not found.", "detail": None})
    form = requests.post(f"{base}/activities/cancel", data={"query": ""}, headers=auth,
                         timeout=10)
    assert (form.status_code, form.json()["error"]) == (415, "UnsupportedMediaType")
    anonymous = requests.get(f"{base}/activities", timeout=10)
    assert (anonymous.status_code, anonymous.json()["error"]) == (401, "AuthFailure")
    document = requests.get(base.rsplit("/api", 1)[0] + "/openapi.json", timeout=10).json()
    assert "/api/v2/activities" in document["paths"]
