"""The request id: taken from ``X-Request-Id`` when sane, generated otherwise, answered back.

It ties a client's report, the access log (``gunicorn.conf.py`` logs the response header)
and the application log (an internal error's message names it) to one request.
"""
from __future__ import annotations

import re
import uuid

from flask import Flask, Response, g, has_request_context, request

HEADER = "X-Request-Id"
#: what a proxy's or client's id may look like to be kept: no spaces, quotes or control
#: characters that could forge access-log lines
_SANE = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")


def current_request_id() -> str:
    """The id of the request being served (a fresh one outside a request)."""
    if not has_request_context():
        return uuid.uuid4().hex
    request_id = g.get("request_id")
    if request_id is None:
        given = request.headers.get(HEADER, "")
        request_id = g.request_id = given if _SANE.fullmatch(given) else uuid.uuid4().hex
    return request_id


def init_app(app: Flask) -> None:
    """Answer every response with the request's ``X-Request-Id``."""

    @app.after_request
    def _answer_request_id(response: Response) -> Response:
        response.headers[HEADER] = current_request_id()
        return response
