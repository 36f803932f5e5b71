"""The values of the store's status, role, ACL and type columns: one definition each.

Members are ``StrEnum``: they compare, hash, bind and encode as their plain strings, so a
value read from the store equals its member (``"canceled" == ActivityStatus.CANCELED``).
The tuples below keep each enum's definition order, the order choices are listed in.
"""
from __future__ import annotations

from enum import StrEnum


class ActivityStatus(StrEnum):
    """An activity's status (ACTIVITIES.md §3.1)."""

    UNDELIVERED = "undelivered"
    UNAPPROVED = "unapproved"
    DELIVERED = "delivered"
    CANCELED = "canceled"
    FAILED = "failed"
    SUCCEEDED = "succeeded"
    SCHEDULED = "scheduled"


class Role(StrEnum):
    """A person's role, from the least to the most allowed."""

    AUDITOR = "auditor"
    MANAGER = "manager"
    ADMIN = "admin"


class CallerRole(StrEnum):
    """Who may call an action: a person's :class:`Role` or better, anyone, or an agent."""

    PUBLIC = "public"
    AUDITOR = Role.AUDITOR.value
    MANAGER = Role.MANAGER.value
    ADMIN = Role.ADMIN.value
    AGENT = "agent"


class PackageStatus(StrEnum):
    """The status of a package and of a listing (a package on a collection)."""

    APPROVED = "Approved"
    ORPHANED = "Orphaned"
    RETIRED = "Retired"
    REMOVED = "Removed"


class CollectionStatus(StrEnum):
    """A collection's (branch's) status."""

    ACTIVE = "Active"
    EOL = "EOL"
    UNDER_DEVELOPMENT = "Under Development"


class Acl(StrEnum):
    """The ACLs a packager may hold on a listing."""

    COMMIT = "commit"
    WATCHBUGZILLA = "watchbugzilla"
    WATCHCOMMITS = "watchcommits"
    APPROVEACLS = "approveacls"


class AclStatus(StrEnum):
    """The status of an ACL."""

    APPROVED = "Approved"
    AWAITING_REVIEW = "Awaiting Review"
    DENIED = "Denied"
    OBSOLETE = "Obsolete"
    REMOVED = "Removed"


class AdminActionType(StrEnum):
    """What an admin action requests."""

    PACKAGE = "request.package"
    BRANCH = "request.branch"
    UNRETIRE = "request.unretire"


class AdminActionStatus(StrEnum):
    """The status of an admin action (a request)."""

    APPROVED = "Approved"
    AWAITING_REVIEW = "Awaiting Review"
    BLOCKED = "Blocked"
    DENIED = "Denied"
    OBSOLETE = "Obsolete"
    PENDING = "Pending"


STATUSES: tuple[ActivityStatus, ...] = tuple(ActivityStatus)
#: the statuses an activity never leaves
FINAL_STATUSES = (ActivityStatus.SUCCEEDED, ActivityStatus.FAILED, ActivityStatus.CANCELED)
#: the statuses of an activity not yet done
PENDING_STATUSES = (ActivityStatus.UNAPPROVED, ActivityStatus.SCHEDULED,
                    ActivityStatus.UNDELIVERED, ActivityStatus.DELIVERED)
ROLES: tuple[Role, ...] = tuple(Role)
PACKAGE_STATUSES: tuple[PackageStatus, ...] = tuple(PackageStatus)
COLLECTION_STATUSES: tuple[CollectionStatus, ...] = tuple(CollectionStatus)
ACLS: tuple[Acl, ...] = tuple(Acl)
ACL_STATUSES: tuple[AclStatus, ...] = tuple(AclStatus)
ADMIN_ACTIONS: tuple[AdminActionType, ...] = tuple(AdminActionType)
ADMIN_ACTION_STATUSES: tuple[AdminActionStatus, ...] = tuple(AdminActionStatus)
#: the pseudo-user of orphaned listings
ORPHAN = "orphan"
#: the prefix of group users (``group::gtk-sig``)
GROUP_PREFIX = "group::"


class EventType(StrEnum):
    """The ``type`` of an event: what kind of object changed (DIALECTS.md §3)."""

    ACTIVITY = "activity"
    COMPUTER = "computer"
    PERSON = "person"
    KEY = "key"
    COLLECTION = "collection"
    PACKAGE = "package"
    ACL = "acl"
    ADMIN_ACTION = "admin_action"


class EventAction(StrEnum):
    """The verb of an event, past tense (DIALECTS.md §3); each type uses some of them."""

    CREATED = "created"
    CANCELED = "canceled"
    APPROVED = "approved"
    DELIVERED = "delivered"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    REAPPLIED = "reapplied"
    REVERTED = "reverted"
    REGISTERED = "registered"
    RENAMED = "renamed"
    REMOVED = "removed"
    TAGGED = "tagged"
    UNTAGGED = "untagged"
    REBOOTED = "rebooted"
    SHUT_DOWN = "shut down"
    EDITED = "edited"
    DISABLED = "disabled"
    REVOKED = "revoked"
    STATUS_CHANGED = "status changed"
    ORPHANED = "orphaned"
    UNORPHANED = "unorphaned"
    RETIRED = "retired"
    UNRETIRED = "unretired"
    CRITPATH_CHANGED = "critpath changed"
    MONITORING_CHANGED = "monitoring changed"
    KOSCHEI_CHANGED = "koschei changed"
    REASSIGNED = "reassigned"
    REQUESTED = "requested"
    SET = "set"


EVENT_TYPES: tuple[EventType, ...] = tuple(EventType)
EVENT_ACTIONS: tuple[EventAction, ...] = tuple(EventAction)
