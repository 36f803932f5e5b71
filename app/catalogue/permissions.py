"""Who may do what in the catalogue (CATALOGUE.md §2), in one place.

Every rule is a function that returns quietly when the actor may proceed and raises an
:class:`~app.errors.ApiError` (403 ``Unauthorised`` with pkgdb2's sentence) when not. The
facts a rule needs from the store (is the actor a package admin on this listing, who are the
packagers) are looked up in bulk by the helpers at the end, so a bulk action asks once.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from app.errors import (ApiError, InvalidParameterValue, MissingParameter, Unauthorised,
                        echo)
from app.models import (GROUP_PREFIX, ORPHAN, Account, Acl, AclStatus, AdminAction,
                        AdminActionStatus, AdminActionType, ListingACL, PackageListing, Person,
                        PersonGroup, Role)

PACKAGER_GROUP = "packager"
#: ACLs a non-admin may grant themselves: requesting them approves them at once
AUTO_APPROVE = frozenset({Acl.WATCHCOMMITS, Acl.WATCHBUGZILLA})
#: ACL statuses anyone may give their own ACLs
SELF_SERVICE_STATUSES = frozenset({AclStatus.AWAITING_REVIEW, AclStatus.REMOVED,
                                   AclStatus.OBSOLETE})
#: ACLs that make their holder a maintainer (monitoring, package admin questions)
MAINTAINER_ACLS = (Acl.COMMIT, Acl.APPROVEACLS)


def group_of(user: str) -> str | None:
    """``G`` for ``group::G``, else ``None``."""
    return user[len(GROUP_PREFIX):] if user.startswith(GROUP_PREFIX) else None


@dataclass(frozen=True)
class Actor:
    """The calling person as the catalogue sees them."""

    username: str
    #: catalogue admin: the account role ``admin``
    is_admin: bool
    groups: frozenset[str]

    @property
    def is_packager(self) -> bool:
        return PACKAGER_GROUP in self.groups

    def speaks_for(self, user: str) -> bool:
        """Whether ``user`` (a POC or ACL holder) is the actor or one of the actor's groups."""
        group = group_of(user)
        return user == self.username if group is None else group in self.groups


def actor_for(person: Person) -> Actor:
    """The :class:`Actor` of a person (one query for the groups)."""
    groups = frozenset(name for (name,) in PersonGroup.select(PersonGroup.name)
                       .where(PersonGroup.person == person.id).tuples())
    return Actor(person.username, person.role == Role.ADMIN, groups)


# -- rules -----------------------------------------------------------------------------------

def require_packager(actor: Actor) -> None:
    """Koschei, orphan, unorphan, retire, reassign, ACL and package/branch requests."""
    if not (actor.is_packager or actor.is_admin):
        raise Unauthorised(f'User "{actor.username}" is not in the packager group')


def may_change_poc(actor: Actor, current_poc: str) -> None:
    """Orphan or reassign: the POC, anyone on an orphan, a catalogue admin; a group POC only
    by the group's members (admins included)."""
    group = group_of(current_poc)
    if group is not None:
        if group not in actor.groups:
            raise Unauthorised(f'You are not part of the group "{group}", you are not allowed '
                               'to change the point of contact.')
        return
    if current_poc not in (actor.username, ORPHAN) and not actor.is_admin:
        raise Unauthorised("You are not allowed to change the point of contact.")


def may_retire(actor: Actor, current_poc: str, package_admin: bool, allow_retire: bool,
               package_label: str, branch: str) -> None:
    """Retire: the POC (a group's members), a package admin, anyone on an orphan; and the
    collection must allow retiring unless the actor is a catalogue admin."""
    if not (current_poc == ORPHAN or actor.speaks_for(current_poc) or package_admin):
        raise Unauthorised("You are not allowed to retire this package.")
    if not (allow_retire or actor.is_admin):
        raise Unauthorised(f"You are not allowed to retire the package: {package_label} "
                           f"on branch {branch}.")


def may_take(actor: Actor, new_poc: str) -> None:
    """Unorphan: a non-admin packager takes a package for themselves or a group."""
    if actor.is_admin:
        return
    if new_poc != actor.username and group_of(new_poc) is None:
        raise Unauthorised("You are not allowed to update ACLs of someone else.")
    if not actor.is_packager:
        raise Unauthorised("You must be a packager to take a package.")


def may_set_monitoring(actor: Actor, maintains: bool) -> None:
    """Monitoring flag: Approved commit/approveacls holders, or a catalogue admin."""
    if not (maintains or actor.is_admin):
        raise Unauthorised("You are not allowed to update the monitor flag on this package")


def may_set_acl(actor: Actor, target: str, acl: str, status: str, package_admin: bool,
                listing_poc: str) -> None:
    """ACL changes: package admins for anyone; others only request, remove or obsolete their
    own (``watch*`` are auto-approved). Groups never hold ``approveacls``; the point of
    contact keeps its ``watch*`` ACLs."""
    if not package_admin:
        if target != actor.username:
            raise Unauthorised("You are not allowed to update ACLs of someone else.")
        if status not in SELF_SERVICE_STATUSES and acl not in AUTO_APPROVE:
            raise Unauthorised("You are not allowed to approve or deny ACLs for yourself.")
    if group_of(target) is not None and acl == Acl.APPROVEACLS:
        raise Unauthorised('Groups cannot have "approveacls".')
    if target == listing_poc and acl in AUTO_APPROVE and status != AclStatus.APPROVED:
        raise Unauthorised("You cannot remove `Watch*` ACLs from the Point of Contact.")


