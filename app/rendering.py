"""The one JSON writer of every response: the legacy endpoint, each wire dialect, errors.

orjson writes the payloads: keys in the order the dicts have them (the legacy shapes keep
their order), no spaces, non-ASCII characters as UTF-8 rather than ``\\uXXXX`` escapes
(the same JSON values), ``orjson.Fragment`` (JSON text stored in the database) as it is.
Values orjson refuses (integers past 64 bits, unpaired surrogates) are written by the
standard library instead, which escapes them.
"""
from __future__ import annotations

import dataclasses
import json
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import orjson
from flask import Response
from werkzeug.http import http_date

from .store.rows import JsonArray

_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME


def _default(value: Any) -> Any:
    """What Flask's JSON provider makes of the types JSON lacks (PostgreSQL's aggregates
    come as ``Decimal``, written as text); a page the store wrote as JSON as it is."""
    if isinstance(value, JsonArray):
        return orjson.Fragment(value.text)
    if isinstance(value, date):
        return http_date(value)
    if isinstance(value, (Decimal, UUID)):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def dumps(payload: Any) -> bytes:
    """``payload`` as JSON (UTF-8)."""
    try:
        return orjson.dumps(payload, default=_default, option=_OPTIONS)
    except orjson.JSONEncodeError as error:
        if isinstance(error.__cause__, TypeError):  # from _default: a type JSON lacks
            raise error.__cause__ from None
        return json.dumps(payload, default=_standard_default).encode()


def _standard_default(value: Any) -> Any:
    """:func:`_default` for the standard library's writer (which knows no fragments)."""
    return value.items if isinstance(value, JsonArray) else _default(value)


def json_response(payload: Any, status: int = 200) -> Response:
    """``payload`` as an ``application/json`` response."""
    return Response(dumps(payload), status=status, mimetype="application/json")
