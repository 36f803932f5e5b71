"""Fixtures of the event-log tests: the activity fixtures, and the events a change wrote."""
from __future__ import annotations

from typing import Any, Callable

import pytest

from app.models import Event, EventFollower, EventStream

from ..activities.conftest import activities, make_computer, packages  # noqa: F401

#: the members an event test compares (every member but id and time)
FIELDS = ("user", "type", "action", "target", "topic", "description", "details", "link",
          "streams", "followers")


def _as_entry(event: Event) -> dict[str, Any]:
    return {"user": event.actor, "type": event.type, "action": event.action,
            "target": event.target, "topic": event.topic, "description": event.description,
            "details": event.details, "link": event.link, "streams": event.streams,
            "followers": event.followers}


def indexed_consistently() -> bool:
    """Whether the index tables hold exactly the events' streams and followers."""
    streams = {(e.account_id, s, e.id) for e in Event.select() for s in e.streams}
    followers = {(e.account_id, f, e.id) for e in Event.select() for f in e.followers}
    return (streams == {(r.account_id, r.stream, r.event_id) for r in EventStream.select()}
            and followers == {(r.account_id, r.username, r.event_id)
                              for r in EventFollower.select()})


@pytest.fixture
def logged(app) -> Callable[[], list[dict[str, Any]]]:
    """``logged()``: the events written since the fixture was set up (after the other
    fixtures' set-up), oldest first, as dicts of :data:`FIELDS`; checks their index rows."""
    marks: list[int] = []

    def since() -> list[dict[str, Any]]:
        if not marks:
            marks.append(0)
        assert indexed_consistently()
        return [_as_entry(e) for e in Event.select().where(Event.id > marks[0])
                .order_by(Event.id)]

    def mark() -> None:
        marks[:] = [Event.select(Event.id).order_by(Event.id.desc()).scalar() or 0]

    since.mark = mark  # type: ignore[attr-defined]
    return since


def entry(user: str | None, type_: str, action: str, target: str, topic: str, *,
          description: str = "", details: dict | None = None, link_id: Any = None,
          streams: list[str], followers: list[str] | None = None) -> dict[str, Any]:
    """The expected entry (the link is ``[type, {"id": link_id}]``)."""
    return {"user": user, "type": type_, "action": action, "target": target, "topic": topic,
            "description": description, "details": details or {},
            "link": [type_, {"id": link_id}], "streams": streams,
            "followers": followers or []}
