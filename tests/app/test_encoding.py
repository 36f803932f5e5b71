"""Wire argument decoding (CONTRACT §3)."""
from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import Schema, ValidationError, fields

from app.encoding import (TRANSPORT_PARAMETERS, Boolean, DateTime, File, Integer, Params, String,
                          _field_by_field, decode_arguments, group_arguments, load)
from query_language import parse_date
from app.errors import InvalidParameterValue, MissingParameter, UnknownParameter


class Sample(Schema):
    query = String(load_default="")
    limit = Integer(minimum=1, maximum=10000, load_default=1000)
    names = fields.List(String(), load_default=list)
    titles = fields.Dict(keys=String(), values=String(), load_default=dict)
    flag = Boolean(load_default=False)
    when = DateTime(load_default=None)
    upload = File(load_default=None)
    needed = String(required=True)


SCHEMA = Sample()


def decode(*pairs):
    return decode_arguments(SCHEMA, [("needed", "x"), *pairs])


def test_indexed_list_items_are_sorted_numerically_and_gaps_ignored():
    assert decode(("names.10", "c"), ("names.2", "b"), ("names.1", "a"))["names"] == [
        "a", "b", "c"]


def test_bare_repeated_name_is_a_list():
    assert decode(("names", "a"), ("names", "b"))["names"] == ["a", "b"]


def test_bare_comma_value_is_not_split():
    assert decode(("names", "a,b"))["names"] == ["a,b"]


def test_mapping_from_dotted_keys():
    assert decode(("titles.4", "Laptop 4"), ("titles.7", "Server"))["titles"] == {
        "4": "Laptop 4", "7": "Server"}


def test_mapping_key_given_twice_is_invalid():
    with pytest.raises(InvalidParameterValue):
        decode(("titles.4", "a"), ("titles.4", "b"))


@pytest.mark.parametrize("text, expected", [
    ("true", True), ("TRUE", True), ("1", True), ("yes", True),
    ("false", False), ("False", False), ("0", False), ("no", False),
])
def test_booleans_accept_the_documented_spellings(text, expected):
    assert decode(("flag", text))["flag"] is expected


def test_bad_boolean_names_parameter_and_value():
    with pytest.raises(InvalidParameterValue) as caught:
        decode(("flag", "maybe"))
    assert caught.value.message == "Invalid flag value maybe: expected true or false"


def test_repeated_scalar_is_invalid():
    with pytest.raises(InvalidParameterValue) as caught:
        decode(("limit", "1"), ("limit", "2"))
    assert caught.value.message == "Invalid limit value 2: given more than once"


def test_undeclared_argument_is_unknown():
    with pytest.raises(UnknownParameter) as caught:
        decode(("colour", "red"))
    assert caught.value.message == "The parameter colour is not recognized"


def test_list_index_must_be_a_positive_integer():
    with pytest.raises(UnknownParameter):
        decode(("names.0", "a"))
    with pytest.raises(UnknownParameter):
        decode(("names.x", "a"))


def test_missing_required_argument():
    with pytest.raises(MissingParameter) as caught:
        decode_arguments(SCHEMA, [])
    assert caught.value.message == "The request must contain the parameter needed"


@pytest.mark.parametrize("text", ["0", "10001", "abc", "1.5", "9" * 30, ""])
def test_integer_out_of_range_or_malformed_is_invalid(text):
    with pytest.raises(InvalidParameterValue) as caught:
        decode(("limit", text))
    assert caught.value.message.startswith(f"Invalid limit value {text}")


def test_integer_range_is_in_the_message():
    with pytest.raises(InvalidParameterValue) as caught:
        decode(("limit", "0"))
    assert caught.value.message == "Invalid limit value 0: expected an integer from 1 to 10000"


@pytest.mark.parametrize("text, expected", [
    ("2011-08-18T08:07:00Z", datetime(2011, 8, 18, 8, 7)),
    ("2011", datetime(2011, 1, 1)),
    ("2011-08", datetime(2011, 8, 1)),
    ("2011-08-18", datetime(2011, 8, 18)),
    ("2011-08-18T08", datetime(2011, 8, 18, 8)),
    ("2011-08-18T08:07", datetime(2011, 8, 18, 8, 7)),
    ("2011-08-18T10:07:00+02:00", datetime(2011, 8, 18, 8, 7)),
    ("2011-08-18T03:07:00-05:00", datetime(2011, 8, 18, 8, 7)),
])
def test_dates_in_every_precision_become_naive_utc(text, expected):
    assert decode(("when", text))["when"] == expected


@pytest.mark.parametrize("text", ["2011-13", "2011-02-30", "yesterday", "2011-08-18T25",
                                  "0001-01-01T00:00+05:00", "9999-12-31T23:00-05:00"])
