"""The credential rows each worker keeps (``app.store.credentials``): a hot caller's key,
person, computer and account are read once per ``FRESH_FOR`` second, a change made through
the gateway is seen at once by the worker that made it, and a cached row never lets a
wrong secret, a forged token or an unknown key pass."""
from __future__ import annotations

import pytest

from app import auth
from app.db import init_database
from app.models import ApiKey, Person, database
from app.store import credentials


@pytest.fixture
def clock(monkeypatch):
    """The monotonic clock the rows are timed by, moved by hand: ``clock.now += 1``."""

    class Clock:
        now = 1000.0

    monkeypatch.setattr(credentials, "monotonic", lambda: Clock.now)
    return Clock


@pytest.fixture
def lookups(monkeypatch):
    """The access keys the store was asked for, in order."""
    asked: list[str] = []
    original = credentials.KEY_LOOKUP.execute

    def counting(**values):
        asked.append(values["access_key"])
        return original(**values)

    monkeypatch.setattr(credentials.KEY_LOOKUP, "execute", counting)
    return asked


def login_token(api, email: str = "manager@acme.example", password: str = "pw-manager"):
    answer = api.call("Login", email=email, password=password)
    assert answer.status == 200
    return answer.body["token"]


def test_a_hot_key_is_read_from_the_store_once_a_second(api, tenant, clock, lookups):
    for _ in range(3):
        assert api.call("GetAccount", key=tenant.auditor).status == 200
    clock.now += credentials.FRESH_FOR - 0.01
    assert api.call("GetAccount", key=tenant.auditor).status == 200
    assert lookups == [tenant.auditor.access_key]
    clock.now += 0.01
    assert api.call("GetAccount", key=tenant.auditor).status == 200
    assert lookups == [tenant.auditor.access_key] * 2


def test_a_change_made_elsewhere_is_seen_once_the_row_is_a_second_old(api, tenant, clock):
    assert api.call("GetAccount", key=tenant.auditor).status == 200
    # as another worker or gateway instance would revoke it: this worker is not told
    ApiKey.update(revoked=True).where(ApiKey.access_key == tenant.auditor.access_key).execute()
    clock.now += credentials.FRESH_FOR - 0.01
    assert api.call("GetAccount", key=tenant.auditor).status == 200
    clock.now += 0.01
    answer = api.call("GetAccount", key=tenant.auditor)
    assert (answer.status, answer.error) == (403, "InvalidCredentials")


@pytest.mark.parametrize("action, arguments, refusal", [
    ("RevokeAPIKey", {"access_key": "<key>"}, (403, "InvalidCredentials")),
    ("DisablePerson", {"email": "manager@acme.example"}, (403, "InvalidCredentials")),
    ("EditPerson", {"email": "manager@acme.example", "role": "auditor"}, (403, "Unauthorised")),
])
def test_the_worker_that_makes_a_change_sees_it_at_once(api, tenant, clock, action,
                                                        arguments, refusal):
    assert api.call("GetPersons", key=tenant.manager).status == 200
    arguments = {name: tenant.manager.access_key if value == "<key>" else value
                 for name, value in arguments.items()}
    assert api.call(action, key=tenant.admin, **arguments).status == 200
    answer = api.call("GetPersons", key=tenant.manager)
    assert (answer.status, answer.error) == refusal


def test_account_settings_are_seen_at_once_by_the_worker_that_changes_them(api, tenant, clock):
    assert api.call("GetAccount", key=tenant.auditor).body["title"] == "Acme"
    assert api.call("SetAccountSettings", key=tenant.admin, title="New").status == 200
    assert api.call("GetAccount", key=tenant.auditor).body["title"] == "New"


def test_a_kept_row_never_lets_a_wrong_secret_pass(api, tenant, clock):
    assert api.call("GetAccount", key=tenant.auditor).status == 200
    wrong = type(tenant.auditor)(tenant.auditor.access_key, tenant.admin.secret_key)
    answer = api.call("GetAccount", key=wrong)
    assert (answer.status, answer.error) == (403, "SignatureDoesNotMatch")
    assert api.call("GetAccount", key=tenant.auditor).status == 200  # nor blocks the right one


def test_an_unknown_key_is_not_kept_so_a_new_key_works_at_once(app, tenant, clock, lookups):
    assert auth.find_key("A" * 20) is None
    assert auth.find_key("A" * 20) is None
    assert lookups == ["A" * 20] * 2
    person = Person.get(Person.email_key == "auditor@acme.example")
    ApiKey.create(person=person, access_key="A" * 20, secret_key="s" * 40)
    assert auth.find_key("A" * 20).secret_key == "s" * 40


