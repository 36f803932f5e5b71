"""Acronis Task Manager v2 against gunicorn with ``requests``, as the seed's monitoring
script does: authenticate with an access key at ``/api/2/idp/token``, then walk
``/activities?state=completed&resultCode=error`` through the cursors while activities keep
arriving, and get every matching activity exactly once."""
from __future__ import annotations

import datetime as dt

import requests

from ..activities.conftest import activities  # noqa: F401


def test_a_script_walks_the_failed_activities_exactly_once(
        server, tenant, activities):  # noqa: F811
    root = server.rstrip("/").removesuffix("/api")
    statuses = ("failed", "succeeded", "failed", "canceled", "undelivered")
    start = dt.datetime(2022, 1, 1)
    made = [activities.one(tenant.account, statuses[i % len(statuses)],
                           creation_time=start + dt.timedelta(seconds=i // 2))
            for i in range(60)]
    failed = {made[i] for i in range(60) if statuses[i % len(statuses)] == "failed"}

    key = tenant.keys["auditor"]
    token = requests.post(f"{root}/api/2/idp/token", data={"grant_type": "client_credentials"},
                          auth=(key.access_key, key.secret_key), timeout=10)
    assert token.status_code == 200
    auth = {"Authorization": f"Bearer {token.json()['access_token']}"}
    base_url = f"{root}/api/task_manager/v2"

    seen: list[int] = []
    params = {"state": "completed", "resultCode": "error", "limit": 5}
    while True:
        response = requests.get(f"{base_url}/activities", headers=auth, params=params,
                                timeout=10)
        assert response.status_code == 200, response.text
        page = response.json()
        assert {item["state"] for item in page["items"]} <= {"completed"}
        assert {item["result"]["code"] for item in page["items"]} <= {"error"}
        seen += [item["id"] for item in page["items"]]
        after = page["paging"]["cursors"].get("after")
        if after is None:
            break
        params["after"] = after
        # newer failures arrive while the script pages: newest first, they are behind it
        activities.one(tenant.account, "failed", creation_time=dt.datetime(2030, 1, 1))
    assert sorted(seen) == sorted(failed)
    assert len(seen) == len(set(seen))

    tampered = requests.get(f"{base_url}/activities", headers=auth,
                            params={"after": params["after"][:-3] + "xyz"}, timeout=10)
    assert tampered.status_code == 400
    assert tampered.json()["error"]["code"] == "InvalidCursor"
