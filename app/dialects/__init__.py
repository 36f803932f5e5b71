"""Wire dialects (DIALECTS.md §0): other systems' REST formats over the same actions.

A :class:`Dialect` is a base path, a list of :class:`Route` declarations, how it
authenticates, how it reads a query string and a body, and how it renders a result and an
error (a route outside the base path, such as an OAuth token endpoint, is a dialect of its
own with its own envelope). Each route names one registered action and says how the
request becomes that action's arguments; the view built here runs it through
:func:`app.invocation.perform`, the legacy endpoint's own path (role check, argument
schema, transaction). Dialects never touch the store themselves.

One module per dialect declares a ``DIALECT`` and is listed in :data:`DIALECT_MODULES`;
:func:`init_app` mounts them all and :mod:`app.openapi` documents their routes.
"""
from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from flask import Blueprint, Flask, Response, current_app, request
from marshmallow import Schema, ValidationError, fields, validate

from actions import registry
from actions.base import Action

from .. import auth
from ..config import DEFAULT_API_VERSION
from ..errors import (ApiError, AuthFailure, BadRequest, InvalidParameterValue,
                      MissingParameter, UnknownParameter, add_envelope)
from ..encoding import String as WireString
from ..encoding import _first_message as first_message
from ..invocation import perform
from ..rendering import json_response
from ..models import CallerRole

#: the modules that declare a ``DIALECT``, in mounting order
DIALECT_MODULES = ("app.dialects.landscape_v2", "app.dialects.acronis_idp",
                   "app.dialects.acronis_task_manager", "app.dialects.pkgdb2",
                   "app.dialects.swarm")


class UnsupportedMediaType(ApiError):
    """415: a request body in a format the dialect does not read."""

    code = "UnsupportedMediaType"
    status = 415


class MalformedBody(BadRequest):
    """400: a body that does not parse (invalid JSON, not an object)."""

    code = "MalformedBody"


@dataclass(frozen=True)
class RouteInput:
    """What a request carried, loaded through the route's own schemas."""

    path: Mapping[str, Any]
    query: Mapping[str, Any]
    body: Mapping[str, Any]


def _all_of(given: RouteInput) -> dict[str, Any]:
    return {**given.query, **given.body, **given.path}


@dataclass(frozen=True)
class Route:
    """One REST route of a dialect, served by one action.

    ``query`` and ``body`` are the dialect's schemas of the query string and of the JSON
    body (the wire's types and limits); ``arguments`` maps what they loaded to the action's
    arguments, which the action's schema then loads; ``render`` turns the action's result
    into the response payload, described by ``response`` in the OpenAPI document.
    """

    method: str
    path: str
    action: str
    response: Schema | type[Schema] | None = None
    query: type[Schema] | None = None
    body: type[Schema] | None = None
    arguments: Callable[[RouteInput], dict[str, Any]] = _all_of
    render: Callable[[Any, RouteInput], Any] = lambda result, given: result
    #: optional result parts asked of the action (:attr:`actions.base.Call.extras`)
    extras: frozenset[str] = frozenset()
    #: the API version the action runs with (e.g. the one with the ``actions`` flags)
    version: str = DEFAULT_API_VERSION
    status: int = 200
    summary: str = ""
    #: the error statuses the route can answer besides 401/403 (documented)
    errors: tuple[int, ...] = (400,)
    tags: tuple[str, ...] = ()
    #: the route's name where one action serves several routes of a dialect (its endpoint
    #: and OpenAPI operation id; default: the action's name)
    name: str = ""
    #: the media type of the body (OpenAPI; default: the dialect's)
    body_media_type: str | None = None
    #: the security schemes of the route (OpenAPI; default: the dialect's), e.g. ``basic_key``
    #: for a public action's route that still takes credentials
    security: tuple[str, ...] | None = None
    #: whether the route may also answer ``text/plain`` (pkgdb2's text reports)
    text_response: bool = False

    @property
    def action_class(self) -> type[Action]:
        """The registered action behind the route."""
        return registry.get(self.action)

    @property
    def operation(self) -> str:
        """The route's name in its dialect."""
        return self.name or self.action

    @property
    def public(self) -> bool:
        return self.action_class.role == CallerRole.PUBLIC


