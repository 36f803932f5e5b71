"""The request id: taken from ``X-Request-Id`` when sane, generated otherwise, answered back.

It ties a client's report, the access log (``gunicorn.conf.py`` logs the response header)
and the application log (an internal error's message names it) to one request.
"""
from __future__ import annotations

import os
import re

from flask import Flask, Response, has_request_context, request

HEADER = "X-Request-Id"
#: where the WSGI environ has the header (werkzeug's ``request.headers`` reads it there)
_ENVIRON_KEY = "HTTP_" + HEADER.upper().replace("-", "_")
#: where the request's id is kept once known (the environ lives as long as the request)
_KEPT = "actiongate.request_id"
#: what a proxy's or client's id may look like to be kept: no spaces, quotes or control
#: characters that could forge access-log lines
_SANE = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")
#: the version (4) and variant (RFC 4122) bits of a random UUID
_UUID4_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_UUID4_SET = (0x4000 << 64) | (0x8000 << 48)


def uuid4_hex(random: bytes) -> str:
    """``uuid.UUID(bytes=random, version=4).hex``: what ``uuid.uuid4().hex`` makes of 16
    random bytes, without building the ``UUID``."""
    return "%032x" % (int.from_bytes(random, "big") & _UUID4_CLEAR | _UUID4_SET)


def new_request_id() -> str:
    """A fresh id: a random UUID's 32 hex digits."""
    return uuid4_hex(os.urandom(16))


def current_request_id() -> str:
    """The id of the request being served (a fresh one outside a request)."""
    if not has_request_context():
        return new_request_id()
    environ = request.environ
    request_id = environ.get(_KEPT)
    if request_id is None:
        given = environ.get(_ENVIRON_KEY, "")
        request_id = environ[_KEPT] = given if _SANE.fullmatch(given) else new_request_id()
    return request_id


def init_app(app: Flask) -> None:
    """Answer every response with the request's ``X-Request-Id``."""

    @app.after_request
    def _answer_request_id(response: Response) -> Response:
        response.headers[HEADER] = current_request_id()
        return response
