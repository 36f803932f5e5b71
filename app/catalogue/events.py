"""Catalogue changes in the event log (DIALECTS.md §3): one event per changed collection,
package, listing, ACL or admin action, written in the change's transaction.

Changes of a few objects build each event (:class:`~app.store.events.NewEvent`) from the
objects they hold and write them with :func:`record`, which adds the ``user-`` and
``account-`` streams and the packages' followers: one insert. Bulk listing changes (orphan,
retire… over packages × branches) write theirs with :func:`record_listing_changes`: one
``INSERT … SELECT`` over the listings, followers included, whatever their number.

A package's followers are its points of contact that are persons and every packager with an
Approved ``watchcommits`` or ``watchbugzilla`` ACL on it, before or after the change (a retired
package's former watchers learn of it, a new point of contact sees what made him one).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterable, Sequence

from peewee import JOIN, Case, Node, PostgresqlDatabase, Select, Value, fn

from app.idset import in_ids
from app.models import (GROUP_PREFIX, ORPHAN, Account, Acl, AclStatus, AdminAction, Collection,
                        EventAction, EventType, ListingACL, Package, PackageListing, database)
from app.store import events as event_log
from app.store.events import NewEvent

from .bulk import Pair
from .lookup import package_label

#: an event and the package whose followers follow it (``None``: nobody)
Draft = tuple[int | None, NewEvent]
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
    event_log.record(account.id, actor, [
        replace(event, streams=[*event.streams, *common],
                followers=following.get(pid, []) if pid is not None else [])
        for pid, event in drafts])


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


# -- packages and their ACLs ------------------------------------------------------------------

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


# -- listing changes in bulk: one INSERT … SELECT --------------------------------------------

def record_listing_changes(account: Account, actor: str, pairs: Sequence[Pair],
                           action: EventAction, old: str, new: str | bool,
                           joining: str | None = None) -> None:
    """One event per listing of ``pairs``, set-based: ONE ``INSERT … SELECT`` over the
    listings, whatever their number, with details ``{"branch", "from", "to"}`` where ``from``
    is the listing's ``old`` column (``point_of_contact``, ``status`` or ``critpath``) and
    ``to`` is ``new``.

    Called inside the change's transaction once the change is allowed and *before* its
    updates, so that ``from`` reads the listings as they were. The followers are the
    packages' followers then, plus ``joining`` (the new point of contact): for the listing
    changes that is everyone following before or after the change.
    """
    if not pairs:
        return
    listing_ids = [pair.listing.id for pair in pairs]
    label = event_log.text("package ", Package.namespace, "/", Package.name)
    streams = event_log.json_array(_quoted(event_log.text("package-", Package.name)),
                                   f"user-{actor}", f"account-{account.name}")
    details = event_log.json_object({"branch": _quoted(Collection.branchname),
                                     "from": _json_column(old), "to": new})
    followers = _followers_by_package(listing_ids, joining)
    query = (PackageListing
             .select(Package.account, Value(event_log.now()), Value(actor),
                     Value(EventType.PACKAGE.value), Value(action.value), label, Value(""),
                     Package.summary,
                     event_log.text("packages/", Package.namespace, "/", Package.name),
                     details.sql(),
                     event_log.json_array("package", event_log.json_object(
                         {"id": _quoted(Package.name)})).sql(),
                     streams.sql(), fn.COALESCE(followers.c.followers, "[]"))
             .join(Package).switch(PackageListing).join(Collection)
             .join(followers, JOIN.LEFT_OUTER, on=(followers.c.package_id == Package.id))
             .where(in_ids(PackageListing.id, listing_ids))
             .order_by(PackageListing.id))
    event_log.record_selected(account.id, query)


def _postgres() -> bool:
    return isinstance(database.obj, PostgresqlDatabase)


def _quoted(expr: Node) -> Node:
    """``expr`` (text) as a JSON string, every character escaped by the store's own JSON
    functions."""
    if _postgres():
        return fn.to_json(expr.cast("text")).cast("text")
    return fn.json_quote(expr)


def _json_column(column: str) -> Node:
    """A listing column as JSON: a string, or ``true``/``false`` for ``critpath``."""
    field = getattr(PackageListing, column)
    if column == "critpath":
        return Case(None, [(field, "true")], "false")
    return _quoted(field)


def _followers_by_package(listing_ids: list[int], joining: str | None) -> Any:
    """A derived table ``(package_id, followers)``: per package of these listings, its
    followers (and ``joining``, when a person) as a sorted JSON array, computed once per
    package."""
    packages = PackageListing.select(PackageListing.package).where(
        in_ids(PackageListing.id, listing_ids))
    listing = PackageListing.alias("fl")
    sources = listing.select(listing.package.alias("package_id"),
                             listing.point_of_contact.alias("u")).where(
        listing.package.in_(packages))
    watched = PackageListing.alias("wl")
    sources |= (ListingACL.select(watched.package, ListingACL.fas_name)
                .join(watched, on=(ListingACL.listing == watched.id))
                .where(watched.package.in_(packages) & ListingACL.acl.in_(WATCH_ACLS)
                       & (ListingACL.status == AclStatus.APPROVED)))
    if joining is not None:
        sources |= PackageListing.select(PackageListing.package, Value(joining).cast("text")) \
            .where(in_ids(PackageListing.id, listing_ids))
    rows = sources.alias("f")
    username = rows.c.u
    if _postgres():
        gathered = fn.json_agg(username).order_by(username).cast("text")
        source: Any = rows
    else:  # json_group_array keeps the order of its rows (this SQLite has no ORDER BY in it)
        source = (Select([rows], [rows.c.package_id, username])
                  .order_by(rows.c.package_id, username).alias("s"))
        username = source.c.u
        gathered = fn.json_group_array(username)
    return (Select([source], [source.c.package_id, gathered.alias("followers")])
            .where((username != ORPHAN)
                   & (fn.substr(username, 1, len(GROUP_PREFIX)) != GROUP_PREFIX))
            .group_by(source.c.package_id).alias("fo"))
