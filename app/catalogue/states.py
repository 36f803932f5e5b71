"""Listing state rules (pkgdb2 ``update_pkg_poc``, ``unorphan_package``, ``update_pkg_status``).

Each change has a ``plan_*`` step, which checks every pair and files refusals, and an
``apply_*`` step, which changes every planned listing with set-based SQL and returns the
``(package id, message)`` lines for the response and the log.
"""
from __future__ import annotations

from collections import defaultdict

from peewee import Case

from app.idset import in_ids
from app.models import (ORPHAN, Collection, CollectionStatus, Package, PackageListing,
                        PackageStatus, epoch_now)

from . import acls, messages, permissions
from .bulk import Pair, Refusals, invalid_change
from .permissions import Actor

Lines = list[tuple[int, str]]
CLOSED = (PackageStatus.RETIRED, PackageStatus.REMOVED)


def _update_listings(pairs: list[Pair], **values) -> None:
    ids = [pair.listing.id for pair in pairs]
    PackageListing.update(status_change=epoch_now(), **values).where(
        in_ids(PackageListing.id, ids)).execute()


# -- point of contact: orphan, reassign ------------------------------------------------------

def plan_poc_change(actor: Actor, pairs: list[Pair], former_poc: str | None,
                    refusals: Refusals) -> list[Pair]:
    """The pairs whose POC ``actor`` may change. With ``former_poc``, pairs held by someone
    else are left alone (refused only when that leaves nothing to change)."""
    planned, elsewhere = [], []
    for pair in pairs:
        if former_poc is not None and pair.listing.point_of_contact != former_poc:
            elsewhere.append(pair)
        elif refusals.check(pair, lambda: _poc_rules(actor, pair)):
            planned.append(pair)
    if elsewhere and not planned:
        for pair in elsewhere:
            refusals.add(pair.item, invalid_change(
                "Orphaning restricted to the packages of user "
                f"{pair.listing.point_of_contact}"))
    return planned


def _poc_rules(actor: Actor, pair: Pair) -> None:
    status = pair.listing.status
    if status in CLOSED:
        raise invalid_change(f"Package {pair.label} is {status.lower()} on "
                             f"{pair.collection.branchname}")
    permissions.may_change_poc(actor, pair.listing.point_of_contact)


def apply_poc_change(actor: Actor, pairs: list[Pair], new_poc: str) -> Lines:
    """Give the listings to ``new_poc``. Orphaning obsoletes the former POC's commit and
    approveacls; a new POC takes an orphaned listing back to Approved with its ACLs."""
    if new_poc == ORPHAN:
        by_former: dict[str, list[int]] = defaultdict(list)
        for pair in pairs:
            by_former[pair.listing.point_of_contact].append(pair.listing.id)
        for former, listing_ids in by_former.items():
            acls.obsolete_maintainer(listing_ids, former)
        _update_listings(pairs, point_of_contact=ORPHAN, status=PackageStatus.ORPHANED)
    else:
        reopened = Case(None, [(PackageListing.status == PackageStatus.ORPHANED,
                                PackageStatus.APPROVED)],
                        PackageListing.status)
        _update_listings(pairs, point_of_contact=new_poc, status=reopened)
        acls.grant_maintainer([pair.listing.id for pair in pairs], new_poc)
    return [(pair.package.id, messages.owner_update(
        actor.username, pair.package.name, pair.listing.point_of_contact, new_poc,
        pair.collection.branchname)) for pair in pairs]


# -- unorphan --------------------------------------------------------------------------------

def _in_status(pairs: list[Pair], refusals: Refusals, status: str) -> list[Pair]:
    """The pairs whose listing is in ``status``; the others are refused."""
    planned = []
    for pair in pairs:
        if pair.listing.status == status:
            planned.append(pair)
        else:
            refusals.add(pair.item, invalid_change(
                f'Package "{pair.label}" is not {status.lower()} on '
                f'{pair.collection.branchname}'))
    return planned


