"""Setting one user's ACLs on a package's branches (pkgdb2 ``set_acl_package``)."""
from __future__ import annotations

from dataclasses import dataclass

from app.errors import ApiError, MultiError
from app.models import Account, AclStatus, Collection, ListingACL, Package, PackageListing

from . import acls, lookup, messages, permissions
from .permissions import AUTO_APPROVE, Actor


@dataclass(frozen=True)
class AclChange:
    """One (branch, acl) of a request, resolved."""

    collection: Collection
    acl: str
    listing: PackageListing | None
    #: the requested status after auto-approval
    status: str
    #: the current status, None when the user has no such ACL row
    previous: str | None

    @property
    def changes(self) -> bool:
        return self.previous != self.status


def plan(actor: Actor, account: Account, package: Package, branches: list[str],
         acl_names: list[str], status: str, user: str) -> list[AclChange]:
    """Every (branch × acl) with its checks; refusals are raised together at the end (one
    alone keeps its own code, several become a ``MultiError``)."""
    collections = lookup.collections_named(account, branches)
    listings = lookup.listings_of([package], collections.values())
    admin_on = permissions.admin_listings(actor, [listing.id for listing in listings.values()])
    current = {(row.listing_id, row.acl): row.status for row in ListingACL.select().where(
        ListingACL.listing.in_([listing.id for listing in listings.values()])
        & (ListingACL.fas_name == user))}
    label = lookup.package_label(package.namespace, package.name)
    planned, failures = [], []
    for branch in dict.fromkeys(branches):
        collection = collections[branch]
        listing = listings.get((package.id, collection.id))
        for acl in dict.fromkeys(acl_names):
            auto = status == AclStatus.AWAITING_REVIEW and acl in AUTO_APPROVE
            wanted = AclStatus.APPROVED if auto else status
            change = AclChange(collection, acl, listing, wanted,
                               current.get((listing.id, acl)) if listing else None)
            try:
                _check(actor, account, change, label, user,
                       listing is not None and listing.id in admin_on)
            except ApiError as error:
                failures.append((error, f"{label}@{branch}:{acl}"))
            else:
                planned.append(change)
    if len(failures) == 1 and len(planned) == 0:
        raise failures[0][0]
    if failures:
        raise MultiError([(item, error.code, error.message) for error, item in failures])
    return planned


def _check(actor: Actor, account: Account, change: AclChange, label: str, user: str,
           package_admin: bool) -> None:
    branch = change.collection.branchname
    if change.listing is None:
        raise lookup.unknown_listing(f"The package {label} could not be found in the "
                                     f"collection {branch}.")
    permissions.check_acl_target(account, user, change.acl, change.status)
    permissions.may_set_acl(actor, user, change.acl, change.status, package_admin,
                            change.listing.point_of_contact)


def apply(actor: Actor, package: Package, planned: list[AclChange], user: str
          ) -> tuple[list[str], list[tuple[int, str]]]:
    """Write the changes. Returns one message per (branch, acl), ``Nothing to update…``
    where nothing changed, and the log lines of the changes."""
    acls.upsert((c.listing.id, user, c.acl, c.status)  # type: ignore[union-attr]
                for c in planned if c.changes)  # a change to write has its listing
    shown, logged = [], []
    for change in planned:
        branch = change.collection.branchname
        if change.changes:
            line = messages.acl_update(actor.username, user, change.acl, package.name,
                                       change.previous, change.status, branch)
            logged.append((package.id, line))
        else:
            line = f"Nothing to update on branch: {branch} for acl: {change.acl}"
        shown.append(line)
    return shown, logged
