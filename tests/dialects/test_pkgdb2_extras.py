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