@dataclass
class Dialect:
    """A wire format: its base path, routes, authentication and envelopes."""

    name: str
    base_path: str
    routes: list[Route]
    #: the error envelope: an :class:`ApiError` → the response
    render_error: Callable[[ApiError], Response]
    #: the schema of the error envelope (OpenAPI)
    error_schema: type[Schema]
    authenticate: Callable[[], auth.Caller] = field(default=lambda: bearer_caller())
    #: the query string loaded through a route's ``query`` schema
    read_query: Callable[[type[Schema] | None], dict[str, Any]] = field(
        default=lambda schema: query_parameters(schema))
    #: the body loaded through a route's ``body`` schema
    read_body: Callable[[type[Schema] | None], dict[str, Any]] = field(
        default=lambda schema: json_body(schema))
    #: what ``route.arguments`` gave loaded through the action's schema (errors → 400)
    load_arguments: Callable[[Schema, Mapping[str, Any]], dict[str, Any]] = field(
        default=lambda schema, data: load(schema, data))
    title: str = ""
    #: the media type of request bodies (OpenAPI)
    body_media_type: str = "application/json"
    #: the OpenAPI security schemes the dialect accepts
    security: tuple[str, ...] = ("bearer",)
    #: whether GETs may be anonymous (OpenAPI: security is optional)
    anonymous_reads: bool = False


def bearer_caller() -> auth.Caller:
    """The caller of an ``Authorization: Bearer`` token (every dialect accepts them)."""
    token = auth.bearer_token(request)
    if token is None:
        raise AuthFailure("Give an Authorization: Bearer token (see the login routes)")
    config = current_app.config
    return auth.caller_for_token(config["SECRET_KEY"], token, config["TOKEN_MAX_MINUTES"])


# --- loading what a request carries -------------------------------------------------------


