"""pkgdb2's own REST API at ``/pkgdb/api/`` (DIALECTS.md §4, seed ``pkgdb2-api.txt``) over
the catalogue actions: query strings and form bodies with repeated keys, the
``{"output": "ok"|"notok"}`` envelope, ``error_detail`` lines and pkgdb2's 404 bodies.

Status rule: where pkgdb2 answered 500 for bad input or 302 for missing credentials,
actiongate answers 400 (404 unknown entity, 403 refused, 401 no credentials) with pkgdb2's
body. Authentication: a bearer token, HTTP Basic ``username:password`` or
``email:password`` (checked by the ``Login`` action, so its throttle applies) or, for GETs,
the public catalogue of ``ACTIONGATE_PUBLIC_CATALOGUE``.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Mapping

from flask import Response, current_app, request
from marshmallow import Schema, ValidationError, fields, validate

from actions import registry

from .. import auth
from ..config import DEFAULT_API_VERSION
from ..encoding import Boolean as WireBoolean
from ..catalogue.fields import DEFAULT_LIMIT
from ..errors import ApiError, AuthFailure, BadRequest, MultiError, Unauthorised
from ..rendering import json_response
from ..invocation import perform
from ..models import ACLS
from . import pkgdb2_text
from . import Dialect, Route, RouteInput, bearer_caller, load

#: the API version pkgdb2 2.7.1 reports
PKGDB2_VERSION = "1.23"
AUTH_REQUIRED = "Authentication required"
INVALID_INPUT = "Invalid input submitted"
#: WTForms' words for a missing field (pkgdb2 scripts compare them)
_REQUIRED = {"Missing data for required field.": "This field is required."}


class PkgdbError(ApiError):
    """An error with pkgdb2's extra keys (``page``, the empty lists of a 404 body…)."""

    def __init__(self, message: str, status: int, extra: Mapping[str, Any] | None = None,
                 *, code: str = "InvalidParameterValue") -> None:
        super().__init__(message, code=code, status=status)
        self.extra = dict(extra or {})


class InvalidInput(BadRequest):
    """Form validation failed: one ``field: message`` line per problem."""

    code = "InvalidParameterValue"

    def __init__(self, lines: list[str]) -> None:
        super().__init__(INVALID_INPUT)
        self.lines = lines


# --- authentication ----------------------------------------------------------------------


def _basic_caller(username: str, password: str) -> auth.Caller:
    """The caller of HTTP Basic credentials, checked by ``Login`` (throttled like it): an
    e-mail, or a username (the only person of that name store-wide)."""
    credentials = {"email" if "@" in username else "username": username,
                   "password": password}
    result = perform(registry.get("Login"), bearer_caller,
                     lambda schema: load(schema, credentials),
                     version=DEFAULT_API_VERSION, extended=True)
    config = current_app.config
    return auth.caller_for_token(config["SECRET_KEY"], result["token"],
                                 config["TOKEN_MAX_MINUTES"])


def authenticate() -> auth.Caller:
    """Bearer token, HTTP Basic, or (GET only) the public catalogue; else 401."""
    if auth.bearer_token(request) is not None:
        return bearer_caller()
    basic = request.authorization
    if basic is not None and basic.type == "basic" and basic.username:
        return _basic_caller(basic.username, basic.password or "")
    if request.method == "GET":
        reader = auth.public_reader(current_app.config.get("PUBLIC_CATALOGUE"))
        if reader is not None:
            return reader
    raise AuthFailure(AUTH_REQUIRED)


# --- reading requests --------------------------------------------------------------------


def _list_fields(schema: type[Schema] | None) -> set[str]:
    if schema is None:
        return set()
    return {name for name, field in schema._declared_fields.items()
            if isinstance(field, fields.List)}


def _read(source: Any, schema: type[Schema] | None) -> dict[str, Any]:
    """Every key of ``source`` (a MultiDict): a list for the schema's list fields (repeated
    keys), else the first value. Unknown keys are ignored later, as pkgdb2 ignored them."""
    lists = _list_fields(schema)
    return {key: values if key in lists else values[0]
            for key, values in source.lists()}


def read_query(schema: type[Schema] | None) -> dict[str, Any]:
    """The query string (repeated keys of list fields as lists)."""
    return _read(request.args, schema)


def read_form(schema: type[Schema] | None) -> dict[str, Any]:
    """The form body (``application/x-www-form-urlencoded`` or multipart)."""
    return _read(request.form, schema)


def _action_of_request() -> str:
    endpoint = (request.endpoint or "").partition(".")[2]
    return endpoint.partition("_")[0]


