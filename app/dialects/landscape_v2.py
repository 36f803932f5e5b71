"""Landscape REST API v2 at ``/api/v2/`` (DIALECTS.md §1, seed
``landscape-rest-v2-activities.txt``): JSON bodies, bearer tokens, Django REST framework
style pages and the ``{"error", "message", "detail"}`` envelope.

Decisions where the seed is silent: ``schedule_before_time`` and ``schedule_after_time``
are ``null`` and a parent's ``deliver_delay_window`` is 0 (actiongate stores neither);
``changes`` carry ``install_version`` (the legacy ``version``; ``null`` for a removal) and
``remove_version`` (the recorded ``previous_version``, or the removed ``version``);
children are listed oldest first; computers keep the legacy GetComputers shape.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence
from urllib.parse import urlencode

from flask import Response, request
from marshmallow import Schema, fields, validate

from ..activity_json import ACTIONS_VERSION
from ..encoding import INT_MAX
from ..errors import ApiError
from ..rendering import json_response
from . import WIRE_TEXT_LIMIT, Dialect, JSONInteger, Route, RouteInput, text

#: the most ids one request may name (``activity_ids``)
MAX_IDS = 1000
MAX_PAGE = 1000

_QUERY_DOC = "A query string (the actiongate query language, QUERY.md)."


# --- request schemas ------------------------------------------------------------------------


class PageQuery(Schema):
    """``?query&limit&offset`` of the list routes."""

    query = text(WIRE_TEXT_LIMIT, load_default="", metadata={"description": _QUERY_DOC})
    limit = fields.Integer(load_default=MAX_PAGE, validate=validate.Range(1, MAX_PAGE),
                           metadata={"description": "Page size, 1 to 1000 (default 1000)."})
    offset = fields.Integer(load_default=0, validate=validate.Range(0, INT_MAX),
                            metadata={"description": "How many matches to skip."})


def _ids_field(required: bool) -> fields.List:
    return fields.List(
        JSONInteger(validate=validate.Range(0, INT_MAX)), required=required,
        validate=validate.Length(1, MAX_IDS, error=f"give 1 to {MAX_IDS} ids per request"),
        metadata={"description": f"Activity ids (1 to {MAX_IDS})."})


class ActivityIds(Schema):
    """``{"activity_ids": [int…]}``."""

    activity_ids = _ids_field(required=True)


class Selection(Schema):
    """``{"query"}`` or ``{"activity_ids"}``."""

    query = text(WIRE_TEXT_LIMIT, metadata={"description": _QUERY_DOC})
    activity_ids = _ids_field(required=False)


class PasswordLogin(Schema):
    email = text(required=True)
    password = text(required=True, metadata={"secret": True})
    account = text(metadata={"description": "The account (default: your own)."})


class AccessKeyLogin(Schema):
    access_key = text(required=True)
    secret_key = text(required=True, metadata={"secret": True})


# --- response schemas (the OpenAPI document; the renderers below produce them) ---------------


def _text(**kwargs: Any) -> fields.String:
    return fields.String(required=True, allow_none=True, **kwargs)


def _number() -> fields.Integer:
    return fields.Integer(required=True, allow_none=True)


def _time() -> fields.String:
    return _text(metadata={"description": "YYYY-MM-DDTHH:MM:SSZ"})


class Creator(Schema):
    name = _text()
    email = _text()
    id = fields.Integer(required=True)


class Change(Schema):
    package = _text()
    complemented = fields.Boolean(required=True, allow_none=True)
    type = _text()
    install_version = _text()
    remove_version = _text()


class ActionFlags(Schema):
    approvable = fields.Boolean(required=True)
    cancelable = fields.Boolean(required=True)
    reappliable = fields.Boolean(required=True)
    revertable = fields.Boolean(required=True)


class _ActivityBase(Schema):
    """What activity objects and parents both carry."""

    id = fields.Integer(required=True)
    creation_time = _time()
    creator = fields.Nested(Creator, required=True, allow_none=True)
    type = fields.String(required=True)
    summary = _text()
    result_text = _text()
    parent_id = _number()
    completion_time = _time()
    result_code = _number()
    activity_status = fields.String(required=True)


class ChildActivity(_ActivityBase):
    """An activity object (a child: its own ``children`` is empty)."""

    computer_id = _number()
    approval_time = _time()
    delivery_time = _time()
    deliver_after_time = _time()
    deliver_before_time = _time()
    package_ids = fields.List(fields.Integer(), required=True)
    changes = fields.List(fields.Nested(Change), required=True)
    modification_time = _time()
    schedule_before_time = _time()
    schedule_after_time = _time()
    children = fields.List(fields.Dict(), required=True, validate=validate.Length(max=0))
    actions = fields.Nested(ActionFlags, required=True)


class Activity(ChildActivity):
    """An activity object; a group lists its children."""

    children = fields.List(fields.Nested(ChildActivity), required=True)


class ChildrenStatuses(Schema):
    good = fields.Integer(required=True)
    warning = fields.Integer(required=True)
    bad = fields.Integer(required=True)


class Computer(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    hostname = _text()
    distribution = _text()
    codename = _text()
    access_group = _text()
    tags = fields.List(fields.String(), required=True)
    last_ping_time = _time()
    registration_time = _time()
    needs_reboot = fields.Boolean(required=True)


class Parent(_ActivityBase):
    """A parent activity with its children's figures."""

    deliver_delay_window = fields.Integer(required=True)
    children_count = fields.Integer(required=True)
    children_statuses = fields.Nested(ChildrenStatuses, required=True)
    computer_count = fields.Integer(required=True)
    computer = fields.Nested(Computer, required=True, allow_none=True)


