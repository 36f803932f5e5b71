"""SetPackageACL: requests, approvals by a package admin, self-service rules, refusals."""
from __future__ import annotations

import pytest

from .conftest import acl_states, log_lines


@pytest.fixture
def guake(catalogue):
    """guake on master and f20, POC manager-acme (a package admin there)."""
    return catalogue.package("guake", ["master", "f20"])


@pytest.fixture
def packager2(catalogue):
    return catalogue.person("packager2")


def _set(api, key, acl=("commit",), branches=("f20",), status="Awaiting Review",
         user="packager2", **arguments):
    return api.call("SetPackageACL", key=key, pkgname="guake", branches=list(branches),
                    acl=list(acl), acl_status=status, user=user, **arguments)


def test_acl_request_then_approval_by_a_package_admin(api, tenant, guake, packager2):
    answer = _set(api, packager2)
    assert (answer.status, answer.body) == (200, {"messages": [
        "user: packager2 set for packager2 acl: commit of package: guake from:  to: "
        "Awaiting Review on branch: f20"]})
    answer = _set(api, tenant.manager, status="Approved")
    assert answer.body == {"messages": [
        "user: manager-acme set for packager2 acl: commit of package: guake from: Awaiting "
        "Review to: Approved on branch: f20"]}
    assert acl_states(guake, "f20")[("packager2", "commit")] == "Approved"
    assert len(log_lines(tenant.account)) == 2


def test_watch_acls_are_approved_at_once(api, tenant, guake, packager2):
    answer = _set(api, packager2, acl=["watchcommits", "watchbugzilla", "commit"],
                  branches=["master", "f20"])
    assert answer.body["messages"] == [
        f"user: packager2 set for packager2 acl: {acl} of package: guake from:  to: {status} "
        f"on branch: {branch}"
        for branch in ("master", "f20")
        for acl, status in (("watchcommits", "Approved"), ("watchbugzilla", "Approved"),
                            ("commit", "Awaiting Review"))]


def test_unchanged_acls_say_nothing_to_update(api, tenant, guake, packager2):
    _set(api, packager2)
    answer = _set(api, packager2, acl=["commit", "watchcommits"])
    assert answer.body == {"messages": [
        "Nothing to update on branch: f20 for acl: commit",
        "user: packager2 set for packager2 acl: watchcommits of package: guake from:  to: "
        "Approved on branch: f20"]}


def test_anyone_removes_or_obsoletes_their_own_acls(api, tenant, guake, packager2,
                                                    catalogue):
    catalogue.acl(guake, "f20", "packager2", "commit")
    answer = _set(api, packager2, status="Obsolete")
    assert answer.body["messages"] == [
        "user: packager2 set for packager2 acl: commit of package: guake from: Approved to: "
        "Obsolete on branch: f20"]


@pytest.mark.parametrize(("caller", "arguments", "message"), [
    ("packager2", {"status": "Approved"},
     "You are not allowed to approve or deny ACLs for yourself."),
    ("packager2", {"user": "manager-acme", "status": "Obsolete"},
     "You are not allowed to update ACLs of someone else."),
    ("packager2", {"user": "group::gtk-sig", "acl": ["watchcommits"]},
     "You are not allowed to update ACLs of someone else."),
    ("admin", {"user": "group::gtk-sig", "acl": ["approveacls"], "status": "Approved"},
     'Groups cannot have "approveacls".'),
    ("manager", {"user": "manager-acme", "acl": ["watchcommits"], "status": "Removed"},
     "You cannot remove `Watch*` ACLs from the Point of Contact."),
])
def test_acl_refusals(api, tenant, guake, packager2, caller, arguments, message):
    key = packager2 if caller == "packager2" else tenant.keys[caller]
    answer = _set(api, key, **arguments)
    assert (answer.status, answer.body) == (403, {"error": "Unauthorised", "message": message})
    assert ("packager2", "commit") not in acl_states(guake, "f20")


def test_package_admins_set_acls_for_groups(api, tenant, guake):
    answer = _set(api, tenant.manager, user="group::gtk-sig", status="Approved")
    assert answer.status == 200
    assert acl_states(guake, "f20")[("group::gtk-sig", "commit")] == "Approved"


@pytest.mark.parametrize(("arguments", "status", "body"), [
    ({"branches": ["f17", "f99"]}, 400, {
        "error": "InvalidParameterValue",
        "message": "branches: 'f17' is not a valid choice for this field\n"
                   "branches: 'f99' is not a valid choice for this field"}),
    ({"branches": ["f21"]}, 404, {
        "error": "UnknownListing",
        "message": "The package rpms/guake could not be found in the collection f21."}),
    ({"user": "auditor-acme"}, 400, {
        "error": "InvalidParameterValue",
        "message": 'Invalid user value auditor-acme: User "auditor-acme" is not in the '
                   'packager group'}),
    ({"user": "ghost", "acl": ["watchcommits"]}, 400, {
        "error": "InvalidParameterValue",
        "message": 'Invalid user value ghost: User "ghost" could not be found in FAS'}),
    ({"user": "group::gtk"}, 400, {
        "error": "InvalidParameterValue",
        "message": 'Invalid user value group::gtk: Invalid group "gtk" all groups in pkgdb '
                   'should end with "-sig".'}),
    ({"acl": ["build"]}, 400, {
        "error": "InvalidParameterValue",
        "message": "Invalid acl.1 value build: 'build' is not a valid choice for this field"}),
    ({"status": "Maybe"}, 400, {
        "error": "InvalidParameterValue",
        "message": "Invalid acl_status value Maybe: 'Maybe' is not a valid choice for this "
                   "field"}),
    ({"namespace": "docker"}, 404, {"error": "UnknownPackage",
                                    "message": "No package found by this name"}),
])
def test_acl_input_refusals(api, tenant, guake, packager2, arguments, status, body):
    answer = _set(api, tenant.manager, **arguments)
    assert (answer.status, answer.body) == (status, body)


def test_several_refused_acls_are_one_multi_error_and_change_nothing(api, tenant, guake,
                                                                     packager2):
    answer = _set(api, packager2, acl=["commit", "approveacls", "watchcommits"],
                  branches=["master", "f20"], status="Approved")
    assert answer.status == 400 and answer.error == "MultiError"
    assert answer.body["message"].splitlines() == [
        f"rpms/guake@{branch}:{acl} => You are not allowed to approve or deny ACLs for "
        "yourself." for branch in ("f20", "master") for acl in ("approveacls", "commit")]
    assert ("packager2", "watchcommits") not in acl_states(guake, "master")


def test_acl_changes_need_a_packager(api, tenant, guake, catalogue):
    outsider = catalogue.person("outsider", groups=())
    answer = _set(api, outsider, user="outsider", acl=["watchcommits"])
    assert (answer.status, answer.body["message"]) == (
        403, 'User "outsider" is not in the packager group')
