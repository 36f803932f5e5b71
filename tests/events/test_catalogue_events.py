"""Every catalogue change writes its events (DIALECTS.md §3): collections, packages and their
listings, ACLs and admin actions, each asserted exactly; a refused or rolled-back change
writes none; each account sees only its own."""
from __future__ import annotations

from typing import Any

import pytest

from app.catalogue import states
from app.demo import seed
from app.fixtures import import_fixture
from app.models import AdminAction, Event, EventStream, Package, database

from ..catalogue.conftest import Catalogue, catalogue, listing_state  # noqa: F401
from ..catalogue.test_fixtures import CATALOGUE

ACME = ["account-acme"]


def _seen(account=None) -> list[dict[str, Any]]:
    """The events written, oldest first, as their Swarm fields."""
    query = Event.select().order_by(Event.id)
    if account is not None:
        query = query.where(Event.account == account)
    return [{"user": e.actor, "type": e.type, "action": e.action, "target": e.target,
             "topic": e.topic, "description": e.description, "preposition": e.preposition,
             "details": e.details, "link": e.link, "streams": e.streams,
             "followers": e.followers} for e in query]


def _event(user: str | None, type_: str, action: str, target: str, topic: str, *,
           details: dict, link: list, streams: list[str], followers: list[str] = [],  # noqa: B006
           description: str = "") -> dict[str, Any]:
    return {"user": user, "type": type_, "action": action, "target": target, "topic": topic,
            "description": description, "preposition": "", "details": details, "link": link,
            "streams": streams, "followers": followers}


def _package(user: str, action: str, name: str, details: dict, followers: list[str],
             description: str = "", namespace: str = "rpms") -> dict[str, Any]:
    label = f"{namespace}/{name}"
    return _event(user, "package", action, f"package {label}", f"packages/{label}",
                  details=details, link=["package", {"id": name}],
                  streams=[f"package-{name}", f"user-{user}", *ACME], followers=followers,
                  description=description)


def _ok(answer) -> None:
    assert answer.status == 200, answer.body


@pytest.fixture
def packager2(catalogue):  # noqa: F811
    return catalogue.person("packager2")


@pytest.fixture
def guake(catalogue, packager2):  # noqa: F811
    """guake on master and f20 (manager-acme); packager2 watches its commits on f20 and has a
    pending commit request there (not a follower for that)."""
    package = catalogue.package("guake", ("master", "f20"))
    catalogue.acl(package, "f20", "packager2", "watchcommits")
    catalogue.acl(package, "master", "packager2", "commit", status="Awaiting Review")
    return package


# --- collections ------------------------------------------------------------------------------


def test_creating_a_collection_writes_collection_created(api, tenant, catalogue):  # noqa: F811
    _ok(api.call("CreateCollection", key=tenant.admin, clt_name="Fedora", clt_version="22",
                 clt_status="Under Development", branchname="f22", dist_tag=".fc22",
                 kojiname="f22"))
    assert _seen() == [_event(
        "admin-acme", "collection", "created", "collection f22", "collections/f22",
        description="Fedora 22",
        details={"name": "Fedora", "version": "22", "status": "Under Development"},
        link=["collection", {"id": "f22"}],
        streams=["collection-f22", "user-admin-acme", *ACME])]


def test_changing_a_collection_status_writes_status_changed(api, tenant, catalogue):  # noqa: F811
    _ok(api.call("SetCollectionStatus", key=tenant.admin, branch="f19", clt_status="EOL"))
    _ok(api.call("SetCollectionStatus", key=tenant.admin, branch="f19", clt_status="EOL"))
    assert _seen() == [_event(
        "admin-acme", "collection", "status changed", "collection f19", "collections/f19",
        description="Fedora 19", details={"from": "Active", "to": "EOL"},
        link=["collection", {"id": "f19"}],
        streams=["collection-f19", "user-admin-acme", *ACME])]


# --- packages ---------------------------------------------------------------------------------


def test_creating_a_package_writes_package_created(api, tenant, catalogue):  # noqa: F811
    _ok(api.call("CreatePackage", key=tenant.admin, pkgname="guake",
                 summary="Drop-down terminal", review_url="123", status="Approved",
                 branches=["master", "f20", "master"], poc="manager-acme", critpath=True))
    assert _seen() == [_package(
        "admin-acme", "created", "guake",
        {"branches": ["master", "f20"], "point_of_contact": "manager-acme",
         "status": "Approved", "critpath": True},
        ["manager-acme"], "Drop-down terminal")]


def test_a_package_of_a_group_or_orphan_has_no_poc_follower(api, tenant, catalogue):  # noqa: F811
    for name, poc in (("tilda", "orphan"), ("gtk", "group::gtk-sig")):
        _ok(api.call("CreatePackage", key=tenant.admin, pkgname=name, summary="x",
                     review_url="1", status="Approved", branches=["f20"], poc=poc))
    assert [event["followers"] for event in _seen()] == [[], []]


