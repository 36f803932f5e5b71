"""The actions layer: one class per action, registered by name, arguments declared as
marshmallow schemas. Importing this package imports every module in it, so a new module's
``@register``-ed actions are served without a hand-kept list.

May import: the domain and store layer (:mod:`app.store`, :mod:`app.models`, the domain
modules of ``app/``), :mod:`app.errors`, the wire field types of :mod:`app.encoding` and the
caller of :mod:`app.auth`; never :mod:`app.gateway` nor :mod:`app.cli`, which call it.
"""
from __future__ import annotations

import importlib
import pkgutil


def _import_every_module() -> None:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


_import_every_module()


def _check_every_action_is_registered() -> None:
    """Fail at start-up when an action class of this package was left without ``@register``:
    its name would otherwise answer ``InvalidAction``."""
    from .base import Action
    from .registry import ACTIONS

    def leaves(cls: type[Action]) -> list[type[Action]]:
        subclasses = cls.__subclasses__()
        return [leaf for sub in subclasses for leaf in leaves(sub)] if subclasses else [cls]

    missing = sorted(f"{cls.__module__}.{cls.__qualname__}" for cls in leaves(Action)
                     if cls.__module__.startswith(f"{__name__}.")
                     and ACTIONS.get(cls.name) is not cls)
    if missing:
        raise RuntimeError(f"Action classes without @register: {', '.join(missing)}")


_check_every_action_is_registered()
