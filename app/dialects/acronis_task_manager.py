"""Acronis Task Manager v2 at ``/api/task_manager/v2/`` (DIALECTS.md §2, seed
``acronis-task-manager-activities.txt``): tasks (root activities) and activities, read-only,
with filters, keyset pages (``paging.cursors.after``) and the
``{"error": {"domain", "code", "message", "context"}}`` envelope.

The filters become criteria of the query language (``status:``, ``id:``, ``parent-id:``,
``type:``, ``created-gt:`` …), compiled by its compiler next to the caller's own ``query``;
the pages are the action's keyset pages. Items are rendered by
:mod:`app.dialects.acronis_items`.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, Mapping

from flask import Response, request
from marshmallow import Schema, ValidationError, fields, validate

from ..errors import ApiError, InvalidParameterValue, NotFound
from ..rendering import json_response
from ..store.vocabularies import ACTIVITY_TYPES
from . import WIRE_TEXT_LIMIT, Dialect, Route, RouteInput, load, text
from .acronis_items import RESULT_CODES, STATES, Item, item

DOMAIN = "TaskManager"
MAX_PAGE = 1000
DEFAULT_PAGE = 100

#: the statuses behind each ``state`` and ``resultCode`` value (the status mapping)
STATUSES_OF_STATE = {state: tuple(status for status, (mapped, _) in STATES.items()
                                  if mapped == state)
                     for state in dict.fromkeys(mapped for mapped, _ in STATES.values())}
STATUSES_OF_RESULT = {code: tuple(status for status, (_, mapped) in STATES.items()
                                  if mapped == code) for code in RESULT_CODES}

_TIME_FILTER = re.compile(r"(gt|ge|lt|le|range)\((.*)\)", re.DOTALL)
_ORDER = re.compile(r"(asc|desc)\((createdAt|updatedAt|completedAt|id)\)")
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


def _moment(value: str) -> datetime:
    """An RFC 3339 time as naive UTC, fractions of a second dropped."""
    if _RFC3339.fullmatch(value.strip()) is None:
        raise ValidationError("expected an RFC 3339 time such as 2020-04-22T11:34:03Z")
    try:
        moment = datetime.fromisoformat(value.strip().upper().replace("Z", "+00:00"))
        return moment.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0)
    except (ValueError, OverflowError):  # out-of-range fields, or shifted out of range
        raise ValidationError("not a valid time") from None


class TimeFilter(fields.String):
    """``gt(T)``, ``ge(T)``, ``lt(T)``, ``le(T)`` or ``range(T1,T2)`` → ``[(op, time)…]``."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        match = _TIME_FILTER.fullmatch(super()._deserialize(value, attr, data, **kwargs))
        if match is None:
            raise ValidationError("expected gt(T), ge(T), lt(T), le(T) or range(T1,T2)")
        operator, argument = match.groups()
        if operator != "range":
            return [(operator, _moment(argument))]
        bounds = argument.split(",")
        if len(bounds) != 2:
            raise ValidationError("range takes two times: range(T1,T2)")
        return [("ge", _moment(bounds[0])), ("le", _moment(bounds[1]))]


