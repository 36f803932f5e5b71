"""pkgdb2 reads at ``/pkgdb/api/``: authentication (bearer, Basic, public catalogue, 401),
the ``notok`` envelope of every read route's error paths and pkgdb2's 404 bodies."""
from __future__ import annotations

import base64

import pytest

from app import directory
from app.fixtures import import_fixture

from .conftest import login_as
from .pkgdb2_seed import document

AUTH_REQUIRED = {"output": "notok", "error": "Authentication required"}


@pytest.fixture
def seeded(app):
    """The seed's catalogue; anonymous reads see the ``guake`` account's."""
    import_fixture(document())
    app.config["PUBLIC_CATALOGUE"] = "guake"
    return app


def basic(user: str, password: str) -> dict[str, str]:
    pair = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {pair}"}


def get(client, path: str, **kwargs):
    answer = client.get("/pkgdb/api" + path, **kwargs)
    return answer.status_code, answer.get_json()


# --- authentication ----------------------------------------------------------------------------


def test_an_anonymous_read_without_a_public_catalogue_is_401(client, tenant):
    assert get(client, "/collections/") == (401, AUTH_REQUIRED)


def test_the_version_needs_no_credentials(client):
    assert get(client, "/version") == (200, {"version": "1.23"})


def test_a_bearer_token_reads_its_own_accounts_catalogue(seeded, client, v2, tenant):
    token = login_as(v2, tenant, "auditor")
    status, body = get(client, "/collections/", headers={"Authorization": f"Bearer {token}"})
    assert (status, body) == (200, {"collections": [], "output": "ok"})


def test_http_basic_email_and_password_reads_the_persons_catalogue(seeded, client, tenant):
    status, body = get(client, "/packages/", headers=basic("auditor@acme.example",
                                                          "pw-auditor"))
    assert status == 404
    assert body["error"] == "No packages found for these parameters"


def test_http_basic_username_and_password_reads_the_persons_catalogue(seeded, client,
                                                                       tenant):
    status, body = get(client, "/collections/", headers=basic("auditor-acme", "pw-auditor"))
    assert (status, body) == (200, {"collections": [], "output": "ok"})


def test_http_basic_with_a_username_of_several_accounts_is_401(seeded, client, tenant,
                                                               make_tenant):
    other = make_tenant("other")
    directory.create_person(other.account, email="twin@other.example", name="Twin",
                            username="auditor-acme", role="auditor",
                            password=None, password_hash=tenant.persons["auditor"].password_hash)
    assert get(client, "/collections/", headers=basic("auditor-acme", "pw-auditor")) == (
        401, {"output": "notok", "error": "Invalid username or password"})
    status, _ = get(client, "/collections/", headers=basic("auditor@acme.example",
                                                           "pw-auditor"))
    assert status == 200


def test_http_basic_username_with_a_wrong_password_is_401(seeded, client, tenant):
    assert get(client, "/collections/", headers=basic("auditor-acme", "nope")) == (
        401, {"output": "notok", "error": "Invalid username or password"})


def test_http_basic_with_a_wrong_password_is_401_in_the_envelope(seeded, client, tenant):
    assert get(client, "/collections/", headers=basic("auditor@acme.example", "nope")) == (
        401, {"output": "notok", "error": "Invalid email or password"})


def test_a_bad_bearer_token_is_401_even_with_a_public_catalogue(seeded, client):
    assert get(client, "/collections/", headers={"Authorization": "Bearer forged"}) == (
        401, {"output": "notok", "error": "Invalid or expired token"})


def test_anonymous_reads_see_the_public_catalogue(seeded, client):
    status, body = get(client, "/collections/")
    assert status == 200
    assert [c["branchname"] for c in body["collections"]] == ["master"]


# --- envelopes of the read routes ----------------------------------------------------------


def test_an_unknown_path_is_404_in_the_envelope(seeded, client):
    status, body = get(client, "/nowhere/")
    assert status == 404 and body["output"] == "notok" and body["error"]


def test_a_wrong_method_is_405_in_the_envelope(seeded, client):
    answer = client.delete("/pkgdb/api/collections/")
    assert answer.status_code == 405
    assert answer.get_json()["output"] == "notok"


def test_an_unknown_package_is_404(seeded, client):
    assert get(client, "/package/nope/") == (
        404, {"output": "notok", "error": "Package: rpms/nope not found"})
    assert get(client, "/package/?pkgname=nope&namespace=docker") == (
        404, {"output": "notok", "error": "Package: docker/nope not found"})


def test_a_package_not_on_the_branches_asked_is_404(seeded, client):
    assert get(client, "/package/guake/?branches=f20&branches=el6") == (
        404, {"output": "notok", "error": "No package found on these branches: f20, el6"})


def test_a_package_info_without_a_name_lists_the_missing_field(seeded, client):
    assert get(client, "/package/") == (400, {
        "output": "notok", "error": "Invalid input submitted",
        "error_detail": ["pkgname: This field is required."]})


def test_no_package_found_is_pkgdb2s_404_body(seeded, client):
    assert get(client, "/packages/nothing*/") == (404, {
        "output": "notok", "packages": [], "error": "No packages found for these parameters",
        "page": 1, "page_total": 1})


def test_a_page_that_is_not_a_number_is_wrong(seeded, client):
    assert get(client, "/packages/?page=two") == (400, {
        "output": "notok", "error": "Wrong page provided", "page": 1, "page_total": 1})


def test_packages_count(seeded, client):
    assert get(client, "/packages/?count=yes") == (
        200, {"output": "ok", "packages": 1, "page": 1, "page_total": 1})


def test_packager_routes_without_a_name_are_invalid_requests(seeded, client):
    assert get(client, "/packager/acl/") == (400, {
        "output": "notok", "error": "Invalid request", "page": 1, "page_total": 1})
    assert get(client, "/packager/stats/") == (
        400, {"output": "notok", "error": "Invalid request"})
    assert get(client, "/packager/package/") == (404, {
        "output": "notok", "error": "No ACLs found for that user",
        "point of contact": [], "co-maintained": [], "watch": []})


def test_an_unknown_acl_name_is_an_invalid_request(seeded, client):
    assert get(client, "/packager/acl/pingou/?acls=commit&acls=push") == (400, {
        "output": "notok", "error": 'Invalid request, "push" is an invalid acl',
        "page": 1, "page_total": 1})


def test_packager_acl_count(seeded, client):
    assert get(client, "/packager/acl/?packagername=pingou&count=1") == (
        200, {"output": "ok", "acls_count": 4, "page": 1, "page_total": 1})


def test_no_admin_action_is_pkgdb2s_404_body(seeded, client):
    assert get(client, "/admin/actions/?action=request.branch") == (404, {
        "output": "notok", "actions": [], "error": "No actions found for these parameters",
        "page": 1, "page_total": 1})


@pytest.mark.parametrize("path", ["/admin/action/", "/admin/action/7", "/admin/action/seven",
                                  "/admin/action/?actionid=x"])
def test_a_missing_bad_or_unknown_admin_action_id_is_404(seeded, client, path):
    assert get(client, path) == (
        404, {"output": "notok", "error": "No Admin action with this identifier found"})


def test_an_unknown_collection_status_lists_the_field(seeded, client):
    status, body = get(client, "/collections/?clt_status=Frozen")
    assert status == 400
    assert body == {"output": "notok", "error": "Invalid input submitted",
                    "error_detail": ["clt_status: 'Frozen' is not a valid choice for this "
                                     "field"]}
