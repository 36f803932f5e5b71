"""Finding catalogue records of one account, by name; a foreign record is a missing one."""
from __future__ import annotations

import re
from typing import Iterable

from app.errors import ApiError, NotFound, echo
from app.models import Account, Collection, CollectionStatus, Package, PackageListing

DEFAULT_NAMESPACE = "rpms"
OPEN_STATUSES = (CollectionStatus.ACTIVE, CollectionStatus.UNDER_DEVELOPMENT)


def package_label(namespace: str, name: str) -> str:
    """``ns/name``, as messages and bulk refusal lines name a package."""
    return f"{namespace}/{name}"


def unknown_package(message: str) -> ApiError:
    return NotFound(message, code="UnknownPackage")


def unknown_collection(message: str) -> ApiError:
    return NotFound(message, code="UnknownCollection")


def unknown_listing(message: str) -> ApiError:
    return NotFound(message, code="UnknownListing")


def find_package(account: Account, name: str, namespace: str, message: str) -> Package:
    """The account's package ``namespace/name`` or 404 ``UnknownPackage`` with ``message``."""
    package = Package.get_or_none((Package.account == account) & (Package.name == name)
                                  & (Package.namespace == namespace))
    if package is None:
        raise unknown_package(message)
    return package


def find_collection(account: Account, branch: str, message: str) -> Collection:
    """The account's collection ``branch`` or 404 ``UnknownCollection`` with ``message``."""
    collection = Collection.get_or_none((Collection.account == account)
                                        & (Collection.branchname == branch))
    if collection is None:
        raise unknown_collection(message)
    return collection


def packages_named(account: Account, names: Iterable[str], namespace: str
                   ) -> dict[str, Package]:
    """The account's packages of ``namespace`` among ``names``, by name."""
    wanted = set(names)
    if not wanted:
        return {}
    query = Package.select().where((Package.account == account)
                                   & (Package.namespace == namespace)
                                   & Package.name.in_(wanted))
    return {package.name: package for package in query}


def collections_named(account: Account, branches: Iterable[str]) -> dict[str, Collection]:
    """The account's collections among ``branches``, by branchname."""
    wanted = set(branches)
    if not wanted:
        return {}
    query = Collection.select().where((Collection.account == account)
                                      & Collection.branchname.in_(wanted))
    return {collection.branchname: collection for collection in query}


def listings_of(packages: Iterable[Package], collections: Iterable[Collection]
                ) -> dict[tuple[int, int], PackageListing]:
    """The listings of those packages on those collections, by (package id, collection id)."""
    package_ids = {p.id for p in packages}
    collection_ids = {c.id for c in collections}
    if not package_ids or not collection_ids:
        return {}
    query = PackageListing.select().where(PackageListing.package.in_(package_ids)
                                          & PackageListing.collection.in_(collection_ids))
    return {(listing.package_id, listing.collection_id): listing for listing in query}


def open_collections(account: Account) -> list[Collection]:
    """The Active and Under Development collections (the branches forms offer)."""
    return list(Collection.select().where((Collection.account == account)
                                          & Collection.status.in_(OPEN_STATUSES))
                .order_by(Collection.id))


def version_key(version: str) -> tuple:
    """Orders collection versions: numerically, and ``devel`` (any word) after numbers."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in re.split(r"[.-]", version))


def not_a_choice(field: str, values: Iterable[str]) -> ApiError:
    """pkgdb2's form refusal: one ``field: 'v' is not a valid choice for this field`` line
    per bad value, as 400 ``InvalidParameterValue``."""
    lines = [f"{field}: '{echo(value)}' is not a valid choice for this field" for value in values]
    return ApiError("\n".join(lines), code="InvalidParameterValue")


def check_choices(field: str, given: Iterable[str], allowed: Iterable[str]) -> None:
    """Refuse the values of ``given`` that are not in ``allowed``."""
    allowed_set = set(allowed)
    bad = [value for value in dict.fromkeys(given) if value not in allowed_set]
    if bad:
        raise not_a_choice(field, bad)
