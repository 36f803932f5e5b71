"""Activities: reading (ACTIVITIES.md §4), bulk status changes (§5) and the actions that
create them (§6)."""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Sequence

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app import activity_json, activity_state, inventory
from app.activity_factory import REAPPLY, REVERT, Creation, Request, package_request, redo
from app.encoding import Boolean, DateTime, Integer, String
from app.activity_json import Item
from app.keyset import Cursors
from app.models import CallerRole, utcnow
from app.store.vocabularies import ACTIVITY_TYPES, ACTIVITY_VOCABULARY
from query_language import compile_query

from .base import Action, ExtendedResult
from .fields import query_field
from .registry import register

QUERY_DOC = "A query string used to select activities (QUERY.md §3.1)."
COMPUTER_QUERY_DOC = "A query string used to select computers (QUERY.md §3.2)."
STATUS_CHANGE_ERRORS = ("InvalidQuery", "InvalidActivityStatusChange")
CREATE_ERRORS = ("InvalidQuery", "UnknownComputers", "UnknownPackages")


def limit_field() -> Integer:
    return Integer(minimum=1, maximum=10000, load_default=1000,
                   metadata={"doc": "The maximum number of results (1 to 10000)."})


def offset_field() -> Integer:
    return Integer(minimum=0, load_default=0,
                   metadata={"doc": "The offset inside the list of results."})


def activity_ids_field(required: bool = True) -> fields.List:
    optional: dict[str, Any] = {} if required else {"load_default": None}
    return fields.List(Integer(minimum=0), required=required, validate=validate.Length(min=1),
                       metadata={"doc": "The activity ids."}, **optional)


class ActivityAction(Action):
    """Helpers shared by the activity actions."""

    def condition(self, query: str):
        """The compiled activity query (``None``: every activity of the account)."""
        return compile_query(query, ACTIVITY_VOCABULARY, account_id=self.account.id)

    @property
    def with_actions(self) -> bool:
        return self.call.version == activity_json.ACTIONS_VERSION

    def creation(self) -> Creation:
        return Creation(self.account, self.caller.person, utcnow())

    @property
    def decoded(self) -> bool:
        """Whether the activities' ``changes`` and ``package_ids`` are wanted decoded: a
        dialect's result (:meth:`extended`) is rendered by the dialect, which may read
        them."""
        return bool(self.call.extras)

    def extended(self, decoded: Item | list[Item], count: int | None = None
                 ) -> ExtendedResult:
        """``decoded`` (one activity or a list, read with :attr:`decoded`) with what
        :attr:`Call.extras` asks for: the ``count`` given, its groups' ``children``, and
        the one ``computer`` each group's children run on."""
        groups = [item["id"] for item in (decoded if isinstance(decoded, list) else [decoded])
                  if item["type"] == activity_state.GROUP]
        children: dict[int, Any] = {}
        computers: dict[int, Any] = {}
        if "children" in self.call.extras:
            children = activity_json.children_of(self.account.id, groups,
                                                 with_actions=self.with_actions)
        if "computer" in self.call.extras:
            sole = activity_json.sole_computers(groups)
            found = {computer["id"]: computer
                     for computer in inventory.by_ids(set(sole.values()), self.account.id)}
            computers = {parent_id: found[computer_id] for parent_id, computer_id
                         in sole.items() if computer_id in found}
        account = None
        if "account" in self.call.extras:
            account = {"id": self.account.id, "name": self.account.name,
                       "title": self.account.title}
        titles: dict[int, str] = {}
        if "computer_titles" in self.call.extras:
            items = decoded if isinstance(decoded, list) else [decoded]
            ids = {item["computer_id"] for item in items if item["computer_id"] is not None}
            titles = {computer["id"]: computer["title"]
                      for computer in inventory.by_ids(ids, self.account.id)}
        return ExtendedResult(decoded, count, children, computers, account, titles)

    def group_json(self, group_id: int) -> Item | None:
        """A newly created group with its ``children_count`` and other children figures."""
        return activity_json.one_activity(self.account.id, group_id,
                                          with_actions=self.with_actions, with_children=True)


