"""A catalogue change made through the pkgdb2 dialect (``/pkgdb/api/``) writes the same events
as the same change made through the legacy action: two accounts with the same catalogue,
``acme`` changed by the legacy action and ``beta`` by pkgdb2, log the same events but for the
account's names and ids."""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any, Callable

import pytest
from werkzeug.datastructures import MultiDict

from app.models import AdminAction, Event

from ..catalogue.conftest import Catalogue

Form = list[tuple[str, str]]


@dataclass(frozen=True)
class Case:
    """One change: how to prepare each account, the legacy call, the pkgdb2 request."""

    name: str
    role: str
    action: str
    #: (tenant name, context) → the legacy arguments
    arguments: Callable[[str, dict], dict[str, Any]]
    #: (tenant name, context) → (path, form)
    request: Callable[[str, dict], tuple[str, Form]]
    setup: Callable[[Catalogue, str], dict] = lambda catalogue, tenant: {}


def _guake(catalogue: Catalogue, tenant: str) -> dict:
    guake = catalogue.package("guake", ("master", "f20"), poc=f"manager-{tenant}")
    catalogue.acl(guake, "f20", f"auditor-{tenant}", "watchbugzilla")
    return {"guake": guake}


def _tilda(status: str) -> Callable[[Catalogue, str], dict]:
    def setup(catalogue: Catalogue, tenant: str) -> dict:
        return {"tilda": catalogue.package("tilda", ("f20",), poc="orphan", status=status)}
    return setup


def _request(catalogue: Catalogue, tenant: str) -> dict:
    context = _guake(catalogue, tenant)
    context["request"] = catalogue.action("request.branch", f"manager-{tenant}", "el6",
                                          package=context["guake"], status="Pending")
    return context


NEW_COLLECTION = {"clt_name": "Fedora", "clt_status": "Active", "branchname": "f22",
                  "dist_tag": ".fc22", "kojiname": "f22"}
PAIRS = {"pkgnames": ["guake"], "branches": ["master", "f20"]}
PAIR_FORM = [("pkgnames", "guake"), ("branches", "master"), ("branches", "f20")]

