"""No input may produce an HTTP 500: every registered action, every declared argument, odd values.

The cases are generated from the registry, so actions added later are covered too.
"""
from __future__ import annotations

import pytest
from peewee import OperationalError

import actions  # noqa: F401  (fills the registry)
from actions.registry import ACTIONS
from app import directory
from app.models import Computer, database

from ..conftest import Key

ODD_VALUES = ("", " ", "-1", "0", "99999999999999999999999", "1e309", "true", "null",
              "ü\u202e漢字", "%_\\*?", "a" * 5000, "id:1", "computer:(", "\"", "2011-13-45",
              "0001-01-01T00:00+05:00",
              "x$$not-base64")
ODD_NAME_SUFFIXES = (".1", ".0", ".x", ".key")


def _agent_key(tenant) -> Key:
    with database.atomic():
        computer = Computer.create(account=tenant.account, title="Agent", hostname="agent")
        key = directory.issue_key(computer)
    return Key(key.access_key, key.secret_key)


def _key_for(action, tenant, agent_key):
    if action.role == "public":
        return None
    return agent_key if action.role == "agent" else tenant.admin


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_odd_argument_values_never_cause_a_server_error(api, tenant, name):
    action = ACTIONS[name]
    key = _key_for(action, tenant, _agent_key(tenant))
    parameters = [field.data_key or field_name
                  for field_name, field in action.args_schema.fields.items()]
    for parameter in parameters or ["anything"]:
        for value in ODD_VALUES:
            for wire_name in (parameter, parameter + ".1"):
                answer = api.call_with(name, {wire_name: value}, key=key)
                assert answer.status < 500, (name, wire_name, value, answer.body)
                if answer.status != 200:
                    assert set(answer.body) >= {"error", "message"}, answer.body


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_odd_argument_names_are_rejected_cleanly(api, tenant, name):
    action = ACTIONS[name]
    key = _key_for(action, tenant, _agent_key(tenant))
    for suffix in ODD_NAME_SUFFIXES:
        answer = api.call_with(name, {"query" + suffix: "x", "zz" + suffix: "y"}, key=key)
        assert 400 <= answer.status < 500, (name, suffix, answer.body)
        assert set(answer.body) >= {"error", "message"}


def test_healthz_is_503_when_the_store_does_not_answer(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("unable to open database file")

    monkeypatch.setattr(database.obj, "execute_sql", broken)
    answer = client.get("/healthz")
    assert (answer.status_code, answer.get_json()) == (503, {
        "error": "StoreUnavailable",
        "message": "The service is unavailable: the store does not answer. Retry later."})
