"""Packages of an account: creating, changing, and pages of a search."""
from __future__ import annotations

from typing import Any, Iterable

from peewee import Select

from app.models import Account, Collection, Package, PackageListing, epoch_now


def count_found(query: Select) -> int:
    """How many packages a search (``app.catalogue.search.search``) finds."""
    return query.count()


def page_found(query: Select, page: int, limit: int) -> list[Package]:
    """One page of a search's packages, by name."""
    return list(query.order_by(Package.name, Package.id).paginate(page, limit))


def create_package(account: Account, **columns: Any) -> Package:
    """A new package of the account with these columns."""
    return Package.create(account=account, **columns)


def add_listings(package: Package, collections: Iterable[Collection], *,
                 point_of_contact: str, status: str, critpath: bool) -> list[int]:
    """List the package on these collections, in one insert; the package's listing ids."""
    now = epoch_now()
    rows = [{"package": package.id, "collection": collection.id,
             "point_of_contact": point_of_contact, "status": status, "critpath": critpath,
             "status_change": now} for collection in collections]
    PackageListing.insert_many(rows).execute()
    return [listing.id for listing in package.listings]


def update_package(package: Package, changes: dict[str, Any]) -> None:
    """Set these columns (by name) of the package."""
    Package.update(**changes).where(Package.id == package.id).execute()
