"""Failed-login throttling: per identity and per address, exponential, shared through the
store, cleared by a successful login or ``actiongate unblock``."""
from __future__ import annotations

import threading

import pytest

import actions.accounts
from app import create_app, throttle
from app.models import FailedLogin

from ..conftest import TEST_SECRET

ALICE = "manager@acme.example"
BOB = "auditor@acme.example"
ATTACKER = "10.0.0.66"


@pytest.fixture
def clock(monkeypatch):
    """A settable clock for the throttle (signatures keep the real one)."""
    now = [1_000_000.0]
    monkeypatch.setattr(throttle, "clock", lambda: now[0])
    return now


def login(client, email: str, password: str, address: str = ATTACKER):
    return client.post("/api/", data={"action": "Login", "email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def key_login(client, access_key: str, secret_key: str, address: str = ATTACKER):
    return client.post("/api/", data={"action": "LoginWithAccessKey", "access_key": access_key,
                                      "secret_key": secret_key},
                       environ_base={"REMOTE_ADDR": address})


def fail(client, email: str = ALICE, times: int = 5, address: str = ATTACKER) -> None:
    for _ in range(times):
        assert login(client, email, "wrong", address).status_code == 401


def assert_throttled(answer, seconds: int) -> None:
    assert (answer.status_code, answer.get_json()) == (429, {
        "error": "TooManyRequests",
        "message": f"Too many failed logins: try again in {seconds} seconds"})
    assert answer.headers["Retry-After"] == str(seconds)


def test_free_failures_then_429_with_retry_after(client, tenant, clock):
    fail(client)
    assert_throttled(login(client, ALICE, "pw-manager"), 1)


def test_a_throttled_attempt_does_not_hash_the_password(client, tenant, clock, monkeypatch):
    fail(client)
    hashed = []
    monkeypatch.setattr(actions.accounts, "check_password_hash",
                        lambda *pair: hashed.append(pair) or True)
    assert login(client, ALICE, "pw-manager").status_code == 429
    assert hashed == []


def test_the_wait_doubles_with_each_failure_past_the_free_ones(client, tenant, clock):
    fail(client)
    waits = []
    for _ in range(4):
        answer = login(client, ALICE, "wrong")
        waits.append(int(answer.headers["Retry-After"]))
        clock[0] += waits[-1]
        assert login(client, ALICE, "wrong").status_code == 401
    assert waits == [1, 2, 4, 8]
    assert_throttled(login(client, ALICE, "pw-manager"), 16)


def test_the_wait_is_capped_and_counters_are_forgotten(client, tenant, clock):
    FailedLogin.create(subject=throttle.email_subject(ALICE), failures=60,
                       last_failure=clock[0])
    assert_throttled(login(client, ALICE, "pw-manager"), 900)
    clock[0] += throttle.FORGET_AFTER
    assert login(client, ALICE, "pw-manager").status_code == 200


def test_unknown_emails_are_throttled_alike(client, tenant, clock):
    fail(client, "nobody@acme.example")
    assert_throttled(login(client, "Nobody@Acme.example", "x"), 1)


def test_another_person_is_not_throttled(client, tenant, clock):
    fail(client)
    assert login(client, BOB, "pw-auditor", ATTACKER).status_code == 200
    assert login(client, BOB, "pw-auditor", "10.0.0.7").status_code == 200
    assert login(client, ALICE, "pw-manager", "10.0.0.7").status_code == 429


def test_a_success_clears_the_identity_but_not_the_address(client, tenant, clock):
    fail(client, times=4)
    assert login(client, ALICE, "pw-manager").status_code == 200
    fail(client, times=4)
    assert login(client, ALICE, "pw-manager").status_code == 200
    address = FailedLogin.get_by_id(throttle.address_subject(ATTACKER))
    assert address.failures == 8
    assert FailedLogin.get_or_none(FailedLogin.subject == throttle.email_subject(ALICE)) is None


def test_an_address_that_sprays_emails_is_throttled_alone(app, client, tenant, clock):
    app.config["LOGIN_FREE_FAILURES_PER_ADDRESS"] = 8
    for n in range(8):
        assert login(client, f"guess{n}@acme.example", "x").status_code == 401
    assert_throttled(login(client, BOB, "pw-auditor"), 1)
    assert login(client, BOB, "pw-auditor", "10.0.0.7").status_code == 200


def test_ipv6_clients_are_counted_by_their_64():
    assert throttle.address_subject("2001:db8:1:2:aaaa::1") == \
        throttle.address_subject("2001:db8:1:2:bbbb::2") == "address:2001:db8:1:2::/64"
    assert throttle.address_subject("::ffff:10.0.0.1") == "address:10.0.0.1"
    assert throttle.address_subject(None) == "address:unknown"


def test_login_with_access_key_is_throttled_by_key(client, tenant, clock):
    key = tenant.auditor
    for _ in range(5):
        assert key_login(client, key.access_key, "x" * 40).status_code == 401
    assert_throttled(key_login(client, key.access_key, key.secret_key), 1)
    other = tenant.manager
    assert key_login(client, other.access_key, other.secret_key).status_code == 200


def test_a_revoked_keys_correct_secret_is_not_a_failure(api, client, tenant, clock):
    key = tenant.auditor
    api.call("RevokeAPIKey", key=tenant.admin, access_key=key.access_key)
    for _ in range(6):
        assert key_login(client, key.access_key, key.secret_key).status_code == 403


def test_state_is_shared_by_two_app_instances(db_url, tenant, clock):
    first, second = (create_app({"TESTING": True, "DATABASE_URL": db_url,
                                 "SECRET_KEY": TEST_SECRET}) for _ in range(2))
    fail(first.test_client())
    assert_throttled(login(second.test_client(), ALICE, "pw-manager"), 1)


def test_concurrent_failures_are_all_counted(app, tenant, clock):
    app.config["LOGIN_FREE_FAILURES"] = app.config["LOGIN_FREE_FAILURES_PER_ADDRESS"] = 100

    def hammer():
        client = app.test_client()
        for _ in range(5):
            assert login(client, ALICE, "wrong").status_code == 401

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert FailedLogin.get_by_id(throttle.email_subject(ALICE)).failures == 20
    assert FailedLogin.get_by_id(throttle.address_subject(ATTACKER)).failures == 20


def test_prune_deletes_only_forgotten_counters(app, clock):
    FailedLogin.create(subject="email:old@x", failures=9,
                       last_failure=clock[0] - throttle.FORGET_AFTER - 1)
    FailedLogin.create(subject="email:new@x", failures=9, last_failure=clock[0] - 1)
    assert throttle.prune(clock[0]) == 1
    assert [row.subject for row in FailedLogin.select()] == ["email:new@x"]


# --- actiongate unblock -------------------------------------------------------------------

@pytest.mark.parametrize("option, value, subject", [
    ("--email", "Manager@ACME.example", throttle.email_subject(ALICE)),
    ("--address", ATTACKER, throttle.address_subject(ATTACKER)),
])
def test_unblock_clears_one_subject(runner, client, tenant, clock, option, value, subject):
    fail(client)
    result = runner.invoke(args=["unblock", option, value])
    assert (result.exit_code, result.output) == (0, "Cleared 1 failed-login counter(s).\n")
    assert FailedLogin.get_or_none(FailedLogin.subject == subject) is None
    assert FailedLogin.select().count() == 1


def test_unblock_by_access_key_lets_the_key_log_in(runner, client, tenant, clock):
    key = tenant.auditor
    for _ in range(5):
        key_login(client, key.access_key, "x" * 40, address="10.0.0.1")
    assert key_login(client, key.access_key, key.secret_key).status_code == 429
    assert runner.invoke(args=["unblock", "--access-key", key.access_key]).exit_code == 0
    assert key_login(client, key.access_key, key.secret_key).status_code == 200


def test_unblock_all(runner, client, tenant, clock):
    fail(client)
    fail(client, BOB, address="10.0.0.7")
    result = runner.invoke(args=["unblock", "--all"])
    assert (result.exit_code, result.output) == (0, "Cleared 4 failed-login counter(s).\n")
    assert login(client, ALICE, "pw-manager").status_code == 200


@pytest.mark.parametrize("argv", [["unblock"], ["unblock", "--all", "--email", ALICE]])
def test_unblock_needs_subjects_or_all(runner, argv):
    result = runner.invoke(args=argv)
    assert result.exit_code == 1
    assert "give --email, --access-key or --address, or --all" in result.output


def test_behind_a_trusted_proxy_the_forwarded_address_counts(app, client, tenant, clock):
    def via_proxy(client_address: str):
        return client.post("/api/", data={"action": "Login", "email": "x@y", "password": "x"},
                           headers={"X-Forwarded-For": f"6.6.6.6, {client_address}"},
                           environ_base={"REMOTE_ADDR": "10.0.0.1"})

    via_proxy("192.0.2.9")
    app.config["TRUST_FORWARDED_FOR"] = True
    via_proxy("192.0.2.9")
    assert {row.subject: row.failures for row in FailedLogin.select()} == {
        "email:x@y": 2, "address:10.0.0.1": 1, "address:192.0.2.9": 1}


def test_the_limits_come_from_the_environment():
    from app.config import defaults, from_environment
    assert {k: defaults("/tmp")[k] for k in ("LOGIN_FREE_FAILURES",
                                             "LOGIN_FREE_FAILURES_PER_ADDRESS",
                                             "TRUST_FORWARDED_FOR")} == {
        "LOGIN_FREE_FAILURES": 5, "LOGIN_FREE_FAILURES_PER_ADDRESS": 30,
        "TRUST_FORWARDED_FOR": False}
    assert from_environment({"ACTIONGATE_LOGIN_FREE_FAILURES": "3",
                             "ACTIONGATE_LOGIN_FREE_FAILURES_PER_ADDRESS": "100",
                             "ACTIONGATE_TRUST_FORWARDED_FOR": "yes"}) == {
        "LOGIN_FREE_FAILURES": 3, "LOGIN_FREE_FAILURES_PER_ADDRESS": 100,
        "TRUST_FORWARDED_FOR": True}
