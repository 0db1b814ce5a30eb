"""Factsapi settings, driven by environment variables.

Every variable is listed in the README. Defaults are safe for local use: a SQLite
file in the project, DEBUG off unless asked for, and no production secret.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from corsheaders.defaults import default_headers as cors_default_headers
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


def envrate(name: str, default: str) -> str | None:
    """A request rate such as ``120/min`` (per ``s``, ``min``, ``hour`` or ``day``); ``none`` turns it off."""
    value = envstr(name, default).strip().lower()
    if value == "none":
        return None
    number, _, period = value.partition("/")
    if not number.isdigit() or period[:1] not in {"s", "m", "h", "d"}:
        raise ImproperlyConfigured(f"{name} must be a rate like 120/min or none, got {value!r}")
    return value


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
    "axes",
    "corsheaders",
    "csp",
    "import_export",
    "apps.core",
    "apps.actors",
    "apps.topics",
    "apps.sources",
    "apps.events",
    "apps.statements",
    "apps.positions",
    "apps.deadlines",
    "apps.intake",
    "apps.timelines",
    "apps.synthetic",
    "apps.webhooks",
]

MIDDLEWARE = [
    "apps.core.http.cors.CredentialsOnlyForTrustedOrigins",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # gzip for /api/ data responses only (BREACH: never HTML, which carries CSRF tokens); above
    # ConditionalGetMiddleware, so ETags are computed from, and 304s compared with, the plain body.
    "apps.core.http.compression.ApiGZipMiddleware",
    # Safe API reads may go to a read replica (DATABASE_REPLICA_URL); everything else to the primary.
    "apps.core.http.replicas.ReplicaReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # 304 for If-None-Match / If-Modified-Since against the ETag and Last-Modified the API sets.
    "django.middleware.http.ConditionalGetMiddleware",
    # Cache-Control and Vary on every /api/ response, by kind (below ConditionalGet: its 304s copy them).
    "apps.core.http.cache_policy.CachePolicyMiddleware",
    # RateLimit-* headers of the tightest throttle that counted the request.
    "apps.core.api.throttling.RateLimitHeadersMiddleware",
    # With DEBUG on, an unknown /api/ URL is still a problem body, not Django's HTML debug page.
    "apps.core.api.errors.DebugNotFoundMiddleware",
    # Locks out logins (admin, browsable API) after repeated failures; last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

RATE_LIMIT_HEADERS = ["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"]
# Cross-origin browsers: anyone may read (GET/HEAD) the public API without credentials
# (apps/core/http/cors.py); the origins listed here may also write and send cookies.
CORS_ALLOWED_ORIGINS = envlist("CORS_ALLOWED_ORIGINS")
CORS_ALLOW_CREDENTIALS = True
CORS_URLS_REGEX = r"^/api/.*$"
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After", "Location", "Link", *RATE_LIMIT_HEADERS]
CORS_ALLOW_HEADERS = [*cors_default_headers, "if-match", "if-none-match"]

# Content-Security-Policy on every page (admin, docs, browsable API): only this server's scripts.
# Styles may be inline (the ReDoc and Swagger UI bundles inject theirs); ReDoc runs a blob: worker.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# After LOGIN_FAILURE_LIMIT wrong passwords for one username from one address, that pair is locked
# out for LOGIN_LOCKOUT_MINUTES (a 429); `manage.py axes_reset_username USERNAME` unlocks early.
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_LOCKOUT_MINUTES", 60))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = 1 if envbool("BEHIND_PROXY", False) else None

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
# Read replicas (PostgreSQL streaming replicas of DATABASE_URL): safe API reads go to one of them,
# everything else to the primary (apps/core/http/replicas.py). Tests run them as mirrors of the primary.
DATABASE_REPLICAS: list[str] = []
for _number, _url in enumerate(envlist("DATABASE_REPLICA_URL"), start=1):
    _alias = f"replica_{_number}"
    DATABASES[_alias] = dj_database_url.parse(
        _url, conn_max_age=envint("CONN_MAX_AGE", 60), conn_health_checks=True, test_options={"MIRROR": "default"}
    )
    DATABASE_REPLICAS.append(_alias)
DATABASE_ROUTERS = ["apps.core.http.replicas.PrimaryReplicaRouter"]
# After a client (token or session) writes, its reads go to the primary for this long: read-your-writes.
REPLICA_PIN_SECONDS = envint("REPLICA_PIN_SECONDS", 10)
# A replica that failed is skipped by the process that saw it for this long, then tried again.
REPLICA_RETRY_SECONDS = envint("REPLICA_RETRY_SECONDS", 30)

# The database must answer fast or fail fast (README, "Failure modes"): a connection attempt gives up
# after DATABASE_CONNECT_TIMEOUT seconds, the server cancels a statement running longer than
# DATABASE_STATEMENT_TIMEOUT_MS (0: never; management commands default to 0, see manage.py), and the
# client stops waiting for an answer a second after that (apps/core/http/postgresql), so a request that
# cannot reach the database is a 503 with Retry-After within seconds, never a hung worker.
DATABASE_CONNECT_TIMEOUT = envint("DATABASE_CONNECT_TIMEOUT", 2)  # libpq's least
DATABASE_STATEMENT_TIMEOUT_MS = envint("DATABASE_STATEMENT_TIMEOUT_MS", 5000)
# /health/ready's own limit on its database check, so it answers a load balancer in time.
HEALTH_TIMEOUT_SECONDS = envint("HEALTH_TIMEOUT_SECONDS", 2)
DATABASE_ANSWER_TIMEOUT = DATABASE_STATEMENT_TIMEOUT_MS / 1000 + 1 if DATABASE_STATEMENT_TIMEOUT_MS else None
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        _database["ENGINE"] = "apps.core.http.postgresql"
        _options = _database.setdefault("OPTIONS", {})
        _options.setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
        _statement_timeout = f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS}"
        _options["options"] = f"{_statement_timeout} {_options.get('options', '')}".strip()

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
            else "apps.core.http.storage.StaticFilesStorage"
        )
    },
}

# Serve files from the apps' static folders as well as STATIC_ROOT: the docs and the admin work
# before `collectstatic` has run (it is still the production step: hashed, compressed, cached).
WHITENOISE_USE_FINDERS = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The shared cache: throttle counters, login lockouts' neighbours, anything several app servers must
# agree on. Redis when REDIS_URL is set; otherwise each process keeps its own (right for one server).
# The cache is an optimization, never a point of failure (apps/core/http/cache.py): a call waits at most
# CACHE_TIMEOUT_MS for Redis, and after a failure the process serves without it, as a miss, for
# CACHE_RETRY_SECONDS before trying again.
REDIS_URL = envstr("REDIS_URL")
CACHE_TIMEOUT_MS = envint("CACHE_TIMEOUT_MS", 100)
CACHES = {
    "default": (
        {
            "BACKEND": "apps.core.http.cache.FailFastRedisCache",
            "LOCATION": REDIS_URL,
            # CACHE_KEY_PREFIX keeps several deployments (or test runs) on one Redis database apart.
            "KEY_PREFIX": envstr("CACHE_KEY_PREFIX"),
            "OPTIONS": {
                "socket_timeout": CACHE_TIMEOUT_MS / 1000,
                "socket_connect_timeout": CACHE_TIMEOUT_MS / 1000,
                # One try per call: the breaker, not redis-py, decides when to try again.
                "retry_on_timeout": False,
                "RETRY_SECONDS": envint("CACHE_RETRY_SECONDS", 5),
            },
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Product data for `loaddata seed`.
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Behind a TLS-terminating proxy, set SECURE_SSL_REDIRECT and friends.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_PROXY", False) else None
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
# Load balancers probe health over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health/"]
# For a check that does not fit a deployment (say W008 when the proxy already redirects to HTTPS).
SILENCED_SYSTEM_CHECKS = envlist("SILENCED_SYSTEM_CHECKS")

# ``ordering=relevance`` scores every match before its first page: a search with more matches than
# this is refused with a 400 (apps.core.api.filters.SearchFilterSet.ranks_too_many).
SEARCH_RANK_LIMIT = envint("SEARCH_RANK_LIMIT", 2000)

# The server's public address: the schema's `servers` entry, and the links in webhook payloads.
API_PUBLIC_URL = envstr("API_PUBLIC_URL", "http://127.0.0.1:8000")

# Webhooks (apps.webhooks, README "Webhooks"): posted by `manage.py deliver` workers.
# Local targets (http, loopback, private and link-local addresses) only for development and tests.
WEBHOOK_ALLOW_LOCAL_TARGETS = envbool("WEBHOOK_ALLOW_LOCAL_TARGETS", DEBUG)
WEBHOOK_TIMEOUT_SECONDS = envint("WEBHOOK_TIMEOUT_SECONDS", 10)
WEBHOOK_MAX_FAILURES = envint("WEBHOOK_MAX_FAILURES", 10)
WEBHOOK_BACKOFF_SECONDS = envint("WEBHOOK_BACKOFF_SECONDS", 5)
WEBHOOK_BACKOFF_MAX_SECONDS = envint("WEBHOOK_BACKOFF_MAX_SECONDS", 3600)
WEBHOOK_LOG_SIZE = envint("WEBHOOK_LOG_SIZE", 100)
WEBHOOK_BATCH = envint("WEBHOOK_BATCH", 50)
WEBHOOK_POLL_MS = envint("WEBHOOK_POLL_MS", 500)
# Figures /health/ready adds to its answer (name → function), without making it fail.
HEALTH_REPORTS = {"webhooks": "apps.webhooks.services.backlog"}

THROTTLE_RATES = {
    "anon_burst": envrate("THROTTLE_ANON_BURST", "120/min"),
    "anon_sustained": envrate("THROTTLE_ANON_SUSTAINED", "5000/hour"),
    "user_burst": envrate("THROTTLE_USER_BURST", "600/min"),
    "user_sustained": envrate("THROTTLE_USER_SUSTAINED", "20000/hour"),
}
REST_FRAMEWORK = {
    "DEFAULT_VERSIONING_CLASS": "apps.core.api.versioning.PathVersioning",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so a missing or bad token is a 401 with WWW-Authenticate: Token.
        "apps.core.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Reads are public; writes need the model's add/change/delete permission (the Editors group).
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["apps.core.api.filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "apps.core.api.pagination.KeysetPagination",
    # JSON in, JSON out: one request body type for every write, so generated clients stay simple.
    "DEFAULT_PARSER_CLASSES": ["apps.core.api.parsers.StrictJSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "apps.core.api.renderers.JSONRenderer",
        "apps.core.api.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "apps.core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "apps.core.api.throttling.AnonBurstThrottle",
        "apps.core.api.throttling.AnonSustainedThrottle",
        "apps.core.api.throttling.UserBurstThrottle",
        "apps.core.api.throttling.UserSustainedThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": THROTTLE_RATES,
    # Behind a proxy, the client's address is the last one it added to X-Forwarded-For.
    "NUM_PROXIES": envint("NUM_PROXIES", 1 if envbool("BEHIND_PROXY", False) else 0),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

API_ERROR_STATUSES = ["400", "401", "403", "404", "405", "406", "409", "410", "412", "413", "415", "429", "500", "503"]
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
        "TimelineEntryTypeEnum": "apps.timelines.choices.EntryType",
        "MatchViaEnum": "apps.actors.choices.MatchVia",
        "ChangeEnum": "apps.core.choices.ChangeKind",
        "ReasonEnum": "apps.core.choices.ChangeReason",
        "StateEnum": "apps.intake.choices.DraftState",
        "SubscriptionStateEnum": "apps.webhooks.choices.SubscriptionState",
        "DeliveryOutcomeEnum": "apps.webhooks.choices.DeliveryOutcome",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_standardized_errors.openapi_hooks.postprocess_schema_enums",
        "apps.core.api.schema.require_response_fields",
        "apps.core.api.schema.fill_nullable_types",
        "apps.core.api.schema.describe_query_parameters",
        "apps.core.api.schema.bound_citation_lists",
        "apps.core.api.schema.release_version",
    ],
    # Relative by default: the server the schema was read from, so the docs' "Try it out" works on any
    # host and port (and within the CSP's connect-src 'self').
    "SERVERS": [{"url": envstr("API_PUBLIC_URL", "/"), "description": "This server"}],
    "TAGS": [
        {"name": "actors", "description": "People, states, organizations and groups, addressed by slug."},
        {"name": "roles", "description": "Posts actors hold over time."},
        {"name": "topics", "description": "What facts are about; topics may nest."},
        {"name": "sources", "description": "Documents facts come from."},
        {"name": "events", "description": "Things that happened, with their participants."},
        {"name": "statements", "description": "What actors said: verbatim quotes or paraphrases."},
        {"name": "positions", "description": "What actors want, over a span of time."},
        {"name": "deadlines", "description": "What is due when, and what became of it."},
        {"name": "changes", "description": "Every version of every resource, in commit order: the sync feed."},
        {"name": "intake", "description": "Editors only: articles turned into draft facts to accept or reject."},
        {
            "name": "reconcile",
            "description": "The actors as an OpenRefine reconciliation service (Reconciliation Service API 0.2).",
        },
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

API_TOKEN_TTL_DAYS = envint("API_TOKEN_TTL_DAYS", 90)
if API_TOKEN_TTL_DAYS < 0:
    raise ImproperlyConfigured("API_TOKEN_TTL_DAYS must be 0 (never expire) or a positive number of days.")
REST_KNOX = {
    # A token expires API_TOKEN_TTL_DAYS after it is made (0: never); `manage.py api_tokens` lists and revokes.
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
