"""Package and branch requests, admin actions and their approval side effects."""
from __future__ import annotations

import time

import pytest

from app.models import AdminAction, Collection, Package

from .conftest import T0, acl_states, listing_state, log_lines

FOUR = ("commit", "watchbugzilla", "watchcommits", "approveacls")


@pytest.fixture
def packager2(catalogue):
    return catalogue.person("packager2")


def _request(api, key, **overrides):
    arguments = {"pkgname": "tilix", "summary": "Tiling terminal", "review_url": "1234",
                 "branches": ["f21", "el6"], "upstream_url": "https://gnunn1.github.io/tilix"}
    arguments.update(overrides)
    return api.call("RequestPackage", key=key, **arguments)


def test_package_request_creates_one_action_per_branch_with_master_last(api, tenant,
                                                                         catalogue):
    answer = _request(api, tenant.manager)
    assert (answer.status, answer.body) == (200, {"messages": [
        "user: manager-acme request package: tilix on branch f21",
        "user: manager-acme request package: tilix on branch el6",
        "user: manager-acme request package: tilix on branch master"]})
    actions = list(AdminAction.select().order_by(AdminAction.id))
    assert [(a.action, a.user, a.status, a.package, a.collection.branchname) for a in actions] \
        == [("request.package", "manager-acme", "Awaiting Review", None, b)
            for b in ("f21", "el6", "master")]
    assert actions[0].info == {
        "pkg_name": "tilix", "pkg_summary": "Tiling terminal", "pkg_description": None,
        "pkg_status": "Approved", "pkg_collection": "f21", "pkg_poc": "manager-acme",
        "pkg_review_url": "https://bugzilla.redhat.com/1234",
        "pkg_upstream_url": "https://gnunn1.github.io/tilix", "pkg_critpath": False,
        "pkg_namespace": "rpms", "monitoring_status": True, "koschei": False,
        "co-maintainers": []}
    assert len(log_lines(tenant.account)) == 3


@pytest.mark.parametrize(("overrides", "status", "body"), [
    ({"branches": ["f19", "f17"]}, 400, {
        "error": "InvalidParameterValue",
        "message": "branches: 'f19' is not a valid choice for this field\n"
                   "branches: 'f17' is not a valid choice for this field"}),
    ({"pkgname": "guake"}, 409, {"error": "DuplicatePackage",
                                 "message": "There is already a package named: rpms/guake"}),
    ({"namespace": "modules"}, 400, {
        "error": "InvalidParameterValue",
        "message": "f21, el6 not allowed by namespace policy modules: master"}),
    ({"review_url": None}, 400, {"error": "MissingParameter",
                                 "message": "The request must contain the parameter "
                                            "review_url"}),
])
def test_package_request_refusals(api, tenant, catalogue, overrides, status, body):
    catalogue.package("guake", ["master"])
    arguments = {k: v for k, v in overrides.items() if v is not None}
    if "review_url" in overrides:
        answer = api.call("RequestPackage", key=tenant.manager, pkgname="tilix", summary="x",
                          branches=["f21"])
    else:
        answer = _request(api, tenant.manager, **arguments)
    assert (answer.status, answer.body) == (status, body)
    assert AdminAction.select().count() == 0


def test_package_request_needs_a_master_branch_and_a_packager(api, tenant, empty_catalogue):
    empty_catalogue.collection("f20", version="20", status="Under Development")
    answer = _request(api, tenant.manager, branches=["f20"])
    assert (answer.status, answer.body) == (404, {"error": "UnknownCollection",
                                                  "message": "Branch master not found"})
    outsider = empty_catalogue.person("outsider", groups=())
    answer = _request(api, outsider, branches=["f20"])
    assert (answer.status, answer.body["message"]) == (
        403, 'User "outsider" is not in the packager group')


def test_approving_a_package_request_creates_the_package_for_the_requester(api, tenant,
                                                                         catalogue):
    _request(api, tenant.manager, monitoring_status="nobuild", koschei=True)
    master = AdminAction.get(AdminAction.collection == catalogue.collections["master"])
    answer = api.call("SetAdminActionStatus", key=tenant.admin, id=master.id,
                      status="Approved")
    f21 = AdminAction.get(AdminAction.collection == catalogue.collections["f21"])
    assert (answer.status, answer.body) == (200, {"messages": [
        f"user: admin-acme updated action: {master.id} of tilix from `Awaiting Review` to "
        "`Approved`",
        f"user: admin-acme updated action: {f21.id} of tilix from `Awaiting Review` to "
        "`Approved`"]})
    tilix = Package.get(Package.name == "tilix")
    assert (tilix.summary, tilix.review_url, tilix.monitor, tilix.koschei_monitor) == (
        "Tiling terminal", "https://bugzilla.redhat.com/1234", "nobuild", True)
    for branch in ("master", "f21"):
        assert listing_state(tilix, branch) == ("manager-acme", "Approved")
        assert acl_states(tilix, branch) == {("manager-acme", acl): "Approved" for acl in FOUR}
    statuses = {a.collection.branchname: (a.status, a.package_id)
                for a in AdminAction.select()}
    assert statuses == {"master": ("Approved", tilix.id), "f21": ("Approved", tilix.id),
                        "el6": ("Awaiting Review", None)}


