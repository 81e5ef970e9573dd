"""What a signed-in reader is and may do, derived once per change rather than once per page.

Each request reads the user's row anyway (the session's user), and that row carries
`standing_version`, bumped in the same transaction as every change to what the derived facts
depend on: their email addresses (confirmed or not), their roles (the Editors group), and the
editors' sanctions on them (the moderation app bumps it). `remembered()` keeps such facts in the
page cache (this process's memory) under the version the row has now, so they cost no query on the
next page, and can never be older than the database: a changed row names a new key.

What decides a comment's fate at the moment of posting is still read from the database
(moderation.context), not from here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import caches
from django.db.models import F

from .models import User

T = TypeVar("T")

# Derived facts live beside the rendered pages: per process, keyed by database versions.
FACTS_CACHE = "pages"
FACTS_SECONDS = 3600


def remembered(user: Any, name: str, compute: Callable[[], T]) -> T:
    """`compute()` for this user, kept under their row's version (and its flags) now."""
    key = (
        f"reader:{user.pk}:{user.standing_version}:{int(user.is_active)}:"
        f"{int(user.is_superuser)}:{name}"
    )
    facts = caches[FACTS_CACHE]
    found = facts.get(key)
    if found is None:
        found = (compute(),)  # in a tuple, so that None and False are remembered too
        facts.set(key, found, timeout=FACTS_SECONDS)
    return found[0]


def reader_changed(user_ids: Iterable[int | None]) -> None:
    """What these readers are or may do changed: their derived facts are out of date."""
    ids = {i for i in user_ids if i is not None}
    if ids:
        User.objects.filter(pk__in=ids).update(standing_version=F("standing_version") + 1)
