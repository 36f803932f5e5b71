"""What a computer's agent records besides its activities."""
from __future__ import annotations

from datetime import datetime

from app import activity_state
from app.models import Activity, Computer


def record_ping(account_id: int, computer_id: int, now: datetime) -> int:
    """Note that the computer pinged at ``now``; how many activities wait for it."""
    Computer.update(last_ping_time=now).where(Computer.id == computer_id).execute()
    return Activity.select().where(
        activity_state.deliverable(account_id, computer_id, now)).count()
