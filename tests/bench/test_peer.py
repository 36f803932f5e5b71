"""``bench/peer.py``, the typical peer the benchmarks compare against, answers the
benchmark's request exactly as the gateway does (so its figures are for the same work)."""
from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import pytest

from app.auth import TIMESTAMP_FORMAT, sign
from app.demo import seed
from bench.peer import create_peer_app
from bench.run import LAPTOPS, OR_NOT_HEAVY


def signed_body(keys: dict[str, str], query: str, limit: int) -> str:
    params = {"action": "GetActivities", "version": "2011-08-01", "query": query,
              "limit": str(limit), "access_key_id": keys["access_key"],
              "signature_method": "HmacSHA256", "signature_version": "2",
              "timestamp": time.strftime(TIMESTAMP_FORMAT, time.gmtime())}
    params["signature"] = sign(keys["secret_key"], "POST", "localhost", "/api/", params)
    return urlencode(params)


@pytest.mark.parametrize("query, limit", [(LAPTOPS, 20), (OR_NOT_HEAVY, 20), ("", 300)])
def test_the_peer_answers_the_benchmarks_request_as_the_gateway_does(app, db_url, query,
                                                                     limit):
    keys = seed("b1m", computers=20, activities=400)
    body = signed_body(keys, query, limit)
    kind = "application/x-www-form-urlencoded"
    gateway = app.test_client().post("/api/", data=body, content_type=kind)
    peer = create_peer_app(db_url).test_client().post("/api/", data=body, content_type=kind)
    assert (gateway.status_code, peer.status_code) == (200, 200)
    assert gateway.get_json()  # a page to compare
    assert json.loads(peer.data) == json.loads(gateway.data)


def test_the_peer_checks_the_signature(app, db_url):
    keys = seed("b1m", computers=2, activities=10)
    body = signed_body(dict(keys, secret_key="x" * 40), LAPTOPS, 20)
    answer = create_peer_app(db_url).test_client().post(
        "/api/", data=body, content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 403