def test_editing_a_package_writes_package_edited(api, tenant, guake):
    _ok(api.call("EditPackage", key=tenant.admin, pkgname="guake", summary="New",
                 upstream_url="https://guake.org"))
    _ok(api.call("EditPackage", key=tenant.admin, pkgname="guake", summary="New"))
    assert _seen() == [_package(
        "admin-acme", "edited", "guake",
        {"changed": {"summary": "New", "upstream_url": "https://guake.org"}},
        ["manager-acme", "packager2"], "New")]


def test_the_monitoring_and_koschei_flags_write_their_changes(api, tenant, guake):
    _ok(api.call("SetPackageMonitoring", key=tenant.manager, pkgname="guake",
                 status="nobuild"))
    _ok(api.call("SetPackageKoschei", key=tenant.manager, pkgname="guake", status=True))
    _ok(api.call("SetPackageKoschei", key=tenant.manager, pkgname="guake", status=True))
    followers = ["manager-acme", "packager2"]
    assert _seen() == [
        _package("manager-acme", "monitoring changed", "guake",
                 {"from": "true", "to": "nobuild"}, followers, "The guake package"),
        _package("manager-acme", "koschei changed", "guake", {"from": False, "to": True},
                 followers, "The guake package")]


def test_critpath_writes_one_event_per_changed_listing(api, tenant, catalogue, guake):  # noqa: F811
    catalogue.package("tilda", ("master", "f20"), poc="group::gtk-sig", critpath=True)
    _ok(api.call("SetPackageCritpath", key=tenant.admin, pkgnames=["guake", "tilda"],
                 branches=["master", "f20"], critpath=True))
    followers = ["manager-acme", "packager2"]
    assert _seen() == [
        _package("admin-acme", "critpath changed", "guake",
                 {"branch": branch, "from": False, "to": True}, followers, "The guake package")
        for branch in ("master", "f20")]


# --- listing states ---------------------------------------------------------------------------


def test_orphaning_writes_one_event_per_listing(api, tenant, catalogue, guake):  # noqa: F811
    catalogue.package("tilda", ("master", "f20"))
    _ok(api.call("OrphanPackages", key=tenant.manager, pkgnames=["guake", "tilda"],
                 branches=["master", "f20"]))
    orphaned = [(name, branch) for name in ("guake", "tilda") for branch in ("master", "f20")]
    followers = {"guake": ["manager-acme", "packager2"], "tilda": ["manager-acme"]}
    assert _seen() == [
        _package("manager-acme", "orphaned", name,
                 {"branch": branch, "from": "manager-acme", "to": "orphan"}, followers[name],
                 f"The {name} package")
        for name, branch in orphaned]
    assert EventStream.select().where(EventStream.stream == "package-guake").count() == 2


def test_unorphaning_writes_unorphaned_with_the_new_poc_following(api, catalogue,  # noqa: F811
                                                                   packager2):
    catalogue.package("tilda", ("master", "f20"), poc="orphan", status="Orphaned")
    _ok(api.call("UnorphanPackages", key=packager2, pkgnames=["tilda"], branches=["f20"],
                 poc="packager2"))
    assert _seen() == [_package("packager2", "unorphaned", "tilda",
                                {"branch": "f20", "from": "orphan", "to": "packager2"},
                                ["packager2"], "The tilda package")]


def test_retiring_tells_the_former_followers(api, tenant, catalogue, guake):  # noqa: F811
    catalogue.collections["f20"].allow_retire = True
    catalogue.collections["f20"].save()
    _ok(api.call("RetirePackages", key=tenant.manager, pkgnames=["guake"], branches=["f20"]))
    assert listing_state(guake, "f20") == ("orphan", "Retired")
    assert _seen() == [_package("manager-acme", "retired", "guake",
                                {"branch": "f20", "from": "Approved", "to": "Retired"},
                                ["manager-acme", "packager2"], "The guake package")]


def test_unretiring_writes_unretired(api, tenant, catalogue):  # noqa: F811
    catalogue.package("tilda", ("f20",), poc="orphan", status="Retired")
    _ok(api.call("UnretirePackages", key=tenant.admin, pkgnames=["tilda"], branches=["f20"]))
    assert _seen() == [_package("admin-acme", "unretired", "tilda",
                                {"branch": "f20", "from": "Retired", "to": "Orphaned"}, [],
                                "The tilda package")]