def may_set_action_status(actor: Actor, action: AdminAction, status: str,
                          package_admin: bool, message: str | None) -> None:
    """Admin action status: Obsolete only by the requester; Pending also by the requester;
    Awaiting Review/Blocked by package or catalogue admins (the requester too for
    request.unretire); others by package or catalogue admins. Blocked/Denied need a message.
    """
    requester = action.user == actor.username
    admin = actor.is_admin or package_admin
    if status == AdminActionStatus.OBSOLETE:
        allowed = requester
        sentence = ("Only the person having made the request can change its status to "
                    "obsolete")
    elif status == AdminActionStatus.PENDING:
        allowed = admin or requester
        sentence = None
    elif status in (AdminActionStatus.AWAITING_REVIEW, AdminActionStatus.BLOCKED):
        allowed = admin or (requester and action.action == AdminActionType.UNRETIRE)
        sentence = None
    else:
        allowed = admin
        sentence = None
    if not allowed:
        raise Unauthorised(sentence or "You are not allowed to change the status of this "
                                       "admin action")
    if status in (AdminActionStatus.BLOCKED, AdminActionStatus.DENIED) and not message:
        raise ApiError("The request must contain the parameter message: You must provide a "
                       "message explaining why when you block or deny a request",
                       code=MissingParameter.code)


# -- facts from the store --------------------------------------------------------------------

def packagers(account: Account, usernames: Iterable[str]) -> set[str]:
    """Which of ``usernames`` are enabled persons of ``account`` in the packager group."""
    names = {u for u in usernames if group_of(u) is None and u != ORPHAN}
    if not names:
        return set()
    rows = (Person.select(Person.username).join(PersonGroup)
            .where((Person.account == account) & Person.username.in_(names)
                   & (PersonGroup.name == PACKAGER_GROUP)
                   & (Person.disabled == False))  # noqa: E712
            .tuples())
    return {name for (name,) in rows}


def persons(account: Account, usernames: Iterable[str]) -> set[str]:
    """Which of ``usernames`` are persons of ``account``."""
    names = set(usernames)
    if not names:
        return set()
    rows = (Person.select(Person.username)
            .where((Person.account == account) & Person.username.in_(names)).tuples())
    return {name for (name,) in rows}


def check_poc(account: Account, poc: str) -> None:
    """A POC is a packager, ``orphan`` or a ``group::…-sig`` (400 otherwise)."""
    group = group_of(poc)
    if poc == ORPHAN:
        return
    if group is not None:
        if not group.endswith("-sig"):
            raise InvalidParameterValue("poc", poc, f'Invalid group "{echo(group)}" all groups '
                                        'should ends with "-sig".')
        return
    if poc not in packagers(account, [poc]):
        raise InvalidParameterValue("poc", poc, f'User "{echo(poc)}" is not in the packager group')


def check_acl_target(account: Account, target: str, acl: str, status: str) -> None:
    """An ACL holder: a packager or ``-sig`` group for maintainer ACLs being granted or
    requested; an existing person (or ``-sig`` group) otherwise."""
    group = group_of(target)
    if group is not None:
        if not group.endswith("-sig"):
            raise InvalidParameterValue("user", target, f'Invalid group "{echo(group)}" all groups '
                                        'in pkgdb should end with "-sig".')
        return
    if acl not in AUTO_APPROVE and status not in (AclStatus.REMOVED, AclStatus.OBSOLETE):
        if target not in packagers(account, [target]):
            raise InvalidParameterValue("user", target,
                                        f'User "{echo(target)}" is not in the packager group')
    elif target not in persons(account, [target]):
        raise InvalidParameterValue("user", target,
                                    f'User "{echo(target)}" could not be found in FAS')


def admin_listings(actor: Actor, listing_ids: Iterable[int]) -> set[int]:
    """The listings (of ``listing_ids``) on which the actor is a package admin."""
    ids = set(listing_ids)
    if actor.is_admin or not ids:
        return ids if actor.is_admin else set()
    rows = (ListingACL.select(ListingACL.listing)
            .where(ListingACL.listing.in_(ids) & (ListingACL.fas_name == actor.username)
                   & (ListingACL.acl == Acl.APPROVEACLS)
                   & (ListingACL.status == AclStatus.APPROVED))
            .tuples())
    return {listing for (listing,) in rows}


def holds_on_package(user: str, package_id: int, acls: Iterable[str]) -> bool:
    """Whether ``user`` holds one of ``acls``, Approved, on some listing of the package."""
    return (ListingACL.select().join(PackageListing)
            .where((PackageListing.package == package_id) & (ListingACL.fas_name == user)
                   & ListingACL.acl.in_(list(acls)) & (ListingACL.status == AclStatus.APPROVED))
            .exists())


def is_package_admin(actor: Actor, package_id: int | None) -> bool:
    """Package admin on some branch of the package (admin-action decisions)."""
    if actor.is_admin:
        return True
    return package_id is not None and holds_on_package(actor.username, package_id,
                                                       (Acl.APPROVEACLS,))
