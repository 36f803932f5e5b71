"""Person and key changes write their events, through the actions (the caller acts) and
through the CLI (no actor); bulk loads write none."""
from __future__ import annotations

import json

from app.models import Event

from .conftest import entry

ADMIN = "admin-acme"


def _person(user, action, username, name, details):
    streams = [f"user-{username}"] + ([f"user-{user}"] if user else []) + ["account-acme"]
    return entry(user, "person", action, f"person {username}", f"persons/{username}",
                 description=name, details=details, link_id=username, streams=streams)


def _key(user, action, access_key, username, name):
    streams = [f"key-{access_key}", f"user-{username}"] + (
        [f"user-{user}"] if user and user != username else []) + ["account-acme"]
    return entry(user, "key", action, f"key {access_key}", f"keys/{access_key}",
                 description=name, details={"person": username}, link_id=access_key,
                 streams=streams)


def test_create_edit_and_disable_a_person(api, tenant, logged):
    logged.mark()
    assert api.call("CreatePerson", key=tenant.admin, email="jane@acme.example", name="Jane",
                    role="manager", groups=["ops"]).status == 200
    assert api.call("EditPerson", key=tenant.admin, email="jane@acme.example",
                    name="Jane Doe", role="manager").status == 200
    assert api.call("DisablePerson", key=tenant.admin, email="jane@acme.example").status == 200
    assert logged() == [
        _person(ADMIN, "created", "jane", "Jane",
                {"role": "manager", "email": "jane@acme.example", "groups": ["ops"]}),
        _person(ADMIN, "edited", "jane", "Jane Doe", {"changed": {"name": "Jane Doe"}}),
        _person(ADMIN, "disabled", "jane", "Jane Doe", {"from": "enabled", "to": "disabled"})]


def test_an_edit_that_changes_nothing_and_a_second_disable_write_nothing(api, tenant, logged):
    api.call("DisablePerson", key=tenant.admin, email="auditor@acme.example")
    logged.mark()
    api.call("EditPerson", key=tenant.admin, email="manager@acme.example", role="manager")
    api.call("DisablePerson", key=tenant.admin, email="auditor@acme.example")
    assert logged() == []


def test_create_and_revoke_a_key(api, tenant, logged):
    logged.mark()
    created = api.call("CreateAPIKey", key=tenant.admin, email="manager@acme.example").body
    access = created["access_key"]
    assert api.call("RevokeAPIKey", key=tenant.admin, access_key=access).status == 200
    assert logged() == [_key(ADMIN, "created", access, "manager-acme", "Manager acme"),
                        _key(ADMIN, "revoked", access, "manager-acme", "Manager acme")]
    assert "secret" not in json.dumps(logged())


def test_cli_changes_have_no_actor(runner, tenant, logged):
    logged.mark()
    assert runner.invoke(args=["create-person", "--account", "acme", "--email",
                               "op@acme.example", "--name", "Op"]).exit_code == 0
    result = runner.invoke(args=["create-key", "--email", "op@acme.example"])
    access = json.loads(result.output)["access_key"]
    assert logged() == [
        _person(None, "created", "op", "Op",
                {"role": "auditor", "email": "op@acme.example", "groups": []}),
        _key(None, "created", access, "op", "Op")]


def test_bulk_loads_and_reads_write_no_event(api, runner, tenant):
    assert runner.invoke(args=["seed-demo", "--computers", "3", "--activities", "20",
                               "--account", "demo"]).exit_code == 0
    api.call("GetActivities", key=tenant.admin)
    api.call("GetComputers", key=tenant.admin)
    api.call("LoginWithAccessKey", access_key=tenant.admin.access_key,
             secret_key=tenant.admin.secret_key)
    assert Event.select().count() == 0
