"""GetCollections, CreateCollection, SetCollectionStatus."""
from __future__ import annotations

import re

from app.models import Collection

from .conftest import log_lines

F20 = {"name": "Fedora", "version": "20", "branchname": "f20", "status": "Active",
       "koji_name": "f20", "dist_tag": ".f20", "allow_retire": False}
DATE = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\Z")


def _branches(answer) -> list[str]:
    return [c["branchname"] for c in answer.body["collections"]]


def test_collections_are_listed_by_name_with_pkgdb2_fields(api, tenant, catalogue):
    answer = api.call("GetCollections", key=tenant.auditor)
    assert answer.status == 200
    assert _branches(answer) == ["master", "f21", "f20", "f19", "f17", "el6"]
    f20 = answer.body["collections"][2]
    assert {k: v for k, v in f20.items() if not k.startswith("date_")} == F20
    assert DATE.match(f20["date_created"]) and DATE.match(f20["date_updated"])


def test_pattern_lists_matching_branches_by_branchname(api, tenant, catalogue):
    answer = api.call("GetCollections", key=tenant.auditor, pattern="f*")
    assert _branches(answer) == ["f17", "f19", "f20", "f21"]
    assert _branches(api.call("GetCollections", key=tenant.auditor, pattern="f2?")) == [
        "f20", "f21"]
    assert _branches(api.call("GetCollections", key=tenant.auditor, pattern="f2")) == []


def test_statuses_concatenate_one_search_per_status(api, tenant, catalogue):
    answer = api.call("GetCollections", key=tenant.auditor, clt_status=["EOL", "Active"])
    assert _branches(answer) == ["f17", "el6", "f19", "f20", "f21"]


def test_sql_wildcards_in_patterns_are_literal(api, tenant, catalogue):
    catalogue.collection("f_x", version="x")
    assert _branches(api.call("GetCollections", key=tenant.auditor, pattern="f_*")) == ["f_x"]
    assert _branches(api.call("GetCollections", key=tenant.auditor, pattern="%")) == []
    assert _branches(api.call("GetCollections", key=tenant.auditor, pattern="f%")) == []


def test_query_filters_collections(api, tenant, catalogue):
    answer = api.call("GetCollections", key=tenant.auditor,
                      query='status:active name:"Fedora EPEL" OR branch:f1*')
    assert _branches(answer) == ["f19", "el6"]  # by name


def test_bad_query_is_invalid_query(api, tenant, catalogue):
    answer = api.call("GetCollections", key=tenant.auditor, query="stauts:EOL")
    assert answer.status == 400
    assert answer.body["error"] == "InvalidQuery"
    assert answer.body["message"] == "Unknown criterion 'stauts'. Did you mean 'status'?"


def test_unknown_status_is_refused(api, tenant, catalogue):
    answer = api.call("GetCollections", key=tenant.auditor, clt_status=["Dead"])
    assert (answer.status, answer.body) == (400, {
        "error": "InvalidParameterValue",
        "message": "Invalid clt_status.1 value Dead: 'Dead' is not a valid choice for this field"})


def test_collections_of_another_account_are_invisible(api, tenant, catalogue, make_tenant):
    other = make_tenant("other")
    assert api.call("GetCollections", key=other.auditor).body == {"collections": []}


def _create(api, key, **overrides):
    arguments = {"clt_name": "Fedora", "clt_version": "22", "clt_status": "Under Development",
                 "branchname": "f22", "dist_tag": ".fc22", "kojiname": "f22"}
    arguments.update(overrides)
    return api.call("CreateCollection", key=key, **arguments)


def test_admin_creates_a_collection(api, tenant, catalogue):
    answer = _create(api, tenant.admin, allow_retire=True)
    assert (answer.status, answer.body) == (200, {"messages": ['Collection "f22" created']})
    created = Collection.get(Collection.branchname == "f22")
    assert (created.name, created.version, created.status, created.dist_tag,
            created.koji_name, created.allow_retire) == (
        "Fedora", "22", "Under Development", ".fc22", "f22", True)
    assert log_lines(tenant.account) == ['Collection "f22" created']


def test_allow_retire_defaults_to_false(api, tenant, catalogue):
    _create(api, tenant.admin)
    assert Collection.get(Collection.branchname == "f22").allow_retire is False


def test_duplicates_are_conflicts(api, tenant, catalogue):
    for overrides, what in (({"branchname": "f20"}, "branchname"),
                            ({"dist_tag": ".f20"}, "dist_tag"),
                            ({"clt_version": "20"}, "name and version")):
        answer = _create(api, tenant.admin, **overrides)
        assert (answer.status, answer.body) == (409, {
            "error": "DuplicateCollection",
            "message": "Could not add Collection to the database: a collection with this "
                       f"{what} already exists"})


def test_same_branch_in_another_account_is_not_a_duplicate(api, tenant, catalogue,
                                                          make_tenant):
    other = make_tenant("other")
    assert _create(api, other.admin, branchname="f20", dist_tag=".f20").status == 200


def test_creating_needs_the_admin_role(api, tenant, catalogue):
    answer = _create(api, tenant.manager)
    assert (answer.status, answer.error) == (403, "Unauthorised")


def test_missing_and_empty_fields_are_refused(api, tenant, catalogue):
    answer = api.call("CreateCollection", key=tenant.admin, clt_name="Fedora")
    assert answer.status == 400 and answer.error == "MissingParameter"
    answer = _create(api, tenant.admin, clt_version="")
    assert answer.body == {"error": "InvalidParameterValue",
                           "message": "Invalid clt_version value : This field is required"}


def test_status_change_reports_old_and_new(api, tenant, catalogue):
    answer = api.call("SetCollectionStatus", key=tenant.admin, branch="f19", clt_status="EOL")
    assert (answer.status, answer.body) == (200, {
        "messages": ['Collection updated from "Active" to "EOL"']})
    assert Collection.get(Collection.branchname == "f19").status == "EOL"
    again = api.call("SetCollectionStatus", key=tenant.admin, branch="f19", clt_status="EOL")
    assert again.body == {"messages": ['Collection "f19" already had this status']}
    assert log_lines(tenant.account) == ['Collection updated from "Active" to "EOL"']


def test_status_change_of_an_unknown_collection(api, tenant, catalogue, make_tenant):
    other = make_tenant("other")
    answer = api.call("SetCollectionStatus", key=other.admin, branch="f19", clt_status="EOL")
    assert (answer.status, answer.body) == (404, {
        "error": "UnknownCollection", "message": 'Could not find collection "f19"'})
