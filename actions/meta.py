"""Meta actions: GetVersion, GetActions, GetSchema (CONTRACT §5)."""
from __future__ import annotations

import inspect
from typing import Any

from marshmallow import fields
from marshmallow.utils import missing

import app as app_package
from app import encoding
from app.config import API_VERSIONS

from .base import Action
from .registry import ACTIONS, register
from app.models import CallerRole

#: errors every action may answer with, whatever it does
COMMON_ERRORS = ("InvalidParameterValue", "MissingParameter", "UnknownParameter",
                 "AuthFailure", "Unauthorised", "InvalidCredentials",
                 "SignatureDoesNotMatch")


def describe_field(field: fields.Field) -> dict[str, Any]:
    """The client's ``schemas.json`` type description of one marshmallow field."""
    if isinstance(field, fields.List):
        return {"type": "list", "item": describe_field(field.inner)}
    if isinstance(field, fields.Dict):
        return {"type": "mapping", "key": {"type": "unicode"}, "value": {"type": "unicode"}}
    if isinstance(field, encoding.Boolean):
        return {"type": "boolean"}
    if isinstance(field, fields.Integer):
        return {"type": "integer"}
    if isinstance(field, encoding.DateTime):
        return {"type": "date"}
    if isinstance(field, encoding.File):
        return {"type": "file"}
    return {"type": "unicode"}


def describe_parameters(action: type[Action]) -> list[dict[str, Any]]:
    """The action's parameters: required ones first, in declaration order."""
    described = []
    for name, field in action.args_schema.fields.items():
        entry = {"name": field.data_key or name, **describe_field(field),
                 "doc": field.metadata.get("doc", ""), "optional": not field.required}
        if not field.required:
            default = field.load_default
            entry["default"] = None if default is missing or callable(default) else default
        described.append(entry)
    return sorted(described, key=lambda entry: entry["optional"])


def action_doc(action: type[Action]) -> str:
    return inspect.cleandoc(action.__doc__ or "")


@register
class GetVersion(Action):
    """The gateway's version and the API versions it speaks."""

    role = CallerRole.PUBLIC

    def run(self, args: dict[str, Any]) -> dict:
        return {"version": app_package.__version__, "api_versions": list(API_VERSIONS)}


def _callable_by(caller: Any) -> list[type[Action]]:
    return [ACTIONS[name] for name in sorted(ACTIONS) if caller.may(ACTIONS[name].role)]


@register
class GetActions(Action):
    """The actions the caller may call, with their parameters."""

    role = CallerRole.AUDITOR

    def run(self, args: dict[str, Any]) -> list:
        return [{"name": action.name, "doc": action_doc(action), "role": action.role,
                 "parameters": describe_parameters(action)}
                for action in _callable_by(self.call.caller)]


@register
class GetSchema(Action):
    """Every action the caller may call, in the official client's ``schemas.json`` format."""

    role = CallerRole.AUDITOR

    def run(self, args: dict[str, Any]) -> dict:
        schema = {}
        for action in _callable_by(self.call.caller):
            errors = [{"code": code} for code in dict.fromkeys(action.errors + COMMON_ERRORS)]
            entry = {"name": action.name, "doc": action_doc(action),
                     "parameters": describe_parameters(action), "errors": errors, "result": {}}
            schema[action.name] = {version: entry for version in API_VERSIONS}
        return schema
