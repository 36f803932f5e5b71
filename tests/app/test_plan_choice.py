"""PostgreSQL reads a page with a generic plan when the query's values are common and plans
it for its values when one is rare; the answers are those of the unprepared query."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import create_app
from app.activity_json import page_query
from app.db import refresh_statistics, upgrade_schema
from app.demo import seed
from app.models import Account, Activity, Computer, ComputerTag, database
from app.prepared import CUSTOM_PLAN, GENERIC_PLAN
from app.prepared import PreparedQuery
from app.store.plan_choice import (MAX_CANDIDATES, STATUS, TAG, TYPE, VALUE_COUNTS,
                                   PlanChoice, activity_page_plan)
from tests.conftest import TEST_SECRET, Api, Key, _truncate_all

RARE = "rare-tag"
#: the demo's tags: each on a fifth or more of the computers
COMMON_TAGS = ("laptop", "desktop-apps", "server")
COMMON = f"status:succeeded computer:tag:{COMMON_TAGS[0]}"
RARE_QUERY = f"status:succeeded computer:tag:{RARE}"


class Counts:
    """Value counts given by hand."""

    generation = 1

    def __init__(self, frequencies: dict[tuple[tuple[str, str], str], float]) -> None:
        self.frequencies = frequencies

    def current(self) -> int:
        return self.generation

    def frequency(self, column: tuple[str, str], value: str) -> float:
        return self.frequencies.get((column, value), 0.0)


FIRST_PAGE = {"account": 1, "limit": 20, "offset": 0}
COUNTS = Counts({(STATUS, "succeeded"): 0.4, (STATUS, "failed"): 0.05, (TAG, "laptop"): 0.2,
                 (TYPE, "RestartRequest"): 0.2, (TYPE, "ActivityGroup"): 0.1,
                 (TAG, "server"): 0.999})


def choice(query: str, counts: Counts = COUNTS, activity_type: str | None = None):
    return activity_page_plan(query, activity_type, counts=counts)  # type: ignore[arg-type]


def share(query: str, activity_type: str | None = None) -> float:
    plan = choice(query, activity_type=activity_type)
    assert isinstance(plan, PlanChoice)
    return plan.share()


# -- the choice, on any store ---------------------------------------------------------------


def test_common_values_take_the_generic_plan_for_a_first_page():
    plan = choice("status:SUCCEEDED computer:tag:laptop")
    assert plan(FIRST_PAGE)
    assert not plan({**FIRST_PAGE, "offset": 20})  # later pages: planned for their offset


def test_a_rare_or_unknown_value_is_planned_for_its_values():
    assert not choice("status:succeeded computer:tag:rare")(FIRST_PAGE)
    assert not choice("type:SyncPocketRequest")(FIRST_PAGE)


def test_the_generic_plan_reads_at_most_so_many_candidates():
    plan = choice("status:succeeded computer:tag:laptop")  # lets through 0.4 * 0.2 of the rows
    assert plan({**FIRST_PAGE, "limit": int(0.08 * MAX_CANDIDATES)})
    assert not plan({**FIRST_PAGE, "limit": int(0.08 * MAX_CANDIDATES) + 1})


def test_and_or_not_combine_shares_as_independent_events():
    assert share("status:succeeded computer:tag:laptop") == pytest.approx(0.4 * 0.2)
    assert share("computer:tag:laptop OR status:failed") == pytest.approx(1 - 0.8 * 0.95)
    assert share("NOT computer:(tag:server OR tag:rare)") == pytest.approx(0.001)
    assert share("status:succeeded", "ActivityGroup") == pytest.approx(0.4 * 0.1)
    assert share("", "ActivityGroup") == pytest.approx(0.1)


def test_under_not_a_rare_value_lets_through_the_other_rows():
    assert choice("NOT computer:tag:rare")(FIRST_PAGE)
    assert not choice("NOT computer:tag:server")(FIRST_PAGE)
    assert choice("NOT (type:RestartRequest OR NOT computer:tag:laptop)")(FIRST_PAGE)


@pytest.mark.parametrize("query", [
    "nginx", "creator:a@example.com", "computer:hostname:web1", "created-after:2011-01",
    "id:3", "computer:(tag:laptop OR title:x)", "status:nonsense", "status:(", "parent-id:1",
    "NOT nginx",
])
def test_other_criteria_are_always_planned_for_their_values(query):
    assert not choice(query)(FIRST_PAGE)


def test_a_query_without_values_takes_the_generic_plan_for_a_first_page():
    plan = choice("")
    assert plan(FIRST_PAGE) and not plan({**FIRST_PAGE, "offset": 1})


def test_the_choice_follows_new_counts():
    counts = Counts({(TAG, "laptop"): 0.2})
    plan = choice("computer:tag:laptop", counts)
    assert plan(FIRST_PAGE)
    counts.frequencies, counts.generation = {}, 2
    assert not plan(FIRST_PAGE)


def test_sqlite_runs_the_page_as_it_did_and_never_asks_for_a_plan(request, is_postgres):
    if is_postgres:
        pytest.skip("SQLite only")
    request.getfixturevalue("app")

    def never(values):
        raise AssertionError("asked")
    query = PreparedQuery(lambda: Activity.select(Activity.id).where(Activity.id > -7).limit(-8),
                          generic_when=never, generic_literals=("limit",), floor=-7, limit=-8)
    assert query.execute(floor=0, limit=20).fetchall() == []


# -- the plans PostgreSQL runs ---------------------------------------------------------------


@dataclass
class Store:
    api: Api
    key: Key
    account_id: int
    activities: int
    rare_activities: int


@pytest.fixture(scope="module")
def store(db_url: str):
    """An account of 20,000 activities on 200 computers, one of which has the rare tag;
    with statistics (built once for the module)."""
    if not db_url.startswith("postgres"):
        pytest.skip("needs PostgreSQL")
    application = create_app({"TESTING": True, "DATABASE_URL": db_url,
                              "SECRET_KEY": TEST_SECRET})
    upgrade_schema()
    _truncate_all()
    database.connect(reuse_if_open=True)
    keys = seed("plans", computers=200, activities=20_000)
    account = Account.get(Account.name == "plans")
    computer = Computer.select().where(Computer.account == account).order_by(Computer.id).first()
    ComputerTag.create(computer=computer, name=RARE)
    refresh_statistics()
    activities = Activity.select().where(Activity.account == account).count()
    rare = Activity.select().where(Activity.computer_id == computer.id).count()
    database.close()
    yield Store(Api(application.test_client()), Key(keys["access_key"], keys["secret_key"]),
                account.id, activities, rare)
    if not database.is_closed():
        database.close()


def gateway_page(store: Store, monkeypatch, query: str) -> tuple[str, str, list]:
    """Run GetActivities (limit 20) and find its page statement among what the gateway sent
    to the store: ``(name, plan + EXECUTE, parameters)``."""
    sent: list[tuple[str, Any]] = []
    execute_sql = type(database.obj).execute_sql

    def recording(self, sql, params=None, *args, **kwargs):
        sent.append((sql, params))
        return execute_sql(self, sql, params, *args, **kwargs)
    monkeypatch.setattr(type(database.obj), "execute_sql", recording)
    answer = store.api.call("GetActivities", key=store.key, query=query, limit=20)
    monkeypatch.undo()
    assert answer.status == 200, answer.body
    (name, _, execute), plan, params = page_query(query, False).statement(
        {"account": store.account_id, "limit": 20, "offset": 0})
    assert sent.count((plan + execute, params)) == 1
    return name, plan + execute, params


def explain(store: Store, query: str, sql: str, params: list) -> tuple[dict, dict]:
    """EXPLAIN ANALYZE of a page statement the gateway sent, in this test's session
    (prepared there first if need be), and how many generic and custom plans that made."""
    (name, prepare, _), _, _ = page_query(query, False).statement(
        {"account": store.account_id, "limit": 20, "offset": 0})
    database.connect(reuse_if_open=True)
    if name not in database.connection().prepared:
        database.execute_sql(prepare)
        database.connection().prepared.add(name)

    def counters() -> tuple[int, int]:
        return database.execute_sql("SELECT generic_plans, custom_plans FROM "
                                    "pg_prepared_statements WHERE name = %s", (name,)).fetchone()
    before = counters()
    (result,), = database.execute_sql(
        sql.replace("EXECUTE", "EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE", 1), params).fetchone()
    after = counters()
    return result["Plan"], {"generic": after[0] - before[0], "custom": after[1] - before[1]}


def nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", ()):
        yield from nodes(child)


def activity_rows_read(plan: dict) -> int:
    """Rows of ``activity`` its scans read (kept or filtered out), over all loops."""
    return sum((node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0))
               * node.get("Actual Loops", 1)
               for node in nodes(plan) if node.get("Relation Name") == "activity")


@pytest.mark.postgres
@pytest.mark.parametrize("query, index", [
    (COMMON, "activity_account_id_activity_status_creation_time_id"),
    (f"computer:tag:{COMMON_TAGS[1]}", "activity_account_id_creation_time_id"),
])
def test_a_common_tag_runs_the_generic_plan_newest_first_by_index(store, monkeypatch, query,
                                                                  index):
    _, sql, params = gateway_page(store, monkeypatch, query)
    assert sql.startswith(GENERIC_PLAN)
    plan, made = explain(store, query, sql, params)
    assert made == {"generic": 1, "custom": 0}
    scans = [node for node in nodes(plan) if node.get("Relation Name") == "activity"]
    assert [(scan["Node Type"], scan["Index Name"], scan["Scan Direction"])
            for scan in scans] == [("Index Scan", index, "Backward")]
    assert "$1" in scans[0]["Index Cond"]  # the account is a parameter: a generic plan
    assert not [node for node in nodes(plan) if node["Node Type"] in ("Sort", "Gather",
                                                                      "Gather Merge")]
    assert activity_rows_read(plan) < 1_000


@pytest.mark.postgres
def test_a_rare_tag_is_planned_for_its_value_and_reads_only_its_computer(store, monkeypatch):
    _, sql, params = gateway_page(store, monkeypatch, RARE_QUERY)
    assert sql.startswith(CUSTOM_PLAN)
    plan, made = explain(store, RARE_QUERY, sql, params)
    assert made == {"generic": 0, "custom": 1}
    assert activity_rows_read(plan) <= store.rare_activities < store.activities / 50


@pytest.mark.postgres
def test_the_counts_are_postgresql_statistics_read_again_after_analyze(store):
    database.connect(reuse_if_open=True)
    generation = VALUE_COUNTS.current()
    assert VALUE_COUNTS.frequency(TAG, COMMON_TAGS[0]) > 0.2
    assert VALUE_COUNTS.frequency(STATUS, "succeeded") > 0.2
    assert VALUE_COUNTS.frequency(TAG, RARE) == 0.0
    assert VALUE_COUNTS.current() == generation  # kept for a while
    refresh_statistics()
    assert VALUE_COUNTS.current() == generation + 1


@pytest.mark.postgres
def test_the_generic_plan_would_read_the_whole_account_for_a_rare_tag(store):
    """Why a rare tag is not given the generic plan (the plan the common tag gets)."""
    values = {"account": store.account_id, "limit": 20, "offset": 0}
    (name, prepare, execute), plan, params = page_query(COMMON, False).statement(values)
    assert plan == GENERIC_PLAN
    database.connect(reuse_if_open=True)
    if name not in database.connection().prepared:
        database.execute_sql(prepare)
        database.connection().prepared.add(name)
    params = [RARE if value == COMMON_TAGS[0] else value for value in params]
    (result,), = database.execute_sql(
        plan + execute.replace("EXECUTE", "EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE", 1),
        params).fetchone()
    assert activity_rows_read(result["Plan"]) > store.activities / 10


def unprepared(store: Store, query: str, limit: int, offset: int,
               groups_only: bool = False) -> list:
    sql, params = page_query(query, groups_only).sql(
        {"account": store.account_id, "limit": limit, "offset": offset})
    return database.execute_sql(sql, params).fetchall()


def prepared(store: Store, query: str, limit: int, offset: int,
             groups_only: bool = False) -> tuple[str, list]:
    values = {"account": store.account_id, "limit": limit, "offset": offset}
    query_plan = page_query(query, groups_only)
    plan = query_plan.statement(values)[1]
    return plan, query_plan.execute(**values).fetchall()


@pytest.mark.postgres
@pytest.mark.parametrize("query, limit, offset, plan", [
    (COMMON, 20, 0, GENERIC_PLAN),
    (RARE_QUERY, 20, 0, CUSTOM_PLAN),
    (f"computer:tag:{RARE}", 20, 0, CUSTOM_PLAN),
    (COMMON, 7, 0, GENERIC_PLAN),
    (COMMON, 20, 40, CUSTOM_PLAN),
    ("", 20, 0, GENERIC_PLAN),
    (f"NOT computer:tag:{RARE} type:ChangePackagesRequest", 30, 0, GENERIC_PLAN),
    (f"computer:tag:{COMMON_TAGS[2]} OR status:failed", 20, 0, GENERIC_PLAN),
    ("install", 20, 0, CUSTOM_PLAN),
])
def test_both_plans_answer_the_unprepared_query(store, query, limit, offset, plan):
    database.connect(reuse_if_open=True)
    chosen, rows = prepared(store, query, limit, offset)
    assert chosen == plan
    assert rows == unprepared(store, query, limit, offset) and rows


_term = st.one_of(
    st.sampled_from(["succeeded", "failed", "undelivered", "canceled"]).map("status:{}".format),
    st.sampled_from(["ChangePackagesRequest", "RestartRequest", "SyncPocketRequest"])
    .map("type:{}".format),
    st.sampled_from([*COMMON_TAGS, RARE, "absent"]).map("computer:tag:{}".format),
)
_queries = st.lists(st.tuples(st.booleans(), _term), min_size=0, max_size=3).map(
    lambda terms: " ".join(("NOT " if negated else "") + term for negated, term in terms))


@pytest.mark.postgres
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=_queries, limit=st.integers(1, 60), offset=st.sampled_from([0, 0, 5]),
       groups_only=st.booleans())
def test_any_page_answers_the_unprepared_query(store, query, limit, offset, groups_only):
    database.connect(reuse_if_open=True)
    _, rows = prepared(store, query, limit, offset, groups_only)
    assert rows == unprepared(store, query, limit, offset, groups_only)
