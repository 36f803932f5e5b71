"""Swarm's activity stream at ``/api/v11/`` (DIALECTS.md §3, seed
``swarm-activity-api.txt``): the event log as Swarm entries in the
``{"error", "messages", "data"}`` envelope, read through ``GetEventStream`` and written
through ``PostEvent``.

Authentication: ``Authorization: Bearer <token>``, or HTTP Basic ``username:ticket`` where
the ticket is a bearer token of that person or the person's password (checked by the
``Login`` action, so the login throttle applies).

Decisions where the seed is silent: unknown query parameters and unknown ``fields`` names
are ignored (as Swarm ignores them; the seed's own example asks for a ``date`` field); a
per-object feed of an object that does not exist (or no longer exists) is an empty page;
``after`` and ``max`` must be integers from 1, ``max`` at most 1000.
"""
from __future__ import annotations

from typing import Any, Mapping

from flask import Response, current_app, request
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from actions import registry

from .. import auth
from ..config import DEFAULT_API_VERSION
from ..encoding import INT_MAX
from ..errors import ApiError, AuthFailure, BadRequest
from ..rendering import json_response
from ..invocation import perform
from ..store import event_reads
from . import (Dialect, Route, RouteInput, UnsupportedMediaType, _field_error, bearer_caller,
               json_body, load, text)

MAX_PAGE = 1000
DEFAULT_PAGE = 100
#: the keys of an entry, in Swarm's order
ENTRY_FIELDS = tuple(member.name for member in event_reads.ENTRY.members)
AUTH_REQUIRED = ("Authentication required: HTTP Basic username:ticket (a token or your "
                 "password) or Authorization: Bearer <token>")


# --- authentication ----------------------------------------------------------------------


def _password_caller(username: str, password: str) -> auth.Caller:
    """The caller of a username (or e-mail) and password, checked by ``Login`` (throttled
    like it); a username in several accounts must log in by e-mail."""
    email = username if "@" in username else auth.email_of_username(username) or username
    try:
        result = perform(registry.get("Login"), bearer_caller,
                         lambda schema: load(schema, {"email": email, "password": password}),
                         version=DEFAULT_API_VERSION)
    except BadRequest:  # credentials the Login action cannot even read (a NUL, too long)
        raise AuthFailure("Invalid username or password") from None
    return _token_caller(result["token"])


def _token_caller(token: str) -> auth.Caller:
    config = current_app.config
    return auth.caller_for_token(config["SECRET_KEY"], token, config["TOKEN_MAX_MINUTES"])


def authenticate() -> auth.Caller:
    """Bearer token, or HTTP Basic ``username:ticket`` (ticket: a token of that person, or
    the password); else 401."""
    if auth.bearer_token(request) is not None:
        return bearer_caller()
    basic = request.authorization
    if basic is None or basic.type != "basic" or not basic.username:
        raise AuthFailure(AUTH_REQUIRED)
    username, ticket = basic.username, basic.password or ""
    if not auth.is_token(current_app.config["SECRET_KEY"], ticket):
        return _password_caller(username, ticket)
    caller = _token_caller(ticket)
    person = caller.person
    if person is None or username not in (person.username, person.email):
        raise AuthFailure("The ticket is not a token of this user")
    return caller


# --- reading requests ----------------------------------------------------------------------


