"""The one path every front end takes to an action (app.invocation.perform): the legacy
endpoint keeps its wire (dialect-only options stay unknown there, results keep their
shape), and the extras a dialect asks for come from the actions."""
from __future__ import annotations

from actions.activities import GetActivities
from actions.base import ExtendedResult
from app.auth import Caller
from app.invocation import perform


def test_dialect_only_options_are_unknown_on_the_legacy_wire(api, tenant, fleet):
    cancel = api.call("CancelActivities", key=tenant.manager,
                      activity_ids=[fleet.waiting])
    assert (cancel.status, cancel.body["error"]) == (400, "UnknownParameter")
    login = api.call("Login", email="admin@acme.example", password="pw-admin",
                     account="acme")
    assert login.body == {"error": "UnknownParameter",
                          "message": "The parameter account is not recognized"}


def test_legacy_results_keep_their_shape(api, tenant, fleet):
    login = api.call("Login", email="admin@acme.example", password="pw-admin")
    assert sorted(login.body) == ["account", "email", "expires", "name", "token"]
    page = api.call("GetActivities", key=tenant.auditor, limit=1)
    assert isinstance(page.body, list) and "children" not in page.body[0]


def test_a_dialect_gets_the_extras_it_asks_for(app, tenant, fleet):
    def caller() -> Caller:
        return Caller(account=tenant.account, person=tenant.persons["auditor"])

    with app.test_request_context("/"):
        plain = perform(GetActivities, caller, lambda schema: schema.load({"limit": "2"}),
                        version="2011-08-01")
        extended = perform(GetActivities, caller, lambda schema: schema.load({"limit": "2"}),
                           version="2011-08-01", extras={"count", "children"}, extended=True)
    assert [item["id"] for item in plain] == [fleet.held, fleet.waiting]
    assert isinstance(extended, ExtendedResult)
    assert extended.count == 7
    assert [item["id"] for item in extended.value] == [fleet.held, fleet.waiting]
    assert extended.children == {}
