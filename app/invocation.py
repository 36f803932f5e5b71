"""The one path from a front end to an action: role check, argument schema, execution.

The legacy endpoint and every wire dialect call :func:`perform`; they differ only in how
they authenticate and how they turn their request into arguments.
"""
from __future__ import annotations

from typing import Any, Callable, Collection

from flask import current_app, request
from marshmallow import Schema

from actions.base import Action, Call

from . import auth, throttle
from .models import CallerRole


def perform(action_class: type[Action], authenticate: Callable[[], auth.Caller],
            load_arguments: Callable[[Schema], dict[str, Any]], *, version: str,
            extras: Collection[str] = (), extended: bool = False,
            on_authorised: Callable[[type[Action]], None] | None = None) -> Any:
    """Run ``action_class`` for the caller ``authenticate`` returns (not called for public
    actions) with the arguments ``load_arguments`` loads through the action's schema
    (``extended``: the schema with the options only wire dialects give); ``extras`` are the
    optional result parts asked for (:attr:`actions.base.Call.extras`); ``on_authorised``
    runs once the caller may call the action (the legacy endpoint's replay check)."""
    caller = None
    if action_class.role != CallerRole.PUBLIC:
        caller = authenticate()
        auth.authorise(caller, action_class.role)
        if on_authorised is not None:
            on_authorised(action_class)
    schema = action_class.extended_args_schema if extended else action_class.args_schema
    args = load_arguments(schema)
    config = current_app.config
    req = request._get_current_object()  # type: ignore[attr-defined]
    trust_forwarded = config["TRUST_FORWARDED_FOR"]
    address = throttle.client_address(
        req.remote_addr, req.headers.get("X-Forwarded-For") if trust_forwarded else None,
        trust_forwarded)
    call = Call(caller=caller, version=version, config=config, client_address=address,
                extras=frozenset(extras))
    return action_class(call).execute(args)
