"""SigV2 verification, bearer tokens and roles (CONTRACT §4)."""
from __future__ import annotations

import time
from urllib.parse import parse_qsl, quote

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app import auth, directory
from app.models import ApiKey, Computer, Person, database

from ..conftest import Key

VECTOR_BODY = (
    "access_key_id=0GS7553JW74RRM612K02EXAMPLE&action=GetActivities&limit=20&query=status%3A"
    "succeeded%20computer%3Atag%3Alaptop&signature_method=HmacSHA256&signature_version=2&"
    "timestamp=2011-08-18T08%3A07%3A00Z&version=2011-08-01&signature=fOmuj3rsA6vVRyb1RiuUmSiu"
    "k/OyYOeag0wu4w4Toj0%3D")


def test_signature_matches_the_contract_vector():
    params = dict(parse_qsl(VECTOR_BODY))
    assert auth.sign("secretsecret", "POST", "landscape.example", "/api/", params) == \
        "fOmuj3rsA6vVRyb1RiuUmSiuk/OyYOeag0wu4w4Toj0="


def test_canonical_query_sorts_and_quotes_like_the_client():
    assert auth.canonical_query({"b": "x y", "a": "~/:", "signature": "ignored"}) == \
        "a=~%2F%3A&b=x%20y"


def test_new_keys_have_the_documented_alphabets():
    access, secret = auth.new_key_pair()
    assert auth.ACCESS_KEY.match(access) and auth.SECRET_KEY.match(secret)


def test_signed_request_is_accepted(api, tenant):
    assert api.call("GetAccount", key=tenant.auditor).status == 200


def test_secret_with_plus_and_slash_verifies(api, tenant):
    person = tenant.persons["auditor"]
    with database.atomic():
        directory.issue_key(person, "PLUSSLASHKEY00000000", "ab+/" * 10)
    answer = api.call("GetAccount", key=Key("PLUSSLASHKEY00000000", "ab+/" * 10))
    assert answer.status == 200


def test_wrong_secret_does_not_match(api, tenant):
    answer = api.call("GetAccount", key=Key(tenant.auditor.access_key, "y" * 40))
    assert answer.status == 403
    assert answer.body == {
        "error": "SignatureDoesNotMatch",
        "message": "The request signature we calculated does not match the signature you "
                   "provided. Check your key and signing method."}


def test_tampered_parameter_does_not_match(client, tenant):
    key = tenant.auditor
    params = {"action": "GetPersons", "version": "2011-08-01", "access_key_id": key.access_key,
              "signature_method": "HmacSHA256", "signature_version": "2",
              "timestamp": time.strftime(auth.TIMESTAMP_FORMAT, time.gmtime())}
    params["signature"] = auth.sign(key.secret_key, "POST", "localhost", "/api/", params)
    params["action"] = "GetAccount"
    answer = client.post("/api/", data=params)
    assert answer.status_code == 403
    assert answer.get_json()["error"] == "SignatureDoesNotMatch"


def test_host_header_is_also_accepted_lower_cased(client, tenant):
    key = tenant.auditor
    params = {"action": "GetAccount", "version": "2011-08-01", "access_key_id": key.access_key,
              "signature_method": "HmacSHA256", "signature_version": "2",
              "timestamp": time.strftime(auth.TIMESTAMP_FORMAT, time.gmtime())}
    params["signature"] = auth.sign(key.secret_key, "POST", "gateway.example:8080", "/api/",
                                    params)
    answer = client.post("/api/", data=params, headers={"Host": "Gateway.Example:8080"})
    assert answer.status_code == 200


@pytest.mark.parametrize("offset, suffix", [(-16 * 60, ""), (16 * 60, " is in the future")])
def test_timestamps_outside_the_window_are_expired(api, tenant, offset, suffix):
    stamp = time.strftime(auth.TIMESTAMP_FORMAT, time.gmtime(time.time() + offset))
    answer = api.call("GetAccount", key=tenant.auditor, timestamp=stamp)
    assert answer.status == 400
    assert answer.body == {"error": "RequestExpired",
                           "message": f"Request has expired. Timestamp date is {stamp}{suffix}"}


def test_timestamps_inside_the_window_are_accepted(api, tenant):
    stamp = time.strftime(auth.TIMESTAMP_FORMAT, time.gmtime(time.time() - 14 * 60))
    assert api.call("GetAccount", key=tenant.auditor, timestamp=stamp).status == 200


