"""The OpenAPI document of the pkgdb2 routes names pkgdb2's own form fields and query
parameters (those the seed ``pkgdb2-api.txt`` documents), never the actions' internal
names (``clt_version``, ``action_type``), and leaves out what the path gives."""
from __future__ import annotations

from typing import Any

import pytest

FORM = "application/x-www-form-urlencoded"

#: the seed's form fields of each POST route (``arg``/``kwarg`` lines), path values aside
SEED_FORMS = {
    "/collection/new/": {"clt_name", "version", "clt_status", "summary", "description",
                         "branchname", "dist_tag", "kojiname", "allow_retire"},
    "/collection/{url_branch}/status/": {"branch", "clt_status"},
    "/package/new/": {"pkgname", "summary", "description", "review_url", "status", "branches",
                      "poc", "upstream_url", "critpath", "namespace", "monitoring_status",
                      "koschei"},
    "/package/edit/": {"pkgname", "summary", "description", "review_url", "status",
                       "upstream_url", "namespace"},
    "/package/critpath/": {"pkgnames", "branches", "namespace", "critpath"},
    "/package/{pkgname}/monitor/{status}": {"namespace"},
    "/package/{pkgname}/koschei/{status}": {"namespace"},
    "/package/orphan/": {"pkgnames", "branches", "namespace", "former_poc"},
    "/package/unorphan/": {"pkgnames", "branches", "poc", "namespace"},
    "/package/retire/": {"pkgnames", "branches", "namespace"},
    "/package/unretire/": {"pkgnames", "branches", "namespace"},
    "/request/package": {"pkgname", "summary", "description", "upstream_url", "review_url",
                         "branches", "namespace", "monitoring_status", "koschei"},
    "/package/acl/": {"pkgname", "branches", "acl", "acl_status", "user", "namespace"},
    "/package/acl/reassign/": {"namespace", "pkgnames", "branches", "poc", "former_poc"},
    # pkgdb2 2.7.1 also reads ``message`` (the behaviour reference), which the seed omits
    "/admin/action/status": {"id", "status", "message"},
}


@pytest.fixture
def document(client) -> dict[str, Any]:
    return client.get("/openapi.json").get_json()


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def form_fields(document: dict[str, Any], path: str) -> set[str]:
    operation = document["paths"]["/pkgdb/api" + path]["post"]
    if "requestBody" not in operation:
        return set()
    schema = _resolve(document, operation["requestBody"]["content"][FORM]["schema"])
    return set(schema.get("properties", {}))


def query_parameters(document: dict[str, Any], path: str) -> set[str]:
    operation = document["paths"]["/pkgdb/api" + path]["get"]
    return {p["name"] for p in operation["parameters"] if p["in"] == "query"}


@pytest.mark.parametrize("path", sorted(SEED_FORMS))
def test_a_post_routes_documented_form_fields_are_the_seeds(document, path):
    assert form_fields(document, path) == SEED_FORMS[path]


def test_a_route_whose_path_gives_every_value_documents_no_form(document):
    operation = document["paths"]["/pkgdb/api/package/{namespace}/{pkgname}/monitor/{status}"]
    assert "requestBody" not in operation["post"]


def test_the_new_collection_form_requires_pkgdb2s_names(document):
    operation = document["paths"]["/pkgdb/api/collection/new/"]["post"]
    schema = _resolve(document, operation["requestBody"]["content"][FORM]["schema"])
    assert set(schema["required"]) == {"clt_name", "version", "clt_status", "branchname",
                                       "dist_tag", "kojiname"}


@pytest.mark.parametrize(("path", "wire", "internal"), [
    ("/admin/actions/", "action", "action_type"),
    ("/notify", "version", "clt_version"),
    ("/notify/all/", "version", "clt_version"),
])
def test_query_parameters_carry_pkgdb2s_names(document, path, wire, internal):
    names = query_parameters(document, path)
    assert wire in names and internal not in names


@pytest.mark.parametrize(("path", "in_path"), [
    ("/packages/{pattern}/", "pattern"), ("/packager/acl/{packagername}/", "packagername"),
    ("/package/{namespace}/{pkgname}/", "pkgname"), ("/pkgrequest/{bzid}", "bzid")])
def test_a_value_the_path_gives_is_no_query_parameter(document, path, in_path):
    assert in_path not in query_parameters(document, path)


def test_the_query_forms_document_the_pattern_and_name(document):
    assert "pattern" in query_parameters(document, "/packages/")
    assert "packagername" in query_parameters(document, "/packager/acl/")
    assert "pkgname" in query_parameters(document, "/package/")
