"""GetPackageRequest: the newest package request of the caller's account whose review URL
refers to a Bugzilla ticket (pkgdb2's ``/api/pkgrequest/<bzid>``, from the catalogue)."""
from __future__ import annotations

import pytest

from app.models import AdminAction

from .conftest import T0

NOT_FOUND = {"error": "UnknownPackageRequest",
             "message": "No package request found for this bugzilla ticket"}


def _info(name: str, review_url: str | None, **more) -> dict:
    return {"pkg_name": name, "pkg_summary": f"The {name} package", "pkg_description": None,
            "pkg_status": "Approved", "pkg_poc": "packager2", "pkg_review_url": review_url,
            "pkg_upstream_url": more.pop("upstream_url", None), "pkg_critpath": False,
            "pkg_namespace": "rpms", "monitoring_status": True, "koschei": False,
            "co-maintainers": [], **more}


def _requested(catalogue, name: str, review_url: str | None, branches=("f21", "master"),
               when: float = T0, user: str = "packager2", **more) -> list[AdminAction]:
    return [catalogue.action("request.package", user, branch, date_created=when,
                             info=_info(name, review_url, pkg_collection=branch, **more))
            for branch in branches]


def test_a_requests_answer_is_the_requested_package(api, tenant, catalogue):
    answer = api.call("RequestPackage", key=tenant.manager, pkgname="tilix",
                      summary="Tiling terminal", review_url="1234", branches=["f21", "el6"],
                      upstream_url="https://gnunn1.github.io/tilix")
    assert answer.status == 200, answer.body
    ids = [action.id for action in AdminAction.select().order_by(AdminAction.id)]
    answer = api.call("GetPackageRequest", key=tenant.auditor, bzid=1234)
    assert answer.status == 200, answer.body
    assert answer.body.pop("date_created") > T0
    assert answer.body == {
        "bzid": 1234, "name": "tilix", "namespace": "rpms", "summary": "Tiling terminal",
        "description": None, "review_url": "https://bugzilla.redhat.com/1234",
        "upstream_url": "https://gnunn1.github.io/tilix", "monitoring_status": True,
        "koschei": False, "branches": ["f21", "el6", "master"], "status": "Awaiting Review",
        "user": "manager-acme",
        "requests": [{"id": ids[0], "branch": "f21", "status": "Awaiting Review"},
                     {"id": ids[1], "branch": "el6", "status": "Awaiting Review"},
                     {"id": ids[2], "branch": "master", "status": "Awaiting Review"}]}


@pytest.mark.parametrize("review_url", [
    "https://bugzilla.redhat.com/1234",
    "https://bugzilla.redhat.com/show_bug.cgi?id=1234",
    "https://bugs.example.org/review/1234",
    "http://tracker.example/bug?project=x&id=1234",
])
def test_the_review_url_forms_that_cite_a_ticket(api, tenant, catalogue, review_url):
    _requested(catalogue, "tilix", review_url)
    answer = api.call("GetPackageRequest", key=tenant.auditor, bzid="1234")
    assert answer.status == 200, answer.body
    assert (answer.body["name"], answer.body["review_url"]) == ("tilix", review_url)


@pytest.mark.parametrize("review_url", [
    "https://bugzilla.redhat.com/11234",
    "https://bugzilla.redhat.com/12345",
    "https://bugzilla.redhat.com/show_bug.cgi?id=91234",
    "https://example.org/pr1234",
    None,
])
def test_urls_that_only_contain_the_number_do_not_cite_it(api, tenant, catalogue, review_url):
    # the upstream URL ends in /1234 too: only the review URL counts
    _requested(catalogue, "tilix", review_url, upstream_url="https://example.org/1234")
    answer = api.call("GetPackageRequest", key=tenant.auditor, bzid=1234)
    assert (answer.status, answer.body) == (404, NOT_FOUND)


def test_the_newest_request_wins_and_keeps_its_own_branches(api, tenant, catalogue):
    _requested(catalogue, "old-name", "https://bugzilla.redhat.com/77", ("f20", "master"))
    newer = _requested(catalogue, "new-name", "https://bugzilla.redhat.com/show_bug.cgi?id=77",
                       ("el6", "master"), when=T0 + 60)
    AdminAction.update(status="Denied").where(AdminAction.id == newer[1].id).execute()
    answer = api.call("GetPackageRequest", key=tenant.auditor, bzid=77)
    assert answer.status == 200, answer.body
    assert (answer.body["name"], answer.body["branches"], answer.body["status"]) == (
        "new-name", ["el6", "master"], "Denied")
    assert answer.body["requests"] == [
        {"id": newer[0].id, "branch": "el6", "status": "Awaiting Review"},
        {"id": newer[1].id, "branch": "master", "status": "Denied"}]


def test_branch_requests_and_other_accounts_are_not_package_requests(api, tenant, catalogue,
                                                                    make_tenant):
    catalogue.action("request.branch", "packager2", "f21",
                     info=_info("tilix", "https://bugzilla.redhat.com/5"))
    other = make_tenant("other")
    assert api.call("GetPackageRequest", key=other.auditor, bzid=5).body == NOT_FOUND
    answer = api.call("GetPackageRequest", key=tenant.auditor, bzid=5)
    assert (answer.status, answer.body) == (404, NOT_FOUND)


@pytest.mark.parametrize("bzid", ["x", "12a", "0", "-3", "", "2" * 25])
def test_a_bzid_that_is_no_ticket_number_is_invalid(api, tenant, catalogue, bzid):
    answer = api.call("GetPackageRequest", key=tenant.auditor, bzid=bzid)
    assert (answer.status, answer.error) == (400, "InvalidParameterValue")


def test_the_bzid_is_required(api, tenant, catalogue):
    answer = api.call("GetPackageRequest", key=tenant.auditor)
    assert (answer.status, answer.error) == (400, "MissingParameter")
