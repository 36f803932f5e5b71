"""ACLs: SetPackageACL and ReassignPackages (pkgdb2 /api/package/acl*)."""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from app.catalogue import acl_changes, bulk, events, lookup, states
from app.catalogue.fields import MAX_ITEMS, choice, name, names, namespace
from app.catalogue.permissions import check_poc, require_packager
from app.models import ACL_STATUSES, ACLS, ORPHAN, AclStatus, CallerRole, EventAction

from .catalogue_base import BULK_ERRORS, BulkAction, CatalogueAction, PairArgs
from .registry import register


@register
class SetPackageACL(CatalogueAction):
    """Request, grant or withdraw a user's ACLs on a package's branches (all or nothing).

    Package admins change anyone's; others request, remove or obsolete their own, and
    ``watchcommits``/``watchbugzilla`` requests are approved at once.
    """

    role = CallerRole.MANAGER
    writes = True
    errors = BULK_ERRORS

    class Args(Schema):
        pkgname = name("The package name.", required=True)
        branches = names("Active or Under Development branches.")
        acl = fields.List(choice(ACLS, "An ACL."), required=True,
                          validate=validate.Length(min=1, max=MAX_ITEMS),
                          metadata={"doc": "commit, watchbugzilla, watchcommits, approveacls."})
        acl_status = choice(ACL_STATUSES, "The new status.", required=True)
        user = name("Whose ACLs (a username or group::NAME).", required=True)
        namespace = namespace()

    def run(self, args: dict[str, Any]) -> dict:
        require_packager(self.actor)
        package = lookup.find_package(self.account, args["pkgname"], args["namespace"],
                                      "No package found by this name")
        lookup.check_choices("branches", args["branches"],
                             (c.branchname for c in lookup.open_collections(self.account)))
        planned = acl_changes.plan(self.actor, self.account, package, args["branches"],
                                   args["acl"], args["acl_status"], args["user"])
        followers = events.Followers([package.id])
        shown, logged = acl_changes.apply(self.actor, package, planned, args["user"])
        self.log(logged)
        requested = args["acl_status"] == AclStatus.AWAITING_REVIEW
        self.record([events.acl_changed(package, c.collection.branchname, c.acl, args["user"],
                                        c.previous, c.status, requested)
                     for c in planned if c.changes], followers)
        return {"messages": shown}


@register
class ReassignPackages(BulkAction):
    """Give packages on branches to another point of contact (all or nothing)."""

    sentences = bulk.POC_SENTENCES

    class Args(PairArgs):
        poc = name("The new point of contact.", required=True)
        namespace = name("The namespace of the packages.", required=True)
        former_poc = name("Only the listings of this point of contact.", load_default=None)

    def run(self, args: dict[str, Any]) -> dict:
        require_packager(self.actor)
        check_poc(self.account, args["poc"])
        refusals = bulk.Refusals()
        planned = states.plan_poc_change(self.actor, self.pairs(args, refusals),
                                         args["former_poc"], refusals)
        refusals.raise_if_any()
        poc = args["poc"]
        verb = EventAction.ORPHANED if poc == ORPHAN else EventAction.REASSIGNED
        self.record_listings(planned, verb, "point_of_contact", poc, joining=poc)
        return self.done(states.apply_poc_change(self.actor, planned, poc))
