# Shell functions for the scripts that need PostgreSQL and Redis (.ci/run, .ci/prod-local).
# services_up ADMIN_URL DATABASE_URL REDIS_URL: both answer, and the database exists (made if not).
# start_services: start them with this kind of machine's commands; harmless where they are up.

services_up() {
  .venv/bin/python - "$@" <<'PY'
import sys
from urllib.parse import urlparse

import psycopg
import redis

admin, target, redis_url = sys.argv[1:]
name = urlparse(target).path.lstrip("/")
try:
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
except psycopg.OperationalError as error:
    print(f"PostgreSQL is not reachable at {admin}: {error}", file=sys.stderr)
    sys.exit(1)
try:
    redis.Redis.from_url(redis_url, socket_connect_timeout=5).ping()
except redis.RedisError as error:
    print(f"Redis is not reachable at {redis_url}: {error}", file=sys.stderr)
    sys.exit(1)
PY
}

start_services() {
  # The commands this kind of machine uses to start its services; harmless where they are up.
  command -v pg_ctlcluster >/dev/null 2>&1 && \
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start 2>/dev/null || true
  command -v redis-server >/dev/null 2>&1 && ! redis-cli ping >/dev/null 2>&1 && \
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /tmp --logfile /tmp/redis-ci.log || true
  sleep 2
}
