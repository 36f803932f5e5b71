"""The gateway's error hierarchy and its one rendering (CONTRACT §2), in the envelope of the
request's dialect."""
from __future__ import annotations

import logging
from typing import Any, Callable, Iterable

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException

from query_language.errors import InvalidQuery, echo

from . import store_faults
from .rendering import json_response
from .request_id import current_request_id

log = logging.getLogger("actiongate")


class ApiError(Exception):
    """An error with a wire code, an HTTP status and a human message."""

    #: the wire code, without an ``Error`` suffix
    code = "InternalError"
    #: the HTTP status
    status = 400

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None,
                 details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.details = details

    #: seconds a client should wait before retrying (sent as ``Retry-After``), if any
    retry_after: int | None = None

    def headers(self) -> dict[str, str]:
        """HTTP headers the answer carries besides the body's."""
        return {} if self.retry_after is None else {"Retry-After": str(self.retry_after)}

    def body(self) -> dict[str, Any]:
        """The JSON body: ``error`` and ``message`` always, ``details`` when present."""
        body: dict[str, Any] = {"error": self.code, "message": self.message}
        if self.details:
            body["details"] = self.details
        return body


class BadRequest(ApiError):
    """400 errors about the request's arguments."""


class InvalidAction(BadRequest):
    code = "InvalidAction"


class InvalidVersion(BadRequest):
    code = "InvalidVersion"


class MissingParameter(BadRequest):
    code = "MissingParameter"

    def __init__(self, name: str) -> None:
        super().__init__(f"The request must contain the parameter {name}")


class UnknownParameter(BadRequest):
    code = "UnknownParameter"

    def __init__(self, name: str) -> None:
        super().__init__(f"The parameter {echo(name)} is not recognized")


class InvalidParameterValue(BadRequest):
    code = "InvalidParameterValue"

    def __init__(self, name: str, value: Any, why: str = "") -> None:
        text = f"Invalid {echo(name)} value {echo(value)}"
        super().__init__(f"{text}: {why}" if why else text)


class InvalidParameterCombination(BadRequest):
    code = "InvalidParameterCombination"


class NotFound(ApiError):
    """404 for an entity the caller's account does not have (``Unknown<Thing>``)."""

    status = 404


class Conflict(ApiError):
    """409 for duplicates (``Duplicate<Thing>``)."""

    status = 409


class AuthFailure(ApiError):
    code = "AuthFailure"
    status = 401


class RequestExpired(BadRequest):
    code = "RequestExpired"


class InvalidSignature(ApiError):
    code = "InvalidSignature"
    status = 403


class SignatureDoesNotMatch(ApiError):
    code = "SignatureDoesNotMatch"
    status = 403

    def __init__(self) -> None:
        super().__init__("The request signature we calculated does not match the signature "
                         "you provided. Check your key and signing method.")


class RequestReplayed(ApiError):
    code = "RequestReplayed"
    status = 403

    def __init__(self) -> None:
        super().__init__("This signed request was accepted before: sign each request anew "
                         "(the signature covers a timestamp to the second).")


class InvalidCredentials(ApiError):
    code = "InvalidCredentials"
    status = 403


class TooManyRequests(ApiError):
    """429: too many failed attempts; ``Retry-After`` says when to try again."""

    code = "TooManyRequests"
    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Unauthorised(ApiError):
    code = "Unauthorised"
    status = 403

    def __init__(self, message: str = "The user is not authorised to perform the operation"
                 ) -> None:
        super().__init__(message)


class StoreUnavailable(ApiError):
    """503: the store is locked, read-only, unreachable or without its schema; retry later.

    Raised from the drivers' errors by one handler (:func:`init_app`), so every front end
    renders it through its own :class:`ApiError` handler, in its own envelope.
    """

    code = "StoreUnavailable"
    status = 503
    retry_after = 5

    def __init__(self, reason: str) -> None:
        super().__init__(f"The service is unavailable: {reason}. Retry later.")


