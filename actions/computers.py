"""Computers (ACTIVITIES.md §2) and the activities that restart or stop them (§6)."""
from __future__ import annotations

from typing import Any, Callable

from marshmallow import Schema, fields, validate

from app import activity_state, change_events, inventory
from app.activity_factory import Request
from app.encoding import Boolean, Integer, String
from app.activity_json import Item
from app.models import CallerRole, EventAction, utcnow

from .activities import (COMPUTER_QUERY_DOC, ActivityAction, deliver_after_field, limit_field,
                         offset_field)
from .base import Action, ExtendedResult
from .fields import query_field
from .registry import register


#: tags one request may add or remove: a tag change writes a row per tag and computer, and
#: on SQLite one long write makes every other writer wait (the fuzzer's 3,000 tags on 51
#: computers held the write lock for 7 to 13 s on a loaded host)
MAX_TAGS = 100


def tags_field() -> fields.List:
    return fields.List(String(), required=True, validate=validate.Length(
        min=1, max=MAX_TAGS, error=f"expected 1 to {MAX_TAGS} tags"),
        metadata={"doc": f"Tag names (1 to {MAX_TAGS}): letters, digits, '-', '_' and '.'."})


def computer_ids_field(doc: str) -> fields.List:
    return fields.List(Integer(minimum=0), required=True, validate=validate.Length(min=1),
                       metadata={"doc": doc})


@register
class GetComputers(Action):
    """The computers of the account matching a query, by id."""

    role = CallerRole.AUDITOR
    errors = ("InvalidQuery",)

    class Args(Schema):
        query = query_field(COMPUTER_QUERY_DOC)
        limit = limit_field()
        offset = offset_field()
        with_network = Boolean(load_default=False,
                               metadata={"doc": "Include the network devices."})
        with_hardware = Boolean(load_default=False,
                                metadata={"doc": "Include hardware (none is inventoried)."})
        with_annotations = Boolean(load_default=False,
                                   metadata={"doc": "Include the annotations."})

    def run(self, args: dict[str, Any]) -> list | ExtendedResult:
        where = inventory.matching(self.account.id, args["query"])
        page = inventory.computers_json(
            where, limit=args["limit"], offset=args["offset"],
            with_network=args["with_network"], with_annotations=args["with_annotations"],
            with_hardware=args["with_hardware"])
        if "count" in self.call.extras:
            return ExtendedResult(page, count=inventory.count(where))
        return page


@register
class RegisterComputer(Action):
    """Register a computer; returns it with the access and secret keys of its agent."""

    role = CallerRole.ADMIN
    writes = True
    errors = ("InvalidTag", "InvalidTitle")

    class Args(Schema):
        title = String(required=True, metadata={"doc": "The computer's title."})
        hostname = String(required=True, validate=validate.Length(1, 255),
                          metadata={"doc": "The computer's host name."})
        distribution = String(load_default="", validate=validate.Length(max=64),
                              metadata={"doc": "Distribution version, e.g. 22.04."})
        codename = String(load_default="", validate=validate.Length(max=64),
                          metadata={"doc": "Distribution code name, e.g. jammy."})
        access_group = String(load_default="global", validate=validate.Length(1, 128),
                              metadata={"doc": "The access group."})
        tags = fields.List(String(), load_default=list, metadata={"doc": "Tag names."})

    def run(self, args: dict[str, Any]) -> dict:
        computer, key = inventory.register(self.account, **args)
        data = inventory.by_ids([computer.id])[0]
        data.update(access_key=key.access_key, secret_key=key.secret_key)
        return data


class TagChange(Action):
    """Add or remove tags on the computers matching a query; returns the ids changed."""

    role = CallerRole.MANAGER
    writes = True
    #: ``change(account_id, query, tags)``: the ids of the computers changed
    change: Callable[[int, str, list[str]], list[int]]
    errors = ("InvalidQuery", "InvalidTag")

    class Args(Schema):
        query = query_field(COMPUTER_QUERY_DOC, required=True)
        tags = tags_field()

    def run(self, args: dict[str, Any]) -> list:
        return self.change(self.account.id, args["query"], inventory.check_tags(args["tags"]))


