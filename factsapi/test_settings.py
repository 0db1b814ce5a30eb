"""Settings for the test suite, so a bare ``pytest`` works without the Makefile's environment.

Production settings with a throwaway secret, DEBUG off (tests see what production does), no statement
timeout (see below) and a fast password hasher: PBKDF2's deliberate slowness protects stored
passwords, not test users.
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("DEBUG", "false")
# No statement timeout: the test databases are made and cloned (CREATE DATABASE … TEMPLATE, one per
# xdist worker) on a busy machine, for longer than a web request's statement may take. The timeouts
# are tested against gunicorn, with settings of their own, in tests/core/test_faults.py.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT_MS", "0")

from factsapi import settings as _base
from factsapi.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# SQLite tests use a database file, not Django's shared in-memory one: tests of concurrent writers
# need SQLite's real locking (writers queue), which the shared-cache memory database does not give.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"factsapi-test-{os.getpid()}.sqlite3")
    }

# No throttling unless a test sets rates: every test shares one client address and one cache.
REST_FRAMEWORK = {**_base.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": dict.fromkeys(_base.THROTTLE_RATES)}

# The test client builds the middleware chain for every client it makes, and WhiteNoise's finders
# mode walks every static file at each build (a fifth of the suite's time). Tests fetch no static
# file except the one that turns finders back on to check the docs work before collectstatic.
WHITENOISE_USE_FINDERS = False

# A read replica that is the test database itself (Django's TEST MIRROR), so routing is tested on
# both engines. It is listed in DATABASE_REPLICAS only by the tests of routing (tests/core/test_scale.py):
# everywhere else, as without DATABASE_REPLICA_URL, every query goes to "default".
for _alias in _base.DATABASE_REPLICAS:
    del DATABASES[_alias]  # noqa: F405
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
DATABASE_REPLICAS = []

# Webhook tests post to receivers on 127.0.0.1, over plain HTTP.
WEBHOOK_ALLOW_LOCAL_TARGETS = True