def test_blocking_or_denying_needs_a_message(api, tenant, catalogue):
    _request(api, tenant.manager)
    action = AdminAction.select().first()
    answer = api.call("SetAdminActionStatus", key=tenant.admin, id=action.id, status="Denied")
    assert (answer.status, answer.body) == (400, {
        "error": "MissingParameter",
        "message": "The request must contain the parameter message: You must provide a "
                   "message explaining why when you block or deny a request"})
    answer = api.call("SetAdminActionStatus", key=tenant.admin, id=action.id, status="Denied",
                      message="Not free software")
    assert answer.body == {"messages": [
        f"user: admin-acme updated action: {action.id} of tilix from `Awaiting Review` to "
        "`Denied` with message: Not free software"]}
    assert AdminAction.get_by_id(action.id).message == "Not free software"
    again = api.call("SetAdminActionStatus", key=tenant.admin, id=action.id, status="Denied",
                     message="again")
    assert again.body == {"messages": ["Nothing to change."]}


def test_only_the_requester_makes_a_request_obsolete(api, tenant, catalogue):
    _request(api, tenant.manager)
    action = AdminAction.select().first()
    answer = api.call("SetAdminActionStatus", key=tenant.admin, id=action.id,
                      status="Obsolete")
    assert (answer.status, answer.body) == (403, {
        "error": "Unauthorised", "message": "Only the person having made the request can "
                                            "change its status to obsolete"})
    answer = api.call("SetAdminActionStatus", key=tenant.manager, id=action.id,
                      status="Obsolete")
    assert answer.status == 200
    assert AdminAction.get_by_id(action.id).message == ""


def test_requesters_cannot_approve_their_own_package_requests(api, tenant, catalogue):
    _request(api, tenant.manager)
    action = AdminAction.select().first()
    answer = api.call("SetAdminActionStatus", key=tenant.manager, id=action.id,
                      status="Approved")
    assert (answer.status, answer.body) == (403, {
        "error": "Unauthorised",
        "message": "You are not allowed to change the status of this admin action"})
    assert api.call("SetAdminActionStatus", key=tenant.manager, id=action.id,
                    status="Pending").status == 200


def test_unknown_and_foreign_admin_actions(api, tenant, catalogue, make_tenant):
    _request(api, tenant.manager)
    action = AdminAction.select().first()
    other = make_tenant("other")
    for key, action_id in ((tenant.admin, 999), (other.admin, action.id)):
        answer = api.call("SetAdminActionStatus", key=key, id=action_id, status="Approved")
        assert (answer.status, answer.body) == (404, {
            "error": "UnknownAdminAction",
            "message": "No Admin action with this identifier found"})
        assert api.call("GetAdminAction", key=key, actionid=action_id).status == 404


@pytest.fixture
def guake(catalogue):
    """guake on master and f20; manager-acme is its package admin."""
    return catalogue.package("guake", ["master", "f20"])


def test_a_package_admin_gets_fedora_branches_at_once(api, tenant, catalogue, guake):
    answer = api.call("RequestBranch", key=tenant.manager, pkgname="guake",
                      branches=["f21", "el6"])
    assert (answer.status, answer.body) == (200, {"messages": [
        "Branch f21 created for user manager-acme",
        "Branch el6 requested for user manager-acme"]})
    assert listing_state(guake, "f21") == ("manager-acme", "Approved")
    assert acl_states(guake, "f21") == {("manager-acme", acl): "Approved" for acl in FOUR}
    statuses = {a.collection.branchname: a.status for a in AdminAction.select()}
    assert statuses == {"f21": "Approved", "el6": "Awaiting Review"}


def test_branch_request_then_approval_by_a_package_admin(api, tenant, catalogue, guake,
                                                         packager2):
    answer = api.call("RequestBranch", key=packager2, pkgname="guake", branches=["el6"])
    assert answer.body == {"messages": ["Branch el6 requested for user packager2"]}
    again = api.call("RequestBranch", key=packager2, pkgname="guake", branches=["el6"])
    assert again.status == 200 and AdminAction.select().count() == 1
    action = AdminAction.get()
    assert action.status == "Pending"
    answer = api.call("SetAdminActionStatus", key=tenant.manager, id=action.id,
                      status="Approved")
    assert answer.body == {"messages": [
        f"user: manager-acme updated action: {action.id} of guake from `Pending` to "
        "`Approved`"]}
    assert listing_state(guake, "el6") == ("packager2", "Approved")
    assert acl_states(guake, "el6")[("packager2", "approveacls")] == "Approved"