class BulkRefusal(BadRequest):
    """An all-or-nothing bulk operation refused: one ``ITEM => reason`` line per failure.

    ``failures`` are ``(item, reason)`` pairs; lines are sorted by item (ids numerically).
    """

    def __init__(self, code: str, failures: Iterable[tuple[Any, str]]) -> None:
        ordered = sorted(failures, key=lambda pair: _sort_key(pair[0]))
        message = "\n".join(f"{echo(item)} => {reason}" for item, reason in ordered)
        super().__init__(message, code=code, details={
            "failures": [{"id": _echo_id(item), "message": reason} for item, reason in ordered]})


class MultiError(BadRequest):
    """Several independent errors, each with its own code (catalogue bulk actions)."""

    code = "MultiError"

    def __init__(self, errors: Iterable[tuple[Any, str, str]]) -> None:
        """``errors`` are ``(item, code, reason)`` triples."""
        ordered = sorted(errors, key=lambda triple: _sort_key(triple[0]))
        lines = [f"{echo(item)} => {reason}" for item, _, reason in ordered]
        super().__init__("\n".join(lines), details={
            "failures": [{"id": _echo_id(item), "message": reason}
                         for item, _, reason in ordered]})
        self.errors = [{"error": code, "message": line}
                       for (_, code, _), line in zip(ordered, lines)]

    def body(self) -> dict[str, Any]:
        body = super().body()
        body["errors"] = self.errors
        return body


def _echo_id(item: Any) -> Any:
    return item if isinstance(item, int) else echo(item)


def _sort_key(item: Any) -> tuple[int, Any]:
    return (0, item) if isinstance(item, int) else (1, str(item))


#: ``app.extensions`` key of the error envelopes of the wire dialects, by base path
ENVELOPES = "actiongate.envelopes"


def add_envelope(app: Flask, base_path: str, renderer: Callable[[ApiError], Response]) -> None:
    """Render every error of a request under ``base_path`` with ``renderer`` (a dialect's
    envelope) instead of the legacy body."""
    app.extensions.setdefault(ENVELOPES, {})[base_path] = renderer


def render(error: ApiError) -> Response:
    """Render an :class:`ApiError` as its JSON body, status and headers (in the envelope of
    the dialect whose base path the request is under, if any)."""
    response = None
    for base_path, renderer in current_app.extensions.get(ENVELOPES, {}).items():
        if request.path.startswith(base_path):
            response = renderer(error)
            break
    if response is None:
        response = json_response(error.body(), error.status)
    response.headers.update(error.headers())
    return response


_HTTP_CODES = {404: "NotFound", 405: "MethodNotAllowed", 413: "RequestTooLarge"}
_HTTP_MESSAGES = {
    404: "The requested URL was not found on this server.",
    405: "The method is not allowed for the requested URL.",
    413: "The request body is larger than the 1 MiB limit.",
}


def init_app(app: Flask) -> None:
    """Register the handlers that turn every failure into the contract's JSON body."""

    @app.errorhandler(ApiError)
    def _api_error(error: ApiError) -> Response:
        return render(error)

    @app.errorhandler(InvalidQuery)
    def _invalid_query(error: InvalidQuery) -> Response:
        return render(BadRequest(error.message, code="InvalidQuery", details={
            "position": error.position, "length": error.length}))

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response:
        status = error.code or 500
        code = _HTTP_CODES.get(status, "BadRequest" if status < 500 else "InternalError")
        message = _HTTP_MESSAGES.get(status, error.description or "Bad request.")
        return render(ApiError(message, code=code, status=status))

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        request_id = current_request_id()
        log.exception("Unhandled error (request id %s)", request_id)
        return render(ApiError(f"An internal error occurred (request id {request_id}).",
                               code="InternalError", status=500))

    def _store_error(error: Exception) -> Response:
        reason = store_faults.fault_reason(error)
        if reason is None:
            return _unexpected(error)
        log.warning("Store unavailable (request id %s): %s", current_request_id(),
                    store_faults.driver_error(error))
        store_faults.discard_connection()
        # Through the app's dispatch, so that a blueprint's own ApiError handler (a wire
        # dialect's envelope) renders it.
        return app.make_response(app.handle_user_exception(StoreUnavailable(reason)))

    for kind in store_faults.STORE_ERRORS:
        app.register_error_handler(kind, _store_error)
