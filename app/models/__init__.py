"""The Peewee models of the store; ``ALL_MODELS`` is in dependency order."""
from .accounts import ROLES, Account, Person, PersonGroup
from .activities import FINAL_STATUSES, STATUSES, Activity
from .base import BaseModel, JSONField, database, utcnow
from .catalogue import (ACL_STATUSES, ACLS, ADMIN_ACTION_STATUSES, ADMIN_ACTIONS,
                        COLLECTION_STATUSES, GROUP_PREFIX, ORPHAN, PACKAGE_STATUSES,
                        AdminAction, CatalogueLog, Collection, ListingACL, Package,
                        PackageListing, epoch_now)
from .computers import Computer, ComputerAnnotation, ComputerTag, NetworkDevice
from .keys import ApiKey
from .schema_version import SchemaVersion
from .security import FailedLogin, SeenSignature

ALL_MODELS = [
    SchemaVersion, Account, Person, PersonGroup, Computer, ComputerTag, ComputerAnnotation,
    NetworkDevice, ApiKey, Activity, Package, Collection, PackageListing, ListingACL,
    AdminAction, CatalogueLog, FailedLogin, SeenSignature,
]

__all__ = [
    "ALL_MODELS", "ROLES", "STATUSES", "FINAL_STATUSES", "PACKAGE_STATUSES", "Account",
    "Activity", "ApiKey", "BaseModel", "Computer", "ComputerAnnotation", "ComputerTag",
    "JSONField", "NetworkDevice", "Package", "Person", "PersonGroup", "SchemaVersion",
    "database", "utcnow",
    "ACLS", "ACL_STATUSES", "ADMIN_ACTIONS", "ADMIN_ACTION_STATUSES", "COLLECTION_STATUSES",
    "GROUP_PREFIX", "ORPHAN", "AdminAction", "CatalogueLog", "Collection", "ListingACL",
    "PackageListing", "epoch_now",
    "FailedLogin", "SeenSignature",
]