def test_bad_dates_are_rejected(text):
    with pytest.raises(ValueError):
        parse_date(text)
    with pytest.raises(InvalidParameterValue):
        decode(("when", text))


def test_argument_dates_are_the_query_languages_dates():
    assert decode(("when", " 2011-01 "))["when"] == parse_date("2011-01")


def test_file_is_name_and_base64_contents():
    assert decode(("upload", "script.sh$$ZWNobyBoaQ=="))["upload"] == ("script.sh", b"echo hi")


def test_file_without_separator_is_invalid():
    with pytest.raises(InvalidParameterValue):
        decode(("upload", "ZWNobyBoaQ=="))


def test_nul_in_string_is_invalid():
    with pytest.raises(InvalidParameterValue):
        decode(("query", "a\x00b"))


def test_params_split_transport_from_arguments():
    params = Params([("action", "GetActivities"), ("signature", "s"), ("query", "x")])
    assert params.transport() == {"action": "GetActivities", "signature": "s"}
    assert params.arguments() == [("query", "x")]


def _transport_one_name_at_a_time(pairs):
    """What ``Params.transport`` answers: each transport name's single value."""
    found = {}
    for name in TRANSPORT_PARAMETERS:
        values = [value for key, value in pairs if key == name]
        if len(values) > 1:
            raise InvalidParameterValue(name, values[0], "given more than once")
        if values:
            found[name] = values[0]
    return found


@pytest.mark.property
@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(sorted(TRANSPORT_PARAMETERS) + ["query", "limit"]),
                          st.text(max_size=3)), max_size=8))
def test_params_transport_is_each_names_single_value(pairs):
    repeated = [name for name in TRANSPORT_PARAMETERS
                if sum(key == name for key, _ in pairs) > 1]
    if not repeated:
        assert Params(pairs).transport() == _transport_one_name_at_a_time(pairs)
        return
    with pytest.raises(InvalidParameterValue) as raised:
        Params(pairs).transport()
    first_repeated = {name: next(value for key, value in pairs if key == name)
                      for name in repeated}
    assert any(raised.value.message == InvalidParameterValue(
        name, value, "given more than once").message for name, value in first_repeated.items())


def test_group_arguments_keeps_scalars_as_strings():
    assert group_arguments(SCHEMA, [("limit", "5"), ("names.1", "a")]) == {
        "limit": "5", "names": ["a"]}


@given(st.text(alphabet=st.sampled_from("ab=&+%2Fé;\x00 ") | st.characters(), max_size=40),
       st.sampled_from(["replace", "werkzeug.url_quote"]))
def test_splitting_pairs_is_parse_qsl_keeping_blank_values(text, errors):
    import werkzeug.urls  # noqa: F401  (registers the werkzeug.url_quote error handler)
    from urllib.parse import parse_qsl

    from app.encoding import split_pairs

    assert split_pairs(text, errors) == parse_qsl(text, keep_blank_values=True, errors=errors)


def _schemas():
    from actions.registry import ACTIONS

    found = {id(SCHEMA): SCHEMA}
    for action in ACTIONS.values():
        for schema in (action.args_schema, action.extended_args_schema):
            found.setdefault(id(schema), schema)
    return list(found.values())


_VALUES = st.sampled_from(["", "0", "1", "20", "-5", "10001", "true", "no", "2011-08-18",
                           "x$$aGk=", "laptop AND x", "a,b"]) | st.text(max_size=6)


def _value(field):
    if isinstance(field, fields.List):
        return st.lists(_VALUES, max_size=3)
    if isinstance(field, fields.Dict):
        return st.dictionaries(st.text(max_size=3), _VALUES, max_size=2)
    return _VALUES


def _outcome(call):
    try:
        result = call()
    except ValidationError as error:
        return "invalid", error.messages
    except Exception as error:  # the query field's own InvalidQuery, say
        return type(error).__name__, str(error)
    return "loaded", list(result.items())


def test_activity_listings_are_loaded_field_by_field():
    from actions.registry import ACTIONS

    assert _field_by_field(ACTIONS["GetActivities"].args_schema) is not None
    assert _field_by_field(ACTIONS["GetActivities"].extended_args_schema) is None  # hooks


@pytest.mark.property
@settings(max_examples=500, deadline=None)
@given(st.data())
def test_loading_field_by_field_equals_marshmallows_load(data):
    schema = data.draw(st.sampled_from(_schemas()))
    wire = {field.data_key or name: field for name, field in schema.load_fields.items()}
    names = data.draw(st.lists(st.sampled_from(sorted(wire) or ["x"]), unique=True))
    given_ = {name: data.draw(_value(wire[name])) for name in names if name in wire}
    if data.draw(st.integers(0, 4)) == 0:
        given_["undeclared"] = "1"
    assert _outcome(lambda: load(schema, dict(given_))) == \
        _outcome(lambda: schema.load(dict(given_)))
