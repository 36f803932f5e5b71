"""Concurrent callers (§5, §7), in-process: threads with their own connections call the app
at once. Each activity changes at most once; every answer is the list of changed ids or
refusal lines. Runs on SQLite and, with ACTIONGATE_TEST_DATABASE_URL, on PostgreSQL; the
end-to-end suite repeats it against gunicorn's processes."""
from __future__ import annotations

import re
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from app.models import Activity

from ..conftest import Api

THREADS = 8
REFUSAL = re.compile(r"(\d+) => Activity \1 is (\w+) and cannot be (canceled|approved)\Z")


def run_together(app, jobs):
    """Run ``job(api)`` for each job in its own thread, released together by a barrier."""
    barrier = threading.Barrier(len(jobs))

    def run(job):
        api = Api(app.test_client())
        barrier.wait()
        return job(api)

    with ThreadPoolExecutor(len(jobs)) as pool:
        return list(pool.map(run, jobs))


def changed_ids(answers, verb: str) -> Counter:
    """Every id of the 200 answers, counted; refusals must be well-formed lines."""
    counted: Counter = Counter()
    for answer in answers:
        if answer.status == 200:
            counted.update(answer.body)
            continue
        assert (answer.status, answer.error) == (400, "InvalidActivityStatusChange"), answer.body
        for line in answer.body["message"].split("\n"):
            match = REFUSAL.match(line)
            assert match and match.group(3) == verb, line
    return counted


@pytest.mark.parametrize("transition", [("CancelActivities", "undelivered", "canceled"),
                                        ("ApproveActivities", "unapproved", "approved")])
def test_overlapping_bulk_changes_change_each_activity_once(app, tenant, activities,
                                                            transition):
    action, status, verb = transition
    ids = [activities.one(tenant.account, status) for _ in range(120)]
    windows = [ids[i * 12:i * 12 + 36] for i in range(THREADS)]
    jobs = [lambda api, w=window: api.call(
        action, key=tenant.manager, query=" OR ".join(f"id:{i}" for i in w))
        for window in windows]
    jobs += [lambda api: api.call(action, key=tenant.manager, query=f"status:{status}")]
    counted = changed_ids(run_together(app, jobs), verb)
    assert set(counted.values()) <= {1}
    changed = set(Activity.select(Activity.id).where(
        Activity.activity_status != status).tuples().iterator())
    assert {i for (i,) in changed} == set(counted)


def test_parents_stay_consistent_under_concurrent_changes(app, tenant, make_computer,
                                                         activities):
    machines = [make_computer(tenant.account, f"m{i}") for i in range(4)]
    groups = [activities.group(tenant.account, ["undelivered"] * 4, machines)
              for _ in range(10)]
    children = [c for _, kids in groups for c in kids]
    jobs = [lambda api, cs=children[i::THREADS]: api.call(
        "CancelActivities", key=tenant.manager, query=" OR ".join(f"id:{c}" for c in cs))
        for i in range(THREADS - 4)]
    jobs += [lambda api, m=m: api.call("GetPendingActivities", key=m.key) for m in machines]
    answers = run_together(app, jobs)
    assert all(a.status == 200 for a in answers), [a.body for a in answers]
    for parent, kids in groups:
        statuses = [Activity.get_by_id(k).activity_status for k in kids]
        from app.activity_state import derive_group_status
        assert Activity.get_by_id(parent).activity_status == derive_group_status(statuses)


def test_agents_fetching_at_once_get_each_activity_once(app, tenant, make_computer,
                                                        activities):
    machines = [make_computer(tenant.account, f"m{i}") for i in range(2)]
    mine = {m.id: [activities.one(tenant.account, "undelivered", computer=m)
                   for _ in range(30)] for m in machines}
    jobs = [lambda api, m=m: api.call("GetPendingActivities", key=m.key)
            for m in machines for _ in range(THREADS // 2)]
    answers = run_together(app, jobs)
    delivered: Counter = Counter()
    for answer, machine in zip(answers, [m for m in machines for _ in range(THREADS // 2)]):
        assert answer.status == 200, answer.body
        assert {a["computer_id"] for a in answer.body} <= {machine.id}
        delivered.update(a["id"] for a in answer.body)
    assert set(delivered.values()) == {1}
    assert set(delivered) == {i for ids in mine.values() for i in ids}
