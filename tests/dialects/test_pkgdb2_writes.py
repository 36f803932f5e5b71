"""pkgdb2 writes at ``/pkgdb/api/``: form bodies with repeated keys, paths with and without
the trailing slash, credentials always required, the catalogue's permissions, and the
``notok`` envelope of every error path (missing fields, unknown entities, refusals,
all-or-nothing bulk refusals listing every failing item)."""
from __future__ import annotations

import base64
import re

import pytest
from werkzeug.datastructures import MultiDict

from app.dialects import pkgdb2
from app.models import Collection, Package, PackageListing

from ..catalogue.conftest import Catalogue, catalogue, listing_state  # noqa: F401

AUTH_REQUIRED = {"output": "notok", "error": "Authentication required"}


def basic(role: str, tenant: str = "acme") -> dict[str, str]:
    pair = base64.b64encode(f"{role}@{tenant}.example:pw-{role}".encode()).decode()
    return {"Authorization": f"Basic {pair}"}


def post(client, path: str, form: dict | list | None = None, role: str | None = "admin"):
    answer = client.post("/pkgdb/api" + path, data=MultiDict(form or {}),
                         headers=basic(role) if role else {})
    return answer.status_code, answer.get_json()


@pytest.fixture
def guake(catalogue):  # noqa: F811
    return catalogue.package("guake", ("master", "f20"))


# --- credentials and permissions ------------------------------------------------------------


def test_a_write_without_credentials_is_401_even_with_a_public_catalogue(app, client,
                                                                          catalogue):  # noqa: F811
    app.config["PUBLIC_CATALOGUE"] = "acme"
    assert post(client, "/package/orphan/", {"pkgnames": "guake", "branches": "f20"},
                role=None) == (401, AUTH_REQUIRED)


def test_a_role_below_the_actions_is_403(client, catalogue):  # noqa: F811
    status, body = post(client, "/collection/new/", {"clt_name": "Fedora"}, role="auditor")
    assert status == 403 and body["output"] == "notok"


# --- collections ------------------------------------------------------------------------------

NEW_COLLECTION = {"clt_name": "Fedora", "version": "22", "clt_status": "Active",
                  "branchname": "f22", "dist_tag": ".fc22", "kojiname": "f22"}


@pytest.mark.parametrize("path", ["/collection/new/", "/collection/new"])
def test_a_collection_is_created_with_or_without_the_trailing_slash(client, catalogue,  # noqa: F811
                                                                    path):
    assert post(client, path, NEW_COLLECTION) == (
        200, {"output": "ok", "messages": ['Collection "f22" created']})
    assert Collection.get(Collection.branchname == "f22").koji_name == "f22"


def test_missing_collection_fields_are_listed(client, catalogue):  # noqa: F811
    status, body = post(client, "/collection/new/", {"clt_name": "Fedora"})
    assert status == 400
    assert body["output"] == "notok" and body["error"] == "Invalid input submitted"
    assert set(body["error_detail"]) == {
        f"{field}: This field is required." for field in
        ("version", "clt_status", "branchname", "dist_tag", "kojiname")}


def test_a_collection_status_change(client, catalogue):  # noqa: F811
    assert post(client, "/collection/f19/status/", {"branch": "f19", "clt_status": "EOL"}) == (
        200, {"output": "ok", "messages": ['Collection updated from "Active" to "EOL"']})


def test_a_collection_status_change_of_another_branch_is_refused(client, catalogue):  # noqa: F811
    assert post(client, "/collection/f19/status/", {"branch": "f20", "clt_status": "EOL"}) == (
        400, {"output": "notok", "error": "You're trying to update the wrong collection"})


def test_an_unknown_collection_is_404(client, catalogue):  # noqa: F811
    status, body = post(client, "/collection/f99/status/", {"clt_status": "EOL"})
    assert status == 404
    assert body == {"output": "notok", "error": 'Could not find collection "f99"'}


# --- packages ---------------------------------------------------------------------------------


def test_orphaning_with_repeated_form_keys(client, catalogue, guake):  # noqa: F811
    status, body = post(client, "/package/orphan/",
                        [("pkgnames", "guake"), ("branches", "master"), ("branches", "f20")],
                        role="manager")
    assert status == 200 and body["output"] == "ok"
    assert len(body["messages"]) == 2
    assert listing_state(guake, "f20") == ("orphan", "Orphaned")


def test_orphan_without_its_fields_lists_them(client, catalogue):  # noqa: F811
    status, body = post(client, "/package/orphan/", {}, role="manager")
    assert status == 400
    assert set(body["error_detail"]) == {"pkgnames: This field is required.",
                                         "branches: This field is required."}


