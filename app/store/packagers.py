"""Packagers: who holds ACLs on an account's listings, and on what."""
from __future__ import annotations

from typing import Any, Iterable

from peewee import JOIN, Case, fn

from app.catalogue.patterns import matches
from app.models import (Account, Acl, AclStatus, Collection, CollectionStatus, ListingACL, Package,
                        PackageListing, PackageStatus)


def packager_names(account: Account, pattern: str) -> list[str]:
    """Users and groups matching ``pattern`` that hold an Approved ACL on a non-EOL listing,
    sorted."""
    rows = (ListingACL.select(ListingACL.fas_name).distinct()
            .join(PackageListing).join(Package).switch(PackageListing).join(Collection)
            .where((Package.account == account) & (ListingACL.status == AclStatus.APPROVED)
                   & (Collection.status != CollectionStatus.EOL)
                   & matches(ListingACL.fas_name, pattern))
            .order_by(ListingACL.fas_name).tuples())
    return [fas_name for (fas_name,) in rows]


class AclRows:
    """A user's ACL rows with their listing, package and collection: on non-EOL collections
    unless ``eol``, and only those ``acls``, on listings the user is (``poc``) or is not the
    point of contact of, Approved ones, on these ``branches``, each when given."""

    def __init__(self, account: Account, user: str, *, eol: bool, acls: list[str] | None = None,
                 poc: bool | None = None, approved: bool = False,
                 branches: list[str] | None = None) -> None:
        query = (ListingACL.select(ListingACL, PackageListing, Package, Collection)
                 .join(PackageListing).join(Package).switch(PackageListing).join(Collection)
                 .where((Package.account == account) & (ListingACL.fas_name == user)))
        if not eol:
            query = query.where(Collection.status != CollectionStatus.EOL)
        if acls:
            query = query.where(ListingACL.acl.in_(acls))
        if poc is not None:
            is_poc = PackageListing.point_of_contact == user
            query = query.where(is_poc if poc else ~is_poc)
        if approved:
            query = query.where(ListingACL.status == AclStatus.APPROVED)
        if branches:
            query = query.where(Collection.branchname.in_(branches))
        self.query = query

    def count(self) -> int:
        return self.query.count()

    def page(self, page: int, limit: int) -> Iterable[ListingACL]:
        """One page of the rows in ACL order (``row.listing.package`` joined)."""
        return self.query.order_by(ListingACL.id).paginate(page, limit)

    def __iter__(self) -> Any:
        return iter(self.query)


def packager_stats(account: Account, user: str, eol: bool) -> dict[str, tuple[int, int]]:
    """Per live collection (all with ``eol``) by branch name, in collection order: how many
    packages ``user`` is point of contact of and co-maintains (Approved commit on an
    Approved listing; EOL collections count zero)."""
    collections = Collection.select().where(Collection.account == account)
    if not eol:
        collections = collections.where(Collection.status != CollectionStatus.EOL)
    is_poc = PackageListing.point_of_contact == user
    counted = (ListingACL.select(
        PackageListing.collection,
        fn.COUNT(fn.DISTINCT(Case(None, [(is_poc, PackageListing.package)]))),
        fn.COUNT(fn.DISTINCT(Case(None, [(~is_poc, PackageListing.package)]))))
        .join(PackageListing).join(Collection, JOIN.INNER)
        .where((Collection.account == account) & (Collection.status != CollectionStatus.EOL)
               & (ListingACL.fas_name == user) & (ListingACL.acl == Acl.COMMIT)
               & (ListingACL.status == AclStatus.APPROVED)
               & (PackageListing.status == PackageStatus.APPROVED))
        .group_by(PackageListing.collection).tuples())
    counts = {collection: (pocs, others) for collection, pocs, others in counted}
    return {c.branchname: counts.get(c.id, (0, 0)) for c in collections.order_by(Collection.id)}