def _flag(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("true", "1", "yes", "on"):
        return True
    if lowered in ("false", "0", "no", "off", ""):
        return False
    raise ValidationError("expected true or false")


class Flag(fields.Boolean):
    """``true``/``false`` (also ``1``/``0``, ``yes``/``no``, ``on``/``off``; empty: false)."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> bool:
        if isinstance(value, bool):
            return value
        if not isinstance(value, str):
            raise ValidationError("expected true or false")
        return _flag(value)


_AFTER = "the after parameter must be an integer greater than 0"
_MAX = f"the max parameter value must be an integer from 1 to {MAX_PAGE}"


class FeedQuery(Schema):
    """``?after&max&fields&followed`` of every list route."""

    class Meta:
        unknown = EXCLUDE

    after = fields.Integer(
        load_default=None, validate=validate.Range(1, INT_MAX, error=_AFTER),
        error_messages={"invalid": _AFTER, "too_large": _AFTER},
        metadata={"description": "Only entries with a smaller id (e.g. the last "
                                 "lastSeen)."})
    max = fields.Integer(
        load_default=DEFAULT_PAGE, validate=validate.Range(1, MAX_PAGE, error=_MAX),
        error_messages={"invalid": _MAX, "too_large": _MAX},
        metadata={"description": "At most this many entries (1 to 1000, default 100)."})
    keep = text(4096, data_key="fields", load_default="", metadata={
        "description": "A comma-separated list of the keys to keep (all when empty)."})
    followed = Flag(load_default=False, metadata={
        "description": "true: only entries that the caller follows."})


class ActivityQuery(FeedQuery):
    """``/activity``'s parameters: those of a feed and ``stream``."""

    stream = text(1024, load_default=None,
                  metadata={"description": "Only entries of this stream (e.g. activity-85, "
                                           "user-jane, package-guake)."})


def read_query(schema: type[Schema] | None) -> dict[str, Any]:
    """The query string: the first value of each name; ``fields[]=a&fields[]=b`` (Swarm's
    array form) is ``fields=a,b``."""
    given = {name: values[0] for name, values in request.args.lists()}
    listed = request.args.getlist("fields[]")
    if listed:
        given["fields"] = ",".join(listed)
    return load(schema(), given) if schema is not None else {}


class PostActivity(Schema):
    """The body of ``POST /activity`` (JSON, or a form: ``streams[]`` repeated, ``link`` as
    JSON text)."""

    type = text(64, required=True, metadata={"description": "The entry's type (letters, "
                                                            "digits, _ . -)."})
    action = text(255, required=True, metadata={"description": "The verb."})
    target = text(1024, required=True, metadata={"description": "What the entry is about."})
    description = text(4096, metadata={"description": "A summary."})
    topic = text(1024, metadata={"description": "e.g. activities/85."})
    streams = fields.List(text(255), validate=validate.Length(max=50),
                          metadata={"description": "More streams of the entry (it is always "
                                                   "in the caller's and the account's)."})
    link = fields.Raw(metadata={"description": 'e.g. ["activity", {"id": 85}] (a JSON array; '
                                               "in a form, its JSON text)."})


_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def read_body(schema: type[Schema] | None) -> dict[str, Any]:
    """A JSON object, or a form; values are checked by the action's schema."""
    if schema is None:
        return {}
    if request.mimetype in _FORMS:
        form = request.form
        given: dict[str, Any] = {name: values[0] for name, values in form.lists()
                                 if not name.endswith("[]")}
        if "streams[]" in form or "streams" in form:
            given["streams"] = form.getlist("streams[]") + form.getlist("streams")
        return load(schema(), given)
    if request.mimetype != "application/json":
        raise UnsupportedMediaType("The body must be application/json or a form, not "
                                   f"{request.mimetype or 'missing'}")
    return json_body(schema)


#: the actions' names of Swarm's fields (``action`` names the legacy wire's action)
ACTION_NAMES = {"action": "verb"}
_WIRE_NAMES = {action: wire for wire, action in ACTION_NAMES.items()}


def _posted(given: RouteInput) -> dict[str, Any]:
    return {ACTION_NAMES.get(name, name): value for name, value in given.body.items()}


def load_arguments(schema: Schema, data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` loaded through the action's schema; a problem names Swarm's field."""
    try:
        return schema.load(data)
    except ValidationError as error:
        messages = error.messages
        if isinstance(messages, dict):
            messages = {_WIRE_NAMES.get(str(name), name): problem
                        for name, problem in messages.items()}
        wire = {_WIRE_NAMES.get(name, name): value for name, value in data.items()}
        raise _field_error(schema, messages, wire) from None


# --- rendering --------------------------------------------------------------------------------


def _kept(requested: str) -> tuple[str, ...] | None:
    names = {name.strip() for name in requested.split(",") if name.strip()}
    return tuple(name for name in ENTRY_FIELDS if name in names) if names else None


def render_page(result: Any, given: RouteInput) -> dict[str, Any]:
    """``{"error": null, "messages": null, "data": {"activity", "totalCount",
    "lastSeen"}}``, entries keeping only the requested ``fields``."""
    kept = _kept(given.query["keep"])
    entries = [event_reads.entry(event) for event in result]
    if kept is not None:
        entries = [{name: item[name] for name in kept} for item in entries]
    return {"error": None, "messages": None, "data": {
        "activity": entries, "totalCount": len(result),
        "lastSeen": result[-1]["id"] if result else None}}


def render_posted(result: Any, given: RouteInput) -> dict[str, Any]:
    return {"error": None, "messages": None, "data": {"activity": event_reads.entry(result)}}


def render_error(error: ApiError) -> Response:
    """``{"error": TEXT, "messages": [TEXT], "data": null}``."""
    return json_response({"error": error.message, "messages": [error.message], "data": None},
                         error.status)


# --- response schemas (OpenAPI) -----------------------------------------------------------


class Entry(Schema):
    """An entry (with ``fields``, only the keys asked for)."""

    id = fields.Integer()
    type = fields.String()
    link = fields.List(fields.Raw(), allow_none=True)
    user = fields.String(allow_none=True)
    behalfOf = fields.Raw(allow_none=True, validate=validate.Equal(None))
    action = fields.String()
    target = fields.String()
    preposition = fields.String()
    description = fields.String()
    details = fields.Dict()
    topic = fields.String()
    depotFile = fields.Raw(allow_none=True, validate=validate.Equal(None))
    time = fields.Integer()
    projects = fields.List(fields.Raw())
    followers = fields.List(fields.String())
    streams = fields.List(fields.String())
    change = fields.Raw(allow_none=True, validate=validate.Equal(None))


class PageData(Schema):
    activity = fields.List(fields.Nested(Entry), required=True)
    totalCount = fields.Integer(required=True,
                                metadata={"description": "The number of entries returned."})
    lastSeen = fields.Integer(required=True, allow_none=True,
                              metadata={"description": "The last entry's id (pass it as "
                                                       "after for the next page)."})


class Page(Schema):
    error = fields.Raw(required=True, allow_none=True, validate=validate.Equal(None))
    messages = fields.Raw(required=True, allow_none=True, validate=validate.Equal(None))
    data = fields.Nested(PageData, required=True)


class PostedData(Schema):
    activity = fields.Nested(Entry, required=True)


class Posted(Schema):
    error = fields.Raw(required=True, allow_none=True, validate=validate.Equal(None))
    messages = fields.Raw(required=True, allow_none=True, validate=validate.Equal(None))
    data = fields.Nested(PostedData, required=True)


class Error(Schema):
    """The error envelope."""

    error = fields.String(required=True)
    messages = fields.List(fields.String(), required=True)
    data = fields.Raw(required=True, allow_none=True, validate=validate.Equal(None))


# --- routes -----------------------------------------------------------------------------------


def _filters(given: RouteInput, **fixed: Any) -> dict[str, Any]:
    arguments = {"followed": given.query["followed"], "limit": given.query["max"], **fixed}
    if given.query["after"] is not None:
        arguments["after"] = given.query["after"]
    return arguments


def _all(given: RouteInput) -> dict[str, Any]:
    stream = given.query.get("stream")
    return _filters(given, **({"stream": stream} if stream is not None else {}))


def _feed(path: str, stream: str, name: str, summary: str) -> Route:
    """A per-object feed: the entries of the stream ``stream`` (``{}`` names the path
    variable)."""
    variable = path.split("<")[1].split(">")[0].split(":")[-1]
    return Route("GET", path, "GetEventStream", Page, query=FeedQuery, name=name,
                 arguments=lambda given: _filters(
                     given, stream=stream.format(given.path[variable])),
                 render=render_page, summary=summary, errors=(400, 404), tags=("feeds",))


ROUTES = [
    Route("GET", "/activity", "GetEventStream", Page, query=ActivityQuery, name="GetActivity",
          arguments=_all, render=render_page, errors=(400, 404), tags=("activity",),
          summary="The account's activity stream, newest first."),
    Route("GET", "/activity/<type>", "GetEventStream", Page, query=ActivityQuery,
          name="GetActivityOfType",
          arguments=lambda given: {**_all(given), "type": given.path["type"]},
          render=render_page, errors=(400, 404), tags=("activity",),
          summary="The entries of one type (activity, computer, package…), newest first."),
    Route("POST", "/activity", "PostEvent", Posted, body=PostActivity, name="PostActivity",
          arguments=_posted, render=render_posted, errors=(400, 404, 413, 415), tags=("activity",),
          summary="Add an entry to the stream (role manager); returns it."),
    _feed("/activities/<int:activity_id>/activity", "activity-{}", "GetActivityFeed",
          "The entries of one activity."),
    _feed("/computers/<int:computer_id>/activity", "computer-{}", "GetComputerFeed",
          "The entries of one computer."),
    _feed("/packages/<name>/activity", "package-{}", "GetPackageFeed",
          "The entries of one package."),
    _feed("/persons/<username>/activity", "user-{}", "GetPersonFeed",
          "The entries made by one person."),
]

DIALECT = Dialect(name="swarm", base_path="/api/v11", routes=ROUTES,
                  render_error=render_error, error_schema=Error,
                  authenticate=authenticate, read_query=read_query, read_body=read_body,
                  load_arguments=load_arguments,
                  title="Swarm activity stream", security=("bearer", "basic_ticket"),
                  body_media_type="application/json")
