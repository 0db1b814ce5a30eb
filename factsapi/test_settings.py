"""Settings for the test suite, so a bare ``pytest`` works without the Makefile's environment.

Production settings with a throwaway secret, DEBUG off (tests see what production does) and a
fast password hasher: PBKDF2's deliberate slowness protects stored passwords, not test users.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("DEBUG", "false")

from factsapi.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