def test_branch_request_refusals(api, tenant, catalogue, guake):
    answer = api.call("RequestBranch", key=tenant.manager, pkgname="guake",
                      branches=["f20", "f17"])
    assert (answer.status, answer.body) == (400, {
        "error": "InvalidParameterValue",
        "message": "branches: 'f20' is not a valid choice for this field\n"
                   "branches: 'f17' is not a valid choice for this field"})
    answer = api.call("RequestBranch", key=tenant.manager, pkgname="nope", branches=["f21"])
    assert (answer.status, answer.body) == (404, {"error": "UnknownPackage",
                                                  "message": "No package found: rpms/nope"})


def test_branch_requests_follow_the_namespace_policy(api, tenant, catalogue):
    catalogue.package("mod", ["master"], namespace="modules")
    answer = api.call("RequestBranch", key=tenant.manager, pkgname="mod", namespace="modules",
                      branches=["f21"])
    assert (answer.status, answer.body) == (400, {
        "error": "InvalidParameterValue",
        "message": "Branch f21 not in policy master, namespace modules"})


@pytest.fixture
def queue(catalogue, guake):
    """Four actions: an old Pending branch request (reads Awaiting Review), a fresh Pending
    one, a denied package request and an approved unretire request."""
    old, now = T0, float(int(time.time()))
    return [catalogue.action("request.branch", "packager2", "f21", package=guake,
                             status="Pending", date_created=old),
            catalogue.action("request.branch", "manager-acme", "el6", package=guake,
                             status="Pending", date_created=now),
            catalogue.action("request.package", "packager2", "master", status="Denied",
                             info={"pkg_name": "tilix"}, date_created=old + 10),
            catalogue.action("request.unretire", "admin-acme", "f20", package=guake,
                             status="Approved", date_created=old + 20)]


def _ids(answer) -> list[int]:
    return [a["id"] for a in answer.body["actions"]]


def test_admin_actions_are_listed_oldest_first_with_shown_status(api, tenant, queue):
    answer = api.call("GetAdminActions", key=tenant.auditor)
    assert answer.status == 200
    assert _ids(answer) == [queue[0].id, queue[2].id, queue[3].id, queue[1].id]
    assert [a["status"] for a in answer.body["actions"]] == [
        "Awaiting Review", "Denied", "Approved", "Pending"]
    assert (answer.body["page"], answer.body["page_total"]) == (1, 1)


@pytest.mark.parametrize(("arguments", "expected"), [
    ({"status": "Awaiting Review"}, [0]),
    ({"status": "Pending"}, [1]),
    ({"status": "all"}, [0, 2, 3, 1]),
    ({"packager": "packager2"}, [0, 2]),
    ({"action_type": "request.unretire"}, [3]),
    ({"package": "guake"}, [0, 3, 1]),
    ({"package": "guake", "namespace": "docker"}, []),
    ({"package": "tilix"}, []),
    ({"query": "user:packager2 action:request.branch"}, [0]),
    ({"query": 'status:"awaiting review" OR status:denied'}, [0, 2]),
    ({"query": "branch:el* OR package:gu*"}, [0, 3, 1]),
    ({"query": "tilix"}, [2]),
    ({"limit": 2, "page": 2}, [3, 1]),
])
def test_admin_action_filters(api, tenant, queue, arguments, expected):
    answer = api.call("GetAdminActions", key=tenant.auditor, **arguments)
    assert answer.status == 200, answer.body
    assert _ids(answer) == [queue[i].id for i in expected]


def test_admin_action_by_id(api, tenant, queue):
    answer = api.call("GetAdminAction", key=tenant.auditor, actionid=queue[0].id)
    body = answer.body
    assert body["collection"]["branchname"] == "f21"
    assert body["package"]["name"] == "guake" and body["package"]["acls"] == []
    del body["collection"], body["package"]
    assert body == {"id": queue[0].id, "action": "request.branch", "user": "packager2",
                    "status": "Awaiting Review", "from_collection": None, "info": {},
                    "message": None, "date_created": T0, "date_updated": T0}
    answer = api.call("GetAdminAction", key=tenant.auditor, actionid="x")
    assert (answer.status, answer.error) == (400, "InvalidParameterValue")


def test_catalogue_log_is_newest_first_and_filtered(api, tenant, catalogue, guake):
    api.call("SetPackageKoschei", key=tenant.manager, pkgname="guake", status=True)
    api.call("OrphanPackages", key=tenant.admin, pkgnames=["guake"], branches=["f20"])
    answer = api.call("GetCatalogueLog", key=tenant.auditor)
    logs = answer.body["logs"]
    assert [(line["user"], line["package"]) for line in logs] == [
        ("admin-acme", "rpms/guake"), ("manager-acme", "rpms/guake")]
    assert logs[1]["description"] == "Koschei monitoring status of rpms/guake set to True"
    answer = api.call("GetCatalogueLog", key=tenant.auditor, query="user:manager-acme")
    assert len(answer.body["logs"]) == 1
    answer = api.call("GetCatalogueLog", key=tenant.auditor, limit=1, offset=1)
    assert answer.body["logs"][0]["user"] == "manager-acme"
    answer = api.call("GetCatalogueLog", key=tenant.auditor, query="package:gu* orphan")
    assert [line["user"] for line in answer.body["logs"]] == ["admin-acme"]
    assert Collection.select().count() == 6
