"""Named row mapping: one declaration gives the selected columns and the rendered fields."""
from __future__ import annotations

import json
from datetime import datetime

from app.activity_json import ACTIVITY, _activity
from app.inventory import COMPUTER
from app.models import Activity, Computer, Person
from app.store.rows import DictShape, JsonShape, RowShape, field, member


def test_a_row_shape_names_the_columns_of_a_row():
    shape = RowShape("Pair", key=Activity.id, name=Person.name)
    assert shape.columns == (Activity.id, Person.name)
    row = shape.row((7, "Ann"))
    assert (row.key, row.name) == (7, "Ann")


def test_a_json_shape_renders_its_members_in_order_with_extra_members():
    shape = JsonShape("pair", [member("id", Activity.id),
                               member("who", Person.id, Person.name, text="{who($0, $1)}")],
                      {"who": lambda pid, name: json.dumps([pid, name])})
    assert shape.columns == (Activity.id, Person.id, Person.name)
    assert shape.position == {"id": 0, "who": 1}
    assert shape.render((3, 4, 'a "b"'), ',"x":1') == '{"id":3,"who":[4, "a \\"b\\""],"x":1}'


def test_a_dict_shape_keeps_member_order_and_gives_fresh_constants():
    shape = DictShape("d", [field("id", Computer.id), field("tags", text="[]"),
                            field("up", Computer.needs_reboot, text="bool($0)")])
    first, second = shape.render((1, 0)), shape.render((2, 1))
    assert list(first.items()) == [("id", 1), ("tags", []), ("up", False)]
    assert first["tags"] is not second["tags"]


def test_the_activity_shape_renders_every_column_as_the_legacy_json():
    row = (5, "ActivityGroup", 'Say "hi"', "succeeded", 2, "Ann", "ann@example.com", None, 4,
           datetime(2011, 1, 2, 3, 4, 5), "2011-01-02 03:04:06.123", None, None, None, None,
           None, "done", 0, None, "[1]", '[{"p":1}]')
    assert len(row) == len(ACTIVITY.columns)
    assert json.loads(_activity(row, True, ',"extra":true')) == {
        "id": 5, "type": "ActivityGroup", "summary": 'Say "hi"', "activity_status": "succeeded",
        "creator": {"id": 2, "name": "Ann", "email": "ann@example.com"}, "computer_id": None,
        "parent_id": 4, "creation_time": "2011-01-02T03:04:05Z",
        "modification_time": "2011-01-02T03:04:06Z", "delivery_time": None,
        "completion_time": None, "approval_time": None, "deliver_after_time": None,
        "deliver_before_time": None, "result_text": "done", "result_code": 0, "progress": None,
        "package_ids": [1], "changes": [{"p": 1}],
        "actions": {"approvable": False, "cancelable": False, "reappliable": True,
                    "revertable": True},
        "extra": True}


def test_the_computer_shape_is_the_get_computers_object():
    assert [item.name for item in COMPUTER.members] == [
        "id", "title", "hostname", "distribution", "codename", "access_group", "tags",
        "last_ping_time", "registration_time", "needs_reboot"]
