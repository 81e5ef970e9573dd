"""Versions of what the public pages show: counters the database holds, bumped with each change.

A change bumps the versions of the pages it touches in its own transaction, so a page rendered
from the old rows can only be stored under the old versions. The page cache (articles.pagecache)
keys every page by the versions read in the same query as the page's own row: whichever process
or cache holds a page, it is found only while the database still says it is current.

- `Article.version`: the article's page (its row, or its discussion: the comments app calls
  `articles_changed`).
- `SiteVersion.navigation`: the section tree (header, breadcrumbs, section pages).
- `SiteVersion.listing`: what lists of articles show.
- `SiteVersion.next_publication_at`: a scheduled article goes live with no write at all, so
  lists are not served past that moment (`publication_due`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Article, SiteVersion


def _site() -> SiteVersion:
    site, _ = SiteVersion.objects.get_or_create(pk=SiteVersion.SINGLETON_PK)
    return site


def articles_changed(article_ids: Iterable[int | None], *, listed: bool = True) -> None:
    """What these articles' pages show changed (and, when `listed`, what lists of them show)."""
    ids = {i for i in article_ids if i is not None}
    if not ids:
        return
    with transaction.atomic():
        Article.objects.filter(pk__in=ids).update(version=F("version") + 1)
        if listed:
            listing_changed()


def listing_changed() -> None:
    _site()
    SiteVersion.objects.filter(pk=SiteVersion.SINGLETON_PK).update(listing=F("listing") + 1)


def navigation_changed() -> None:
    _site()
    SiteVersion.objects.filter(pk=SiteVersion.SINGLETON_PK).update(navigation=F("navigation") + 1)


def schedule_changed(*, now: dt.datetime | None = None) -> None:
    """Note when the next scheduled article goes live, and that lists may change."""
    now = now or timezone.now()
    upcoming = (
        Article.objects.scheduled()
        .filter(published_at__gt=now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    _site()
    SiteVersion.objects.filter(pk=SiteVersion.SINGLETON_PK).update(
        next_publication_at=upcoming, listing=F("listing") + 1
    )


def publication_due(next_publication_at: dt.datetime | None) -> bool:
    """Whether a scheduled article has gone live since the versions were written: if so, the
    caller calls `schedule_changed()` before using them (once, by whoever sees it first)."""
    return next_publication_at is not None and next_publication_at <= timezone.now()