def test_unknown_access_key_is_auth_failure(api):
    answer = api.call("GetAccount", key=Key("AAAAAAAAAAAAAAAAAAAA", "x" * 40))
    assert (answer.status, answer.body) == (401, {
        "error": "AuthFailure", "message": "No user with access key 'AAAAAAAAAAAAAAAAAAAA'"})


def test_unsigned_request_is_auth_failure(api):
    answer = api.call("GetAccount")
    assert answer.status == 401 and answer.error == "AuthFailure"


@pytest.mark.parametrize("transport, message", [
    ({"signature_version": "1"}, "SignatureVersion '1' not supported"),
    ({"signature_method": "HmacSHA1"}, "SignatureMethod 'HmacSHA1' not supported"),
])
def test_unsupported_signature_scheme(api, tenant, transport, message):
    answer = api.call("GetAccount", key=tenant.auditor, extra_transport=transport)
    assert (answer.status, answer.body) == (403, {"error": "InvalidSignature",
                                                  "message": message})


def test_revoked_key_is_invalid_credentials(api, tenant):
    ApiKey.update(revoked=True).where(ApiKey.access_key == tenant.auditor.access_key).execute()
    answer = api.call("GetAccount", key=tenant.auditor)
    assert (answer.status, answer.error) == (403, "InvalidCredentials")


def test_disabled_person_is_invalid_credentials(api, tenant):
    answer = api.call("DisablePerson", key=tenant.admin, email="auditor@acme.example")
    assert answer.status == 200 and answer.body["disabled"] is True
    answer = api.call("GetAccount", key=tenant.auditor)
    assert (answer.status, answer.error) == (403, "InvalidCredentials")


# --- roles --------------------------------------------------------------------------------

@pytest.mark.parametrize("role, action, allowed", [
    ("auditor", "GetAccount", True),
    ("auditor", "GetPersons", False),
    ("manager", "GetPersons", True),
    ("manager", "SetAccountSettings", False),
    ("admin", "SetAccountSettings", True),
])
def test_roles_are_enforced_by_the_dispatcher(api, tenant, role, action, allowed):
    arguments = {"title": "New"} if action == "SetAccountSettings" else {}
    answer = api.call(action, key=tenant.keys[role], **arguments)
    if allowed:
        assert answer.status == 200
    else:
        assert (answer.status, answer.body) == (403, {
            "error": "Unauthorised",
            "message": "The user is not authorised to perform the operation"})


def test_computer_keys_cannot_call_person_actions(api, tenant):
    with database.atomic():
        computer = Computer.create(account=tenant.account, title="Box", hostname="box")
        key = directory.issue_key(computer)
    answer = api.call("GetAccount", key=Key(key.access_key, key.secret_key))
    assert (answer.status, answer.error) == (403, "Unauthorised")


# --- bearer tokens ------------------------------------------------------------------------

def test_login_returns_a_token_that_authenticates(api, tenant):
    answer = api.call("Login", email="Manager@Acme.example", password="pw-manager")
    assert answer.status == 200
    assert set(answer.body) == {"token", "expires", "email", "name", "account"}
    assert answer.body["account"] == "acme" and answer.body["email"] == "manager@acme.example"
    assert api.call("GetPersons", token=answer.body["token"]).status == 200


@pytest.mark.parametrize("email, password", [("manager@acme.example", "wrong"),
                                             ("nobody@acme.example", "pw-manager")])
def test_login_failures_share_one_message(api, tenant, email, password):
    answer = api.call("Login", email=email, password=password)
    assert (answer.status, answer.body) == (401, {"error": "AuthFailure",
                                                  "message": "Invalid email or password"})


def test_login_with_access_key(api, tenant):
    key = tenant.auditor
    answer = api.call("LoginWithAccessKey", access_key=key.access_key,
                      secret_key=key.secret_key, expiry_minutes=5)
    assert answer.status == 200 and answer.body["name"] == "Auditor acme"
    assert api.call("GetAccount", token=answer.body["token"]).status == 200


def test_login_expiry_is_bounded(api, tenant):
    answer = api.call("Login", email="manager@acme.example", password="pw-manager",
                      expiry_minutes=43201)
    assert answer.error == "InvalidParameterValue"


def test_revoke_tokens_invalidates_older_tokens(api, tenant):
    token = api.call("Login", email="manager@acme.example", password="pw-manager").body["token"]
    assert api.call("RevokeTokens", token=token).status == 200
    answer = api.call("GetAccount", token=token)
    assert (answer.status, answer.body) == (401, {"error": "AuthFailure",
                                                  "message": "Token is no longer valid"})


