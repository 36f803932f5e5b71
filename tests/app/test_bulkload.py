"""The bulk-load path of the seeders: values survive it exactly, on either store."""
from __future__ import annotations

from datetime import datetime

from app.bulkload import indexes_rebuilt_after, insert_rows
from app.models import Account, Activity, Person


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
