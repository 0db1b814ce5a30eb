"""Factsapi settings, driven by environment variables.

Every variable is listed in the README. Defaults are safe for local use: a SQLite
file in the project, DEBUG off unless asked for, and no production secret.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envstr(name: str, default: str = "") -> str:
    """The variable's value; unset and empty both mean the default."""
    return os.environ.get(name) or default


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)

# A development-only key is acceptable while DEBUG is on; production must set its own. Left
# empty, Django refuses to use it ("The SECRET_KEY setting must not be empty") when a request
# or the WSGI/ASGI entry point needs it, while commands that never sign anything
# (migrate, makemigrations, check) still run.
SECRET_KEY = envstr("SECRET_KEY") or ("django-insecure-development-only-key-do-not-use-in-production" if DEBUG else "")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
    "simple_history",
    "apps.core",
    "apps.actors",
    "apps.topics",
    "apps.sources",
    "apps.events",
    "apps.statements",
    "apps.positions",
    "apps.deadlines",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # 304 for If-None-Match / If-Modified-Since against the ETag and Last-Modified the API sets.
    "django.middleware.http.ConditionalGetMiddleware",
]

ROOT_URLCONF = "factsapi.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "factsapi.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A writer takes the lock when its transaction begins, so overlapping writes queue (up to
    # the timeout) instead of failing with "database is locked" when a reader turns writer.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Product data for `loaddata seed`.
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Behind a TLS-terminating proxy, set SECURE_SSL_REDIRECT and friends.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_PROXY", False) else None
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0)

REST_FRAMEWORK = {
    "DEFAULT_VERSIONING_CLASS": "apps.core.api.versioning.PathVersioning",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so a missing or bad token is a 401 with WWW-Authenticate: Token.
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Reads are public; writes need the model's add/change/delete permission (the Editors group).
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["apps.core.api.filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "apps.core.api.pagination.KeysetPagination",
    # JSON in, JSON out: one request body type for every write, so generated clients stay simple.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "apps.core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

API_ERROR_STATUSES = ["400", "401", "403", "404", "405", "406", "409", "410", "412", "415", "500"]
DRF_STANDARDIZED_ERRORS = {
    "EXCEPTION_HANDLER_CLASS": "apps.core.api.errors.ProblemExceptionHandler",
    "EXCEPTION_FORMATTER_CLASS": "apps.core.api.errors.ProblemFormatter",
    # Format unexpected errors as problem bodies even with DEBUG on.
    "ENABLE_IN_DEBUG_FOR_UNHANDLED_EXCEPTIONS": True,
    "ALLOWED_ERROR_STATUS_CODES": API_ERROR_STATUSES,
    # One shared Problem component for every error status, not one per operation.
    "ERROR_SCHEMAS": dict.fromkeys(API_ERROR_STATUSES, "apps.core.api.errors.ProblemSerializer"),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Factsapi",
    "DESCRIPTION": (
        "Structured, sourced geopolitical facts: actors, statements, positions, deadlines and events, "
        "each with its certainty, date precision and citations. Reads are public; writes need "
        "`Authorization: Token <key>` of an editor. Errors are RFC 9457 `application/problem+json`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CertaintyEnum": "apps.core.choices.Certainty",
        "DatePrecisionEnum": "apps.core.choices.DatePrecision",
        "ActorKindEnum": "apps.actors.choices.ActorKind",
        "SourceKindEnum": "apps.sources.choices.SourceKind",
        "EventKindEnum": "apps.events.choices.EventKind",
        "StatementKindEnum": "apps.statements.choices.StatementKind",
        "StanceEnum": "apps.positions.choices.Stance",
        "DeadlineKindEnum": "apps.deadlines.choices.DeadlineKind",
        "DeadlineStatusEnum": "apps.deadlines.choices.DeadlineStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_standardized_errors.openapi_hooks.postprocess_schema_enums",
        "apps.core.api.schema.require_response_fields",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

API_TOKEN_TTL_DAYS = envint("API_TOKEN_TTL_DAYS", 0)
if API_TOKEN_TTL_DAYS < 0:
    raise ImproperlyConfigured("API_TOKEN_TTL_DAYS must be 0 (never expire) or a positive number of days.")
REST_KNOX = {
    # API tokens live until revoked unless API_TOKEN_TTL_DAYS is set.
    "TOKEN_TTL": timedelta(days=API_TOKEN_TTL_DAYS) or None,
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
}
