"""Admin actions and requests: RequestPackage, RequestBranch, GetAdminActions,
GetAdminAction, GetPackageRequest, SetAdminActionStatus; and the catalogue log (GetCatalogueLog)."""
from __future__ import annotations

import time
from typing import Any

from marshmallow import Schema

from app.catalogue import acls, events, lookup, messages, policy, requests
from app.catalogue.fields import Limit, choice, name, names, namespace, page_field, page_total
from app.catalogue.permissions import (holds_on_package, is_package_admin,
                                       may_set_action_status, require_packager)
from app.catalogue.serialize import action_json, date_text
from app.encoding import Integer, String
from app.errors import ApiError, NotFound, echo
from app.models import (ADMIN_ACTION_STATUSES, ADMIN_ACTIONS, Acl, AdminAction,
                        AdminActionStatus, CallerRole, Collection, Package, PackageStatus)
from app.store import admin_actions as store
from app.store.vocabularies_catalogue import ADMIN_ACTION_VOCABULARY, LOG_VOCABULARY

from .catalogue_base import CATALOGUE_QUERY_DOC, CatalogueAction, NewPackageArgs
from .fields import query_field
from .registry import register


def _unknown_action() -> NotFound:
    return NotFound("No Admin action with this identifier found", code="UnknownAdminAction")


@register
class RequestPackage(CatalogueAction):
    """Ask the catalogue admins for a new package (one request per branch; master is
    always requested)."""

    role = CallerRole.MANAGER
    writes = True
    errors = ("DuplicatePackage", "UnknownCollection")

    Args = NewPackageArgs

    def run(self, args: dict[str, Any]) -> dict:
        require_packager(self.actor)
        pkgname, ns = args["pkgname"], args["namespace"]
        branches = list(dict.fromkeys(args["branches"]))
        policy.check_new_package(pkgname, ns, branches)
        lookup.check_choices("branches", branches, requests.request_branches(self.account))
        if "master" not in branches:
            branches.append("master")
        collections = lookup.collections_named(self.account, branches)
        if "master" not in collections:
            raise lookup.unknown_collection("Branch master not found")
        policy.refuse_existing(self.account, pkgname, ns, "There is already a package named: "
                               + lookup.package_label(ns, pkgname))
        review_url = policy.review_url(args["review_url"])
        user = self.actor.username
        created = store.add_package_requests(self.account, user, [
            (collections[branch].id, requests.package_info(args, user, branch, review_url))
            for branch in branches])
        lines = [messages.package_request(user, pkgname, branch) for branch in branches]
        self.log((None, line) for line in lines)
        self.record([events.admin_action_created(action, pkgname, branch)
                     for action, branch in zip(created, branches)])
        return {"messages": lines}


@register
class RequestBranch(CatalogueAction):
    """Ask for a package on more branches; a package admin gets Fedora branches at once."""

    role = CallerRole.MANAGER
    writes = True
    errors = ("UnknownPackage",)

    class Args(Schema):
        pkgname = name("The package name.", required=True)
        branches = names("The branches wanted.")
        namespace = namespace()

    def run(self, args: dict[str, Any]) -> dict:
        require_packager(self.actor)
        ns, pkgname, user = args["namespace"], args["pkgname"], self.actor.username
        label = echo(lookup.package_label(ns, pkgname))
        package = lookup.find_package(self.account, pkgname, ns, f"No package found: {label}")
        listed = store.listed_collection_ids(package)
        offered = [c for c in lookup.open_collections(self.account) if c.id not in listed]
        branches = list(dict.fromkeys(args["branches"]))
        lookup.check_choices("branches", branches, (c.branchname for c in offered))
        allowed = policy.NAMESPACE_POLICY.get(ns)
        for branch in branches:
            if allowed is not None and branch not in allowed:
                raise ApiError(f"Branch {echo(branch)} not in policy {', '.join(allowed)}, "
                                      f"namespace {ns}", code="InvalidParameterValue")
        maintainer = holds_on_package(user, package.id, (Acl.APPROVEACLS,))
        by_branch = {c.branchname: c for c in offered}
        followers = events.Followers([package.id])
        drafts: list[events.Draft] = []
        lines = [self._request(package, by_branch[b], maintainer, drafts) for b in branches]
        self.log((package.id, line) for line in lines)
        self.record(drafts, followers)
        return {"messages": lines}

    def _request(self, package: Package, collection: Collection, maintainer: bool,
                 drafts: list[events.Draft]) -> str:
        """Request (or grant) one branch; its event goes to ``drafts``."""
        user = self.actor.username
        granted = maintainer and collection.name == requests.MAIN_DISTRIBUTION
        if granted:
            status = AdminActionStatus.APPROVED
        else:
            status = (AdminActionStatus.AWAITING_REVIEW if maintainer
                      else AdminActionStatus.PENDING)
        request, former = store.put_branch_request(self.account, user, package, collection,
                                                   status)
        if former is None:
            drafts.append(events.admin_action_created(request, package.name,
                                                      collection.branchname))
        elif former != status:
            drafts.append(events.admin_action_status_changed(request, package.name, former,
                                                             status, ""))
        if not granted:
            return f"Branch {collection.branchname} requested for user {user}"
        listing = store.add_listing(package, collection, user, PackageStatus.APPROVED)
        acls.grant_maintainer([listing.id], user)
        return f"Branch {collection.branchname} created for user {user}"


