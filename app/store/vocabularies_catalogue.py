"""The catalogue's vocabularies (QUERY.md §3.3–3.4): packages, collections, admin actions,
and the catalogue log.

Name-like values are globs (``*``, ``?``; exact otherwise, SQL wildcards literal); statuses
are case-insensitive and compile to their canonical spelling. Listing criteria of a package
query share one :class:`Related` so that, AND-ed, they must hold for one listing.
"""
from __future__ import annotations

import time
from typing import Callable

from peewee import OP, Cast, ColumnBase

from app.catalogue.patterns import matches
from app.catalogue.pending import status_condition
from app.models import (ADMIN_ACTIONS, ADMIN_ACTION_STATUSES, COLLECTION_STATUSES, ORPHAN,
                        PACKAGE_STATUSES, AdminAction, CatalogueLog, Collection, Package,
                        PackageListing, PackageStatus)
from query_language.values import boolean, canonical, non_negative_integer, parse_date
from query_language.vocabularies import (Criterion, Related, Vocabulary, all_of, any_of,
                                         compare)


def _text(value: str) -> str:
    return value


def _glob(field) -> Callable[[str, int], ColumnBase]:
    return lambda pattern, account_id: matches(field, pattern)


# -- packages --------------------------------------------------------------------------------

_listings_where = PackageListing.select(PackageListing.package).join(Collection).where


def _package_has_listing(condition: ColumnBase, account_id: int) -> ColumnBase:
    # Listings belong to the outer package, which the caller limits to its account.
    return Package.id.in_(_listings_where(condition))


LISTINGS = Related("listing", _package_has_listing)


def _orphaned(flag: bool, account_id: int) -> ColumnBase:
    if flag:
        return all_of((PackageListing.point_of_contact == ORPHAN,
                       PackageListing.status == PackageStatus.ORPHANED))
    return PackageListing.status != PackageStatus.ORPHANED


PACKAGE_VOCABULARY = Vocabulary(
    name="package",
    criteria={
        "name": Criterion(_text, _glob(Package.name)),
        "namespace": Criterion(_text, compare(Package.namespace)),
        "monitor": Criterion(canonical("monitor", ("true", "false", "nobuild")),
                             compare(Package.monitor)),
        "koschei": Criterion(boolean("koschei"), compare(Package.koschei_monitor)),
        "status": Criterion(canonical("status", PACKAGE_STATUSES),
                            compare(PackageListing.status), LISTINGS),
        "branch": Criterion(_text, _glob(Collection.branchname), LISTINGS),
        "poc": Criterion(_text, compare(PackageListing.point_of_contact), LISTINGS),
        "critpath": Criterion(boolean("critpath"), compare(PackageListing.critpath), LISTINGS),
        "orphaned": Criterion(boolean("orphaned"), _orphaned, LISTINGS),
    },
    text=lambda value, account_id: any_of((Package.name.contains(value),
                                           Package.summary.contains(value))),
)


# -- collections -----------------------------------------------------------------------------

COLLECTION_VOCABULARY = Vocabulary(
    name="collection",
    criteria={
        "name": Criterion(_text, compare(Collection.name)),
        "branch": Criterion(_text, _glob(Collection.branchname)),
        "status": Criterion(canonical("status", COLLECTION_STATUSES),
                            compare(Collection.status)),
        "version": Criterion(_text, compare(Collection.version)),
    },
    text=lambda value, account_id: any_of((Collection.name.contains(value),
                                           Collection.branchname.contains(value))),
)


# -- admin actions ---------------------------------------------------------------------------

_packages_where = Package.select(Package.id).where
_collections_where = Collection.select(Collection.id).where


def _action_package(pattern: str, account_id: int) -> ColumnBase:
    return AdminAction.package.in_(_packages_where(all_of(
        (Package.account == account_id, matches(Package.name, pattern)))))


def _action_branch(pattern: str, account_id: int) -> ColumnBase:
    return AdminAction.collection.in_(_collections_where(all_of(
        (Collection.account == account_id, matches(Collection.branchname, pattern)))))


def _action_text(value: str, account_id: int) -> ColumnBase:
    # Cast: matched as text, not through the JSON field's converter.
    return any_of((AdminAction.message.contains(value),
                   Cast(AdminAction.info, "TEXT").contains(value)))


ADMIN_ACTION_VOCABULARY = Vocabulary(
    name="admin action",
    criteria={
        "id": Criterion(non_negative_integer("id"), compare(AdminAction.id)),
        "action": Criterion(canonical("action", ADMIN_ACTIONS), compare(AdminAction.action)),
        "status": Criterion(canonical("status", ADMIN_ACTION_STATUSES),
                            lambda status, account_id: status_condition(status, time.time())),
        "user": Criterion(_text, compare(AdminAction.user)),
        "package": Criterion(_text, _action_package),
        "branch": Criterion(_text, _action_branch),
    },
    text=_action_text,
)


# -- the catalogue log (GetCatalogueLog; not in QUERY.md) ------------------------------------

def _log_package(pattern: str, account_id: int) -> ColumnBase:
    return CatalogueLog.package.in_(_packages_where(all_of(
        (Package.account == account_id, matches(Package.name, pattern)))))


LOG_VOCABULARY = Vocabulary(
    name="catalogue log",
    criteria={
        "user": Criterion(_text, compare(CatalogueLog.user)),
        "package": Criterion(_text, _log_package),
        "after": Criterion(parse_date, compare(CatalogueLog.change_time, OP.GTE)),
        "before": Criterion(parse_date, compare(CatalogueLog.change_time, OP.LT)),
    },
    text=lambda value, account_id: CatalogueLog.description.contains(value),
)
