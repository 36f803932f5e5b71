"""The Peewee models of the store; ``ALL_MODELS`` is in dependency order."""
from .accounts import Account, Person, PersonGroup
from .activities import Activity
from .base import BaseModel, JSONField, database, utcnow
from .catalogue import (AdminAction, CatalogueLog, Collection, ListingACL, Package,
                        PackageListing, epoch_now)
from .enums import (ACL_STATUSES, ACLS, ADMIN_ACTION_STATUSES, ADMIN_ACTIONS,
                    COLLECTION_STATUSES, FINAL_STATUSES, GROUP_PREFIX, ORPHAN,
                    PACKAGE_STATUSES, PENDING_STATUSES, ROLES, STATUSES, Acl, AclStatus,
                    ActivityStatus, AdminActionStatus, AdminActionType, CallerRole,
                    CollectionStatus, EventAction, EventType, PackageStatus, Role)
from .events import Event, EventFollower, EventStream
from .computers import Computer, ComputerAnnotation, ComputerTag, NetworkDevice
from .keys import ApiKey
from .schema_version import SchemaVersion
from .security import FailedLogin, SeenSignature

ALL_MODELS = [
    SchemaVersion, Account, Person, PersonGroup, Computer, ComputerTag, ComputerAnnotation,
    NetworkDevice, ApiKey, Activity, Package, Collection, PackageListing, ListingACL,
    AdminAction, CatalogueLog, FailedLogin, SeenSignature, Event, EventStream, EventFollower,
]

__all__ = [
    "ALL_MODELS", "ROLES", "STATUSES", "FINAL_STATUSES", "PACKAGE_STATUSES", "Account",
    "Activity", "ApiKey", "BaseModel", "Computer", "ComputerAnnotation", "ComputerTag",
    "JSONField", "NetworkDevice", "Package", "Person", "PersonGroup", "SchemaVersion",
    "database", "utcnow",
    "ACLS", "ACL_STATUSES", "ADMIN_ACTIONS", "ADMIN_ACTION_STATUSES", "COLLECTION_STATUSES",
    "GROUP_PREFIX", "ORPHAN", "AdminAction", "CatalogueLog", "Collection", "ListingACL",
    "PackageListing", "epoch_now", "PENDING_STATUSES", "Acl", "AclStatus", "ActivityStatus",
    "AdminActionStatus", "AdminActionType", "CallerRole", "CollectionStatus", "PackageStatus",
    "Role",
    "FailedLogin", "SeenSignature", "Event", "EventStream", "EventFollower", "EventType",
    "EventAction",
]
