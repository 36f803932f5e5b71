"""The Peewee models of the store; ``ALL_MODELS`` is in dependency order."""
from .accounts import ROLES, Account, Person, PersonGroup
from .activities import FINAL_STATUSES, STATUSES, Activity
from .base import BaseModel, JSONField, database, utcnow
from .catalogue import PACKAGE_STATUSES, Package
from .computers import Computer, ComputerAnnotation, ComputerTag, NetworkDevice
from .keys import ApiKey
from .schema_version import SchemaVersion

ALL_MODELS = [
    SchemaVersion, Account, Person, PersonGroup, Computer, ComputerTag, ComputerAnnotation,
    NetworkDevice, ApiKey, Activity, Package,
]

__all__ = [
    "ALL_MODELS", "ROLES", "STATUSES", "FINAL_STATUSES", "PACKAGE_STATUSES", "Account",
    "Activity", "ApiKey", "BaseModel", "Computer", "ComputerAnnotation", "ComputerTag",
    "JSONField", "NetworkDevice", "Package", "Person", "PersonGroup", "SchemaVersion",
    "database", "utcnow",
]