def test_reassigning_writes_reassigned(api, tenant, guake):
    _ok(api.call("ReassignPackages", key=tenant.manager, pkgnames=["guake"],
                 branches=["master"], poc="admin-acme", namespace="rpms"))
    assert _seen() == [_package("manager-acme", "reassigned", "guake",
                                {"branch": "master", "from": "manager-acme",
                                 "to": "admin-acme"},
                                ["admin-acme", "manager-acme", "packager2"],
                                "The guake package")]


# --- ACLs -------------------------------------------------------------------------------------


def _acl(user: str, action: str, branch: str, acl: str, fas_name: str, before: str | None,
         after: str, followers: list[str]) -> dict[str, Any]:
    return _event(user, "acl", action, f"acl rpms/guake@{branch} {acl} {fas_name}",
                  "acls/rpms/guake", description="The guake package",
                  details={"branch": branch, "acl": acl, "user": fas_name, "from": before,
                           "to": after},
                  link=["package", {"id": "guake"}],
                  streams=["package-guake", f"user-{user}", *ACME], followers=followers)


def test_an_acl_request_and_its_approval(api, tenant, guake, packager2):
    _ok(api.call("SetPackageACL", key=packager2, pkgname="guake", branches=["f20", "master"],
                 acl=["commit", "watchbugzilla"], acl_status="Awaiting Review",
                 user="packager2"))
    _ok(api.call("SetPackageACL", key=tenant.manager, pkgname="guake", branches=["f20"],
                 acl=["commit"], acl_status="Approved", user="packager2"))
    followers = ["manager-acme", "packager2"]
    assert _seen() == [
        _acl("packager2", "requested", "f20", "commit", "packager2", None, "Awaiting Review",
             followers),
        _acl("packager2", "requested", "f20", "watchbugzilla", "packager2", None, "Approved",
             followers),
        _acl("packager2", "requested", "master", "watchbugzilla", "packager2", None,
             "Approved", followers),
        _acl("manager-acme", "set", "f20", "commit", "packager2", "Awaiting Review",
             "Approved", followers)]


def test_a_watcher_who_gives_up_still_hears_of_it(api, guake, packager2):
    _ok(api.call("SetPackageACL", key=packager2, pkgname="guake", branches=["f20"],
                 acl=["watchcommits"], acl_status="Removed", user="packager2"))
    assert _seen() == [_acl("packager2", "set", "f20", "watchcommits", "packager2",
                            "Approved", "Removed", ["manager-acme", "packager2"])]


# --- admin actions ----------------------------------------------------------------------------


def _action(user: str, action: AdminAction, what: str, details: dict,
            package: str, followers: list[str] = []) -> dict[str, Any]:  # noqa: B006
    return _event(user, "admin_action", what, f"admin action {action.id}",
                  f"admin_actions/{action.id}", description=f"{action.action} {package}",
                  details=details, link=["admin_action", {"id": action.id}],
                  streams=[f"admin_action-{action.id}", f"package-{package}", f"user-{user}",
                           *ACME], followers=followers)


def test_a_package_request_writes_one_created_per_branch(api, tenant, catalogue):  # noqa: F811
    _ok(api.call("RequestPackage", key=tenant.manager, pkgname="tilix", summary="Tiling",
                 review_url="1234", branches=["f21"]))
    actions = list(AdminAction.select().order_by(AdminAction.id))
    assert _seen() == [
        _action("manager-acme", action, "created",
                {"action": "request.package", "package": "tilix", "branch": branch,
                 "status": "Awaiting Review"}, "tilix")
        for action, branch in zip(actions, ("f21", "master"))]


def test_approving_a_package_request_creates_the_package(api, tenant, catalogue):  # noqa: F811
    _ok(api.call("RequestPackage", key=tenant.manager, pkgname="tilix", summary="Tiling",
                 review_url="1234", branches=["f21"]))
    f21, master = AdminAction.select().order_by(AdminAction.id)
    Event.delete().execute()
    _ok(api.call("SetAdminActionStatus", key=tenant.admin, id=master.id, status="Approved"))
    f21, master = AdminAction.select().order_by(AdminAction.id)
    assert _seen() == [
        _package("admin-acme", "created", "tilix",
                 {"branches": ["master", "f21"], "point_of_contact": "manager-acme",
                  "status": "Approved", "critpath": False}, ["manager-acme"], "Tiling"),
        _action("admin-acme", master, "status changed",
                {"from": "Awaiting Review", "to": "Approved"}, "tilix", ["manager-acme"]),
        _action("admin-acme", f21, "status changed",
                {"from": "Awaiting Review", "to": "Approved"}, "tilix", ["manager-acme"])]


