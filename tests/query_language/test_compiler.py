"""The compiler: the exact SQL of every criterion, and real results on the seeded store."""
from __future__ import annotations

from datetime import datetime

import pytest
from peewee import OP

from app.models import STATUSES, Activity, Computer, ComputerTag, NetworkDevice, Package
from app.store.vocabularies import (ACTIVITY_TYPES, ACTIVITY_VOCABULARY, COMPUTER_VOCABULARY,
                                    STATUS_CHOICES)
from query_language import (Criterion, InvalidQuery, Related, Vocabulary, compile_node,
                            compile_query, parse)
from query_language.values import boolean, parse_date
from query_language.vocabularies import contains, expression, ids_where

ACTIVITY_IDS = 'SELECT "t1"."id" FROM "activity" AS "t1" WHERE '
COMPUTER_IDS = 'SELECT "t1"."id" FROM "computer" AS "t1" WHERE '
# Computer sub-selects are correlated EXISTS: pages stop at their limit, so each candidate
# costs one index lookup instead of listing every matching computer first. Queries that name
# a few computers (hostname:, title: equalities) list them first instead (COMPUTERS_NAMED).
COMPUTERS_OF_ACCOUNT = ('EXISTS(SELECT "t2"."id" FROM "computer" AS "t2" WHERE '
                        '(("t2"."id" = "t1"."computer_id") AND ("t2"."account_id" = ?) AND ')
COMPUTERS_NAMED = ('("t1"."computer_id" IN (SELECT "t2"."id" FROM "computer" AS "t2" WHERE '
                   '(("t2"."account_id" = ?) AND ')
TAGGED = ('EXISTS(SELECT "{t}"."computer_id" FROM "computer_tag" AS "{t}" WHERE '
          '(("{t}"."computer_id" = "{o}"."id") AND ("{t}"."name" = ?)))')


def rows_of(table: str, condition: str) -> str:
    """The correlated EXISTS of a computer's rows in ``table`` (alias t2 under t1)."""
    return (f'EXISTS(SELECT "t2"."computer_id" FROM "{table}" AS "t2" WHERE '
            f'(("t2"."computer_id" = "t1"."id") AND {condition}))')

ACTIVITY_SQL = [
    ("id:5", '("t1"."id" = ?)', [5]),
    ("parent-id:7", '("t1"."parent_id" = ?)', [7]),
    ("status:FAILED", '("t1"."activity_status" = ?)', ["failed"]),
    ("created-after:2011-01", '("t1"."creation_time" >= ?)', [datetime(2011, 1, 1)]),
    ("created-before:2011-02-03T04:05:06+01:30", '("t1"."creation_time" < ?)',
     [datetime(2011, 2, 3, 2, 35, 6)]),
    ("creator:Jane@Example.COM",
     '("t1"."creator_id" = (SELECT "t2"."id" FROM "person" AS "t2" '
     'WHERE (("t2"."account_id" = ?) AND ("t2"."email_key" = ?))))', [7, "jane@example.com"]),
    ("type:RestartRequest", '("t1"."type" = ?)', ["RestartRequest"]),
    ("nginx", '("t1"."summary" LIKE ?)', ["%nginx%"]),
    (r'"100%_\\"', '("t1"."summary" LIKE ? ESCAPE ?)', ["%100\\%\\_\\\\%", "\\"]),
    ("computer:tag:server",
     COMPUTERS_OF_ACCOUNT + TAGGED.format(t="t3", o="t2") + "))", [7, "server"]),
    ("computer:id:4",
     '(("t1"."computer_id" = ?) AND ' + COMPUTERS_OF_ACCOUNT + '("t2"."id" = ?))))', [4, 7, 4]),
    ("computer:(hostname:Web1 OR NOT id:3)",
     COMPUTERS_OF_ACCOUNT
     + '((LOWER("t2"."hostname") = ?) OR NOT COALESCE(("t2"."id" = ?), ?))))',
     [7, "web1", 3, False]),
    ("computer:hostname:Web1", COMPUTERS_NAMED + '(LOWER("t2"."hostname") = ?))))', [7, "web1"]),
    ("computer:(title:Web hostname:a OR hostname:b)",
     COMPUTERS_NAMED + '((LOWER("t2"."title") = ?) AND ((LOWER("t2"."hostname") = ?) OR '
     '(LOWER("t2"."hostname") = ?))))))', [7, "web", "a", "b"]),
    ("computer:(hostname:a OR tag:b)",
     COMPUTERS_OF_ACCOUNT + '((LOWER("t2"."hostname") = ?) OR '
     + TAGGED.format(t="t3", o="t2") + ')))', [7, "a", "b"]),
    ("NOT status:failed", 'NOT COALESCE(("t1"."activity_status" = ?), ?)', ["failed", False]),
    ("a OR b c",
     '((("t1"."summary" LIKE ?) OR ("t1"."summary" LIKE ?)) AND ("t1"."summary" LIKE ?))',
     ["%a%", "%b%", "%c%"]),
]

