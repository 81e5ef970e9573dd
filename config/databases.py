"""The databases: the primary from DATABASE_URL, an optional read replica, and how each connects.

PostgreSQL connections come from psycopg's pool (Django's "pool" option): each process keeps a few
open connections, checks one before lending it (a server restart or a failover costs a retry, not
a 500), and replaces them as they age. The pool is opened by the first query, never at import, so
a process that forks (gunicorn's master never touches the database; Celery's prefork workers close
an inherited pool themselves) never shares a connection with its children.

SQLite keeps one persistent connection per process instead (CONN_MAX_AGE), with its PRAGMAs.
"""

from __future__ import annotations

from typing import Any

POSTGRESQL = "django.db.backends.postgresql"
SQLITE = "django.db.backends.sqlite3"


def configure(database: dict[str, Any], *, env: Any) -> dict[str, Any]:
    """`database` (from a URL) with the connection settings this project runs it with."""
    database = {**database, "CONN_HEALTH_CHECKS": True}
    options = dict(database.get("OPTIONS", {}))
    if database["ENGINE"] == POSTGRESQL and env.bool("DATABASE_POOL", default=True):
        # Django refuses a pool with persistent connections: the pool is what persists.
        database["CONN_MAX_AGE"] = 0
        # Gunicorn's sync workers need one connection at a time; the headroom is for threads
        # (Celery's, runserver's). Each process has its own pool: the server's max_connections
        # must cover web processes x DATABASE_POOL_MAX_SIZE plus the workers' (docs/deploy.md).
        options["pool"] = {
            "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=1),
            "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=4),
            # How long a request waits for a free connection before failing.
            "timeout": env.float("DATABASE_POOL_TIMEOUT", default=10.0),
            # Connections are replaced after this long (a failover, a server's memory growth).
            "max_lifetime": env.float("DATABASE_POOL_MAX_LIFETIME", default=1800.0),
        }
    else:
        # Each worker keeps its connection between requests (checked before reuse): opening one
        # (and, for SQLite, running its PRAGMAs) on every request cost more than the rest of a
        # small request.
        database["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
    if database["ENGINE"] == SQLITE:
        # SQLite behind a web server: WAL lets readers run beside a writer, IMMEDIATE takes the
        # write lock at BEGIN (no "database is locked" upgrade failures), and writers wait
        # instead of failing.
        options.update(
            {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            }
        )
    database["OPTIONS"] = options
    return database
