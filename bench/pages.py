"""Throughput of the public pages under gunicorn, as a reader's browser would load them.

    .venv/bin/python bench/pages.py [--comments 200] [--duration 10] [--workers 2]
                                    [--database-url URL] [--redis-url URL]

Builds a throwaway database (SQLite in a temporary folder unless --database-url is given), puts
--comments approved comments (a third of them replies) on the seed article, starts gunicorn with
DEBUG off on a free loopback port, and loads each page with wrk (`apt-get install wrk`) or, where
wrk is missing, a small threaded Python client. Prints requests per second, latency percentiles and
the SQL queries each page costs. Every request goes to 127.0.0.1 only; the run is bounded by
--duration per page.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
ARTICLE = "/more/health/recovery/sudden-muscle-twitches-during-sleep/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer in time")


def run_wrk(url: str, duration: int, cookie: str | None) -> dict:
    cmd = ["wrk", "-t2", "-c8", f"-d{duration}s", "--latency", url]
    if cookie:
        cmd[1:1] = ["-H", f"Cookie: sessionid={cookie}"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)", out, flags=re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50": lat.get("50"),
        "p99": lat.get("99"),
        "errors": int(errors.group(1)) if errors else 0,
    }


def run_python(port: int, path: str, duration: int, cookie: str | None) -> dict:
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + duration
    lock = threading.Lock()

    def worker() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
        while time.monotonic() < stop:
            start = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            with lock:
                latencies.append(time.perf_counter() - start)
                errors += response.status >= 400

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    ms = lambda q: f"{latencies[int(q * (len(latencies) - 1))] * 1000:.1f}ms"  # noqa: E731
    return {"rps": len(latencies) / duration, "p50": ms(0.5), "p99": ms(0.99), "errors": errors}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=200)
    parser.add_argument("--duration", type=int, default=10, help="seconds per page")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url")
    parser.add_argument("--redis-url", default="")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="colloquy-bench-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "EMAIL_URL": "consolemail://",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "DATABASE_URL": args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}",
        "REDIS_URL": args.redis_url,
        "BENCH_COMMENTS": str(args.comments),
        "LOG_LEVEL": "ERROR",
        # Measure the pages, not the throttle.
        "API_THROTTLE_ANON": "1000000/minute",
        "API_THROTTLE_USER": "1000000/minute",
    }
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    seeded = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "seed_thread.py"), ARTICLE],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if seeded.returncode:
        raise SystemExit(f"seeding failed:\n{seeded.stderr[-2000:]}")
    facts = json.loads(seeded.stdout.strip().splitlines()[-1])

    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        wait_for(port)
        use_wrk = shutil.which("wrk") is not None
        print(
            f"gunicorn {args.workers} workers, {args.comments} comments, "
            f"{'wrk -t2 -c8' if use_wrk else 'python client, 8 threads'}, {args.duration}s/page, "
            f"database {env['DATABASE_URL'].split(':')[0]}, cache "
            f"{'redis' if args.redis_url else 'local memory'}"
        )
        pages = [
            ("/healthz/", None, "healthz"),
            (ARTICLE, None, "article, anonymous"),
            (ARTICLE, facts["session"], "article, signed in"),
            ("/api/articles/", None, "API article list"),
        ]
        print(f"{'page':<22} {'req/s':>9} {'p50':>9} {'p99':>9} {'errors':>7} {'SQL':>4}")
        for path, cookie, label in pages:
            for _ in range(20):  # warm each worker's caches
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request(
                    "GET", path, headers={"Cookie": f"sessionid={cookie}"} if cookie else {}
                )
                conn.getresponse().read()
            if use_wrk:
                result = run_wrk(f"http://127.0.0.1:{port}{path}", args.duration, cookie)
            else:
                result = run_python(port, path, args.duration, cookie)
            sql = ""
            if path == ARTICLE:
                sql = facts["queries"]["signed in" if cookie else "anonymous"]
            print(
                f"{label:<22} {result['rps']:>9.1f} {result['p50']:>9} {result['p99']:>9} "
                f"{result['errors']:>7} {sql!s:>4}"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
