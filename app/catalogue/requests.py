"""Admin actions: package and branch requests, and what approving one does."""
from __future__ import annotations

import re
from typing import Any

from app.models import (Account, AdminAction, AdminActionStatus, AdminActionType, Collection,
                        CollectionStatus, Package, PackageListing, PackageStatus, epoch_now)

from . import acls, lookup, messages
from .pending import shown_status
from .permissions import Actor

#: the collection name whose requests are approved together (pkgdb2: Fedora, not EPEL)
MAIN_DISTRIBUTION = "Fedora"


def request_branches(account: Account) -> list[str]:
    """Branches a new package may be requested on: every Under Development collection, the
    Active ones, except that only the two highest Fedora versions are offered."""
    open_ = lookup.open_collections(account)
    fedora = sorted((c for c in open_
                     if c.status == CollectionStatus.ACTIVE and c.name == MAIN_DISTRIBUTION),
                    key=lambda c: lookup.version_key(c.version), reverse=True)
    dropped = {c.id for c in fedora[2:]}
    return [c.branchname for c in open_ if c.id not in dropped]


def package_info(args: dict, requester: str, branch: str, review_url: str | None) -> dict:
    """The ``info`` of a request.package action (pkgdb2's keys)."""
    monitor = args["monitoring_status"]
    return {"pkg_name": args["pkgname"], "pkg_summary": args["summary"],
            "pkg_description": args["description"], "pkg_status": PackageStatus.APPROVED,
            "pkg_collection": branch, "pkg_poc": requester, "pkg_review_url": review_url,
            "pkg_upstream_url": args["upstream_url"], "pkg_critpath": False,
            "pkg_namespace": args["namespace"],
            "monitoring_status": monitor == "true" if monitor != "nobuild" else monitor,
            "koschei": args["koschei"], "co-maintainers": []}


def package_name(action: AdminAction) -> str:
    """The name messages give a request: its ``info.pkg_name`` or its package's name."""
    info: dict[str, Any] = action.info or {}
    name = info.get("pkg_name")
    if name:
        return name
    return action.package.name if action.package_id else ""


# -- package requests by their Bugzilla ticket -------------------------------------------------

def cites_bug(action: AdminAction, number: int) -> bool:
    """Whether a request's review URL refers to Bugzilla ticket ``number``:
    ``<tracker>/<n>``, ``…show_bug.cgi?id=<n>``, or any URL ending in ``/<n>``."""
    info: dict[str, Any] = action.info or {}
    review_url = info.get("pkg_review_url")
    return isinstance(review_url, str) and re.search(
        rf"(?:/|[?&]id=){number}\Z", review_url) is not None


def _one_request(action: AdminAction) -> tuple[Any, ...]:
    """What the actions of one RequestPackage call share (one action per branch)."""
    info: dict[str, Any] = action.info or {}
    return (action.user, info.get("pkg_name"), info.get("pkg_namespace"), action.date_created)


def package_request(number: int, actions: list[AdminAction],
                    collections: dict[int, Collection], now: float) -> dict[str, Any]:
    """The newest package request among ``actions`` (request.package actions citing bug
    ``number``, newest first): the requested package, its branches in the order they were
    asked for (master last), the request's status (its master branch's), the requester and
    each branch's admin action."""
    newest = actions[0]
    mine = [action for action in reversed(actions)
            if _one_request(action) == _one_request(newest)]
    branches = [collections[action.collection_id].branchname for action in mine]
    by_branch = dict(zip(branches, mine))
    info: dict[str, Any] = newest.info or {}
    return {"bzid": number, "name": info.get("pkg_name"),
            "namespace": info.get("pkg_namespace") or lookup.DEFAULT_NAMESPACE,
            "summary": info.get("pkg_summary"), "description": info.get("pkg_description"),
            "review_url": info.get("pkg_review_url"),
            "upstream_url": info.get("pkg_upstream_url"),
            "monitoring_status": info.get("monitoring_status", True),
            "koschei": info.get("koschei", False), "branches": branches,
            "status": shown_status(by_branch.get("master", newest), now),
            "user": newest.user, "date_created": newest.date_created,
            "requests": [{"id": action.id, "branch": branch,
                          "status": shown_status(action, now)}
                         for branch, action in by_branch.items()]}


