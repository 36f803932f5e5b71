"""The seed's write examples (``pkgdb2-api.txt``, every POST route's sample responses)
against ``/pkgdb/api/``: each runs as a curl client would (a form body, HTTP Basic
credentials) on the catalogue of ``pkgdb2_seed_writes.py`` and its answer holds every key
of the seed's JSON with the seed's value (times and ids aside; extra keys allowed, as in
the read golden test).

The seed's placeholders (``$USER``, ``$PACKAGE``, ``$BRANCH``…) are filled in from the
fixture. Adaptations, each stated where it occurs, come down to three:

* **wording**: the seed's sample messages come from older pkgdb2 releases; actiongate
  keeps pkgdb2 2.7.1's (``../shared/reference/pkgdb2-behaviour.md``: ``Collection "F-20"
  created``, ``changed point of contact``, ``set for <user>``, ``rpms/<package>`` in the
  critpath and monitoring lines, the admin-action line), so the expected message is the
  2.7.1 one;
* **one error is a string**: pkgdb2 2.7.1 answers a single error as a string (behaviour
  reference §0), where older samples show a list of one;
* **statuses**: DIALECTS.md §4's rule (403 refused, 404 unknown, 400 bad input), where
  pkgdb2 answered 500 or redirected.
"""
from __future__ import annotations

import base64
from typing import Any

import pytest
from werkzeug.datastructures import MultiDict

from app.fixtures import import_fixture
from app.models import AdminAction

from .pkgdb2_seed_writes import document, email, password
from .test_pkgdb2_golden_reads import contains


def _agent_line(agent: str, package: str, old: str, new: str, branch: str) -> str:
    """pkgdb2 2.7.1's owner.update line (wording: the seed's ``User: $USER changed poc of
    package: $PACKAGE from $PREVIOUS_POC to $NEW_POC on branch: $BRANCH``)."""
    return (f"user: {agent} changed point of contact of package: {package} from: {old} "
            f"to: {new} on branch: {branch}")


def _status_line(agent: str, package: str, old: str, new: str, branch: str) -> str:
    """pkgdb2 2.7.1's package status line (wording: the seed's ``… status from:
    $PREVIOUS_STATUS to $NEW_STATUS on branch $BRANCH`` without the last colon)."""
    return (f"user: {agent} updated package: {package} status from: {old} to {new} on "
            f"branch: {branch}")


NEW_COLLECTION = [("clt_name", "Fedora"), ("version", "20"), ("clt_status", "Active"),
                  ("summary", "Fedora 20"), ("description", "Fedora 20 (Heisenbug)"),
                  ("branchname", "F-20"), ("dist_tag", ".fc20"), ("kojiname", "f20"),
                  ("allow_retire", "False")]
NEW_PACKAGE = [("pkgname", "tilix"), ("summary", "Tiling terminal"),
               ("description", "A tiling terminal emulator"), ("review_url", "1234"),
               ("status", "Approved"), ("branches", "master"), ("branches", "f20"),
               ("poc", "pingou"), ("upstream_url", "https://gnunn1.github.io/tilix"),
               ("critpath", "False")]
REQUEST = [("pkgname", "guake"), ("summary", "Drop-down terminal for GNOME"),
           ("description", "Guake is a drop-down terminal"), ("upstream_url",
                                                               "http://guake.org/"),
           ("review_url", "https://bugzilla.redhat.com/123456"), ("branches", "master"),
           ("branches", "f18")]

