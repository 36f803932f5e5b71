"""Login throttling and replay protection hold across gunicorn workers (shared store)."""
from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from app import auth

from .conftest import gunicorn

#: answers to read before concluding that one worker never got a request
MOST_REQUESTS = 400


@pytest.fixture
def two_workers(db_url, tmp_path):
    """Two sync workers logging each request's worker pid and status, replay protection on;
    yields (URI, log)."""
    access_log = tmp_path / "access.log"
    with gunicorn(db_url, tmp_path, "--workers", "2", "--access-logfile", str(access_log),
                  "--access-logformat", "%(p)s %(U)s %(s)s",
                  ACTIONGATE_REJECT_REPLAYS="1") as base:
        yield base + "/api/", access_log


def post(uri: str, params: dict[str, str]) -> int:
    data = urllib.parse.urlencode(params).encode()
    try:
        with urllib.request.urlopen(uri, data=data, timeout=30) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def api_lines(access_log) -> list[tuple[str, str]]:
    """(worker pid, status) of each /api/ request, in order."""
    rows = [line.split() for line in access_log.read_text().splitlines()]
    return [(pid, status) for pid, path, status in rows if path == "/api/"]


def repeat_until_both_workers_answered(uri: str, params: dict[str, str], access_log,
                                       status: int) -> None:
    """Send ``params`` from 4 threads until both workers have answered; all get ``status``."""
    with ThreadPoolExecutor(4) as pool:
        for _ in range(MOST_REQUESTS // 8):
            assert set(pool.map(lambda _: post(uri, params), range(8))) == {status}
            if len({pid for pid, code in api_lines(access_log) if code == str(status)}) == 2:
                return
    pytest.fail(f"one worker answered all of {MOST_REQUESTS} requests")


def test_failed_logins_throttle_across_workers(two_workers, tenant):
    uri, access_log = two_workers
    wrong = {"action": "Login", "email": "manager@acme.example", "password": "wrong"}
    assert [post(uri, wrong) for _ in range(5)] == [401] * 5
    # Both workers answer 429, and at most one of them saw all five failures itself.
    repeat_until_both_workers_answered(uri, dict(wrong, password="pw-manager"), access_log,
                                       429)


def test_replays_are_refused_across_workers(two_workers, tenant):
    uri, access_log = two_workers
    key = tenant.admin
    params = {"action": "SetAccountSettings", "title": "T", "version": "2011-08-01",
              "access_key_id": key.access_key, "signature_method": "HmacSHA256",
              "signature_version": "2",
              "timestamp": time.strftime(auth.TIMESTAMP_FORMAT, time.gmtime())}
    params["signature"] = auth.sign(key.secret_key, "POST", urllib.parse.urlsplit(uri).netloc,
                                    "/api/", params)
    assert post(uri, params) == 200
    repeat_until_both_workers_answered(uri, params, access_log, 403)


def test_long_get_request_lines_are_gunicorns_414_post_carries_them(server, tenant):
    """Documented decision: gunicorn refuses request lines past its limit with its own HTML
    414 before the gateway sees them; the same request as a POST body is served."""
    key = tenant.auditor
    params = {"action": "GetActivities", "query": "id:1 OR " * 650 + "id:1",
              "version": "2011-08-01", "access_key_id": key.access_key,
              "signature_method": "HmacSHA256", "signature_version": "2",
              "timestamp": time.strftime(auth.TIMESTAMP_FORMAT, time.gmtime())}
    netloc = urllib.parse.urlsplit(server).netloc
    signed_get = dict(params, signature=auth.sign(key.secret_key, "GET", netloc, "/api/",
                                                  params))
    url = server + "?" + urllib.parse.urlencode(signed_get, quote_via=urllib.parse.quote)
    assert len(url) > 8190  # gunicorn's largest request-line limit
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(url, timeout=30)
    assert caught.value.code == 414
    assert caught.value.headers.get_content_type() == "text/html"
    signed_post = dict(params, signature=auth.sign(key.secret_key, "POST", netloc, "/api/",
                                                   params))
    request = urllib.request.Request(server, data=urllib.parse.urlencode(signed_post).encode())
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            status, kind = answer.status, answer.headers.get_content_type()
    except urllib.error.HTTPError as error:
        status, kind = error.code, error.headers.get_content_type()
    assert status != 414 and kind == "application/json"