@register
class AddTagsToComputers(TagChange):
    """Add tags to the computers matching a query."""

    change = staticmethod(inventory.add_tags)


@register
class RemoveTagsFromComputers(TagChange):
    """Remove tags from the computers matching a query."""

    change = staticmethod(inventory.remove_tags)


class AnnotationChange(Action):
    """Set or remove an annotation on the computers matching a query; returns the ids
    changed."""

    role = CallerRole.MANAGER
    writes = True
    errors = ("InvalidQuery", "InvalidAnnotationKey")
    #: ``change(account_id, query, key, ...)``: the ids of the computers changed
    change: Callable[..., list[int]]

    class Args(Schema):
        query = query_field(COMPUTER_QUERY_DOC, required=True)
        key = String(required=True, metadata={"doc": "The annotation key."})

    def run(self, args: dict[str, Any]) -> list:
        key = inventory.check_tags([args.pop("key")], code="InvalidAnnotationKey",
                                   noun="annotation key")[0]
        return self.change(self.account.id, key=key, **args)


@register
class AddAnnotationToComputers(AnnotationChange):
    """Set an annotation on the computers matching a query."""

    change = staticmethod(inventory.set_annotation)

    class Args(AnnotationChange.Args):
        value = String(load_default="", metadata={"doc": "The annotation value."})


@register
class RemoveAnnotationFromComputers(AnnotationChange):
    """Remove an annotation from the computers matching a query."""

    change = staticmethod(inventory.remove_annotation)


@register
class RenameComputers(Action):
    """Give computers new titles; returns the renamed computers."""

    role = CallerRole.ADMIN
    writes = True
    errors = ("UnknownComputer", "InvalidTitle")

    class Args(Schema):
        computer_titles = fields.Dict(keys=Integer(minimum=0), values=String(), required=True,
                                      validate=validate.Length(min=1),
                                      metadata={"doc": "computer id → new title"})

    def run(self, args: dict[str, Any]) -> list:
        titles = {cid: inventory.check_title(title, cid)
                  for cid, title in args["computer_titles"].items()}
        ids = inventory.rename(self.account.id, titles)
        return inventory.by_ids(ids)


@register
class RemoveComputers(Action):
    """Remove computers; their activities stay readable, pending ones are canceled."""

    role = CallerRole.ADMIN
    writes = True
    errors = ("UnknownComputer",)

    class Args(Schema):
        computer_ids = computer_ids_field("The ids of the computers to remove.")

    def run(self, args: dict[str, Any]) -> list:
        ids = inventory.remove(self.account.id, args["computer_ids"])
        activity_state.cancel_pending_of_computers(self.account.id, ids, utcnow())
        return ids


class PowerRequest(ActivityAction):
    """Restart or shut down computers: one group with a child per computer."""

    role = CallerRole.MANAGER
    writes = True
    errors = ("UnknownComputer",)
    request: Request
    #: the computers' event
    event: EventAction

    class Args(Schema):
        computer_ids = computer_ids_field("The ids of the computers.")
        deliver_after = deliver_after_field()

    def run(self, args: dict[str, Any]) -> Item | None:
        computers = inventory.require_ids(self.account.id, args["computer_ids"])
        group = self.creation().group(self.request, [(cid, self.request) for cid in computers],
                                      args["deliver_after"])
        change_events.power_requested(self.account.id, self.event, computers, group)
        return self.group_json(group)


@register
class RebootComputers(PowerRequest):
    """Restart computers."""

    request = Request("RestartRequest", "Restart computer")
    event = EventAction.REBOOTED


@register
class ShutdownComputers(PowerRequest):
    """Shut computers down."""

    request = Request("ShutdownRequest", "Shutdown computer")
    event = EventAction.SHUT_DOWN
