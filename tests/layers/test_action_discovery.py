"""Action modules are found without a hand-kept list, and a forgotten ``@register`` fails
at start-up instead of answering ``InvalidAction``."""
from __future__ import annotations

import gc
import importlib
import pkgutil
import sys
import textwrap

import pytest

import actions
from actions.registry import ACTIONS


def test_importing_the_package_imports_every_module_in_it():
    names = {module.name for module in pkgutil.iter_modules(actions.__path__)}
    assert names and all(f"actions.{name}" in sys.modules for name in names)


def test_a_new_module_is_registered_by_being_there(tmp_path, monkeypatch):
    (tmp_path / "late_arrival.py").write_text(textwrap.dedent('''
        from actions.base import Action
        from actions.registry import register

        @register
        class GetLateArrival(Action):
            def run(self, args):
                return "here"
    '''))
    monkeypatch.setattr(actions, "__path__", [*actions.__path__, str(tmp_path)])
    monkeypatch.delitem(ACTIONS, "GetLateArrival", raising=False)
    try:
        actions._import_every_module()
        assert ACTIONS["GetLateArrival"].__module__ == "actions.late_arrival"
    finally:
        ACTIONS.pop("GetLateArrival", None)
        sys.modules.pop("actions.late_arrival", None)
        vars(actions).pop("late_arrival", None)  # the import set it on the package
        gc.collect()  # __subclasses__ holds weak references: the class must go for later checks


def test_an_action_class_left_unregistered_fails_loudly(monkeypatch):
    module = importlib.import_module("actions.meta")

    class GetForgotten(module.Action):  # defined as if in actions.meta, without @register
        pass
    GetForgotten.__module__ = "actions.meta"
    with pytest.raises(RuntimeError, match=r"without @register: actions\.meta\..*GetForgotten"):
        actions._check_every_action_is_registered()
    del GetForgotten
    gc.collect()


def test_every_action_class_of_the_package_is_registered():
    actions._check_every_action_is_registered()
    assert len(ACTIONS) == 78  # + GetEvents, GetEventStream, PostEvent, GetPackageRequest