# -- approval --------------------------------------------------------------------------------

def approve(actor: Actor, action: AdminAction) -> tuple[list[AdminAction], Package | None]:
    """Do what an approved request asks; returns the sibling requests approved with it
    (a package request approves the requester's other pending requests of that package on
    Fedora collections) and the package the approval created, if it did."""
    if action.action == AdminActionType.PACKAGE:
        package, created = _requested_package(action)
        siblings = _pending_siblings(action, package)
        for request in [action, *siblings]:
            _list_for_requester(request, package)
        return siblings, package if created else None
    if action.package_id is not None:
        _list_for_requester(action, action.package)
    return [], None


def _requested_package(action: AdminAction) -> tuple[Package, bool]:
    """The requested package, created from the request's ``info`` unless it exists; whether
    it was created."""
    info: dict[str, Any] = action.info or {}
    namespace = info.get("pkg_namespace") or lookup.DEFAULT_NAMESPACE
    package = Package.get_or_none((Package.account == action.account_id)
                                  & (Package.name == info.get("pkg_name"))
                                  & (Package.namespace == namespace))
    if package is not None:
        return package, False
    monitor = info.get("monitoring_status", True)
    return Package.create(
        account=action.account_id, name=info.get("pkg_name"), namespace=namespace,
        summary=info.get("pkg_summary") or "", description=info.get("pkg_description"),
        review_url=info.get("pkg_review_url"), upstream_url=info.get("pkg_upstream_url"),
        monitor="nobuild" if monitor == "nobuild" else ("true" if monitor else "false"),
        koschei_monitor=bool(info.get("koschei"))), True


def _pending_siblings(action: AdminAction, package: Package) -> list[AdminAction]:
    """The requester's other Awaiting Review requests of this package on Fedora branches."""
    candidates = (AdminAction.select(AdminAction).join(Collection, on=(
        AdminAction.collection == Collection.id))
        .where((AdminAction.account == action.account_id) & (AdminAction.id != action.id)
               & (AdminAction.user == action.user)
               & AdminAction.action.in_((AdminActionType.PACKAGE, AdminActionType.BRANCH))
               & (AdminAction.status == AdminActionStatus.AWAITING_REVIEW)
               & (Collection.name == MAIN_DISTRIBUTION)))
    return [other for other in candidates
            if other.package_id == package.id
            or (other.action == AdminActionType.PACKAGE
                and package_name(other) == package.name
                and (other.info or {}).get("pkg_namespace", "rpms") == package.namespace)]


def _list_for_requester(request: AdminAction, package: Package) -> None:
    """List the package on the request's collection with the requester as point of contact
    (a retired or orphaned listing is taken back), and give the requester its ACLs."""
    listing = PackageListing.get_or_none((PackageListing.package == package)
                                         & (PackageListing.collection == request.collection_id))
    if listing is None:
        info: dict[str, Any] = request.info or {}
        listing = PackageListing.create(package=package, collection=request.collection_id,
                                        point_of_contact=request.user,
                                        status=PackageStatus.APPROVED,
                                        critpath=bool(info.get("pkg_critpath", False)))
    elif listing.status in (PackageStatus.ORPHANED, PackageStatus.RETIRED):
        PackageListing.update(point_of_contact=request.user, status=PackageStatus.APPROVED,
                              status_change=epoch_now()).where(
            PackageListing.id == listing.id).execute()
    acls.grant_maintainer([listing.id], request.user)
    if request.package_id is None and not AdminAction.select().where(
            (AdminAction.account == request.account_id) & (AdminAction.user == request.user)
            & (AdminAction.action == request.action) & (AdminAction.package == package)
            & (AdminAction.collection == request.collection_id)).exists():
        request.package = package
        AdminAction.update(package=package).where(AdminAction.id == request.id).execute()


def status_lines(actor: Actor, changed: list[tuple[AdminAction, str]], new: str,
                 message: str | None) -> list[tuple[int | None, str]]:
    """pkgdb2's admin-action log line for each ``(action, old status)``."""
    return [(action.package_id, messages.action_update(
        actor.username, action.id, package_name(action), old, new, message))
        for action, old in changed]
