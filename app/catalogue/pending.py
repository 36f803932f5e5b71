"""How an admin action's status reads: a Pending request older than 7 days is Awaiting
Review (for display and for every status filter)."""
from __future__ import annotations

from peewee import ColumnBase

from app.models import AdminAction, AdminActionStatus

PENDING_GRACE_SECONDS = 7 * 24 * 3600


def shown_status(action: AdminAction, now: float) -> str:
    """The status ``action`` reads as at ``now`` (epoch seconds)."""
    if (action.status == AdminActionStatus.PENDING
            and action.date_created < now - PENDING_GRACE_SECONDS):
        return AdminActionStatus.AWAITING_REVIEW
    return action.status


def status_condition(status: str, now: float) -> ColumnBase:
    """Admin actions that read as ``status`` at ``now``."""
    cutoff = now - PENDING_GRACE_SECONDS
    if status == AdminActionStatus.PENDING:
        return ((AdminAction.status == AdminActionStatus.PENDING)
                & (AdminAction.date_created >= cutoff))
    if status == AdminActionStatus.AWAITING_REVIEW:
        return ((AdminAction.status == AdminActionStatus.AWAITING_REVIEW)
                | ((AdminAction.status == AdminActionStatus.PENDING)
                   & (AdminAction.date_created < cutoff)))
    return AdminAction.status == status
