"""Catalogue changes in the event log (DIALECTS.md §3): one event per changed collection,
package, listing, ACL or admin action, written in the change's transaction.

The builders below make each kind's :class:`~app.store.events.NewEvent` from the objects the
change already holds (``package-``, ``collection-`` or ``admin_action-`` streams, details);
:func:`record` adds the ``user-`` and ``account-`` streams and the packages' followers and
writes them all with one insert per :data:`CHUNK` events. A package's followers are its points
of contact that are persons and every packager with an Approved ``watchcommits`` or
``watchbugzilla`` ACL on it, before or after the change (a retired package's former watchers
learn of it, a new point of contact sees what made him one): :class:`Followers` asks the store
once before the change and once after, whatever the number of rows.
"""
from __future__ import annotations

from dataclasses import replace
from itertools import islice
from typing import Any, Iterable, Iterator, Sequence

from app.idset import in_ids
from app.models import (GROUP_PREFIX, ORPHAN, Account, Acl, AclStatus, AdminAction, Collection,
                        EventAction, EventType, ListingACL, Package, PackageListing)
from app.store import events as event_log
from app.store.events import NewEvent

from .bulk import Pair
from .lookup import package_label

#: an event and the package whose followers follow it (``None``: nobody)
Draft = tuple[int | None, NewEvent]
#: events per insert: 13 bound values each stays under every store's parameter limit
CHUNK = 1000
WATCH_ACLS = (Acl.WATCHCOMMITS, Acl.WATCHBUGZILLA)


# -- followers -------------------------------------------------------------------------------

def followers_of(package_ids: Iterable[int]) -> dict[int, set[str]]:
    """Per package: its points of contact that are persons and its Approved watchers (one
    query)."""
    ids = sorted(set(package_ids))
    if not ids:
        return {}
    pocs = PackageListing.select(PackageListing.package, PackageListing.point_of_contact).where(
        in_ids(PackageListing.package, ids))
    watchers = (ListingACL.select(PackageListing.package, ListingACL.fas_name)
                .join(PackageListing)
                .where(in_ids(PackageListing.package, ids) & ListingACL.acl.in_(WATCH_ACLS)
                       & (ListingACL.status == AclStatus.APPROVED)))
    found: dict[int, set[str]] = {}
    for package_id, username in (pocs | watchers).tuples():
        if username != ORPHAN and not username.startswith(GROUP_PREFIX):
            found.setdefault(package_id, set()).add(username)
    return found


class Followers:
    """The followers of ``package_ids`` before a change; :meth:`now` adds those after it."""

    def __init__(self, package_ids: Iterable[int] = ()) -> None:
        self.before = followers_of(package_ids)

    def now(self, package_ids: Iterable[int]) -> dict[int, list[str]]:
        """Per package: its followers before or after the change, sorted."""
        after = followers_of(package_ids)
        return {pid: sorted(self.before.get(pid, set()) | after.get(pid, set()))
                for pid in set(self.before) | set(after)}


# -- writing ---------------------------------------------------------------------------------

def record(account: Account, actor: str | None, drafts: Sequence[Draft],
           followers: Followers | None = None) -> None:
    """Write the change's events, acted by ``actor``, with the user and account streams and
    (given ``followers``) each package's followers."""
    if not drafts:
        return
    following = (followers.now(pid for pid, _ in drafts if pid is not None)
                 if followers is not None else {})
    common = ([f"user-{actor}"] if actor else []) + [f"account-{account.name}"]
    stamp = event_log.now()
    events = (replace(event, streams=[*event.streams, *common],
                      followers=following.get(pid, []) if pid is not None else [])
              for pid, event in drafts)
    for chunk in _chunks(events):
        event_log.record(account.id, actor, chunk, at=stamp)


def _chunks(events: Iterator[NewEvent]) -> Iterator[list[NewEvent]]:
    while chunk := list(islice(events, CHUNK)):
        yield chunk


# -- collections -----------------------------------------------------------------------------

def _collection_event(collection: Collection, action: EventAction,
                      details: dict[str, Any]) -> Draft:
    branch = collection.branchname
    return None, NewEvent(EventType.COLLECTION, action, f"collection {branch}",
                          topic=f"collections/{branch}",
                          description=f"{collection.name} {collection.version}",
                          details=details, link=["collection", {"id": branch}],
                          streams=[f"collection-{branch}"])