def test_branch_requests_write_created_then_status_changed(api, tenant, guake,
                                                           packager2):
    _ok(api.call("RequestBranch", key=packager2, pkgname="guake", branches=["el6"]))
    action = AdminAction.get()
    _ok(api.call("SetAdminActionStatus", key=tenant.admin, id=action.id, status="Denied",
                 message="No"))
    followers = ["manager-acme", "packager2"]
    assert _seen() == [
        _action("packager2", action, "created",
                {"action": "request.branch", "package": "guake", "branch": "el6",
                 "status": "Pending"}, "guake", followers),
        _action("admin-acme", action, "status changed",
                {"from": "Pending", "to": "Denied", "message": "No"}, "guake", followers)]


# --- refusals, rollbacks, accounts ------------------------------------------------------------


@pytest.mark.parametrize("action", ["OrphanPackages", "RetirePackages"])
def test_a_refused_bulk_change_writes_no_event(api, tenant, guake, action):
    answer = api.call(action, key=tenant.manager, pkgnames=["guake", "nope"],
                      branches=["master", "f20"])
    assert answer.status >= 400
    assert listing_state(guake, "master") == ("manager-acme", "Approved")
    assert _seen() == []


def test_an_exception_inside_the_transaction_leaves_no_event(app, api, tenant, guake,
                                                              monkeypatch):
    def fail(*args, **kwargs):
        assert Event.select().count() == 2  # written, then rolled back with the change
        raise RuntimeError("the store broke after the events")

    monkeypatch.setattr(states, "apply_poc_change", fail)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    answer = api.call("OrphanPackages", key=tenant.manager, pkgnames=["guake"],
                      branches=["master", "f20"])
    assert answer.status == 500
    assert listing_state(guake, "master") == ("manager-acme", "Approved")
    assert _seen() == [] and EventStream.select().count() == 0


def test_each_account_writes_and_follows_only_its_own(api, make_tenant, tenant,
                                                      catalogue, guake):  # noqa: F811
    beta = make_tenant("beta")
    other = Catalogue(beta).standard()
    other.package("guake", ("master",), poc="manager-beta")
    _ok(api.call("OrphanPackages", key=beta.manager, pkgnames=["guake"], branches=["master"]))
    _ok(api.call("OrphanPackages", key=tenant.manager, pkgnames=["guake"],
                 branches=["master"]))
    assert [(e["user"], e["streams"], e["followers"]) for e in _seen(beta.account.id)] == [
        ("manager-beta", ["package-guake", "user-manager-beta", "account-beta"],
         ["manager-beta"])]
    assert [(e["user"], e["streams"], e["followers"]) for e in _seen(tenant.account.id)] == [
        ("manager-acme", ["package-guake", "user-manager-acme", *ACME],
         ["manager-acme", "packager2"])]


def test_catalogue_fixtures_write_no_event(catalogue, guake):  # noqa: F811
    assert Package.select().count() == 1 and _seen() == []


def test_seed_demo_writes_no_event(app):
    seed("demo", computers=2, activities=5)
    assert Package.select().count() > 400 and _seen() == []


def test_importing_a_catalogue_writes_no_event(app):
    import_fixture(CATALOGUE)
    assert Package.select().count() > 0 and _seen() == []


def test_a_bulk_change_writes_its_events_in_one_insert_select(api, tenant, catalogue,  # noqa: F811
                                                             monkeypatch):
    names = [f"pkg{n:02d}" for n in range(25)]
    for name in names:
        catalogue.package(name, ("master", "f20"), acls=False)
    statements: list[str] = []
    real = database.obj.execute_sql

    def counting(sql, *args, **kwargs):
        statements.append(sql)
        return real(sql, *args, **kwargs)

    monkeypatch.setattr(database.obj, "execute_sql", counting)
    _ok(api.call("OrphanPackages", key=tenant.manager, pkgnames=names,
                 branches=["master", "f20"]))
    monkeypatch.undo()
    inserts = [sql for sql in statements if sql.startswith('INSERT INTO "event" ')]
    assert len(inserts) == 1 and " SELECT " in inserts[0]  # 50 events
    assert [(e["target"], e["details"]["branch"], e["followers"]) for e in _seen()] == [
        (f"package rpms/{name}", branch, ["manager-acme"])
        for name in names for branch in ("master", "f20")]


def test_odd_names_are_escaped_in_the_set_based_events(api, tenant, catalogue):  # noqa: F811
    odd = 'say "hi"\\\t\u00e9'
    package = catalogue.package(odd, ("f20",), poc="bob\n")
    _ok(api.call("OrphanPackages", key=tenant.admin, pkgnames=[odd], branches=["f20"]))
    assert listing_state(package, "f20") == ("orphan", "Orphaned")
    assert _seen() == [_package("admin-acme", "orphaned", odd,
                                {"branch": "f20", "from": "bob\n", "to": "orphan"}, ["bob\n"],
                                f"The {odd} package")]
