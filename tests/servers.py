"""The site as production runs it, for tests: gunicorn in its own processes, a throwaway database.

`Site` migrates a fresh SQLite database (or uses the environment's), collects static files, runs
the README's production command on a free port and waits for /healthz/. `site.manage(...)` runs a
management command against the same database and settings, as an operator would; `site.shell(...)`
runs Python there and returns what it prints. Nothing here imports the project: the processes
are the project.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Site:
    """A production-shaped site in `folder`: DEBUG off, its own database and file cache."""

    def __init__(self, folder: Path, *, workers: int = 2, **environment: str) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.env = {
            **{
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("PYTEST", "DJANGO", "GUNICORN", "SECURE_", "COLLOQUY"))
            },
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_hex(32),
            "ALLOWED_HOSTS": "127.0.0.1",
            "EMAIL_URL": "consolemail://",
            "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "REDIS_URL": "",
            "CACHE_DIR": str(folder / "cache"),
            "STATIC_ROOT": str(folder / "static"),
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "EDITORS_REQUIRE_MFA": "0",
            "LOG_LEVEL": "WARNING",
            **environment,
        }
        self.process: subprocess.Popen | None = None

    # --- Commands against the site's database ------------------------------------------------

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            raise AssertionError(f"manage.py {' '.join(args)} failed:\n{done.stderr}")
        return done.stdout

    def shell(self, code: str) -> str:
        """Run Python with the site's settings; returns what it printed."""
        return self.manage("shell", "-c", code)

    def reader_with_token(self, name: str) -> tuple[int, str]:
        """A verified reader `name` and a personal API token of theirs; with the seed article's id.

        Returns (article id, token)."""
        article = self.shell(
            "from allauth.account.models import EmailAddress\n"
            "from accounts.models import User\n"
            "from articles.models import Article\n"
            f"user = User.objects.create_user({name!r}, {name + '@example.com'!r})\n"
            "EmailAddress.objects.create(\n"
            "    user=user, email=user.email, verified=True, primary=True\n"
            ")\n"
            "print(Article.objects.published().order_by('pk').first().pk)\n"
        )
        token = self.manage("create_api_token", name, "--name", "test", "--days", "1")
        return int(article.strip().splitlines()[-1]), token.strip()

    # --- The server ------------------------------------------------------------------------

    def start(self) -> Site:
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput")
        # The README's production command, with the address and workers of this test.
        command = [
            str(BIN / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--log-level",
            "warning",
        ]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**self.env, "DJANGO_SETTINGS_MODULE": "config.settings"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn stopped:\n{self.process.stderr.read().decode()}")
            try:
                if requests.get(f"{self.url}/healthz/", timeout=5).ok:
                    return self
            except requests.RequestException:  # not listening yet, or busy starting
                time.sleep(0.2)
        raise AssertionError("gunicorn did not answer /healthz/ in time")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def __enter__(self) -> Site:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
