"""The rows of the pkgdb2 "extras" reports (critpath, pending ACLs, groups, monitored,
koschei, retired, bugzilla, notify, VCS): the filters, joins and grouping run in SQL; the
actions only shape the rows."""
from __future__ import annotations

from typing import Any, Iterable

from peewee import JOIN, Case, ColumnBase, fn

from app.catalogue.lookup import OPEN_STATUSES
from app.catalogue.patterns import matches
from app.models import (ORPHAN, Account, Acl, AclStatus, Collection, CollectionStatus, ListingACL,
                        Package, PackageListing, PackageStatus)

#: the ACL holders and points of contact that are groups
GROUPS = "group::*"


def _listings(account: Account, *columns: Any) -> Any:
    """``SELECT columns FROM listing JOIN package JOIN collection`` of one account."""
    return (PackageListing.select(*columns).join(Package).switch(PackageListing)
            .join(Collection).where(Package.account == account))


def _acls(account: Account, *columns: Any) -> Any:
    """The same, from the listings' ACL rows."""
    return (ListingACL.select(*columns).join(PackageListing).join(Package)
            .switch(PackageListing).join(Collection).where(Package.account == account))


def _live(eol: bool = False) -> ColumnBase:
    return Collection.status != CollectionStatus.EOL if not eol else Collection.id.is_null(False)


def _package_names(account: Account, condition: ColumnBase) -> list[str]:
    rows = (Package.select(Package.name).distinct()
            .where((Package.account == account) & condition).order_by(Package.name).tuples())
    return [package for (package,) in rows]


def critpath_listings(account: Account, branches: list[str]) -> Iterable[tuple[int, str, str]]:
    """``(collection id, branch, package)`` of Approved critical-path listings on
    ``branches``, or on every open Fedora collection; by collection, then package."""
    if branches:
        where = Collection.branchname.in_(branches)
    else:
        where = Collection.status.in_(OPEN_STATUSES) & (Collection.name == "Fedora")
    return (_listings(account, Collection.id, Collection.branchname, Package.name)
            .distinct()
            .where(where & (PackageListing.critpath == True)  # noqa: E712
                   & (PackageListing.status == PackageStatus.APPROVED))
            .order_by(Collection.id, Package.name).tuples())


def pending_acls(account: Account, decider: str | None) -> Iterable[Any]:
    """ACL rows Awaiting Review on live Approved listings (with ``name``, ``namespace`` and
    ``branchname``), those ``decider`` may decide when given: as point of contact or
    approveacls holder."""
    query = (_acls(account, ListingACL, Package.name, Package.namespace, Collection.branchname)
             .where((ListingACL.status == AclStatus.AWAITING_REVIEW) & _live()
                    & (PackageListing.status == PackageStatus.APPROVED)))
    if decider is not None:
        deciders = ListingACL.alias()
        decides = (deciders.select(deciders.listing)
                   .where((deciders.fas_name == decider) & (deciders.acl == Acl.APPROVEACLS)
                          & (deciders.status == AclStatus.APPROVED)))
        query = query.where((PackageListing.point_of_contact == decider)
                            | PackageListing.id.in_(decides))
    return query.order_by(Package.name, Collection.id, ListingACL.id).objects()


def group_holders(account: Account) -> list[str]:
    """The groups (``group::NAME``) that are point of contact of, or hold Approved ACLs on,
    live Approved listings."""
    live = _live() & (PackageListing.status == PackageStatus.APPROVED)
    pocs = _listings(account, PackageListing.point_of_contact.alias("holder")).where(
        live & matches(PackageListing.point_of_contact, GROUPS))
    holders = _acls(account, ListingACL.fas_name.alias("holder")).where(
        live & (ListingACL.status == AclStatus.APPROVED) & matches(ListingACL.fas_name, GROUPS))
    return [user for (user,) in (pocs | holders).tuples()]


def monitored_packages(account: Account) -> list[str]:
    """Names of the packages monitored by release-monitoring (true or nobuild), sorted."""
    return _package_names(account, Package.monitor.in_(("true", "nobuild")))


def koschei_packages(account: Account) -> list[str]:
    """Names of the packages monitored by koschei, sorted."""
    return _package_names(account, Package.koschei_monitor == True)  # noqa: E712


def retired_packages(account: Account, collection: str) -> list[str]:
    """Names of the packages Retired on every live collection called ``collection``."""
    retired = PackageListing.status == PackageStatus.RETIRED
    rows = (_listings(account, Package.name)
            .where((Collection.name == collection) & _live())
            .group_by(Package.id, Package.name)
            .having(fn.SUM(Case(None, [(retired, 0)], 1)) == 0)
            .order_by(Package.name).tuples())
    return sorted({package for (package,) in rows})


def bugzilla_listings(account: Account, collection: str | None
                      ) -> tuple[Iterable[tuple], Iterable[tuple[str, int, str]]]:
    """The live listings of Approved packages that bugzilla knows, as ``(collection name,
    version, package id, name, namespace, summary, point of contact)``, and their Approved
    watchbugzilla holders as ``(collection name, package id, user)``."""
    where = _live() & (Package.status == PackageStatus.APPROVED) & PackageListing.status.in_(
        (PackageStatus.APPROVED, PackageStatus.ORPHANED))
    if collection is not None:
        where &= Collection.name == collection
    listings = _listings(account, Collection.name, Collection.version, Package.id,
                         Package.name, Package.namespace, Package.summary,
                         PackageListing.point_of_contact).where(where).tuples()
    watchers = _acls(account, Collection.name, Package.id, ListingACL.fas_name).where(
        where & (ListingACL.acl == Acl.WATCHBUGZILLA) & (ListingACL.status == AclStatus.APPROVED)
    ).distinct().tuples()
    return listings, watchers


def notified(account: Account, name: str | None, version: str | None, eol: bool
             ) -> Iterable[tuple[str, str, str]]:
    """``(namespace, package, user)``: the Approved commit, approveacls and watchcommits
    holders of Approved listings that have a point of contact."""
    where = (_live(eol) & (PackageListing.status == PackageStatus.APPROVED)
             & (PackageListing.point_of_contact != ORPHAN)
             & (ListingACL.status == AclStatus.APPROVED)
             & ListingACL.acl.in_((Acl.COMMIT, Acl.APPROVEACLS, Acl.WATCHCOMMITS)))
    if name is not None:
        where &= Collection.name == name
    if version is not None:
        where &= Collection.version == version
    return (_acls(account, Package.namespace, Package.name, ListingACL.fas_name)
            .where(where).distinct().tuples())


def committers(account: Account, eol: bool, branch: str | None, namespace: str | None
               ) -> Iterable[tuple[str, str, str, str | None]]:
    """``(namespace, package, branch, user or None)`` of Approved or Orphaned listings with
    their Approved commit holders, by namespace, package and collection."""
    commit = ((ListingACL.listing == PackageListing.id) & (ListingACL.acl == Acl.COMMIT)
              & (ListingACL.status == AclStatus.APPROVED))
    where = _live(eol) & PackageListing.status.in_((PackageStatus.APPROVED, PackageStatus.ORPHANED))
    if branch is not None:
        where &= Collection.branchname == branch
    if namespace is not None:
        where &= Package.namespace == namespace
    return (_listings(account, Package.namespace, Package.name, Collection.branchname,
                      ListingACL.fas_name)
            .join(ListingACL, JOIN.LEFT_OUTER, on=commit).where(where)
            .order_by(Package.namespace, Package.name, Collection.id).tuples())