COMPUTER_SQL = [
    ("id:3", '("t1"."id" = ?)', [3]),
    ("tag:server", TAGGED.format(t="t2", o="t1"), ["server"]),
    ("hostname:WEB1", '(LOWER("t1"."hostname") = ?)', ["web1"]),
    ('title:"Web One"', '(LOWER("t1"."title") = ?)', ["web one"]),
    ("distribution:jammy", '(("t1"."distribution" = ?) OR ("t1"."codename" = ?))',
     ["jammy", "jammy"]),
    ("access-group:staff", '("t1"."access_group" = ?)', ["staff"]),
    ("mac:AA:BB", rows_of("network_device", '("t2"."mac_address" LIKE ?)'), ["%AA:BB%"]),
    ("ip:10.0", rows_of("network_device", '("t2"."ip_address" LIKE ?)'), ["%10.0%"]),
    ("annotation:rack", rows_of("computer_annotation", '("t2"."key" = ?)'), ["rack"]),
    ("annotation:rack:r1", rows_of("computer_annotation",
                                   '(("t2"."key" = ?) AND ("t2"."value" LIKE ?))'),
     ["rack", "%r1%"]),
    ("needs:reboot", '("t1"."needs_reboot" = ?)', [True]),
    ("web", '(("t1"."hostname" LIKE ?) OR ("t1"."title" LIKE ?))', ["%web%", "%web%"]),
    ("NOT tag:x", "NOT COALESCE(" + TAGGED.format(t="t2", o="t1") + ", ?)", ["x", False]),
]


@pytest.mark.parametrize(("source", "where", "params"), ACTIVITY_SQL)
def test_activity_sql(ql_sqlite, source, where, params):
    expression = compile_query(source, ACTIVITY_VOCABULARY, account_id=7)
    assert Activity.select(Activity.id).where(expression).sql() == (ACTIVITY_IDS + where, params)


@pytest.mark.parametrize(("source", "where", "params"), COMPUTER_SQL)
def test_computer_sql(ql_sqlite, source, where, params):
    expression = compile_query(source, COMPUTER_VOCABULARY, account_id=7)
    assert Computer.select(Computer.id).where(expression).sql() == (COMPUTER_IDS + where, params)


@pytest.mark.parametrize("source", ["", "  ", "\t"])
def test_empty_query_is_no_filter(source):
    assert compile_query(source, ACTIVITY_VOCABULARY, account_id=1) is None
    assert compile_node(None, ACTIVITY_VOCABULARY, account_id=1) is None


def test_compile_node_takes_a_parsed_tree_and_its_source_for_errors(ql_sqlite):
    expression = compile_node(parse("status:failed"), ACTIVITY_VOCABULARY, account_id=1)
    assert Activity.select().where(expression).sql()[1] == ["failed"]
    with pytest.raises(InvalidQuery) as info:
        compile_node(parse("x status:done"), ACTIVITY_VOCABULARY, account_id=1,
                     source="x status:done")
    assert (info.value.source, info.value.position, info.value.length) == ("x status:done", 9, 4)


# -- results on the seeded store (data.py) ---------------------------------------------------

ACME_ACTIVITIES = {"group", "install-web1", "install-laptop", "restart", "script", "stray"}

