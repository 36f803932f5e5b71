"""``actiongate prune-events --before DATE``: batched deletes of the old events and their
index rows, a count, a clear error for a bad date."""
from __future__ import annotations

import calendar
from datetime import datetime

import pytest

from app.models import Event, EventFollower, EventStream, database
from app.store import events

from .conftest import indexed_consistently

JAN_2026 = calendar.timegm(datetime(2026, 1, 1).timetuple())


def _log(account_id: int, count: int, at: int) -> None:
    with database.atomic():
        events.record(account_id, "jane", [
            events.NewEvent("activity", "canceled", f"activity {i}", streams=[f"activity-{i}"],
                            followers=["jane"]) for i in range(count)], at=at)


def test_prune_deletes_the_older_events_in_batches(runner, tenant, monkeypatch):
    monkeypatch.setattr(events, "PRUNE_BATCH", 10)
    calls = []
    real = events.prune_batch
    monkeypatch.setattr(events, "prune_batch", lambda cutoff: calls.append(1) or real(cutoff))
    _log(tenant.account.id, 25, JAN_2026 - 1)
    _log(tenant.account.id, 2, JAN_2026)
    result = runner.invoke(args=["prune-events", "--before", "2026-01-01"])
    assert result.exit_code == 0, result.output
    assert "Deleted 25 events before 2026-01-01." in result.output
    assert len(calls) == 4  # three batches, then an empty one
    assert [e.time for e in Event.select()] == [JAN_2026, JAN_2026]
    assert EventStream.select().count() == 2 and EventFollower.select().count() == 2
    assert indexed_consistently()


def test_prune_with_nothing_to_delete_says_zero(runner, tenant):
    _log(tenant.account.id, 1, JAN_2026)
    result = runner.invoke(args=["prune-events", "--before", "2025-12-31T23:59:59Z"])
    assert result.exit_code == 0 and "Deleted 0 events" in result.output
    assert Event.select().count() == 1


@pytest.mark.parametrize("date", ["yesterday", "2026-13-01", "2026-02-30", ""])
def test_a_bad_date_is_a_clear_error(runner, tenant, date):
    _log(tenant.account.id, 1, JAN_2026 - 1)
    result = runner.invoke(args=["prune-events", "--before", date])
    assert result.exit_code == 1
    assert f"Error: Invalid date '{date}': expected YYYY" in result.output
    assert Event.select().count() == 1