class ActivityPage(ActivityAction):
    """A page of the account's activities matching a query, newest first."""

    role = CallerRole.AUDITOR
    errors = ("InvalidQuery",)
    groups_only = False

    class Args(Schema):
        query = query_field(QUERY_DOC)
        limit = limit_field()
        offset = offset_field()

    class ExtendedArgs(Args):
        roots_only = Boolean(load_default=False, metadata={
            "doc": "Only root activities (groups and lone activities: no parent)."})
        order = String(load_default=None, validate=validate.OneOf(
            list(activity_json.ORDERINGS_BY_NAME)), metadata={
            "doc": "Keyset pages in this order (ties by id) instead of offsets."})
        descending = Boolean(load_default=True, metadata={"doc": "The order's direction."})
        criteria = query_field("More criteria, compiled apart from query and ANDed with it "
                               "(a dialect's filters).")
        after = String(load_default=None, metadata={
            "doc": "The cursor of the previous keyset page (ExtendedResult.after)."})

        @validates_schema
        def _keyset_only(self, data: dict[str, Any], **kwargs: Any) -> None:
            if data.get("order") is None and data.get("after") is not None:
                raise ValidationError("a cursor needs an order", "after")
            if data.get("order") is not None and data.get("offset"):
                raise ValidationError("keyset pages take no offset", "offset")
            if data.get("order") is None and data.get("criteria"):
                raise ValidationError("criteria need an order", "criteria")

    def run(self, args: dict[str, Any]) -> Sequence[Item] | ExtendedResult:
        if args.get("order") is not None:
            return self.keyset(args)
        page = activity_json.activity_page(self.account.id, args["query"], args["limit"],
                                           args["offset"], with_actions=self.with_actions,
                                           groups_only=self.groups_only,
                                           roots_only=args.get("roots_only", False),
                                           decoded=self.decoded)
        if not self.call.extras:
            return page
        count = None
        if "count" in self.call.extras:
            count = activity_json.count_activities(self.account.id, args["query"],
                                                   groups_only=self.groups_only)
        return self.extended(list(page), count)


    def keyset(self, args: dict[str, Any]) -> ExtendedResult:
        """A keyset page (:mod:`app.keyset`): ``after`` is the next page's cursor."""
        order = activity_json.ordering(args["order"], args["descending"])
        cursors = Cursors(self.call.config["SECRET_KEY"], "activities")
        start = None
        if args["after"] is not None:
            start = cursors.decode(args["after"], self.account.id, order)
        page, last = activity_json.keyset_page(
            self.account.id, args["query"], args["criteria"], args["limit"], order, start,
            with_actions=self.with_actions, roots_only=args["roots_only"],
            groups_only=self.groups_only)
        result = self.extended(page)
        if last is None:
            return result
        return replace(result, after=cursors.encode(self.account.id, order, last))


@register
class GetActivities(ActivityPage):
    """The activities of the account matching a query, newest first."""


@register
class GetActivityTypes(Action):
    """The known activity types, sorted (for the ``type:`` criterion)."""

    role = CallerRole.AUDITOR

    def run(self, args: dict[str, Any]) -> list:
        return list(ACTIVITY_TYPES)


@register
class GetActivity(ActivityAction):
    """One activity of the account."""

    role = CallerRole.AUDITOR
    errors = ("UnknownActivity",)

    class Args(Schema):
        activity_id = Integer(required=True, metadata={"doc": "The activity id."})

    def run(self, args: dict[str, Any]) -> Item | ExtendedResult:
        found = activity_json.one_activity(self.account.id, args["activity_id"],
                                           with_actions=self.with_actions,
                                           decoded=self.decoded)
        if found is None:
            raise activity_state.unknown_activities([args["activity_id"]])
        return self.extended(found) if self.call.extras else found


@register
class GetActivityParents(ActivityPage):
    """Parent activities (groups) with their children's counts, newest first."""

    groups_only = True


