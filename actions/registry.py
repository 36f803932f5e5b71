"""The action registry: an explicit name → class dict filled by the ``register`` decorator."""
from __future__ import annotations

import difflib
from typing import TypeVar

from app.auth import ACTION_ROLES
from app.errors import InvalidAction, MissingParameter, echo

from .base import Action

ActionType = TypeVar("ActionType", bound=type[Action])

#: every registered action by wire name
ACTIONS: dict[str, type[Action]] = {}


def register(cls: ActionType) -> ActionType:
    """Class decorator: make ``cls`` callable through the gateway under ``cls.name``."""
    if not cls.name:
        raise TypeError("Action has no name.")
    if cls.role not in ACTION_ROLES:
        raise TypeError(f"Action {cls.name} has unknown role {cls.role!r}")
    if cls.name in ACTIONS:
        raise TypeError(f"Action {cls.name} is registered twice")
    ACTIONS[cls.name] = cls
    return cls


def get(name: str | None) -> type[Action]:
    """The action called ``name``; unknown names raise ``InvalidAction`` with a hint."""
    if name is None:
        raise MissingParameter("action")
    action = ACTIONS.get(name)
    if action is not None:
        return action
    message = f"The action {echo(name)} is not valid for this web service."
    close = difflib.get_close_matches(name, ACTIONS, n=1)
    if close:
        message += f" Did you mean '{close[0]}'?"
    raise InvalidAction(message)
