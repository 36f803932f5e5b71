"""The event log's writers: rows as given, and every stream and follower indexed."""
from __future__ import annotations

from peewee import SQL, Value

from app.models import Activity, Event, EventFollower, EventStream, database
from app.store import events


def _index(model, column) -> list[tuple[str, int]]:
    return sorted((getattr(row, column), row.event_id) for row in model.select())


def test_record_writes_the_events_and_indexes_their_streams_and_followers(tenant):
    account = tenant.account.id
    with database.atomic():
        events.record(account, "jane", [
            events.NewEvent("activity", "canceled", "activity 85", topic="activities/85",
                            details={"from": "unapproved", "to": "canceled"},
                            link=["activity", {"id": 85}],
                            streams=["activity-85", "user-jane"], followers=["jane"]),
            events.NewEvent("computer", "renamed", "computer 3", streams=["computer-3"]),
        ], at=1_700_000_000)
    first, second = Event.select().order_by(Event.id)
    assert (first.actor, first.type, first.action, first.target, first.topic, first.time,
            first.details, first.link, first.streams, first.followers) == (
        "jane", "activity", "canceled", "activity 85", "activities/85", 1_700_000_000,
        {"from": "unapproved", "to": "canceled"}, ["activity", {"id": 85}],
        ["activity-85", "user-jane"], ["jane"])
    assert _index(EventStream, "stream") == [
        ("activity-85", first.id), ("computer-3", second.id), ("user-jane", first.id)]
    assert _index(EventFollower, "username") == [("jane", first.id)]


def test_record_selected_writes_one_event_per_selected_row(tenant):
    account = tenant.account
    ids = [Activity.create(account=account, type="ActivityGroup",
                           activity_status="undelivered").id
           for _ in range(3)]
    query = (Activity
             .select(Activity.account, Value(1_700_000_000), Value("jane"), Value("activity"),
                     Value("canceled"), SQL("'activity ' || t1.id"), Value(""), Value(""),
                     SQL("'activities/' || t1.id"), Value("{}"), Value(None),
                     SQL("'[\"activity-' || t1.id || '\",\"user-jane\"]'"), Value("[]"))
             .where(Activity.account == account.id).order_by(Activity.id))
    with database.atomic():
        events.record_selected(account.id, query)
    rows = list(Event.select().order_by(Event.id))
    assert [(e.target, e.topic, e.streams) for e in rows] == [
        (f"activity {i}", f"activities/{i}", [f"activity-{i}", "user-jane"]) for i in ids]
    assert _index(EventStream, "stream") == sorted(
        [(f"activity-{i}", e.id) for i, e in zip(ids, rows)]
        + [("user-jane", e.id) for e in rows])
    assert _index(EventFollower, "username") == []


def test_recording_nothing_writes_nothing(tenant):
    with database.atomic():
        events.record(tenant.account.id, None, [])
    assert Event.select().count() == 0


def test_json_sql_helpers_build_the_json_text_in_sql(tenant):
    account = tenant.account
    activity = Activity.create(account=account, type="ActivityGroup",
                               activity_status="undelivered", summary='say "hi" \\ there')
    query = (Activity
             .select(Activity.account, Value(1_700_000_000), Value(None), Value("activity"),
                     Value("canceled"), events.text("activity ", Activity.id), Value(""),
                     Activity.summary, events.text("activities/", Activity.id),
                     events.json_object({"from": "undelivered", "to": "canceled",
                                         "summary": events.json_string(
                                             events.escaped(Activity.summary))}).sql(),
                     events.json_array(
                         "activity", events.json_object({"id": Activity.id})).sql(),
                     events.json_array(events.json_string("activity-", Activity.id),
                                       "account-acme").sql(),
                     events.json_array().sql())
             .where(Activity.id == activity.id))
    with database.atomic():
        events.record_selected(account.id, query)
    event = Event.get()
    assert (event.target, event.topic, event.details, event.link, event.streams,
            event.followers) == (
        f"activity {activity.id}", f"activities/{activity.id}",
        {"from": "undelivered", "to": "canceled", "summary": 'say "hi" \\ there'},
        ["activity", {"id": activity.id}], [f"activity-{activity.id}", "account-acme"], [])