def load_arguments(schema: Schema, data: Mapping[str, Any]) -> dict[str, Any]:
    """Load the known keys of ``data``; problems become pkgdb2's ``error_detail`` lines."""
    known = {key: _wire_value(key, schema.fields[key], value)
             for key, value in data.items() if key in schema.fields}
    try:
        return schema.load(known)
    except ValidationError as error:
        raise _input_error(_action_of_request(), error.messages, known) from None


#: flags pkgdb2 reads as true when given any non-empty text (even ``False``)
_TRUE_WHEN_GIVEN = {"eol", "count"}


def _wire_value(key: str, field: fields.Field, value: Any) -> Any:
    """pkgdb2's reading of a value: a path or single value of a list field is a list of
    one; a flag is true unless it is ``0``/``false``/empty (``eol``, ``count``: unless
    empty)."""
    if isinstance(field, fields.List) and not isinstance(value, list):
        return [value]
    if key == "limit" and isinstance(value, str):
        # pkgdb2: abs(int(limit)), anything else (and 0) the default
        number = value.strip().lstrip("+-")
        return number if number.isdigit() and int(number) > 0 else str(DEFAULT_LIMIT)
    if isinstance(field, (fields.Boolean, WireBoolean)) and isinstance(value, str):
        if key in _TRUE_WHEN_GIVEN:
            return "true" if value else "false"
        return "false" if value.strip().lower() in ("", "0", "false") else "true"
    return value


#: the actions' names of pkgdb2's fields (the actions avoid the transport's own names)
WIRE_NAMES = {"version": "clt_version", "action": "action_type"}
_ACTION_NAMES = {action: wire for wire, action in WIRE_NAMES.items()}


def _lines(messages: Any) -> list[str]:
    if not isinstance(messages, dict):
        return [f"arguments: {messages}"]
    found = []
    for name, problem in messages.items():
        name = _ACTION_NAMES.get(name, name)
        while isinstance(problem, (list, dict)) and problem:
            problem = problem[0] if isinstance(problem, list) else next(iter(problem.values()))
        found.append(f"{name}: {_REQUIRED.get(str(problem), problem)}")
    return found


_PACKAGER_ROUTES = ("GetPackagerACLs", "GetPackagerStats")


def _input_error(action: str, messages: Any, given: Mapping[str, Any]) -> ApiError:
    """pkgdb2's answer to bad input of ``action``."""
    if isinstance(messages, dict) and "page" in messages:
        return PkgdbError("Wrong page provided", 400, {"page": 1, "page_total": 1})
    if action == "GetAdminAction":
        return PkgdbError("No Admin action with this identifier found", 404,
                          code="UnknownAdminAction")
    if action == "GetPackagerACLs" and isinstance(messages, dict) and "acls" in messages:
        bad = [value for value in given.get("acls", []) if value not in ACLS]
        return PkgdbError(f'Invalid request, "{bad[0] if bad else ""}" is an invalid acl', 400,
                          {"page": 1, "page_total": 1})
    if action in _PACKAGER_ROUTES and isinstance(messages, dict) and "packagername" in messages:
        extra = {"page": 1, "page_total": 1} if action == "GetPackagerACLs" else {}
        return PkgdbError("Invalid request", 400, extra)
    if action == "GetPackagerPackages":
        return PkgdbError("No ACLs found for that user", 404, _NO_PACKAGES,
                          code="UnknownPackager")
    return InvalidInput(_lines(messages))


# --- rendering -----------------------------------------------------------------------------


_NO_PACKAGES: dict[str, list] = {"point of contact": [], "co-maintained": [], "watch": []}
#: keys pkgdb2 adds to the error bodies of some routes (by action)
_ERROR_EXTRAS: dict[str, dict[str, Any]] = {
    "GetPackagerACLs": {"page": 1, "page_total": 1},
    "GetPackagerPackages": _NO_PACKAGES,
}


#: the seed's sentences for a caller whose role may not call the route's action
ROLE_REFUSALS = {"CreateCollection": "You are not allowed to create collections",
                 "SetCollectionStatus": "You are not allowed to edit collections",
                 "CreatePackage": "You're not allowed to add a package",
                 "EditPackage": "You're not allowed to edit this package",
                 "SetAdminActionStatus": "You are not an admin"}


def _route_action() -> str | None:
    """The action of the route that failed (None outside the routes)."""
    name = _action_of_request() if request.endpoint else ""
    return name if name in registry.ACTIONS else None


