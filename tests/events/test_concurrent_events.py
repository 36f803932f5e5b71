"""Concurrent writers, in threads with their own connections: every change's events are
written once, with unique ids, and the index tables hold exactly their streams and
followers. Runs on SQLite and, with ACTIONGATE_TEST_DATABASE_URL, on PostgreSQL."""
from __future__ import annotations

from collections import Counter

from app.models import Event

from ..activities.test_concurrency import run_together
from .conftest import indexed_consistently

TAG_WRITERS = 4


def test_concurrent_changes_write_each_event_once(app, make_tenant, make_computer,
                                                  activities):
    tenants = [make_tenant(name) for name in ("acme", "globex", "initech")]
    for tenant in tenants:
        for i in range(5):
            make_computer(tenant.account, f"{tenant.account.name}-{i}")
        for _ in range(30):
            activities.one(tenant.account, "undelivered", creator=tenant.persons["admin"])
    before = Event.select().count()
    jobs = []
    for tenant in tenants:
        jobs.append(lambda api, t=tenant: api.call("CancelActivities", key=t.manager, query=""))
        jobs += [lambda api, t=tenant, n=n: api.call("AddTagsToComputers", key=t.admin,
                                                     query="NOT title:new", tags=[f"tag{n}"])
                 for n in range(TAG_WRITERS)]
        jobs += [lambda api, t=tenant, n=n: api.call(
            "CreatePerson", key=t.admin, email=f"p{n}@{t.account.name}.example", name="P")
            for n in range(2)]
        jobs.append(lambda api, t=tenant: api.call("RegisterComputer", key=t.admin,
                                                   title="new", hostname="new"))
    answers = run_together(app, jobs)
    assert all(a.status == 200 for a in answers), [a.body for a in answers if a.status != 200]
    written = list(Event.select().where(Event.id > 0).order_by(Event.id))[before:]
    assert len({e.id for e in written}) == len(written)
    per_account = Counter((e.account_id, e.type, e.action) for e in written)
    for tenant in tenants:
        account = tenant.account.id
        assert per_account[(account, "activity", "canceled")] == 30
        assert per_account[(account, "computer", "tagged")] == 5 * TAG_WRITERS
        assert per_account[(account, "person", "created")] == 2
        assert per_account[(account, "computer", "registered")] == 1
    assert len(written) == 3 * (30 + 5 * TAG_WRITERS + 2 + 1)
    targets = Counter((e.account_id, e.target, e.action, str(e.details)) for e in written)
    assert set(targets.values()) == {1}
    assert indexed_consistently()