class StatusChange(ActivityAction):
    """Cancel or approve every selected activity, or none (§5)."""

    role = CallerRole.MANAGER
    writes = True
    errors = STATUS_CHANGE_ERRORS
    transition: activity_state.Transition

    class Args(Schema):
        query = query_field(QUERY_DOC, required=True)

    class ExtendedArgs(Schema):
        """The wire dialects may select by ids instead (unknown ids: ``UnknownActivity``)."""

        query = query_field(QUERY_DOC, load_default=None)
        activity_ids = activity_ids_field(required=False)

        @validates_schema
        def _one_selection(self, data: dict[str, Any], **kwargs: Any) -> None:
            if data.get("query") is None and data.get("activity_ids") is None:
                raise ValidationError("give query or activity_ids", "query")
            if data.get("query") is not None and data.get("activity_ids") is not None:
                raise ValidationError("give query or activity_ids, not both", "activity_ids")

    def run(self, args: dict[str, Any]) -> list:
        if args.get("activity_ids") is not None:
            condition = activity_state.selected_ids(self.account.id, args["activity_ids"])
        else:
            condition = self.condition(args["query"])
        return activity_state.change_in_bulk(self.account.id, condition, self.transition,
                                             utcnow())


@register
class CancelActivities(StatusChange):
    """Cancel the selected activities (all or nothing); returns the ids canceled."""

    transition = activity_state.CANCEL


@register
class ApproveActivities(StatusChange):
    """Approve the selected activities (all or nothing); returns the ids approved."""

    transition = activity_state.APPROVE


# --- creating activities ---------------------------------------------------------------------


def deliver_after_field() -> DateTime:
    return DateTime(load_default=None,
                    metadata={"doc": "Deliver no earlier than this time (ISO-8601)."})


def delay_window_field() -> Integer:
    return Integer(minimum=0, maximum=1440, load_default=0,
                   metadata={"doc": "Spread deliveries randomly over this many minutes."})


class PackageChange(ActivityAction):
    """A package change on the computers matching a query: one group, a child each."""

    role = CallerRole.MANAGER
    writes = True
    errors = CREATE_ERRORS
    change_type: str

    class Args(Schema):
        query = query_field(COMPUTER_QUERY_DOC, required=True)
        packages = fields.List(String(), required=True, validate=validate.Length(min=1),
                               metadata={"doc": "Package names."})
        deliver_after = deliver_after_field()
        deliver_delay_window = delay_window_field()

    def request(self, args: dict[str, Any]) -> Request:
        return package_request(self.account.id, args["packages"], self.change_type)

    def run(self, args: dict[str, Any]) -> Item | None:
        where = inventory.matching(self.account.id, args["query"])
        request = self.request(args)
        computers = inventory.require_computers(where, args["query"])
        group = self.creation().group(request, [(cid, request) for cid in computers],
                                      args["deliver_after"], args["deliver_delay_window"])
        return self.group_json(group)


@register
class InstallPackages(PackageChange):
    """Install packages on the computers matching a query."""

    change_type = "install"


@register
class RemovePackages(PackageChange):
    """Remove packages from the computers matching a query."""

    change_type = "remove"


@register
class UpgradePackages(PackageChange):
    """Upgrade packages (all of them when none is named) on the matching computers."""

    change_type = "upgrade"

    class Args(PackageChange.Args):
        packages = fields.List(String(), load_default=list,
                               metadata={"doc": "Package names (default: every package)."})
        security_only = Boolean(load_default=False,
                                metadata={"doc": "Only security upgrades."})

    def request(self, args: dict[str, Any]) -> Request:
        if args["packages"]:
            return super().request(args)
        summary = "Apply security upgrades" if args["security_only"] else "Upgrade all packages"
        return Request("UpgradeAllPackagesRequest", summary)


class Redo(ActivityAction):
    """Reapply or revert activities, all or nothing; returns the new activities' ids."""

    role = CallerRole.MANAGER
    writes = True
    errors = ("UnknownActivity", "InvalidActivityStatusChange")
    how: Any

    class Args(Schema):
        activity_ids = activity_ids_field()

    def run(self, args: dict[str, Any]) -> list:
        return redo(self.creation(), args["activity_ids"], self.how)


@register
class ReapplyActivities(Redo):
    """Create again each final activity (a group with its children)."""

    how = REAPPLY


@register
class RevertActivities(Redo):
    """Undo succeeded package changes with the inverse changes."""

    how = REVERT
