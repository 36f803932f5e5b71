"""Admin actions (package and branch requests) and the catalogue log of an account."""
from __future__ import annotations

from typing import Any, Iterable

from peewee import JOIN, Cast, ColumnBase, fn

from app.catalogue.pending import status_condition
from app.models import (Account, AdminAction, AdminActionStatus, AdminActionType, CatalogueLog,
                        Collection, CollectionStatus, Package, PackageListing, epoch_now)


def add_package_requests(account: Account, user: str,
                         requests: Iterable[tuple[int, dict[str, Any]]]) -> list[AdminAction]:
    """One request.package action Awaiting Review per ``(collection id, info)``; the new
    actions, by id. (The catalogue writers of an account are serialised, so the account's
    actions after the highest id seen before the insert are these.)"""
    now = epoch_now()
    mark = AdminAction.select(fn.COALESCE(fn.MAX(AdminAction.id), 0)).where(
        AdminAction.account == account).scalar()
    AdminAction.insert_many([
        {"account": account.id, "action": AdminActionType.PACKAGE, "user": user,
         "status": AdminActionStatus.AWAITING_REVIEW, "collection": collection_id, "info": info,
         "date_created": now, "date_updated": now}
        for collection_id, info in requests]).execute()
    return list(AdminAction.select().where((AdminAction.account == account)
                                           & (AdminAction.id > mark)).order_by(AdminAction.id))


def listed_collection_ids(package: Package) -> set[int]:
    """The ids of the collections the package has a listing on."""
    return {cid for (cid,) in PackageListing.select(PackageListing.collection)
            .where(PackageListing.package == package).tuples()}


def put_branch_request(account: Account, user: str, package: Package, collection: Collection,
                       status: str) -> tuple[AdminAction, str | None]:
    """The user's request.branch of the package on the collection, created or set to
    ``status``; with its former status (None when created)."""
    now = epoch_now()
    found = AdminAction.get_or_none(
        (AdminAction.account == account) & (AdminAction.user == user)
        & (AdminAction.action == AdminActionType.BRANCH) & (AdminAction.package == package)
        & (AdminAction.collection == collection))
    if found is None:
        created = AdminAction.create(account=account, action=AdminActionType.BRANCH, user=user,
                                     status=status, package=package, collection=collection,
                                     date_created=now, date_updated=now)
        return created, None
    AdminAction.update(status=status, date_updated=now).where(
        AdminAction.id == found.id).execute()
    former, found.status = found.status, status
    return found, former


def add_listing(package: Package, collection: Collection, point_of_contact: str,
                status: str) -> PackageListing:
    """A new listing of the package on the collection."""
    return PackageListing.create(package=package, collection=collection,
                                 point_of_contact=point_of_contact, status=status)


def collections_by_id(account: Account) -> dict[int, Collection]:
    """Every collection of the account, by id."""
    return {c.id: c for c in Collection.select().where(Collection.account == account)}


def _actions() -> Any:
    return AdminAction.select(AdminAction, Package).join(Package, JOIN.LEFT_OUTER)


def admin_actions_page(account: Account, *, package: str | None, namespace: str,
                       user: str | None, action: str | None, status: str | None,
                       condition: ColumnBase | None, page: int, limit: int, now: float
                       ) -> tuple[list[AdminAction], int]:
    """One page of the account's admin actions (package joined), oldest first, and how many
    match in all: about the package ``namespace/package`` on a non-EOL collection, of
    ``user``, of that ``action`` type, reading as ``status`` at ``now`` and matching the
    compiled ``condition``, each when given."""
    query = _actions().where(AdminAction.account == account)
    if package is not None:
        query = query.where(AdminAction.package.in_(
            Package.select(Package.id).join(PackageListing).join(Collection)
            .where((Package.account == account) & (Package.name == package)
                   & (Package.namespace == namespace)
                   & (Collection.status != CollectionStatus.EOL))))
    if user is not None:
        query = query.where(AdminAction.user == user)
    if action is not None:
        query = query.where(AdminAction.action == action)
    if status is not None:
        query = query.where(status_condition(status, now))
    if condition is not None:
        query = query.where(condition)
    found = list(query.order_by(AdminAction.date_created, AdminAction.id).paginate(page, limit))
    return found, query.count()


def find_admin_action(account: Account, action_id: int) -> AdminAction | None:
    """The account's admin action ``action_id`` (package joined), or None."""
    return _actions().where((AdminAction.account == account)
                            & (AdminAction.id == action_id)).first()


def package_requests_citing(account: Account, number: int) -> list[AdminAction]:
    """The account's request.package actions whose stored review URL ends with ``number``
    (the caller checks how the URL refers to it), newest first, package joined."""
    # ``info`` is compact JSON text: the review URL's value ends with the number and a quote.
    # The pattern may run on past that value, so it only narrows the rows down (``**`` is
    # ILIKE, LIKE on SQLite, where peewee's ``%`` would be GLOB; the cast keeps the JSON
    # field from encoding the pattern as JSON).
    mention = f'%"pkg_review_url":"%{number}"%'
    return list(_actions().where((AdminAction.account == account)
                                 & (AdminAction.action == AdminActionType.PACKAGE)
                                 & (Cast(AdminAction.info, "TEXT") ** mention))
                .order_by(AdminAction.date_created.desc(), AdminAction.id.desc()))


def set_admin_action_status(ids: list[int], status: str, message: str) -> None:
    """Set the status and message of these admin actions."""
    AdminAction.update(status=status, message=message, date_updated=epoch_now()).where(
        AdminAction.id.in_(ids)).execute()


def log_lines(account: Account, condition: ColumnBase | None, limit: int, offset: int
              ) -> Iterable[CatalogueLog]:
    """The account's catalogue log matching the compiled ``condition``, newest first
    (package joined)."""
    query = (CatalogueLog.select(CatalogueLog, Package).join(Package, JOIN.LEFT_OUTER)
             .where(CatalogueLog.account == account))
    if condition is not None:
        query = query.where(condition)
    return query.order_by(CatalogueLog.id.desc()).limit(limit).offset(offset)
