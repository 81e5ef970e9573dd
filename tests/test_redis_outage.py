"""With Redis unreachable the site degrades, it does not break.

A Redis the test starts (and stops) holds the shared cache, as REDIS_URL makes it in production.
With it gone, pages render from the database, posting, logging in and moderating keep working
(rate limits fail open, as the README says), and /healthz/ reports the cache as degraded while
the database is fine; once it is back, the cache is used again.
"""

from __future__ import annotations

import shutil
import subprocess
import time

import pytest
import redis
from django.test import override_settings

from comments.models import Comment
from config.cache import redis_cache
from tests.comments.conftest import CommentFactory, post_form
from tests.conftest import trust
from tests.servers import free_port

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server"),
]


class RedisServer:
    """A redis-server of the test's own, on a free port, that keeps nothing on disk."""

    def __init__(self, folder) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def on_that_redis(redis_server, settings):
    caches = {**settings.CACHES, "default": redis_cache(redis_server.url, prefix="outage")}
    with override_settings(CACHES=caches):
        yield redis_server


def test_the_site_keeps_working_while_redis_is_down(client, on_that_redis, article, reader, editor):
    trust(reader)
    CommentFactory(article=article, body="Published before the outage.")
    assert client.get("/healthz/").json() == {"status": "ok", "database": "ok", "cache": "ok"}

    on_that_redis.stop()

    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert "Published before the outage." in page.content.decode()
    assert client.get(f"/api/articles/{article.pk}/comments/").status_code == 200
    login = client.post(
        "/accounts/login/", {"login": "reader", "password": "correct horse battery staple"}
    )
    assert login.status_code == 302  # the login rate limit fails open
    assert post_form(client, article, "Posted during the outage.").status_code == 302
    assert (
        client.post(
            f"/api/articles/{article.pk}/comments/",
            {"body": "Through the API too."},
            content_type="application/json",
        ).status_code
        == 201
    )
    held = CommentFactory(article=article, status=Comment.Status.PENDING, body="Held.")
    client.force_login(editor)
    decided = client.post(f"/moderation/comments/{held.pk}/approve/", {"version": held.version})
    assert decided.status_code == 303
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Posted during the outage." in page and "Held." in page
    health = client.get("/healthz/")
    assert health.status_code == 200
    assert health.json() == {"status": "degraded", "database": "ok", "cache": "unreachable"}

    on_that_redis.start()
    assert client.get("/healthz/").json()["cache"] == "ok"