class Order(fields.String):
    """``asc(F)`` or ``desc(F)`` → ``(F, descending)``."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        match = _ORDER.fullmatch(super()._deserialize(value, attr, data, **kwargs))
        if match is None:
            raise ValidationError("expected asc(F) or desc(F), F one of createdAt, "
                                  "updatedAt, completedAt, id")
        return match.group(2), match.group(1) == "desc"


class Choices(fields.String):
    """A comma-separated list of ``choices`` → a tuple."""

    def __init__(self, choices: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.choices = choices

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        given = tuple(super()._deserialize(value, attr, data, **kwargs).split(","))
        for choice in given:
            if choice not in self.choices:
                raise ValidationError(f"expected a comma-separated list of "
                                      f"{', '.join(self.choices)}")
        return given


def _time_field(what: str) -> TimeFilter:
    return TimeFilter(metadata={"description": f"{what}: gt(T), ge(T), lt(T), le(T) or "
                                               "range(T1,T2), RFC 3339 times."})


def _id_field(description: str) -> fields.Integer:
    return fields.Integer(strict=False, validate=validate.Range(0, 2**31 - 1),
                          metadata={"description": description})


class ListQuery(Schema):
    """The query string of ``/tasks`` and ``/activities``."""

    state = Choices(tuple(STATUSES_OF_STATE), metadata={
        "description": "Comma-separated states: " + ", ".join(STATUSES_OF_STATE)})
    resultCode = Choices(RESULT_CODES, metadata={
        "description": "Comma-separated result codes: " + ", ".join(RESULT_CODES)})
    taskId = _id_field("The activities of this task (its root and its children).")
    type = fields.String(validate=validate.OneOf(ACTIVITY_TYPES),
                         metadata={"description": "The activity type."})
    id = _id_field("The activity with this id.")
    query = text(WIRE_TEXT_LIMIT, load_default="", metadata={
        "description": "A query string (the actiongate query language, QUERY.md)."})
    createdAt = _time_field("Creation time")
    updatedAt = _time_field("Last modification time")
    completedAt = _time_field("Completion time")
    order = Order(load_default=("createdAt", True), metadata={
        "description": "asc(F) or desc(F), F one of createdAt, updatedAt, completedAt, id "
                       "(default desc(createdAt); ties by id in the same direction)."})
    limit = fields.Integer(load_default=DEFAULT_PAGE, validate=validate.Range(1, MAX_PAGE),
                           metadata={"description": "Page size, 1 to 1000 (default 100)."})
    after = fields.String(validate=validate.Length(max=1024), metadata={
        "description": "The cursor paging.cursors.after of the previous page."})


def read_query(schema: type[Schema] | None) -> dict[str, Any]:
    """The query string loaded through ``schema``; every problem, an unknown name too, is
    ``InvalidParameterValue`` naming the parameter."""
    declared = schema().fields if schema is not None else {}
    given: dict[str, str] = {}
    for name, values in request.args.lists():
        if name not in declared:
            raise InvalidParameterValue(name, values[0], "unknown parameter")
        if len(values) > 1:
            raise InvalidParameterValue(name, values[0], "given more than once")
        given[name] = values[0]
    return {} if schema is None else load(schema(), given)


def _criteria(query: Mapping[str, Any]) -> str:
    """The filters as query-language criteria, ANDed (every value is checked above, so the
    text is well-formed)."""
    terms = []
    for name, mapping in (("state", STATUSES_OF_STATE), ("resultCode", STATUSES_OF_RESULT)):
        if name in query:
            statuses = [status for value in query[name] for status in mapping[value]]
            terms.append("(" + " OR ".join(f"status:{status}" for status in statuses) + ")")
    if "taskId" in query:
        terms.append(f"(id:{query['taskId']} OR parent-id:{query['taskId']})")
    if "id" in query:
        terms.append(f"id:{query['id']}")
    if "type" in query:
        terms.append(f"type:{query['type']}")
    for name, prefix in (("createdAt", "created"), ("updatedAt", "updated"),
                         ("completedAt", "completed")):
        for operator, moment in query.get(name, ()):
            terms.append(f"{prefix}-{operator}:{moment.isoformat()}Z")
    return " ".join(terms)


def _list_arguments(roots_only: bool):
    def arguments(given: RouteInput) -> dict[str, Any]:
        query = given.query
        order, descending = query["order"]
        return {"query": query["query"], "criteria": _criteria(query),
                "limit": query["limit"], "order": order, "descending": descending,
                "after": query.get("after"), "roots_only": roots_only}
    return arguments


def _page(result: Any, given: RouteInput) -> dict[str, Any]:
    paging: dict[str, Any] = {"cursors": {}}
    if result.after is not None:
        paging["cursors"]["after"] = result.after
    return {"items": [item(activity, result) for activity in result.value], "paging": paging}


def _task(result: Any, given: RouteInput) -> dict[str, Any]:
    if result.value["parent_id"] is not None:
        raise NotFound(f"Unknown activity {result.value['id']}", code="UnknownActivity")
    return item(result.value, result)


def render_error(error: ApiError) -> Response:
    """The Acronis envelope, with the status of the gateway's code."""
    return json_response({"error": {"domain": DOMAIN, "code": error.code,
                                    "message": error.message, "context": {}}}, error.status)


# --- response schemas (the OpenAPI document) ------------------------------------------------


class Cursors(Schema):
    after = fields.String(metadata={"description": "The next page's cursor (absent on the "
                                                   "last page)."})


class Paging(Schema):
    cursors = fields.Nested(Cursors, required=True)


class ItemPage(Schema):
    items = fields.List(fields.Nested(Item), required=True)
    paging = fields.Nested(Paging, required=True)


class ErrorBody(Schema):
    domain = fields.String(required=True)
    code = fields.String(required=True)
    message = fields.String(required=True)
    context = fields.Dict(required=True)


class Error(Schema):
    """The error envelope."""

    error = fields.Nested(ErrorBody, required=True)


# --- routes ---------------------------------------------------------------------------------

_EXTRAS = frozenset({"account", "computer_titles"})


def _list(path: str, roots_only: bool, summary: str) -> Route:
    return Route("GET", path, "GetActivities", ItemPage, name=f"list_{path.strip('/')}",
                 query=ListQuery,
                 arguments=_list_arguments(roots_only), render=_page, extras=_EXTRAS,
                 summary=summary, tags=(path.strip("/"),))


ROUTES = [
    _list("/tasks", True, "The account's tasks (root activities)."),
    Route("GET", "/tasks/<int:activity_id>", "GetActivity", Item, name="get_task",
          render=_task,
          extras=_EXTRAS, summary="One task.", errors=(400, 404), tags=("tasks",)),
    _list("/activities", False, "The account's activities."),
    Route("GET", "/activities/<int:activity_id>", "GetActivity", Item, name="get_activity",
          render=lambda result, given: item(result.value, result), extras=_EXTRAS,
          summary="One activity.", errors=(400, 404), tags=("activities",)),
]

DIALECT = Dialect(name="acronis_task_manager", base_path="/api/task_manager/v2",
                  routes=ROUTES, render_error=render_error, error_schema=Error,
                  read_query=read_query, title="Acronis Task Manager v2")
