"""Statuses, roles, ACL names and admin-action types are spelled once: in app.models.enums,
and the activity transition rules once, in app.activity_state."""
from __future__ import annotations

import ast
from pathlib import Path

from app import activity_json, activity_state
from app.models import enums
from app.store.vocabularies import ACTIVITY_VOCABULARY, STATUS_CHOICES

ROOT = Path(__file__).resolve().parents[2]
DEFINED = {member.value for enum in (enums.ActivityStatus, enums.Role, enums.CallerRole,
                                     enums.PackageStatus, enums.CollectionStatus, enums.Acl,
                                     enums.AclStatus, enums.AdminActionType,
                                     enums.AdminActionStatus)
           for member in enum} | {enums.ORPHAN}
#: the definition itself
SKIPPED = {"app/models/enums.py"}
#: strings equal to a value that are prose or another system's word, not the value: the
#: verb of "cannot be canceled", Acronis's agent type ("AgentType": "agent")
PROSE = {("app/activity_state.py", "canceled"), ("app/dialects/acronis_items.py", "agent")}


def literals(path: Path) -> list[str]:
    relative = str(path.relative_to(ROOT))
    return [f"{relative}:{node.lineno}: {node.value!r}"
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.Constant) and node.value in DEFINED
            and (relative, node.value) not in PROSE]


def test_no_status_role_or_acl_literal_outside_its_definition():
    paths = [path for package in ("app", "actions")
             for path in sorted((ROOT / package).rglob("*.py"))
             if str(path.relative_to(ROOT)) not in SKIPPED]
    assert [literal for path in paths for literal in literals(path)] == []


def test_the_check_finds_literals():
    assert literals(ROOT / "app" / "models" / "enums.py")


def test_the_transition_rules_feed_the_json_flags():
    for status in enums.ActivityStatus:
        flags = activity_json.actions("ChangePackagesRequest", status, True)
        assert flags == {"approvable": status in activity_state.APPROVE.allowed,
                         "cancelable": status in activity_state.CANCEL.allowed,
                         "reappliable": status in activity_state.REAPPLIABLE,
                         "revertable": status in activity_state.REVERTABLE}


def test_the_query_vocabulary_accepts_every_status_and_only_those():
    assert sorted(STATUS_CHOICES) == sorted(enums.ActivityStatus)
    parse = ACTIVITY_VOCABULARY.criteria["status"].parse
    statuses = list(enums.ActivityStatus)
    assert [parse(status.upper()) for status in statuses] == statuses


def test_members_equal_and_hash_as_their_stored_strings():
    assert {"canceled": 1}[enums.ActivityStatus.CANCELED] == 1
    assert "Awaiting Review" in {enums.AclStatus.AWAITING_REVIEW}
    assert enums.ROLES == ("auditor", "manager", "admin")
