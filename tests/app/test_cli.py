"""The operator CLI: init-db, accounts, persons, keys, import/export, seed-demo."""
from __future__ import annotations

import json

from app.models import Account, Activity, Computer, Person

FIXTURE = {
    "accounts": [{"name": "acme", "title": "Acme Corp"}],
    "persons": [{"id": 5, "account": "acme", "email": "jane@example.com", "name": "Jane Doe",
                 "username": "jane", "role": "admin", "groups": ["packager"],
                 "password": "s3cret",
                 "keys": [{"access_key": "0GS7553JW74RRM612K02", "secret_key": "a+/b" * 10}]}],
    "computers": [{"id": 4, "account": "acme", "title": "Laptop 4",
                   "hostname": "laptop4.example.com", "distribution": "22.04",
                   "codename": "jammy", "access_group": "global", "tags": ["laptop"],
                   "annotations": {"owner": "jane"}, "mac_addresses": ["00:16:3e:00:00:04"],
                   "ip_addresses": ["10.0.0.4"], "needs_reboot": False,
                   "keys": [{"access_key": "COMPUTERKEY000000004", "secret_key": "c" * 40}]}],
    "activities": [
        {"id": 85, "account": "acme", "type": "ActivityGroup", "activity_status": "succeeded",
         "summary": "Install packages python-twisted-conch and python-twisted-mail",
         "creator_id": 5, "creation_time": "2012-03-06T18:52:09Z"},
        {"id": 86, "account": "acme", "type": "ChangePackagesRequest",
         "activity_status": "succeeded", "summary": "Install packages python-twisted-conch",
         "parent_id": 85, "computer_id": 4, "creator_id": 5,
         "creation_time": "2012-03-06T18:52:09Z", "delivery_time": "2012-03-06T18:52:09Z",
         "completion_time": "2012-03-06T18:52:09Z",
         "modification_time": "2012-03-06T18:52:09Z", "result_text": "Installed!",
         "result_code": 0,
         "changes": [{"package": "python-twisted-conch", "type": "install",
                      "version": "1:0.8.0-1", "complemented": False}],
         "package_ids": [36]}],
}


def test_init_db_is_idempotent(runner):
    from app.db import SCHEMA_VERSION
    first = runner.invoke(args=["init-db"])
    second = runner.invoke(args=["init-db"])
    assert first.exit_code == second.exit_code == 0
    assert f"Schema is at version {SCHEMA_VERSION}." in second.output


def test_analyze_refreshes_the_planners_statistics(runner, is_postgres):
    from app.models import database
    assert runner.invoke(args=["seed-demo", "--computers", "5", "--activities", "50"]
                         ).exit_code == 0
    if not is_postgres:
        database.execute_sql("DELETE FROM sqlite_stat1")
    result = runner.invoke(args=["analyze"])
    assert result.exit_code == 0 and "Statistics refreshed in" in result.output
    if not is_postgres:
        tables = {row[0] for row in database.execute_sql("SELECT tbl FROM sqlite_stat1")}
        assert {"activity", "computer", "person"} <= tables


def test_create_account_person_and_key(runner):
    assert runner.invoke(args=["create-account", "acme", "--title", "Acme"]).exit_code == 0
    result = runner.invoke(args=["create-person", "--account", "acme", "--email",
                                 "jane@acme.example", "--name", "Jane", "--role", "admin",
                                 "--group", "packager", "--password-stdin"], input="pw\n")
    assert result.exit_code == 0, result.output
    person = Person.get(Person.email_key == "jane@acme.example")
    assert (person.role, person.username) == ("admin", "jane")
    result = runner.invoke(args=["create-key", "--email", "jane@acme.example"])
    key = json.loads(result.output)
    assert set(key) == {"access_key", "secret_key"} and len(key["access_key"]) == 20


def test_duplicate_account_exits_1(runner):
    runner.invoke(args=["create-account", "acme"])
    result = runner.invoke(args=["create-account", "acme"])
    assert result.exit_code == 1
    assert "Account 'acme' already exists" in result.output


