"""Plain legacy pages on SQLite are JSON written by the store: the same bytes, in the same
order, as the rows rendered in Python."""
from __future__ import annotations

from datetime import datetime, timedelta

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import activity_json
from app.models import Activity, database
from app.rendering import dumps
from app.store.rows import JsonArray, json_pages

pytestmark = pytest.mark.usefixtures("app")

QUERIES = ["", "status:succeeded", "computer:tag:laptop", "NOT status:failed",
           "status:succeeded OR status:canceled", "type:RestartRequest"]


@pytest.fixture
def store_writes_json(app):
    if not json_pages():
        pytest.skip("the store renders pages in Python (PostgreSQL)")


def python_page(account_id: int, query: str, limit: int, offset: int,
                roots_only: bool = False) -> list[dict]:
    """The page as the rows rendered in Python (what PostgreSQL answers)."""
    rows = activity_json.page_query(query, False, roots_only).execute(
        account=account_id, limit=limit, offset=offset).fetchall()
    return activity_json._items(rows, False, False)


@pytest.fixture
def varied(tenant, make_computer, activities):
    """Activities with and without creators, computers, times and stored JSON, some times
    with fractions of seconds, and texts that need escaping."""
    laptop = make_computer(tenant.account, "laptop1", tags=["laptop"])
    server = make_computer(tenant.account, "server1", tags=["server"])
    jane = tenant.persons["admin"]
    texts = ['plain', 'quote " and \\ backslash', "tab\tnew\nline\x01\x1f", "é ü ☃ 😀",
             "</script>", ""]
    statuses = ["succeeded", "failed", "canceled", "undelivered", "delivered"]
    # stored JSON is compact (app.models.base.JsonField); the store's json() keeps its tokens
    stored = ["", "[]", '[{"p":1,"q":"\\u00e9\\"x"}]', "[1,2.50,1e300]", '{"a":null}']
    for index in range(45):
        moment = datetime(2012, 3, 6, 18, 52, 9) + timedelta(seconds=index // 3)
        activities.one(
            tenant.account, statuses[index % 5],
            type="RestartRequest" if index % 4 == 0 else "ChangePackagesRequest",
            computer=[laptop, server, None][index % 3],
            creator=jane if index % 2 else None,
            summary=texts[index % len(texts)], result_text=texts[(index + 1) % len(texts)],
            result_code=index if index % 3 else None, progress=None if index % 2 else 50,
            creation_time=moment,
            delivery_time=moment.replace(microsecond=123456) if index % 5 == 1 else None,
            changes=stored[index % 5], package_ids=stored[(index + 2) % 5])
    return tenant


@pytest.mark.usefixtures("store_writes_json")
@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize(("limit", "offset"), [(1, 0), (7, 3), (20, 0), (1000, 0), (5, 44),
                                               (5, 100)])
def test_the_json_page_is_the_python_page_byte_for_byte(varied, query, limit, offset):
    account_id = varied.account.id
    page = activity_json.activity_page(account_id, query, limit, offset)
    assert isinstance(page, JsonArray)
    expected = python_page(account_id, query, limit, offset)
    assert dumps(page) == dumps(expected)
    assert page == orjson.loads(dumps(expected))  # decoded stored JSON, same items


@pytest.mark.usefixtures("store_writes_json")
def test_a_json_page_keeps_the_pages_order_over_many_rows(tenant, activities):
    base = datetime(2012, 1, 1)
    for index in range(600):  # out of order, with ties broken by id
        activities.one(tenant.account, "succeeded",
                       creation_time=base + timedelta(minutes=(index * 37) % 200))
    page = activity_json.activity_page(tenant.account.id, "", 1000, 0)
    ids = [item["id"] for item in page]
    expected = [row.id for row in Activity.select(Activity.id)
                .where(Activity.account == tenant.account.id)
                .order_by(Activity.creation_time.desc(), Activity.id.desc())]
    assert ids == expected
    assert dumps(page) == dumps(python_page(tenant.account.id, "", 1000, 0))


@pytest.mark.usefixtures("store_writes_json")
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(summary=st.text(), result=st.one_of(st.none(), st.text()))
def test_any_text_is_written_as_python_writes_it(tenant, summary, result):
    with database.atomic():
        Activity.delete().where(Activity.account == tenant.account.id).execute()
        Activity.insert(account=tenant.account.id, type="T", activity_status="failed",
                        summary=summary, result_text=result,
                        creation_time=datetime(2012, 3, 6)).execute()
    page = activity_json.activity_page(tenant.account.id, "", 20, 0)
    assert dumps(page) == dumps(python_page(tenant.account.id, "", 20, 0))


def test_pages_with_actions_groups_or_decoded_json_are_rendered_in_python(varied):
    account_id = varied.account.id
    for options in ({"with_actions": True}, {"groups_only": True}, {"decoded": True}):
        assert isinstance(activity_json.activity_page(account_id, "", 5, 0, **options), list)


def test_a_json_array_reads_as_the_list_it_holds():
    array = JsonArray('[{"id":1},{"id":2}]')
    assert (len(array), array[0], array[-1:], list(array)) == (
        2, {"id": 1}, [{"id": 2}], [{"id": 1}, {"id": 2}])
    assert array == [{"id": 1}, {"id": 2}] and array != [{"id": 1}]
    assert dumps({"items": array}) == b'{"items":[{"id":1},{"id":2}]}'
    assert dumps([array, 2 ** 70]) == b'[[{"id": 1}, {"id": 2}], 1180591620717411303424]'
    assert JsonArray("[]") == []
