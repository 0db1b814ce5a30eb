"""Settings from the environment: safe defaults, loud failures."""

import os
import subprocess
import sys

from django.conf import settings


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=clean | env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_serving_without_a_secret_key_fails_at_start_up():
    result = run_python("import factsapi.wsgi", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY setting must not be empty" in result.stderr


def test_debug_gets_a_development_key_and_production_its_own():
    assert run_python("import factsapi.wsgi", DEBUG="true").returncode == 0
    assert run_python("import factsapi.wsgi", DEBUG="false", SECRET_KEY="s3cret").returncode == 0


def test_bad_boolean_is_a_clear_configuration_error():
    result = run_python("import django; django.setup()", DJANGO_SETTINGS_MODULE="factsapi.settings", DEBUG="maybe")
    assert "DEBUG must be a boolean" in result.stderr


def test_the_readmes_production_settings_pass_check_deploy():
    """The README's production example: `manage.py check --deploy` reports nothing."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env={
            **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}},
            "DJANGO_SETTINGS_MODULE": "factsapi.settings",
            "DEBUG": "false",
            "SECRET_KEY": "a-production-grade-secret-key-of-fifty-or-more-characters-0123456789",
            "ALLOWED_HOSTS": "facts.example.org",
            "BEHIND_PROXY": "true",
            "SECURE_SSL_REDIRECT": "true",
            "SECURE_HSTS_SECONDS": "31536000",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
            "SECURE_HSTS_PRELOAD": "true",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
