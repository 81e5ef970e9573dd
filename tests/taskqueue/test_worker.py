"""A real worker: the README's `celery -A config worker` against Redis and a real database.

Runs where REDIS_URL names a Redis (the PostgreSQL and Redis leg of .ci/run); without REDIS_URL
it is skipped, and with a REDIS_URL that does not answer it fails under CI and is skipped
elsewhere. The worker gets a database of its own: a fresh PostgreSQL database beside the suite's
when DATABASE_URL is PostgreSQL, else a SQLite file. The test process queues tasks through the
broker, as a web process does, and reads their effects from the worker's database.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import redis
from celery import Celery

from tests.servers import BIN, ROOT, Site, free_port

REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = pytest.mark.skipif(not REDIS_URL, reason="needs REDIS_URL (the PostgreSQL/Redis leg)")


@pytest.fixture(scope="module", autouse=True)
def _redis_answers() -> None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        if os.environ.get("CI"):
            pytest.fail(f"REDIS_URL is set but Redis does not answer: {error}")
        pytest.skip(f"Redis at REDIS_URL does not answer: {error}")


def worker_command() -> str:
    """The README's command that starts a worker (its production section), as written."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Production\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    lines = [line for block in blocks for line in block.splitlines()]
    [command] = [line for line in lines if line.startswith("celery -A config worker")]
    return command


@pytest.fixture
def worker_database(tmp_path) -> Iterator[tuple[str, Callable[[str], list[tuple[Any, ...]]]]]:
    """A database URL for the worker's site, and a function that runs SQL there."""
    suite = os.environ.get("DATABASE_URL", "")
    if not suite.startswith(("postgres://", "postgresql://")):
        path = tmp_path / "worker.sqlite3"

        def sqlite_query(sql: str) -> list[tuple[Any, ...]]:
            with closing(sqlite3.connect(path, timeout=10)) as connection:
                return connection.execute(sql).fetchall()

        yield f"sqlite:///{path}", sqlite_query
        return
    parts = urlsplit(suite)
    name = f"colloquy_worker_{uuid.uuid4().hex[:12]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    url = urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def postgres_query(sql: str) -> list[tuple[Any, ...]]:
        with psycopg.connect(url, autocommit=True) as connection:
            return connection.execute(sql).fetchall()  # type: ignore[arg-type]

    try:
        yield url, postgres_query
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def eventually(check: Callable[[], Any], *, seconds: float, log: Path) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.5)
    raise AssertionError(f"Not seen in {seconds} s. The worker's log:\n{log.read_text()[-4000:]}")


SEED = """
from articles.models import Article
from accounts.models import User
from comments.models import Comment, Thread
article = Article.objects.published().first()
author = User.objects.create(username="worker-test", email="worker-test@example.com")
for n in range(3):
    Comment.objects.create(article=article, author=author, body=f"Comment {n}", status="approved")
Thread.objects.filter(article=article).update(visible_count=999)  # behind the services' back
print(article.pk)
"""


def test_a_real_worker_runs_queued_tasks_retries_and_dead_letters(tmp_path, worker_database):
    database_url, query = worker_database
    closed_port = free_port()  # nothing listens there: the mail server is down
    site = Site(
        tmp_path,
        DATABASE_URL=database_url,
        REDIS_URL=REDIS_URL,
        EMAIL_URL=f"smtp://127.0.0.1:{closed_port}",
        TASKS_MAX_RETRIES="2",
        CELERY_BEAT_SCHEDULE_FILENAME=str(tmp_path / "celerybeat-schedule"),
        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    site.manage("migrate", "--noinput")
    article_id = int(site.shell(SEED).split()[-1])

    log = tmp_path / "worker.log"
    with log.open("w") as out:
        worker = subprocess.Popen(  # noqa: S602  (the README's line, run as an operator would)
            worker_command(),
            shell=True,
            cwd=ROOT,
            env=site.env,
            stdout=out,
            stderr=out,
            start_new_session=True,  # its own process group: the shell, Celery and its children
        )
    try:
        # Queued from this process through the broker, by name, as the web processes do.
        producer = Celery(broker=REDIS_URL)
        producer.send_task("comments.tasks.recount_threads")
        message = {"subject": "Hello", "body": "Hi.", "to": ["someone@example.com"]}
        producer.send_task("accounts.tasks.send_email", args=[message])

        counted = f"SELECT visible_count FROM comments_thread WHERE article_id = {article_id:d}"  # noqa: S608
        assert eventually(lambda: query(counted) == [(3,)], seconds=90, log=log)

        # The email: its first try and two retries fail (backoff 1 s, 2 s), then a dead letter.
        letters = "SELECT task_name, retries, exception FROM taskqueue_deadletter"
        [(name, retries, exception)] = eventually(lambda: query(letters), seconds=60, log=log)
        assert (name, retries) == ("accounts.tasks.send_email", 2)
        assert "Connection refused" in exception or "ConnectionRefusedError" in exception
        assert worker.poll() is None, log.read_text()
    finally:
        os.killpg(worker.pid, signal.SIGTERM)  # a warm shutdown, as an operator's stop
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