#: (name, account, user, path, form, status, the seed's JSON as adapted)
EXAMPLES: list[tuple[str, str, str, str, list[tuple[str, str]], int, Any]] = [
    # -- collections
    # wording: 2.7.1 quotes the branch name (the seed: ``Collection F-20 created``)
    ("collection new", "clt", "pingou", "/collection/new/", NEW_COLLECTION, 200,
     {"output": "ok", "messages": ['Collection "F-20" created']}),
    ("collection new refused", "clt", "ralph", "/collection/new/", NEW_COLLECTION, 403,
     {"output": "notok", "error": "You are not allowed to create collections"}),
    # wording: 2.7.1 names the former status (the seed: ``Collection updated to "EOL"``)
    ("collection status", "writes", "pingou", "/collection/f18/status/",
     [("branch", "f18"), ("clt_status", "EOL")], 200,
     {"output": "ok", "messages": ['Collection updated from "Active" to "EOL"']}),
    ("collection status refused", "writes", "ralph", "/collection/f18/status/",
     [("branch", "f18"), ("clt_status", "EOL")], 403,
     {"output": "notok", "error": "You are not allowed to edit collections"}),
    # -- packages
    ("package new", "writes", "pingou", "/package/new/", NEW_PACKAGE, 200,
     {"output": "ok", "messages": ["Package created"]}),
    ("package new refused", "writes", "ralph", "/package/new/", NEW_PACKAGE, 403,
     {"output": "notok", "error": "You're not allowed to add a package"}),
    # wording: 2.7.1 names the package (the seed: ``Package edited``)
    ("package edit", "writes", "pingou", "/package/edit/",
     [("pkgname", "guake"), ("summary", "Drop-down terminal")], 200,
     {"output": "ok", "messages": ['Package "guake" edited']}),
    ("package edit refused", "writes", "ralph", "/package/edit/",
     [("pkgname", "guake"), ("summary", "Drop-down terminal")], 403,
     {"output": "notok", "error": "You're not allowed to edit this package"}),
    # wording: 2.7.1 prefixes the namespace (the seed: ``guake: critpath updated…``)
    ("critpath", "writes", "pingou", "/package/critpath/",
     [("pkgnames", "guake"), ("branches", "master"), ("branches", "f18"),
      ("critpath", "True")], 200,
     {"output": "ok", "messages": ["rpms/guake: critpath updated on master to True",
                                   "rpms/guake: critpath updated on f18 to True"]}),
    # wording: 2.7.1 names the package that is not found
    ("critpath unknown package", "writes", "pingou", "/package/critpath/",
     [("pkgnames", "guak"), ("branches", "master"), ("critpath", "True")], 404,
     {"output": "notok", "error": "No package found by this name: rpms/guak"}),
    # wording: 2.7.1 names the package with its namespace (also for koschei)
    ("monitor", "writes", "pingou", "/package/guake/monitor/1", [], 200,
     {"output": "ok", "messages": "Monitoring status of rpms/guake set to True"}),
    ("monitor unknown package", "writes", "pingou", "/package/guak/monitor/1", [], 404,
     {"output": "notok", "error": "No package found by this name"}),
    ("koschei", "writes", "ralph", "/package/rpms/guake/koschei/true", [], 200,
     {"output": "ok", "messages": "Koschei monitoring status of rpms/guake set to True"}),
    ("koschei unknown package", "writes", "ralph", "/package/rpms/guak/koschei/true", [],
     404, {"output": "notok", "error": "No package found by this name"}),
    # -- package states ($USER pingou, $PACKAGE guake, $BRANCH f20)
    ("orphan", "writes", "pingou", "/package/orphan/",
     [("pkgnames", "guake"), ("branches", "f20")], 200,
     {"output": "ok", "messages": [_agent_line("pingou", "guake", "pingou", "orphan",
                                               "f20")]}),
    ("orphan refused", "writes", "ralph", "/package/orphan/",
     [("pkgnames", "guake"), ("branches", "f20")], 403,
     {"output": "notok", "error": "You are not allowed to change the point of contact."}),
    # wording: 2.7.1 says ``on`` the branch (the seed: ``for $BRANCH``)
    ("unorphan", "writes", "ralph", "/package/unorphan/",
     [("pkgnames", "tilda"), ("branches", "f20"), ("poc", "ralph")], 200,
     {"output": "ok", "messages": ["Package rpms/tilda has been unorphaned on f20 by ralph"]}),
    ("unorphan refused", "outsider", "pingou", "/package/unorphan/",
     [("pkgnames", "tilda"), ("branches", "f20"), ("poc", "pingou")], 403,
     {"output": "notok", "error": "You must be a packager to take a package."}),
    ("retire", "writes", "pingou", "/package/retire/",
     [("pkgnames", "guake"), ("branches", "f20")], 200,
     {"output": "ok", "messages": [_status_line("pingou", "guake", "Approved",
                                                "Retired", "f20")]}),
    ("retire refused", "writes", "ralph", "/package/retire/",
     [("pkgnames", "kupfer"), ("branches", "f20")], 403,
     {"output": "notok",
      "error": "You are not allowed to retire the package: rpms/kupfer on branch f20."}),
    # actiongate un-retires to Orphaned, ready to be unorphaned (CATALOGUE.md §4)
    ("unretire", "writes", "pingou", "/package/unretire/",
     [("pkgnames", "zsh-old"), ("branches", "f20")], 200,
     {"output": "ok", "messages": [_status_line("pingou", "zsh-old", "Retired",
                                                "Orphaned", "f20")]}),
    # un-retiring is a catalogue admin's (pkgdb2 2.7.1: @is_admin); the seed's sentence
    # came from a release that let packagers try: the role refusal answers instead
    ("unretire refused", "writes", "ralph", "/package/unretire/",
     [("pkgnames", "zsh-old"), ("branches", "f20")], 403,
     {"output": "notok", "error": "The user is not authorised to perform the operation"}),
    # -- package requests (one line per branch, in the form's order)
    ("request package", "request", "pingou", "/request/package", REQUEST, 200,
     {"output": "ok", "messages": ["user: pingou request package: guake on branch master",
                                   "user: pingou request package: guake on branch f18"]}),
    ("request package refused", "outsider", "pingou", "/request/package", REQUEST, 403,
     {"output": "notok", "error": 'User "pingou" is not in the packager group'}),
    # -- ACLs
    # wording: 2.7.1 names the ACL's user and says ``to:`` (the seed: ``… to $NEW_STATUS``);
    # a first request has no previous status (``from: ``)
    ("acl", "writes", "ralph", "/package/acl/",
     [("pkgname", "guake"), ("branches", "f20"), ("acl", "commit"),
      ("acl_status", "Awaiting Review"), ("user", "ralph")], 200,
     {"output": "ok", "messages": ["user: ralph set for ralph acl: commit of package: "
                                   "guake from:  to: Awaiting Review on branch: f20"]}),
    ("acl refused", "writes", "ralph", "/package/acl/",
     [("pkgname", "guake"), ("branches", "f20"), ("acl", "commit"),
      ("acl_status", "Approved"), ("user", "toshio")], 403,
     {"output": "notok", "error": "You are not allowed to update ACLs of someone else."}),
    ("reassign", "writes", "pingou", "/package/acl/reassign/",
     [("namespace", "rpms"), ("pkgnames", "guake"), ("branches", "f20"), ("poc", "ralph")],
     200, {"output": "ok", "messages": [_agent_line("pingou", "guake", "pingou",
                                                    "ralph", "f20")]}),
    ("reassign refused", "writes", "ralph", "/package/acl/reassign/",
     [("namespace", "rpms"), ("pkgnames", "guake"), ("branches", "f20"), ("poc", "ralph")],
     403, {"output": "notok",
           "error": "You are not allowed to change the point of contact."}),
    # -- admin actions: the id is the fixture's request.branch (``{id}``)
    # wording: 2.7.1's admin-action line (the seed: ``Admin action status updated to: …``)
    ("admin action status", "writes", "pingou", "/admin/action/status",
     [("id", "{id}"), ("status", "Approved")], 200,
     {"output": "ok", "messages": ["user: pingou updated action: {id} of guake from "
                                   "`Awaiting Review` to `Approved`"]}),
    ("admin action status refused", "writes", "guest", "/admin/action/status",
     [("id", "{id}"), ("status", "Approved")], 403,
     {"output": "notok", "error": "You are not an admin"}),
]


