"""Fixtures of the catalogue tests: a builder that writes collections, packages, listings,
ACLs and admin actions straight into the store (bypassing the actions under test), and the
usual Fedora-like set of collections."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

import pytest

from app import directory
from app.models import (Account, AdminAction, CatalogueLog, Collection, ListingACL, Package,
                        PackageListing, database)

from ..conftest import Key, Tenant

FOUR_ACLS = ("commit", "watchbugzilla", "watchcommits", "approveacls")
#: (branch, name, version, status, allow_retire) of the standard collections
COLLECTIONS = (
    ("master", "Fedora", "devel", "Under Development", True),
    ("f21", "Fedora", "21", "Active", False),
    ("f20", "Fedora", "20", "Active", False),
    ("f19", "Fedora", "19", "Active", False),
    ("f17", "Fedora", "17", "EOL", True),
    ("el6", "Fedora EPEL", "6", "Active", True),
)
T0 = 1400063778.0


@dataclass
class Catalogue:
    """Writes catalogue records of one account directly."""

    tenant: Tenant
    collections: dict[str, Collection] = field(default_factory=dict)

    @property
    def account(self) -> Account:
        return self.tenant.account

    def collection(self, branch: str, name: str = "Fedora", version: str | None = None,
                   status: str = "Active", allow_retire: bool = False) -> Collection:
        created = Collection.create(account=self.account, name=name,
                                    version=version or branch, status=status,
                                    branchname=branch, dist_tag=f".{branch}",
                                    koji_name=branch, allow_retire=allow_retire)
        self.collections[branch] = created
        return created

    def standard(self) -> "Catalogue":
        for branch, name, version, status, allow_retire in COLLECTIONS:
            self.collection(branch, name, version, status, allow_retire)
        return self

    def package(self, name: str, branches: Iterable[str] = ("master", "f20"), *,
                poc: str = "manager-acme", status: str = "Approved", namespace: str = "rpms",
                critpath: bool = False, acls: bool = True, **fields: Any) -> Package:
        """A package listed on ``branches``; the POC holds the four ACLs (three for a group)
        unless ``acls`` is false."""
        fields.setdefault("summary", f"The {name} package")
        fields.setdefault("creation_date", T0)
        package = Package.create(account=self.account, name=name, namespace=namespace,
                                 monitor=fields.pop("monitor", "true"), **fields)
        for branch in branches:
            self.listing(package, branch, poc=poc, status=status, critpath=critpath)
            if acls and poc != "orphan":
                for acl in FOUR_ACLS:
                    if not (poc.startswith("group::") and acl == "approveacls"):
                        self.acl(package, branch, poc, acl)
        return package

    def listing(self, package: Package, branch: str, *, poc: str = "manager-acme",
                status: str = "Approved", critpath: bool = False) -> PackageListing:
        return PackageListing.create(package=package, collection=self.collections[branch],
                                     point_of_contact=poc, status=status, critpath=critpath,
                                     status_change=T0)

    def acl(self, package: Package, branch: str, user: str, acl: str,
            status: str = "Approved") -> ListingACL:
        return ListingACL.create(listing=self.find_listing(package, branch), fas_name=user,
                                 acl=acl, status=status)

    def find_listing(self, package: Package, branch: str) -> PackageListing:
        return PackageListing.get((PackageListing.package == package)
                                  & (PackageListing.collection == self.collections[branch]))

    def action(self, action: str, user: str, branch: str, *, package: Package | None = None,
               status: str = "Awaiting Review", info: dict | None = None,
               date_created: float = T0) -> AdminAction:
        return AdminAction.create(account=self.account, action=action, user=user,
                                  status=status, package=package,
                                  collection=self.collections[branch], info=info or {},
                                  date_created=date_created, date_updated=date_created)

    def person(self, username: str, role: str = "manager",
               groups: Iterable[str] = ("packager",)) -> Key:
        """Another person of the account, with a key."""
        person = directory.create_person(self.account, email=f"{username}@acme.example",
                                         name=username.title(), username=username, role=role,
                                         groups=groups, password_hash="x")
        key = directory.issue_key(person)
        return Key(key.access_key, key.secret_key)


def acl_states(package: Package, branch: str) -> dict[tuple[str, str], str]:
    """``(fas_name, acl) → status`` of a listing."""
    rows = (ListingACL.select().join(PackageListing).join(Collection)
            .where((PackageListing.package == package) & (Collection.branchname == branch)))
    return {(row.fas_name, row.acl): row.status for row in rows}


def listing_state(package: Package, branch: str) -> tuple[str, str]:
    """``(point_of_contact, status)`` of a listing."""
    listing = (PackageListing.select().join(Collection)
               .where((PackageListing.package == package) & (Collection.branchname == branch))
               .get())
    return listing.point_of_contact, listing.status


def log_lines(account: Account) -> list[str]:
    return [row.description for row in CatalogueLog.select()
            .where(CatalogueLog.account == account).order_by(CatalogueLog.id)]


@pytest.fixture
def catalogue(tenant) -> Catalogue:
    """The tenant's catalogue with the standard collections."""
    with database.atomic():
        return Catalogue(tenant).standard()


@pytest.fixture
def empty_catalogue(tenant) -> Catalogue:
    """The tenant's catalogue without collections."""
    return Catalogue(tenant)
