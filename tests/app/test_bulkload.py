"""The bulk-load path of the seeders: values survive it exactly, on either store."""
from __future__ import annotations

from datetime import datetime

import pytest

from app.activity_json import page_query
from app.bulkload import indexes_rebuilt_after, insert_rows
from app.demo import seed
from app.models import Account, Activity, Computer, Person, database


def test_insert_rows_keeps_awkward_text_empty_text_and_nulls(app):
    account = Account.create(name="bulk")
    awkward = 'tab\there, newline\nthere, back\\slash, "quotes", \\N and a\r'
    insert_rows(Person, [
        {"account": account.id, "email": "a@x", "email_key": "a@x", "name": awkward,
         "username": "", "password_hash": None, "disabled": True,
         "creation_time": datetime(2011, 1, 2, 3, 4, 5)},
        {"account": account.id, "email": "b@x", "email_key": "b@x", "name": "plain",
         "username": "b", "password_hash": "\\N", "disabled": False,
         "creation_time": datetime(2011, 1, 2, 3, 4, 6)},
    ])
    rows = [(p.name, p.username, p.password_hash, p.disabled, p.role, p.creation_time)
            for p in Person.select().where(Person.account == account).order_by(Person.email)]
    assert rows == [(awkward, "", None, True, "auditor", datetime(2011, 1, 2, 3, 4, 5)),
                    ("plain", "b", "\\N", False, "auditor", datetime(2011, 1, 2, 3, 4, 6))]


def test_indexes_and_keys_come_back_after_a_rebuilding_load(app):
    def constraints():
        return ({index.name for index in Activity._meta.database.get_indexes("activity")},
                {(key.column, key.dest_table)
                 for key in Activity._meta.database.get_foreign_keys("activity")})

    before = constraints()
    with indexes_rebuilt_after(Activity, new_rows=10**6):
        assert not constraints()[0] & {"activity_account_id_creation_time_id"}
    assert constraints() == before


@pytest.mark.parametrize(("query", "index"), [
    ("status:failed computer:id:{computer_id}", "activity_computer_id"),
    ("computer:hostname:{hostname}", "activity_computer_id"),
    ("status:failed computer:title:{title}", "activity_computer_id"),
    ("creator:{email}", "activity_creator_id"),
])
def test_a_seeded_store_reads_a_page_of_one_computer_or_creator_by_its_index(
        app, is_postgres, query, index):
    if is_postgres:
        pytest.skip("PostgreSQL's planner has per-value statistics; these are SQLite's plans")
    # Large enough for the planner's choice to be the one it makes on big accounts.
    seed("planned", computers=2000, activities=20_000)
    account = Account.get(Account.name == "planned")
    computer = Computer.select().where(Computer.account == account).first()
    person = Person.select().where(Person.account == account).first()
    text = query.format(computer_id=computer.id, hostname=computer.hostname,
                        title=computer.title, email=person.email)
    sql, params = page_query(text, False).sql({"account": account.id, "limit": 20, "offset": 0})
    plan = " ".join(row[-1] for row in database.execute_sql("EXPLAIN QUERY PLAN " + sql, params))
    # Read newest first, the account's activities would each be checked against the
    # computer or creator: a scan of the whole account when it has few (or none).
    assert f"SEARCH t1 USING INDEX {index}" in plan, plan