def basic(account: str, user: str) -> dict[str, str]:
    pair = f"{email(account, user)}:{password(user)}".encode()
    return {"Authorization": "Basic " + base64.b64encode(pair).decode()}


def _filled(value: Any, action_id: int) -> Any:
    if isinstance(value, str):
        return value.replace("{id}", str(action_id))
    if isinstance(value, list):
        return [_filled(item, action_id) for item in value]
    if isinstance(value, tuple):
        return tuple(_filled(item, action_id) for item in value)
    if isinstance(value, dict):
        return {key: _filled(item, action_id) for key, item in value.items()}
    return value


@pytest.fixture
def seeded(app):
    import_fixture(document())
    return app


@pytest.mark.parametrize("name, account, user, path, form, status, expected", EXAMPLES,
                         ids=[example[0] for example in EXAMPLES])
def test_the_seeds_write_example_gives_the_seeds_answer(seeded, client, name, account, user,
                                                        path, form, status, expected):
    action_id = AdminAction.select(AdminAction.id).scalar()
    answer = client.post("/pkgdb/api" + path, data=MultiDict(_filled(form, action_id)),
                         headers=basic(account, user))
    assert answer.status_code == status, answer.get_json()
    contains(answer.get_json(), _filled(expected, action_id))


# -- the request example whose answer lists form errors ------------------------------------


def test_the_seeds_invalid_request_example_lists_its_form_errors(seeded, client):
    """The seed: ``branches: 'foobar' is not a valid choice for this field`` and
    ``review_url: This field is required.`` in one answer. Adaptation: actiongate reads the
    fields first and checks the branch choices (the account's collections) after, so the
    example's form gives the first line and the same form with a review URL the second."""
    form = [("pkgname", "guake"), ("summary", "Drop-down terminal for GNOME"),
            ("branches", "foobar")]
    headers = basic("request", "pingou")
    answer = client.post("/pkgdb/api/request/package", data=MultiDict(form), headers=headers)
    assert (answer.status_code, answer.get_json()) == (400, {
        "output": "notok", "error": "Invalid input submitted",
        "error_detail": ["review_url: This field is required."]})
    answer = client.post("/pkgdb/api/request/package", headers=headers,
                         data=MultiDict(form + [("review_url", "123456")]))
    assert (answer.status_code, answer.get_json()) == (400, {
        "output": "notok", "error": "Invalid input submitted",
        "error_detail": ["branches: 'foobar' is not a valid choice for this field"]})
