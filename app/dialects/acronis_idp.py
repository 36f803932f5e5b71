"""The Acronis identity provider's token route, ``POST /api/2/idp/token`` (DIALECTS.md §2):
an OAuth 2 client-credentials grant whose client is an access key, answered with an
ordinary bearer token of the gateway (``LoginWithAccessKey``, so login throttling applies)
and OAuth 2 errors (RFC 6749 §5.2).
"""
from __future__ import annotations

import calendar
import time
from typing import Any

from flask import Response, request
from marshmallow import Schema, fields, validate

from .. import auth
from ..errors import ApiError, AuthFailure
from ..rendering import json_response
from . import Dialect, Route, RouteInput, UnsupportedMediaType, load

GRANT_TYPE = "client_credentials"
FORM = "application/x-www-form-urlencoded"

#: OAuth 2 error codes by the gateway's (RFC 6749 §5.2; 503 is §4.1.2.1's)
_OAUTH_CODES = {"UnsupportedGrantType": "unsupported_grant_type",
                "StoreUnavailable": "temporarily_unavailable"}


class TokenRequest(Schema):
    """The form body of a token request."""

    grant_type = fields.String(required=True, validate=validate.Equal(GRANT_TYPE), metadata={
        "description": "Always client_credentials; the client is an access key given with "
                       "HTTP Basic authentication (access_key:secret_key)."})


class Token(Schema):
    access_token = fields.String(required=True)
    token_type = fields.String(required=True, validate=validate.Equal("bearer"))
    expires_on = fields.Integer(required=True, metadata={"description": "Unix seconds."})
    id_token = fields.String(required=True)


class Error(Schema):
    """The OAuth 2 error shape."""

    error = fields.String(required=True)
    error_description = fields.String(required=True)


def form_body(schema: type[Schema] | None) -> dict[str, Any]:
    """The form body loaded through ``schema`` (415 when it is not a form)."""
    if schema is None:
        return {}
    if request.mimetype != FORM:
        raise UnsupportedMediaType(f"The body must be {FORM}, not "
                                   f"{request.mimetype or 'missing'}")
    given = {name: values[0] for name, values in request.form.lists()}
    if given.get("grant_type", GRANT_TYPE) != GRANT_TYPE:
        raise ApiError(f"Only the {GRANT_TYPE} grant is supported",
                       code="UnsupportedGrantType", status=400)
    return load(schema(), given)


def _credentials(given: RouteInput) -> dict[str, Any]:
    """The access key and secret of the HTTP Basic ``Authorization`` header."""
    basic = request.authorization
    if basic is None or basic.type != "basic" or not basic.username or not basic.password:
        raise AuthFailure("Give the access key and secret key with HTTP Basic authentication")
    return {"access_key": basic.username, "secret_key": basic.password}


def _token(result: dict[str, Any], given: RouteInput) -> dict[str, Any]:
    expires = calendar.timegm(time.strptime(result["expires"], auth.TIMESTAMP_FORMAT))
    return {"access_token": result["token"], "token_type": "bearer", "expires_on": expires,
            "id_token": result["token"]}


def render_error(error: ApiError) -> Response:
    """An OAuth 2 error: ``invalid_client`` for refused credentials, ``invalid_request``
    for a malformed request."""
    code = _OAUTH_CODES.get(error.code)
    if code is None:
        code = "invalid_client" if error.status in (401, 403, 429) else "invalid_request"
    return json_response({"error": code, "error_description": error.message}, error.status)


ROUTES = [
    Route("POST", "/token", "LoginWithAccessKey", Token, body=TokenRequest,
          arguments=_credentials, render=_token, errors=(400, 401, 403, 413, 415, 429),
          summary="A bearer token for an access key (OAuth 2 client credentials).",
          tags=("idp",), body_media_type=FORM, security=("basic_key",)),
]

DIALECT = Dialect(name="acronis_idp", base_path="/api/2/idp", routes=ROUTES,
                  render_error=render_error, error_schema=Error, read_body=form_body,
                  title="Acronis identity provider")
