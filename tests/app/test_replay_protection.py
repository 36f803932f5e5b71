"""Opt-in replay protection: with ``REJECT_REPLAYS`` a writing action's signature is
accepted once, across workers and instances (the store keeps it)."""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from app import auth, create_app, replay
from app.models import Person, SeenSignature

from ..conftest import TEST_SECRET, Api

REPLAYED = {"error": "RequestReplayed",
            "message": "This signed request was accepted before: sign each request anew "
                       "(the signature covers a timestamp to the second)."}


def now_stamp() -> str:
    return time.strftime(auth.TIMESTAMP_FORMAT, time.gmtime())


@pytest.fixture
def rejecting(app):
    app.config["REJECT_REPLAYS"] = True
    return app


def test_replays_are_accepted_by_default(app, api, tenant):
    stamp = now_stamp()
    for _ in range(2):
        answer = api.call("SetAccountSettings", key=tenant.admin, timestamp=stamp, title="T")
        assert answer.status == 200
    assert SeenSignature.select().count() == 0


def test_a_replayed_write_is_refused_and_changes_nothing(rejecting, api, tenant):
    stamp = now_stamp()
    first = api.call("CreatePerson", key=tenant.admin, timestamp=stamp,
                     email="zoe@acme.example", name="Zoe")
    assert first.status == 200
    Person.delete().where(Person.email_key == "zoe@acme.example").execute()
    again = api.call("CreatePerson", key=tenant.admin, timestamp=stamp,
                     email="zoe@acme.example", name="Zoe")
    assert (again.status, again.body) == (403, REPLAYED)
    assert Person.get_or_none(Person.email_key == "zoe@acme.example") is None


def test_the_same_request_signed_again_is_accepted(rejecting, api, tenant):
    stamps = [time.strftime(auth.TIMESTAMP_FORMAT, time.gmtime(time.time() - ago))
              for ago in (1, 0)]
    assert [api.call("SetAccountSettings", key=tenant.admin, timestamp=stamp, title="T").status
            for stamp in stamps] == [200, 200]


def test_reading_actions_may_repeat_a_signature(rejecting, api, tenant):
    stamp = now_stamp()
    assert [api.call("GetAccount", key=tenant.auditor, timestamp=stamp).status
            for _ in range(2)] == [200, 200]


def test_token_requests_are_not_replay_checked(rejecting, api, tenant):
    token = api.call("Login", email="admin@acme.example", password="pw-admin").body["token"]
    assert [api.call("SetAccountSettings", token=token, title="T").status
            for _ in range(2)] == [200, 200]


def test_a_refused_caller_does_not_use_up_the_signature(rejecting, api, tenant):
    stamp = now_stamp()
    answers = [api.call("SetAccountSettings", key=tenant.auditor, timestamp=stamp, title="T")
               for _ in range(2)]
    assert [(a.status, a.error) for a in answers] == [(403, "Unauthorised")] * 2


def test_a_request_with_bad_arguments_uses_up_its_signature(rejecting, api, tenant):
    stamp = now_stamp()
    first = api.call("SetAccountSettings", key=tenant.admin, timestamp=stamp)
    again = api.call("SetAccountSettings", key=tenant.admin, timestamp=stamp)
    assert (first.status, first.error) == (400, "InvalidParameterValue")
    assert (again.status, again.body) == (403, REPLAYED)


def test_replays_are_refused_by_another_instance(db_url, tenant):
    first, second = (create_app({"TESTING": True, "DATABASE_URL": db_url,
                                 "SECRET_KEY": TEST_SECRET, "REJECT_REPLAYS": True})
                     for _ in range(2))
    stamp = now_stamp()
    calls = [Api(app.test_client()).call("SetAccountSettings", key=tenant.admin,
                                         timestamp=stamp, title="T") for app in (first, second)]
    assert [(c.status, c.error) for c in calls] == [(200, None), (403, "RequestReplayed")]


def test_concurrent_replays_let_exactly_one_through(rejecting, tenant):
    stamp = now_stamp()

    def attempt(_):
        return Api(rejecting.test_client()).call("AddTagsToComputers", key=tenant.manager,
                                                 timestamp=stamp, query="", tags=["x"]).status

    with ThreadPoolExecutor(4) as pool:
        statuses = sorted(pool.map(attempt, range(8)))
    assert statuses == [200] + [403] * 7


def test_the_environment_turns_it_on():
    from app.config import defaults, from_environment
    assert defaults("/tmp")["REJECT_REPLAYS"] is False
    assert from_environment({"ACTIONGATE_REJECT_REPLAYS": "1"}) == {"REJECT_REPLAYS": True}


def test_signatures_are_kept_for_twice_the_window_then_pruned(rejecting, monkeypatch):
    monkeypatch.setattr(replay, "clock", lambda: 1000.0)
    replay.accept_once("sig-a", 900)
    with pytest.raises(replay.RequestReplayed):
        replay.accept_once("sig-a", 900)
    assert SeenSignature.get_by_id("sig-a").expires == 2800.0
    replay.accept_once("sig-b", 10)
    assert replay.prune(1021.0) == 1
    assert [row.signature for row in SeenSignature.select()] == ["sig-a"]