ACTIVITY_RESULTS = [
    ("", ACME_ACTIVITIES),
    ("status:failed", {"restart"}),
    ("status:DELIVERED", {"group", "install-laptop"}),
    ("NOT status:delivered", {"install-web1", "restart", "script", "stray"}),
    ("parent-id:{group}", {"install-web1", "install-laptop"}),
    # activities without a parent (NULL) are not children of the group
    ("NOT parent-id:{group}", {"group", "restart", "script", "stray"}),
    ("id:{restart} OR id:{script}", {"restart", "script"}),
    ("created-after:2011-02", {"restart", "script"}),
    ("created-before:2011-02", {"group", "install-web1", "install-laptop", "stray"}),
    ("created-after:2011-01-15 created-before:2011-02", {"stray"}),
    ("created-after:2011-01-31T23:00-01:00", {"restart", "script"}),
    ("created-after:2011-02-01T00:00:01", {"script"}),
    ("creator:jane.doe@example.com", {"group", "install-web1", "install-laptop"}),
    ("creator:JANE.DOE@EXAMPLE.COM", {"group", "install-web1", "install-laptop"}),
    # eve belongs to globex: the sub-select of persons stays in the caller's account
    ("creator:eve@example.com", set()),
    ("NOT creator:jane.doe@example.com", {"restart", "script", "stray"}),
    ("NOT creator:eve@example.com", ACME_ACTIVITIES),
    ("type:RestartRequest", {"restart"}),
    ("NGINX", {"group", "install-web1", "install-laptop"}),
    ('"packages nginx"', {"group", "install-web1", "install-laptop"}),
    ('"100%"', {"script"}),
    ('"_"', {"script"}),
    ('"%"', {"script"}),
    ("computer:tag:server", {"install-web1", "script"}),
    ("computer:tag:Server", {"script"}),
    ("computer:tag:laptop", {"install-laptop", "restart"}),
    ("computer:hostname:web1.example.com", {"install-web1"}),
    ("computer:hostname:WEB1.example.COM", {"install-web1"}),
    ("NOT computer:hostname:web1.example.com", ACME_ACTIVITIES - {"install-web1"}),
    ("computer:(hostname:web1.example.com OR hostname:laptop.example.com)",
     {"install-web1", "install-laptop", "restart"}),
    ("computer:(hostname:laptop.example.com tag:server)", set()),
    ("computer:needs:reboot", {"install-laptop", "restart"}),
    ("computer:(tag:laptop OR distribution:jammy)",
     {"install-web1", "install-laptop", "restart", "script"}),
    ("NOT computer:tag:server", {"group", "install-laptop", "restart", "stray"}),
    ("nginx OR restart computer:tag:laptop", {"install-laptop", "restart"}),
    ("computer:id:{other-web1}", set()),
]

ACME_COMPUTERS = {"web1", "laptop", "db"}

COMPUTER_RESULTS = [
    ("", ACME_COMPUTERS),
    ("id:{laptop}", {"laptop"}),
    ("tag:server", {"web1", "db"}),
    ("tag:Server", {"db"}),
    ("NOT tag:server", {"laptop"}),
    ("hostname:laptop.EXAMPLE.com", {"laptop"}),
    ('title:"web one"', {"web1"}),
    ("title:web", set()),
    ("distribution:22.04", {"web1", "db"}),
    ("distribution:focal", {"laptop"}),
    ("access-group:staff", {"laptop"}),
    ("mac:aa:bb:0", {"web1", "laptop"}),
    ("ip:10.0.1", {"laptop"}),
    ("ip:fe80", {"laptop"}),
    ("annotation:rack", {"web1"}),
    ("annotation:rack:NORTH", {"web1"}),
    ("annotation:rack:south", set()),
    ("needs:reboot", {"laptop"}),
    ("NOT needs:reboot", {"web1", "db"}),
    ("web", {"web1"}),
    ("LAPTOP", {"laptop"}),
    ('"100%"', {"db"}),
    ('"_"', {"db"}),
    ("tag:server OR tag:laptop access-group:global", {"web1", "db"}),
]


def ids_matching(data, model, vocabulary, source: str) -> list[int]:
    """Ids of acme's rows matching ``source`` (``{name}`` stands for the id of a row)."""
    expression = compile_query(source.format(**data.activities, **data.computers), vocabulary,
                               account_id=data.acme)
    query = model.select(model.id).where(model.account == data.acme)
    if expression is not None:
        query = query.where(expression)
    return [row.id for row in query]


