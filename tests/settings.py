"""Settings for the test suite: the real settings, with test-only speed-ups.

DATABASE_URL and REDIS_URL come from the environment as in production, so the same suite runs on
SQLite with a local-memory cache and on PostgreSQL with Redis (.ci/run does both).
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("EMAIL_URL", "consolemail://")

from config.settings import *  # noqa: F403
from config.settings import CACHES, STORAGES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Editors' two-factor requirement is a production default; tests that check it turn it on.
EDITORS_REQUIRE_MFA = False
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Each test process gets its own key space, so parallel workers sharing one Redis don't collide,
# and its own folder for the file cache of the embedded default.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
_shared = {**CACHES["default"], "KEY_PREFIX": f"colloquy-test-{_worker}"}
if _shared["BACKEND"].endswith("FileBasedCache"):
    _shared["LOCATION"] = os.path.join(
        tempfile.gettempdir(), f"colloquy-test-cache-{os.getpid()}-{_worker}"
    )
CACHES = {**CACHES, "default": _shared}

# Serve static files straight from the finders: the suite never runs collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Every task runs inline, as in the embedded default, in both legs (with REDIS_URL too: no worker
# runs beside the suite; tests/test_task_queue.py starts a real one for itself).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
