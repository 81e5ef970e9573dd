"""`make bench`: the site under its production command, measured with wrk, in one table.

    make bench                                   # SQLite in a temporary folder, files for the cache
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/colloquy_bench_run \\
    REDIS_URL=redis://127.0.0.1:6379/4 make bench   # PostgreSQL + Redis

Everything happens in a throwaway database: on SQLite a file in a temporary folder; on PostgreSQL
a new database named after DATABASE_URL's (`<name>_<random>`, made on the same server and dropped
at the end; the one named is never touched). Redis keys get a prefix of their own, deleted at the
end. Steps: migrate, seed (the seed article with BENCH_THREAD approved comments for the pages;
BENCH_COMMENTS more, 2% pending, on BENCH_ARTICLES other articles for the queue), collectstatic,
the README's production command (`gunicorn -c config/gunicorn.conf.py config.wsgi`, 2 workers,
DEBUG off; rate limits raised, as a benchmark must), then `wrk -t2 -c16 -d10s` on each row, and
the time `moderation.decisions.decide_many` takes to approve 500 pending comments at once.

Prints one table (requests/s, p50, p95, p99, share of /healthz/ in the same run) and writes it as
JSON to bench/results/<date>-<database>.json. Every request goes to 127.0.0.1.

Environment: BENCH_COMMENTS (default 1,000,000 on PostgreSQL, 100,000 on SQLite), BENCH_THREAD
(200), BENCH_ARTICLES (20), BENCH_DURATION (10 seconds per row), BENCH_CONNECTIONS (16),
BENCH_SOLO_DURATION (5 seconds per row of one request at a time).
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
SEED_SLUG = "sudden-muscle-twitches-during-sleep"
POSTERS = 32  # readers taking turns to post, so each one's history stays realistic
APPROVE = 500


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env: dict[str, str], *args: str, capture: bool = False) -> str:
    done = subprocess.run(
        [str(BIN / "python"), str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return done.stdout or ""


def step(env: dict[str, str], name: str) -> dict:
    """A step that needs Django (this file, run again with --step): its last line is JSON."""
    out = subprocess.run(
        [str(BIN / "python"), __file__, "--step", name],
        env=env,
        cwd=ROOT,
        check=True,
        text=True,
        stdout=subprocess.PIPE,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


# --- The throwaway database -------------------------------------------------------------------


class Database:
    """A database of our own: a SQLite file, or a new PostgreSQL database beside the one named."""

    def __init__(self, url: str, tmp: Path) -> None:
        self.given = url
        self.name: str | None = None
        if not url:
            self.kind, self.url = "sqlite", f"sqlite:///{tmp / 'bench.sqlite3'}"
            return
        parts = urlsplit(url)
        if not parts.scheme.startswith("postgres"):
            raise SystemExit("DATABASE_URL: PostgreSQL only (leave it unset for SQLite).")
        self.kind = "postgresql"
        base = parts.path.lstrip("/") or "colloquy_bench"
        self.name = f"{base}_{secrets.token_hex(4)}"
        self.url = urlunsplit(parts._replace(path=f"/{self.name}"))
        self._admin(f'CREATE DATABASE "{self.name}"')

    def _admin(self, sql: str) -> None:
        import psycopg

        parts = urlsplit(self.given)
        with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as db:
            db.execute(sql)

    def drop(self) -> None:
        if self.name:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def forget_redis(url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"*{prefix}*", count=1000))
    if keys:
        client.delete(*keys)


# --- Measuring ----------------------------------------------------------------------------------


def wait_for(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer in time")


def settle(port: int, timeout: float = 30) -> None:
    """Wait until the workers are idle: when wrk stops, requests it had in flight are still
    queued in the listen backlog, and would be counted against the next row."""
    deadline = time.monotonic() + timeout
    quick = 0
    while quick < 3 and time.monotonic() < deadline:
        started = time.monotonic()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/healthz/")
        conn.getresponse().read()
        quick = quick + 1 if time.monotonic() - started < 0.05 else 0
        time.sleep(0.1)


def warm(port: int, path: str, headers: dict[str, str]) -> int:
    """A few requests first, so each worker has its caches as a running site has them."""
    status = 0
    for _ in range(10):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        status = response.status
    return status


def run_wrk(url: str, *, duration: int, connections: int, extra: dict[str, str]) -> dict:
    env = {**os.environ, **extra}
    out = subprocess.run(
        [
            "wrk",
            f"-t{min(2, connections)}",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "10s",
            "-s",
            str(ROOT / "bench" / "wrk.lua"),
            url,
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = re.search(r"^BENCH (.*)$", out, flags=re.M)
    if line is None:
        raise SystemExit(f"wrk said:\n{out}")
    raw = json.loads(line.group(1))
    return {
        "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "requests": raw["requests"],
        "errors": raw["non_2xx_3xx"] + raw["socket_errors"],
    }


def main() -> None:
    duration = int(os.environ.get("BENCH_DURATION", "10"))
    connections = int(os.environ.get("BENCH_CONNECTIONS", "16"))
    solo_duration = int(os.environ.get("BENCH_SOLO_DURATION", "5"))
    tmp = Path(tempfile.mkdtemp(prefix="colloquy-bench-"))
    database = Database(os.environ.get("DATABASE_URL", ""), tmp)
    redis_url = os.environ.get("REDIS_URL", "")
    default_comments = 1_000_000 if database.kind == "postgresql" else 100_000
    comments = int(os.environ.get("BENCH_COMMENTS", default_comments))
    thread = int(os.environ.get("BENCH_THREAD", "200"))
    articles = int(os.environ.get("BENCH_ARTICLES", "20"))
    prefix = f"bench-{secrets.token_hex(4)}"
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + secrets.token_hex(24),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "EMAIL_URL": "consolemail://",
        "DATABASE_URL": database.url,
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": prefix,
        "CACHE_DIR": str(tmp / "cache"),
        "STATIC_ROOT": str(tmp / "static"),
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "LOG_LEVEL": "ERROR",
        # Measure the pages, not the throttles (the suite tests the 429s).
        "API_THROTTLE_ANON": "10000000/minute",
        "API_THROTTLE_USER": "10000000/minute",
        "API_THROTTLE_COMMENTS": "10000000/minute",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "BENCH_POSTERS": str(POSTERS),
    }
    server = None
    try:
        started = time.monotonic()
        print(f"== a throwaway {database.kind} database, migrated", flush=True)
        manage(env, "migrate", "--noinput", "-v0")
        print(f"== {thread} comments on the seed article, {comments:,} on {articles} others")
        manage(env, "seedbulk", "--comments", str(thread), "--on", SEED_SLUG, "--pending", "0")
        manage(env, "seedbulk", "--comments", str(comments), "--articles", str(articles))
        seeded = time.monotonic() - started
        facts = step(env, "setup")
        manage(env, "collectstatic", "--noinput", "-v0")
        print("== gunicorn -c config/gunicorn.conf.py config.wsgi (2 workers, DEBUG off)")
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "config/gunicorn.conf.py", "config.wsgi"],
            env=env,
            cwd=ROOT,
        )
        wait_for(port)
        base = f"http://127.0.0.1:{port}"
        article = facts["article_path"]
        api_thread = f"/api/articles/{facts['article_id']}/comments/"
        rows = [
            ("/healthz/", "/healthz/", {}),
            ("article, anonymous", article, {}),
            ("article, signed in", article, {"BENCH_COOKIE": facts["cookie"]}),
            ("API thread", api_thread, {}),
            (
                "Pending queue (API, editor)",
                "/api/moderation/queues/pending/",
                {"BENCH_AUTH": f"Token {facts['editor_token']}"},
            ),
            ("post a comment (API)", api_thread, {"BENCH_TOKENS": ",".join(facts["tokens"])}),
        ]
        print(f"== wrk -t2 -c{connections} -d{duration}s on each row", flush=True)
        results = []
        for label, path, extra in rows:
            headers = {}
            if "BENCH_COOKIE" in extra:
                headers["Cookie"] = extra["BENCH_COOKIE"]
            if "BENCH_AUTH" in extra:
                headers["Authorization"] = extra["BENCH_AUTH"]
            settle(port)
            status = warm(port, path, headers)
            if status != 200:
                raise SystemExit(f"{label}: {path} answered {status}")
            result = run_wrk(base + path, duration=duration, connections=connections, extra=extra)
            # One request at a time: the latency of a request itself, without the queue that 16
            # connections on 2 workers make (p50 under load is about 16 / (req/s)).
            settle(port)
            solo = run_wrk(base + path, duration=solo_duration, connections=1, extra=extra)
            result |= {"solo_p50_ms": solo["p50_ms"], "solo_p95_ms": solo["p95_ms"]}
            results.append({"row": label, "path": path, **result})
            print(f"   {label}: {result['rps']:.0f} req/s", flush=True)
        server.terminate()
        server.wait(timeout=30)
        server = None
        approval = step(env, "approve")
        floor = results[0]["rps"]
        for result in results:
            result["share_of_healthz"] = result["rps"] / floor
        report = {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database": database.kind,
            "cache": "redis" if redis_url else "files",
            "commit": _commit(),
            "machine": {
                "cpus": os.cpu_count(),
                "load_average": os.getloadavg(),
                "python": platform.python_version(),
            },
            "wrk": f"wrk -t2 -c{connections} -d{duration}s",
            "wrk_solo": f"wrk -t1 -c1 -d{solo_duration}s",
            "gunicorn_workers": 2,
            "seed_thread_comments": thread,
            "comments": facts["comments"],
            "pending": facts["pending"],
            "seeding_seconds": round(seeded, 1),
            "rows": results,
            "approve": approval,
        }
        print_table(report)
        out = ROOT / "bench" / "results"
        out.mkdir(exist_ok=True)
        name = out / f"{dt.date.today().isoformat()}-{database.kind}.json"
        name.write_text(json.dumps(report, indent=2) + "\n")
        print(f"\nWritten to {name.relative_to(ROOT)}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        database.drop()
        if redis_url:
            forget_redis(redis_url, prefix)
        shutil.rmtree(tmp, ignore_errors=True)


def _commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return done.stdout.strip()


def print_table(report: dict) -> None:
    print(
        f"\n{report['database']} + {report['cache']} cache, {report['comments']:,} comments "
        f"({report['pending']:,} pending), seed article with {report['seed_thread_comments']} "
        f"comments; gunicorn 2 workers; {report['wrk']}; {report['machine']['cpus']} CPUs, "
        f"load {report['machine']['load_average'][0]:.1f}\n"
    )
    print(
        f"| {'':<28} | {'req/s':>8} | {'p50 ms':>7} | {'p95 ms':>7} | {'p99 ms':>7} "
        f"| {'of /healthz/':>12} | {'errors':>6} | {'alone p50':>9} | {'alone p95':>9} |"
    )
    print(
        f"|{'-' * 30}|{'-' * 9}:|{'-' * 8}:|{'-' * 8}:|{'-' * 8}:|{'-' * 13}:|{'-' * 7}:"
        f"|{'-' * 10}:|{'-' * 10}:|"
    )
    for r in report["rows"]:
        print(
            f"| {r['row']:<28} | {r['rps']:>8,.0f} | {r['p50_ms']:>7.1f} | {r['p95_ms']:>7.1f} "
            f"| {r['p99_ms']:>7.1f} | {r['share_of_healthz']:>11.1%} | {r['errors']:>6} "
            f"| {r['solo_p50_ms']:>9.1f} | {r['solo_p95_ms']:>9.1f} |"
        )
    print(f"(alone: {report['wrk_solo']}, one request at a time; latencies in ms)")
    a = report["approve"]
    print(
        f"\nApproving {a['decided']} pending comments at once (decide_many): {a['seconds']:.3f} s"
        f" ({a['queries']} queries)"
    )


# --- Steps that need Django (run in a subprocess with the bench's environment) -----------------


def setup_step() -> dict:
    """Who the bench acts as: a signed-in reader's session, posters' and an editor's tokens."""
    from importlib import import_module

    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from accounts.models import User
    from accounts.roles import make_editor
    from accounts.tokens import create_token
    from articles.models import Article
    from comments.models import Comment
    from moderation.models import ModerationSettings

    # The posting limits are the editors' settings: off, or the bench measures refusals.
    ModerationSettings.objects.update_or_create(
        pk=1, defaults={"max_per_minute": 0, "duplicate_minutes": 0}
    )
    reader = User.objects.get(username="reader-0")
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(reader.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = reader.get_session_auth_hash()
    store.create()
    posters = User.objects.filter(username__startswith="reader-").order_by("pk")
    tokens = [
        create_token(user=user, name="bench", lifetime_days=1)[1]
        for user in posters[: int(os.environ["BENCH_POSTERS"])]
    ]
    editor = make_editor(User.objects.create_user("bench-editor", "editor@example.com"))
    TOTP.activate(editor, generate_totp_secret())  # editors need two factors with DEBUG off
    article = Article.objects.get(slug=SEED_SLUG)
    return {
        "article_id": article.pk,
        "article_path": article.get_absolute_url(),
        "cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}",
        "tokens": tokens,
        "editor_token": create_token(user=editor, name="bench", lifetime_days=1)[1],
        "comments": Comment.objects.count(),
        "pending": Comment.objects.in_queue("pending").count(),
    }


def approve_step() -> dict:
    """The oldest 500 pending comments approved in one go, as the queue's bulk action does."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from comments.models import Comment
    from moderation.decisions import decide_many

    editor = User.objects.get(username="bench-editor")
    pending = list(Comment.objects.in_queue("pending").order_by("created_at", "pk")[:APPROVE])
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        outcome = decide_many(pending, "approve", by=editor)
    seconds = time.perf_counter() - started
    return {
        "decided": len(outcome.decided),
        "refused": len(outcome.refused),
        "seconds": round(seconds, 4),
        "queries": len(queries),
        "articles": len({c.article_id for c in pending}),
    }


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--step":
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        print(json.dumps({"setup": setup_step, "approve": approve_step}[sys.argv[2]]()))
    else:
        main()