class JSONInteger(fields.Integer):
    """A JSON Schema integer: a JSON number without a fractional part (``2`` or ``2.0``);
    no strings, no booleans."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


#: the longest string the actions take (``app.encoding.String``)
WIRE_TEXT_LIMIT = WireString().max_length


def text(max_length: int = 4096, **kwargs: Any) -> fields.String:
    """A string field the actions accept: no NUL, at most ``max_length`` characters (a few
    such fields stay far below the 1 MiB body limit, even written as ``\\uXXXX``
    escapes). Unpaired surrogates, which JSON Schema tools cannot express, are refused by
    :func:`json_body`. ``metadata={"secret": True}`` keeps the value out of error
    messages."""
    return fields.String(validate=[
        validate.Length(max=min(max_length, WIRE_TEXT_LIMIT)),
        validate.Regexp(r"^[^\u0000]*$", error="contains a NUL character")], **kwargs)


def load(schema: Schema, data: Mapping[str, Any]) -> dict[str, Any]:
    """Load ``data`` through ``schema``; the first problem becomes a 400 naming the field
    (``UnknownParameter``, ``MissingParameter`` or ``InvalidParameterValue``)."""
    try:
        return schema.load(data)
    except ValidationError as error:
        raise _field_error(schema, error.messages, data) from None


def _field_error(schema: Schema, messages: Any, data: Mapping[str, Any]) -> ApiError:
    if not isinstance(messages, dict) or not messages:
        return InvalidParameterValue("arguments", "", first_message(messages))
    name = sorted(messages, key=str)[0]
    problem = messages[name]
    if name == "_schema":
        return InvalidParameterValue("arguments", "", first_message(problem))
    if name not in data:
        return MissingParameter(name)
    value = data[name]
    if first_message(problem) == "Unknown field":
        return UnknownParameter(name)
    declared = schema.fields.get(name)
    if declared is not None and declared.metadata.get("secret"):
        value = "(not shown)"
    if isinstance(problem, dict) and isinstance(value, list):
        index = sorted(problem, key=str)[0]
        if isinstance(index, int) and index < len(value):
            return InvalidParameterValue(f"{name}[{index}]", _shown(value[index]),
                                         first_message(problem[index]))
    return InvalidParameterValue(name, _shown(value), first_message(problem))


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return text if len(text) <= 80 else text[:77] + "..."


def query_parameters(schema: type[Schema] | None) -> dict[str, Any]:
    """The query string loaded through ``schema`` (none declared: none accepted)."""
    given: dict[str, str] = {}
    for name, values in request.args.lists():
        if len(values) > 1:
            raise InvalidParameterValue(name, values[0], "given more than once")
        given[name] = values[0]
    if schema is None:
        if given:
            raise UnknownParameter(sorted(given)[0])
        return {}
    return load(_instance(schema), given)


def json_body(schema: type[Schema] | None) -> dict[str, Any]:
    """The JSON object of the body loaded through ``schema`` (415 when it is not JSON)."""
    if schema is None:
        return {}
    if request.mimetype != "application/json":
        raise UnsupportedMediaType(
            f"The body must be application/json, not {request.mimetype or 'missing'}")
    try:
        data = json.loads(request.get_data(cache=False, as_text=True))
    except (ValueError, RecursionError) as error:
        raise MalformedBody(f"The body is not valid JSON: {error}") from None
    if not isinstance(data, dict):
        raise MalformedBody("The body must be a JSON object")
    try:
        # "\ud800" is valid JSON but no Unicode text: the store could not encode it.
        json.dumps(data, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        raise MalformedBody("The body contains an unpaired UTF-16 surrogate") from None
    return load(_instance(schema), data)


_SCHEMAS: dict[type[Schema], Schema] = {}


def _instance(schema: type[Schema]) -> Schema:
    if schema not in _SCHEMAS:
        _SCHEMAS[schema] = schema()
    return _SCHEMAS[schema]


# --- serving ------------------------------------------------------------------------------


def _view(dialect: Dialect, route: Route) -> Callable[..., Response]:
    def view(**path: Any) -> Response:
        loaded: list[RouteInput] = []

        def arguments(schema: Schema) -> dict[str, Any]:
            given = RouteInput(path, dialect.read_query(route.query),
                               dialect.read_body(route.body))
            loaded.append(given)
            return dialect.load_arguments(schema, route.arguments(given))

        result = perform(route.action_class, dialect.authenticate, arguments,
                         version=route.version, extras=route.extras, extended=True)
        rendered = route.render(result, loaded[0])
        if isinstance(rendered, Response):  # a dialect's own format (pkgdb2's text reports)
            return rendered
        return json_response(rendered, route.status)

    return view


def blueprint(dialect: Dialect) -> Blueprint:
    """A blueprint serving every route of ``dialect`` under its base path."""
    bp = Blueprint(dialect.name, __name__, url_prefix=dialect.base_path)
    taken: dict[str, int] = {}
    for route in dialect.routes:
        # one action may serve several paths (pkgdb2's ``<pattern>/`` and ``?pattern=``)
        endpoint = f"{route.operation}_{route.method.lower()}"
        taken[endpoint] = taken.get(endpoint, 0) + 1
        if taken[endpoint] > 1:
            endpoint += f"_{taken[endpoint]}"
        bp.add_url_rule(route.path, endpoint=endpoint,
                        view_func=_view(dialect, route), methods=[route.method],
                        strict_slashes=False, merge_slashes=False)  # never redirect
    return bp


def dialects() -> list[Dialect]:
    """Every dialect, from :data:`DIALECT_MODULES`."""
    return [importlib.import_module(name).DIALECT for name in DIALECT_MODULES]


def init_app(app: Flask) -> None:
    """Mount every dialect (routes and error envelope) and the OpenAPI document."""
    from .. import openapi

    for dialect in dialects():
        app.register_blueprint(blueprint(dialect))
        add_envelope(app, dialect.base_path, dialect.render_error)
    app.register_blueprint(openapi.bp)
