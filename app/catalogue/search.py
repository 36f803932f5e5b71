"""Package searches and the listing views that GetPackageInfo and SearchPackages show."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from peewee import ColumnBase, Select

from app.idset import in_ids
from app.models import (ORPHAN, Account, Collection, CollectionStatus, ListingACL, Package,
                        PackageListing, PackageStatus)

from .patterns import matches_any


@dataclass(frozen=True)
class ListingFilter:
    """What one listing of a package must satisfy (pkgdb2's search arguments)."""

    branches: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    poc: str | None = None
    critpath: bool | None = None
    orphaned: bool | None = None
    eol: bool = False

    def condition(self) -> ColumnBase:
        """The condition on ``PackageListing`` joined to ``Collection``."""
        parts: list[ColumnBase] = []
        if not self.eol:
            parts.append(Collection.status != CollectionStatus.EOL)
        if self.branches:
            parts.append(Collection.branchname.in_(self.branches))
        if self.statuses:
            parts.append(PackageListing.status.in_(self.statuses))
        if self.poc is not None:
            parts.append(PackageListing.point_of_contact == self.poc)
        if self.critpath is not None:
            parts.append(PackageListing.critpath == self.critpath)
        if self.orphaned:
            parts += [PackageListing.point_of_contact == ORPHAN,
                      PackageListing.status == PackageStatus.ORPHANED]
        elif self.orphaned is False:
            parts.append(PackageListing.status != PackageStatus.ORPHANED)
        condition = parts[0] if parts else PackageListing.id.is_null(False)
        for part in parts[1:]:
            condition &= part
        return condition


def search(account: Account, patterns: list[str], namespace: str, listing: ListingFilter,
           extra: ColumnBase | None = None) -> Select:
    """Packages of ``namespace`` whose name matches a pattern and that have one listing
    satisfying ``listing`` (and ``extra``, a compiled query), by name."""
    listed = (PackageListing.select(PackageListing.package).join(Collection)
              .where(listing.condition()))
    query = Package.select().where((Package.account == account)
                                   & (Package.namespace == namespace)
                                   & matches_any(Package.name, patterns)
                                   & Package.id.in_(listed))
    if extra is not None:
        query = query.where(extra)
    return query


def listings(package_ids: Iterable[int], *, branches: Iterable[str] = (), eol: bool = True
             ) -> list[PackageListing]:
    """The listings of those packages with their collections, by collection id."""
    query = (PackageListing.select(PackageListing, Collection).join(Collection)
             .where(PackageListing.package.in_(list(package_ids))))
    branches = list(branches)
    if branches:
        query = query.where(Collection.branchname.in_(branches))
    if not eol:
        query = query.where(Collection.status != CollectionStatus.EOL)
    return list(query.order_by(PackageListing.package, Collection.id))


def acls_by_listing(listing_ids: Iterable[int]) -> dict[int, list[ListingACL]]:
    """The ACL rows of those listings, by listing id, in ACL id order."""
    grouped: dict[int, list[ListingACL]] = defaultdict(list)
    for row in (ListingACL.select().where(in_ids(ListingACL.listing, list(listing_ids)))
                .order_by(ListingACL.id)):
        grouped[row.listing_id].append(row)
    return grouped