def test_a_bulk_refusal_lists_every_failing_item_and_changes_nothing(client, catalogue,  # noqa: F811
                                                                     guake):
    status, body = post(client, "/package/orphan/",
                        [("pkgnames", "guake"), ("pkgnames", "nope"), ("branches", "f20"),
                         ("branches", "f99")], role="manager")
    assert (status, body["output"]) == (404, "notok")
    assert body["error"] == ["No collection found by the name of f99",
                             "No package found by this name"]
    assert [failure["id"] for failure in body["failures"]] == [
        "rpms/guake@f99", "rpms/nope@f20", "rpms/nope@f99"]
    assert listing_state(guake, "f20") == ("manager-acme", "Approved")


def test_orphaning_someone_elses_package_is_403(client, catalogue):  # noqa: F811
    catalogue.package("tilda", ("f20",), poc="admin-acme")
    status, body = post(client, "/package/orphan/", {"pkgnames": "tilda", "branches": "f20"},
                        role="manager")
    assert status == 403
    reason = "You are not allowed to change the point of contact."
    assert body == {"output": "notok", "error": reason,
                    "failures": [{"id": "rpms/tilda@f20", "message": reason}]}


@pytest.mark.parametrize("path", ["/package/guake/monitor/nobuild",
                                  "/package/rpms/guake/monitor/nobuild"])
def test_the_monitor_flag_from_the_path(client, catalogue, guake, path):  # noqa: F811
    assert post(client, path, role="manager") == (
        200, {"output": "ok", "messages": "Monitoring status of rpms/guake set to nobuild"})
    assert Package.get_by_id(guake.id).monitor == "nobuild"


def test_the_monitor_flag_of_an_unknown_package_is_404(client, catalogue):  # noqa: F811
    assert post(client, "/package/nope/monitor/1", role="manager") == (
        404, {"output": "notok", "error": "No package found by this name"})


def test_the_koschei_flag(client, catalogue, guake):  # noqa: F811
    assert post(client, "/package/guake/koschei/true", role="manager") == (
        200, {"output": "ok", "messages": "Koschei monitoring status of rpms/guake set to True"})


def test_critpath_of_an_unknown_package_is_refused(client, catalogue, guake):  # noqa: F811
    status, body = post(client, "/package/critpath/",
                        {"pkgnames": "nope", "branches": "f20", "critpath": "1"})
    assert status == 404
    reason = "No package found by this name: rpms/nope"
    assert body == {"output": "notok", "error": reason,
                    "failures": [{"id": "rpms/nope@f20", "message": reason}]}


def test_package_acl_request(client, catalogue, guake):  # noqa: F811
    catalogue.person("ralph")
    status, body = post(client, "/package/acl/",
                        {"pkgname": "guake", "branches": "f20", "acl": "watchcommits",
                         "acl_status": "Approved", "user": "ralph"}, role="manager")
    assert status == 200, body
    assert body["output"] == "ok" and len(body["messages"]) == 1


def test_a_branch_request_for_an_unknown_package_is_404(client, catalogue):  # noqa: F811
    assert post(client, "/request/branch/nope", {"branches": "f20"}, role="manager") == (
        404, {"output": "notok", "error": "No package found: rpms/nope"})


def test_an_unknown_admin_action_is_404(client, catalogue):  # noqa: F811
    assert post(client, "/admin/action/status", {"id": "42", "status": "Denied"}) == (
        404, {"output": "notok", "error": "No Admin action with this identifier found"})


# --- every write route's error paths -----------------------------------------------------

#: sample values of the path variables of the write routes
_PATH_VALUES = {"url_branch": "f20", "pkgname": "guake", "namespace": "rpms", "status": "1"}
WRITE_ROUTES = [route for route in pkgdb2.ROUTES if route.method == "POST"]
#: the routes with required form fields (monitor and koschei take only ``namespace``)
FORM_ROUTES = [route for route in WRITE_ROUTES if route.body is not None
               and any(field.required for field in route.body._declared_fields.values())]


def _concrete(path: str) -> str:
    return re.sub(r"<(\w+)>", lambda match: _PATH_VALUES[match[1]], path)


@pytest.mark.parametrize("route", FORM_ROUTES, ids=[r.path for r in FORM_ROUTES])
def test_every_write_route_lists_its_missing_fields(client, catalogue, guake,  # noqa: F811
                                                    route):
    required = {name for name, field in route.body._declared_fields.items() if field.required}
    if route.action == "SetCollectionStatus":
        required.discard("branch")  # the URL's branch by default
    status, body = post(client, _concrete(route.path), {})
    assert (status, body["output"], body["error"]) == (400, "notok", "Invalid input submitted")
    assert set(body["error_detail"]) == {f"{name}: This field is required."
                                         for name in required}