def plan_unorphan(pairs: list[Pair], refusals: Refusals) -> list[Pair]:
    """Only Orphaned listings can be taken (a retired one is unretired first)."""
    return _in_status(pairs, refusals, PackageStatus.ORPHANED)


def apply_unorphan(pairs: list[Pair], poc: str) -> Lines:
    """``poc`` becomes the point of contact, the listing Approved, with its ACLs."""
    _update_listings(pairs, point_of_contact=poc, status=PackageStatus.APPROVED)
    acls.grant_maintainer([pair.listing.id for pair in pairs], poc)
    return [(pair.package.id, messages.unorphaned(pair.label, pair.collection.branchname, poc))
            for pair in pairs]


# -- retire, unretire ------------------------------------------------------------------------

def plan_retire(actor: Actor, pairs: list[Pair], refusals: Refusals) -> list[Pair]:
    """The pairs ``actor`` may retire (see :func:`permissions.may_retire`)."""
    admin_on = permissions.admin_listings(actor, [pair.listing.id for pair in pairs])
    return [pair for pair in pairs if refusals.check(
        pair, lambda: _retire_rules(actor, pair, pair.listing.id in admin_on))]


def _retire_rules(actor: Actor, pair: Pair, package_admin: bool) -> None:
    branch = pair.collection.branchname
    if pair.listing.status == PackageStatus.RETIRED:
        raise invalid_change(f"Package {pair.label} is already retired on {branch}")
    permissions.may_retire(actor, pair.listing.point_of_contact, package_admin,
                           pair.collection.allow_retire, pair.label, branch)


def apply_retire(actor: Actor, pairs: list[Pair]) -> Lines:
    """Retired, POC ``orphan``, every ACL Obsolete; a package retired on every non-EOL
    branch stops being monitored."""
    listing_ids = [pair.listing.id for pair in pairs]
    acls.obsolete_all(listing_ids)
    _update_listings(pairs, point_of_contact=ORPHAN, status=PackageStatus.RETIRED)
    package_ids = list({pair.package.id for pair in pairs})
    still_open = (PackageListing.select(PackageListing.package).join(Collection)
                  .where(PackageListing.package.in_(package_ids)
                         & (PackageListing.status != PackageStatus.RETIRED)
                         & (Collection.status != CollectionStatus.EOL)))
    Package.update(monitor="false").where(Package.id.in_(package_ids)
                                          & Package.id.not_in(still_open)).execute()
    return [(pair.package.id, messages.status_update(
        actor.username, pair.package.name, pair.listing.status, PackageStatus.RETIRED,
        pair.collection.branchname)) for pair in pairs]


def plan_unretire(pairs: list[Pair], refusals: Refusals) -> list[Pair]:
    """Only Retired listings can be unretired."""
    return _in_status(pairs, refusals, PackageStatus.RETIRED)


def apply_unretire(actor: Actor, pairs: list[Pair]) -> Lines:
    """The listing becomes Orphaned with POC ``orphan``, ready to be unorphaned."""
    _update_listings(pairs, point_of_contact=ORPHAN, status=PackageStatus.ORPHANED)
    return [(pair.package.id, messages.status_update(
        actor.username, pair.package.name, PackageStatus.RETIRED, PackageStatus.ORPHANED,
        pair.collection.branchname)) for pair in pairs]


# -- critpath --------------------------------------------------------------------------------

def critpath_changes(pairs: list[Pair], critpath: bool) -> list[Pair]:
    """The pairs whose critpath flag differs from ``critpath``."""
    return [pair for pair in pairs if pair.listing.critpath != critpath]


def apply_critpath(pairs: list[Pair], critpath: bool) -> Lines:
    """Set the critpath flag where it differs."""
    changed = critpath_changes(pairs, critpath)
    if changed:
        PackageListing.update(critpath=critpath).where(
            in_ids(PackageListing.id, [pair.listing.id for pair in changed])).execute()
    return [(pair.package.id, messages.critpath_update(pair.label, pair.collection.branchname,
                                                       critpath)) for pair in changed]
