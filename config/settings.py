"""Colloquy settings: one module, read from the environment.

Development (DEBUG=1) runs on a bare machine: SQLite, a local-memory cache, emails on the console.
Production (DEBUG unset) refuses to start without SECRET_KEY and ALLOWED_HOSTS rather than fall back
to a default. Test-only settings live in tests/settings.py.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

from config.cache import redis_cache
from config.databases import configure

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Values from the process environment win over the file. ENV_FILE names a file kept elsewhere (a
# server's secrets outside the checkout).
ENV_FILE = Path(os.environ.get("ENV_FILE", BASE_DIR / ".env"))
if ENV_FILE.is_file():
    environ.Env.read_env(ENV_FILE)

# --- Mode -----------------------------------------------------------------------------------------

# Development or production is decided here and nowhere else, after .env is read. DEBUG, when set,
# says which. Unset, a manage.py command (manage.py sets COLLOQUY_MANAGE_PY) in a checkout with no
# SECRET_KEY anywhere is a developer's, so development; everything else (a server with its secrets
# in the environment or in .env, the WSGI entry point) is production, which refuses to start
# without its secrets.
DEVELOPER_CHECKOUT = os.environ.get("COLLOQUY_MANAGE_PY") == "1" and "SECRET_KEY" not in os.environ
DEBUG = env.bool("DEBUG", default=DEVELOPER_CHECKOUT)

# --- Core -----------------------------------------------------------------------------------------

if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="django-insecure-development-only-key-do-not-deploy")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
else:
    # No defaults: a production server without these must fail loudly at start-up.
    SECRET_KEY = env("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SITE_NAME = env("SITE_NAME", default="Colloquy")
# Where emails sent outside a request (notifications, from the task queue) link to: the site's
# public address. By default the first allowed host, over HTTPS in production.
SITE_URL = env(
    "SITE_URL",
    default=f"{'http' if DEBUG else 'https'}://{ALLOWED_HOSTS[0] if ALLOWED_HOSTS else 'localhost'}"
    + (":8000" if DEBUG else ""),
).rstrip("/")

INSTALLED_APPS = [
    # The admin, behind the editors' policy (accounts/admin_site.py).
    "accounts.apps.EditorsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    # Third party
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "knox",
    "csp",
    # Our apps, each importing only those above it in this list (docs/architecture.md; an
    # import-linter contract checks it): accounts <- articles <- comments <- moderation <- api,
    # all over taskqueue (queueing work, the dead letters; a leaf like markup).
    "taskqueue",
    "accounts",
    "articles",
    "comments",
    "moderation",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.refuse_nul_bytes",
    # Whole pages for readers without a session, from the cache, before anything else runs
    # (articles/pagecache.py: keyed by versions the database holds).
    "articles.pagecache.AnonymousPageCacheMiddleware",
    # Compresses pages that carry no secret (BREACH: config/middleware.py says which and why);
    # static files come compressed from whitenoise.
    "config.middleware.PublicGZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # The site's own 404 page under DEBUG too (the detail goes to the console).
    "config.middleware.SiteNotFoundMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "site" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
                "csp.context_processors.nonce",
                "accounts.returning.context",
            ],
            # Filters every template may use without {% load %}: |machine_time.
            "builtins": ["markup.templatetags"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------

# The primary takes every write and every read that must see one (config/databases.py: pooled
# PostgreSQL connections, or SQLite's persistent one). DATABASE_REPLICA_URL adds a read replica
# that only anonymous readers' GETs read from (config/routers.py, docs/deploy.md).
DATABASES = {
    "default": configure(
        env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), env=env
    ),
}
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = configure(env.db("DATABASE_REPLICA_URL"), env=env)
    # Tests read the primary's test database through it (never migrated on its own).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]
    # Marks the requests whose reads may go there, before the page cache reads its versions.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("articles.pagecache.AnonymousPageCacheMiddleware"),
        "config.routers.replica_reads",
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Caches -------------------------------------------------------------------------------------

# "default" holds what every worker must share: rate limits, API throttles, login failures. Redis
# when REDIS_URL is set; without it, files in CACHE_DIR that every process on the machine reads,
# so the embedded default is correct with several gunicorn workers too (several machines need
# Redis). When Redis cannot be reached, reads miss
# and writes are dropped (config.cache.SharedRedisCache): pages still render, posting and
# moderating still work, and rate limits fail open until Redis is back (/healthz/ says
# "degraded").
# "pages" holds rendered HTML under keys that carry versions read from the database (a thread's
# Thread.version...): it can only miss, never serve something older than the database, so each
# process keeps its own copy in memory, the fastest place to read it from.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    _shared_cache = redis_cache(REDIS_URL, prefix=env("CACHE_KEY_PREFIX", default="colloquy"))
else:
    _shared_cache = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env.path("CACHE_DIR", default=BASE_DIR / ".cache" / "shared"),
    }
CACHES = {
    "default": _shared_cache,
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "colloquy-pages",
        "OPTIONS": {"MAX_ENTRIES": env.int("PAGE_CACHE_ENTRIES", default=2000)},
    },
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# --- Task queue (Celery, config/celery.py) --------------------------------------------------------

# With Redis, tasks go to a worker (`celery -A config worker`, README); without it they run inline
# where they are queued, so the embedded default needs no other process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = env("TIME_ZONE", default="UTC")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Queueing must not hang a request while Redis is down: one quick try, then taskqueue.queue.send
# runs the task inline instead.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}
# Retries per task (exponential backoff from 1 s, at most 10 min apart); then it is a dead letter
# (taskqueue.DeadLetter, in the admin, where an editor can queue it again).
TASKS_MAX_RETRIES = env.int("TASKS_MAX_RETRIES", default=3)
# The schedule (`celery -A config beat`, or a worker started with --beat); times in TIME_ZONE.
CELERY_BEAT_SCHEDULE = {
    "retrain the moderation classifier": {
        "task": "moderation.tasks.retrain_classifier",
        "schedule": crontab(hour=3, minute=0),
    },
    "recount the threads": {
        "task": "comments.tasks.recount_threads",
        "schedule": crontab(hour=4, minute=0),
    },
    # Digests whose hour is up and whose queued send was lost (a worker restarted meanwhile).
    "send the notification digests that are due": {
        "task": "comments.tasks.send_due_digests",
        "schedule": crontab(minute="*/10"),
    },
}
# Beat remembers when each entry last ran in this file (ignored by Git).
CELERY_BEAT_SCHEDULE_FILENAME = env(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(BASE_DIR / "celerybeat-schedule")
)

# --- Authentication (django-allauth) --------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
# Readers may sign in before confirming their address; commenting waits for it
# (accounts.selectors.has_verified_email). They resend the link from /accounts/email/.
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# One address per reader: a change keeps the old one until the new one is confirmed.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# No form says whether an address has an account. "strict", because readers may sign in before
# verifying: a sign-up with a taken address then goes through like any other, but the address
# stays unverified for good (only one account can verify an address), so it cannot comment or
# take over the owner's logins or resets. Password reset answers the same for any address.
ACCOUNT_PREVENT_ENUMERATION = "strict"
ACCOUNT_RATE_LIMITS = {
    # Failed logins count per address, and per account *from* that address (the adapter makes
    # allauth's "key" the account and the address): a stranger's wrong guesses never lock the
    # owner out of their own account from their own address.
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "10/m/ip,50/h/ip",
    "reset_password": "10/m/ip,3/m/key,10/h/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
    # Not allauth's: the comment form's live preview (comments.views.preview) shares its limiter,
    # which fails open when the shared cache is down.
    "comment_preview": "120/m/user",
}
# Behind a proxy every request comes from the proxy's address: the per-address limits read the
# client's from X-Forwarded-For instead, the entry this many proxies from the end.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# Editors must turn on two-factor authentication before editor pages or the admin let them in
# (accounts.decorators.editor_required, accounts.admin_site). On in production, off in development.
EDITORS_REQUIRE_MFA = env.bool("EDITORS_REQUIRE_MFA", default=not DEBUG)

# --- Email ----------------------------------------------------------------------------------------

if DEBUG:
    globals().update(env.email_url("EMAIL_URL", default="consolemail://"))
else:
    globals().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Colloquy <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A mail server that stops answering fails the send (to be retried by its task, accounts.tasks)
# instead of holding a worker, or inline a request, forever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# --- Internationalisation -------------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "site" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "config.storage.MinifiedStaticFilesStorage"
        )
    },
}

# --- Security -------------------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# A load balancer's health check speaks plain HTTP and reads a redirect as "down".
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)

# Which requests came over HTTPS. Under the README's gunicorn, gunicorn decides: it believes
# X-Forwarded-Proto only from FORWARDED_ALLOW_IPS (config/gunicorn.conf.py). Django believes a
# header itself only when told to (SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto=https"), for servers
# that only a proxy which always sets that header can reach; otherwise any client could claim HTTPS.
if _proxy_ssl_header := env("SECURE_PROXY_SSL_HEADER", default=""):
    _header, _, _value = _proxy_ssl_header.partition("=")
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _header.strip().upper().replace("-", "_"), _value.strip())

# Content-Security-Policy (django-csp) on every response: scripts, styles, images and fonts from
# the site's own origin only, and no inline script or style except a block carrying this response's
# nonce ({{ CSP_NONCE }} in templates). Nothing is loaded from elsewhere (tests/test_site.py), so
# nothing else needs allowing; Swagger UI draws its icons as data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Logging --------------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# --- API (Django REST framework) ------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an unauthenticated request then gets 401 with WWW-Authenticate, not 403.
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # JSON only; any malformed body is a 400 (api/parsers.py).
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONBodyParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # Every operation's problem responses (api/schema.py).
    "DEFAULT_SCHEMA_CLASS": "api.schema.ProblemsAutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    # Rates read per request (api/throttles.py); comment writes add the "comments" rate.
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttles.AnonymousThrottle",
        "api.throttles.ReaderThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="120/minute"),
        "user": env("API_THROTTLE_USER", default="600/minute"),
        "comments": env("API_THROTTLE_COMMENTS", default="10/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Colloquy API",
    "DESCRIPTION": "Articles, comments and moderation. Errors are application/problem+json.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Swagger UI as readers of every ability can use it (with site/static/css/api-docs.css): no
    # deep links, whose anchors would sit inside each operation's button.
    "SWAGGER_UI_SETTINGS": {
        "deepLinking": False,
        "displayRequestDuration": True,
        "defaultModelsExpandDepth": 0,
    },
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",  # the default
        "api.schema.apply_request_rules",
        "api.schema.rule_choices",
    ],
    "ENUM_NAME_OVERRIDES": {
        "CommentStatusEnum": "comments.models.Comment.Status",
        "ReportReasonEnum": "comments.models.Report.Reason",
        # The editors' endpoints (api/moderation.py).
        "SanctionKindEnum": "moderation.models.Sanction.Kind",
        "ModerationEventKindEnum": "moderation.models.ModerationEvent.Kind",
        "DecisionEnum": "api.moderation.DECISIONS",
        "QueueEnum": "api.moderation.QUEUE_SLUGS",
        "QueueOrderEnum": "api.moderation.QUEUE_ORDERS",
    },
}
# Personal API tokens (django-rest-knox): stored as hashes only, in accounts.ApiToken.
KNOX_TOKEN_MODEL = "accounts.ApiToken"  # noqa: S105  (a model name, not a secret)
# knox's own migrations create its default token table even when the model is swapped, and that
# stray table (with a key to users) breaks flushing on PostgreSQL: they are not needed at all.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {"TOKEN_TTL": None, "AUTO_REFRESH": False, "TOKEN_PREFIX": "colloquy_"}
API_TOKEN_LIFETIMES = {"30": 30, "90": 90, "365": 365, "never": None}  # choices offered, in days
API_TOKENS_PER_USER = 20

# Bodies above this size are refused (413) before anything reads them.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=256 * 1024)

# --- Colloquy -------------------------------------------------------------------------------------

# Section slugs that would shadow the site's own top-level URLs.
RESERVED_SECTION_SLUGS = {
    "accounts",
    "admin",
    "api",
    "comments",
    "feeds",
    "healthz",
    "media",
    "moderation",
    "robots.txt",
    "search",
    "sitemap.xml",
    "static",
    "users",
    "preview",
    "pages",
    "editor",
}
ARTICLES_PER_PAGE = env.int("ARTICLES_PER_PAGE", default=20)

# --- Comments -------------------------------------------------------------------------------------

# Replies nest to this depth (top-level comments are depth 0); a reply to a comment at the deepest
# level attaches beside it, to the same parent, so threads never become unreadably narrow.
COMMENTS_MAX_DEPTH = env.int("COMMENTS_MAX_DEPTH", default=3)
COMMENTS_MAX_LENGTH = env.int("COMMENTS_MAX_LENGTH", default=5000)
# How long after posting a reader may still edit their comment.
COMMENTS_EDIT_WINDOW = timedelta(minutes=env.int("COMMENTS_EDIT_WINDOW_MINUTES", default=15))
# Top-level comments (each with its replies) per page of a thread.
COMMENTS_PER_PAGE = env.int("COMMENTS_PER_PAGE", default=50)
# How long a rendered thread may sit in the cache; it is replaced sooner, whenever a visible comment
# of the article changes, so this only bounds staleness from changes outside comments (a username).
COMMENTS_THREAD_CACHE_SECONDS = env.int("COMMENTS_THREAD_CACHE_SECONDS", default=6 * 3600)
# "Helpful" reactions a reader may give or take back per minute (a fixed window in the shared
# cache; open when the cache is down, as the other rate limits).
COMMENTS_REACTIONS_PER_MINUTE = env.int("COMMENTS_REACTIONS_PER_MINUTE", default=30)
# What screens and moderates comments (comments/moderator.py): the comments app calls it and knows
# nothing else of moderation.
COMMENTS_MODERATOR = "moderation.hooks.Moderator"
# When a reader deletes their account: "keep" their comments (shown as by "deleted user") or
# "remove" them (placeholders stay where they have replies).
COMMENTS_ON_ACCOUNT_DELETION = env.str("COMMENTS_ON_ACCOUNT_DELETION", default="keep")
# Notifications (comments/notifications.py): editors who opt in hear of new held comments once the
# Pending queue holds this many; digests (followed discussions, the editors' queue) go out at most
# once per this many minutes per batch.
NOTIFICATIONS_PENDING_THRESHOLD = env.int("NOTIFICATIONS_PENDING_THRESHOLD", default=10)
NOTIFICATIONS_DIGEST_MINUTES = env.int("NOTIFICATIONS_DIGEST_MINUTES", default=60)

# --- Publishing (articles) ------------------------------------------------------------------------

# Revisions of articles: every save kept with who made it (the request's user, through the
# middleware, which must come after AuthenticationMiddleware) and when.
INSTALLED_APPS += ["simple_history"]
MIDDLEWARE += ["simple_history.middleware.HistoryRequestMiddleware"]
# Restores go through articles.publishing.restore_revision (it keeps the publishing rules), not
# through simple-history's revert form.
SIMPLE_HISTORY_REVERT_DISABLED = True
