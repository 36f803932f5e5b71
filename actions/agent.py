"""The agent side (ACTIVITIES.md §7): a computer's own key fetches and reports its activities.

These actions have role ``agent``: only a computer's key (or its token) may call them, and a
computer's key may call nothing else. A computer sees only its own activities; any other id
is 404 ``UnknownActivity``, exactly like a missing one.
"""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, validate

from app import activity_json, activity_state
from app.encoding import Integer, String
from app.activity_json import Item
from app.models import ActivityStatus, CallerRole, Computer, utcnow
from app.store.agent import record_ping
from app.timefmt import to_wire

from .base import Action
from .registry import register


class AgentAction(Action):
    """An action of a computer's agent."""

    role = CallerRole.AGENT
    writes = True

    @property
    def computer(self) -> Computer:
        computer = self.caller.computer
        assert computer is not None, "agent actions are called with a computer's key"
        return computer


@register
class GetPendingActivities(AgentAction):
    """Deliver the computer's pending activities (oldest first); each is delivered once."""

    def run(self, args: dict[str, Any]) -> list[Item]:
        ids = activity_state.deliver_pending(self.account.id, self.computer.id, utcnow())
        return activity_json.activities_by_id(self.account.id, ids)


@register
class ReportActivityProgress(AgentAction):
    """Report the progress of a delivered activity (0 to 100, or -1 for an error)."""

    errors = ("UnknownActivity", "InvalidActivityStatusChange")

    class Args(Schema):
        activity_id = Integer(required=True, metadata={"doc": "The activity id."})
        progress = Integer(minimum=-1, maximum=100, required=True,
                           metadata={"doc": "Percent done, 0 to 100, or -1 for an error."})

    def run(self, args: dict[str, Any]) -> Item | None:
        activity_state.report_progress(self.account.id, self.computer.id, args["activity_id"],
                                       args["progress"], utcnow())
        return activity_json.one_activity(self.account.id, args["activity_id"])


@register
class ReportActivityResult(AgentAction):
    """Report that a delivered activity succeeded or failed."""

    errors = ("UnknownActivity", "InvalidActivityStatusChange")

    class Args(Schema):
        activity_id = Integer(required=True, metadata={"doc": "The activity id."})
        status = String(required=True,
                        validate=validate.OneOf((ActivityStatus.SUCCEEDED, ActivityStatus.FAILED)),
                        metadata={"doc": "succeeded or failed."})
        result_text = String(load_default=None, metadata={"doc": "What happened."})
        result_code = Integer(load_default=None, minimum=-(2 ** 31), maximum=2 ** 31 - 1,
                              metadata={"doc": "The exit code."})

    def run(self, args: dict[str, Any]) -> Item | None:
        activity_state.report_result(self.account.id, self.computer.id, args["activity_id"],
                                     args["status"], args["result_text"], args["result_code"],
                                     utcnow())
        return activity_json.one_activity(self.account.id, args["activity_id"])


@register
class Ping(AgentAction):
    """Record that the computer is alive; says how many activities wait for it."""

    def run(self, args: dict[str, Any]) -> dict:
        now = utcnow()
        waiting = record_ping(self.account.id, self.computer.id, now)
        return {"computer_id": self.computer.id, "last_ping_time": to_wire(now),
                "pending_activities": waiting}
