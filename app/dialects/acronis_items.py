"""Acronis Task Manager items (DIALECTS.md §2): an activity of the legacy shape rendered as
the seed's task/activity object, with the status mapping."""
from __future__ import annotations

import uuid
from typing import Any

from marshmallow import Schema, fields

from ..models import ActivityStatus

#: the ``state`` and ``result.code`` of each status (``None``: no result yet)
STATES: dict[str, tuple[str, str | None]] = {
    ActivityStatus.UNAPPROVED: ("paused", None),
    ActivityStatus.UNDELIVERED: ("enqueued", None),
    ActivityStatus.SCHEDULED: ("enqueued", None),
    ActivityStatus.DELIVERED: ("started", None),
    ActivityStatus.SUCCEEDED: ("completed", "ok"),
    ActivityStatus.FAILED: ("completed", "error"),
    ActivityStatus.CANCELED: ("completed", "cancelled"),
}
RESULT_CODES = ("ok", "error", "cancelled")

#: the namespace of the items' UUID v5 (of ``account id/activity id``)
UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://actiongate/acronis/activities")


def item(activity: dict[str, Any], result: Any) -> dict[str, Any]:
    """``activity`` (legacy shape) as an Acronis item; ``result`` is the action's
    :class:`~actions.base.ExtendedResult` with the ``account`` and ``computer_titles``
    extras."""
    account = result.account
    state, code = STATES[activity["activity_status"]]
    task_id = activity["parent_id"] if activity["parent_id"] is not None else activity["id"]
    computer_id = activity["computer_id"]
    persistent = None
    if computer_id is not None:
        persistent = {"AgentType": "agent", "ID": str(computer_id),
                      "Name": result.computer_titles.get(computer_id)}
    creator = activity["creator"]
    return {
        "id": activity["id"], "idString": str(activity["id"]),
        "uuid": str(uuid.uuid5(UUID_NAMESPACE, f"{account['id']}/{activity['id']}")),
        "taskId": task_id, "taskIdString": str(task_id),
        "type": activity["type"], "state": state,
        "result": None if code is None else {"code": code},
        "createdAt": activity["creation_time"], "startedAt": activity["delivery_time"],
        "updatedAt": activity["modification_time"],
        "completedAt": activity["completion_time"],
        "startedByUser": None if creator is None else creator["email"],
        "tenant": {"id": str(account["id"]), "locator": f"/{account['id']}/",
                   "name": account["title"] or account["name"]},
        "executor": {"clusterId": "", "id": ""},
        "context": {"IsProcessRoot": activity["parent_id"] is None,
                    "title": activity["summary"], "Persistent": persistent},
    }


# --- the item's schema (OpenAPI) ----------------------------------------------------------------


def _text(**kwargs: Any) -> fields.String:
    return fields.String(required=True, allow_none=True, **kwargs)


def _time(what: str) -> fields.String:
    return _text(metadata={"description": f"{what} (RFC 3339, UTC)."})


class Result(Schema):
    code = fields.String(required=True, metadata={"description": ", ".join(RESULT_CODES)})


class Tenant(Schema):
    id = fields.String(required=True)
    locator = fields.String(required=True)
    name = fields.String(required=True)


class Executor(Schema):
    clusterId = fields.String(required=True)
    id = fields.String(required=True)


class Persistent(Schema):
    AgentType = fields.String(required=True)
    ID = fields.String(required=True)
    Name = _text()


class Context(Schema):
    IsProcessRoot = fields.Boolean(required=True)
    title = _text()
    Persistent = fields.Nested(Persistent, required=True, allow_none=True)


class Item(Schema):
    """A task or activity."""

    id = fields.Integer(required=True)
    idString = fields.String(required=True)
    uuid = fields.String(required=True)
    taskId = fields.Integer(required=True)
    taskIdString = fields.String(required=True)
    type = fields.String(required=True)
    state = fields.String(required=True, metadata={
        "description": "paused, enqueued, started or completed."})
    result = fields.Nested(Result, required=True, allow_none=True)
    createdAt = _time("Creation time")
    startedAt = _time("Delivery time")
    updatedAt = _time("Last modification time")
    completedAt = _time("Completion time")
    startedByUser = _text(metadata={"description": "The creator's e-mail."})
    tenant = fields.Nested(Tenant, required=True)
    executor = fields.Nested(Executor, required=True)
    context = fields.Nested(Context, required=True)
