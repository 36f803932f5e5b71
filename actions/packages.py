"""Packages: info, search, creation, edition, critpath, monitoring (pkgdb2 /api/package*)."""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from app.catalogue import acls, bulk, events, lookup, policy, search, states
from app.catalogue.fields import (Limit, MonitorStatus, choice, flag, monitor_text, name,
                                  names, namespace, page_field, page_total)
from app.catalogue.permissions import (MAINTAINER_ACLS, check_poc, holds_on_package,
                                       may_set_monitoring, require_packager)
from app.catalogue.serialize import NOT_PROVENPACKAGER, listing_json, package_json
from app.encoding import Boolean, String
from app.errors import echo
from app.models import ORPHAN, PACKAGE_STATUSES, CallerRole, EventAction, Package
from app.store import packages as store
from app.store.vocabularies_catalogue import PACKAGE_VOCABULARY

from .catalogue_base import (CATALOGUE_QUERY_DOC, BulkAction, CatalogueAction, NewPackageArgs,
                             PairArgs)
from .fields import query_field
from .registry import register

_statuses = fields.List(choice(PACKAGE_STATUSES, "A listing status."), load_default=list,
                        metadata={"doc": "Approved, Orphaned, Retired or Removed."})


@register
class GetPackageInfo(CatalogueAction):
    """A package's listings (with their ACLs unless ``acls`` is false)."""

    errors = ("UnknownPackage", "UnknownListing")

    class Args(Schema):
        pkgname = name("The package name.", required=True)
        namespace = namespace()
        branches = names("Only these branches.", required=False)
        eol = flag("Include EOL collections.")
        acls = flag("Include the ACLs.", default=True)

    def run(self, args: dict[str, Any]) -> dict:
        label = lookup.package_label(args["namespace"], args["pkgname"])
        package = lookup.find_package(self.account, args["pkgname"], args["namespace"],
                                      f"Package: {echo(label)} not found")
        rows = search.listings([package.id], branches=args["branches"], eol=args["eol"])
        if not rows:
            raise lookup.unknown_listing("No package found on these branches: "
                                         + ", ".join(args["branches"]))
        acl_rows = search.acls_by_listing(r.id for r in rows) if args["acls"] else {}
        shown = package_json(package)
        proven = package.name not in NOT_PROVENPACKAGER
        return {"packages": [listing_json(row, package=shown, acls=acl_rows.get(row.id) or None,
                                          provenpackager=proven) for row in rows]}


@register
class SearchPackages(CatalogueAction):
    """Packages whose name matches a pattern and that have one listing matching every
    listing filter (on a non-EOL collection unless ``eol``), by name."""

    errors = ("InvalidQuery",)

    class Args(Schema):
        pattern = fields.List(String(max_length=255), load_default=lambda: ["*"],
                              metadata={"doc": "Name globs (* and ?), default *."})
        query = query_field(CATALOGUE_QUERY_DOC, load_default=None)
        namespace = namespace()
        branches = names("Only listings on these branches.", required=False)
        poc = name("Only listings with this point of contact.", load_default=None)
        orphaned = flag("Only orphaned listings (false: only not orphaned).", default=None)
        critpath = flag("Only listings (not) in the critical path.", default=None)
        status = _statuses
        acls = flag("Include each package's listings and ACLs.")
        eol = flag("Include EOL collections.")
        limit = Limit()
        page = page_field()
        count = flag("Return the number of packages only.")

    def run(self, args: dict[str, Any]) -> dict:
        listing = search.ListingFilter(
            branches=tuple(args["branches"]), statuses=tuple(args["status"]),
            poc=args["poc"], critpath=args["critpath"], orphaned=args["orphaned"],
            eol=args["eol"])
        query = search.search(self.account, args["pattern"] or ["*"], args["namespace"],
                              listing, self.filter(args["query"], PACKAGE_VOCABULARY))
        if args["count"]:
            return {"packages": store.count_found(query), "page": 1, "page_total": 1}
        limit, page = args["limit"], args["page"]
        found = store.page_found(query, page, limit)
        return {"packages": self._shown(found, args), "page": page,
                "page_total": page_total(store.count_found(query), limit)}

    @staticmethod
    def _shown(found: list[Package], args: dict[str, Any]) -> list[dict]:
        if not args["acls"]:
            return [package_json(package) for package in found]
        rows = search.listings([p.id for p in found], branches=args["branches"])
        acl_rows = search.acls_by_listing(row.id for row in rows)
        by_package: dict[int, list[dict]] = {}
        for row in rows:
            by_package.setdefault(row.package_id, []).append(
                listing_json(row, package=None, acls=acl_rows.get(row.id, [])))
        return [package_json(p, by_package.get(p.id)) for p in found]