def activities(data, source: str) -> set[str]:
    return data.activity_names(ids_matching(data, Activity, ACTIVITY_VOCABULARY, source))


def computers(data, source: str, vocabulary=COMPUTER_VOCABULARY) -> set[str]:
    return data.computer_names(ids_matching(data, Computer, vocabulary, source))


@pytest.mark.parametrize(("source", "expected"), ACTIVITY_RESULTS)
def test_activity_results(ql_data, source, expected):
    assert activities(ql_data, source) == expected


@pytest.mark.parametrize(("source", "expected"), COMPUTER_RESULTS)
def test_computer_results(ql_data, source, expected):
    assert computers(ql_data, source) == expected


def test_computer_term_never_matches_another_accounts_computer(ql_data):
    # "stray" is an acme activity on globex's computer, which has every property asked for.
    for source in ("computer:tag:server", "computer:hostname:web1.example.com",
                   "computer:mac:00:16", "computer:annotation:rack", "computer:needs:reboot",
                   "computer:web1", "computer:id:{other-web1}"):
        assert "stray" not in activities(ql_data, source), source
    # Without the account filter of the caller, still only acme's computers match.
    expression = compile_query("computer:tag:server", ACTIVITY_VOCABULARY,
                               account_id=ql_data.acme)
    found = [row.id for row in Activity.select(Activity.id).where(expression)]
    assert ql_data.activity_names(found) == {"install-web1", "script"}


# -- the vocabulary tables -------------------------------------------------------------------

def test_activity_types_are_the_known_types_sorted():
    assert list(ACTIVITY_TYPES) == sorted(ACTIVITY_TYPES)
    assert len(set(ACTIVITY_TYPES)) == 31
    assert {"ActivityGroup", "ChangePackagesRequest", "RemoveComputerActivity"} <= set(
        ACTIVITY_TYPES)


def test_status_choices_are_the_store_statuses():
    assert sorted(STATUS_CHOICES) == sorted(STATUSES)


DATES = [
    ("2011", datetime(2011, 1, 1)),
    ("2011-02", datetime(2011, 2, 1)),
    ("2011-02-03", datetime(2011, 2, 3)),
    ("2011-02-03T04", datetime(2011, 2, 3, 4)),
    ("2011-02-03T04:05", datetime(2011, 2, 3, 4, 5)),
    ("2011-02-03T04:05:06", datetime(2011, 2, 3, 4, 5, 6)),
    ("2011-02-03T04:05:06Z", datetime(2011, 2, 3, 4, 5, 6)),
    ("2011-02-03T04:05:06+02:00", datetime(2011, 2, 3, 2, 5, 6)),
    ("2011-01-01T00:30-01:00", datetime(2011, 1, 1, 1, 30)),
    ("2011-01-01T00:00+00:30", datetime(2010, 12, 31, 23, 30)),
    ("2012-02-29", datetime(2012, 2, 29)),
    ("2011Z", datetime(2011, 1, 1)),
]


@pytest.mark.parametrize(("text", "moment"), DATES)
def test_dates_are_the_naive_utc_start_of_the_period(text, moment):
    assert parse_date(text) == moment


def test_a_vocabulary_is_one_table(ql_sqlite):
    """Another module adds a vocabulary by building a table; nothing else changes."""
    packages = Vocabulary(
        name="package",
        criteria={
            "name": Criterion(str, lambda name, account_id: Package.name == name),
            "koschei": Criterion(boolean("koschei"),
                                 lambda flag, account_id: Package.koschei_monitor == flag),
        },
        text=lambda value, account_id: Package.summary.contains(value),
    )
    expression = compile_query("name:gtk3 koschei:TRUE", packages, account_id=1)
    assert Package.select(Package.id).where(expression).sql() == (
        'SELECT "t1"."id" FROM "package" AS "t1" WHERE '
        '(("t1"."name" = ?) AND ("t1"."koschei_monitor" = ?))', ["gtk3", True])
    with pytest.raises(InvalidQuery) as info:
        compile_query("koschei:yes", packages, account_id=1)
    assert info.value.message == "Invalid koschei 'yes' (expected one of: false, true)"
    with pytest.raises(InvalidQuery) as info:
        compile_query("computer:tag:x", packages, account_id=1)
    assert info.value.message.startswith("Unknown criterion 'computer'")