def _page_of(item: type[Schema], name: str) -> type[Schema]:
    page = Schema.from_dict({
        "count": fields.Integer(required=True,
                                metadata={"description": "How many match, on all pages."}),
        "results": fields.List(fields.Nested(item), required=True),
        "next": _text(metadata={"description": "The next page's URL."}),
        "previous": _text(metadata={"description": "The previous page's URL."}),
    }, name=name)
    page.__module__ = __name__  # names its OpenAPI component after this dialect
    return page


ActivityPage = _page_of(Activity, "ActivityPage")
ParentPage = _page_of(Parent, "ParentPage")
ComputerPage = _page_of(Computer, "ComputerPage")


class Account(Schema):
    name = fields.String(required=True)
    title = fields.String(required=True)
    default = fields.Boolean(required=True)


class LoginResult(Schema):
    token = fields.String(required=True)
    email = _text()
    name = fields.String(required=True)
    accounts = fields.List(fields.Nested(Account), required=True)
    current_account = fields.String(required=True)


class Error(Schema):
    """The error envelope."""

    error = fields.String(required=True)
    message = fields.String(required=True)
    detail = fields.Dict(required=True, allow_none=True)


Ids = fields.List(fields.Integer())
Names = fields.List(fields.String())


# --- rendering --------------------------------------------------------------------------------


def _change(change: dict[str, Any]) -> dict[str, Any]:
    removal = change.get("type") == "remove"
    version = change.get("version")
    return {"package": change.get("package"), "complemented": change.get("complemented"),
            "type": change.get("type"),
            "install_version": None if removal else version,
            "remove_version": version if removal else change.get("previous_version")}


