"""A revoked key, a disabled person, revoked tokens and a role change reach every gunicorn
worker within ``FRESH_FOR`` (1 s), though each worker keeps its callers' rows that long."""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable

import pytest

from app import auth
from app.store.credentials import FRESH_FOR

from .conftest import gunicorn

#: answers to read before concluding that one worker never got a request
MOST_REQUESTS = 400


@pytest.fixture
def workers(db_url, tmp_path):
    """Two sync workers logging each /api/ request's worker pid, status and ``X-Phase``
    header; yields (URI, log)."""
    access_log = tmp_path / "access.log"
    with gunicorn(db_url, tmp_path, "--workers", "2", "--access-logfile", str(access_log),
                  "--access-logformat", "%(p)s %(s)s %({x-phase}i)s") as base:
        yield base + "/api/", access_log


@dataclass(frozen=True)
class Caller:
    """How a test calls: a key (signed like the official client) or a bearer token."""

    uri: str
    key: object | None = None
    token: str | None = None

    def call(self, action: str, phase: str = "-", **arguments: str) -> tuple[int, dict]:
        params = {"action": action, "version": "2011-08-01", **arguments}
        headers = {"X-Phase": phase}
        if self.key is not None:
            params.update({"access_key_id": self.key.access_key,
                           "signature_method": "HmacSHA256", "signature_version": "2",
                           "timestamp": time.strftime(auth.TIMESTAMP_FORMAT, time.gmtime())})
            params["signature"] = auth.sign(self.key.secret_key, "POST",
                                            urllib.parse.urlsplit(self.uri).netloc, "/api/",
                                            params)
        if self.token is not None:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.uri, data=urllib.parse.urlencode(params).encode(),
                                         headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())


def workers_answering(access_log, phase: str) -> set[str]:
    """The pids of the workers that answered a request of ``phase``."""
    rows = [line.split() for line in access_log.read_text().splitlines()]
    return {pid for pid, _status, tag in rows if tag == phase}


def until_both_workers_answered(send: Callable[[], tuple[int, dict]], access_log,
                                phase: str) -> list[tuple[int, dict]]:
    """Every answer to ``send()`` (of ``phase``), from 4 threads, until both workers have
    answered at least one."""
    answers: list[tuple[int, dict]] = []
    with ThreadPoolExecutor(4) as pool:
        for _ in range(MOST_REQUESTS // 8):
            answers += pool.map(lambda _: send(), range(8))
            if len(workers_answering(access_log, phase)) == 2:
                return answers
    pytest.fail(f"one worker answered all of {MOST_REQUESTS} requests")


def assert_change_reaches_every_worker(access_log, use: Callable[[str], tuple[int, dict]],
                                       change: Callable[[], tuple[int, dict]],
                                       refusal: tuple[int, str]) -> None:
    """``use`` works in both workers (each keeps the caller's rows), ``change`` is made
    through one of them; polled from then on, ``use`` may still work for ``FRESH_FOR``
    (1 s) and is refused by both workers, every time, once that has passed."""
    warm = until_both_workers_answered(lambda: use("warm"), access_log, "warm")
    assert {status for status, _ in warm} == {200}
    status, body = change()
    assert status == 200, body
    changed = time.monotonic()  # the change is committed before its answer
    while time.monotonic() < changed + FRESH_FOR:
        status, body = use("early")  # either worker: served from its rows, or refused
        assert status == 200 or (status, body.get("error")) == refusal, body
    late = until_both_workers_answered(lambda: use("late"), access_log, "late")
    assert {(status, body.get("error")) for status, body in late} == {refusal}


def test_a_revoked_key_is_refused_by_every_worker_within_a_second(workers, tenant):
    uri, access_log = workers
    victim, admin = Caller(uri, key=tenant.auditor), Caller(uri, key=tenant.admin)
    assert_change_reaches_every_worker(
        access_log, lambda phase: victim.call("GetAccount", phase),
        lambda: admin.call("RevokeAPIKey", access_key=tenant.auditor.access_key),
        (403, "InvalidCredentials"))


def test_a_disabled_persons_key_is_refused_by_every_worker_within_a_second(workers, tenant):
    uri, access_log = workers
    victim, admin = Caller(uri, key=tenant.auditor), Caller(uri, key=tenant.admin)
    assert_change_reaches_every_worker(
        access_log, lambda phase: victim.call("GetAccount", phase),
        lambda: admin.call("DisablePerson", email="auditor@acme.example"),
        (403, "InvalidCredentials"))


def test_revoked_tokens_are_refused_by_every_worker_within_a_second(workers, tenant):
    uri, access_log = workers
    status, body = Caller(uri).call("Login", email="manager@acme.example",
                                    password="pw-manager")
    assert status == 200
    holder = Caller(uri, token=body["token"])
    assert_change_reaches_every_worker(
        access_log, lambda phase: holder.call("GetAccount", phase),
        lambda: holder.call("RevokeTokens"), (401, "AuthFailure"))


def test_a_token_of_a_revoked_key_is_refused_by_every_worker_within_a_second(workers, tenant):
    uri, access_log = workers
    key = tenant.auditor
    status, body = Caller(uri).call("LoginWithAccessKey", access_key=key.access_key,
                                    secret_key=key.secret_key)
    assert status == 200
    holder, admin = Caller(uri, token=body["token"]), Caller(uri, key=tenant.admin)
    assert_change_reaches_every_worker(
        access_log, lambda phase: holder.call("GetAccount", phase),
        lambda: admin.call("RevokeAPIKey", access_key=key.access_key), (401, "AuthFailure"))


def test_a_lowered_role_is_refused_by_every_worker_within_a_second(workers, tenant):
    uri, access_log = workers
    manager, admin = Caller(uri, key=tenant.manager), Caller(uri, key=tenant.admin)
    assert_change_reaches_every_worker(
        access_log, lambda phase: manager.call("GetPersons", phase),
        lambda: admin.call("EditPerson", email="manager@acme.example", role="auditor"),
        (403, "Unauthorised"))