def test_each_request_gets_its_own_objects(app, tenant, clock):
    first, second = (auth.find_key(tenant.auditor.access_key) for _ in range(2))
    assert first.owner_account is not second.owner_account
    first.owner_account.title = "changed by an action, not saved"
    assert second.owner_account.title == "Acme"


def test_a_token_of_a_disabled_person_is_refused_once_its_row_is_a_second_old(
        api, tenant, clock):
    token = login_token(api)
    assert api.call("GetAccount", token=token).status == 200
    Person.update(disabled=True).where(Person.email_key == "manager@acme.example").execute()
    assert api.call("GetAccount", token=token).status == 200
    clock.now += credentials.FRESH_FOR
    answer = api.call("GetAccount", token=token)
    assert (answer.status, answer.body) == (401, {"error": "AuthFailure",
                                                  "message": "Token is no longer valid"})


def test_a_token_of_a_revoked_key_is_refused_once_its_row_is_a_second_old(api, tenant, clock):
    key = tenant.auditor
    token = api.call("LoginWithAccessKey", access_key=key.access_key,
                     secret_key=key.secret_key).body["token"]
    assert api.call("GetAccount", token=token).status == 200
    ApiKey.update(revoked=True).where(ApiKey.access_key == key.access_key).execute()
    assert api.call("GetAccount", token=token).status == 200
    clock.now += credentials.FRESH_FOR
    assert (api.call("GetAccount", token=token).error) == "AuthFailure"


def test_revoked_tokens_are_refused_at_once_by_the_worker_that_revokes_them(api, tenant,
                                                                            clock):
    token = login_token(api)
    assert api.call("RevokeTokens", token=token).status == 200
    assert api.call("GetAccount", token=token).status == 401


def test_a_verified_token_changed_by_one_character_is_verified_again(api, tenant):
    token = login_token(api)
    assert api.call("GetAccount", token=token).status == 200
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    answer = api.call("GetAccount", token=forged)
    assert (answer.status, answer.body) == (401, {"error": "AuthFailure",
                                                  "message": "Invalid or expired token"})


def test_a_verified_token_still_expires(app, tenant, monkeypatch):
    person = Person.get(Person.email_key == "auditor@acme.example")
    token, _ = auth.issue_token("k", person, 1)
    assert auth.caller_for_token("k", token, 43200).person.id == person.id
    now = auth.time.time()
    monkeypatch.setattr(auth.time, "time", lambda: now + 61)  # past its 1 minute
    with pytest.raises(auth.AuthFailure):
        auth.caller_for_token("k", token, 43200)
    monkeypatch.setattr(auth.time, "time", lambda: now + 30)  # its age past max_age
    with pytest.raises(auth.AuthFailure):
        auth.caller_for_token("k", token, 0)


def test_a_token_is_verified_with_its_own_secret(app, tenant):
    person = Person.get(Person.email_key == "auditor@acme.example")
    token, _ = auth.issue_token("k", person, 1)
    assert auth.caller_for_token("k", token, 60).person.id == person.id
    with pytest.raises(auth.AuthFailure):
        auth.caller_for_token("another", token, 60)


def test_binding_another_database_forgets_every_row(app, db_url, tenant, clock, lookups):
    assert auth.find_key(tenant.auditor.access_key) is not None
    database.close()
    init_database(db_url)
    database.connect()
    assert auth.find_key(tenant.auditor.access_key) is not None
    assert lookups == [tenant.auditor.access_key] * 2


def test_a_read_that_began_before_a_change_does_not_keep_its_row(clock):
    reads: list[int] = []

    def lookup(key: int) -> str:
        reads.append(key)
        if len(reads) == 1:
            credentials.forget()  # a change committed while the first read ran
        return f"row {len(reads)}"

    rows = credentials.RecentRows(lookup)
    assert rows.get(1) == "row 1"
    assert rows.get(1) == "row 2"
    assert rows.get(1) == "row 2"


def test_the_rows_kept_are_bounded(clock, monkeypatch):
    monkeypatch.setattr(credentials, "MOST_ROWS", 3)
    rows = credentials.RecentRows(lambda key: f"row {key}")
    for key in (1, 2):
        rows.get(key)
    clock.now += credentials.FRESH_FOR
    for key in (3, 4):
        rows.get(key)
    assert sorted(rows._rows) == [3, 4]  # the stale ones went to make room
    rows.get(5)
    rows.get(6)
    assert sorted(rows._rows) == [6]  # none stale: all went