DEVICES = Related("device", lambda condition, account_id: Computer.id.in_(
    NetworkDevice.select(NetworkDevice.computer).where(condition)))
BY_DEVICE = Vocabulary(
    name="computer by device",
    criteria={
        "mac": Criterion(str, lambda m, account_id: NetworkDevice.mac_address.contains(m),
                         related=DEVICES),
        "ip": Criterion(str, lambda p, account_id: NetworkDevice.ip_address.contains(p),
                        related=DEVICES),
        "tag": COMPUTER_VOCABULARY.criteria["tag"],
    },
    text=COMPUTER_VOCABULARY.text,
)

ONE_ROW_RESULTS = [
    ("mac:bb:02 ip:10.0.1", {"laptop"}),
    ("mac:bb:02 ip:fe80", set()),  # the laptop has both, but on two devices
    ("mac:bb:02 OR ip:fe80", {"laptop"}),
    ("mac:bb:02 (ip:fe80)", set()),
    ("mac:bb:02 NOT ip:fe80", set()),  # NOT: no device at all has that ip
    ("mac:bb:02 NOT ip:10.0.0", {"laptop"}),
    ("ip:10.0 tag:server mac:01", {"web1"}),
    ("mac:bb:0", {"web1", "laptop"}),
]


@pytest.mark.parametrize(("source", "expected"), ONE_ROW_RESULTS)
def test_related_terms_of_one_and_hold_for_one_row(ql_data, source, expected):
    assert computers(ql_data, source, BY_DEVICE) == expected


def test_related_terms_share_one_sub_select_in_place_of_the_first(ql_sqlite):
    expression = compile_query("mac:aa tag:x ip:10", BY_DEVICE, account_id=1)
    assert Computer.select(Computer.id).where(expression).sql() == (
        COMPUTER_IDS + '(("t1"."id" IN (SELECT "t2"."computer_id" FROM "network_device" AS "t2" '
        'WHERE (("t2"."mac_address" LIKE ?) AND ("t2"."ip_address" LIKE ?)))) AND '
        + TAGGED.format(t="t3", o="t1") + ")", ["%aa%", "%10%", "x"])


# -- the SQL building blocks -----------------------------------------------------------------

def sql_of(expression) -> tuple[str, list]:
    return Computer.select(Computer.id).where(expression).sql()


@pytest.mark.parametrize("text", ["web", "", "100%", "a_b", "back\\slash", "%_\\"])
def test_contains_and_expression_equal_peewees_own_nodes(ql_sqlite, text):
    assert sql_of(contains(Computer.title, text)) == sql_of(Computer.title.contains(text))
    assert sql_of(expression(Computer.id, OP.GTE, 3)) == sql_of(Computer.id >= 3)
    assert sql_of(expression(Computer.id, OP.IN, [1, 2])) == sql_of(Computer.id.in_([1, 2]))


def test_ids_where_gives_independent_queries(ql_sqlite):
    tagged = ids_where(ComputerTag.computer)
    first, second = tagged(ComputerTag.name == "a"), tagged(ComputerTag.name == "b")
    assert first is not second and hash(first) != hash(second)
    assert hash(first) == first._get_hash()  # what Peewee's own copies would have
    assert first.sql() == ('SELECT "t1"."computer_id" FROM "computer_tag" AS "t1" '
                           'WHERE ("t1"."name" = ?)', ["a"])
    # Peewee's own methods on one copy change neither the other copies nor the base query.
    joined = first.join(Computer).where(Computer.id == 1)
    assert joined.sql()[1] == ["a", 1]
    assert first.sql()[1] == ["a"] and second.sql()[1] == ["b"]
    assert tagged(ComputerTag.name == "c").sql() == (
        'SELECT "t1"."computer_id" FROM "computer_tag" AS "t1" WHERE ("t1"."name" = ?)', ["c"])
