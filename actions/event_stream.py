"""The activity stream (DIALECTS.md §3): pages of the event log, and entries posted by
callers. The Swarm dialect (``/api/v11/``) serves both; the legacy endpoint has them too."""
from __future__ import annotations

import json
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from app.encoding import INT_MAX, Boolean, Integer, String
from app.models import CallerRole
from app.store import event_reads, events

from .base import Action
from .registry import register

MAX_PAGE = 1000
DEFAULT_PAGE = 100
#: a caller's event type: one path segment of ``/activity/<type>``
TYPE_PATTERN = r"[A-Za-z0-9_.-]{1,64}"
MAX_STREAMS = 50
MAX_LINK_TEXT = 4096
_NOT_BLANK = validate.Regexp(r"(?s).*\S", error="must not be empty")


class JSONArray(fields.Field):
    """A JSON array: given as a list (JSON bodies) or as its JSON text (forms, the legacy
    wire), at most :data:`MAX_LINK_TEXT` characters as text."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except (ValueError, RecursionError):
                raise ValidationError("expected a JSON array") from None
        if not isinstance(value, list):
            raise ValidationError("expected a JSON array")
        try:
            text = json.dumps(value, ensure_ascii=False)
            text.encode()
        except (ValueError, RecursionError, TypeError, UnicodeEncodeError):
            raise ValidationError("expected a JSON array") from None
        if len(text) > MAX_LINK_TEXT or "\\u0000" in text:
            raise ValidationError(f"longer than {MAX_LINK_TEXT} characters as JSON, or "
                                  "contains a NUL character")
        return value


def _text(doc: str, max_length: int, **kwargs: Any) -> String:
    return String(max_length=max_length, metadata={"doc": doc}, **kwargs)


@register
class GetEventStream(Action):
    """A page of the account's event log, newest first: events with ``id < after``
    matching every filter given."""

    role = CallerRole.AUDITOR

    class Args(Schema):
        type = _text("Only events of this type (activity, computer…).", 64,
                     load_default=None)
        stream = _text("Only events of this stream (activity-85, user-jane…).", 1024,
                       load_default=None)
        followed = Boolean(load_default=False,
                           metadata={"doc": "Only events the caller follows."})
        actor = _text("Only events made by this username.", 1024, load_default=None)
        target = _text("Only events of this target (activity 85…).", 1024,
                       load_default=None)
        after = Integer(minimum=1, maximum=INT_MAX, load_default=None,
                        metadata={"doc": "Only events with a smaller id (a last seen id)."})
        limit = Integer(minimum=1, maximum=MAX_PAGE, load_default=DEFAULT_PAGE,
                        metadata={"doc": f"At most this many events (1 to {MAX_PAGE})."})

    def run(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        filters = event_reads.EventFilter(
            type=args["type"], stream=args["stream"], actor=args["actor"],
            target=args["target"],
            follower=self.person.username if args["followed"] else None)
        return event_reads.page(self.account.id, filters, args["after"], args["limit"])


@register
class PostEvent(Action):
    """Append an entry of the caller's own to the activity stream; returns it."""

    role = CallerRole.MANAGER
    writes = True

    class Args(Schema):
        type = String(required=True, validate=validate.Regexp(
            rf"{TYPE_PATTERN}\Z", error="expected 1 to 64 letters, digits, '_', '.' or '-'"),
            metadata={"doc": "The entry's type."})
        #: Swarm's ``action`` (a transport parameter of the legacy wire)
        verb = _text("The verb, e.g. commented on.", 255, required=True,
                     validate=_NOT_BLANK)
        target = _text("What the entry is about, e.g. activity 85.", 1024, required=True,
                       validate=_NOT_BLANK)
        description = _text("A summary.", 4096, load_default="")
        topic = _text("The topic, e.g. activities/85.", 1024, load_default="")
        streams = fields.List(String(max_length=255, validate=_NOT_BLANK),
                              load_default=list,
                              validate=validate.Length(max=MAX_STREAMS),
                              metadata={"doc": "More streams the entry belongs to."})
        link = JSONArray(load_default=None,
                         metadata={"doc": 'The link, e.g. ["activity", {"id": 85}].'})

    def run(self, args: dict[str, Any]) -> dict[str, Any]:
        who = self.person.username
        streams = list(dict.fromkeys([*args["streams"], f"user-{who}",
                                      f"account-{self.account.name}"]))
        events.record(self.account.id, who, [events.NewEvent(
            type=args["type"], action=args["verb"], target=args["target"],
            topic=args["topic"], description=args["description"], link=args["link"],
            streams=streams)])
        recorded = event_reads.event(self.account.id, event_reads.last_recorded_id())
        assert recorded is not None, "the event was just recorded"
        return recorded
