"""The one path from a front end to an action: role check, argument schema, execution.

The legacy endpoint and every wire dialect call :func:`perform`; they differ only in how
they authenticate and how they turn their request into arguments.
"""
from __future__ import annotations

from typing import Any, Callable, Collection

from flask import current_app
from marshmallow import Schema

from actions.base import Action, Call

from . import auth


def perform(action_class: type[Action], authenticate: Callable[[], auth.Caller],
            load_arguments: Callable[[Schema], dict[str, Any]], *, version: str,
            extras: Collection[str] = (), extended: bool = False) -> Any:
    """Run ``action_class`` for the caller ``authenticate`` returns (not called for public
    actions) with the arguments ``load_arguments`` loads through the action's schema
    (``extended``: the schema with the options only wire dialects give); ``extras`` are the
    optional result parts asked for (:attr:`actions.base.Call.extras`)."""
    caller = None
    if action_class.role != "public":
        caller = authenticate()
        auth.authorise(caller, action_class.role)
    schema = action_class.extended_args_schema if extended else action_class.args_schema
    args = load_arguments(schema)
    call = Call(caller=caller, version=version, config=current_app.config,
                extras=frozenset(extras))
    return action_class(call).execute(args)
