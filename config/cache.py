"""The shared cache's Redis backend: django-redis, made to degrade rather than fail.

With IGNORE_EXCEPTIONS (config/settings.py) django-redis turns an unreachable Redis into misses
and dropped writes. One call needs more: `add`, which allauth's rate limits use as a lock, would
then report the lock as taken, and every login would wait a second and be refused. While Redis is
unreachable an `add` succeeds instead, so rate limits fail open (documented in the README) and
the site stays usable; they count again as soon as Redis is back.
"""

from __future__ import annotations

from typing import Any

from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted


def redis_cache(url: str, *, prefix: str) -> dict[str, Any]:
    """The settings of the shared cache on the Redis at `url` (settings.CACHES["default"])."""
    return {
        "BACKEND": "config.cache.SharedRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": prefix,
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            # An unreachable Redis is a miss or a dropped write, found out within half a second.
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
        },
    }


class SharedRedisCache(RedisCache):
    def add(self, *args: Any, **kwargs: Any) -> bool:
        try:
            return bool(self.client.add(*args, **kwargs))
        except ConnectionInterrupted:
            return True


def cache_reachable(alias: str = "default") -> bool:
    """Whether the cache answers now: a write and a read of a probe key (for /healthz/)."""
    from django.core.cache import caches

    cache = caches[alias]
    try:
        cache.set("healthz:probe", "ok", timeout=30)
        return cache.get("healthz:probe") == "ok"
    except Exception:  # any failure of the cache means "degraded", whatever its class
        return False
