"""The read replica (DATABASE_REPLICA_URL): which reads may go there, and the router sending them.

One rule, kept narrow so that nobody ever reads something older than what they just did:

- only the reads of a request that nothing personal can answer go to the replica: a GET or HEAD
  with no session, no messages and no API token (`articles.pagecache.for_everyone`, the same
  test that decides whether a page may be cached for everyone). A signed-in reader, who may have
  just posted, and every editor read the primary;
- once such a request writes anything, the rest of it reads the primary;
- inside a transaction, reads go to the primary (they must see the transaction's own writes);
- outside a request (management commands, tasks, the shell) everything uses the primary.

Writes always go to the primary, and only the primary is migrated. A replica that lags shows
anonymous readers a page as it was a moment ago, consistently (the page cache's versions are read
from the same replica as the page).
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponseBase

from articles.pagecache import for_everyone

REPLICA = "replica"


@dataclass
class _Reads:
    """This request's choice; mutable, so a write deep inside the request changes it for all."""

    replica: bool


_reads: ContextVar[_Reads | None] = ContextVar("colloquy_replica_reads", default=None)


def may_read_replica(request: HttpRequest) -> bool:
    """Whether `request`'s reads may come from the replica (see the module doc)."""
    return for_everyone(request) and "HTTP_AUTHORIZATION" not in request.META


def replica_reads(get_response: Callable[[HttpRequest], HttpResponseBase]):
    """Middleware: marks the requests whose reads the router may send to the replica."""

    def middleware(request: HttpRequest) -> HttpResponseBase:
        token = _reads.set(_Reads(replica=may_read_replica(request)))
        try:
            return get_response(request)
        finally:
            _reads.reset(token)

    return middleware


class ReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str:
        reads = _reads.get()
        if (
            reads is not None
            and reads.replica
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: Any, **hints: Any) -> str:
        reads = _reads.get()
        if reads is not None:
            reads.replica = False  # the rest of this request reads what it wrote
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the same data on both

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS
