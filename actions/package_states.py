"""Listing states in bulk: OrphanPackages, UnorphanPackages, RetirePackages, UnretirePackages.

Each is all-or-nothing over ``pkgnames × branches``: every pair is checked first, and one
refused pair refuses the whole request with a ``MultiError`` naming each bad pair.
"""
from __future__ import annotations

from typing import Any

from app.catalogue import bulk, states
from app.catalogue.fields import name
from app.catalogue.permissions import check_poc, may_take, require_packager
from app.errors import InvalidParameterValue
from app.models import ORPHAN, CallerRole, EventAction, PackageStatus

from .catalogue_base import BulkAction, PairArgs
from .registry import register

@register
class OrphanPackages(BulkAction):
    """Give up packages on branches: the point of contact becomes ``orphan`` and the former
    point of contact's commit and approveacls become Obsolete."""

    sentences = bulk.POC_SENTENCES

    class Args(PairArgs):
        former_poc = name("Only the listings of this point of contact.", load_default=None)

    def run(self, args: dict[str, Any]) -> dict:
        require_packager(self.actor)
        refusals = bulk.Refusals()
        planned = states.plan_poc_change(self.actor, self.pairs(args, refusals),
                                         args["former_poc"], refusals)
        refusals.raise_if_any()
        self.record_listings(planned, EventAction.ORPHANED, "point_of_contact", ORPHAN)
        return self.done(states.apply_poc_change(self.actor, planned, ORPHAN))


@register
class UnorphanPackages(BulkAction):
    """Take orphaned packages: ``poc`` (yourself or a group, unless you are a catalogue
    admin) becomes the point of contact with the four ACLs."""

    sentences = bulk.UNORPHAN_SENTENCES
    eol = False

    class Args(PairArgs):
        poc = name("The new point of contact.", required=True)

    def run(self, args: dict[str, Any]) -> dict:
        poc = args["poc"]
        may_take(self.actor, poc)
        if poc == ORPHAN:
            raise InvalidParameterValue("poc", poc, "a package is unorphaned by a person or "
                                        "a group")
        check_poc(self.account, poc)
        refusals = bulk.Refusals()
        planned = states.plan_unorphan(self.pairs(args, refusals), refusals)
        refusals.raise_if_any()
        self.record_listings(planned, EventAction.UNORPHANED, "point_of_contact", poc,
                             joining=poc)
        return self.done(states.apply_unorphan(planned, poc))


@register
class RetirePackages(BulkAction):
    """Retire packages on branches that allow it (anywhere, for catalogue admins)."""

    sentences = bulk.STATUS_SENTENCES

    class Args(PairArgs):
        pass

    def run(self, args: dict[str, Any]) -> dict:
        require_packager(self.actor)
        refusals = bulk.Refusals()
        planned = states.plan_retire(self.actor, self.pairs(args, refusals), refusals)
        refusals.raise_if_any()
        self.record_listings(planned, EventAction.RETIRED, "status", PackageStatus.RETIRED)
        return self.done(states.apply_retire(self.actor, planned))


@register
class UnretirePackages(BulkAction):
    """Bring retired packages back as Orphaned, ready to be unorphaned (catalogue admins)."""

    role = CallerRole.ADMIN
    sentences = bulk.STATUS_SENTENCES

    class Args(PairArgs):
        pass

    def run(self, args: dict[str, Any]) -> dict:
        refusals = bulk.Refusals()
        planned = states.plan_unretire(self.pairs(args, refusals), refusals)
        refusals.raise_if_any()
        self.record_listings(planned, EventAction.UNRETIRED, "status", PackageStatus.ORPHANED)
        return self.done(states.apply_unretire(self.actor, planned))