def _creator(creator: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if creator is None else {"name": creator["name"], "email": creator["email"],
                                         "id": creator["id"]}


def activity(item: dict[str, Any], children: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """A legacy activity (with its ``actions`` flags) in the v2 shape."""
    return {
        "id": item["id"], "creation_time": item["creation_time"],
        "creator": _creator(item["creator"]), "type": item["type"],
        "summary": item["summary"], "result_text": item["result_text"],
        "computer_id": item["computer_id"], "approval_time": item["approval_time"],
        "delivery_time": item["delivery_time"],
        "deliver_after_time": item["deliver_after_time"],
        "deliver_before_time": item["deliver_before_time"],
        "package_ids": item["package_ids"],
        "changes": [_change(change) for change in item["changes"]],
        "parent_id": item["parent_id"], "modification_time": item["modification_time"],
        "completion_time": item["completion_time"], "schedule_before_time": None,
        "schedule_after_time": None, "result_code": item["result_code"],
        "activity_status": item["activity_status"],
        "children": [activity(child) for child in children],
        "actions": item["actions"],
    }


def _parent(item: dict[str, Any], computer: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "id": item["id"], "creation_time": item["creation_time"],
        "creator": _creator(item["creator"]), "type": item["type"],
        "summary": item["summary"], "completion_time": item["completion_time"],
        "parent_id": item["parent_id"], "deliver_delay_window": 0,
        "result_text": item["result_text"], "result_code": item["result_code"],
        "activity_status": item["activity_status"],
        "children_count": item["children_count"],
        "children_statuses": item["children_statuses"],
        "computer_count": item["computer_count"], "computer": computer,
    }


def _link(limit: int, offset: int) -> str:
    """This route's absolute URL with every query parameter kept and ``offset`` moved
    (omitted at 0), parameters sorted as Django REST framework writes them."""
    params = [(name, value) for name, value in request.args.items(multi=True)
              if name not in ("limit", "offset")]
    params.append(("limit", str(limit)))
    if offset > 0:
        params.append(("offset", str(offset)))
    return request.base_url + "?" + urlencode(sorted(params))


def paginated(render_item: Callable[[Any, Any], dict[str, Any]]
              ) -> Callable[[Any, RouteInput], dict[str, Any]]:
    """A renderer of an action's :class:`~actions.base.ExtendedResult` page as
    ``{"count", "results", "next", "previous"}``."""

    def render(result: Any, given: RouteInput) -> dict[str, Any]:
        limit, offset = given.query["limit"], given.query["offset"]
        return {
            "count": result.count,
            "results": [render_item(item, result) for item in result.value],
            "next": _link(limit, offset + limit) if offset + limit < result.count else None,
            "previous": _link(limit, max(offset - limit, 0)) if offset > 0 else None,
        }

    return render


def _with_children(item: dict[str, Any], result: Any) -> dict[str, Any]:
    return activity(item, result.children.get(item["id"], []))


def _login(result: dict[str, Any], given: RouteInput) -> dict[str, Any]:
    return {"token": result["token"], "email": result["email"], "name": result["name"],
            "accounts": result["accounts"], "current_account": result["account"]}


def render_error(error: ApiError) -> Response:
    """The v2 envelope; every 404 is the seed's plain ``Not found.``."""
    if error.status == 404:
        body: dict[str, Any] = {"error": "NotFound", "message": "Not found.", "detail": None}
    else:
        body = {"error": error.code, "message": error.message,
                "detail": error.details or None}
    return json_response(body, error.status)


# --- routes -----------------------------------------------------------------------------------


def _route(method: str, path: str, action: str, response: Any, summary: str,
           **kwargs: Any) -> Route:
    tag = "login" if path.startswith("/login") else path.strip("/").split("/")[0]
    return Route(method, path, action, response, summary=summary, tags=(tag,), **kwargs)


def _writes(path: str, action: str, body: type[Schema], summary: str) -> Route:
    return _route("POST", path, action, Ids, summary, body=body,
                  errors=(400, 404, 413, 415))


def _page(path: str, action: str, response: type[Schema], render: Callable, extras: set[str],
          summary: str) -> Route:
    return _route("GET", path, action, response, summary, query=PageQuery,
                  render=paginated(render), extras=frozenset(extras),
                  version=ACTIONS_VERSION)


ROUTES = [
    _route("POST", "/login", "Login", LoginResult, "Log in with an e-mail and password.",
           body=PasswordLogin, render=_login, extras=frozenset({"accounts"}),
           errors=(400, 401, 413, 415, 429)),
    _route("POST", "/login/access-key", "LoginWithAccessKey", LoginResult,
           "Log in with an access key and its secret.", body=AccessKeyLogin, render=_login,
           extras=frozenset({"accounts"}), errors=(400, 401, 403, 413, 415, 429)),
    _page("/activities", "GetActivities", ActivityPage, _with_children, {"count", "children"},
          "The account's activities matching a query, newest first."),
    _page("/activities/parents", "GetActivityParents", ParentPage,
          lambda item, result: _parent(item, result.computers.get(item["id"])),
          {"count", "computer"}, "Parent activities with their children's figures."),
    _route("GET", "/activities/<int:activity_id>", "GetActivity", Activity, "One activity.",
           render=lambda result, given: _with_children(result.value, result),
           extras=frozenset({"children"}), version=ACTIONS_VERSION, errors=(400, 404)),
    _route("GET", "/activities/types", "GetActivityTypes", Names, "The activity types."),
    _writes("/activities/reapply", "ReapplyActivities", ActivityIds,
            "Reapply final activities; returns the new activities' ids."),
    _writes("/activities/revert", "RevertActivities", ActivityIds,
            "Revert succeeded package changes; returns the new activities' ids."),
    _writes("/activities/cancel", "CancelActivities", Selection,
            "Cancel the selected activities (all or nothing); returns the ids canceled."),
    _writes("/activities/approve", "ApproveActivities", Selection,
            "Approve the selected activities (all or nothing); returns the ids approved."),
    _page("/computers", "GetComputers", ComputerPage, lambda item, result: item, {"count"},
          "The account's computers matching a query, by id."),
]

DIALECT = Dialect(name="landscape_v2", base_path="/api/v2", routes=ROUTES,
                  render_error=render_error, error_schema=Error, title="Landscape REST v2")