def _field_lines(error: ApiError, action: str | None) -> list[str] | None:
    """An action's refusal of argument values as ``field: message`` lines (pkgdb2 gave
    them as ``error_detail``: an unknown branch choice, a blacklisted name), else None."""
    if action is None or error.code != "InvalidParameterValue" or isinstance(error, PkgdbError):
        return None
    names = registry.get(action).extended_args_schema.fields
    lines = error.message.splitlines()
    if not lines or any(line.partition(": ")[0] not in names for line in lines):
        return None
    return [_ACTION_NAMES.get(field, field) + ": " + problem
            for field, _, problem in (line.partition(": ") for line in lines)]


def render_error(error: ApiError) -> Response:
    """``{"output": "notok", "error": …}`` with pkgdb2's extra keys."""
    body: dict[str, Any] = {"output": "notok"}
    action = _route_action()
    lines = _field_lines(error, action)
    if isinstance(error, InvalidInput):
        body.update(error=INVALID_INPUT, error_detail=error.lines)
    elif lines is not None:
        body.update(error=INVALID_INPUT, error_detail=lines)
    elif isinstance(error, MultiError):
        return _bulk_refusal(error)
    elif (isinstance(error, Unauthorised) and error.message == Unauthorised().message
          and action in ROLE_REFUSALS):
        body["error"] = ROLE_REFUSALS[action]
    else:
        body["error"] = error.message
    if isinstance(error, PkgdbError):
        body.update(error.extra)
    elif error.status == 404 and request.endpoint:
        body.update(_ERROR_EXTRAS.get(_action_of_request(), {}))
    return json_response(body, error.status)


#: the status of a bulk refusal whose items all failed for one kind of reason
_BULK_STATUS = {"Unauthorised": 403, "UnknownPackage": 404, "UnknownCollection": 404,
                "UnknownListing": 404}


def _bulk_refusal(error: MultiError) -> Response:
    """pkgdb2's bulk error: ``error`` is the one distinct reason, or the list of them;
    ``failures`` adds each failing item (``ns/name@branch``) with its reason."""
    failures = (error.details or {}).get("failures", [])
    reasons = list(dict.fromkeys(failure["message"] for failure in failures))
    codes = {entry["error"] for entry in error.errors}
    statuses = {_BULK_STATUS.get(code, 400) for code in codes}
    body = {"output": "notok", "error": reasons[0] if len(reasons) == 1 else reasons,
            "failures": failures}
    return json_response(body, statuses.pop() if len(statuses) == 1 else 400)


def ok(result: Any, given: RouteInput) -> dict[str, Any]:
    """The action's result in the ``"output": "ok"`` envelope."""
    return {**result, "output": "ok"}


def _non_empty(key: str, message: str) -> Callable[[Any, RouteInput], dict[str, Any]]:
    """``ok``, but an empty ``key`` list is pkgdb2's 404 body."""

    def render(result: Any, given: RouteInput) -> dict[str, Any]:
        if isinstance(result[key], list) and not result[key]:
            raise PkgdbError(message, 404, {key: [], "page": 1, "page_total": 1},
                             code="NotFound")
        return ok(result, given)

    return render


class OpenEnvelope(Schema):
    """pkgdb2's envelope; the other keys depend on the route."""

    class Meta:
        unknown = "include"

    output = fields.String(metadata={"description": "ok or notok"})


class ErrorEnvelope(OpenEnvelope):
    """``{"output": "notok", "error": …}`` (some routes add ``page`` or empty lists)."""

    error = fields.Raw(required=True, metadata={"description": "A message, or a list."})
    error_detail = fields.List(fields.String(), metadata={"description": "field: message"})


# --- routes --------------------------------------------------------------------------------


_PATH_VARIABLE = re.compile(r"<(?:\w+:)?(\w+)>")


def _wire_schema(action: str, path: str, kind: str,
                 more: Mapping[str, fields.Field] | None = None) -> type[Schema]:
    """The action's arguments as pkgdb2 sends them on ``path``: under pkgdb2's names
    (:data:`WIRE_NAMES`), without those the path gives, plus ``more``. It documents the
    query string or form (OpenAPI) and says which keys are lists; the action's own schema
    then loads the values."""
    schema = type(registry.get(action).extended_args_schema)
    in_path = set(_PATH_VARIABLE.findall(path))
    declared = {_ACTION_NAMES.get(name, name): field
                for name, field in schema._declared_fields.items() if name not in in_path}
    # ``Schema.from_dict``, not ``schema.from_dict``: a subclass would inherit every field
    wire = Schema.from_dict({**declared, **(more or {})}, name=f"{action}{kind}")
    wire.__module__ = __name__
    return wire