def test_forged_token_is_refused(api, tenant):
    answer = api.call("GetAccount", token="eyJwaWQiOjF9.forged.signature")
    assert (answer.status, answer.error) == (401, "AuthFailure")


def test_expired_token_is_refused(app, tenant, monkeypatch):
    person = Person.get(Person.email_key == "auditor@acme.example")
    token, _ = auth.issue_token("k", person, 1)
    monkeypatch.setattr(auth.time, "time", lambda: 1e12)  # far beyond the expiry
    with pytest.raises(auth.AuthFailure):
        auth.caller_for_token("k", token, 43200)


@pytest.mark.property
@settings(max_examples=300, deadline=None)
@given(st.text())
def test_canonical_quoting_equals_the_clients_quote(text):
    assume(text != "signature")  # the one name the canonical string leaves out
    assert auth.canonical_query({text: text}) == f"{quote(text, safe='~')}={quote(text, safe='~')}"


@pytest.mark.property
@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(max_codepoint=127)) | st.text())
def test_quoting_by_the_byte_table_equals_quote(text):
    assert auth._quote(text) == quote(text, safe="~")


@pytest.mark.parametrize("stamp", ["2011-13-01T00:00:00Z", "2011-08-18 08:07:00", "yesterday"])
def test_malformed_timestamps_are_expired_requests(api, tenant, stamp):
    answer = api.call("GetAccount", key=tenant.auditor, timestamp=stamp)
    assert answer.body == {"error": "RequestExpired",
                           "message": f"Request has expired. Timestamp date is {stamp}"}


def test_non_ascii_signature_does_not_match(client, tenant):
    params = {"action": "GetAccount", "access_key_id": tenant.auditor.access_key,
              "signature_method": "HmacSHA256", "signature_version": "2",
              "timestamp": time.strftime(auth.TIMESTAMP_FORMAT, time.gmtime()),
              "signature": "ü漢字"}
    answer = client.post("/api/", data=params)
    assert (answer.status_code, answer.get_json()["error"]) == (403, "SignatureDoesNotMatch")


def test_login_with_a_non_ascii_secret_fails_cleanly(api, tenant):
    answer = api.call("LoginWithAccessKey", access_key=tenant.auditor.access_key,
                      secret_key="ü" * 40)
    assert (answer.status, answer.body) == (401, {
        "error": "AuthFailure", "message": "Invalid access key or secret key"})


def _token_through(api, key: Key) -> str:
    answer = api.call("LoginWithAccessKey", access_key=key.access_key,
                      secret_key=key.secret_key)
    assert answer.status == 200
    return answer.body["token"]


def test_revoking_a_key_revokes_the_tokens_issued_through_it(api, tenant):
    token = _token_through(api, tenant.manager)
    assert api.call("GetAccount", token=token).status == 200
    revoked = api.call("RevokeAPIKey", key=tenant.admin, access_key=tenant.manager.access_key)
    assert revoked.status == 200
    answer = api.call("GetAccount", token=token)
    assert (answer.status, answer.body) == (401, {"error": "AuthFailure",
                                                  "message": "Token is no longer valid"})


def test_revoking_a_key_leaves_password_and_other_key_tokens_working(api, tenant):
    by_password = api.call("Login", email="manager@acme.example",
                           password="pw-manager").body["token"]
    second = api.call("CreateAPIKey", key=tenant.manager).body
    by_other_key = _token_through(api, Key(second["access_key"], second["secret_key"]))
    assert api.call("RevokeAPIKey", key=tenant.admin,
                    access_key=tenant.manager.access_key).status == 200
    assert api.call("GetAccount", token=by_password).status == 200
    assert api.call("GetAccount", token=by_other_key).status == 200


def test_revoking_a_computer_key_revokes_its_agent_tokens(api, tenant):
    with database.atomic():
        computer = Computer.create(account=tenant.account, title="Box", hostname="box")
        key = directory.issue_key(computer)
    token = _token_through(api, Key(key.access_key, key.secret_key))
    assert api.call("Ping", token=token).status == 200
    assert api.call("RevokeAPIKey", key=tenant.admin, access_key=key.access_key).status == 200
    answer = api.call("Ping", token=token)
    assert (answer.status, answer.error) == (401, "AuthFailure")
