"""pkgdb2's extras at ``/pkgdb/api/``: text where pkgdb2 served text (bugzilla, notify, vcs),
JSON with ``?format=json`` or ``Accept: application/json``; the JSON reports in the ``ok``
envelope."""
from __future__ import annotations

import pytest

from ..catalogue.conftest import Catalogue, catalogue  # noqa: F401


@pytest.fixture
def reports(app, catalogue):  # noqa: F811
    """guake (POC manager-acme, critpath on master) with a group watcher on f20."""
    guake = catalogue.package("guake", ("master", "f20"), critpath=True)
    catalogue.acl(guake, "f20", "group::gnome-sig", "watchbugzilla")
    catalogue.acl(guake, "master", "group::gnome-sig", "commit")
    app.config["PUBLIC_CATALOGUE"] = "acme"
    return catalogue


def get(client, path: str, **kwargs):
    return client.get("/pkgdb/api" + path, **kwargs)


def test_bugzilla_is_text_by_default(client, reports):
    answer = get(client, "/bugzilla")
    assert answer.mimetype == "text/plain"
    lines = answer.get_data(as_text=True).splitlines()
    assert lines[0] == "# Package Database VCS Acls"
    assert lines[-1] == "Fedora|guake|The guake package|manager-acme||@gnome-sig"


def test_bugzilla_as_json(client, reports):
    body = get(client, "/bugzilla?format=json").get_json()
    assert body["output"] == "ok"
    assert body["bugzillaAcls"] == {"Fedora": {"guake": {
        "owner": "manager-acme", "cclist": {"groups": ["@gnome-sig"], "people": []},
        "qacontact": None, "summary": "The guake package"}}}


def test_notify_as_text_and_json(client, reports):
    assert get(client, "/notify").get_data(as_text=True) == (
        "guake|group::gnome-sig,manager-acme\n")
    body = get(client, "/notify/", headers={"Accept": "application/json"}).get_json()
    assert body["packages"] == {"guake": ["group::gnome-sig", "manager-acme"]}
    assert body["output"] == "ok"


def test_vcs_as_text(client, reports):
    text = get(client, "/vcs").get_data(as_text=True)
    assert "avail | @provenpackager,@gnome-sig,manager-acme | rpms/guake/master\n" in text
    assert "avail | @provenpackager,manager-acme | rpms/guake/f20\n" in text


def test_critpath_is_json_by_default_and_text_on_request(client, reports):
    assert get(client, "/critpath").get_json() == {
        "pkgs": {"master": ["guake"], "f20": ["guake"]}, "output": "ok"}
    assert get(client, "/critpath?format=text").get_data(as_text=True) == (
        "== f20 ==\n* guake\n== master ==\n* guake\n")


def test_monitored_as_text(client, reports):
    assert get(client, "/monitored?format=text").get_data(as_text=True) == (
        "# Number of packages: 1\nguake\n")


@pytest.mark.parametrize("path, expected", [
    ("/groups", {"groups": ["gnome-sig"], "total_groups": 1}),
    ("/koschei", {"packages": [], "total_packages": 0}),
    ("/retired", {"collection": "Fedora", "packages": [], "total_packages": 0}),
    ("/pendingacls", {"pending_acls": [], "total_requests_pending": 0}),
])
def test_the_json_reports(client, reports, path, expected):
    assert get(client, path).get_json() == {**expected, "output": "ok"}


def test_a_bad_format_is_ignored_as_in_pkgdb2(client, reports):
    assert get(client, "/groups?format=xml").get_json()["output"] == "ok"


def test_extras_need_credentials_without_a_public_catalogue(app, client, reports):
    app.config["PUBLIC_CATALOGUE"] = None
    answer = get(client, "/bugzilla")
    assert answer.status_code == 401
    assert answer.get_json() == {"output": "notok", "error": "Authentication required"}


# --- /pkgrequest/<bzid>: the package request citing a Bugzilla ticket ---------------------

NO_REQUEST = {"output": "notok", "error": "No package request found for this bugzilla ticket"}


@pytest.fixture
def requested(reports):
    """packager2's request of tilix on f21 and master, reviewed in bug 1234."""
    for branch in ("f21", "master"):
        reports.action("request.package", "packager2", branch, info={
            "pkg_name": "tilix", "pkg_summary": "Tiling terminal", "pkg_description": "Tiles",
            "pkg_review_url": "https://bugzilla.redhat.com/show_bug.cgi?id=1234",
            "pkg_upstream_url": "https://gnunn1.github.io/tilix", "pkg_namespace": "rpms",
            "pkg_collection": branch, "monitoring_status": True, "koschei": False})
    return reports


@pytest.mark.parametrize("path", ["/pkgrequest/1234", "/pkgrequest/1234/"])
def test_a_package_request_by_its_bugzilla_ticket(client, requested, path):
    answer = get(client, path)
    assert answer.status_code == 200
    body = answer.get_json()
    assert [request["branch"] for request in body.pop("requests")] == ["f21", "master"]
    assert body == {
        "output": "ok", "bzid": 1234, "name": "tilix", "namespace": "rpms",
        "summary": "Tiling terminal", "description": "Tiles",
        "review_url": "https://bugzilla.redhat.com/show_bug.cgi?id=1234",
        "upstream_url": "https://gnunn1.github.io/tilix", "monitoring_status": True,
        "koschei": False, "branches": ["f21", "master"], "status": "Awaiting Review",
        "user": "packager2", "date_created": 1400063778.0}


def test_no_request_for_the_ticket_is_404(client, requested):
    answer = get(client, "/pkgrequest/4321")
    assert (answer.status_code, answer.get_json()) == (404, NO_REQUEST)


@pytest.mark.parametrize("bzid", ["abc", "0", "12.5"])
def test_a_bzid_that_is_no_number_is_400(client, requested, bzid):
    answer = get(client, f"/pkgrequest/{bzid}")
    body = answer.get_json()
    assert answer.status_code == 400
    assert body["output"] == "notok" and body["error"] == "Invalid input submitted"
    assert [line.partition(":")[0] for line in body["error_detail"]] == ["bzid"]


def test_a_package_request_needs_credentials_without_a_public_catalogue(app, client,
                                                                        requested):
    app.config["PUBLIC_CATALOGUE"] = None
    answer = get(client, "/pkgrequest/1234")
    assert (answer.status_code, answer.get_json()) == (
        401, {"output": "notok", "error": "Authentication required"})