def _renamed(given: RouteInput) -> dict[str, Any]:
    """The request's values under the actions' names (:data:`WIRE_NAMES`)."""
    data = {**given.query, **given.body, **given.path}
    return {WIRE_NAMES.get(key, key): value for key, value in data.items()}


def _read_route(paths: tuple[str, ...], action: str, summary: str,
                **kwargs: Any) -> list[Route]:
    kwargs.setdefault("render", ok)
    kwargs.setdefault("errors", (400, 404))
    return [Route("GET", path, action, OpenEnvelope, query=_wire_schema(action, path, "Query"),
                  summary=summary, tags=(paths[0].strip("/").split("/")[0],), **kwargs)
            for path in paths]


#: fields the seed documents that pkgdb2 2.7.1 no longer reads: accepted and ignored
_IGNORED_FORM_FIELDS = {"CreateCollection": ("summary", "description")}


def _write_route(paths: tuple[str, ...], action: str, summary: str,
                 **kwargs: Any) -> list[Route]:
    """POST routes reading a form body (a path without its trailing slash is served too)."""
    kwargs.setdefault("render", ok)
    ignored = {name: fields.String(metadata={
        "description": "Accepted and ignored (pkgdb2 2.7.1 no longer reads it)."})
        for name in _IGNORED_FORM_FIELDS.get(action, ())}
    routes = []
    for path in paths:
        form: type[Schema] | None = _wire_schema(action, path, "Form", ignored)
        if form is not None and not form._declared_fields:
            form = None  # everything is in the path
        routes.append(Route("POST", path, action, OpenEnvelope, body=form, summary=summary,
                            errors=(400, 404, 409, 413),
                            tags=(paths[0].strip("/").split("/")[0],), **kwargs))
    return routes


def _collection_status(given: RouteInput) -> dict[str, Any]:
    """pkgdb2 refuses a form ``branch`` other than the URL's."""
    url_branch = given.path["url_branch"]
    branch = given.body.get("branch", url_branch)
    if branch != url_branch:
        raise PkgdbError("You're trying to update the wrong collection", 400)
    return {**given.query, **given.body, "branch": branch}


class ExtraFormat(Schema):
    """``?format=`` of the extras."""

    format = fields.String(validate=validate.OneOf(("json", "text")),
                           metadata={"description": "json or text"})


def _text_or_json(action: str, text_by_default: bool) -> Callable[[Any, RouteInput], Any]:
    """The report as pkgdb2's text when asked (``?format=text``, or by default for the
    extras pkgdb2 served as text unless ``?format=json`` or ``Accept: application/json``)."""
    as_text = pkgdb2_text.TEXT.get(action)

    def render(result: Any, given: RouteInput) -> Any:
        wanted = request.args.get("format")
        if wanted is None and request.accept_mimetypes.best == "application/json":
            wanted = "json"
        if as_text is not None and (wanted == "text" or (wanted != "json"
                                                         and text_by_default)):
            return Response(as_text(result), mimetype="text/plain")
        return ok(result, given)

    return render


def _extra(paths: tuple[str, ...], action: str, summary: str, *,
           text_by_default: bool = False, **kwargs: Any) -> list[Route]:
    return [Route("GET", path, action, OpenEnvelope, summary=summary,
                  query=_wire_schema(action, path, "Query", ExtraFormat._declared_fields),
                  render=_text_or_json(action, text_by_default), errors=(400,),
                  text_response=action in pkgdb2_text.TEXT,
                  tags=("extras",), **kwargs)
            for path in paths]


