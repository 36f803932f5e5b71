"""How an admin action's status reads: a Pending request older than 7 days is Awaiting
Review (for display and for every status filter)."""
from __future__ import annotations

from peewee import ColumnBase

from app.models import AdminAction

PENDING_GRACE_SECONDS = 7 * 24 * 3600


def shown_status(action: AdminAction, now: float) -> str:
    """The status ``action`` reads as at ``now`` (epoch seconds)."""
    if action.status == "Pending" and action.date_created < now - PENDING_GRACE_SECONDS:
        return "Awaiting Review"
    return action.status


def status_condition(status: str, now: float) -> ColumnBase:
    """Admin actions that read as ``status`` at ``now``."""
    cutoff = now - PENDING_GRACE_SECONDS
    if status == "Pending":
        return (AdminAction.status == "Pending") & (AdminAction.date_created >= cutoff)
    if status == "Awaiting Review":
        return ((AdminAction.status == "Awaiting Review")
                | ((AdminAction.status == "Pending") & (AdminAction.date_created < cutoff)))
    return AdminAction.status == status
