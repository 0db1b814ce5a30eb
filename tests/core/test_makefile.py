"""``make run`` installs what running needs and nothing else; ``make test`` adds the test tools."""

import shutil
import subprocess
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def planned(target: str, tmp_path: Path) -> str:
    """The commands ``make`` would run for ``target`` in a fresh checkout (a virtualenv not yet made)."""
    result = subprocess.run(
        ["make", "-n", target, f"VENV={tmp_path / 'venv'}"], cwd=BASE_DIR, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def installs(plan: str) -> list[str]:
    return [line.split(" -r ")[1].split()[0] for line in plan.splitlines() if "pip install" in line and " -r " in line]


@pytest.mark.parametrize("target", ["run", "serve", "superuser"])
def test_running_installs_only_the_runtime_requirements(target, tmp_path):
    assert installs(planned(target, tmp_path)) == ["requirements.txt"]


@pytest.mark.parametrize("target", ["test", "install"])
def test_testing_installs_the_tools_on_top(target, tmp_path):
    assert installs(planned(target, tmp_path)) == ["requirements.txt", "requirements-dev.txt"]


def test_the_runtime_requirements_name_no_test_tool():
    runtime = (BASE_DIR / "requirements.txt").read_text().lower()
    for tool in ("pytest", "ruff", "mypy", "locust", "selenium", "schemathesis", "openapi-python-client"):
        assert f"\n{tool}" not in runtime, tool
