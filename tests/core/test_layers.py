"""Imports point one way (CONVENTIONS.md): facts → actors/topics/sources → core, never back.

Read from the source with ``ast`` (no import-linter: one small table says it all, and the test names
the file and line at fault). Every module of every app is read, migrations included; an import inside
a function counts as much as one at the top.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

APPS = Path(settings.BASE_DIR) / "apps"

# How high each app stands: a module may import its own app and apps standing lower, nothing else.
# A new app is placed here deliberately (the test below fails until it is).
RANKS = {
    "core": 0,
    "actors": 1,
    "topics": 1,
    "sources": 1,
    "events": 2,
    "statements": 3,
    "positions": 4,
    "deadlines": 4,
    "timelines": 5,
    "intake": 5,
    "webhooks": 5,
    "synthetic": 6,
}


# Inside apps.core (see its docstring), each module by its dotted name under apps.core, lowest first:
# a module imports modules of its own layer or below. Matched by the longest listed prefix.
CORE_LAYERS = [
    ("choices", "permissions", "http"),  # http: the database backend (http.postgresql) and cache too
    ("dates", "constraints", "query"),  # the list machinery: orderings, search, keyset, ListQuery
    ("models", "migration_ops"),
    ("record",),
    ("api",),  # DRF's pieces, but for the two below
    ("bulk", "filtersets"),
    ("api.mixins", "api.views", "api.schema_view"),
    ("api.schema", "feeds", "admin", "apps", "templatetags", "management", "migrations"),
]
# Upward imports made on purpose, inside a function: (module, imported module) -> why.
CORE_EXCEPTIONS = {
    ("models", "record.services"): "a bulk QuerySet.delete()/update() writes through the services",
}


def core_layer(module: str) -> int:
    best = max((p for layer in CORE_LAYERS for p in layer if module == p or module.startswith(p + ".")), key=len)
    return next(i for i, layer in enumerate(CORE_LAYERS) if best in layer)


def type_checking_only(tree: ast.Module) -> set[ast.AST]:
    """The imports under ``if TYPE_CHECKING:``: read by the type checker only, never at run time."""
    return {
        node
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and getattr(block.test, "id", None) == "TYPE_CHECKING"
        for statement in block.body
        for node in ast.walk(statement)
    }


def core_imports(path: Path):
    """(line, module under apps.core) for every import of apps.core's modules run at run time."""
    tree = ast.parse(path.read_text(), filename=str(path))
    skipped = type_checking_only(tree)
    for node in ast.walk(tree):
        if node in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("apps.core"):
            base = node.module.removeprefix("apps.core").lstrip(".")
            for alias in node.names:
                candidate = f"{base}.{alias.name}".lstrip(".")
                exists = (CORE / f"{candidate.replace('.', '/')}.py").exists() or (
                    CORE / candidate.replace(".", "/")
                ).is_dir()
                yield node.lineno, candidate if exists else base


CORE = APPS / "core"


def imported_apps(path: Path):
    """(line, app) for every ``apps.<app>`` the module imports."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        for app in sorted({name.split(".")[1] for name in names if name.startswith("apps.")}):
            yield node.lineno, app


def app_dirs() -> list[str]:
    return sorted(p.name for p in APPS.iterdir() if (p / "__init__.py").exists())


def test_every_app_has_a_place():
    assert set(app_dirs()) <= set(RANKS), f"place the new app(s) in RANKS: {set(app_dirs()) - set(RANKS)}"


@pytest.mark.parametrize("app", app_dirs())
def test_an_app_imports_only_apps_below_it(app):
    wrong = []
    for path in sorted((APPS / app).rglob("*.py")):
        for line, target in imported_apps(path):
            if target != app and target in RANKS and RANKS[target] >= RANKS.get(app, 99):
                wrong.append(f"{path.relative_to(APPS.parent)}:{line} imports apps.{target}")
    assert not wrong, "imports that run up the house:\n" + "\n".join(wrong)


@pytest.mark.parametrize("package", ["", "api", "bulk", "http", "query", "record"])
def test_inside_core_a_module_imports_only_its_layer_and_below(package):
    wrong = []
    for path in sorted((CORE / package).glob("*.py") if package else CORE.glob("*.py")):
        module = str(path.relative_to(CORE).with_suffix("")).replace("/", ".").removesuffix(".__init__")
        for line, target in core_imports(path):
            if not target or (module, target) in CORE_EXCEPTIONS:
                continue
            if core_layer(target) > core_layer(module):
                wrong.append(f"apps/core/{path.relative_to(CORE)}:{line} imports apps.core.{target}")
    assert not wrong, "imports that run up apps.core's layers:\n" + "\n".join(wrong)


def test_the_rule_catches_an_import_up_the_house(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from apps.statements.models import Statement\n")
    assert list(imported_apps(module)) == [(2, "statements")]


def test_the_core_rule_catches_an_import_up_its_layers(tmp_path, monkeypatch):
    module = tmp_path / "record" / "m.py"
    module.parent.mkdir()
    module.write_text("from apps.core.api.views import VersionedViewSet\nfrom apps.core.models import Change\n")
    monkeypatch.setattr(f"{__name__}.CORE", APPS / "core")
    found = list(core_imports(module))
    assert found == [(1, "api.views"), (2, "models")]
    assert core_layer("api.views") > core_layer("record.m") >= core_layer("models")
