"""Passerelle's settings: one file, every deployment knob read from the environment.

Development defaults are safe to run on a laptop (DEBUG on, SQLite under var/, console
email). With DEBUG off the project refuses to start on an unsafe configuration.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    normalised = value.strip().lower()
    if normalised in {"1", "true", "yes", "on"}:
        return True
    if normalised in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

DEVELOPMENT_SECRET_KEY = "django-insecure-passerelle-development-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
if not DEBUG and (
    SECRET_KEY == DEVELOPMENT_SECRET_KEY
    or SECRET_KEY.startswith("django-insecure")
    or len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the site's host names when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The public address in feeds, JSON-LD and e-mails: production must name it, or links would
# point at the development server.
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")
if not SITE_URL and DEBUG:
    SITE_URL = "http://127.0.0.1:8000"
if not DEBUG and not SITE_URL:
    raise ImproperlyConfigured("SITE_URL must be set to the public address when DEBUG is off.")
if SITE_URL and not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL must start with http:// or https://, not {SITE_URL!r}.")

INSTALLED_APPS = [
    "college",
    "candidates",
    "assessments",
    "employers",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "college.core.middleware.RequestLogMiddleware",
    "college.core.request_hygiene.RequestHygieneMiddleware",
    "college.core.middleware.PrivateCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "college.core.middleware.LanguageOverrideMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "college.core.middleware.SessionTimeoutMiddleware",
    "college.core.middleware.RateLimitMiddleware",
    "college.core.middleware.MfaMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "college.urls"
WSGI_APPLICATION = "college.wsgi.application"
ASGI_APPLICATION = "college.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # Last: placeholders for the CSRF token and CSP nonce of pages kept rendered.
                "college.core.public_cache.placeholders",
            ],
            # French typography for every template: "1er février" from the date filter.
            "builtins": ["college.templatetags.typography"],
        },
    },
]

# Databases: the embedded SQLite file by default, PostgreSQL through DATABASE_URL.
VAR_DIR = BASE_DIR / "var"
POSTGRESQL = "django.db.backends.postgresql"
# PostgreSQL connection pooling (psycopg's pool, one per process and alias): each process keeps
# between DATABASE_POOL_MIN_SIZE and DATABASE_POOL_MAX_SIZE connections open and lends one to
# each request. Persistent connections (DATABASE_CONN_MAX_AGE) and the pool exclude each other.
DATABASE_POOL = env_bool("DATABASE_POOL", False)
DATABASE_CONN_MAX_AGE = env_int("DATABASE_CONN_MAX_AGE", 0)
if DATABASE_POOL and DATABASE_CONN_MAX_AGE:
    raise ImproperlyConfigured("DATABASE_POOL needs DATABASE_CONN_MAX_AGE=0 (the pool keeps them).")


def database(url):
    config = dj_database_url.parse(url, conn_max_age=DATABASE_CONN_MAX_AGE, conn_health_checks=True)
    if DATABASE_POOL:
        if config["ENGINE"] != POSTGRESQL:
            raise ImproperlyConfigured("DATABASE_POOL needs a PostgreSQL DATABASE_URL.")
        config.setdefault("OPTIONS", {})["pool"] = {
            "min_size": env_int("DATABASE_POOL_MIN_SIZE", 1),
            "max_size": env_int("DATABASE_POOL_MAX_SIZE", 4),
            "timeout": env_int("DATABASE_POOL_TIMEOUT", 10),
        }
    return config


DATABASES = {
    "default": database(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'passerelle.sqlite3'}")
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the task worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

# An optional PostgreSQL read replica: see college/core/db_router.py for what is read where.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
DATABASE_REPLICA_PIN_SECONDS = env_int("DATABASE_REPLICA_PIN_SECONDS", 10)
if DATABASE_REPLICA_URL:
    if DATABASES["default"]["ENGINE"] != POSTGRESQL:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs a PostgreSQL DATABASE_URL.")
    DATABASES["replica"] = database(DATABASE_REPLICA_URL)
    # Tests never build a second database: the replica alias mirrors the primary.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["college.core.db_router.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
        "college.core.db_router.ReplicaPinningMiddleware",
    )

# Cache, sessions and rate limits: Redis when REDIS_URL is set, local memory otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "college.core.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "passerelle",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions: in Redis alone by default when there is Redis (no database write per request; Redis
# runs with an append-only file so a restart keeps them), in the database otherwise.
# SESSION_STORE=cached_db keeps a database copy as well, for a Redis without persistence.
SESSION_STORES = {
    "cache": "django.contrib.sessions.backends.cache",
    "cached_db": "django.contrib.sessions.backends.cached_db",
    "db": "django.contrib.sessions.backends.db",
}
SESSION_STORE = os.environ.get("SESSION_STORE", "") or ("cache" if REDIS_URL else "db")
if SESSION_STORE not in SESSION_STORES:
    raise ImproperlyConfigured(f"SESSION_STORE must be one of {', '.join(SESSION_STORES)}.")
if SESSION_STORE != "db" and not REDIS_URL:
    raise ImproperlyConfigured(
        "SESSION_STORE=cache or cached_db needs REDIS_URL: local memory is not shared."
    )
SESSION_ENGINE = SESSION_STORES[SESSION_STORE]
# The public cache (college/core/public_cache.py): anonymous reads of the board, vacancy pages,
# feeds and the public API, kept rendered for this many seconds (0: off). On by default with Redis
# only: a per-process memory cache would not see the other processes' changes.
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 600 if REDIS_URL else 0)
if PUBLIC_CACHE_SECONDS and not REDIS_URL:
    raise ImproperlyConfigured("PUBLIC_CACHE_SECONDS needs REDIS_URL: local memory is not shared.")

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

AUTH_USER_MODEL = "college.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Repeated failed logins for one address (or from one client) are refused for a while.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60)
# Rate limits per route (college/core/ratelimit.py), per account, API token or client address.
RATE_LIMITS = {
    "signup": os.environ.get("RATE_LIMIT_SIGNUP", "10/hour"),
    "password_reset": os.environ.get("RATE_LIMIT_PASSWORD_RESET", "5/hour"),
    "login": os.environ.get("RATE_LIMIT_LOGIN", "20/hour"),
    "token": os.environ.get("RATE_LIMIT_TOKEN", "20/hour"),
    "mfa": os.environ.get("RATE_LIMIT_MFA", "20/hour"),
    "export": os.environ.get("RATE_LIMIT_EXPORT", "30/hour"),
}
# Two-step verification (TOTP) for staff and employers, offered to counsellors
# (college/core/mfa.py).
MFA_ENFORCED = env_bool("MFA_ENFORCED", True)
if not DEBUG and not MFA_ENFORCED:
    raise ImproperlyConfigured("MFA_ENFORCED cannot be turned off when DEBUG is off.")
# Job-seekers inactive this long are erased by `purge_stale_candidates` (candidates/retention.py).
RETENTION_MONTHS = env_int("RETENTION_MONTHS", 24)
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Languages: French first (the default), then Dutch and English.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "passerelle_language"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
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
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Uploads larger than this go to a temporary file; the import forms refuse files above 1 MB.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
DATA_UPLOAD_MAX_NUMBER_FILES = 5

# Email: the console by default; SMTP when EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Passerelle <noreply@passerelle.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
smtp_host = os.environ.get("EMAIL_HOST", "")
if smtp_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": smtp_host,
                "port": env_int("EMAIL_PORT", 587),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# Security headers. HTTPS settings follow DEBUG so that production cannot forget them.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)
# A signed-in session idle this long ends (college.core.middleware.SessionTimeoutMiddleware);
# SESSION_COOKIE_AGE stays the absolute limit however active the session is.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Reverse proxies in front of the app (load balancer, nginx): the client's address is the entry
# that many from the right of X-Forwarded-For; 0 reads REMOTE_ADDR (college/core/login_throttle.py).
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)

REST_FRAMEWORK = {
    "NUM_PROXIES": TRUSTED_PROXIES,
    "EXCEPTION_HANDLER": "college.core.api_errors.api_exception_handler",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that a missing or wrong token is answered with 401 and WWW-Authenticate.
        "college.core.token_auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Deny by default: every public endpoint says so itself.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "college.core.pagination.PagePagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # DRF's JSON parser with a depth limit and no NUL or lone surrogate (college/core/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "college.core.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_ANON_RATE", "120/minute"),
        "user": os.environ.get("API_USER_RATE", "600/minute"),
    },
    "DEFAULT_THROTTLE_CLASSES": [
        # First: refuses an unreadable query string or unknown ?lang= once the caller is known.
        "college.core.request_hygiene.QueryParameterCheck",
        "college.core.ratelimit.AnonymousRateThrottle",
        "college.core.ratelimit.AccountRateThrottle",
        "college.core.ratelimit.RouteRateThrottle",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Passerelle API",
    "DESCRIPTION": (
        "Skills-first recruitment and guidance for prevention and security jobs in Brussels. "
        "Labels follow Accept-Language (fr, nl, en); ?lang= overrides."
    ),
    "VERSION": "1.0.0",
    # Two choice sets are called `stage`: a requirement's (entry or training) and an
    # application's; each gets its own component name.
    "ENUM_NAME_OVERRIDES": {"RequirementStageEnum": "college.models.RequirementStage"},
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Error answers every operation shares (401/403/404/429/400 in DRF's shapes):
    # college/core/openapi.py
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "college.core.openapi.document_shared_errors",
        "college.core.openapi.document_filter_values",
    ],
    # What Django's URL converters accept, so that clients build only routable addresses.
    "PATH_CONVERTER_OVERRIDES": {
        "int": {"type": "integer", "minimum": 0},
        # `<id:pk>` (college.core.converters): every id in a path, a whole number.
        "id": {"type": "integer", "minimum": 0},
        "slug": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"},
    },
}

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "college.core.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Request lines come from RequestLogMiddleware, without query strings or identities.
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        # WeasyPrint narrates every PDF it renders at INFO level.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
