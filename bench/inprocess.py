"""Milliseconds per request in this process (Django's test client, DEBUG off): the article page
anonymous and signed in, beside /healthz/, without a server or a network in between.

    .venv/bin/python bench/inprocess.py [--comments 200] [--requests 300] [--profile signed]

Builds a throwaway SQLite database (or uses DATABASE_URL's) with --comments on the seed article
(`manage.py seedbulk --on`), signs in one of seedbulk's readers, then times each page alone: the
best of three rounds of --requests each. `--profile anonymous|signed|healthz` prints the
top of a cProfile of that page instead.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
SEED_SLUG = "sudden-muscle-twitches-during-sleep"


def prepare(comments: int) -> None:
    """A throwaway database (SQLite in a temporary folder unless DATABASE_URL names one), migrated,
    with `comments` on the seed article (seedbulk: a third replies, 2% held); static files."""
    tmp = Path(tempfile.mkdtemp(prefix="colloquy-inprocess-"))
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "EMAIL_URL": "consolemail://",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'bench.sqlite3'}",
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        "LOG_LEVEL": "ERROR",
    }
    full = {**os.environ, **env}
    manage = [PYTHON, str(ROOT / "manage.py")]
    seed = ["seedbulk", "--on", SEED_SLUG, "--comments", str(comments), "--no-progress"]
    for step in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"], seed):
        subprocess.run([*manage, *step], env=full, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    os.environ.update(env)


def session_of(username: str) -> str:
    """A signed-in session for this reader (seedbulk's readers have verified addresses)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from accounts.models import User

    reader = User.objects.get(username=username)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(reader.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = reader.get_session_auth_hash()
    store.create()
    return store.session_key


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=200)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", choices=["anonymous", "signed", "healthz"])
    args = parser.parse_args()
    prepare(args.comments)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article

    article = Article.objects.get(slug=SEED_SLUG).get_absolute_url()
    signed = Client()
    signed.cookies[settings.SESSION_COOKIE_NAME] = session_of("reader-0")
    pages = {
        "healthz": (Client(), "/healthz/"),
        "anonymous": (Client(), article),
        "signed": (signed, article),
    }
    queries = {}
    for name, (client, url) in pages.items():
        for _ in range(5):  # warm every cache, as a running site has them
            assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as ran:
            client.get(url)
        queries[name] = len(ran)
    if args.profile:
        client, url = pages[args.profile]
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.requests):
            client.get(url)
        profiler.disable()
        profiler.dump_stats(os.environ.get("PROFILE_OUT", "/tmp/colloquy-inprocess.prof"))
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        return
    timings = {}
    for name, (client, url) in pages.items():
        best = []
        for _ in range(3):
            start = time.perf_counter()
            for _ in range(args.requests):
                client.get(url)
            best.append((time.perf_counter() - start) * 1000 / args.requests)
        timings[name] = min(best)
    floor = timings["healthz"]
    for name, ms in timings.items():
        print(
            f"{name:10} {ms:7.2f} ms/request  {100 * floor / ms:5.0f}% of /healthz/"
            f"  {queries[name]} queries"
        )
    print(json.dumps({"queries": queries, "ms": timings}))


if __name__ == "__main__":
    main()
