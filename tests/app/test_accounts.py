"""Persons, keys and account settings; per-account isolation."""
from __future__ import annotations

from app.models import ApiKey


def test_create_person_returns_its_wire_shape(api, tenant):
    answer = api.call("CreatePerson", key=tenant.admin, email="Zoe@Acme.example",
                      name="Zoe", role="manager", groups=["packager", "gtk-sig"])
    assert answer.status == 200
    assert {k: v for k, v in answer.body.items() if k != "id"} == {
        "email": "Zoe@Acme.example", "name": "Zoe", "username": "Zoe", "role": "manager",
        "groups": ["gtk-sig", "packager"], "disabled": False}


def test_duplicate_email_is_a_409_in_any_case(api, tenant):
    answer = api.call("CreatePerson", key=tenant.admin, email="MANAGER@acme.example",
                      name="Dup", username="dup")
    assert (answer.status, answer.error) == (409, "DuplicatePerson")


def test_invalid_role_is_refused(api, tenant):
    answer = api.call("CreatePerson", key=tenant.admin, email="x@acme.example", name="X",
                      role="root")
    assert answer.status == 400
    assert answer.body["message"].startswith("Invalid role value root")


def test_edit_person_changes_role_and_groups(api, tenant):
    answer = api.call("EditPerson", key=tenant.admin, email="auditor@acme.example",
                      role="manager", groups=["packager"])
    assert (answer.body["role"], answer.body["groups"]) == ("manager", ["packager"])


def test_create_api_key_for_self_with_any_role(api, tenant):
    answer = api.call("CreateAPIKey", key=tenant.auditor)
    assert answer.status == 200 and set(answer.body) == {"access_key", "secret_key"}
    assert api.call("GetAccount", key=type(tenant.auditor)(**answer.body)).status == 200


def test_create_api_key_for_others_needs_admin(api, tenant):
    answer = api.call("CreateAPIKey", key=tenant.manager, email="auditor@acme.example")
    assert (answer.status, answer.error) == (403, "Unauthorised")
    answer = api.call("CreateAPIKey", key=tenant.admin, email="auditor@acme.example")
    assert answer.status == 200


def test_revoke_api_key(api, tenant):
    answer = api.call("RevokeAPIKey", key=tenant.admin, access_key=tenant.auditor.access_key)
    assert answer.body == {"access_key": tenant.auditor.access_key, "revoked": True}
    assert api.call("GetAccount", key=tenant.auditor).error == "InvalidCredentials"


def test_set_account_settings(api, tenant):
    answer = api.call("SetAccountSettings", key=tenant.admin, require_approval=True)
    assert answer.body == {"name": "acme", "title": "Acme", "require_approval": True}


def test_set_account_settings_needs_a_change(api, tenant):
    assert api.call("SetAccountSettings", key=tenant.admin).error == "InvalidParameterValue"


# --- isolation ----------------------------------------------------------------------------

def test_persons_of_another_account_are_invisible(api, make_tenant):
    acme, other = make_tenant("acme"), make_tenant("other")
    emails = {p["email"] for p in api.call("GetPersons", key=acme.manager).body}
    assert emails == {"admin@acme.example", "manager@acme.example", "auditor@acme.example"}
    for action, args in (("EditPerson", {"email": "auditor@other.example", "name": "X"}),
                         ("DisablePerson", {"email": "auditor@other.example"}),
                         ("CreateAPIKey", {"email": "auditor@other.example"})):
        foreign = api.call(action, key=acme.admin, **args)
        missing = api.call(action, key=acme.admin,
                           **{**args, "email": "ghost@nowhere.example"})
        assert (foreign.status, foreign.body) == (404, {
            "error": "UnknownPerson", "message": "Unknown person 'auditor@other.example'"})
        assert (missing.status, missing.error) == (404, "UnknownPerson")
    assert api.call("GetAccount", key=other.auditor).status == 200


def test_keys_of_another_account_cannot_be_revoked(api, make_tenant):
    acme, other = make_tenant("acme"), make_tenant("other")
    answer = api.call("RevokeAPIKey", key=acme.admin, access_key=other.auditor.access_key)
    assert (answer.status, answer.error) == (404, "UnknownAPIKey")
    assert not ApiKey.get(ApiKey.access_key == other.auditor.access_key).revoked


def test_an_email_of_another_account_is_a_409(api, make_tenant):
    """E-mails are unique across accounts (README "Security decisions"): one e-mail logs
    in to one account."""
    acme, _ = make_tenant("acme"), make_tenant("other")
    answer = api.call("CreatePerson", key=acme.admin, email="Auditor@Other.example",
                      name="Dup", username="dup")
    assert (answer.status, answer.body) == (409, {
        "error": "DuplicatePerson",
        "message": "A person with e-mail Auditor@Other.example already exists"})
