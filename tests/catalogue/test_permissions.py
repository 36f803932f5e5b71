"""The permission rules of CATALOGUE.md §2, one by one (app/catalogue/permissions.py)."""
from __future__ import annotations

import pytest

from app.catalogue.permissions import (Actor, may_change_poc, may_retire, may_set_acl,
                                       may_set_action_status, may_set_monitoring, may_take,
                                       require_packager)
from app.errors import ApiError
from app.models import AdminAction

ADMIN = Actor("jane", True, frozenset({"packager"}))
BARE_ADMIN = Actor("root", True, frozenset())
PACKAGER = Actor("bob", False, frozenset({"packager"}))
SIG_MEMBER = Actor("gina", False, frozenset({"packager", "gtk-sig"}))
OUTSIDER = Actor("olga", False, frozenset())


def refusal(rule, *args) -> str | None:
    """The sentence a rule refuses with, or None when it allows."""
    try:
        rule(*args)
    except ApiError as error:
        return error.message
    return None


def test_packager_rules_admit_packagers_and_catalogue_admins():
    assert refusal(require_packager, PACKAGER) is None
    assert refusal(require_packager, BARE_ADMIN) is None
    assert refusal(require_packager, OUTSIDER) == 'User "olga" is not in the packager group'


@pytest.mark.parametrize(("actor", "poc", "sentence"), [
    (PACKAGER, "bob", None),
    (PACKAGER, "orphan", None),
    (ADMIN, "bob", None),
    (PACKAGER, "alice", "You are not allowed to change the point of contact."),
    (SIG_MEMBER, "group::gtk-sig", None),
    (PACKAGER, "group::gtk-sig", 'You are not part of the group "gtk-sig", you are not '
                                 'allowed to change the point of contact.'),
    (ADMIN, "group::gtk-sig", 'You are not part of the group "gtk-sig", you are not '
                              'allowed to change the point of contact.'),
])
def test_who_changes_a_point_of_contact(actor, poc, sentence):
    assert refusal(may_change_poc, actor, poc) == sentence


@pytest.mark.parametrize(("actor", "poc", "package_admin", "allow_retire", "sentence"), [
    (PACKAGER, "bob", False, True, None),
    (PACKAGER, "orphan", False, True, None),
    (PACKAGER, "alice", True, True, None),
    (SIG_MEMBER, "group::gtk-sig", False, True, None),
    (PACKAGER, "alice", False, True, "You are not allowed to retire this package."),
    (PACKAGER, "group::gtk-sig", False, True, "You are not allowed to retire this package."),
    (PACKAGER, "bob", False, False,
     "You are not allowed to retire the package: rpms/guake on branch f20."),
    (ADMIN, "bob", True, False, None),
])
def test_who_retires(actor, poc, package_admin, allow_retire, sentence):
    assert refusal(may_retire, actor, poc, package_admin, allow_retire, "rpms/guake",
                   "f20") == sentence


@pytest.mark.parametrize(("actor", "poc", "sentence"), [
    (PACKAGER, "bob", None),
    (PACKAGER, "group::gtk-sig", None),
    (ADMIN, "bob", None),
    (PACKAGER, "alice", "You are not allowed to update ACLs of someone else."),
    (OUTSIDER, "olga", "You must be a packager to take a package."),
])
def test_who_unorphans_for_whom(actor, poc, sentence):
    assert refusal(may_take, actor, poc) == sentence


def test_monitoring_is_for_maintainers_and_admins():
    assert refusal(may_set_monitoring, PACKAGER, True) is None
    assert refusal(may_set_monitoring, ADMIN, False) is None
    assert refusal(may_set_monitoring, PACKAGER, False) == (
        "You are not allowed to update the monitor flag on this package")


@pytest.mark.parametrize(("target", "acl", "status", "package_admin", "sentence"), [
    ("bob", "commit", "Awaiting Review", False, None),
    ("bob", "commit", "Removed", False, None),
    ("bob", "commit", "Obsolete", False, None),
    ("bob", "watchcommits", "Approved", False, None),
    ("bob", "commit", "Approved", False,
     "You are not allowed to approve or deny ACLs for yourself."),
    ("bob", "approveacls", "Denied", False,
     "You are not allowed to approve or deny ACLs for yourself."),
    ("alice", "watchcommits", "Approved", False,
     "You are not allowed to update ACLs of someone else."),
    ("group::gtk-sig", "commit", "Approved", False,
     "You are not allowed to update ACLs of someone else."),
    ("alice", "commit", "Approved", True, None),
    ("group::gtk-sig", "commit", "Approved", True, None),
    ("group::gtk-sig", "approveacls", "Approved", True, 'Groups cannot have "approveacls".'),
    ("poc-user", "watchbugzilla", "Removed", True,
     "You cannot remove `Watch*` ACLs from the Point of Contact."),
    ("poc-user", "commit", "Removed", True, None),
])
def test_who_sets_which_acl(target, acl, status, package_admin, sentence):
    assert refusal(may_set_acl, PACKAGER, target, acl, status, package_admin,
                   "poc-user") == sentence


def _action(kind: str = "request.branch", user: str = "bob") -> AdminAction:
    return AdminAction(action=kind, user=user, status="Awaiting Review")


ADMIN_ONLY = "You are not allowed to change the status of this admin action"


@pytest.mark.parametrize(("actor", "action", "status", "package_admin", "sentence"), [
    (PACKAGER, _action(), "Obsolete", False, None),
    (ADMIN, _action(), "Obsolete", False,
     "Only the person having made the request can change its status to obsolete"),
    (PACKAGER, _action(), "Pending", False, None),
    (SIG_MEMBER, _action(), "Pending", False, ADMIN_ONLY),
    (SIG_MEMBER, _action(), "Pending", True, None),
    (PACKAGER, _action(), "Awaiting Review", False, ADMIN_ONLY),
    (PACKAGER, _action("request.unretire"), "Awaiting Review", False, None),
    (PACKAGER, _action(), "Approved", False, ADMIN_ONLY),
    (SIG_MEMBER, _action(), "Approved", True, None),
    (ADMIN, _action(), "Approved", False, None),
])
def test_who_changes_an_admin_action(actor, action, status, package_admin, sentence):
    assert refusal(may_set_action_status, actor, action, status, package_admin,
                   "") == sentence


def test_blocking_and_denying_need_a_message():
    for status in ("Blocked", "Denied"):
        assert refusal(may_set_action_status, ADMIN, _action(), status, False, "") == (
            "The request must contain the parameter message: You must provide a message "
            "explaining why when you block or deny a request")
        assert refusal(may_set_action_status, ADMIN, _action(), status, False, "why") is None
