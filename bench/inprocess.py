"""Milliseconds per request in this process (Django's test client, DEBUG off): the article page
anonymous and signed in, beside /healthz/, without a server or a network in between.

    .venv/bin/python bench/inprocess.py [--comments 200] [--requests 300] [--profile signed]

Builds a throwaway SQLite database as bench/pages.py does (the seed article with --comments
approved comments), then times each page alone. `--profile anonymous|signed|healthz` prints the
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
ARTICLE = "/more/health/recovery/sudden-muscle-twitches-during-sleep/"


def prepare(comments: int) -> dict:
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
        "BENCH_COMMENTS": str(comments),
        "LOG_LEVEL": "ERROR",
    }
    full = {**os.environ, **env}
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=full, check=True, cwd=ROOT)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=full, check=True, cwd=ROOT)
    seeded = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "seed_thread.py"), ARTICLE],
        env=full,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if seeded.returncode:
        raise SystemExit(f"seeding failed:\n{seeded.stderr[-2000:]}")
    os.environ.update(env)
    return json.loads(seeded.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=200)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", choices=["anonymous", "signed", "healthz"])
    args = parser.parse_args()
    facts = prepare(args.comments)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client

    signed = Client()
    signed.cookies["sessionid"] = facts["session"]
    pages = {
        "healthz": (Client(), "/healthz/"),
        "anonymous": (Client(), ARTICLE),
        "signed": (signed, ARTICLE),
    }
    for client, url in pages.values():
        for _ in range(5):  # warm every cache, as a running site has them
            assert client.get(url).status_code == 200
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
        print(f"{name:10} {ms:7.2f} ms/request  {100 * floor / ms:5.0f}% of /healthz/")
    print(json.dumps({"queries": facts["queries"], "ms": timings}))


if __name__ == "__main__":
    main()