def test_import_then_export_round_trips_exactly(runner, tmp_path):
    path = tmp_path / "fixture.json"
    path.write_text(json.dumps(FIXTURE))
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    exported = json.loads(runner.invoke(args=["export", "--with-secrets"]).output)
    assert exported["persons"][0]["id"] == 5
    assert exported["activities"][1]["changes"] == FIXTURE["activities"][1]["changes"]
    # Export → import into an empty store → export reproduces every record.
    for model in (Activity, Computer, Person, Account):
        model.delete().execute()
    path.write_text(json.dumps(exported))
    assert runner.invoke(args=["import", str(path)]).exit_code == 0
    again = json.loads(runner.invoke(args=["export", "--with-secrets"]).output)
    assert again == exported


def test_export_without_secrets_has_no_keys_or_hashes(runner, tmp_path):
    path = tmp_path / "fixture.json"
    path.write_text(json.dumps(FIXTURE))
    runner.invoke(args=["import", str(path)])
    exported = runner.invoke(args=["export", "--account", "acme"]).output
    assert "secret_key" not in exported and "password_hash" not in exported


def test_bad_record_names_it_and_writes_nothing(runner, tmp_path):
    bad = json.loads(json.dumps(FIXTURE))
    bad["activities"][1]["computer_id"] = 999
    path = tmp_path / "fixture.json"
    path.write_text(json.dumps(bad))
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 1
    assert "activities[1]: computer_id 999 is not a record of account 'acme'" in result.output
    assert Account.select().count() == 0 and Person.select().count() == 0


def test_unknown_key_in_a_record_is_an_error(runner, tmp_path):
    path = tmp_path / "fixture.json"
    path.write_text(json.dumps({"accounts": [{"name": "acme", "colour": "red"}]}))
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 1
    assert "accounts[0]: unknown key(s): colour" in result.output


def test_import_reads_stdin(runner):
    result = runner.invoke(args=["import", "-"], input=json.dumps(
        {"accounts": [{"name": "acme"}]}))
    assert result.exit_code == 0 and Account.select().count() == 1


def test_seed_demo_creates_realistic_data(runner):
    result = runner.invoke(args=["seed-demo", "--computers", "20", "--activities", "500"])
    assert result.exit_code == 0, result.output
    assert "access key:" in result.output and "landscape-api get-activities" in result.output
    assert Computer.select().count() == 20
    assert Activity.select().count() == 500
    statuses = {a.activity_status for a in Activity.select(Activity.activity_status)}
    assert statuses == {"succeeded", "failed", "canceled", "delivered", "undelivered",
                        "unapproved", "scheduled"}


def test_init_db_upgrades_an_older_schema(runner):
    from app.models import SchemaVersion, database
    SchemaVersion.update(version=1).execute()
    for column in ("account_id", "parent_id"):
        database.execute_sql(f"CREATE INDEX IF NOT EXISTS activity_{column} "
                             f"ON activity ({column})")
    database.execute_sql("DROP INDEX computer_account_id_lower_hostname")
    for table in ("failed_login", "seen_signature"):  # new in version 5
        database.execute_sql(f"DROP TABLE {table}")
    new_in_6 = ("activity_account_id_type_creation_time_id",
                "activity_account_id_modification_time_id",
                "activity_account_id_completion_time_id")
    for index in new_in_6:
        database.execute_sql(f"DROP INDEX {index}")
    for table in ("event_follower", "event_stream", "event"):  # new in version 7
        database.execute_sql(f"DROP TABLE {table}")
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0 and "Schema is at version 7." in result.output
    assert SchemaVersion.get().version == 7
    assert {"event", "event_stream", "event_follower"} <= set(database.get_tables())
    assert set(new_in_6) <= {index.name for index in database.get_indexes("activity")}
    assert {"failed_login", "seen_signature"} <= set(database.get_tables())
    indexes = {i.name for i in database.get_indexes("activity")}
    assert not indexes & {"activity_account_id", "activity_parent_id"}
    assert "activity_account_id_creation_time_id" in indexes
    assert "computer_account_id_lower_hostname" in {i.name for i in
                                                     database.get_indexes("computer")}