@register
class GetAdminActions(CatalogueAction):
    """The admin actions, oldest first (a Pending one older than 7 days is Awaiting Review)."""

    errors = ("InvalidQuery",)

    class Args(Schema):
        package = name("Only the requests about this package.", load_default=None)
        namespace = namespace()
        packager = name("Only the requests of this user.", load_default=None)
        #: not ``action``: that name is the transport's action name (CONTRACT §1)
        action_type = choice(ADMIN_ACTIONS, "request.package, request.branch or "
                             "request.unretire.", load_default=None)
        status = choice(ADMIN_ACTION_STATUSES + ("all",), "A status, or all (default).",
                        load_default="all")
        query = query_field(CATALOGUE_QUERY_DOC, load_default=None)
        limit = Limit()
        page = page_field()

    def run(self, args: dict[str, Any]) -> dict:
        now = time.time()
        limit, page = args["limit"], args["page"]
        found, total = store.admin_actions_page(
            self.account, package=args["package"], namespace=args["namespace"],
            user=args["packager"], action=args["action_type"],
            status=None if args["status"] == "all" else args["status"],
            condition=self.filter(args["query"], ADMIN_ACTION_VOCABULARY),
            page=page, limit=limit, now=now)
        collections = store.collections_by_id(self.account)
        return {"actions": [action_json(a, collections, now) for a in found], "page": page,
                "page_total": page_total(total, limit)}


def _find_action(account: Any, action_id: int) -> AdminAction:
    found = store.find_admin_action(account, action_id)
    if found is None:
        raise _unknown_action()
    return found


@register
class GetAdminAction(CatalogueAction):
    """One admin action by its id."""

    errors = ("UnknownAdminAction",)

    class Args(Schema):
        actionid = Integer(minimum=0, required=True,
                           metadata={"doc": "The admin action's identifier."})

    def run(self, args: dict[str, Any]) -> dict:
        action = _find_action(self.account, args["actionid"])
        return action_json(action, store.collections_by_id(self.account), time.time())


@register
class GetPackageRequest(CatalogueAction):
    """The newest package request whose review URL refers to a Bugzilla ticket (pkgdb2's
    ``/api/pkgrequest/<bzid>``, answered from the catalogue: there is no Bugzilla here)."""

    errors = ("UnknownPackageRequest",)

    class Args(Schema):
        bzid = Integer(minimum=1, required=True,
                       metadata={"doc": "The Bugzilla ticket number of the package review."})

    def run(self, args: dict[str, Any]) -> dict:
        number = args["bzid"]
        citing = [action for action in store.package_requests_citing(self.account, number)
                  if requests.cites_bug(action, number)]
        if not citing:
            raise NotFound("No package request found for this bugzilla ticket",
                           code="UnknownPackageRequest")
        return requests.package_request(number, citing, store.collections_by_id(self.account),
                                        time.time())


@register
class SetAdminActionStatus(CatalogueAction):
    """Approve, deny, block or withdraw a request; approving one does what it asks."""

    role = CallerRole.MANAGER
    writes = True
    errors = ("UnknownAdminAction",)

    class Args(Schema):
        id = Integer(minimum=0, required=True, metadata={"doc": "The admin action's id."})
        status = choice(ADMIN_ACTION_STATUSES, "The new status.", required=True)
        message = String(load_default=None,
                         metadata={"doc": "Why (needed to block or deny)."})

    def run(self, args: dict[str, Any]) -> dict:
        action = _find_action(self.account, args["id"])
        status, message = args["status"], args["message"] or ""
        may_set_action_status(self.actor, action, status,
                              is_package_admin(self.actor, action.package_id), message)
        if action.status == status:
            return {"messages": ["Nothing to change."]}
        followers = events.Followers([action.package_id] if action.package_id else [])
        changed = [(action, action.status)]
        created: Package | None = None
        if status == AdminActionStatus.APPROVED:
            siblings, created = requests.approve(self.actor, action)
            changed += [(sibling, sibling.status) for sibling in siblings]
        store.set_admin_action_status([a.id for a, _ in changed], status, message)
        lines = requests.status_lines(self.actor, changed, status, message)
        self.log(lines)
        self.record(self._drafts(changed, status, message, created), followers)
        return {"messages": [line for _, line in lines]}


    def _drafts(self, changed: list[tuple[AdminAction, str]], status: str, message: str,
                created: Package | None) -> list[events.Draft]:
        """The package an approval created, then each action's status change."""
        drafts: list[events.Draft] = []
        if created is not None:
            branches = store.collections_by_id(self.account)
            first = changed[0][0]
            info: dict[str, Any] = first.info or {}
            drafts.append(events.package_created(
                created, [branches[a.collection_id].branchname for a, _ in changed],
                first.user, PackageStatus.APPROVED, bool(info.get("pkg_critpath", False))))
        drafts += [events.admin_action_status_changed(a, requests.package_name(a), old, status,
                                                      message) for a, old in changed]
        return drafts


@register
class GetCatalogueLog(CatalogueAction):
    """The catalogue's change log, newest first."""

    errors = ("InvalidQuery",)

    class Args(Schema):
        query = query_field(CATALOGUE_QUERY_DOC, load_default=None)
        limit = Limit()
        offset = Integer(minimum=0, maximum=2**62, load_default=0,
                         metadata={"doc": "Lines to skip."})

    def run(self, args: dict[str, Any]) -> dict:
        rows = store.log_lines(self.account, self.filter(args["query"], LOG_VOCABULARY),
                               args["limit"], args["offset"])
        return {"logs": [{"id": row.id, "user": row.user,
                          "change_time": date_text(row.change_time),
                          "package": (lookup.package_label(row.package.namespace,
                                                           row.package.name)
                                      if row.package_id else None),
                          "description": row.description} for row in rows]}