ROUTES = [
    *_read_route(("/collections/", "/collections/<pattern>/"), "GetCollections",
                 "Collections matching a pattern (and statuses)."),
    *_read_route(("/packagers/", "/packagers/<pattern>/"), "GetPackagers",
                 "Holders of an Approved ACL on a live listing."),
    *_read_route(("/packager/acl/", "/packager/acl/<packagername>/"), "GetPackagerACLs",
                 "A packager's ACLs, paged."),
    *_read_route(("/packager/package/", "/packager/package/<packagername>/"),
                 "GetPackagerPackages", "The packages a packager maintains or watches."),
    *_read_route(("/packager/stats/", "/packager/stats/<packagername>/"), "GetPackagerStats",
                 "Per branch, how many packages a packager maintains."),
    *_read_route(("/package/", "/package/<pkgname>/", "/package/<namespace>/<pkgname>/"),
                 "GetPackageInfo", "A package's listings."),
    *_read_route(("/packages/", "/packages/<pattern>/"), "SearchPackages",
                 "Packages matching patterns and listing filters, paged.",
                 render=_non_empty("packages", "No packages found for these parameters")),
    *_read_route(("/admin/actions/",), "GetAdminActions", "Admin actions, oldest first.",
                 arguments=_renamed,
                 render=_non_empty("actions", "No actions found for these parameters")),
    *_read_route(("/admin/action/", "/admin/action/<actionid>"), "GetAdminAction",
                 "One admin action."),
    *_read_route(("/pkgrequest/<bzid>", "/pkgrequest/<bzid>/"), "GetPackageRequest",
                 "The newest package request whose review URL cites a Bugzilla ticket."),
    *_write_route(("/collection/new/",), "CreateCollection", "Create a collection.",
                  arguments=_renamed),
    *_write_route(("/collection/<url_branch>/status/",), "SetCollectionStatus",
                  "Change a collection's status.", arguments=_collection_status),
    *_write_route(("/package/new/",), "CreatePackage", "Create a package."),
    *_write_route(("/package/edit/",), "EditPackage", "Edit a package."),
    *_write_route(("/package/critpath/",), "SetPackageCritpath",
                  "Set the critpath flag of packages on branches (all or nothing)."),
    *_write_route(("/package/<pkgname>/monitor/<status>",
                   "/package/<namespace>/<pkgname>/monitor/<status>"),
                  "SetPackageMonitoring", "Set a package's release-monitoring flag."),
    *_write_route(("/package/<pkgname>/koschei/<status>",
                   "/package/<namespace>/<pkgname>/koschei/<status>"),
                  "SetPackageKoschei", "Set a package's koschei flag."),
    *_write_route(("/package/orphan/",), "OrphanPackages",
                  "Orphan packages on branches (all or nothing)."),
    *_write_route(("/package/unorphan/",), "UnorphanPackages",
                  "Take orphaned packages on branches (all or nothing)."),
    *_write_route(("/package/retire/",), "RetirePackages",
                  "Retire packages on branches (all or nothing)."),
    *_write_route(("/package/unretire/",), "UnretirePackages",
                  "Un-retire packages on branches (all or nothing)."),
    *_write_route(("/package/acl/",), "SetPackageACL", "Set or request ACLs."),
    *_write_route(("/package/acl/reassign/",), "ReassignPackages",
                  "Give packages a new point of contact (all or nothing)."),
    *_write_route(("/request/package",), "RequestPackage", "Request a new package."),
    *_write_route(("/request/branch/<pkgname>", "/request/branch/<namespace>/<pkgname>"),
                  "RequestBranch", "Request new branches of a package."),
    *_write_route(("/admin/action/status",), "SetAdminActionStatus",
                  "Change an admin action's status."),
    *_extra(("/bugzilla", "/bugzilla/"), "GetBugzillaACLs", "Bugzilla owners and CC lists.",
            text_by_default=True),
    *_extra(("/notify", "/notify/", "/notify/all", "/notify/all/"), "GetNotifyList",
            "Who is notified of each package's changes.", text_by_default=True,
            arguments=_renamed),
    *_extra(("/vcs", "/vcs/"), "GetVCSACLs", "Commit rights per package and branch.",
            text_by_default=True),
    *_extra(("/critpath", "/critpath/"), "GetCritpathPackages",
            "Critical-path packages per branch."),
    *_extra(("/pendingacls", "/pendingacls/"), "GetPendingACLs", "ACL requests to review."),
    *_extra(("/groups", "/groups/"), "GetGroups", "Groups holding ACLs."),
    *_extra(("/monitored", "/monitored/"), "GetMonitoredPackages",
            "Packages monitored by release-monitoring."),
    *_extra(("/koschei", "/koschei/"), "GetKoscheiPackages", "Packages monitored by koschei."),
    *_extra(("/retired", "/retired/"), "GetRetiredPackages",
            "Packages retired on every live collection of a name."),
    Route("GET", "/version", "GetVersion", OpenEnvelope, summary="pkgdb2's API version.",
          render=lambda result, given: {"version": PKGDB2_VERSION}, tags=("version",)),
]

DIALECT = Dialect(name="pkgdb2", base_path="/pkgdb/api", routes=ROUTES,
                  render_error=render_error, error_schema=ErrorEnvelope,
                  authenticate=authenticate, read_query=read_query, read_body=read_form,
                  load_arguments=load_arguments, title="pkgdb2",
                  body_media_type="application/x-www-form-urlencoded",
                  security=("bearer", "basic"), anonymous_reads=True)
