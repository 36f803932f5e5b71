"""Named row mapping: one declaration gives the selected columns and the rendered fields."""
from __future__ import annotations

import json
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.activity_json import ACTIVITY, _items
from app.inventory import COMPUTER
from app.models import Account, Activity, Computer, Person, database
from app.rendering import dumps
from app.store.rows import DictShape, RowShape, field
from app.timefmt import time_field, to_wire


def test_a_row_shape_names_the_columns_of_a_row():
    shape = RowShape("Pair", key=Activity.id, name=Person.name)
    assert shape.columns == (Activity.id, Person.name)
    row = shape.row((7, "Ann"))
    assert (row.key, row.name) == (7, "Ann")


def test_a_dict_shape_names_its_columns_and_renders_members_from_several():
    shape = DictShape("pair", [field("id", Activity.id),
                               field("who", Person.id, Person.name, text="who($0, $1)")],
                      {"who": lambda pid, name: [pid, name]})
    assert shape.columns == (Activity.id, Person.id, Person.name)
    assert shape.position == {"id": 0, "who": 1}
    assert shape.render((3, 4, 'a "b"')) == {"id": 3, "who": [4, 'a "b"']}


def test_a_shape_with_other_helpers_renders_the_same_members_otherwise():
    shape = DictShape("n", [field("n", Activity.id, text="f($0)")], {"f": str})
    other = shape.with_helpers("n_float", {"f": float})
    assert (shape.render((1,)), other.render((1,))) == ({"n": "1"}, {"n": 1.0})
    assert other.columns == shape.columns and other.members == shape.members


def test_a_dict_shape_keeps_member_order_and_gives_fresh_constants():
    shape = DictShape("d", [field("id", Computer.id), field("tags", text="[]"),
                            field("up", Computer.needs_reboot, text="bool($0)")])
    first, second = shape.render((1, 0)), shape.render((2, 1))
    assert list(first.items()) == [("id", 1), ("tags", []), ("up", False)]
    assert first["tags"] is not second["tags"]


@pytest.mark.parametrize("decoded", [False, True], ids=["embedded", "decoded"])
def test_the_activity_shape_renders_every_column_as_the_legacy_json(decoded):
    row = (5, "ActivityGroup", 'Say "hi"', "succeeded", 2, "Ann", "ann@example.com", None, 4,
           "2011-01-02T03:04:05Z", "2011-01-02T03:04:06Z", None, None, None, None,
           None, "done", 0, None, "[1]", '[{"p":1}]')
    assert len(row) == len(ACTIVITY.columns)
    items = _items([row], True, decoded, {5: {"extra": True}})
    assert json.loads(dumps(items)) == [{
        "id": 5, "type": "ActivityGroup", "summary": 'Say "hi"', "activity_status": "succeeded",
        "creator": {"id": 2, "name": "Ann", "email": "ann@example.com"}, "computer_id": None,
        "parent_id": 4, "creation_time": "2011-01-02T03:04:05Z",
        "modification_time": "2011-01-02T03:04:06Z", "delivery_time": None,
        "completion_time": None, "approval_time": None, "deliver_after_time": None,
        "deliver_before_time": None, "result_text": "done", "result_code": 0, "progress": None,
        "package_ids": [1], "changes": [{"p": 1}],
        "actions": {"approvable": False, "cancelable": False, "reappliable": True,
                    "revertable": True},
        "extra": True}]
    if decoded:
        assert (items[0]["package_ids"], items[0]["changes"]) == ([1], [{"p": 1}])


def test_stored_json_goes_out_as_it_is_and_none_as_an_empty_list():
    row = (1, "T", "", "succeeded", None, None, None, None, None, "2011-01-02T03:04:05Z",
           "2011-01-02T03:04:05Z", None, None, None, None, None, None, None, None, None,
           '[ {"p" : 1} ]')
    assert dumps(_items([row], False, False)).endswith(
        b'"package_ids":[],"changes":[ {"p" : 1} ]}]')


@pytest.mark.parametrize("moment", [
    datetime(2012, 3, 6, 18, 52, 9), datetime(2012, 3, 6, 18, 52, 9, 123456),
    datetime(999, 1, 2, 3, 4, 5), datetime(9999, 12, 31, 23, 59, 59), None])
def test_times_selected_for_the_wire_format_render_as_python_writes_them(app, moment):
    account = Account.create(name="wire")
    activity = Activity.create(account=account, type="T", activity_status="succeeded",
                               delivery_time=moment)
    stored = database.execute(Activity.select(Activity.delivery_time)
                              .where(Activity.id == activity.id)).fetchone()[0]
    shape = DictShape("delivery", [time_field("delivery_time", Activity.delivery_time)])
    rendered = shape.render(database.execute(Activity.select(*shape.columns)
                                             .where(Activity.id == activity.id)).fetchone())
    assert rendered == {"delivery_time": to_wire(stored)}
    assert rendered["delivery_time"] == (
        None if moment is None else f"{moment:%Y-%m-%dT%H:%M:%S}Z".zfill(20))


@given(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)))
def test_the_wire_time_of_either_selected_form_is_what_to_wire_writes(moment):
    # SQLite gives the stored text (fractions kept), PostgreSQL the wire text itself
    shape = DictShape("at", [time_field("at", Activity.delivery_time)])
    for selected in (str(moment), to_wire(moment)):
        assert shape.render((selected,)) == {"at": to_wire(moment)}


def test_the_computer_shape_is_the_get_computers_object():
    assert [item.name for item in COMPUTER.members] == [
        "id", "title", "hostname", "distribution", "codename", "access_group", "tags",
        "last_ping_time", "registration_time", "needs_reboot"]