@pytest.mark.parametrize("route", WRITE_ROUTES, ids=[r.path for r in WRITE_ROUTES])
def test_every_write_route_refuses_an_auditor(client, catalogue, guake, route):  # noqa: F811
    status, body = post(client, _concrete(route.path), {}, role="auditor")
    assert status == 403 and body["output"] == "notok"
    assert isinstance(body["error"], str) and body["error"]


BULK_REFUSALS = [
    ("/package/unorphan/", [("poc", "manager-acme")], "manager", 400, [
        ("rpms/guake@f20", 'Package "rpms/guake" is not orphaned on f20'),
        ("rpms/guake@f99", "No collection found by this name"),
        ("rpms/nope@f20", "No package found by this name"),
        ("rpms/nope@f99", "No package found by this name")]),
    ("/package/retire/", [], "admin", 404, [
        ("rpms/guake@f99", "No collection found by this name"),
        ("rpms/nope@f20", "No package found by this name"),
        ("rpms/nope@f99", "No package found by this name")]),
    ("/package/unretire/", [], "admin", 400, [
        ("rpms/guake@f20", 'Package "rpms/guake" is not retired on f20'),
        ("rpms/guake@f99", "No collection found by this name"),
        ("rpms/nope@f20", "No package found by this name"),
        ("rpms/nope@f99", "No package found by this name")]),
    ("/package/critpath/", [("critpath", "1")], "admin", 404, [
        ("rpms/guake@f99", "No collection found by the name of f99"),
        ("rpms/nope@f20", "No package found by this name: rpms/nope"),
        ("rpms/nope@f99", "No package found by this name: rpms/nope")]),
    ("/package/acl/reassign/", [("namespace", "rpms"), ("poc", "admin-acme")], "admin", 404, [
        ("rpms/guake@f99", "No collection found by the name of f99"),
        ("rpms/nope@f20", "No package found by this name"),
        ("rpms/nope@f99", "No package found by this name")]),
]


@pytest.mark.parametrize("path, extra, role, status, failures", BULK_REFUSALS,
                         ids=[case[0] for case in BULK_REFUSALS])
def test_each_bulk_refusal_lists_every_failing_item_and_changes_nothing(
        client, catalogue, guake, path, extra, role, status, failures):  # noqa: F811
    form = [("pkgnames", "guake"), ("pkgnames", "nope"), ("branches", "f20"),
            ("branches", "f99"), *extra]
    answer_status, body = post(client, path, form, role=role)
    assert (answer_status, body["output"]) == (status, "notok")
    assert [(f["id"], f["message"]) for f in body["failures"]] == failures
    assert body["error"] == list(dict.fromkeys(message for _, message in failures))
    assert listing_state(guake, "f20") == ("manager-acme", "Approved")
    assert not Package.get_by_id(guake.id).listings.join(Collection).where(
        PackageListing.critpath).exists()


@pytest.mark.parametrize("path, form, body", [
    ("/package/edit/", {"pkgname": "nope", "summary": "x"},
     {"output": "notok", "error": "No package of this name found"}),
    ("/package/acl/", {"pkgname": "nope", "branches": "f20", "acl": "commit",
                       "acl_status": "Approved", "user": "manager-acme"},
     {"output": "notok", "error": "No package found by this name"}),
])
def test_an_unknown_package_is_404(client, catalogue, path, form, body):  # noqa: F811
    assert post(client, path, form) == (404, body)


@pytest.mark.parametrize("path, form", [
    ("/package/acl/", {"pkgname": "guake", "branches": "f99", "acl": "commit",
                       "acl_status": "Approved", "user": "manager-acme"}),
    ("/package/new/", {"pkgname": "tilix", "summary": "s", "review_url": "1",
                       "status": "Approved", "branches": "f99", "poc": "manager-acme"}),
    ("/request/package", {"pkgname": "tilix", "summary": "s", "review_url": "1",
                          "branches": "f99"}),
    ("/request/branch/guake", {"branches": "f99"}),
])
def test_an_unknown_branch_is_an_invalid_choice(client, catalogue, guake, path,  # noqa: F811
                                                form):
    assert post(client, path, form) == (400, {
        "output": "notok", "error": "Invalid input submitted",
        "error_detail": ["branches: 'f99' is not a valid choice for this field"]})


def test_an_existing_package_or_collection_is_409(client, catalogue, guake):  # noqa: F811
    assert post(client, "/package/new/", {
        "pkgname": "guake", "summary": "s", "review_url": "1", "status": "Approved",
        "branches": "f20", "poc": "manager-acme"}) == (
        409, {"output": "notok", "error": "Could not create package: rpms/guake already exists"})
    assert post(client, "/collection/new/", {**NEW_COLLECTION, "branchname": "f20"})[0] == 409