@register
class CreatePackage(CatalogueAction):
    """Create a package listed on branches; its point of contact gets the four ACLs."""

    role = CallerRole.ADMIN
    writes = True
    errors = ("DuplicatePackage",)

    class Args(NewPackageArgs):
        status = choice(PACKAGE_STATUSES, "The listings' status.", required=True)
        poc = name("The point of contact (packager, orphan or group::…-sig).",
                   required=True)
        critpath = flag("In the critical path.")

    def run(self, args: dict[str, Any]) -> dict:
        pkgname, ns, branches = args["pkgname"], args["namespace"], args["branches"]
        policy.check_new_package(pkgname, ns, branches)
        lookup.check_choices("branches", branches,
                             (c.branchname for c in lookup.open_collections(self.account)))
        check_poc(self.account, args["poc"])
        policy.refuse_existing(self.account, pkgname, ns, "Could not create package: "
                               f"{echo(lookup.package_label(ns, pkgname))} already exists")
        package = store.create_package(
            self.account, name=pkgname, namespace=ns, summary=args["summary"],
            description=args["description"], status=args["status"],
            review_url=policy.review_url(args["review_url"]),
            upstream_url=args["upstream_url"], monitor=args["monitoring_status"],
            koschei_monitor=args["koschei"])
        collections = lookup.collections_named(self.account, branches)
        listing_ids = store.add_listings(
            package, [collections[b] for b in dict.fromkeys(branches)],
            point_of_contact=args["poc"], status=args["status"], critpath=args["critpath"])
        if args["poc"] != ORPHAN:
            acls.grant_maintainer(listing_ids, args["poc"])
        self.log([(package.id, "Package created")])
        self.record([events.package_created(package, list(dict.fromkeys(branches)), args["poc"],
                                            args["status"], args["critpath"])],
                    events.Followers())
        return {"messages": ["Package created"]}


@register
class EditPackage(CatalogueAction):
    """Change a package's summary, description, URLs or status (catalogue admins)."""

    role = CallerRole.ADMIN
    writes = True
    errors = ("UnknownPackage",)

    class Args(Schema):
        pkgname = name("The package name (not changed).", required=True)
        namespace = namespace()
        summary = String(load_default=None, metadata={"doc": "One-line summary."})
        description = String(load_default=None, metadata={"doc": "Description."})
        review_url = String(load_default=None, metadata={"doc": "The review URL."})
        status = choice(PACKAGE_STATUSES, "The package status.", load_default=None)
        upstream_url = String(load_default=None, metadata={"doc": "The upstream project."})

    EDITABLE = ("summary", "description", "review_url", "status", "upstream_url")

    def run(self, args: dict[str, Any]) -> dict:
        package = lookup.find_package(self.account, args["pkgname"], args["namespace"],
                                      "No package of this name found")
        changes = {key: args[key] for key in self.EDITABLE
                   if args[key] not in (None, "") and args[key] != getattr(package, key)}
        if not changes:
            return {"messages": ["Nothing to update"]}
        store.update_package(package, changes)
        message = f'Package "{package.name}" edited'
        self.log([(package.id, message)])
        self.record([events.package_edited(package, changes)], events.Followers())
        return {"messages": [message]}


@register
class SetPackageCritpath(BulkAction):
    """Set or clear the critpath flag of packages on branches (all or nothing)."""

    role = CallerRole.ADMIN
    sentences = bulk.CRITPATH_SENTENCES

    class Args(PairArgs):
        critpath = flag("In the critical path (default false).")

    def run(self, args: dict[str, Any]) -> dict:
        refusals = bulk.Refusals()
        pairs = self.pairs(args, refusals)
        refusals.raise_if_any()
        changed = states.critpath_changes(pairs, args["critpath"])
        if not changed:
            return {"messages": ["Nothing to update"]}
        self.record_listings(changed, EventAction.CRITPATH_CHANGED, "critpath",
                             args["critpath"])
        return self.done(states.apply_critpath(changed, args["critpath"]))


class _PackageFlag(CatalogueAction):
    """Shared by the monitoring and koschei flags: one package, one new value."""

    role = CallerRole.MANAGER
    writes = True
    errors = ("UnknownPackage",)

    def package(self, args: dict[str, Any]) -> Package:
        require_packager(self.actor)
        return lookup.find_package(self.account, args["pkgname"], args["namespace"],
                                   "No package found by this name")

    #: the verb of the flag's events
    verb: EventAction

    def change(self, package: Package, noun: str, column: str, value: Any, shown: str) -> dict:
        """Set ``column`` to ``value``; pkgdb2 answers with one string, not a list."""
        old = getattr(package, column)
        if old == value:
            return {"messages": f"{noun} un-changed"}
        store.update_package(package, {column: value})
        label = lookup.package_label(package.namespace, package.name)
        message = f"{noun} of {label} set to {shown}"
        self.log([(package.id, message)])
        self.record([events.package_flag_changed(package, self.verb, old, value)],
                    events.Followers())
        return {"messages": message}


@register
class SetPackageMonitoring(_PackageFlag):
    """Set the release-monitoring flag (maintainers and catalogue admins)."""

    verb = EventAction.MONITORING_CHANGED

    class Args(Schema):
        pkgname = name("The package name.", required=True)
        status = MonitorStatus(required=True, metadata={"doc": "true, false or nobuild."})
        namespace = namespace()

    def run(self, args: dict[str, Any]) -> dict:
        package = self.package(args)
        may_set_monitoring(self.actor, holds_on_package(self.actor.username, package.id,
                                                        MAINTAINER_ACLS))
        return self.change(package, "Monitoring status", "monitor", args["status"],
                           monitor_text(args["status"]))


@register
class SetPackageKoschei(_PackageFlag):
    """Set the koschei monitoring flag (any packager)."""

    verb = EventAction.KOSCHEI_CHANGED

    class Args(Schema):
        pkgname = name("The package name.", required=True)
        status = Boolean(required=True, metadata={"doc": "true or false."})
        namespace = namespace()

    def run(self, args: dict[str, Any]) -> dict:
        package = self.package(args)
        return self.change(package, "Koschei monitoring status", "koschei_monitor",
                           args["status"], str(args["status"]))
