"""Argument fields shared by the catalogue actions (pagination, names, lists)."""
from __future__ import annotations

import math
from typing import Any

from marshmallow import ValidationError, fields, validate

from app.encoding import Boolean, Integer, String

DEFAULT_LIMIT = 250
MAX_LIMIT = 500
#: pages beyond this are refused: (page - 1) * limit must stay a SQL integer
MAX_PAGE = 2**31 - 1
#: the most names one list argument may carry
MAX_ITEMS = 1000


class Limit(Integer):
    """Results per page: default 250; anything above 500 reads as 500."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("metadata", {"doc": "Results per page (default 250, at most 500)."})
        super().__init__(minimum=1, load_default=DEFAULT_LIMIT, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return min(super()._deserialize(value, attr, data, **kwargs), MAX_LIMIT)


def page_field() -> Integer:
    return Integer(minimum=1, maximum=MAX_PAGE, load_default=1,
                   metadata={"doc": "The page to return, from 1."})


def page_total(total: int, limit: int) -> int:
    """pkgdb2's ``ceil(total / limit)``, at least 1."""
    return max(1, math.ceil(total / limit))


def names(doc: str, *, required: bool = True) -> fields.List:
    """A list of names (``name.1=…``), 1 to 1000 of them when required."""
    if required:
        return fields.List(String(max_length=255), required=True,
                           validate=validate.Length(min=1, max=MAX_ITEMS),
                           metadata={"doc": doc})
    return fields.List(String(max_length=255), load_default=list,
                       validate=validate.Length(max=MAX_ITEMS), metadata={"doc": doc})


def name(doc: str, **kwargs: Any) -> String:
    """One name (package, branch, user)."""
    return String(max_length=255, metadata={"doc": doc}, **kwargs)


def namespace() -> String:
    return String(max_length=64, load_default="rpms",
                  metadata={"doc": "The package namespace (default rpms)."})


def flag(doc: str, default: bool | None = False) -> Boolean:
    return Boolean(load_default=default, metadata={"doc": doc})


def choice(choices: tuple[str, ...], doc: str, **kwargs: Any) -> String:
    """One of ``choices``; a bad value says ``'v' is not a valid choice for this field``."""
    return String(max_length=64, metadata={"doc": doc}, validate=validate.OneOf(
        choices, error="'{input}' is not a valid choice for this field"), **kwargs)


class MonitorStatus(fields.Field):
    """pkgdb2's monitoring flag: true/false (also 1/0, yes/no) or ``nobuild``, any case;
    loaded as the stored text ``true``, ``false`` or ``nobuild``."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = str(value).strip().lower()
        if text == "nobuild":
            return text
        if text in Boolean.TRUE:
            return "true"
        if text in Boolean.FALSE:
            return "false"
        raise ValidationError("expected true, false or nobuild")


def monitor_text(stored: str) -> str:
    """How messages show the flag: ``True``, ``False`` or ``nobuild`` (pkgdb2's ``str()``)."""
    return {"true": "True", "false": "False"}.get(stored, stored)