def collection_created(collection: Collection) -> Draft:
    """``collection created``: its name, version and status."""
    return _collection_event(collection, EventAction.CREATED, {
        "name": collection.name, "version": collection.version, "status": collection.status})


def collection_status_changed(collection: Collection, old: str, new: str) -> Draft:
    """``collection status changed`` from ``old`` to ``new``."""
    return _collection_event(collection, EventAction.STATUS_CHANGED, {"from": old, "to": new})


# -- packages and their listings -------------------------------------------------------------

def _package_event(package: Package, type_: EventType, action: EventAction, target: str,
                   topic: str, details: dict[str, Any]) -> Draft:
    return package.id, NewEvent(type_, action, target, topic=topic,
                                description=package.summary or "", details=details,
                                link=["package", {"id": package.name}],
                                streams=[f"package-{package.name}"])


def package_event(package: Package, action: EventAction, details: dict[str, Any]) -> Draft:
    """An event of the package itself: ``package rpms/guake`` on ``packages/rpms/guake``."""
    label = package_label(package.namespace, package.name)
    return _package_event(package, EventType.PACKAGE, action, f"package {label}",
                          f"packages/{label}", details)


def package_created(package: Package, branches: Sequence[str], point_of_contact: str,
                    status: str, critpath: bool) -> Draft:
    """``package created`` with its listings' branches, point of contact and status."""
    return package_event(package, EventAction.CREATED, {
        "branches": list(branches), "point_of_contact": point_of_contact, "status": status,
        "critpath": critpath})


def package_edited(package: Package, changes: dict[str, Any]) -> Draft:
    """``package edited``: the new value of each changed field."""
    pid, event = package_event(package, EventAction.EDITED, {"changed": changes})
    return pid, replace(event, description=changes.get("summary", event.description))


def package_flag_changed(package: Package, action: EventAction, old: Any, new: Any) -> Draft:
    """``monitoring changed`` or ``koschei changed`` from ``old`` to ``new``."""
    return package_event(package, action, {"from": old, "to": new})


def listings_changed(pairs: Sequence[Pair], action: EventAction, old: str, new: str
                     ) -> list[Draft]:
    """One event per listing: the listing's ``old`` attribute (``point_of_contact``,
    ``status`` or ``critpath``, as it was before the change) to ``new``."""
    return [package_event(pair.package, action, {
        "branch": pair.collection.branchname, "from": getattr(pair.listing, old), "to": new})
        for pair in pairs]


def acl_changed(package: Package, branch: str, acl: str, user: str, previous: str | None,
                status: str, requested: bool) -> Draft:
    """``acl requested`` (the caller asked for review) or ``acl set`` of ``user``'s ``acl`` on
    the package's ``branch``."""
    label = package_label(package.namespace, package.name)
    return _package_event(
        package, EventType.ACL, EventAction.REQUESTED if requested else EventAction.SET,
        f"acl {label}@{branch} {acl} {user}", f"acls/{label}",
        {"branch": branch, "acl": acl, "user": user, "from": previous, "to": status})


# -- admin actions ---------------------------------------------------------------------------

def _admin_action_event(action: AdminAction, package_name: str, event_action: EventAction,
                        details: dict[str, Any]) -> Draft:
    streams = [f"admin_action-{action.id}"] + ([f"package-{package_name}"]
                                               if package_name else [])
    return action.package_id, NewEvent(
        EventType.ADMIN_ACTION, event_action, f"admin action {action.id}",
        topic=f"admin_actions/{action.id}", description=f"{action.action} {package_name}".strip(),
        details=details, link=["admin_action", {"id": action.id}], streams=streams)


def admin_action_created(action: AdminAction, package_name: str, branch: str) -> Draft:
    """``admin action created``: its type, package, branch and status."""
    return _admin_action_event(action, package_name, EventAction.CREATED, {
        "action": action.action, "package": package_name, "branch": branch,
        "status": action.status})


def admin_action_status_changed(action: AdminAction, package_name: str, old: str, new: str,
                                message: str) -> Draft:
    """``admin action status changed`` from ``old`` to ``new`` (with the message, if any)."""
    details: dict[str, Any] = {"from": old, "to": new}
    if message:
        details["message"] = message
    return _admin_action_event(action, package_name, EventAction.STATUS_CHANGED, details)
