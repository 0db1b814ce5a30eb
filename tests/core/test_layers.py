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


def test_the_rule_catches_an_import_up_the_house(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from apps.statements.models import Statement\n")
    assert list(imported_apps(module)) == [(2, "statements")]
