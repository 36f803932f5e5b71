"""The layers only look down: each package imports only what its docstring allows."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, relative imports resolved to absolute names."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    if path.name == "__init__.py":
        package = ".".join(path.relative_to(ROOT).parts[:-1])
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                anchor = ".".join(parts[:len(parts) - node.level + 1])
                base = f"{anchor}.{base}" if base else anchor
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def modules_of(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def forbidden_imports(paths: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(f"{path.relative_to(ROOT)} imports {name}"
                  for path in paths for name in imported_modules(path)
                  if any(name == prefix or name.startswith(prefix + ".")
                         for prefix in forbidden))


def violations(package: str, forbidden: tuple[str, ...]) -> list[str]:
    return forbidden_imports(modules_of(package), forbidden)


def test_query_language_imports_nothing_of_the_project():
    assert violations("query_language", ("app", "actions", "bench", "wsgi")) == []


def test_the_check_sees_relative_and_absolute_imports(tmp_path):
    assert "query_language.values" in imported_modules(ROOT / "query_language" / "__init__.py")
    assert "app.models.Activity" in imported_modules(ROOT / "app" / "store" / "vocabularies.py")


@pytest.mark.parametrize("package", ["query_language", "app/store"])
def test_every_package_says_its_job_and_what_it_may_import(package):
    docstring = ast.get_docstring(ast.parse((ROOT / package / "__init__.py").read_text()))
    assert docstring and "import" in docstring


#: the Peewee calls that build or run a query
QUERY_CALLS = frozenset({"select", "where", "insert", "insert_many", "delete", "get_or_none",
                         "get_by_id", "execute", "paginate", "order_by", "join", "save",
                         "create", "atomic", "tuples", "dicts", "objects"})


def query_calls(path: Path) -> list[str]:
    """``line: call`` for every query-building call in ``path`` (``Model.update`` too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name, owner = node.func.attr, node.func.value
            model_update = (name == "update" and isinstance(owner, ast.Name)
                            and owner.id[:1].isupper())
            if (name in QUERY_CALLS and not isinstance(owner, ast.Constant)) or model_update:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: .{name}()")
    return found


def test_actions_hold_no_sql():
    assert [call for path in modules_of("actions") for call in query_calls(path)] == []
    assert violations("actions", ("peewee.JOIN", "peewee.fn", "peewee.Case")) == []


def test_the_sql_check_sees_queries():
    calls = query_calls(ROOT / "app" / "store" / "accounts.py")
    assert any(call.endswith(".get_or_none()") for call in calls)
    assert any(call.endswith(".update()") for call in calls)


def test_the_store_never_looks_up():
    front_ends = ("actions", "app.gateway", "app.cli", "app.encoding", "app.auth")
    assert violations("app/store", front_ends) == []
    assert violations("app/models", front_ends + ("app.store",)) == []


def test_actions_never_import_the_front_ends_that_call_them():
    assert violations("actions", ("app.gateway", "app.cli")) == []


def test_the_domain_modules_never_import_actions_nor_the_dispatcher():
    domain = [ROOT / "app" / f"{name}.py" for name in (
        "activity_state", "activity_factory", "activity_json", "inventory", "idset")]
    assert forbidden_imports(domain + modules_of("app/catalogue"),
                             ("actions", "app.gateway", "app.cli")) == []