CASES = [
    Case("collection created", "admin", "CreateCollection",
         lambda t, c: {**NEW_COLLECTION, "clt_version": "22"},
         lambda t, c: ("/collection/new/", [*NEW_COLLECTION.items(), ("version", "22")])),
    Case("collection status changed", "admin", "SetCollectionStatus",
         lambda t, c: {"branch": "f19", "clt_status": "EOL"},
         lambda t, c: ("/collection/f19/status/", [("clt_status", "EOL")])),
    Case("package created", "admin", "CreatePackage",
         lambda t, c: {"pkgname": "guake", "summary": "Terminal", "review_url": "1",
                       "status": "Approved", "branches": ["master", "f20"],
                       "poc": f"manager-{t}"},
         lambda t, c: ("/package/new/", [
             ("pkgname", "guake"), ("summary", "Terminal"), ("review_url", "1"),
             ("status", "Approved"), ("branches", "master"), ("branches", "f20"),
             ("poc", f"manager-{t}")])),
    Case("package edited", "admin", "EditPackage",
         lambda t, c: {"pkgname": "guake", "summary": "New"},
         lambda t, c: ("/package/edit/", [("pkgname", "guake"), ("summary", "New")]), _guake),
    Case("critpath changed", "admin", "SetPackageCritpath",
         lambda t, c: {**PAIRS, "critpath": True},
         lambda t, c: ("/package/critpath/", [*PAIR_FORM, ("critpath", "true")]), _guake),
    Case("monitoring changed", "manager", "SetPackageMonitoring",
         lambda t, c: {"pkgname": "guake", "status": "nobuild"},
         lambda t, c: ("/package/guake/monitor/nobuild", []), _guake),
    Case("koschei changed", "manager", "SetPackageKoschei",
         lambda t, c: {"pkgname": "guake", "status": True},
         lambda t, c: ("/package/guake/koschei/true", []), _guake),
    Case("orphaned", "manager", "OrphanPackages", lambda t, c: PAIRS,
         lambda t, c: ("/package/orphan/", PAIR_FORM), _guake),
    Case("retired", "manager", "RetirePackages",
         lambda t, c: {"pkgnames": ["guake"], "branches": ["master"]},
         lambda t, c: ("/package/retire/", [("pkgnames", "guake"), ("branches", "master")]),
         _guake),
    Case("unretired", "admin", "UnretirePackages",
         lambda t, c: {"pkgnames": ["tilda"], "branches": ["f20"]},
         lambda t, c: ("/package/unretire/", [("pkgnames", "tilda"), ("branches", "f20")]),
         _tilda("Retired")),
    Case("unorphaned", "manager", "UnorphanPackages",
         lambda t, c: {"pkgnames": ["tilda"], "branches": ["f20"], "poc": f"manager-{t}"},
         lambda t, c: ("/package/unorphan/", [("pkgnames", "tilda"), ("branches", "f20"),
                                              ("poc", f"manager-{t}")]),
         _tilda("Orphaned")),
    Case("reassigned", "manager", "ReassignPackages",
         lambda t, c: {**PAIRS, "poc": f"admin-{t}", "namespace": "rpms"},
         lambda t, c: ("/package/acl/reassign/", [*PAIR_FORM, ("poc", f"admin-{t}"),
                                                  ("namespace", "rpms")]), _guake),
    Case("acl set", "manager", "SetPackageACL",
         lambda t, c: {"pkgname": "guake", "branches": ["master", "f20"],
                       "acl": ["watchcommits"], "acl_status": "Approved", "user": f"admin-{t}"},
         lambda t, c: ("/package/acl/", [
             ("pkgname", "guake"), ("branches", "master"), ("branches", "f20"),
             ("acl", "watchcommits"), ("acl_status", "Approved"), ("user", f"admin-{t}")]),
         _guake),
    Case("admin action created", "manager", "RequestPackage",
         lambda t, c: {"pkgname": "tilix", "summary": "Tiling", "review_url": "1",
                       "branches": ["f21"]},
         lambda t, c: ("/request/package", [("pkgname", "tilix"), ("summary", "Tiling"),
                                            ("review_url", "1"), ("branches", "f21")])),
    Case("branch requested", "manager", "RequestBranch",
         lambda t, c: {"pkgname": "guake", "branches": ["el6"]},
         lambda t, c: ("/request/branch/guake", [("branches", "el6")]), _guake),
    Case("admin action status changed", "admin", "SetAdminActionStatus",
         lambda t, c: {"id": c["request"].id, "status": "Denied", "message": "No"},
         lambda t, c: ("/admin/action/status", [("id", str(c["request"].id)),
                                                ("status", "Denied"), ("message", "No")]),
         _request),
]


def _normalised(account_id: int, tenant: str) -> list[dict[str, Any]]:
    """The account's events, with its name as ``T`` and its admin action ids as ordinals."""
    ordinals = {action.id: n for n, action in enumerate(
        AdminAction.select().where(AdminAction.account == account_id).order_by(AdminAction.id))}
    shown = []
    for e in Event.select().where(Event.account == account_id).order_by(Event.id):
        text = json.dumps([e.actor, e.type, e.action, e.target, e.topic, e.description,
                           e.preposition, e.details, e.link, e.streams, e.followers])
        for action_id, n in ordinals.items():
            for form in ("admin action {}", "admin_actions/{}", "admin_action-{}"):
                text = text.replace(form.format(action_id), form.format(f"#{n}"))
            text = text.replace(f'"id": {action_id}}}', f'"id": "#{n}"}}')
        shown.append(json.loads(text.replace(tenant, "T")))
    return shown


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_pkgdb2_dialect_writes_the_events_of_the_legacy_action(api, client, make_tenant,
                                                                   case):
    tenants = {name: make_tenant(name) for name in ("acme", "beta")}
    contexts = {}
    for name, tenant in tenants.items():
        catalogue = Catalogue(tenant).standard()
        contexts[name] = case.setup(catalogue, name)

    legacy = api.call(case.action, key=tenants["acme"].keys[case.role],
                      **case.arguments("acme", contexts["acme"]))
    assert legacy.status == 200, legacy.body
    path, form = case.request("beta", contexts["beta"])
    pair = base64.b64encode(f"{case.role}@beta.example:pw-{case.role}".encode()).decode()
    answer = client.post("/pkgdb/api" + path, data=MultiDict(form),
                         headers={"Authorization": f"Basic {pair}"})
    assert (answer.status_code, answer.get_json()["output"]) == (200, "ok"), answer.get_json()

    written = _normalised(tenants["acme"].account.id, "acme")
    assert written and written == _normalised(tenants["beta"].account.id, "beta")
