"""A signature covers every value an action receives (issue 11, finding 1).

A request signed over ``computer_ids.1=170`` must not also remove computer 171 when
someone who saw it adds ``computer_ids.1=171`` in front: a name given twice is refused
before the action runs, and the canonical string is computed from every pair received.
"""
from __future__ import annotations

import time
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from app import auth, gateway
from app.models import Computer

from ..conftest import Key

pytestmark = pytest.mark.usefixtures("app")


def _signed(key: Key, action: str, arguments: list[tuple[str, str]], *,
            method: str = "POST") -> list[tuple[str, str]]:
    """The pairs a signer sends: ``arguments``, the transport and the signature over both."""
    pairs = [*arguments, ("action", action), ("version", "2011-08-01"),
             ("access_key_id", key.access_key), ("signature_method", "HmacSHA256"),
             ("signature_version", "2"),
             ("timestamp", time.strftime(auth.TIMESTAMP_FORMAT, time.gmtime()))]
    return [*pairs, ("signature", auth.sign(key.secret_key, method, "localhost", "/api/",
                                            pairs))]


def _send(client, pairs: list[tuple[str, str]], *, method: str = "POST"):
    if method == "POST":
        return client.post("/api/", data=urlencode(pairs),
                           content_type="application/x-www-form-urlencoded")
    return client.get("/api/?" + urlencode(pairs))


@pytest.fixture
def computers(tenant, make_computer):
    return [make_computer(tenant.account, f"host{n}", tags=["web"]) for n in range(3)]


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_a_list_item_placed_before_the_signed_one_is_refused_and_nothing_is_removed(
        client, tenant, computers, method):
    signed_id, other_id = computers[0].id, computers[1].id
    pairs = _signed(tenant.admin, "RemoveComputers", [("computer_ids.1", str(signed_id))],
                    method=method)
    answer = _send(client, [("computer_ids.1", str(other_id)), *pairs], method=method)
    assert answer.status_code == 400
    assert answer.get_json() == {
        "error": "InvalidParameterValue",
        "message": f"Invalid computer_ids.1 value {signed_id}: given more than once"}
    assert Computer.select().count() == 3


def test_a_repeated_tag_item_is_refused(client, tenant, computers):
    pairs = _signed(tenant.manager, "AddTagsToComputers",
                    [("query", f"id:{computers[0].id}"), ("tags.1", "safe")])
    answer = _send(client, [("tags.1", "evil"), *pairs])
    assert answer.get_json() == {"error": "InvalidParameterValue",
                                 "message": "Invalid tags.1 value safe: given more than once"}


def test_a_repeated_mapping_key_is_refused(client, tenant, computers):
    key = f"computer_titles.{computers[0].id}"
    pairs = _signed(tenant.admin, "RenameComputers", [(key, "signed")])
    answer = _send(client, [(key, "forged"), *pairs])
    assert answer.status_code == 400
    assert answer.get_json() == {"error": "InvalidParameterValue",
                                 "message": f"Invalid {key} value signed: given more than once"}
    assert Computer.get_by_id(computers[0].id).title == "host0"


def test_a_repeated_scalar_is_refused(client, tenant, computers):
    pairs = _signed(tenant.manager, "AddTagsToComputers",
                    [("query", f"id:{computers[0].id}"), ("tags.1", "safe")])
    answer = _send(client, [("query", "tag:web"), *pairs])
    assert answer.get_json() == {
        "error": "InvalidParameterValue",
        "message": f"Invalid query value id:{computers[0].id}: given more than once"}


def test_a_repeated_transport_parameter_is_refused(client, tenant):
    pairs = _signed(tenant.admin, "GetComputers", [])
    answer = _send(client, [("action", "RemoveComputers"), *pairs])
    assert answer.get_json() == {"error": "InvalidParameterValue",
                                 "message": "Invalid action value RemoveComputers: "
                                            "given more than once"}


def test_an_unsigned_bare_list_value_does_not_match_the_signature(client, tenant, computers):
    pairs = _signed(tenant.admin, "RemoveComputers", [("computer_ids", str(computers[0].id))])
    answer = _send(client, [("computer_ids", str(computers[1].id)), *pairs])
    assert answer.status_code == 403
    assert answer.get_json()["error"] == "SignatureDoesNotMatch"
    assert Computer.select().count() == 3


def test_a_bare_list_signed_over_every_pair_is_accepted(client, tenant, computers):
    ids = [str(computers[0].id), str(computers[1].id)]
    pairs = _signed(tenant.admin, "RemoveComputers", [("computer_ids", i) for i in ids])
    answer = _send(client, pairs)
    assert answer.status_code == 200
    assert sorted(answer.get_json()) == sorted(map(int, ids))


def test_reordering_a_bare_list_does_not_match_the_signature(client, tenant, computers):
    ids = [str(computers[0].id), str(computers[1].id)]
    arguments = [("computer_ids", i) for i in ids]
    pairs = _signed(tenant.admin, "RemoveComputers", arguments)
    answer = _send(client, [*reversed(arguments), *pairs[2:]])
    assert answer.get_json()["error"] == "SignatureDoesNotMatch"


def test_canonical_query_of_a_mapping_is_the_official_clients():
    params = {"b": "2", "a": "x y", "signature": "ignored"}
    assert auth.canonical_query(params) == "a=x%20y&b=2"
    assert auth.canonical_query(list(params.items())) == "a=x%20y&b=2"


# --- the property: whatever the server accepts, the signature covered -------------------

#: names an attacker adds besides those of the signed request itself
_MORE_NAMES = ["computer_ids", "computer_ids.2", "tags", "tags.2", "query", "limit",
               "computer_titles.2"]
_VALUES = st.sampled_from(["1", "2", "3", "web", "id:1", "true", "x"])
_BASES = st.sampled_from([
    ("GetComputers", "auditor", [("query", "tag:web"), ("limit", "2")]),
    ("AddTagsToComputers", "manager", [("query", "tag:web"), ("tags.1", "a")]),
    ("RemoveTagsFromComputers", "manager", [("query", "id:1"), ("tags", "a"), ("tags", "b")]),
    ("RenameComputers", "admin", [("computer_titles.1", "one")]),
    ("RemoveComputers", "admin", [("computer_ids.1", "3")]),
])


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(base=_BASES, extra=st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20), _VALUES),
                                   min_size=1, max_size=3),
       method=st.sampled_from(["POST", "GET"]))
def test_every_pair_an_accepted_request_hands_the_action_was_signed(
        client, tenant, computers, monkeypatch, base, extra, method):
    action, role, arguments = base
    signed: list[str] = []
    seen: list[list[tuple[str, str]]] = []
    real_canonical, real_decode = auth.canonical_query, gateway.decode_arguments

    def record_canonical(params):
        signed.append(real_canonical(params))
        return signed[-1]

    def record_decode(schema, pairs):
        seen.append(list(pairs))
        return real_decode(schema, pairs)

    monkeypatch.setattr(auth, "canonical_query", record_canonical)
    monkeypatch.setattr(gateway, "decode_arguments", record_decode)
    pairs = _signed(tenant.keys[role], action, arguments, method=method)
    signed.clear()
    names = [name for name, _ in pairs if name != "signature"] + _MORE_NAMES
    for position, which, value in extra:
        pairs.insert(position, (names[which % len(names)], value))
    answer = _send(client, pairs, method=method)
    if answer.status_code == 200:
        assert len(seen) == 1 and signed
        canonical = signed[-1].split("&")
        received = [auth.canonical_query([pair]) for pair in seen[0]]
        for pair in set(received):
            assert received.count(pair) <= canonical.count(pair)
