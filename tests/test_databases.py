"""How the site connects to its databases (config/databases.py).

PostgreSQL: psycopg's pool, each connection checked before it is lent, sizes from the environment;
under gunicorn every worker opens its own pool after the fork, and a connection the server killed
costs nothing but a reconnect. SQLite: one persistent connection per process, with its PRAGMAs.
"""

from __future__ import annotations

import os
from urllib.parse import urlparse

import environ
import psycopg
import pytest
import requests
from django.db import connection

from config.databases import configure
from tests.servers import Site

PG_URL = "postgres://colloquy@db.example:5432/colloquy"
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only (CI's second leg)"
)


def settings_for(url: str, monkeypatch, **environment: str) -> dict:
    for name in (
        "DATABASE_POOL",
        "DATABASE_POOL_MIN_SIZE",
        "DATABASE_POOL_MAX_SIZE",
        "DATABASE_POOL_TIMEOUT",
        "DATABASE_POOL_MAX_LIFETIME",
        "CONN_MAX_AGE",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    env = environ.Env()
    return configure(env.db_url_config(url), env=env)


def test_postgresql_connections_come_from_a_checked_pool(monkeypatch):
    database = settings_for(PG_URL, monkeypatch)
    assert database["OPTIONS"]["pool"] == {
        "min_size": 1,
        "max_size": 4,
        "timeout": 10.0,
        "max_lifetime": 1800.0,
    }
    # Django refuses a pool beside persistent connections; with health checks on, it gives the
    # pool psycopg's check, run on each connection before it is lent.
    assert database["CONN_MAX_AGE"] == 0
    assert database["CONN_HEALTH_CHECKS"] is True


def test_the_pool_sizes_come_from_the_environment(monkeypatch):
    database = settings_for(
        PG_URL,
        monkeypatch,
        DATABASE_POOL_MIN_SIZE="2",
        DATABASE_POOL_MAX_SIZE="8",
        DATABASE_POOL_TIMEOUT="3",
        DATABASE_POOL_MAX_LIFETIME="600",
    )
    assert database["OPTIONS"]["pool"] == {
        "min_size": 2,
        "max_size": 8,
        "timeout": 3.0,
        "max_lifetime": 600.0,
    }


def test_without_the_pool_postgresql_keeps_a_persistent_connection(monkeypatch):
    # Behind an external pooler (PgBouncer) a pool in each process is one pool too many.
    database = settings_for(PG_URL, monkeypatch, DATABASE_POOL="0", CONN_MAX_AGE="60")
    assert "pool" not in database["OPTIONS"]
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True


def test_sqlite_keeps_one_persistent_connection_with_its_pragmas(monkeypatch):
    database = settings_for("sqlite:////tmp/colloquy.sqlite3", monkeypatch)
    assert "pool" not in database["OPTIONS"]
    assert database["CONN_MAX_AGE"] == 600
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db
def test_on_postgres_the_suite_itself_runs_on_the_pool():
    connection.ensure_connection()
    assert connection.pool is not None
    assert connection.settings_dict["OPTIONS"]["pool"]["max_size"] == 4


# --- Under gunicorn -------------------------------------------------------------------------------

ARTICLE = "/more/health/recovery/sudden-muscle-twitches-during-sleep/"


def _admin_url() -> str:
    url = urlparse(os.environ["DATABASE_URL"])
    return url._replace(path="/postgres").geturl()


@pytest.fixture(scope="module")
def pooled_site(tmp_path_factory):
    """The production command on a PostgreSQL database of its own, with a small pool."""
    url = urlparse(os.environ["DATABASE_URL"])
    name = f"{url.path.lstrip('/')}_pool_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    with psycopg.connect(_admin_url(), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    site = Site(
        tmp_path_factory.mktemp("pooled"),
        DATABASE_URL=url._replace(path=f"/{name}").geturl(),
        DATABASE_POOL_MAX_SIZE="2",
    )
    try:
        with site:
            site.database = name
            site.article, site.token = site.reader_with_token("pooled")
            yield site
    finally:
        with psycopg.connect(_admin_url(), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _backends(database: str) -> list[int]:
    with psycopg.connect(_admin_url(), autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        ).fetchall()
    return [pid for (pid,) in rows]


@on_postgres
@pytest.mark.postgres
def test_on_postgres_gunicorn_workers_serve_from_their_own_pools(pooled_site):
    site = pooled_site
    # Pages and the API, reads and a write, shared between the two workers.
    for _ in range(20):
        assert requests.get(site.url + ARTICLE, timeout=30).status_code == 200
        assert requests.get(f"{site.url}/api/articles/", timeout=30).status_code == 200
    posted = requests.post(
        f"{site.url}/api/articles/{site.article}/comments/",
        json={"body": "Through the pool."},
        headers={"Authorization": f"Token {site.token}"},
        timeout=30,
    )
    assert posted.status_code == 201, posted.text
    # Each of the two workers holds at most its pool's two connections: never one per request.
    assert 1 <= len(_backends(site.database)) <= 4


@on_postgres
@pytest.mark.postgres
def test_on_postgres_a_connection_the_server_dropped_is_replaced_not_a_500(pooled_site):
    site = pooled_site
    for _ in range(6):
        assert requests.get(f"{site.url}/api/articles/", timeout=30).status_code == 200
    # What a restart or a failover does to every open connection.
    with psycopg.connect(_admin_url(), autocommit=True) as admin:
        for pid in _backends(site.database):
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    statuses = [
        requests.get(f"{site.url}/api/articles/", timeout=30).status_code for _ in range(10)
    ]
    assert statuses == [200] * 10
